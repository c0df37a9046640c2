import Foundation
import Store
import SyncCore
import Testing
import TestSupport

@Suite("wptsync demo")
struct DemoTests {
    /// Gecko's repositories as the demo makes them: their paths, and their history read with the VCS of `kind`.
    private struct Gecko {
        let kind: GeckoKind
        let folder: String
        var autoland: String { folder + (kind == .git ? "/autoland.git" : "/autoland") }
        var central: String { folder + (kind == .git ? "/mozilla-central.git" : "/mozilla-central") }

        /// First lines of `repository`'s commits on its role's branch, newest first.
        func summaries(_ repository: String) throws -> [String] {
            let log = kind == .git
                ? try sh("git", ["--git-dir", repository, "log", "--format=%s", repository == central ? "main" : "autoland"])
                : try sh("hg", ["log", "-R", repository, "-T", "{desc|firstline}\n"])
            return log.split(separator: "\n").map(String.init)
        }

        func autolandFile(_ path: String) throws -> String {
            kind == .git ? try sh("git", ["--git-dir", autoland, "show", "autoland:" + path])
                : try sh("hg", ["-R", autoland, "cat", "-r", "tip", "path:" + path])
        }
    }

    @Test("every step of the timeline happened", arguments: GeckoKind.allCases)
    func everyStepOfTheTimelineHappened(kind: GeckoKind) throws {
        let dir = TempDir("demo")
        let folder = dir.sub("world")
        let output = try sh(builtProduct("wptsync"), ["demo", "--folder", folder, "--gecko", kind.rawValue])
        #expect(output.contains("demo ok"), "\(output)")
        let gecko = Gecko(kind: kind, folder: folder)

        let journal = try SQLiteJournal(path: folder + "/state/wptsync.sqlite")
        let events = try journal.events(state: nil, limit: 20).reversed()
        // Land, back out, reland, merge to central, the mirror's push, the landing's own push (with git,
        // the local Lando's); then the downstream act's two deliveries, its two try pushes (the second
        // its stability push), the mirror's push of its merge and the landing's push; then the
        // autoland act's two try pushes and two landings.
        let geckoPush: EventKind = kind == .git ? .gitPush : .hgPush
        #expect(events.map(\.kind) == [geckoPush, geckoPush, geckoPush, geckoPush, .gitPush, geckoPush]
                + [.gitHubWebhook, .gitHubWebhook, geckoPush, geckoPush, .gitPush, geckoPush] + Array(repeating: geckoPush, count: 4))
        #expect(events.allSatisfy { $0.state == .done })

        let summaries = try gecko.summaries(gecko.autoland)
        #expect(summaries.contains("Bug 1000001 - Test frobnication. r=reviewer"))
        #expect(summaries.contains { $0.hasPrefix(kind == .git ? "Revert \"Bug 1000001 - Test frobnication. r=reviewer\"" : "Backed out changeset") },
                "\(summaries)")
        #expect(summaries.contains("Bug 1000001 - Test frobnication, relanded. r=reviewer"))
        #expect(try gecko.summaries(gecko.central).first == "Bug 1000001 - Test frobnication, relanded. r=reviewer")

        let sync = try #require(try journal.syncs(bug: 1000001, status: nil).first)
        #expect(sync.status == .merged && sync.pullRequest == 1)
        #expect(sync.changesets.map(\.backedOut) == [true, false])
        let upstream = folder + "/github/wpt.git"
        #expect(try sh("git", ["--git-dir", upstream, "show", "master:dom/frobnicate.html"]).contains("frobnicate, fixed"))
        #expect(try sh("git", ["--git-dir", upstream, "branch", "--list", "gecko/*"]).isEmpty)
        #expect(try sh("git", ["--git-dir", folder + "/wpt.git", "log", "-2", "--format=%s", "master"])
                == "Test grid gaps (#3)\nAdd a frob test (#2)\n")

        // The upstream PR landed back in autoland as an import: its commit, then the landing commit
        // (with git Gecko, by one job of the local Lando).
        // With hg, the downstream act's PR and its metadata, then the autoland act's two fixes follow them.
        let history = summaries.reversed().joined(separator: "\n")
        #expect(history.contains("Bug 1000002 [wpt PR 2] - Add a frob test, a=testonly\nBug 1000002 - [wpt-sync] Update web-platform-tests to "),
                "\(summaries)")
        #expect(try gecko.autolandFile("testing/web-platform/tests/css/frob.html").contains("frob"))
        let landing = try #require(try journal.landings(statuses: nil).first { $0.units.contains { $0.pullRequest == 2 } })
        #expect(landing.status == .pushed && landing.units.map(\.pullRequest) == [1, 2])
        #expect((landing.landoJob != nil) == (kind == .git), "\(landing)")
        #expect(output.contains("autoland has the import" + (kind == .git ? ", landed by Lando job 1" : " (")), "\(output)")
        #expect(output.contains("PR #1 is closed") && output.contains("PR #1 is open again") && output.contains("PR #1 is merged"))
        #expect(!output.contains("demo-lando-token") && !output.contains("demo-token"), "no token in the timeline")

        try checkAutoland(gecko, journal: journal, events: Array(events), summaries: summaries, output: output)

        // Downstream: PR #3, opened from a fork and delivered to wptsync serve, got its bug in the
        // component moz.build names, one try push of only its test once approved, and its results.
        #expect(output.contains("bug 1 \"[wpt-sync] Sync PR 3 - Test grid gaps\" is filed in Core :: Layout: Grid"), "\(output)")
        let downstream = try #require(try journal.downstreamSync(pullRequest: 3))
        #expect(downstream.bug == 1 && downstream.component?.description == "Core :: Layout: Grid")
        // Its results made the stability push, running its test 10 times.
        #expect(downstream.tryPushes.map(\.status) == [.complete, .complete] && downstream.tryPushes.last?.rebuild == 10)
        let tryRepository = try TryRepository(existing: folder + "/try", kind: kind)
        #expect(try tryRepository.pushes() == downstream.tryPushes.map { $0.revision ?? "-" })
        // With git Gecko each went through the local Lando's try API, as production's do.
        #expect(downstream.tryPushes.allSatisfy { ($0.lando?.job != nil) == (kind == .git) }, "\(downstream.tryPushes)")
        #expect(output.contains("sent through Lando's try API as job") == (kind == .git), "\(output)")
        let tryConfig = try tryRepository.file("try_task_config.json", at: downstream.tryPushes.last?.revision ?? "-")
        #expect(tryConfig.contains("css/css-grid/grid-gap.html") && !tryConfig.contains("frob"), "\(tryConfig)")
        #expect(try journal.downstreamResults(pullRequest: 3).count == 3 + 30)
        #expect(output.contains("The try run's results are in") && output.contains("- linux1804-64-qr/opt: 0 of 1 test, 1 of 2 subtests"))

        // The stability run: "row gap" flipped on Linux opt and is disabled there, the bug says so and
        // asks the demo's triage contact; "column gap", failing on Linux opt only, is expected to there.
        // Merged upstream, the PR's import lands in autoland followed by its metadata commit.
        let bugURL = "https://bugzilla.mozilla.org/show_bug.cgi?id=1"
        let ini = try gecko.autolandFile("testing/web-platform/meta/css/css-grid/grid-gap.html.ini")
        #expect(ini.contains("  [row gap]\n    disabled:\n      if not debug and (os == \"linux\"): \(bugURL)\n")
                && ini.contains("  [column gap]\n    expected:\n      if not debug and (os == \"linux\"): FAIL\n"), "\(ini)")
        #expect(history.contains("Bug 1000002 [wpt PR 3] - Test grid gaps, a=testonly\nBug 1 [wpt PR 3] - Update wpt metadata, a=testonly\n"
                                 + "Bug 1000002 - [wpt-sync] Update web-platform-tests to "), "\(summaries)")
        let metadataFiles = kind == .git
            ? try sh("git", ["--git-dir", gecko.autoland, "log", "--format=", "--name-only", "--grep=Update wpt metadata", "autoland"])
            : try sh("hg", ["log", "-R", gecko.autoland, "-r", "desc('Update wpt metadata')", "-T", "{files}\n"])
        #expect(metadataFiles.trimmingCharacters(in: .whitespacesAndNewlines) == "testing/web-platform/meta/css/css-grid/grid-gap.html.ini")
        #expect(output.contains("bug 1 says what was disabled and asks wpt-triage@example.org (needinfo)"), "\(output)")
    }

    /// Autoland: Alice's first fix landed after its retrigger passed; her second, whose retrigger
    /// failed again, waited for a sheriff, who landed it from the page. (Before them, the downstream
    /// act's try pushes, the mirror's push of PR #3 and its landing; its bug is 1.)
    private func checkAutoland(_ gecko: Gecko, journal: SQLiteJournal, events: [JournalEvent], summaries: [String], output: String) throws {
        #expect(events.suffix(4).map(\.repository) == ["try", "autoland", "try", "autoland"])
        let requests = try journal.autolandRequests(phases: nil).sorted { $0.id < $1.id }
        #expect(requests.map(\.state.phase) == [.landed, .landed] && requests.allSatisfy { $0.requester == "alice@mozilla.com" })
        #expect(requests.map { $0.audit?.map(\.who) ?? [] } == [["autoland", "autoland", "autoland"], ["autoland", "autoland", "sam", "autoland"]],
                "\(requests.map(\.audit))")
        #expect(summaries.prefix(2) == ["Bug 2 - Fix the elements. r=bob", "Bug 2 - Fix the document. r=bob"], "\(summaries)")
        let tip = gecko.kind == .git ? try sh("git", ["--git-dir", gecko.autoland, "rev-parse", "autoland"]).trimmingCharacters(in: .whitespacesAndNewlines)
            : try sh("hg", ["log", "-R", gecko.autoland, "-r", "tip", "-T", "{node}"])
        #expect(tip == requests.last?.state.landedNode)
        #expect(output.contains("waits in the sheriff queue") && output.contains("pressed Land on request #2"), "\(output)")
    }
}
