import SyncCore

extension GeckoRepository {
    /// The repository read as Gecko, as it is kept: Mercurial through its command server, or git
    /// through libgit2. `close()` it when done.
    public func openSource() throws -> any GeckoSource {
        kind == .git ? try GitGecko(path: path) : try HgRepository(path: path)
    }

    /// wptsync's own clone at `clonePath` (made when missing) of this repository, Mercurial or git
    /// as it is, fetched from and pushed to `url` (the repository itself by default). A git
    /// repository with no `branch` is refused, naming it, before anything is made.
    public func workspace(at clonePath: String, url: String? = nil) throws -> any TryWorkspace {
        let url = url ?? path
        guard kind == .git else { return HgLandingWorkspace(clone: try LandingClone(path: clonePath, source: url), url: url) }
        guard let branch else { throw ImportError.noBranch(repository: name, path: path) }
        return try GitLandingClone(path: clonePath, url: url, branch: branch)
    }
}
