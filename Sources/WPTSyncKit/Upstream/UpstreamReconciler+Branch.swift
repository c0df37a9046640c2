import Remote
import RepoOps
import SyncCore

/// How a sync's branch is built: new changesets are appended onto the branch as it is upstream
/// (its commits, approvals and a person's fixes survive); it is rebuilt on master only when the
/// exported changesets are not a prefix of the wanted ones, and never over a person's commits.
extension UpstreamReconciler {
    /// Makes the sync's head hold `nodes` (sets `head`, `exportedNodes`, `base`, `syncPoint`), on
    /// `current`, the branch's head upstream (nil: none, or not the sync's). `rebuild` builds it
    /// afresh on master even when it could be appended to; `head` and `exportedNodes` change only
    /// once the new branch is built. False when the sync now waits: a conflict, a person's commits
    /// a rebuild would drop, or no wpt content left (then it is closed).
    func buildBranch(_ sync: inout UpstreamSync, nodes: [String], current: Oid?, rebuild: Bool, hg: any GeckoSource) throws -> Bool {
        var exporter = UpstreamExporter(gecko: hg, git: mirror, prefixes: prefixes, bugzillaURL: settings.bugzillaURL)
        // Best effort: without an answer the export only names the git commit, and still counts as wptsync's own.
        if hg is GitGecko, let commitMap { exporter.hgNode = { try? commitMap.hg(forGit: $0) } }
        if !rebuild, let current, let appended = BranchPlan.appended(exported: sync.exportedNodes, wanted: nodes, head: sync.head),
           // An export pushed before a crash whose changeset is no longer wanted (backed out since)
           // must not stay on the branch: it is rebuilt instead.
           case let onBranch = try exportedNodes(on: current, since: sync.head, sync: sync, hg: hg), onBranch.isSubset(of: appended) {
            switch try exportAll(appended.filter { !onBranch.contains($0) }, onto: current, with: exporter) {
            case .conflict(let node, let files):
                markConflict(&sync, node: node, files: files)
                return false
            case .built(let tip):
                sync.exportedNodes = nodes
                sync.head = tip.hex
                sync.conflict = nil
                return true
            }
        }

        let master = try fetchUpstreamMaster()
        if let current {
            // Built afresh, the branch keeps nothing below its head: only master and the base are wptsync's.
            let foreign = try peoplesCommits(on: current, sync: sync, keepingHead: !rebuild, hg: hg)
            if !foreign.isEmpty {
                sync.status = .needsFixup
                sync.waitingFor = "a person: branch \(sync.branch) holds \(foreign.count) commit(s) wptsync did not write"
                    + " (\(foreign.map { String($0.hex.prefix(12)) }.joined(separator: ", "))), which rebuilding it for changesets"
                    + " \(nodes.map { String($0.prefix(12)) }.joined(separator: ", ")) would drop: make the branch hold what should"
                    + " land, then `wptsync continue upstream \(sync.id)`"
                return false
            }
        }
        var built = try exportAll(nodes, onto: master, with: exporter)
        var syncPoint: Oid?
        if case .conflict = built, settings.onConflict == .openFromSyncPoint, let point = try syncPointCommit(before: nodes[0], hg: hg),
           point != master, case .built(let tip) = try exportAll(nodes, onto: point, with: exporter) {
            built = .built(tip)
            syncPoint = point
        }
        switch built {
        case .conflict(let node, let files):
            markConflict(&sync, node: node, files: files)
            return false
        case .built(let tip) where tip == (syncPoint ?? master):
            try close(&sync, hg: hg)
            sync.waitingFor = "nothing to upstream: the changesets have no wpt content left"
            return false
        case .built(let tip):
            sync.base = (syncPoint ?? master).hex
            sync.syncPoint = syncPoint?.hex
            sync.exportedNodes = nodes
            sync.head = tip.hex
            sync.conflict = nil
            return true
        }
    }

    /// When the PR's head is not the head wptsync last pushed because a person added commits,
    /// takes the branch as it is (they are never pushed over); a head that only differs by
    /// wptsync's own exports (a push before a crash) is left for the push to settle.
    /// `fetched`: the branch's head as `publish` fetched it already, if it did.
    func keepPeoplesCommits(_ sync: inout UpstreamSync, pullRequest: PullRequest?, fetched: Oid?, hg: any GeckoSource) throws {
        guard let pr = pullRequest, pr.state == .open, !pr.isMerged, let head = sync.head, pr.head.sha != head,
              let current = try fetched ?? currentHead(of: sync.branch), current.hex != head,
              !(try peoplesCommits(on: current, sync: sync, hg: hg).isEmpty) else { return }
        sync.head = current.hex
    }

    /// `" (…)"` for a sync whose branch was built on the sync point, for `waitingFor`.
    static func syncPointNote(_ sync: UpstreamSync) -> String {
        guard let point = sync.syncPoint else { return "" }
        return "; the PR was opened from the sync point \(point.prefix(12)) and conflicts with master: resolve it on GitHub"
    }

    /// Upstream master now, fetched into `upstreamMaster` from `masterURL` (a fork's lags upstream's).
    func fetchUpstreamMaster() throws -> Oid {
        try mirror.fetch(from: masterURL ?? upstreamURL, refspecs: ["+refs/heads/master:\(Self.upstreamMaster)"], credentials: credentials)
        return try mirror.resolve(Self.upstreamMaster)
    }

    /// The head of `branch` upstream now (fetched into the mirror), nil when there is no such branch.
    func currentHead(of branch: String) throws -> Oid? {
        let local = "refs/wptsync/current/\(branch)"
        try mirror.deleteReference(local)
        try mirror.fetch(from: upstreamURL, refspecs: ["+refs/heads/\(branch):\(local)"], credentials: credentials)
        return try mirror.referenceTarget(local)
    }

    private enum Built { case built(Oid), conflict(node: String, files: [String]) }

    private func exportAll(_ nodes: [String], onto base: Oid, with exporter: UpstreamExporter) throws -> Built {
        var tip = base
        for node in nodes {
            let built = try export(node, onto: tip, with: exporter)
            guard case .built(let next) = built else { return built }
            tip = next
        }
        return .built(tip)
    }

    /// The commit of `node` on `tip` (`tip` itself when it changes nothing), or its conflict.
    private func export(_ node: String, onto tip: Oid, with exporter: UpstreamExporter) throws -> Built {
        switch try exporter.export(node: node, onto: tip) {
        case .exported(let commit): .built(commit.commit)
        case .empty: .built(tip)
        case .conflict(let files): .conflict(node: node, files: files)
        }
    }

    private func markConflict(_ sync: inout UpstreamSync, node: String, files: [String]) {
        sync.status = .needsFixup
        sync.conflict = SyncConflict(node: node, files: files)
        sync.waitingFor = "a person to fix branch \(sync.branch), then `wptsync continue upstream \(sync.id)`"
    }

    /// The sync's changesets whose exact export is on `current` after `since` (pushed before a crash
    /// left the record behind).
    private func exportedNodes(on current: Oid, since: String?, sync: UpstreamSync, hg: any GeckoSource) throws -> Set<String> {
        guard let since, let old = try? Oid(hex: since), mirror.contains(old), old != current else { return [] }
        var nodes = Set<String>()
        for oid in try mirror.commits(from: [current], hiding: [old]) {
            let commit = try mirror.commit(oid)
            let message = String(decoding: commit.message, as: UTF8.self)
            if let node = BranchClaim.exportedNode(message: message), try isExport(commit, message: message, of: sync, hg: hg) {
                nodes.insert(node)
            }
        }
        return nodes
    }

    /// Commits on `current` that wptsync did not write: neither on master, nor below the base (and,
    /// `keepingHead`, the head) it last pushed, nor its exact export of one of the sync's changesets.
    private func peoplesCommits(on current: Oid, sync: UpstreamSync, keepingHead: Bool = true, hg: any GeckoSource) throws -> [Oid] {
        let known = [keepingHead ? sync.head : nil, sync.base].compactMap { $0.flatMap { try? Oid(hex: $0) } }.filter { mirror.contains($0) }
        let master = try mirror.referenceTarget(Self.upstreamMaster)
        var foreign: [Oid] = []
        for oid in try mirror.commits(from: [current], hiding: known + (master.map { [$0] } ?? [])) {
            let commit = try mirror.commit(oid)
            let message = String(decoding: commit.message, as: UTF8.self)
            if try !isExport(commit, message: message, of: sync, hg: hg) { foreign.append(oid) }
        }
        return foreign
    }

    /// The upstream commit Gecko's wpt matched when `node` was written: `upstream:` in
    /// `<meta>/mozilla-sync` at its first parent (the file landings write), when the mirror has it.
    private func syncPointCommit(before node: String, hg: any GeckoSource) throws -> Oid? {
        guard let parent = try hg.changeset(node).parents.first else { return nil }
        let file = try hg.files(at: parent, paths: [HgPath(bytes: Array("\(prefixes.meta)/mozilla-sync".utf8))])
        guard let data = file.values.first?.data, let sha = LandingText.upstream(inSyncPointFile: data),
              let oid = try? Oid(hex: sha), mirror.contains(oid) else { return nil }
        return oid
    }
}
