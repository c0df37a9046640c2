/// What `wptsync replay` processes again.
public enum ReplaySource: Sendable, Equatable {
    /// A revision range `A:B` of a local Mercurial Gecko repository: one hg-push event per
    /// changeset; or `OLD..NEW` of a git one: one git-push event of its branch, as its hook records it.
    case revisions(repository: String, range: String)
    /// Push ids from the repository's pushlog, both ends included: one hg-push event per push,
    /// with the hook's dedupe key.
    case pushes(repository: String, ids: ClosedRange<Int>)
    /// The wpt mirror's `refs/heads/master` moving from `old` to `new`: one git-push event, as
    /// the post-receive hook records it.
    case wpt(old: String, new: String)

    /// Validates the command-line options: exactly one of `revs`, `pushes`, `wpt`, with
    /// `repository` for the first two only.
    public init(repository: String?, revs: String?, pushes: String?, wpt: String?) throws(ApplicationError) {
        let given = [("--revs", revs), ("--pushes", pushes), ("--wpt", wpt)].filter { $0.1 != nil }
        guard given.count == 1, let (option, value) = given.first, let value else {
            throw .badArgument(option: "replay", value: given.map(\.0).joined(separator: " "),
                               expected: "exactly one of --revs, --pushes, --wpt")
        }
        if option == "--wpt" {
            if let repository { throw .badArgument(option: "--repository", value: repository, expected: "nothing with --wpt (the [wpt] mirror is meant)") }
            let ends = value.components(separatedBy: "..")
            guard ends.count == 2, !ends[0].isEmpty, !ends[1].isEmpty, !ends[1].hasPrefix(".") else {
                throw .badArgument(option: option, value: value, expected: "OLD..NEW")
            }
            self = .wpt(old: ends[0], new: ends[1])
            return
        }
        guard let repository else { throw .badArgument(option: "--repository", value: "", expected: "a [[gecko]] name with \(option)") }
        if option == "--revs", value.contains("..") {
            // A git Gecko repository's branch moving from OLD to NEW; the Replayer checks the kind.
            let ends = value.components(separatedBy: "..")
            guard ends.count == 2, !ends[0].isEmpty, !ends[1].isEmpty, !ends[1].hasPrefix(".") else {
                throw .badArgument(option: option, value: value, expected: "A:B, or OLD..NEW for a git repository")
            }
            self = .revisions(repository: repository, range: value)
            return
        }
        let ends = value.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 2, !ends[0].isEmpty, !ends[1].isEmpty else {
            throw .badArgument(option: option, value: value, expected: option == "--revs" ? "A:B" : "START:END")
        }
        if option == "--revs" {
            self = .revisions(repository: repository, range: value)
            return
        }
        guard let start = Int(ends[0]), let end = Int(ends[1]), 1 <= start, start <= end else {
            throw .badArgument(option: option, value: value, expected: "START:END, push ids with 1 <= START <= END")
        }
        self = .pushes(repository: repository, ids: start...end)
    }
}

/// What a replay did.
public struct ReplayReport: Sendable, Equatable {
    /// Events the source yielded.
    public var events = 0
    public var recorded = 0
    /// Events already in the journal (the hook or an earlier replay recorded them).
    public var duplicates = 0
    /// Events the worker processed or failed during the replay (any event that was due).
    public var processed = 0
    public var failed = 0
    /// Pushes without changesets (nothing to record).
    public var empty = 0

    public init() {}

    public var summary: String {
        "replay: \(events) event(s), \(recorded) recorded, \(duplicates) already recorded"
            + (empty > 0 ? ", \(empty) empty push(es) skipped" : "")
            + "; processed \(processed) event(s), \(failed) failed"
    }
}
