import RepoOps
import SyncCore

/// The Mercurial command servers of one process: one long-lived server per configured repository,
/// started on first use.
final class HgServers {
    let config: Config
    private var servers: [String: HgRepository] = [:]

    init(config: Config) { self.config = config }

    /// The server of `repository`.
    func server(for repository: GeckoRepository) throws -> HgRepository {
        if let open = servers[repository.name] { return open }
        let server = try HgRepository(path: repository.path)
        servers[repository.name] = server
        return server
    }

    /// The server of the first repository holding `node`, trying `preferred` first. Try
    /// repositories hold what anyone pushed, not what landed: never searched.
    func server(containing node: String, preferring preferred: GeckoRepository? = nil) throws -> HgRepository {
        let ordered = (preferred.map { [$0] } ?? []) + config.gecko.filter { $0.name != preferred?.name && $0.role != .try }
        for repository in ordered {
            let hg = try server(for: repository)
            if (try? hg.node(of: node)) != nil { return hg }
        }
        throw UpstreamError.changesetNotFound(node: node)
    }
}
