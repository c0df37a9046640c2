/// Whose a sync branch (`gecko/…`) is, as the pull requests on it show. wptsync adopts only a
/// pull request whose metadata shows it is the same sync (it made it, then crashed before
/// recording it); any other pull request on the branch (a person's, another tool's) and its branch
/// are left alone, and the sync moves on to its next branch name.
public enum BranchClaim: Sendable, Equatable {
    /// No pull request uses the branch: the sync may push it and open one.
    case free
    /// This sync's pull request: adopt it.
    case ours(Int)
    /// Someone else's pull request uses the branch.
    case taken(by: Int)

    /// A pull request on the branch, as far as the claim needs it.
    public struct PullRequest: Sendable, Equatable {
        public var number: Int
        public var state: PullRequestFacts.State
        public var body: String

        public init(number: Int, state: PullRequestFacts.State, body: String) {
            self.number = number; self.state = state; self.body = body
        }
    }

    /// The claim `sync` has on a branch holding `pullRequests`. Any pull request that is not the
    /// sync's own makes it `taken`; otherwise its open one is adopted first, then a closed one,
    /// then a merged one.
    public static func of(_ pullRequests: [PullRequest], for sync: UpstreamSync) -> BranchClaim {
        if let other = pullRequests.first(where: { !isOwn(body: $0.body, by: sync) }) { return .taken(by: other.number) }
        for state in [PullRequestFacts.State.open, .closed, .merged] {
            if let own = pullRequests.first(where: { $0.state == state }) { return .ours(own.number) }
        }
        return .free
    }

    /// Whether a pull request body is one wptsync wrote for `sync`: its `gecko-commits:` line lists
    /// only full nodes, at least one, and each is one of the sync's changesets (the body lists the
    /// changesets still to upstream when it was written; a sync only gains changesets).
    public static func isOwn(body: String, by sync: UpstreamSync) -> Bool {
        let listed = SyncRebuild.nodes(inBody: body)
        let nodes = Set(sync.changesets.map(\.node))
        return !listed.isEmpty && listed.allSatisfy { $0.count == 40 && nodes.contains($0) }
    }

    /// The sequence of the sync's next branch name: the smallest above its own that no other sync
    /// of the bug (`used`) has.
    public static func nextSequence(after sync: UpstreamSync, used: Set<Int>) -> Int {
        var sequence = sync.sequence + 1
        while used.contains(sequence) { sequence += 1 }
        return sequence
    }
}
