import CGit2

/// How a path changed between two trees.
public enum ChangeStatus: String, Hashable, Sendable {
    case added, deleted, modified, renamed, copied
}

/// One changed path between two trees. A change of kind (file ↔ symlink) is
/// `modified` with different modes.
public struct DiffEntry: Hashable, Sendable {
    public var status: ChangeStatus
    /// The path in the old tree; equal to `newPath` unless renamed or copied.
    public var oldPath: GitPath
    public var newPath: GitPath
    /// `Oid.zero` for an added entry.
    public var oldOid: Oid
    /// `Oid.zero` for a deleted entry.
    public var newOid: Oid
    /// Zero for an added entry.
    public var oldMode: FileMode
    /// Zero for a deleted entry.
    public var newMode: FileMode
    /// 0–100 for renames and copies, 0 otherwise.
    public var similarity: Int
}

/// What `diffTrees` should detect beyond additions, deletions and modifications.
public struct DiffOptions: Sendable {
    /// Pair deleted and added files with similar content as renames.
    public var renames: Bool
    /// Report added files similar to modified files as copies.
    public var copies: Bool
    /// Minimum similarity, in percent, for renames and copies.
    public var similarityThreshold: UInt16

    public init(renames: Bool = true, copies: Bool = false, similarityThreshold: UInt16 = 50) {
        self.renames = renames
        self.copies = copies
        self.similarityThreshold = similarityThreshold
    }
}

extension GitRepository {
    /// The files that differ between trees `old` and `new` (nil: the empty tree), below the
    /// directory `prefix` only. Paths are full paths from the root of the trees. Renames and
    /// copies are found among the files below `prefix`: a file moved out of it is a deletion.
    /// Subtrees with the same id on both sides are not read (`changedPaths`): libgit2 diffs
    /// only the paths that differ.
    public func diffTrees(old: Oid?, new: Oid?, under prefix: GitPath = GitPath(bytes: []),
                          options: DiffOptions = DiffOptions()) throws(GitError) -> [DiffEntry] {
        let oldTree = try subtree(prefix, of: old)
        defer { git_tree_free(oldTree) }
        let newTree = try subtree(prefix, of: new)
        defer { git_tree_free(newTree) }

        var diffOptions = git_diff_options()
        try check(git_diff_options_init(&diffOptions, UInt32(GIT_DIFF_OPTIONS_VERSION)), "initialise diff options")
        diffOptions.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var paths: [[CChar]] = []
        if let oldTree, let newTree {
            paths = try changedPaths(old: Oid(git_tree_id(oldTree)), new: Oid(git_tree_id(newTree))).map { (path) throws(GitError) in try path.cString() }
            if paths.isEmpty { return [] }
            diffOptions.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        }
        var diff: OpaquePointer?
        let code = withStringArray(paths) { pathspec in
            diffOptions.pathspec = pathspec
            return git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &diffOptions)
        }
        try check(code, "diff trees under '\(prefix)'")
        defer { git_diff_free(diff) }

        if options.renames || options.copies {
            var find = git_diff_find_options()
            try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "initialise rename options")
            find.flags = (options.renames ? GIT_DIFF_FIND_RENAMES.rawValue : 0)
                | (options.copies ? GIT_DIFF_FIND_COPIES.rawValue : 0)
            find.rename_threshold = options.similarityThreshold
            find.copy_threshold = options.similarityThreshold
            try check(git_diff_find_similar(diff, &find), "detect renames")
        }

        return (0..<git_diff_num_deltas(diff)).compactMap { index in
            DiffEntry(git_diff_get_delta(diff, index)!.pointee, prefix: prefix)
        }
    }

    /// The tree at `path` in `root`, or nil when there is no tree there; free with `git_tree_free`.
    private func subtree(_ path: GitPath, of root: Oid?) throws(GitError) -> OpaquePointer? {
        guard let root, let entry = try entry(at: path, in: root), entry.mode.isTree else { return nil }
        return try lookupTree(entry.oid)
    }
}

extension DiffEntry {
    init?(_ delta: git_diff_delta, prefix: GitPath) {
        let status: ChangeStatus
        switch delta.status {
        case GIT_DELTA_ADDED: status = .added
        case GIT_DELTA_DELETED: status = .deleted
        case GIT_DELTA_MODIFIED, GIT_DELTA_TYPECHANGE: status = .modified
        case GIT_DELTA_RENAMED: status = .renamed
        case GIT_DELTA_COPIED: status = .copied
        default: return nil
        }
        let oldFile = delta.old_file, newFile = delta.new_file
        self.init(status: status,
                  oldPath: prefix.appending(GitPath(cString: oldFile.path ?? newFile.path)),
                  newPath: prefix.appending(GitPath(cString: newFile.path ?? oldFile.path)),
                  oldOid: Oid(oldFile.id), newOid: Oid(newFile.id),
                  oldMode: FileMode(rawValue: UInt32(oldFile.mode)),
                  newMode: FileMode(rawValue: UInt32(newFile.mode)),
                  similarity: status == .renamed || status == .copied ? Int(delta.similarity) : 0)
    }
}
