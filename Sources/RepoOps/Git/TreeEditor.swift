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
        return try root.write(in: repository, inherited: nil, isRoot: true)!
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

    /// Writes this directory; `nil` when it ends up empty (unless it is the root).
    func write(in repo: GitRepository, inherited: Oid?, isRoot: Bool) throws(GitError) -> Oid? {
        let base: Oid? = switch start {
        case .inherited: inherited
        case .empty: nil
        case .tree(let oid): oid
        }
        var baseTree: OpaquePointer?
        if let base { baseTree = try repo.lookupTree(base) }
        defer { git_tree_free(baseTree) }
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, try repo.writer(), baseTree), "create tree builder")
        defer { git_treebuilder_free(builder) }

        for (name, change) in children {
            let entryName = GitPath(bytes: name)
            switch change {
            case let .set(oid, mode):
                try repo.insert(entryName, oid, mode, into: builder)
            case .delete:
                try remove(entryName, from: builder)
            case .directory(let child):
                var existing: Oid?
                if let entry = git_treebuilder_get(builder, try entryName.cString()),
                   FileMode(rawValue: git_tree_entry_filemode_raw(entry).rawValue).isTree {
                    existing = Oid(git_tree_entry_id(entry))
                }
                if let subtree = try child.write(in: repo, inherited: existing, isRoot: false) {
                    try repo.insert(entryName, subtree, .tree, into: builder)
                } else {
                    try remove(entryName, from: builder)
                }
            }
        }
        if !isRoot && git_treebuilder_entrycount(builder) == 0 { return nil }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "write tree")
        return Oid(oid)
    }

    private func remove(_ name: GitPath, from builder: OpaquePointer?) throws(GitError) {
        let cName = try name.cString()
        guard git_treebuilder_get(builder, cName) != nil else { return }
        try check(git_treebuilder_remove(builder, cName), "remove '\(name)' from tree")
    }
}
