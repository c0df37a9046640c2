import Foundation
import Remote
import RepoOps
import Store
import SyncCore

extension GeckoChangeset {
    /// What the upstream rules need of a Mercurial changeset.
    init(_ changeset: HgChangeset) {
        self.init(node: changeset.node, isMerge: changeset.isMerge, description: changeset.description, files: changeset.files.map(\.bytes))
    }
}

/// The upstreaming side of a Gecko push: updates the syncs the push touches (pure rules in
/// `UpstreamPlanner`), then reconciles each of them with GitHub.
final class UpstreamSyncer {
    let store: any ServiceStore
    let reconciler: UpstreamReconciler
    let prefixes: PathPrefixes

    init(store: any ServiceStore, reconciler: UpstreamReconciler, prefixes: PathPrefixes) {
        self.store = store; self.reconciler = reconciler; self.prefixes = prefixes
    }

    /// Builds the syncer from the configuration, or nil when upstreaming is not configured.
    static func make(config: Config, store: any ServiceStore, redactor: Redactor,
                     environment: [String: String] = ProcessInfo.processInfo.environment,
                     cancellation: Cancellation? = nil) throws -> UpstreamSyncer? {
        guard config.isUpstreaming, let github = config.github, let mirror = config.wpt, let upstreamURL = mirror.upstreamPushURL,
              var client = try GitHubSetup.client(config, environment: environment, cancellation: cancellation) else { return nil }
        client.headOwner = config.pullRequestHeadOwner
        let token = try GitHubSetup.token(github.token, environment: environment)
        let approver = try GitHubSetup.approver(github, environment: environment)
        let credentials: RemoteCredentials = upstreamURL.hasPrefix("https://") ? .token(token.revealedValue)
            : (upstreamURL.hasPrefix("ssh://") || upstreamURL.contains("@") && !upstreamURL.contains("://")) ? .sshAgent() : .none
        let reconciler = UpstreamReconciler(
            store: store, github: client, approver: approver, mirror: try GitRepository.open(at: mirror.path, locks: .wptMirror),
            upstreamURL: upstreamURL, credentials: credentials, settings: config.upstream, prefixes: config.paths, redactor: redactor)
        // A fork's master lags upstream's: branches are built on the master `fetch_url` names (required then).
        reconciler.masterURL = reconciler.pushesToFork ? mirror.fetchURL : nil
        reconciler.commitMap = GeckoCommitMap.make(config, cancellation: cancellation)
        return UpstreamSyncer(store: store, reconciler: reconciler, prefixes: config.paths)
    }

    /// Applies the push's changesets to the syncs, then reconciles every sync holding one of them,
    /// and retries the syncs that need fixing (upstream may have moved on). `hgFor` opens the
    /// repository holding a node. One sync's failure does not stop the others; the first is
    /// rethrown at the end so the event is retried.
    func handle(_ changesets: [HgChangeset], role: GeckoRole, hgFor: (String) throws -> any GeckoSource) throws -> [String] {
        let gecko = changesets.map(GeckoChangeset.init)
        let source = try gecko.first.map { try hgFor($0.node) }
        let backouts = try source.map { source in
            try BackoutChain.resolve(push: gecko, prefixes: prefixes, lookup: { prefix in try source.changeset(prefix: prefix).map(GeckoChangeset.init) })
        } ?? [:]
        let counterparts = try source.map { try self.counterparts(of: gecko, backouts: backouts, in: $0) } ?? [:]
        let (bugs, nodes) = UpstreamPlanner.lookupKeys(push: gecko, prefixes: prefixes, backouts: backouts, counterparts: counterparts)
        let outcome = UpstreamPlanner.apply(push: gecko, role: role, prefixes: prefixes,
                                            syncs: try store.syncs(relevantToBugs: bugs, nodePrefixes: nodes),
                                            skipped: try store.skippedChangesets(), backouts: backouts, counterparts: counterparts)
        for sync in outcome.changed { _ = try store.save(sync) }
        let holding = try store.syncs(relevantToBugs: [], nodePrefixes: nodes)
        let stuck = try store.syncs(bug: nil, status: .needsFixup).filter { sync in !holding.contains { $0.id == sync.id } }
        return outcome.notes + (try reconcileEach(holding + stuck, hgFor: hgFor) { $0.status == .needsFixup })
    }

    /// Asks mozilla-central (`central`, Mercurial or a git branch) whether open syncs' changesets arrived, in case its hook's
    /// event was lost (one revset, and none when central and the syncs did not change since the
    /// last time), then looks again at landed syncs waiting for checks or mergeability, and at
    /// revert PRs (merged: the sync is `reverted`). When the last pass had nothing to watch and
    /// neither central (its changelog file, or its git branch's tip) nor any sync changed since, it reads nothing more.
    func recheckLanded(central: any CentralHistory, hgFor: (String) throws -> any GeckoSource) throws -> [String] {
        // Read before the pass: a change made meanwhile makes the next pass a full one.
        // Without a stamp (no readable changelog file, no branch) nothing can be known unchanged.
        let stamp = central.stamp(), generation = try store.syncsGeneration()
        let unchanged = stamp.map { "\($0) \(generation)" }
        if let unchanged, try store.recheckMark(Self.idlePass) == unchanged { return [] }
        if let stamp, try skipAfterCentralOnlyMoved(central: central, stamp: stamp, generation: generation) { return [] }
        var open = try store.syncs(bug: nil, status: .open)
        let pending = Set(open.filter { !$0.isLanded }.flatMap { $0.changesets.filter { !$0.inCentral }.map { $0.node.lowercased() } })
        try CentralRecheck(marks: store, central: central, task: Self.recheckTask).run(pending: pending) { arrived in
            for index in open.indices where !open[index].isLanded {
                var changed = false
                for c in open[index].changesets.indices where arrived.contains(open[index].changesets[c].node.lowercased()) {
                    open[index].changesets[c].inCentral = true
                    changed = true
                }
                if changed { open[index] = try store.save(open[index]) }
            }
        }
        let reverting = try store.syncs(bug: nil, status: .backedOutAfterMerge).filter { $0.revertPullRequest != nil }
        let watched = open.filter(\.isLanded) + reverting
        // Nothing to poll on GitHub: until central or a sync changes, the next pass has nothing to learn.
        if watched.isEmpty, let unchanged { try store.setRecheckMark(Self.idlePass, to: unchanged) }
        return try reconcileEach(watched, hgFor: hgFor) { _ in false }
    }

    /// The mark of a pass that found nothing to watch: central's stamp and the syncs' generation.
    static let idlePass = "upstream-idle-pass"

    private func reconcileEach(_ syncs: [UpstreamSync], hgFor: (String) throws -> any GeckoSource,
                               retryingConflict: (UpstreamSync) -> Bool) throws -> [String] {
        var notes: [String] = []
        var firstError: (any Error)?
        for sync in syncs {
            do {
                let hg = try hgFor(sync.activeNodes.first ?? sync.changesets.first?.node ?? "")
                notes.append(SyncFormat.line(try reconciler.reconcile(sync, hg: hg, retryingConflict: retryingConflict(sync))))
            } catch {
                notes.append("sync \(sync.id) \(sync.branch): \(error)")
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return notes
    }
}
