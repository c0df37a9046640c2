import Foundation
import Testing
import SyncCore

private func node(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }
private func backout(_ n: Int, of target: Int) -> GeckoChangeset {
    GeckoChangeset(node: node(n), isMerge: false, description: Array("Backed out changeset \(node(target).prefix(12)) (bug 5)".utf8), files: [])
}

/// A merged sync that Gecko backed out, once a person opened its revert PR: relands, the revert
/// PR's merge, and its branch.
@Suite("Revert lifecycle rules")
struct RevertLifecycleTests {
    private func backedOut(revert: Int?) -> UpstreamSync {
        var sync = UpstreamSync(id: 7, bug: 5, changesets: [SyncChangeset(node: node(1), backedOut: true, inCentral: true)],
                                status: .backedOutAfterMerge)
        sync.pullRequest = 8
        sync.exportedNodes = [node(1)]
        sync.revertPullRequest = revert
        return sync
    }

    /// Item 4: with the revert PR open, a reland does not simply make the sync `merged` and
    /// forget the PR: it is to be closed (`followRevert`).
    @Test func aRelandWhileTheRevertPullRequestIsOpenClosesIt() {
        var sync = backedOut(revert: 12)
        let hit = sync.mark(nodePrefix: String(node(1).prefix(12)), backedOut: false)
        #expect(hit)
        #expect(sync.status == .merged && sync.revertPullRequest == 12)
        #expect(sync.waiting == "wptsync to close the revert PR #12: Gecko relanded the change")
        #expect(UpstreamPlanner.goal(for: sync) == .followRevert(number: 12))
        sync.settleRevert(.closed)
        #expect(sync.status == .merged && sync.revertPullRequest == nil && sync.waiting == nil)
        #expect(UpstreamPlanner.goal(for: sync) == UpstreamPlanner.Goal.none)
    }

    /// Item 5: the revert PR's merge makes the sync `reverted`, which waits for nobody; closed
    /// unmerged, a person decides again.
    @Test func theRevertPullRequestsMergeRevertsTheSync() {
        var merged = backedOut(revert: 12)
        #expect(UpstreamPlanner.goal(for: merged) == .followRevert(number: 12))
        merged.settleRevert(.merged)
        #expect(merged.status == .reverted && merged.waiting == nil && merged.revertPullRequest == 12)
        #expect(UpstreamPlanner.goal(for: merged) == UpstreamPlanner.Goal.none)
        var closed = backedOut(revert: 12)
        closed.settleRevert(.closed)
        #expect(closed.status == .backedOutAfterMerge && closed.revertPullRequest == nil)
        #expect(closed.waiting?.contains("`wptsync revert upstream 7`") == true)
    }

    /// Item 4: after the revert merged, upstream no longer has the change: a reland (a backout of
    /// the backout) starts a new sync, and the reverted one stays as it is.
    @Test func aRelandAfterTheRevertMergedStartsANewSync() {
        var reverted = backedOut(revert: 12)
        reverted.settleRevert(.merged)
        let backouts = [node(2): [String(node(1).prefix(12))]]
        let outcome = UpstreamPlanner.apply(push: [backout(3, of: 2)], role: .integration, prefixes: PathPrefixes(),
                                            syncs: [reverted], backouts: backouts)
        #expect(outcome.changed.count == 1)
        let reland = outcome.changed.first
        #expect(reland?.id == 0 && reland?.branch == "gecko/5-1" && reland?.status == .open && reland?.activeNodes == [node(1)])
        #expect(outcome.notes.contains("111111111111: its sync was reverted upstream: the reland starts sync gecko/5-1"))
        // Replaying the push changes nothing more.
        let again = UpstreamPlanner.apply(push: [backout(3, of: 2)], role: .integration, prefixes: PathPrefixes(),
                                          syncs: [reverted] + outcome.changed, backouts: backouts)
        #expect(again.changed.isEmpty)
    }

    /// Item 10: the revert branch is pushed only when it is free or holds wptsync's own revert.
    @Test func theRevertBranchIsClaimedLikeASyncBranch() {
        let sync = backedOut(revert: nil)
        let ownBody = "Reverts #8: Gecko backed out changeset(s) 111111111111 (bug 5) after the PR was merged upstream.\n\n"
            + "A person asked for this revert (`wptsync revert upstream 7`); wptsync never reverts upstream work by itself."
        let own = BranchClaim.PullRequest(number: 20, state: .open, body: ownBody, author: "bot")
        let person = BranchClaim.PullRequest(number: 21, state: .open, body: "My own revert", author: "alice")
        let copied = BranchClaim.PullRequest(number: 22, state: .closed, body: ownBody, author: "alice")
        #expect(UpstreamRevert.claim([own], head: nil, for: sync, bot: "bot") == .ours(20))
        #expect(UpstreamRevert.claim([person], head: nil, for: sync, bot: "bot") == .taken(by: 21))
        #expect(UpstreamRevert.claim([copied], head: nil, for: sync, bot: "bot") == .taken(by: 22))
        #expect(UpstreamRevert.claim([], head: nil, for: sync, bot: "bot") == .free)
        let message = UpstreamRevert.message(reverting: UpstreamRevert.Commit(sha: node(4), message: "Add a\n", parentCount: 1))
        #expect(UpstreamRevert.isRevertMessage(message) && !UpstreamRevert.isRevertMessage("A person's change\n"))
        #expect(UpstreamRevert.claim([], head: BranchClaim.Head(commit: node(6), message: message, isExport: true), for: sync, bot: "bot") == .free)
        #expect(UpstreamRevert.claim([], head: BranchClaim.Head(commit: node(6), message: "Mine", isExport: false), for: sync, bot: "bot") == .held)
    }

    /// Item 11: only a sync branch has a revert branch.
    @Test func onlyASyncBranchHasARevertBranch() {
        #expect(UpstreamRevert.branch(forSyncBranch: "gecko/5-1") == "gecko/revert/5-1")
        #expect(UpstreamRevert.branch(forSyncBranch: "other/5") == nil)
    }

    /// Item 8: a record rebuilt from a merged PR that Gecko backed out names no command for sync 0;
    /// once stored, it shows the command with its id.
    @Test func aRebuiltRecordNamesTheRevertCommandOnlyOnceItHasAnId() {
        let pr = PullRequestFacts(number: 8, url: "u", branch: "gecko/5", state: .merged,
                                  body: "Add a\n\ngecko-commits: \(node(1))", labels: [], head: nil)
        var sync = SyncRebuild.record(for: pr, changesets: [SyncChangeset(node: node(1), backedOut: true)])
        #expect(sync?.status == .backedOutAfterMerge && sync?.waitingFor == nil)
        sync?.id = 4
        #expect(sync?.waiting?.contains("`wptsync revert upstream 4`") == true)
    }

    /// Item 14: one rule for "a changeset the merged PR held was backed out", with or without
    /// recorded exported nodes.
    @Test func aLostMergedChangeIsOneRule() {
        let pr = PullRequestFacts(number: 8, url: "u", branch: "gecko/5", state: .merged, body: "", labels: ["wptsync"], head: nil)
        let rebuilt = SyncRebuild.record(for: pr, changesets: [SyncChangeset(node: node(1), backedOut: true)])
        #expect(rebuilt?.exportedNodes == [] && rebuilt?.lostMergedChange == true && rebuilt?.status == .backedOutAfterMerge)
        var marked = UpstreamSync(id: 3, bug: 5, changesets: [SyncChangeset(node: node(1))], status: .merged)
        _ = marked.mark(nodePrefix: String(node(1).prefix(12)), backedOut: true)
        #expect(marked.status == rebuilt?.status)
    }
}
