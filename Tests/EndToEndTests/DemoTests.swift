import Foundation
import Store
import SyncCore
import Testing
import TestSupport

@Suite("wptsync demo")
struct DemoTests {
    @Test func everyStepOfTheTimelineHappened() throws {
        let dir = TempDir("demo")
        let folder = dir.sub("world")
        let output = try sh(builtProduct("wptsync"), ["demo", "--folder", folder])
        #expect(output.contains("demo ok"))

        let journal = try SQLiteJournal(path: folder + "/state/wptsync.sqlite")
        let events = try journal.events(state: nil, limit: 10).reversed()
        #expect(events.map(\.kind) == [.hgPush, .hgPush, .hgPush, .hgPush, .gitPush, .hgPush, .gitHubWebhook, .gitHubWebhook])
        #expect(events.allSatisfy { $0.state == .done })

        let descriptions = try sh("hg", ["log", "-R", folder + "/autoland", "-T", "{desc|firstline}\n"])
        #expect(descriptions.contains("Bug 1000001 - Test frobnication. r=reviewer"))
        #expect(descriptions.contains("Backed out changeset"))
        #expect(descriptions.contains("Bug 1000001 - Test frobnication, relanded. r=reviewer"))
        #expect(try sh("hg", ["log", "-R", folder + "/mozilla-central", "-r", "tip", "-T", "{desc|firstline}"])
                == "Bug 1000001 - Test frobnication, relanded. r=reviewer")

        let sync = try #require(try journal.syncs(bug: 1000001, status: nil).first)
        #expect(sync.status == .merged && sync.pullRequest == 1)
        #expect(sync.changesets.map(\.backedOut) == [true, false])
        let upstream = folder + "/github/wpt.git"
        #expect(try sh("git", ["--git-dir", upstream, "show", "master:dom/frobnicate.html"]).contains("frobnicate, fixed"))
        #expect(try sh("git", ["--git-dir", upstream, "branch", "--list", "gecko/*"]).isEmpty)
        #expect(try sh("git", ["--git-dir", folder + "/wpt.git", "log", "-1", "--format=%s", "master"]) == "Add a frob test (#2)\n")

        // The upstream PR landed back in autoland as an import: its commit, then the landing commit.
        let imported = try sh("hg", ["log", "-R", folder + "/autoland", "-r", "tip~1:", "-T", "{desc|firstline}\n"])
        #expect(imported.hasPrefix("Bug 1000002 [wpt PR 2] - Add a frob test, a=testonly\nBug 1000002 - [wpt-sync] Update web-platform-tests to "))
        #expect(try sh("hg", ["-R", folder + "/autoland", "cat", "-r", "tip", "path:testing/web-platform/tests/css/frob.html"]).contains("frob"))
        let landing = try #require(try journal.landings(statuses: nil).first)
        #expect(landing.status == .pushed && landing.units.map(\.pullRequest) == [1, 2])
        #expect(output.contains("autoland has the import"))
        #expect(output.contains("PR #1 is closed") && output.contains("PR #1 is open again") && output.contains("PR #1 is merged"))

        // Downstream: PR #3, opened from a fork and delivered to wptsync serve, got its bug in the
        // component moz.build names, one try push of only its test once approved, and its results.
        #expect(output.contains("bug 1 \"[wpt-sync] Sync PR 3 - Test grid gaps\" is filed in Core :: Layout: Grid"), "\(output)")
        let downstream = try #require(try journal.downstreamSync(pullRequest: 3))
        #expect(downstream.bug == 1 && downstream.component?.description == "Core :: Layout: Grid")
        #expect(downstream.tryPushes.map(\.status) == [.complete])
        let tryPushes = try sh("hg", ["log", "-R", folder + "/try", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"])
        #expect(tryPushes == (downstream.tryPushes.first?.revision ?? "-") + "\n")
        let tryConfig = try sh("hg", ["cat", "-R", folder + "/try", "-r", "tip", "path:try_task_config.json"])
        #expect(tryConfig.contains("css/css-grid/grid-gap.html") && !tryConfig.contains("frob"), "\(tryConfig)")
        #expect(try journal.downstreamResults(pullRequest: 3).count == 3)
        #expect(output.contains("The try run's results are in") && output.contains("- linux1804-64-qr/opt: 0 of 1 test, 1 of 2 subtests"))
    }
}
