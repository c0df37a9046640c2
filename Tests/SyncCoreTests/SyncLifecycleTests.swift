import Testing
import SyncCore

private func node(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }
private func change(_ n: Int, _ message: String, files: [String] = ["testing/web-platform/tests/a.html"]) -> GeckoChangeset {
    GeckoChangeset(node: node(n), isMerge: false, description: Array(message.utf8), files: files.map { Array($0.utf8) })
}
private func backout(_ n: Int, of target: Int) -> GeckoChangeset {
    change(n, "Backed out changeset \(node(target).prefix(12)) (bug 5) for bustage", files: [])
}

@Suite("Sync lifecycle rules")
struct SyncLifecycleTests {
    @Test func aBackoutOfABackoutInTheSamePushRelands() {
        let outcome = UpstreamPlanner.apply(push: [change(1, "Bug 5 - Add a"), backout(2, of: 1), backout(3, of: 2)],
                                            role: .integration, prefixes: PathPrefixes(), syncs: [])
        #expect(outcome.changed.map(\.activeNodes) == [[node(1)]])
        #expect(outcome.notes.last == "333333333333: backs out 222222222222, a backout: relands 111111111111")
    }

    @Test func aBackoutOfAnEarlierBackoutRelandsWhatItBackedOut() {
        var sync = UpstreamSync(id: 4, bug: 5, changesets: [SyncChangeset(node: node(1), backedOut: true)], status: .incomplete)
        sync.pullRequest = 9
        let outcome = UpstreamPlanner.apply(push: [backout(3, of: 2)], role: .integration, prefixes: PathPrefixes(), syncs: [sync],
                                            backouts: [node(2): [String(node(1).prefix(12))]])
        #expect(outcome.changed.map(\.activeNodes) == [[node(1)]])
        // A third backout in the chain backs the change out again.
        let again = UpstreamPlanner.apply(push: [backout(4, of: 3)], role: .integration, prefixes: PathPrefixes(), syncs: outcome.changed,
                                          backouts: [node(2): [String(node(1).prefix(12))], node(3): [String(node(2).prefix(12))]])
        #expect(again.changed.map(\.activeNodes) == [[]])
    }

    @Test func theChainIsResolvedFromGeckoDownToTheChange() {
        let history = [node(2): backout(2, of: 1), node(3): backout(3, of: 2)]
        let found = BackoutChain.resolve(push: [backout(4, of: 3)], prefixes: PathPrefixes()) { prefix in
            history.first { $0.key.hasPrefix(prefix) }?.value
        }
        #expect(found == [node(3): [String(node(2).prefix(12))], node(2): [String(node(1).prefix(12))]])
        #expect(BackoutChain.effects(of: [String(node(3).prefix(12))], backouts: found).map(\.backedOut) == [true])
    }

    @Test func aMergedSyncBackedOutWaitsForAPersonAndARelandMakesItMergedAgain() {
        var sync = UpstreamSync(id: 7, bug: 5, changesets: [SyncChangeset(node: node(1))], status: .merged)
        sync.exportedNodes = [node(1)]
        let backedOut = sync.mark(nodePrefix: "111111111111", backedOut: true)
        #expect(backedOut)
        #expect(sync.status == .backedOutAfterMerge && sync.waiting?.contains("`wptsync revert upstream 7`") == true)
        let relanded = sync.mark(nodePrefix: "111111111111", backedOut: false)
        #expect(relanded)
        #expect(sync.status == .merged && sync.waitingFor == nil)
    }

    @Test func aChangesetBackedOutBeforeTheMergeLeavesTheMergedSyncAsItIs() {
        var sync = UpstreamSync(id: 7, bug: 5, changesets: [SyncChangeset(node: node(1)), SyncChangeset(node: node(2))], status: .merged)
        sync.exportedNodes = [node(1)]
        let hit = sync.mark(nodePrefix: "222222222222", backedOut: true)
        #expect(hit)
        #expect(sync.status == .merged)
    }

    @Test(arguments: [
        (nil as PullRequestFacts.State?, true, SyncStatus.backedOutBeforePullRequest, nil as String?),
        (.closed, true, .incomplete, "a reland"),
        (.merged, true, .backedOutAfterMerge, UpstreamSync.revertWaiting(id: 3)),
        (nil, false, .incomplete, nil),
    ])
    func aClosedSyncSaysWhatItIs(pullRequest: PullRequestFacts.State?, backedOut: Bool, status: SyncStatus, waiting: String?) {
        var sync = UpstreamSync(id: 3, bug: 5, changesets: [SyncChangeset(node: node(1), backedOut: backedOut, skipped: !backedOut)])
        sync.settleClosed(pullRequest: pullRequest)
        #expect(sync.status == status && sync.waiting == waiting)
    }

    @Test func aRebaseMergeIsRevertedCommitByCommitAndOnlyForWhatWasBackedOut() {
        var sync = UpstreamSync(id: 3, bug: 5, changesets: [SyncChangeset(node: node(1)), SyncChangeset(node: node(2), backedOut: true)])
        sync.pullRequest = 8
        let line = [UpstreamRevert.Commit(sha: "c2", message: "Add b\n\ngecko-commit: \(node(2))\n", parentCount: 1),
                    UpstreamRevert.Commit(sha: "c1", message: "Add a\n\ngecko-commit: \(node(1))\n", parentCount: 1),
                    UpstreamRevert.Commit(sha: "c0", message: "Someone else's\n", parentCount: 1)]
        #expect(UpstreamRevert.commits(in: line, of: sync).map(\.sha) == ["c2"])
        sync.changesets[0].backedOut = true
        #expect(UpstreamRevert.commits(in: line, of: sync).map(\.sha) == ["c2", "c1"])
        #expect(UpstreamRevert.message(reverting: line[0]) == "Revert \"Add b\"\n\nThis reverts commit c2.\n")
        let text = UpstreamRevert.pullRequestText(for: sync, mergedTitle: "[Gecko Bug 5] Add a", reverted: Array(line.prefix(2)))
        #expect(text.title == "Revert \"[Gecko Bug 5] Add a\"")
        #expect(text.body.hasPrefix("Reverts #8: Gecko backed out changeset(s) 111111111111, 222222222222 (bug 5) after the PR was merged upstream."))
        #expect(text.body.hasSuffix("This reverts commit c2.\nThis reverts commit c1."))
    }

    @Test func aMergeCommitIsRevertedWhole() {
        let sync = UpstreamSync(id: 3, bug: 5, changesets: [SyncChangeset(node: node(1), backedOut: true)])
        let line = [UpstreamRevert.Commit(sha: "m", message: "Merge pull request #8\n", parentCount: 2),
                    UpstreamRevert.Commit(sha: "c0", message: "Before\n", parentCount: 1)]
        #expect(UpstreamRevert.commits(in: line, of: sync).map(\.sha) == ["m"])
        #expect(UpstreamRevert.commits(in: [line[1]], of: sync).isEmpty)
        #expect(UpstreamRevert.branch(forSyncBranch: sync.branch) == "gecko/revert/5")
    }
}
