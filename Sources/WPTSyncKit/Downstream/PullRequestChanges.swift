import RepoOps
import SyncCore

/// What an upstream pull request changes in the tree Gecko imports, read from the wpt mirror with
/// libgit2 (no work tree): from its merge base with master to its head.
struct PullRequestChanges: Equatable {
    var base: Oid
    var head: Oid
    /// Changed paths relative to the wpt root, `[landing] exclude` left out, sorted.
    var paths: [String]
    /// A digest of those paths and their new blobs: equal for the same changes whatever the head.
    var digest: String
    var affected: AffectedTests

    /// Reads the changes of `head` (a revision the mirror has, e.g. `refs/pull/7/head`) against `master`.
    static func read(git: GitRepository, head: String, master: String, exclude: [String],
                     maxTestPaths: Int = AffectedTests.defaultMaxTestPaths) throws -> PullRequestChanges {
        let headID = try git.resolve(head)
        let masterID = try git.resolve(master)
        let base = try git.mergeBase(headID, masterID) ?? masterID
        let headTree = try git.commit(headID).tree
        let entries = try git.diffTrees(old: try git.commit(base).tree, new: headTree, options: DiffOptions(renames: false))
            .filter { !LandingSettings.isExcluded($0.newPath.bytes, by: exclude) }
            .sorted { $0.newPath < $1.newPath }
        let paths = entries.map(\.newPath.description)
        var listing: [UInt8] = []
        for entry in entries { listing += entry.newPath.bytes + [0] + Array(entry.newOid.hex.utf8) + [0x0a] }
        // Only the folders around the changed files: a support file's tests are its neighbours.
        var tree = Set<String>()
        for folder in Set(paths.map { Self.folder(of: $0) }) where !folder.isEmpty {
            for file in try git.files(in: headTree, under: GitPath(folder)) { tree.insert(file.path.description) }
        }
        for entry in entries where entry.status != .deleted { tree.insert(entry.newPath.description) }
        return PullRequestChanges(base: base, head: headID, paths: paths, digest: try git.blobId(of: listing).hex,
                                  affected: AffectedTests.of(changed: paths, tree: tree, maxTestPaths: maxTestPaths))
    }

    /// The source files `head` renames (old → new) and removes against `master`, paths relative to
    /// the wpt root: their metadata moves or goes.
    static func moves(git: GitRepository, head: String, master: String) throws -> (renames: [String: String], removed: Set<String>) {
        let headID = try git.resolve(head), masterID = try git.resolve(master)
        let base = try git.mergeBase(headID, masterID) ?? masterID
        var renames: [String: String] = [:], removed = Set<String>()
        for entry in try git.diffTrees(old: try git.commit(base).tree, new: try git.commit(headID).tree, options: DiffOptions(renames: true)) {
            if entry.status == .renamed { renames[entry.oldPath.description] = entry.newPath.description }
            if entry.status == .deleted { removed.insert(entry.oldPath.description) }
        }
        return (renames, removed)
    }

    /// The folder whose tests a change of `path` concerns: above a `resources`/`support`/`tools`
    /// folder if the path is in one, else its own folder.
    private static func folder(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        let cut = parts.firstIndex { ["resources", "support", "tools", "reference"].contains($0) } ?? parts.endIndex
        return parts[..<cut].joined(separator: "/")
    }
}
