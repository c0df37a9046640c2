/// Everything that can go wrong while talking to Mercurial.
public enum HgError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `hg` executable could not be started.
    case hgNotFound(executable: String, reason: String)
    /// `path` is not the root of a Mercurial repository.
    case notARepository(path: String)
    /// `revision` names no changeset in `repository`.
    case unknownRevision(revision: String, repository: String)
    /// `path` does not exist in `revision`.
    case noSuchFile(path: HgPath, revision: String, repository: String)
    /// The command server exited or closed its pipes; `detail` is the end of its stderr.
    case serverDied(repository: String, detail: String)
    /// The command server sent something this client does not understand.
    case protocolError(repository: String, detail: String)
    /// The repository was used after `close()`.
    case closed(repository: String)
    /// A command ran but failed for another reason.
    case commandFailed(arguments: [String], status: Int32, stderr: String, repository: String)
    /// The changelog index of `repository` was not read directly (`ChangelogReader`), for `reason`.
    case changelogNotRead(repository: String, ChangelogDistrust)

    public var description: String {
        switch self {
        case let .hgNotFound(executable, reason):
            "Mercurial is not installed or cannot be started (\(executable)): \(reason)"
        case let .notARepository(path):
            "\(path) is not a Mercurial repository"
        case let .unknownRevision(revision, repository):
            "unknown revision '\(revision)' in Mercurial repository \(repository)"
        case let .noSuchFile(path, revision, repository):
            "no file \(path) in revision \(revision) of \(repository)"
        case let .serverDied(repository, detail):
            "the Mercurial command server for \(repository) died" + (detail.isEmpty ? "" : ": \(detail)")
        case let .protocolError(repository, detail):
            "unexpected reply from the Mercurial command server for \(repository): \(detail)"
        case let .closed(repository):
            "the Mercurial repository \(repository) was already closed"
        case let .commandFailed(arguments, status, stderr, repository):
            "hg \(arguments.joined(separator: " ")) in \(repository) exited with status \(status)"
                + (stderr.isEmpty ? "" : ": \(stderr)")
        case let .changelogNotRead(repository, reason):
            "the changelog of \(repository) was not read directly: \(reason)"
        }
    }
}
