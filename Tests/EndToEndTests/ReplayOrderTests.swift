import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 9: `replay --revs HIGH:LOW` records changesets in repository order, so a backout is
/// handled after the change it backs out.
@Suite("Replay order", .serialized)
struct ReplayOrderTests {
    @Test func aDescendingRangeIsRecordedOldestFirstAndGivesThePullRequestsOfTheHooks() throws {
        let expected = try ReplayTests.pullRequestsWithHooks()
        let r = try ReplayTests.worldWithoutHooks(world: UpstreamWorld())
        try ReplayTests.scenario(r.world) {}

        let output = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "tip:1"])
        #expect(output.contains("replay: 5 event(s), 5 recorded, 0 already recorded; processed 5 event(s), 0 failed"), "\(output)")
        let inRepositoryOrder = try sh("hg", ["log", "-R", r.world.autoland, "-r", "1:tip", "-T", "{node}\n"])
            .split(separator: "\n").map(String.init)
        let recorded = try SQLiteJournal(path: r.world.store).events(state: nil, limit: 100).reversed().compactMap { event -> String? in
            guard case .hgPush(let push) = event.payload, push.source == "replay" else { return nil }
            return push.firstNode
        }
        #expect(recorded == inRepositoryOrder)
        #expect(try PullRequestView.all(r) == expected)
    }

    @Test func theNullRevisionIsNotReplayed() throws {
        let r = try ReplayTests.worldWithoutHooks(world: UpstreamWorld())
        let output = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "0:null"])
        #expect(output.contains("replay: 1 event(s), 1 recorded"), "\(output)")
        let events = try SQLiteJournal(path: r.world.store).events(state: nil, limit: 10)
        #expect(!events.contains { if case .hgPush(let push) = $0.payload { push.firstNode == RefUpdate.zero } else { false } })
    }
}
