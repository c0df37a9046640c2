import RepoOps
import SyncCore

/// The Gecko repositories one process reads: one long-lived Mercurial command server per hg
/// repository and one libgit2 handle per git repository, opened on first use.
final class HgServers {
    let config: Config
    private var servers: [String: HgRepository] = [:]
    private var gitRepositories: [String: GitGecko] = [:]
    /// Lando's commit map (`[commit_map]`), for a git central that hg changesets wait for.
    private lazy var commitMap = GeckoCommitMap.make(config)
    /// The hg changesets Lando had no git commit for (or failed on) at a central tip: asked again
    /// only once central moved.
    private var counterpartMisses: (tip: String, nodes: Set<String>)?
    /// Lando's first error since `takeCounterpartNote()` and how many changesets it failed on.
    private var counterpartFailure: (error: String, count: Int)?

    init(config: Config) { self.config = config }

    /// The server of `repository` (a Mercurial one).
    func server(for repository: GeckoRepository) throws -> HgRepository {
        if let open = servers[repository.name] { return open }
        guard repository.kind == .hg else { throw UpstreamError.notMercurial(repository: repository.name) }
        let server = try HgRepository(path: repository.path)
        servers[repository.name] = server
        return server
    }

    /// `repository` as the upstream side reads it, Mercurial or git.
    func source(for repository: GeckoRepository) throws -> any GeckoSource {
        repository.kind == .git ? try git(for: repository) : try server(for: repository)
    }

    /// `repository`, a git one, through libgit2.
    func git(for repository: GeckoRepository) throws -> GitGecko {
        if let open = gitRepositories[repository.name] { return open }
        let gecko = try GitGecko(path: repository.path)
        gitRepositories[repository.name] = gecko
        return gecko
    }

    /// What a re-check reads of `repository` as central: its changelog file and command server,
    /// or its git branch through libgit2; each opened only when asked.
    func history(of repository: GeckoRepository) -> any CentralHistory {
        guard repository.kind == .git else { return HgCentral(path: repository.path) { try self.server(for: repository) } }
        var central = GitCentral(repository: { try self.git(for: repository) }, branch: repository.branch ?? "HEAD")
        if config.gecko.contains(where: { $0.kind == .hg }), let map = commitMap {
            central.counterpart = { self.counterpart(of: $0, centralTip: $1, map: map) }
        }
        return central
    }

    /// The git commit of hg changeset `node` per Lando, asked once per central tip; an error counts
    /// as no commit yet and is kept for `takeCounterpartNote()`.
    func counterpart(of node: String, centralTip tip: String, map: GeckoCommitMap) -> String? {
        if counterpartMisses?.tip != tip { counterpartMisses = (tip, []) }
        guard counterpartMisses?.nodes.contains(node) != true else { return nil }
        do {
            if let commit = try map.git(forHg: node) { return commit }
        } catch {
            counterpartFailure = (counterpartFailure?.error ?? "\(error)", (counterpartFailure?.count ?? 0) + 1)
        }
        counterpartMisses?.nodes.insert(node)
        return nil
    }

    /// One line on Lando's errors since the last call, for the re-check's notes; nil when none.
    func takeCounterpartNote() -> String? {
        defer { counterpartFailure = nil }
        return counterpartFailure.map {
            "Lando's commit map failed for \($0.count) hg changeset(s) waiting for central, counted as not arrived: \($0.error)"
        }
    }

    /// The server of the first Mercurial repository holding `node`, trying `preferred` first.
    func server(containing node: String, preferring preferred: GeckoRepository? = nil) throws -> HgRepository {
        for repository in searched(preferring: preferred) where repository.kind == .hg {
            let hg = try server(for: repository)
            if hg.holds(node) { return hg }
        }
        throw UpstreamError.changesetNotFound(node: node)
    }

    /// The first repository, of either kind, holding `node`, trying `preferred` first.
    func source(containing node: String, preferring preferred: GeckoRepository? = nil) throws -> any GeckoSource {
        for repository in searched(preferring: preferred) {
            let source = try source(for: repository)
            if source.holds(node) { return source }
        }
        throw UpstreamError.changesetNotFound(node: node)
    }

    /// `preferred`, then the other repositories. Try repositories hold what anyone pushed, not
    /// what landed: never searched.
    private func searched(preferring preferred: GeckoRepository?) -> [GeckoRepository] {
        (preferred.map { [$0] } ?? []) + config.gecko.filter { $0.name != preferred?.name && $0.role != .try }
    }
}
