import RepoOps
import SyncCore

extension UpstreamSyncer {
    /// Mirror setups (`[commit_map]`): for each node prefix the push's backouts name (and the
    /// backouts they back out, `backouts`), the same change's nodes in the other kind of Gecko,
    /// through Lando's commit map (`MirroredNodes`), for backouts naming a bug some sync is for.
    /// Empty without `[commit_map]`.
    func counterparts(of push: [GeckoChangeset], backouts: [String: [String]], in source: any GeckoSource) throws -> [String: [String]] {
        guard let map = reconciler.commitMap else { return [:] }
        var found: [String: [String]] = [:]
        for changeset in push {
            guard case .backout(let nodes) = changeset.kind(prefixes: prefixes) else { continue }
            let message = CommitMessage.parse(bytes: changeset.description)
            let bugs = Array(Set(message.bugs + (message.backout?.bugs ?? []) + (message.reverts?.bugs ?? []))).sorted()
            // Most backouts are of changes wptsync never synced: those ask Lando nothing, so an outage there holds up no push.
            guard try !store.syncs(relevantToBugs: bugs, nodePrefixes: []).isEmpty else { continue }
            for prefix in nodes + backouts.values.flatMap({ $0 }) where found[prefix] == nil {
                // A sync holding the node itself needs no other name (nor Lando).
                guard try store.syncs(relevantToBugs: [], nodePrefixes: [prefix]).isEmpty else { found[prefix] = []; continue }
                found[prefix] = try counterparts(of: prefix, bugs: bugs, source: source, map: map)
            }
        }
        return found.filter { !$0.value.isEmpty }
    }

    /// A prefix the pushed repository holds maps through its full node. One it does not hold names
    /// the other kind: a git hash maps through `git2hg` (Lando takes 7 to 40 digits), a full hg node
    /// through `hg2git`; an hg prefix (Lando maps full hg nodes only) is compared with the hg
    /// changesets of the git commits the syncs of the backout's bugs hold.
    private func counterparts(of prefix: String, bugs: [Int], source: any GeckoSource, map: GeckoCommitMap) throws -> [String] {
        if let node = try source.changeset(prefix: prefix)?.node {
            let other = source is GitGecko ? try map.hg(forGit: node) : try map.git(forHg: node)
            return other.map { [$0] } ?? []
        }
        if let hg = try map.hg(forGit: prefix) { return [hg] }
        if prefix.count == 40, let git = try map.git(forHg: prefix) { return [git] }
        var pairs: [String: String] = [:]
        for sync in try store.syncs(relevantToBugs: bugs, nodePrefixes: []) {
            for changeset in sync.changesets where pairs[changeset.node] == nil {
                if let hg = try map.hg(forGit: changeset.node) { pairs[changeset.node] = hg }
            }
        }
        return MirroredNodes.named(by: prefix, pairs: pairs)
    }
}
