/// What a periodic re-check against mozilla-central saw: central's tip and the changesets still
/// waiting to arrive there. A re-check that would see the same mark again has nothing to learn.
public enum RecheckMark {
    /// What a re-check must ask central, given the mark it left last time.
    public enum Query: Equatable, Sendable {
        /// Central and the waiting changesets are as last seen.
        case nothing
        /// Only central moved: the waiting changesets can only have arrived with the changesets
        /// central gained since this tip (`only(tip, since)`).
        case arrivedSince(tip: String)
        /// Ask for every waiting changeset.
        case everything
    }

    /// `<tip> <how many pending> <digest of the pending nodes>`: the same for the same set,
    /// whatever its order.
    public static func text(tip: String, pending: Set<String>) -> String {
        "\(tip) \(pendingPart(pending))"
    }

    /// What to ask, from the last mark (nil: none yet), central's tip and the waiting changesets.
    public static func query(previous: String?, tip: String, pending: Set<String>) -> Query {
        guard let previous else { return .everything }
        if previous == text(tip: tip, pending: pending) { return .nothing }
        let parts = previous.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[1] == pendingPart(pending), parts[0].count == 40 else { return .everything }
        return .arrivedSince(tip: String(parts[0]))
    }

    private static func pendingPart(_ pending: Set<String>) -> String {
        // FNV-1a, 64 bits, over the sorted nodes.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for node in pending.sorted() {
            for byte in node.utf8 + [0x0a] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let digest = String(hash, radix: 16)
        return "\(pending.count) \(String(repeating: "0", count: 16 - digest.count) + digest)"
    }
}
