/// Where Gecko's git commits and hg changesets are paired, for mirror setups (`[commit_map]`):
/// Lando's `git2hg`/`hg2git`. An export from git Gecko then also names the hg changeset
/// (`gecko-commit-hg:`), and a landing recognises a change exported from either side.
public struct CommitMapSettings: Sendable, Equatable {
    /// Lando's root, e.g. `https://lando.moz.tools`.
    public var landoURL: String
    /// The git repository's name in Lando's map (the last segment of its URL).
    public var repository: String

    /// The map at `landoURL`, for git repository `repository`.
    public init(landoURL: String, repository: String = "firefox") {
        self.landoURL = landoURL; self.repository = repository
    }
}
