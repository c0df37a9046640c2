/// Why a changeset could not be exported as a wpt commit. Every case names the changeset.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading the changeset from Mercurial failed.
    case hg(HgError, node: String)
    /// Reading the wpt mirror or writing objects into it failed.
    case git(GitError, node: String)
    /// Reading the commit from a git Gecko repository failed.
    case gitRead(GitError, node: String)
    /// A changed path below the wpt prefix would leave the wpt tree (`..`, `.`, an empty
    /// component as in an absolute path, `.git`, a NUL byte). Nothing was written.
    case pathEscapesTree(path: HgPath, node: String)
    /// Merge changesets are not exported (their first-parent diff is not one change).
    case mergeChangeset(node: String)
    /// The fast read path (the `wptsync-export` hg extension) answered something unparsable.
    case unreadableChanges(node: String, detail: String)
    /// The hg extension file could not be written; `path` is where it was to go.
    case extensionUnavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .hg(error, node):
            "cannot read Gecko changeset \(node): \(error)"
        case let .gitRead(error, node):
            "cannot read Gecko commit \(node): \(error)"
        case let .git(error, node):
            "cannot build the wpt commit of Gecko changeset \(node): \(error)"
        case let .pathEscapesTree(path, node):
            "Gecko changeset \(node) changes '\(path)', a path that would escape the wpt tree; nothing was exported"
        case let .mergeChangeset(node):
            "Gecko changeset \(node) is a merge; merges are not exported"
        case let .unreadableChanges(node, detail):
            "unexpected output from the wptsync hg extension for changeset \(node): \(detail)"
        case let .extensionUnavailable(path, reason):
            "cannot write the wptsync hg extension to \(path): \(reason)"
        }
    }
}
