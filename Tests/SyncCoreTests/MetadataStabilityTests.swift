import Testing
@testable import SyncCore

@Suite("Metadata from stability runs, renames and removals")
struct MetadataStabilityTests {
    typealias Config = MetadataUpdateTests
    static let bug = "https://bugzilla.mozilla.org/show_bug.cgi?id=1234"
    static let disabling = MetadataPlan(updater: MetadataUpdater(unstable: .disable(reason: bug)))
    static let intermittent = MetadataPlan(updater: MetadataUpdater(unstable: .intermittent))

    /// Ten runs of `/dom/a.html` per configuration; `subtest(configuration, run)` gives the subtest's status.
    static func stabilityRuns(status: (RunInfo, Int) -> String = { _, _ in "OK" },
                              subtest: (RunInfo, Int) -> String) -> [String: [WptRun]] {
        ["/dom/a.html": Config.all.flatMap { runInfo in
            (0..<10).map { WptRun(runInfo: runInfo, status: status(runInfo, $0), subtests: [(name: "s", status: subtest(runInfo, $0))]) }
        }]
    }

    static func text(_ outcome: MetadataOutcome, _ path: String = "testing/web-platform/meta/dom/a.html.ini") -> String? {
        guard case .write(let file)? = outcome.changes[path] else { return nil }
        return file.text
    }

    static let flakyOnWindows = stabilityRuns { runInfo, run in runInfo == Config.windows && run % 3 == 0 ? "FAIL" : "PASS" }

    @Test func anUnstableSubtestIsDisabledUnderItsConfigurationOnly() {
        let outcome = Self.disabling.apply(files: [:], results: Self.flakyOnWindows)
        #expect(Self.text(outcome) == """
            [a.html]
              [s]
                disabled:
                  if os == "win": https://bugzilla.mozilla.org/show_bug.cgi?id=1234

            """)
        #expect(outcome.disabled == [MetadataDisabled(name: MetadataTestName(test: "/dom/a.html", subtest: "s"),
                                                      conditions: [#"os == "win""#], statuses: ["PASS", "FAIL"])])
        #expect(outcome.acceptedCrashes.isEmpty)
        #expect(outcome.bugComment(pullRequest: 7)?.contains(#"- /dom/a.html | s: disabled where os == "win" (statuses seen: PASS, FAIL)"#) == true)
        #expect(Self.intermittent.apply(files: [:], results: Self.flakyOnWindows).bugComment(pullRequest: 7) == nil)
    }

    @Test func inIntermittentModeTheStatusesAreAListMostFrequentFirst() {
        let outcome = Self.intermittent.apply(files: [:], results: Self.flakyOnWindows)
        #expect(Self.text(outcome) == """
            [a.html]
              [s]
                expected:
                  if os == "win": [PASS, FAIL]

            """)
        #expect(outcome.disabled.isEmpty)
    }

    @Test func aCrashAcceptedAsAnExpectationIsReportedAndAnUnstableCrashIsDisabled() {
        let results = Self.stabilityRuns(status: { runInfo, run in
            runInfo == Config.linuxDebug || (runInfo == Config.mac && run == 4) ? "CRASH" : "OK"
        }, subtest: { _, _ in "PASS" })
        let outcome = Self.disabling.apply(files: [:], results: results)
        #expect(Self.text(outcome) == """
            [a.html]
              disabled:
                if os == "mac": https://bugzilla.mozilla.org/show_bug.cgi?id=1234
              expected:
                if debug: CRASH

            """)
        #expect(outcome.acceptedCrashes == [MetadataTestName(test: "/dom/a.html")])
        #expect(outcome.disabled.map(\.statuses) == [["OK", "CRASH"]])
        #expect(outcome.bugComment(pullRequest: 7) == """
            The stability run of wpt PR 7 found unstable results; these are disabled in its metadata:
            - /dom/a.html: disabled where os == "mac" (statuses seen: OK, CRASH)

            The metadata of wpt PR 7 now expects these to CRASH:
            - /dom/a.html

            """)
        let recorded = Self.intermittent.apply(files: [:], results: results)
        #expect(Self.text(recorded) == """
            [a.html]
              expected:
                if not debug and (os == "mac"): [OK, CRASH]
                if debug: CRASH

            """)
        #expect(recorded.acceptedCrashes == [MetadataTestName(test: "/dom/a.html")])
        // Already expected: nothing new to say.
        let again = Self.disabling.apply(files: ["testing/web-platform/meta/dom/a.html.ini": Self.parsed(Self.text(outcome)!)], results: results)
        #expect(again.changes.isEmpty && again.acceptedCrashes.isEmpty && again.disabled.isEmpty)
    }

    @Test func aSingleConfigurationUnstableEverywhereItRanIsDisabledForItsPropertiesOnly() {
        let results = ["/dom/a.html": (0..<10).map { WptRun(runInfo: Config.linux, status: $0 == 0 ? "TIMEOUT" : "OK") }]
        #expect(Self.text(Self.disabling.apply(files: [:], results: results)) == """
            [a.html]
              disabled:
                if not debug and (os == "linux") and (bits == 64): https://bugzilla.mozilla.org/show_bug.cgi?id=1234

            """)
    }

    static func parsed(_ text: String) -> MetadataFile {
        try! MetadataParser.parse(text, file: "a.ini")
    }

    @Test func renamedSourcesMoveTheirMetadataAndRemovedOnesDropIt() {
        let files = [
            "testing/web-platform/meta/dom/a.any.js.ini": Self.parsed("[a.any.html]\n  expected: ERROR\n\n[a.any.worker.html?x]  # slow\n  bug: 5\n"),
            "testing/web-platform/meta/dom/c.html.ini": Self.parsed("[c.html?q]\n  expected: TIMEOUT\n"),
            "testing/web-platform/meta/dom/e.html.ini": Self.parsed("[e.html]\n  expected: FAIL\n"),
            "testing/web-platform/meta/dom/gone.html.ini": Self.parsed("[gone.html]\n  expected: FAIL\n"),
        ]
        let renames = ["dom/a.any.js": "dom/sub/b.any.js", "dom/c.html": "dom/d.html", "dom/e.html": "dom/e.any.js"]
        #expect(MetadataPlan.paths(testIDs: ["/dom/x.any.worker.html"], renames: renames, removed: ["dom/gone.html"]) == [
            "testing/web-platform/meta/dom/a.any.js.ini", "testing/web-platform/meta/dom/c.html.ini",
            "testing/web-platform/meta/dom/d.html.ini", "testing/web-platform/meta/dom/e.any.js.ini",
            "testing/web-platform/meta/dom/e.html.ini", "testing/web-platform/meta/dom/gone.html.ini",
            "testing/web-platform/meta/dom/sub/b.any.js.ini", "testing/web-platform/meta/dom/x.any.js.ini",
        ])
        let outcome = Self.disabling.apply(files: files, results: [:], renames: renames, removed: ["dom/gone.html"])
        #expect(outcome.changes.keys.sorted() == [
            "testing/web-platform/meta/dom/a.any.js.ini", "testing/web-platform/meta/dom/c.html.ini",
            "testing/web-platform/meta/dom/d.html.ini", "testing/web-platform/meta/dom/e.html.ini",
            "testing/web-platform/meta/dom/gone.html.ini", "testing/web-platform/meta/dom/sub/b.any.js.ini",
        ])
        #expect(outcome.changes["testing/web-platform/meta/dom/a.any.js.ini"] == .delete)
        #expect(outcome.changes["testing/web-platform/meta/dom/e.html.ini"] == .delete)
        #expect(outcome.changes["testing/web-platform/meta/dom/gone.html.ini"] == .delete)
        #expect(Self.text(outcome, "testing/web-platform/meta/dom/sub/b.any.js.ini") == "[b.any.html]\n  expected: ERROR\n\n[b.any.worker.html?x]  # slow\n  bug: 5\n")
        #expect(Self.text(outcome, "testing/web-platform/meta/dom/d.html.ini") == "[d.html?q]\n  expected: TIMEOUT\n")
    }

    @Test func aSecondPushKeepsTheComputedMetadataButNotWhatTheStabilityRunDisabled() {
        let first = Self.disabling.apply(files: [:], results: Self.stabilityRuns(
            status: { runInfo, _ in runInfo == Config.mac ? "TIMEOUT" : "OK" },
            subtest: { runInfo, run in runInfo == Config.windows && run % 3 == 0 ? "FAIL" : "PASS" }))
        let computed = Self.parsed(Self.text(first)!)
        #expect(computed.text == """
            [a.html]
              expected:
                if os == "mac": TIMEOUT
              [s]
                disabled:
                  if os == "win": https://bugzilla.mozilla.org/show_bug.cgi?id=1234

            """)
        let human = "[b.html]\n  disabled:\n    if os == \"mac\": https://bugzilla.mozilla.org/show_bug.cgi?id=99\n"
        let reused = MetadataUpdater.strippingDisabled(Self.parsed(computed.text + "\n" + human), reason: Self.bug)
        #expect(reused.text == "[a.html]\n  expected:\n    if os == \"mac\": TIMEOUT\n\n" + human)
        // The next stability run finds the subtest stable: nothing is disabled again.
        let stable = Self.stabilityRuns(status: { runInfo, _ in runInfo == Config.mac ? "TIMEOUT" : "OK" }, subtest: { _, _ in "PASS" })
        let second = Self.disabling.apply(files: ["testing/web-platform/meta/dom/a.html.ini": reused], results: stable)
        #expect(second.changes.isEmpty && second.disabled.isEmpty)
    }
}
