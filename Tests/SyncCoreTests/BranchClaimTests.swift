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
    private func pr(_ number: Int, _ state: PullRequestFacts.State, _ body: String) -> BranchClaim.PullRequest {
        BranchClaim.PullRequest(number: number, state: state, body: body)
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
        #expect(BranchClaim.of([], for: sync) == .free)
        #expect(BranchClaim.of([pr(3, .merged, own), pr(2, .closed, own), pr(1, .open, own)], for: sync) == .ours(1))
        #expect(BranchClaim.of([pr(3, .merged, own), pr(2, .closed, own)], for: sync) == .ours(2))
        #expect(BranchClaim.of([pr(3, .merged, own)], for: sync) == .ours(3))
        #expect(BranchClaim.of([pr(5, .open, "Work in progress")], for: sync) == .taken(by: 5))
        #expect(BranchClaim.of([pr(1, .open, own), pr(6, .closed, "An old attempt")], for: sync) == .taken(by: 6))
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
