import CGit2

/// One side of a merge conflict: the blob and mode that side has at the path.
public struct ConflictSide: Hashable, Sendable {
    public var path: GitPath
    public var oid: Oid
    public var mode: FileMode
}

/// A path that a three-way merge could not resolve. A side is nil when that
/// tree has no file there (for example, modified on one side and deleted on the other).
public struct MergeConflict: Hashable, Sendable {
    /// The path of the conflict, taken from ours, else theirs, else the ancestor.
    public var path: GitPath
    public var ancestor: ConflictSide?
    public var ours: ConflictSide?
    public var theirs: ConflictSide?
}

/// The outcome of a three-way merge of trees.
public enum MergeResult: Hashable, Sendable {
    /// The merge succeeded and produced this tree.
    case clean(tree: Oid)
    /// The merge produced conflicts at these paths, sorted by path.
    case conflicts([MergeConflict])
}

extension GitRepository {
    /// Merges the changes from `ancestor` to `theirs` into `ours`, in memory.
    /// `ancestor` nil means the empty tree. Renames are detected.
    public func mergeTrees(ancestor: Oid?, ours: Oid, theirs: Oid) throws(GitError) -> MergeResult {
        var ancestorTree: OpaquePointer?
        if let ancestor { ancestorTree = try lookupTree(ancestor) }
        defer { git_tree_free(ancestorTree) }
        let ourTree = try lookupTree(ours)
        defer { git_tree_free(ourTree) }
        let theirTree = try lookupTree(theirs)
        defer { git_tree_free(theirTree) }

        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "initialise merge options")
        var index: OpaquePointer?
        try check(git_merge_trees(&index, handle, ancestorTree, ourTree, theirTree, &options), "merge trees")
        defer { git_index_free(index) }

        if git_index_has_conflicts(index) == 0 {
            var oid = git_oid()
            try check(git_index_write_tree_to(&oid, index, try writer()), "write merged tree")
            return .clean(tree: Oid(oid))
        }
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "list merge conflicts")
        defer { git_index_conflict_iterator_free(iterator) }
        var conflicts: [MergeConflict] = []
        while true {
            var ancestorEntry, ourEntry, theirEntry: UnsafePointer<git_index_entry>?
            let code = git_index_conflict_next(&ancestorEntry, &ourEntry, &theirEntry, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "list merge conflicts")
            let sides = [ancestorEntry, ourEntry, theirEntry].map { $0.map(ConflictSide.init) }
            conflicts.append(MergeConflict(path: (sides[1] ?? sides[2] ?? sides[0])!.path,
                                           ancestor: sides[0], ours: sides[1], theirs: sides[2]))
        }
        return .conflicts(conflicts.sorted { $0.path < $1.path })
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    public func mergeBase(_ a: Oid, _ b: Oid) throws(GitError) -> Oid? {
        var base = git_oid()
        var rawA = a.raw, rawB = b.raw
        let code = git_merge_base(&base, handle, &rawA, &rawB)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "find merge base of \(a) and \(b)")
        return Oid(base)
    }
}

extension ConflictSide {
    init(_ entry: UnsafePointer<git_index_entry>) {
        self.init(path: GitPath(cString: entry.pointee.path), oid: Oid(entry.pointee.id),
                  mode: FileMode(rawValue: entry.pointee.mode))
    }
}
