import CGit2

/// Tree objects of one repository read as stored bytes, each once for as long as this lives: an
/// export looks up its changed paths in the base tree (`entry(at:in:)`) and then edits the same trees
/// (`TreeEditor`), and a large directory would otherwise be inflated and its hash verified each time.
final class TreeReads {
    let repository: GitRepository
    private var objects: [Oid: OpaquePointer] = [:]

    init(_ repository: GitRepository) { self.repository = repository }

    deinit { for object in objects.values { git_odb_object_free(object) } }

    /// The stored object `oid`, which must be a tree; owned by this reader.
    func object(_ oid: Oid) throws(GitError) -> OpaquePointer {
        if let object = objects[oid] { return object }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.handle), "open the object database of '\(repository.path)'")
        defer { git_odb_free(odb) }
        var raw = oid.raw
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &raw), "read tree \(oid)")
        guard git_odb_object_type(object) == GIT_OBJECT_TREE else {
            git_odb_object_free(object)
            throw .libgit2(operation: "read tree \(oid)", code: GIT_ENOTFOUND.rawValue,
                           errorClass: Int32(GIT_ERROR_INVALID.rawValue), message: "the object is not a tree")
        }
        objects[oid] = object
        return object!
    }

    /// The entry at `path` below tree `root`, or `nil` when there is none (as `GitRepository.entry`).
    func entry(at path: GitPath, in root: Oid) throws(GitError) -> TreeEntry? {
        if path.bytes.isEmpty { return TreeEntry(path: path, oid: root, mode: .tree) }
        var tree = root
        let components = path.components
        for (index, component) in components.enumerated() {
            let object = try object(tree)
            var mode: UInt32 = 0
            var id = git_oid()
            let found = component.withUnsafeBufferPointer {
                wptsync_tree_find(&mode, &id, git_odb_object_data(object).assumingMemoryBound(to: UInt8.self),
                                  git_odb_object_size(object), $0.baseAddress, $0.count)
            }
            try check(found, "look up '\(path)' in tree \(root)")
            if found == 0 { return nil }
            if index == components.count - 1 { return TreeEntry(path: path, oid: Oid(id), mode: FileMode(rawValue: mode)) }
            if !FileMode(rawValue: mode).isTree { return nil }
            tree = Oid(id)
        }
        return nil
    }
}
