// Git-style reverts. The body line `This reverts commit <hash>.` (any ASCII
// case, leading whitespace allowed, 12 to 40 hex digits) is authoritative:
// every such line counts, whatever the first line says, because people
// reword the `Revert "…"` subject but keep the line git wrote. A `Revert "…"`
// subject without such a line names no commit and is not a revert.
//
// Note: an import commit quotes upstream messages in its body, so it can
// carry these lines for upstream commits; callers classify import commits
// (those with `wpt-pr` / `wpt-commits` metadata) before looking at reverts.

/// The commits a git-style revert undoes.
public struct Revert: Sendable, Equatable {
    /// Reverted commits, lowercased, in order, without repeats.
    public var commits: [String]
    /// Bugs of the message: the reverted subject and the body describe the reverted change.
    public var bugs: [Int]

    public init(commits: [String], bugs: [Int]) {
        self.commits = commits
        self.bugs = bugs
    }

    /// The revert described by `lines` (the whole message), if any.
    static func parse(_ lines: [MessageLine], bugs: [Int]) -> Revert? {
        let commits = lines.compactMap(revertedCommit)
        return commits.isEmpty ? nil : Revert(commits: MessageText.unique(commits), bugs: bugs)
    }

    private static func revertedCommit(_ line: MessageLine) -> String? {
        var j = line.skipSpaces(from: 0)
        for word in ["this", "reverts", "commit"] {
            guard line.matchesWord(word, at: j) else { return nil }
            let end = j + word.utf8.count
            j = line.skipSpaces(from: end)
            guard j > end else { return nil }
        }
        return line.node(at: j)?.node
    }
}
