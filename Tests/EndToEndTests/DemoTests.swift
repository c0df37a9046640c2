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
        #expect(events.map(\.kind) == [.hgPush, .hgPush, .hgPush, .hgPush, .gitPush])
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
        #expect(try sh("git", ["--git-dir", folder + "/wpt.git", "log", "-1", "--format=%s", "master"]) == "Add a frob test\n")
        #expect(output.contains("PR #1 is closed") && output.contains("PR #1 is open again") && output.contains("PR #1 is merged"))
    }
}
