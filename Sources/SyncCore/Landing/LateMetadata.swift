// A PR's try results can come in after its import landed (`metadata --ready`, `wait_for_metadata`
// off or past its limit, an admin merge): the metadata computed from them then lands as its own
// commit with the next landing. Landings record the metadata they carry before they are pushed, so
// once a landing is in Gecko (pushed, or found there after a crash) what it carried counts as
// landed, and the same metadata never lands twice.

/// The metadata of one PR that a landing carries: right after the PR's import, or late (its own
/// commit, the PR's import having landed before).
public struct LandedMetadata: Sendable, Equatable, Codable {
    public var pullRequest: Int
    /// The metadata as the downstream sync computed it (its try push, each file before and after).
    public var metadata: DownstreamMetadata
    /// Whether it is a late commit for a PR an earlier landing imported.
    public var late: Bool
    /// Files left as Gecko has them: changed there since in a way that overlaps.
    public var conflicts: [String]

    public init(pullRequest: Int, metadata: DownstreamMetadata, late: Bool, conflicts: [String] = []) {
        self.pullRequest = pullRequest; self.metadata = metadata; self.late = late; self.conflicts = conflicts
    }
}

/// Which PRs' metadata is still to land after their import did.
public enum LateMetadata {
    /// What Gecko has of each PR imported by `landings` (pushed or landed, newest first; landings made
    /// before they recorded their metadata are left out): the metadata that landed for it, nil when
    /// its import landed without any.
    public static func landed(_ landings: [Landing]) -> [Int: DownstreamMetadata?] {
        landed(landings.flatMap(entries(of:)))
    }

    /// The late metadata due now, by PR number: each sync whose import `landed` names, whose try runs
    /// are all in (`stability`: a stability run follows the first), and whose metadata is not the one
    /// that landed and changes something since (`since`). `excluded` PRs are imported by the landing
    /// being built (their metadata follows their import). A PR closed unmerged was never imported, so
    /// it gets none.
    public static func due(syncs: [DownstreamSync], landed: [Int: DownstreamMetadata?], excluded: Set<Int>,
                           stability: Bool) -> [LandedMetadata] {
        syncs.sorted { $0.pullRequest < $1.pullRequest }.compactMap { sync in
            guard !excluded.contains(sync.pullRequest), let metadata = sync.metadata, metadata.error == nil,
                  let before = landed[sync.pullRequest], before?.revision != metadata.revision,
                  !metadata.since(before).files.isEmpty else { return nil }
            var running = sync
            running.metadataReady = nil
            guard !running.awaitsMetadata(stability: stability) else { return nil }
            return LandedMetadata(pullRequest: sync.pullRequest, metadata: metadata, late: true)
        }
    }
}

extension DownstreamMetadata {
    /// The change still to make once `landed` (an earlier update of the same PR) is in Gecko: a file
    /// both change goes from `landed`'s text to this one's; a file only `landed` changed, on the same
    /// base, goes back to the base's text. Without `landed`, the whole update.
    public func since(_ landed: DownstreamMetadata?) -> DownstreamMetadata {
        guard let landed else { return self }
        var remaining = self
        remaining.files = [:]
        for path in Set(files.keys).union(landed.files.keys) {
            let change: File? = switch (files[path], landed.files[path]) {
            case (let mine?, let earlier?): File(before: earlier.after, after: mine.after)
            case (let mine?, nil): mine
            case (nil, let earlier?) where landed.base == base: File(before: earlier.after, after: earlier.before)
            default: nil
            }
            if let change, change.before != change.after { remaining.files[path] = change }
        }
        return remaining
    }

    /// The rules a PR's metadata is computed with, by the worker and by `wptsync metadata --from`: the
    /// default property order, and results with several statuses in one configuration disabled with
    /// the bug's URL (`unstable = "disable"`, once the bug is known) or recorded as intermittent.
    public static func plan(unstable: DownstreamSettings.Unstable, bug: Int?) -> MetadataPlan {
        let disable = unstable == .disable ? bug.map { UnstableResults.disable(reason: disabledReason(bug: $0)) } : nil
        return MetadataPlan(updater: MetadataUpdater(unstable: disable ?? .intermittent))
    }
}

extension LateMetadata {
    /// What the bug is told when a PR's try results come in after its import landed.
    public static func bugNote(pullRequest: Int, bug: Int, revision: String) -> String {
        "wpt PR \(pullRequest) landed in Gecko before the results of try push \(revision.prefix(12)) came in: "
            + "once its try runs are done, its metadata lands as its own commit (Bug \(bug) [wpt PR \(pullRequest)] - Update wpt metadata) "
            + "with the next wpt import.\n"
    }
}
