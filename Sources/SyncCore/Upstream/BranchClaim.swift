/// Whose a sync branch (`gecko/…`) is, as the pull requests on it (or, without any, its head)
/// show. wptsync adopts only a pull request its own account opened whose metadata shows it is the
/// same sync (it made it, then crashed before recording it); any other pull request on the branch
/// (a person's, another tool's), or a branch without one holding someone else's commits, is left
/// alone, and the sync moves on to its next branch name.
public enum BranchClaim: Sendable, Equatable {
    /// No pull request uses the branch, which is absent or holds the sync's own commits: the sync
    /// may push it and open one.
    case free
    /// This sync's pull request: adopt it.
    case ours(Int)
    /// Someone else's pull request uses the branch.
    case taken(by: Int)
    /// No pull request uses the branch, but it holds someone else's commits.
    case held

    /// A pull request on the branch, as far as the claim needs it.
    public struct PullRequest: Sendable, Equatable {
        public var number: Int
        public var state: PullRequestFacts.State
        public var body: String
        /// The login of the account that opened it.
        public var author: String

        public init(number: Int, state: PullRequestFacts.State, body: String, author: String) {
            self.number = number; self.state = state; self.body = body; self.author = author
        }
    }

    /// The claim `sync` has on a branch holding `pullRequests`, `bot` being wptsync's login. The
    /// sync's open pull request is adopted whatever else is there (moving on would leave it open
    /// for good); otherwise any pull request that is not the sync's own makes it `taken`; then a
    /// closed own one is adopted, then a merged one.
    public static func of(_ pullRequests: [PullRequest], for sync: UpstreamSync, bot: String) -> BranchClaim {
        let own = pullRequests.filter { isOwn($0, by: sync, bot: bot) }
        if let open = own.first(where: { $0.state == .open }) { return .ours(open.number) }
        if let other = pullRequests.first(where: { !isOwn($0, by: sync, bot: bot) }) { return .taken(by: other.number) }
        for state in [PullRequestFacts.State.closed, .merged] {
            if let closed = own.first(where: { $0.state == state }) { return .ours(closed.number) }
        }
        return .free
    }

    /// The head commit of a branch no pull request uses, as far as the claim needs it.
    public struct Head: Sendable, Equatable {
        public var commit: String
        public var message: String
        /// Whether its message, author and committer are exactly what wptsync's export writes for
        /// the changeset the message names (`exportedNode`).
        public var isExport: Bool

        public init(commit: String, message: String, isExport: Bool) {
            self.commit = commit; self.message = message; self.isExport = isExport
        }
    }

    /// The claim `sync` has on a branch no pull request uses, whose head is `head` (nil: there is
    /// no such branch). The sync may push it when the head is the commit the sync is to push
    /// (`sync.head`: its export, or the branch a person fixed for it), or wptsync's export of one
    /// of the sync's changesets (pushed before a crash, maybe on an older base); otherwise it is
    /// someone else's branch.
    public static func of(branchHead head: Head?, for sync: UpstreamSync) -> BranchClaim {
        guard let head, head.commit != sync.head else { return .free }
        let node = exportedNode(message: head.message)
        return head.isExport && sync.changesets.contains { $0.node == node } ? .free : .held
    }

    /// The one Gecko node a commit message names (`gecko-commit:`), as wptsync's export writes
    /// it; nil when it names none, several, or a short one.
    public static func exportedNode(message: String) -> String? {
        let nodes = SyncRebuild.nodes(inBody: message)
        guard nodes.count == 1, nodes[0].count == 40 else { return nil }
        return nodes[0]
    }

    /// Whether a pull request is one wptsync opened for `sync`: its author is `bot` (anyone may
    /// copy the metadata) and its body is one wptsync wrote for the sync.
    public static func isOwn(_ pullRequest: PullRequest, by sync: UpstreamSync, bot: String) -> Bool {
        pullRequest.author == bot && isOwn(body: pullRequest.body, by: sync)
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
