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
        let events = try SQLiteJournal(path: folder + "/state/wptsync.sqlite").events(state: nil, limit: 10).reversed()
        #expect(events.map(\.kind) == [.hgPush, .hgPush, .gitPush])
        #expect(events.allSatisfy { $0.state == .done })
        let tip = try sh("hg", ["log", "-R", folder + "/autoland", "-r", "tip", "-T", "{desc}"])
        #expect(tip == "Bug 1000002 - Frobnicate faster. r=reviewer")
        guard case .hgPush(let first) = events.first?.payload else { Issue.record("first event is not an hg push"); return }
        let firstDescription = try sh("hg", ["log", "-R", folder + "/autoland", "-r", first.firstNode, "-T", "{desc}"])
        #expect(firstDescription == "Bug 1000001 - Test frobnication. r=reviewer")
        #expect(output.contains("#1 push to autoland: 1 changeset(s), 1 touching testing/web-platform/tests: \(first.firstNode.prefix(12))"))
        let master = try sh("git", ["--git-dir", folder + "/wpt.git", "log", "-1", "--format=%s", "master"])
        #expect(master == "Add a frob test\n")
    }
}
