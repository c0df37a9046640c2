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
        // the local Lando's); then, with hg, the downstream act's two deliveries and its two try pushes
        // (the second its stability push), and the autoland act's two try pushes and two landings.
        let geckoPush: EventKind = kind == .git ? .gitPush : .hgPush
        #expect(events.map(\.kind) == [geckoPush, geckoPush, geckoPush, geckoPush, .gitPush, geckoPush]
                + (kind == .hg ? [.gitHubWebhook, .gitHubWebhook] + Array(repeating: .hgPush, count: 6) : []))
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
        #expect(try sh("git", ["--git-dir", folder + "/wpt.git", "log", "-1", "--format=%s", "master"]) == "Add a frob test (#2)\n")

        // The upstream PR landed back in autoland as an import: its commit, then the landing commit
        // (with git Gecko, by one job of the local Lando).
        // With hg, the autoland act's two fixes follow them.
        #expect(summaries.drop { !$0.hasPrefix("Bug 1000002 - [wpt-sync]") }.prefix(2).reversed().joined(separator: "\n")
                .hasPrefix("Bug 1000002 [wpt PR 2] - Add a frob test, a=testonly\nBug 1000002 - [wpt-sync] Update web-platform-tests to "),
                "\(summaries)")
        #expect(try gecko.autolandFile("testing/web-platform/tests/css/frob.html").contains("frob"))
        let landing = try #require(try journal.landings(statuses: nil).first)
        #expect(landing.status == .pushed && landing.units.map(\.pullRequest) == [1, 2])
        #expect((landing.landoJob != nil) == (kind == .git), "\(landing)")
        #expect(output.contains("autoland has the import" + (kind == .git ? ", landed by Lando job 1" : " (")), "\(output)")
        #expect(output.contains("PR #1 is closed") && output.contains("PR #1 is open again") && output.contains("PR #1 is merged"))
        #expect(!output.contains("demo-lando-token") && !output.contains("demo-token"), "no token in the timeline")

        guard kind == .hg else {
            #expect(output.contains("8. The downstream and autoland acts") && output.contains("9. The journal holds 6 processed events"), "\(output)")
            return
        }
        // Downstream: PR #3, opened from a fork and delivered to wptsync serve, got its bug in the
        // component moz.build names, one try push of only its test once approved, and its results.
        #expect(output.contains("bug 1 \"[wpt-sync] Sync PR 3 - Test grid gaps\" is filed in Core :: Layout: Grid"), "\(output)")
        let downstream = try #require(try journal.downstreamSync(pullRequest: 3))
        #expect(downstream.bug == 1 && downstream.component?.description == "Core :: Layout: Grid")
        // Its results made the stability push, running its test 10 times.
        #expect(downstream.tryPushes.map(\.status) == [.complete, .running] && downstream.tryPushes.last?.rebuild == 10)
        let tryPushes = try sh("hg", ["log", "-R", folder + "/try", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"])
        #expect(tryPushes == downstream.tryPushes.map { ($0.revision ?? "-") + "\n" }.joined())
        let tryConfig = try sh("hg", ["cat", "-R", folder + "/try", "-r", downstream.tryPushes.last?.revision ?? "-", "path:try_task_config.json"])
        #expect(tryConfig.contains("css/css-grid/grid-gap.html") && !tryConfig.contains("frob"), "\(tryConfig)")
        #expect(try journal.downstreamResults(pullRequest: 3).count == 3)
        #expect(output.contains("The try run's results are in") && output.contains("- linux1804-64-qr/opt: 0 of 1 test, 1 of 2 subtests"))

        // Autoland: Alice's first fix landed after its retrigger passed; her second, whose retrigger
        // failed again, waited for a sheriff, who landed it from the page.
        #expect(events.suffix(5).map(\.repository) == ["try", "try", "autoland", "try", "autoland"])
        let requests = try journal.autolandRequests(phases: nil).sorted { $0.id < $1.id }
        #expect(requests.map(\.state.phase) == [.landed, .landed] && requests.allSatisfy { $0.requester == "alice@mozilla.com" })
        #expect(requests.map { $0.audit?.map(\.who) ?? [] } == [["autoland", "autoland", "autoland"], ["autoland", "autoland", "sam", "autoland"]],
                "\(requests.map(\.audit))")
        #expect(summaries.prefix(2) == ["Bug 2 - Fix the elements. r=bob", "Bug 2 - Fix the document. r=bob"], "\(summaries)")
        #expect(try sh("hg", ["log", "-R", gecko.autoland, "-r", "tip", "-T", "{node}"]) == requests.last?.state.landedNode)
        #expect(output.contains("waits in the sheriff queue") && output.contains("pressed Land on request #2"), "\(output)")
    }
}
