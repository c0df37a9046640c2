// The parsed form of a Gecko or wpt commit message. Parsing is pure and total:
// every input, including empty or invalid UTF-8, yields a value.

/// What a commit message says about bugs, review, backouts, reverts, merges
/// and sync metadata.
public struct CommitMessage: Sendable, Equatable {
    /// The first line, without its line terminator.
    public var summary: String
    /// Bug numbers of the whole message (`Bug N`, `bug #N`, `b=N`), in order
    /// of first appearance, without repeats. `[wpt PR N]` is not a bug.
    public var bugs: [Int]
    /// Reviewers from `r=`, `r?`, `sr=`, `rs=` and `ui-r=` annotations on the
    /// first line (not `a=` approvals), in order, without repeats. Group
    /// reviewers keep their `#` (`#webidl`).
    public var reviewers: [String]
    /// The backed-out changesets, when the first line is a backout.
    public var backout: Backout?
    /// The reverted commits, when the message has `This reverts commit` lines.
    public var reverts: Revert?
    /// Whether the first line starts with the word `merge`, `merged`,
    /// `merging` or the words `automated merge` (any case). Whether the
    /// changeset has two parents is for the caller to check.
    public var isMerge: Bool
    /// `key: value` lines after the first line; the last line for a key wins.
    public var metadata: [String: String]

    public init(
        summary: String = "", bugs: [Int] = [], reviewers: [String] = [],
        backout: Backout? = nil, reverts: Revert? = nil, isMerge: Bool = false,
        metadata: [String: String] = [:]
    ) {
        self.summary = summary
        self.bugs = bugs
        self.reviewers = reviewers
        self.backout = backout
        self.reverts = reverts
        self.isMerge = isMerge
        self.metadata = metadata
    }

    /// Parses a message. Line ends may be `\n`, `\r\n` or `\r`.
    public static func parse(_ text: String) -> CommitMessage {
        parse(bytes: Array(text.utf8))
    }

    /// Parses a message given as raw bytes; invalid UTF-8 is decoded with
    /// U+FFFD replacement characters and a leading byte-order mark is ignored.
    public static func parse(bytes: [UInt8]) -> CommitMessage {
        let lines = MessageText.lines(MessageText.normalized(bytes))
        let first = lines[0]
        let bugs = MessageBugs.bugs(in: lines)
        let reviewers = ReviewAnnotation.all(in: first).filter(\.isReview).flatMap(\.names)
        return CommitMessage(
            summary: first.text(0..<first.count),
            bugs: bugs,
            reviewers: MessageText.unique(reviewers),
            backout: Backout.parse(lines),
            reverts: Revert.parse(lines, bugs: bugs),
            isMerge: isMergeSummary(first),
            metadata: MessageMetadata.parse(lines)
        )
    }

    private static func isMergeSummary(_ line: MessageLine) -> Bool {
        let j = line.skipSpaces(from: 0)
        if ["merge", "merged", "merging"].contains(where: { line.matchesWord($0, at: j) }) { return true }
        guard line.matchesWord("automated", at: j) else { return false }
        let next = line.skipSpaces(from: j + 9)
        return next > j + 9 && line.matchesWord("merge", at: next)
    }
}
