/// What a periodic re-check against mozilla-central saw: central's tip, a stamp of its changelog
/// file (which changes whenever a changeset is added or stripped) and the changesets still waiting
/// to arrive there. A re-check that would see the same stamp and waiting changesets has nothing to
/// learn, and need not even start Mercurial.
public enum RecheckMark {
    /// What a re-check must ask central, given the mark it left last time.
    public enum Query: Equatable, Sendable {
        /// Central and the waiting changesets are as last seen.
        case nothing
        /// Only central moved: the waiting changesets can only have arrived with the changesets
        /// central stored after this tip.
        case arrivedSince(tip: String)
        /// Ask for every waiting changeset.
        case everything
    }

    /// `<tip> <stamp> <how many pending> <digest of the pending nodes>`: the same for the same set,
    /// whatever its order. An unknown stamp (nil) never matches.
    public static func text(tip: String, stamp: String?, pending: Set<String>) -> String {
        "\(tip) \(stamp ?? "-") \(pendingPart(pending))"
    }

    /// What to ask, from the last mark (nil: none yet), central's changelog stamp now (nil: unknown)
    /// and the waiting changesets.
    public static func query(previous: String?, stamp: String?, pending: Set<String>) -> Query {
        let parts = previous?.split(separator: " ", maxSplits: 2) ?? []
        guard parts.count == 3, parts[0].count == 40, parts[2] == pendingPart(pending) else { return .everything }
        if let stamp, parts[1] == stamp { return .nothing }
        return .arrivedSince(tip: String(parts[0]))
    }

    /// The tip `mark` remembers; nil when it is not a mark.
    public static func tip(of mark: String) -> String? {
        let parts = mark.split(separator: " ", maxSplits: 2)
        return parts.count == 3 && parts[0].count == 40 ? String(parts[0]) : nil
    }

    /// `mark` moved to central's `tip` and `stamp`, with the same waiting changesets; nil when it
    /// is not a mark.
    public static func moved(_ mark: String, tip: String, stamp: String?) -> String? {
        let parts = mark.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, parts[0].count == 40 else { return nil }
        return "\(tip) \(stamp ?? "-") \(parts[2])"
    }

    private static func pendingPart(_ pending: Set<String>) -> String {
        var digest = FNV1a()
        for node in pending.sorted() { digest.add(node.utf8 + [0x0a]) }
        return "\(pending.count) \(digest.hex)"
    }
}
