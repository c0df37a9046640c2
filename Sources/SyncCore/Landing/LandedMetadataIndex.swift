// The store indexes what landings in Gecko carried by PR, so that a landing build and `show
// downstream` read only the PRs they ask about, not every landing ever made.

/// What one landing in Gecko (pushed or landed) says of one PR: the metadata it carried for it, or
/// none when it imported the PR without metadata. A row of the store's `landed_metadata` index.
public struct LandedMetadataEntry: Sendable, Equatable {
    public var landing: Int64
    public var pullRequest: Int
    /// nil: the landing imported the PR without carrying metadata for it.
    public var carried: LandedMetadata?

    public init(landing: Int64, pullRequest: Int, carried: LandedMetadata?) {
        self.landing = landing; self.pullRequest = pullRequest; self.carried = carried
    }
}

extension LateMetadata {
    /// The index entries of `landing`, one per PR (what it carried first, then the PRs it imported
    /// without metadata); none unless it is pushed or landed and recorded its metadata.
    public static func entries(of landing: Landing) -> [LandedMetadataEntry] {
        guard landing.status == .pushed || landing.status == .landed, let carried = landing.metadata else { return [] }
        var seen: Set<Int> = []
        var entries: [LandedMetadataEntry] = []
        for entry in carried where seen.insert(entry.pullRequest).inserted {
            entries.append(LandedMetadataEntry(landing: landing.id, pullRequest: entry.pullRequest, carried: entry))
        }
        for unit in landing.units where unit.disposition == .apply {
            if let pr = unit.pullRequest, seen.insert(pr).inserted { entries.append(LandedMetadataEntry(landing: landing.id, pullRequest: pr, carried: nil)) }
        }
        return entries
    }

    /// `landed(_:)` from index entries, newest landing first.
    public static func landed(_ entries: [LandedMetadataEntry]) -> [Int: DownstreamMetadata?] {
        var landed: [Int: DownstreamMetadata?] = [:]
        for entry in entries where landed[entry.pullRequest] == nil { landed[entry.pullRequest] = .some(entry.carried?.metadata) }
        return landed
    }

    /// The metadata revision the index compares with what landed: the sync's try push its metadata
    /// came from, nil when it has none or it failed (such a sync never lands late).
    public static func revision(of sync: DownstreamSync) -> String? {
        guard let metadata = sync.metadata, metadata.error == nil else { return nil }
        return metadata.revision
    }
}
