// A pull request's expectation metadata as its downstream sync keeps it: computed when a try run's
// results are in, from Gecko's metadata at the run's mozilla-central base, and landed right after the
// PR's import. Each changed file keeps its text at the base (`before`) and the new text (`after`), so
// it can be rebased three-way onto the metadata as it stands later (a new push, or the landing).

/// The metadata update of one pull request, from the results of one try run.
public struct DownstreamMetadata: Sendable, Equatable, Codable {
    /// One changed metadata file: nil text is no file.
    public struct File: Sendable, Equatable, Codable {
        public var before: String?
        public var after: String?

        public init(before: String?, after: String?) { self.before = before; self.after = after }
    }

    /// The try push whose results it comes from.
    public var revision: String
    /// The mozilla-central revision whose metadata it updates (`before`).
    public var base: String
    /// The changed files, by repository path.
    public var files: [String: File]
    /// What the results disabled as unstable (`test | subtest`), sorted.
    public var disabled: [String]
    /// Tests and subtests now expected to CRASH somewhere, sorted.
    public var acceptedCrashes: [String]
    /// What the bug is told: the tests disabled and the crashes now expected (nil: nothing).
    public var bugComment: String?
    /// Why no update could be computed (Gecko's metadata did not parse); nothing lands then.
    public var error: String?

    public init(revision: String, base: String, files: [String: File] = [:], disabled: [String] = [],
                acceptedCrashes: [String] = [], bugComment: String? = nil, error: String? = nil) {
        self.revision = revision; self.base = base; self.files = files; self.disabled = disabled
        self.acceptedCrashes = acceptedCrashes; self.bugComment = bugComment; self.error = error
    }

    /// The reason `disabled` entries carry: the bug's URL, by which a later push recognises them.
    public static func disabledReason(bug: Int) -> String { "https://bugzilla.mozilla.org/show_bug.cgi?id=\(bug)" }

    /// The metadata of the results `results` of try push `revision`: `gecko` is the metadata at `base`
    /// (parsed, by repository path; a missing path is no file), `start` the same files with the
    /// previous push's update re-applied (its files replace Gecko's). What the previous push disabled
    /// (branches whose value is `disabledReason`) is dropped first: this run decides it again. The
    /// metadata of `renames` (old → new source path) moves, that of `removed` goes. Files
    /// the results do not touch keep the previous update. The same inputs give the same value.
    public static func compute(pullRequest: Int, revision: String, base: String, gecko: [String: MetadataFile], start: [String: MetadataFile],
                               results: [String: [WptRun]], renames: [String: String] = [:], removed: Set<String> = [],
                               plan: MetadataPlan, disabledReason: String?) -> DownstreamMetadata {
        var files = start
        if let disabledReason {
            for (path, file) in files { files[path] = MetadataUpdater.strippingDisabled(file, reason: disabledReason) }
        }
        let outcome = plan.apply(files: files, results: results, renames: renames, removed: removed)
        for (path, change) in outcome.changes {
            if case .write(let file) = change { files[path] = file } else { files[path] = nil }
        }
        var changed: [String: File] = [:]
        for path in Set(gecko.keys).union(files.keys) {
            let before = gecko[path]?.text, after = files[path].flatMap { $0.isEmpty ? nil : $0.text }
            if before != after { changed[path] = File(before: before, after: after) }
        }
        return DownstreamMetadata(revision: revision, base: base, files: changed,
                                  disabled: outcome.disabled.map(\.name.description).sorted(),
                                  acceptedCrashes: outcome.acceptedCrashes.map(\.description).sorted(),
                                  bugComment: outcome.bugComment(pullRequest: pullRequest))
    }

    /// One line: how many files change, and what was disabled.
    public var summary: String {
        if let error { return "metadata of try push \(revision.prefix(12)) could not be computed: \(error)" }
        if files.isEmpty { return "metadata from try push \(revision.prefix(12)): no change" }
        return "metadata from try push \(revision.prefix(12)) on \(base.prefix(12)): " + files.keys.sorted().joined(separator: ", ")
            + (disabled.isEmpty ? "" : "; disabled as unstable: " + disabled.joined(separator: ", "))
    }
}
