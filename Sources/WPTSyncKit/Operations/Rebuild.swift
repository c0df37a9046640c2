import Foundation
import Remote
import RepoOps
import Store
import SyncCore

extension Operations {
    /// Recreates the upstream sync records from wptsync's pull requests on GitHub, cross-checked
    /// with the Gecko repositories (which changesets exist, which were backed out, which reached
    /// mozilla-central). A PR whose branch already has a record is left alone, so running it twice
    /// changes nothing.
    public func rebuild() throws -> [String] {
        let syncer = try syncer()
        let label = app.config.upstream.label
        let pulls = try syncer.reconciler.github.listPullRequests().map { pr in
            PullRequestFacts(number: pr.number, url: pr.htmlURL, branch: pr.head.ref,
                             state: pr.isMerged ? .merged : pr.state == .open ? .open : .closed,
                             body: pr.body ?? "", labels: pr.labelNames, head: pr.head.sha)
        }.filter { SyncRebuild.isSyncPullRequest($0, label: label) }.sorted { $0.number < $1.number }
        let known = Set(try store.syncs(bug: nil, status: nil).map(\.branch))
        let hgServers = HgServers(config: app.config)
        let repositories = try app.config.gecko.filter { $0.role != .try }.map { try hgServers.server(for: $0) }
        let central = try app.config.gecko.first { $0.role == .central }.map { try hgServers.server(for: $0) }
        // Each body is read once; a node counts as listed elsewhere when another PR lists it too.
        let listedBy = Dictionary(uniqueKeysWithValues: pulls.map { ($0.number, SyncRebuild.nodes(inBody: $0.body)) })
        let listings = listedBy.values.flatMap { Set($0) }.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        let newestByBug = pulls.reduce(into: [Int: Int]()) { newest, pr in
            if let bug = SyncRebuild.parse(branch: pr.branch)?.bug { newest[bug] = max(newest[bug] ?? 0, pr.number) }
        }
        var lines: [String] = []
        for pr in pulls {
            guard !known.contains(pr.branch) else {
                lines.append("PR #\(pr.number) \(pr.branch): kept the existing record")
                continue
            }
            let listed = listedBy[pr.number] ?? []
            let bug = SyncRebuild.parse(branch: pr.branch)?.bug
            // Gecko's history of the bug (or of the listed nodes): its changes and their backouts.
            let revset = bug.map { "desc('bug \($0)')" } ?? listed.map { "desc('\($0.prefix(12))')" }.joined(separator: " or ")
            let ofListed = listed.map { "id(\($0))" }.joined(separator: " + ")
            var history: [GeckoChangeset] = []
            var existing = Set<String>()
            for hg in repositories {
                let found = revset.isEmpty ? [] : try hg.changesets(revset)
                history += found.filter { changeset in !history.contains { $0.node == changeset.node } }.map(GeckoChangeset.init)
                if !ofListed.isEmpty { existing.formUnion(try hg.nodes(ofListed)) }
            }
            let candidates = existing.union(history.map(\.node)).map { "id(\($0))" }.joined(separator: " + ")
            let inCentral = Set(candidates.isEmpty ? [] : try central?.nodes(candidates) ?? [])
            let listedElsewhere = Set(listings.filter { node, count in count > (Set(listed).contains(node) ? 1 : 0) }.keys)
            let latest = bug.map { newestByBug[$0] == pr.number } ?? true
            let (changesets, notes) = SyncRebuild.changesets(
                for: pr, history: history, existing: existing, inCentral: inCentral,
                listedElsewhere: listedElsewhere,
                takesUnlisted: latest && pr.state != .merged, prefixes: app.config.paths)
            lines += notes
            guard let record = SyncRebuild.record(for: pr, changesets: changesets) else { continue }
            let saved = try store.save(record)
            lines.append("rebuilt " + SyncFormat.line(saved))
        }
        return lines.isEmpty ? ["no wptsync pull request on GitHub: nothing to rebuild"] : lines
    }
}
