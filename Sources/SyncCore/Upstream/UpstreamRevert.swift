/// Pure rules of `wptsync revert upstream`: the PR that reverts upstream what a merged sync's PR
/// brought, once Gecko backed it out and a person decided to revert it.
public enum UpstreamRevert {
    /// One commit on upstream master's first-parent line, as the rules need it.
    public struct Commit: Sendable, Equatable {
        public var sha: String
        public var message: String
        public var parentCount: Int

        public init(sha: String, message: String, parentCount: Int) {
            self.sha = sha; self.message = message; self.parentCount = parentCount
        }
    }

    /// The revert branch of the sync branch `gecko/<name>`: `gecko/revert/<name>` (no sync branch
    /// has this form); nil for any other branch.
    public static func branch(forSyncBranch branch: String) -> String? {
        guard branch.hasPrefix("gecko/") else { return nil }
        return "gecko/revert/" + branch.dropFirst("gecko/".count)
    }

    /// The claim of the revert PR of `sync` on its revert branch, holding `pullRequests` (and, when
    /// none, `head`), `bot` being wptsync's login: its own revert PR (wptsync's account, a body
    /// naming the sync's PR and command) is adopted; anyone else's PR, or commits no revert of
    /// wptsync's wrote (`head.isExport`: wptsync's account wrote it, `isRevertMessage`), make it
    /// `taken`/`held`: nothing is pushed there.
    public static func claim(_ pullRequests: [BranchClaim.PullRequest], head: BranchClaim.Head?,
                             for sync: UpstreamSync, bot: String) -> BranchClaim {
        let own = pullRequests.filter { $0.author == bot && isOwn(body: $0.body, of: sync) }
        if let open = own.first(where: { $0.state == .open }) { return .ours(open.number) }
        if let other = pullRequests.first(where: { pr in !own.contains(pr) }) { return .taken(by: other.number) }
        if let mine = own.first { return .ours(mine.number) }
        return head.map { $0.isExport ? .free : .held } ?? .free
    }

    /// Whether a PR body is one `pullRequestText` wrote for `sync`.
    static func isOwn(body: String, of sync: UpstreamSync) -> Bool {
        guard let number = sync.pullRequest else { return false }
        return body.hasPrefix("Reverts #\(number): ") && body.contains("`wptsync revert upstream \(sync.id)`")
    }

    /// Whether a commit message is one `message(reverting:)` wrote.
    public static func isRevertMessage(_ message: String) -> Bool {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let prefix = "This reverts commit "
        guard message.hasPrefix("Revert \""), lines.count == 4, lines[1].isEmpty, lines[3].isEmpty,
              lines[2].hasPrefix(prefix), lines[2].hasSuffix(".") else { return false }
        let sha = lines[2].dropFirst(prefix.count).dropLast()
        return sha.count == 40 && sha.allSatisfy(\.isHexDigit)
    }

    /// The commits to revert, newest first. `line` is master's first-parent line from the PR's
    /// merge commit backwards. A merge commit is reverted whole; otherwise the commits the merge
    /// wrote are those naming the sync's changesets (`gecko-commit:`), and of them those of the
    /// changesets Gecko backed out (all of them when none names one: a squash).
    public static func commits(in line: [Commit], of sync: UpstreamSync) -> [Commit] {
        guard let first = line.first else { return [] }
        if first.parentCount > 1 { return [first] }
        let nodes = Set(sync.changesets.map(\.node))
        let merged = line.prefix { commit in
            let named = SyncRebuild.nodes(inBody: commit.message)
            return !named.isEmpty && named.allSatisfy { node in nodes.contains { $0.hasPrefix(node) } }
        }
        let backedOut = sync.changesets.filter(\.backedOut).map(\.node)
        let lost = merged.filter { commit in
            SyncRebuild.nodes(inBody: commit.message).contains { node in backedOut.contains { $0.hasPrefix(node) } }
        }
        return lost.isEmpty ? Array(merged) : lost
    }

    /// The message of the commit reverting `commit`, as `git revert` writes it.
    public static func message(reverting commit: Commit) -> String {
        let subject = commit.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return "Revert \"\(subject)\"\n\nThis reverts commit \(commit.sha).\n"
    }

    /// Title and body of the revert PR of `sync`, whose PR (`title`) was merged upstream.
    public static func pullRequestText(for sync: UpstreamSync, mergedTitle title: String, reverted: [Commit]) -> (title: String, body: String) {
        let backedOut = sync.changesets.filter(\.backedOut).map { String($0.node.prefix(12)) }
        var lines = ["Reverts #\(sync.pullRequest.map(String.init) ?? "?"): Gecko backed out "
                     + "\(backedOut.isEmpty ? "its changes" : "changeset(s) \(backedOut.joined(separator: ", "))")"
                     + (sync.bug.map { " (bug \($0))" } ?? "") + " after the PR was merged upstream.",
                     "",
                     "A person asked for this revert (`wptsync revert upstream \(sync.id)`); wptsync never reverts upstream work by itself.",
                     ""]
        lines += reverted.map { "This reverts commit \($0.sha)." }
        return ("Revert \"\(title)\"", lines.joined(separator: "\n"))
    }

    /// What a sync waits for once its revert PR is open.
    public static func waiting(for number: Int) -> String {
        "the revert PR #\(number) to be reviewed and merged upstream"
    }
}
