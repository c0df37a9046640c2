/// Mirror setups keep each Gecko change twice, as a git commit and as an hg changeset (Lando's
/// commit map pairs them). A backout may name either: a `git revert` the git hash, a sheriff's
/// "Backed out changeset" often the hg node Treeherder shows. These rules say which of a sync's
/// changesets such a name means; the pairs themselves are looked up at the edge.
public enum MirroredNodes {
    /// The nodes among `pairs` (node → the same change's node in the other kind) whose counterpart
    /// starts with `prefix`: what a backout naming `prefix` in the other kind backs out.
    public static func named(by prefix: String, pairs: [String: String]) -> [String] {
        let prefix = prefix.lowercased()
        return pairs.filter { $0.value.lowercased().hasPrefix(prefix) }.map(\.key).sorted()
    }

    /// Each of `effects` (a node prefix, and whether it is backed out or relanded) followed by the
    /// same effect on the prefix's `counterparts`.
    public static func including(_ counterparts: [String: [String]], _ effects: [(prefix: String, backedOut: Bool)])
        -> [(prefix: String, backedOut: Bool)] {
        effects.flatMap { effect in [effect] + (counterparts[effect.prefix] ?? []).map { ($0, effect.backedOut) } }
    }
}
