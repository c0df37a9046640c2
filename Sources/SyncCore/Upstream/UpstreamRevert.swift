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

    /// The revert branch of a sync: `gecko/revert/<bug>` (no sync branch has this form).
    public static func branch(for sync: UpstreamSync) -> String {
        "gecko/revert/" + sync.branch.dropFirst("gecko/".count)
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
