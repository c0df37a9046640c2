import SyncCore

/// Why upstream wpt changes could not be built into Gecko commits. Cases name what was wrong.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Talking to Mercurial (the landing clone) failed.
    case hg(HgError)
    /// Reading the wpt mirror failed.
    case git(GitError)
    /// Reading or writing wptsync's git clone of a git Gecko repository failed.
    case geckoGit(GitError)
    /// The clone's lock file at `path` could not be opened.
    case lock(path: String, reason: String)
    /// The sync point is not on `master`'s first-parent history.
    case notAnAncestor(syncPoint: String, head: String)
    /// The hg extension file could not be written; `path` is where it was to go.
    case extensionUnavailable(path: String, reason: String)
    /// The configured landing command failed in the checkout.
    case commandFailed(command: [String], status: Int32, output: String)
    /// A metadata file in Gecko does not parse (the error names it, with the line and column).
    case metadata(MetadataError)
    /// `what` needs a git mozilla-central and the clone is Mercurial (a configuration the loader refuses).
    case needsGitCentral(what: String)
    /// The git `[[gecko]]` repository `repository` names no `branch` to clone and push.
    case noBranch(repository: String, path: String)

    public var description: String {
        switch self {
        case .hg(let error): "\(error)"
        case .git(let error): "reading the wpt mirror: \(error)"
        case .geckoGit(let error): "in the git landing clone: \(error)"
        case let .lock(path, reason): "cannot open the landing lock \(path): \(reason)"
        case let .notAnAncestor(syncPoint, head):
            "the sync point \(syncPoint) is not in the first-parent history of upstream \(head)"
        case let .extensionUnavailable(path, reason):
            "cannot write the wptsync landing hg extension to \(path): \(reason)"
        case let .commandFailed(command, status, output):
            "the landing command \(command.joined(separator: " ")) exited with status \(status)" + (output.isEmpty ? "" : ": \(output)")
        case .metadata(let error): "\(error)"
        case .needsGitCentral(let what): "\(what) needs a git mozilla-central; this clone is Mercurial"
        case let .noBranch(repository, path):
            "[[gecko]] \"\(repository)\" (\(path)) is a git repository with no branch: its clone needs the branch to fetch and push"
        }
    }
}
