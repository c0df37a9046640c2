import CGit2

/// One entry of a tree: a blob, a subtree or a submodule commit.
public struct TreeEntry: Hashable, Sendable {
    /// The entry's name in its tree, or its full path in recursive listings.
    public var path: GitPath
    public var oid: Oid
    public var mode: FileMode

    public init(path: GitPath, oid: Oid, mode: FileMode) {
        self.path = path
        self.oid = oid
        self.mode = mode
    }
}

extension GitRepository {
    /// The id of the empty tree, which every repository can refer to.
    public static let emptyTree = try! Oid(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")

    /// Stores `bytes` as a blob. For a symlink, the bytes are the link target.
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> Oid {
        try writeObject(bytes, count: bytes.count, type: GIT_OBJECT_BLOB)
    }

    /// The contents of blob `oid`.
    public func blob(_ oid: Oid) throws(GitError) -> [UInt8] {
        var raw = oid.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, &raw), "read blob \(oid)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// The direct entries of tree `oid`, in git's order.
    public func treeEntries(_ oid: Oid) throws(GitError) -> [TreeEntry] {
        let tree = try lookupTree(oid)
        defer { git_tree_free(tree) }
        return (0..<git_tree_entrycount(tree)).map { index in
            TreeEntry(git_tree_entry_byindex(tree, index)!, path: nil)
        }
    }

    /// The entry at `path` below tree `oid`, or `nil` when there is none.
    public func entry(at path: GitPath, in oid: Oid) throws(GitError) -> TreeEntry? {
        if path.bytes.isEmpty { return TreeEntry(path: path, oid: oid, mode: .tree) }
        let tree = try lookupTree(oid)
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree, try path.cString())
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "look up '\(path)' in tree \(oid)")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(entry!, path: path)
    }

    /// Every non-tree entry below tree `oid`, recursively, with full paths, sorted by path.
    /// With `under`, only the entries below that directory (none when it does not exist).
    public func files(in oid: Oid, under directory: GitPath = GitPath(bytes: [])) throws(GitError) -> [TreeEntry] {
        guard let start = try entry(at: directory, in: oid), start.mode.isTree else { return [] }
        var result: [TreeEntry] = []
        var pending: [(GitPath, Oid)] = [(directory, start.oid)]
        while let (prefix, tree) = pending.popLast() {
            for entry in try treeEntries(tree) {
                let full = prefix.appending(entry.path)
                if entry.mode.isTree {
                    pending.append((full, entry.oid))
                } else {
                    result.append(TreeEntry(path: full, oid: entry.oid, mode: entry.mode))
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Writes a single tree level from `entries`, whose paths must be plain names.
    public func writeTree(_ entries: [TreeEntry]) throws(GitError) -> Oid {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, try writer(), nil), "create tree builder")
        defer { git_treebuilder_free(builder) }
        for entry in entries { try insert(entry.path, entry.oid, entry.mode, into: builder) }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "write tree")
        return Oid(oid)
    }

    func lookupTree(_ oid: Oid) throws(GitError) -> OpaquePointer {
        var raw = oid.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &raw), "read tree \(oid)")
        return tree!
    }

    func insert(_ name: GitPath, _ oid: Oid, _ mode: FileMode, into builder: OpaquePointer?) throws(GitError) {
        var raw = oid.raw
        let code = git_treebuilder_insert(nil, builder, try name.cString(), &raw, git_filemode_t(rawValue: mode.rawValue))
        try check(code, "insert '\(name)' into tree")
    }
}

extension TreeEntry {
    init(_ entry: OpaquePointer, path: GitPath?) {
        self.init(path: path ?? GitPath(cString: git_tree_entry_name(entry)),
                  oid: Oid(git_tree_entry_id(entry)),
                  mode: FileMode(rawValue: git_tree_entry_filemode_raw(entry).rawValue))
    }
}
