/// What a periodic re-check against mozilla-central saw: central's tip and the changesets still
/// waiting to arrive there. A re-check that would see the same mark again has nothing to learn.
public enum RecheckMark {
    /// `<tip> <how many pending> <digest of the pending nodes>`: the same for the same set,
    /// whatever its order.
    public static func text(tip: String, pending: Set<String>) -> String {
        // FNV-1a, 64 bits, over the sorted nodes.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for node in pending.sorted() {
            for byte in node.utf8 + [0x0a] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let digest = String(hash, radix: 16)
        return "\(tip) \(pending.count) \(String(repeating: "0", count: 16 - digest.count) + digest)"
    }
}
