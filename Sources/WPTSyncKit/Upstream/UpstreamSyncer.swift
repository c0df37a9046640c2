import Foundation
import Remote
import RepoOps
import Store
import SyncCore

/// The upstreaming side of a Gecko push: updates the syncs the push touches (pure rules in
/// `UpstreamPlanner`), then reconciles each of them with GitHub.
final class UpstreamSyncer {
    let store: any SyncStore
    let reconciler: UpstreamReconciler
    let prefixes: PathPrefixes

    init(store: any SyncStore, reconciler: UpstreamReconciler, prefixes: PathPrefixes) {
        self.store = store; self.reconciler = reconciler; self.prefixes = prefixes
    }

    /// Builds the syncer from the configuration, or nil when upstreaming is not configured.
    static func make(config: Config, store: any SyncStore, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UpstreamSyncer? {
        guard let github = config.github, let mirror = config.wpt, let upstreamURL = mirror.upstreamPushURL else { return nil }
        guard let repository = RepositoryName(github.repository) else { throw UpstreamError.notConfigured("github.repo as owner/name") }
        let token = try Self.token(github.token, environment: environment)
        let approver = try github.approverToken.map { try Self.token($0, environment: environment) }
        let client = GitHubClient(apiBaseURL: github.apiBaseURL, repository: repository, token: token)
        let credentials: RemoteCredentials = upstreamURL.hasPrefix("https://") ? .token(token.revealedValue)
            : (upstreamURL.hasPrefix("ssh://") || upstreamURL.contains("@") && !upstreamURL.contains("://")) ? .sshAgent() : .none
        let reconciler = UpstreamReconciler(
            store: store, github: client, approver: approver, mirror: try GitRepository.open(at: mirror.path),
            upstreamURL: upstreamURL, credentials: credentials, settings: config.upstream, prefixes: config.paths)
        return UpstreamSyncer(store: store, reconciler: reconciler, prefixes: config.paths)
    }

    static func token(_ source: SecretSource, environment: [String: String]) throws -> Token {
        switch source {
        case .environment(let name): try Token.fromEnvironment(name, environment: environment)
        case .file(let path): try Token.fromFile(path)
        }
    }

    /// Applies the push's changesets to the syncs and reconciles every sync holding one of them.
    func handle(_ changesets: [HgChangeset], role: GeckoRole, hg: HgRepository) throws -> [String] {
        let gecko = changesets.map {
            GeckoChangeset(node: $0.node, isMerge: $0.isMerge, description: $0.description, files: $0.files.map(\.bytes))
        }
        var bugs: [Int] = []
        var nodes = gecko.map(\.node)
        for changeset in gecko {
            switch changeset.kind(prefixes: prefixes) {
            case .wpt(let bug?): bugs.append(bug)
            case .backout(let backedOut): nodes += backedOut
            default: continue
            }
        }
        let outcome = UpstreamPlanner.apply(push: gecko, role: role, prefixes: prefixes,
                                            syncs: try store.syncs(relevantToBugs: bugs, nodePrefixes: nodes))
        for sync in outcome.changed { _ = try store.save(sync) }
        var touched = try store.syncs(relevantToBugs: [], nodePrefixes: nodes)
            .filter { sync in nodes.contains { sync.contains(nodePrefix: $0) } || sync.status == .needsFixup }
        // Upstream may have moved on since a conflict: every push retries syncs that need fixing.
        for index in touched.indices where touched[index].status == .needsFixup { touched[index].status = .open }
        var notes = outcome.notes
        for sync in touched {
            let after = try reconciler.reconcile(sync, hg: hg)
            notes.append(Self.describe(after))
        }
        return notes
    }

    /// Looks again at landed syncs waiting for checks or mergeability.
    func recheckLanded(hg: HgRepository) throws -> [String] {
        try store.syncs(bug: nil, status: .open).filter(\.isLanded).map { Self.describe(try reconciler.reconcile($0, hg: hg)) }
    }

    static func describe(_ sync: UpstreamSync) -> String {
        var text = "sync \(sync.id) \(sync.branch): \(sync.status.rawValue)"
        if let pr = sync.pullRequest { text += ", PR #\(pr)" }
        if let waiting = sync.waitingFor { text += ", waiting for \(waiting)" }
        return text
    }
}
