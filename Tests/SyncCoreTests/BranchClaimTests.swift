import SyncCore
import Testing

@Suite("Whose a sync branch is (pure)")
struct BranchClaimTests {
    private func node(_ n: Int) -> String { String(repeating: String(n), count: 40) }
    private let sync = UpstreamSync(bug: 41, changesets: [SyncChangeset(node: String(repeating: "1", count: 40)),
                                                          SyncChangeset(node: String(repeating: "2", count: 40), backedOut: true)])
    private func body(_ nodes: [String]) -> String {
        "Text.\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=41\ngecko-commits: \(nodes.joined(separator: ", "))"
    }
    private let bot = "wpt-sync-bot"
    private func pr(_ number: Int, _ state: PullRequestFacts.State, _ body: String, by author: String = "wpt-sync-bot") -> BranchClaim.PullRequest {
        BranchClaim.PullRequest(number: number, state: state, body: body, author: author)
    }

    @Test("a PR listing only this sync's changesets, as wptsync writes them, is its own")
    func ownBodies() {
        #expect(BranchClaim.isOwn(body: body([node(1)]), by: sync))
        #expect(BranchClaim.isOwn(body: body([node(1), node(2)]), by: sync), "backed out since: still the same sync")
        #expect(BranchClaim.isOwn(body: "Text.\n\ngecko-commit: \(node(1))", by: sync))
    }

    @Test("a PR without metadata, with other changesets, or with short nodes is someone else's", arguments: [
        "My own fix for bug 41.", "", "Text.\n\ngecko-commits: 111111111111", "Text.\n\ngecko-commits: \(String(repeating: "3", count: 40))",
        "Text.\n\ngecko-commits: \(String(repeating: "1", count: 40)), \(String(repeating: "3", count: 40))",
        "Text.\n\ngecko-commits: \(String(repeating: "1", count: 40))\ngecko-commits: none",
    ])
    func foreignBodies(body: String) {
        #expect(!BranchClaim.isOwn(body: body, by: sync))
    }

    @Test("no PR: free; own PRs adopted open first, then closed, then merged; any other PR: taken")
    func claims() {
        let own = body([node(1)])
        #expect(BranchClaim.of([], for: sync, bot: bot) == .free)
        #expect(BranchClaim.of([pr(3, .merged, own), pr(2, .closed, own), pr(1, .open, own)], for: sync, bot: bot) == .ours(1))
        #expect(BranchClaim.of([pr(3, .merged, own), pr(2, .closed, own)], for: sync, bot: bot) == .ours(2))
        #expect(BranchClaim.of([pr(3, .merged, own)], for: sync, bot: bot) == .ours(3))
        #expect(BranchClaim.of([pr(5, .open, "Work in progress", by: "a-person")], for: sync, bot: bot) == .taken(by: 5))
        #expect(BranchClaim.of([pr(2, .closed, own), pr(6, .closed, "An old attempt", by: "a-person")], for: sync, bot: bot) == .taken(by: 6))
        #expect(BranchClaim.of([pr(2, .closed, own), pr(7, .open, body([node(3)]))], for: sync, bot: bot) == .taken(by: 7),
                "wptsync's PR for another sync")
    }

    @Test("the sync's own open PR is adopted even beside someone else's PR: moving on would leave it open for good")
    func ownOpenPullRequestWins() {
        let own = body([node(1)])
        #expect(BranchClaim.of([pr(1, .open, own), pr(6, .closed, "An old attempt", by: "a-person")], for: sync, bot: bot) == .ours(1))
        #expect(BranchClaim.of([pr(6, .open, "Mine too", by: "a-person"), pr(1, .open, own)], for: sync, bot: bot) == .ours(1))
    }

    @Test("a PR is wptsync's only when its account opened it: copied metadata is not enough")
    func ownershipNeedsTheBotsAccount() {
        let own = body([node(1)])
        #expect(BranchClaim.isOwn(pr(1, .open, own), by: sync, bot: bot))
        #expect(!BranchClaim.isOwn(pr(1, .open, own, by: "a-person"), by: sync, bot: bot))
        #expect(!BranchClaim.isOwn(pr(1, .open, own, by: ""), by: sync, bot: bot), "an author GitHub did not name")
        #expect(!BranchClaim.isOwn(pr(1, .open, "By hand."), by: sync, bot: bot))
        #expect(BranchClaim.of([pr(4, .open, own, by: "a-person")], for: sync, bot: bot) == .taken(by: 4))
    }

    @Test("a branch without a PR is free when absent, the commit to push, or wptsync's export of the sync's changeset; else held")
    func branchesWithoutPullRequests() {
        var pushing = sync
        pushing.head = String(repeating: "a", count: 40)
        let exported = "Add p.\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=41\ngecko-commit: \(node(1))\n"
        func head(_ commit: String, _ message: String, export: Bool) -> BranchClaim.Head {
            BranchClaim.Head(commit: commit, message: message, isExport: export)
        }
        #expect(BranchClaim.of(branchHead: nil, for: pushing) == .free)
        #expect(BranchClaim.of(branchHead: head(pushing.head!, "Fixed by hand", export: false), for: pushing) == .free)
        #expect(BranchClaim.of(branchHead: head(node(9), exported, export: true), for: pushing) == .free, "pushed before a crash")
        #expect(BranchClaim.of(branchHead: head(node(9), exported, export: true), for: sync) == .free, "nothing exported since the crash")
        #expect(BranchClaim.of(branchHead: head(node(9), exported, export: false), for: pushing) == .held, "amended or signed by someone else")
        #expect(BranchClaim.of(branchHead: head(node(9), "My own work on bug 41", export: false), for: pushing) == .held)
        let other = "Add q.\n\ngecko-commit: \(node(3))\n"
        #expect(BranchClaim.of(branchHead: head(node(9), other, export: true), for: pushing) == .held, "another sync's export")
        #expect(BranchClaim.exportedNode(message: exported) == node(1))
        #expect(BranchClaim.exportedNode(message: "Add p.\n\ngecko-commits: \(node(1)), \(node(2))\n") == nil, "names two")
        #expect(BranchClaim.exportedNode(message: "Add p.\n\ngecko-commit: 111111111111\n") == nil)
    }

    @Test("the next branch name skips sequences other syncs of the bug hold")
    func nextNames() {
        #expect(BranchClaim.nextSequence(after: sync, used: []) == 1)
        #expect(BranchClaim.nextSequence(after: sync, used: [1, 2, 4]) == 3)
        var moved = sync
        moved.sequence = BranchClaim.nextSequence(after: sync, used: [1])
        #expect(moved.branch == "gecko/41-2")
        var bugless = UpstreamSync(bug: nil, changesets: [SyncChangeset(node: node(7))])
        #expect(bugless.branch == "gecko/changeset-777777777777")
        bugless.sequence = BranchClaim.nextSequence(after: bugless, used: [])
        #expect(bugless.branch == "gecko/changeset-777777777777-1")
        #expect(SyncRebuild.parse(branch: bugless.branch)?.sequence == 1)
    }
}
