/// Whether a sync's branch grows or is rebuilt when its changesets change.
public enum BranchPlan {
    /// The changesets to append onto the branch's current head: those after `exported` when
    /// `exported` (what the branch holds, built into `head`) is a prefix of `wanted`. Nil when the
    /// branch must be rebuilt: nothing exported yet, no head (a rebuild was asked for), or a
    /// change other than new changesets at the end (a backout or skip of some, a reorder).
    public static func appended(exported: [String], wanted: [String], head: String?) -> [String]? {
        guard head != nil, !exported.isEmpty, wanted.count > exported.count, wanted.starts(with: exported) else { return nil }
        return Array(wanted.dropFirst(exported.count))
    }
}
