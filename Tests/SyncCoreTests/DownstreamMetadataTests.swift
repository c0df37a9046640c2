import Foundation
import Testing
@testable import SyncCore

/// Issue 13: the metadata a downstream sync keeps from its try runs, and whether a landing waits for it.
@Suite("Downstream metadata and the landing's wait for it")
struct DownstreamMetadataTests {
    typealias Config = MetadataUpdateTests
    static let path = "testing/web-platform/meta/dom/a.html.ini"
    static let reason = DownstreamMetadata.disabledReason(bug: 1234)
    static let plan = MetadataPlan(updater: MetadataUpdater(unstable: .disable(reason: reason)))

    static func parsed(_ text: String) -> MetadataFile { try! MetadataParser.parse(text, file: "a.html.ini") }

    /// `/dom/a.html`'s subtest `s` in each configuration, `runs` times.
    static func results(runs: Int = 1, _ subtest: (RunInfo, Int) -> String) -> [String: [WptRun]] {
        ["/dom/a.html": Config.all.flatMap { runInfo in
            (0..<runs).map { WptRun(runInfo: runInfo, status: "OK", subtests: [(name: "s", status: subtest(runInfo, $0))]) }
        }]
    }

    /// What the shell does for a new push: the previous update's files replace Gecko's.
    static func start(_ gecko: [String: MetadataFile], _ previous: DownstreamMetadata?) -> [String: MetadataFile] {
        var start = gecko
        for (path, file) in previous?.files ?? [:] { start[path] = file.after.map(parsed) }
        return start
    }

    static func compute(_ results: [String: [WptRun]], gecko: [String: MetadataFile] = [:], previous: DownstreamMetadata? = nil,
                        revision: String = "r1") -> DownstreamMetadata {
        DownstreamMetadata.compute(pullRequest: 7, revision: revision, base: "b1", gecko: gecko, start: start(gecko, previous), results: results,
                                   plan: plan, disabledReason: reason)
    }

    static let failingOnWindows = results { runInfo, _ in runInfo == Config.windows ? "FAIL" : "PASS" }

    @Test func aFailureInOneConfigurationIsStoredAsTheFileBeforeAndAfterAndTheSameResultsGiveTheSameValue() {
        let metadata = Self.compute(Self.failingOnWindows)
        #expect(metadata.files == [Self.path: .init(before: nil, after: """
            [a.html]
              [s]
                expected:
                  if os == "win": FAIL

            """)])
        #expect(metadata.revision == "r1" && metadata.base == "b1" && metadata.disabled.isEmpty && metadata.error == nil)
        // Computed again (a rerun), and computed again from its own output: the same value.
        #expect(Self.compute(Self.failingOnWindows) == metadata)
        #expect(Self.compute(Self.failingOnWindows, previous: metadata) == metadata)
        let encoded = try! JSONEncoder().encode(metadata)
        #expect(try! JSONDecoder().decode(DownstreamMetadata.self, from: encoded) == metadata)
    }

    @Test func aNewPushKeepsThePreviousMetadataButDecidesTheDisabledTestsAgain() {
        let gecko = [Self.path: Self.parsed("[a.html]\n  bug: 99\n")]
        let flaky = Self.results(runs: 10) { runInfo, run in runInfo == Config.mac && run % 2 == 0 ? "FAIL" : "PASS" }
        var withOther = flaky
        withOther["/dom/b.html"] = Config.all.map { WptRun(runInfo: $0, status: "TIMEOUT") }
        let first = Self.compute(withOther, gecko: gecko)
        #expect(first.disabled == ["/dom/a.html | s"])
        #expect(first.bugComment?.contains("- /dom/a.html | s: disabled where os == \"mac\"") == true, "\(first.bugComment ?? "")")
        #expect(first.files[Self.path]?.after?.contains("disabled:\n      if os == \"mac\": \(Self.reason)") == true, "\(first.files)")
        #expect(first.files["testing/web-platform/meta/dom/b.html.ini"]?.after == "[b.html]\n  expected: TIMEOUT\n")

        // The next push's run is stable: the disabled subtest is gone, b.html (not run again) keeps its metadata, Gecko's bug line stays.
        let second = Self.compute(Self.results { _, _ in "PASS" }, gecko: gecko, previous: first, revision: "r2")
        #expect(second.files[Self.path] == nil, "a.html is as Gecko has it: \(second.files)")
        #expect(second.files["testing/web-platform/meta/dom/b.html.ini"] == first.files["testing/web-platform/meta/dom/b.html.ini"])
        #expect(second.disabled.isEmpty && second.revision == "r2")
    }

    @Test func aLandingWaitsOnlyForAPendingTryRunAndOnlyUntilTheLimit() {
        let merged = Date(timeIntervalSince1970: 1_000_000)
        var sync = DownstreamSync(pullRequest: 7)
        sync.bug = 5
        func decide(_ sync: DownstreamSync?, after seconds: TimeInterval) -> MetadataWait {
            MetadataWait.decide(pullRequest: 7, sync: sync, mergedAt: merged, now: merged.addingTimeInterval(seconds), limit: 3600, stability: false)
        }
        #expect(decide(nil, after: 0) == .land, "no downstream sync: nothing to wait for")
        #expect(decide(sync, after: 0) == .land, "no try run")
        sync.plan(DownstreamTryPush(head: "h", treeChanges: "t", mode: .tests, reason: .changes))
        sync.pushed(revision: "abcdef0123456789")
        guard case .wait(let reason) = decide(sync, after: 3599) else { Issue.record("waits before the limit"); return }
        #expect(reason.contains("try push abcdef012345") && reason.contains("wptsync metadata 7 --ready"), "\(reason)")
        guard case .landWithout(let note) = decide(sync, after: 3600) else { Issue.record("lands after the limit"); return }
        #expect(note.contains("PR #7 lands without its metadata"))
        var ready = sync
        ready.metadataReady = true
        #expect(decide(ready, after: 0) == .land, "a person said it is ready")
        sync.finished(revision: "abcdef0123456789", status: .complete)
        #expect(decide(sync, after: 0) == .land, "the run is complete")

        // With stability runs, a complete first run is not the end: its stability run is still to come.
        let stable = { (sync: DownstreamSync) in
            MetadataWait.decide(pullRequest: 7, sync: sync, mergedAt: merged, now: merged, limit: 3600, stability: true)
        }
        guard case .wait = stable(sync) else { Issue.record("waits for the stability run not planned yet"); return }
        sync.plan(DownstreamTryPush(head: "h", treeChanges: "t", mode: .tests, reason: .stability, rebuild: 10))
        sync.pushed(revision: "5555555555555555")
        guard case .wait = stable(sync) else { Issue.record("waits for the running stability run"); return }
        sync.finished(revision: "5555555555555555", status: .complete)
        #expect(stable(sync) == .land, "both runs are in")
        sync.plan(DownstreamTryPush(head: "h", treeChanges: "t", mode: .tests, reason: .requested))
        sync.pushed(revision: "6666666666666666")
        sync.finished(revision: "6666666666666666", status: .complete)
        #expect(stable(sync) == .land, "a requested rerun of the same changes gets no second stability run")
    }
}
