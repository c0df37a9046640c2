import CGit2

/// A list of path edits — upserts and deletions — to apply onto a base tree.
///
/// Writing creates the intermediate trees that upserts need and drops the trees
/// that deletions leave empty. Edits apply in order, so a later edit of a path
/// wins; an upsert of `a/b` replaces a file `a` with a directory, and an upsert of
/// `a` replaces a directory `a`. Deleting a path that does not exist does nothing.
public struct TreeEditor: Sendable {
    private enum Edit: Sendable {
        case upsert(Oid, FileMode)
        case delete
    }

    private var edits: [(path: GitPath, edit: Edit)] = []

    public init() {}

    /// True when no edit was recorded.
    public var isEmpty: Bool { edits.isEmpty }

    /// Puts `oid` at `path` with `mode` (a blob mode, or `.tree` to graft a whole subtree).
    public mutating func upsert(_ path: GitPath, oid: Oid, mode: FileMode = .blob) {
        edits.append((path, .upsert(oid, mode)))
    }

    /// Removes the file or directory at `path`.
    public mutating func delete(_ path: GitPath) {
        edits.append((path, .delete))
    }

    /// Writes the edited tree into `repository` and returns its id. `base` nil means the empty tree.
    public func write(onto base: Oid?, in repository: GitRepository) throws(GitError) -> Oid {
        try write(onto: base, reading: TreeReads(repository))
    }

    /// Like `write(onto:in:)`, reading base trees through `reads` (shared with other reads of the
    /// same trees, so that each is inflated and verified once).
    func write(onto base: Oid?, reading reads: TreeReads) throws(GitError) -> Oid {
        let repository = reads.repository
        let root = Node(start: base.map { .tree($0) } ?? .empty)
        for (path, edit) in edits {
            let components = path.components
            for component in components {
                if let reason = Self.problem(with: component) { throw .invalidPath(path, reason: reason) }
            }
            switch edit {
            case let .upsert(oid, mode): root.record(components[...], .set(oid, mode))
            case .delete: root.record(components[...], .delete)
            }
        }
        var validator: OpaquePointer?
        try check(git_treebuilder_new(&validator, try repository.writer(), nil), "create tree builder")
        defer { git_treebuilder_free(validator) }
        return try root.write(reading: reads, inherited: nil, isRoot: true, validator: validator)!
    }

    private static func problem(with component: [UInt8]) -> String? {
        if component.isEmpty { return "empty path component" }
        if component.contains(0) { return "contains a NUL byte" }
        if component == [0x2E] || component == [0x2E, 0x2E] { return "'.' or '..' component" }
        return nil
    }
}

/// One directory of pending edits, keyed by entry name.
private final class Node {
    enum Start { case inherited, empty, tree(Oid) }
    enum Change { case set(Oid, FileMode), delete, directory(Node) }

    let start: Start
    var children: [[UInt8]: Change] = [:]

    init(start: Start) { self.start = start }

    func record(_ components: ArraySlice<[UInt8]>, _ change: Change) {
        let name = components.first!
        if components.count == 1 {
            children[name] = change
            return
        }
        let child: Node
        switch children[name] {
        case .directory(let existing): child = existing
        case .set(let oid, let mode) where mode.isTree: child = Node(start: .tree(oid))
        case .set, .delete: child = Node(start: .empty)
        case nil: child = Node(start: .inherited)
        }
        children[name] = .directory(child)
        child.record(components.dropFirst(), change)
    }

    /// Writes this directory; `nil` when it ends up empty (unless it is the root). The base tree's
    /// bytes are copied with the changed entries spliced in (`tree_splice.h`); a tree builder
    /// (`validator`) checks each new entry as libgit2 would (name, mode, the object it names) but
    /// writes nothing.
    func write(reading reads: TreeReads, inherited: Oid?, isRoot: Bool, validator: OpaquePointer?) throws(GitError) -> Oid? {
        let repo = reads.repository
        let base: Oid? = switch start {
        case .inherited: inherited
        case .empty: nil
        case .tree(let oid): oid
        }
        let baseTree = try base.map { oid throws(GitError) in try reads.object(oid) }
        let baseBytes = baseTree.map { git_odb_object_data($0).assumingMemoryBound(to: UInt8.self) }
        let baseLength = baseTree.map { git_odb_object_size($0) } ?? 0

        var names: [UInt8] = []
        var edits: [(offset: Int, count: Int, mode: UInt32, oid: git_oid)] = []
        for (name, change) in children {
            var put: (Oid, FileMode)?
            switch change {
            case let .set(oid, mode): put = (oid, mode)
            case .delete: put = nil
            case .directory(let child):
                var existing: Oid?
                var mode: UInt32 = 0
                var id = git_oid()
                if let baseBytes {
                    let found = name.withUnsafeBufferPointer {
                        wptsync_tree_find(&mode, &id, baseBytes, baseLength, $0.baseAddress, $0.count)
                    }
                    try check(found, "read tree \(base!)")
                    if found == 1 && FileMode(rawValue: mode).isTree { existing = Oid(id) }
                }
                put = try child.write(reading: reads, inherited: existing, isRoot: false, validator: validator).map { ($0, .tree) }
            }
            if let (oid, mode) = put { try repo.insert(GitPath(bytes: name), oid, mode, into: validator) }
            edits.append((names.count, name.count, put?.1.rawValue ?? 0, put?.0.raw ?? git_oid()))
            names += name
        }
        var spliced: UnsafeMutablePointer<UInt8>?
        var length = 0
        defer { wptsync_tree_splice_free(spliced) }
        let code = names.withUnsafeBufferPointer { buffer in
            var cEdits = edits.map { edit in
                wptsync_tree_edit(name: buffer.baseAddress! + edit.offset, name_len: edit.count, mode: edit.mode, id: edit.oid)
            }
            return wptsync_tree_splice(&spliced, &length, baseBytes, baseLength, &cEdits, cEdits.count)
        }
        try check(code, "edit tree \(base?.description ?? "(empty)")")
        if !isRoot && length == 0 { return nil }
        return try repo.writeObject(spliced, count: length, type: GIT_OBJECT_TREE)
    }
}
