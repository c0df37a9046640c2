import Foundation
import HookIntake
import Remote
import RepoOps
import Store
import SyncCore

/// `wptsync replay`: turns a revision range, a pushlog range or a wpt range into the events the
/// hooks would have recorded, records them in the journal and lets the worker process them.
/// Events already recorded are duplicates and are not processed again. A dry run records
/// nothing and prints what would be done.
public final class Replayer {
    let config: Config
    /// Where dry-run lines go.
    let output: (String) -> Void
    /// Reads pushlogs.
    var http = HTTPClient()
    lazy var servers = HgServers(config: config)

    public init(config: Config, output: @escaping (String) -> Void) {
        self.config = config; self.output = output
    }

    /// One event to record, and how to name it in dry-run lines.
    struct Item {
        var payload: EventPayload
        var label: String
    }

    /// Records and processes the events of `source`; `progress` is made once their number is known.
    /// Every input is checked before anything is recorded.
    public func run(_ source: ReplaySource, progress: (Int) -> ReplayProgress) throws -> ReplayReport {
        var report = ReplayReport()
        let items = try items(for: source, report: &report)
        let application = try Application(config: config)
        let worker = try application.worker()
        let bar = progress(items.count)
        for item in items {
            switch try application.events.record(item.payload, at: Date()) {
            case .duplicate:
                report.duplicates += 1
            case .recorded:
                report.recorded += 1
                let drained = try worker.drain()
                report.processed += drained.processed.count
                report.failed += drained.failed.count
            }
            bar.advance()
        }
        bar.finish()
        // Events recorded earlier but not yet processed (e.g. while no worker ran) are due too.
        let drained = try worker.drain()
        report.processed += drained.processed.count
        report.failed += drained.failed.count
        return report
    }

    /// Prints what `run` would do, changing nothing: the syncs created or changed and the PR
    /// actions implied for Gecko pushes, the commits in the range for wpt.
    public func dryRun(_ source: ReplaySource) throws -> ReplayReport {
        var report = ReplayReport()
        let items = try items(for: source, report: &report)
        // Without a journal nothing was recorded and there are no syncs; do not create one.
        let exists = config.store.postgres != nil || FileManager.default.fileExists(atPath: config.store.path)
        let journal = exists ? try Application.openStore(config) : nil
        let upstreaming = config.github != nil && config.wpt?.upstreamPushURL != nil
        if case .wpt(let old, let new) = source {
            let mirror = try GitRepository.open(at: try mirrorPath())
            let existing = try journal?.event(recording: items[0].payload)
            output("\(items[0].label): " + (existing.map { "already recorded as event #\($0.id) (\($0.state.rawValue))" } ?? "would be recorded"))
            try ImportPreview.describeImport(mirror: mirror, from: try mirror.resolve(old).hex, to: try mirror.resolve(new).hex,
                                             landing: config.landing, store: journal).forEach { output("  " + $0) }
            return report
        }
        if !upstreaming { output("upstreaming is not configured ([github] and [wpt] upstream_push_url): the worker would only read the changesets") }
        var dry = DryRun(prefixes: config.paths, skipped: try journal?.skippedChangesets() ?? [])
        for item in items {
            guard let repository = config.geckoRepository(named: item.payload.repository) else { continue }
            if let existing = try journal?.event(recording: item.payload) {
                report.duplicates += 1
                output("\(item.label): already recorded as event #\(existing.id) (\(existing.state.rawValue)): "
                       + (existing.state == .done ? "not processed again" : "the worker processes it as recorded"))
                continue
            }
            let changesets = try previewed(item.payload, in: repository)
            output(item.label + (item.label.hasPrefix("push ") ? "" : ": \(changesets.count) changeset(s)"))
            guard upstreaming, repository.role != .try else { continue }
            let backouts = try BackoutChain.resolve(push: changesets, prefixes: config.paths,
                                                    lookup: { [source = try servers.source(for: repository)] in try source.changeset(prefix: $0).map(GeckoChangeset.init) })
            let (bugs, nodes) = UpstreamPlanner.lookupKeys(push: changesets, prefixes: config.paths, backouts: backouts)
            let stored = try journal?.syncs(relevantToBugs: bugs, nodePrefixes: nodes) ?? []
            dry.apply(push: changesets, role: repository.role, stored: stored, backouts: backouts).forEach { output("  " + $0) }
        }
        return report
    }

    // MARK: Events of each source

    private func items(for source: ReplaySource, report: inout ReplayReport) throws -> [Item] {
        let items: [Item]
        switch source {
        case let .revisions(name, range): items = try revisionItems(repository(name), range: range)
        case let .pushes(name, ids): items = try pushItems(repository(name), ids: ids, report: &report)
        case let .wpt(old, new): items = [try wptItem(old: old, new: new)]
        }
        report.events = items.count
        return items
    }

    private func repository(_ name: String) throws -> GeckoRepository {
        guard let repository = config.geckoRepository(named: name) else {
            throw ApplicationError.unknownRepository(name: name, configured: config.gecko.map(\.name))
        }
        return repository
    }

    private func revisionItems(_ repository: GeckoRepository, range: String) throws -> [Item] {
        if repository.kind == .git { return [try gitRangeItem(repository, range: range)] }
        let server = try servers.server(for: repository)
        let nodes: [String]
        do {
            // `HIGH:LOW` lists newest first, but a backout must come after the change it backs out;
            // the null revision is no changeset.
            nodes = try server.nodes("sort((\(range)) - null, rev)")
        } catch {
            // Only now, to name the end that is no changeset.
            let ends = range.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            for (which, end) in zip(["start", "end"], ends) {
                do { _ = try server.node(of: end) } catch {
                    guard case .unknownRevision = error else { continue }
                    throw ApplicationError.unknownRangeEnd(option: "--revs", range: range, end: which, revision: end,
                                                           repository: repository.name, path: repository.path)
                }
            }
            throw ApplicationError.replaySource(context: "--revs \(range) in \(repository.name)", reason: "\(error)")
        }
        return nodes.map { node in
            Item(payload: .hgPush(HgPush(repository: repository.name, firstNode: node, lastNode: node, source: "replay")),
                 label: "changeset \(node.prefix(12))")
        }
    }

    private func pushItems(_ repository: GeckoRepository, ids: ClosedRange<Int>, report: inout ReplayReport) throws -> [Item] {
        guard let url = repository.url else { throw ApplicationError.noPushlogURL(repository: repository.name) }
        let client = PushlogClient(repositoryURL: url, http: http)
        var lastPushID = 0
        let pushes = try client.pushes(ids) { lastPushID = max(lastPushID, $0.lastPushID) }
        let received = Set(pushes.map(\.id))
        if let missing = ids.first(where: { !received.contains($0) }) {
            throw ApplicationError.pushNotInPushlog(id: missing, url: Redaction.url(client.url(.latest)), lastPushID: lastPushID)
        }
        try checkLocal(pushes, in: repository)
        var items: [Item] = []
        for push in pushes {
            guard let first = push.nodes.first, let last = push.nodes.last else { report.empty += 1; continue }
            items.append(Item(
                payload: .hgPush(HgPush(repository: repository.name, firstNode: first, lastNode: last, source: "replay",
                                        url: Redaction.url(url), user: push.user)),
                label: "push \(push.id) (\(push.nodes.count) changeset(s) by \(push.user))"))
        }
        return items
    }

    /// Fails, naming the first push whose first or last changeset the local repository lacks.
    /// One query per 200 pushes: `id()` answers only the nodes the repository has.
    private func checkLocal(_ pushes: [Push], in repository: GeckoRepository) throws {
        let hg = try servers.server(for: repository)
        for start in stride(from: 0, to: pushes.count, by: 200) {
            let batch = pushes[start..<min(start + 200, pushes.count)]
            let ends = batch.flatMap { [$0.nodes.first, $0.nodes.last].compactMap { $0 } }
            if ends.isEmpty { continue }
            let present = Set(try hg.nodes(ends.map { "id(\($0))" }.joined(separator: " + ")))
            for push in batch {
                if let node = [push.nodes.first, push.nodes.last].compactMap({ $0 }).first(where: { !present.contains($0.lowercased()) }) {
                    throw ApplicationError.pushNotLocal(id: push.id, node: node, path: repository.path)
                }
            }
        }
    }

    private func wptItem(old: String, new: String) throws -> Item {
        let mirror = try GitRepository.open(at: try mirrorPath())
        func commit(_ revision: String) throws -> String {
            do {
                return try mirror.resolve(revision + "^{commit}").hex
            } catch {
                throw ApplicationError.replaySource(context: "--wpt \(old)..\(new)", reason: "\(error)")
            }
        }
        let update = RefUpdate(old: try commit(old), new: try commit(new), ref: "refs/heads/master")
        return Item(payload: .gitPush(GitPush(repository: "wpt", updates: [update])),
                    label: "wpt \(update.ref) \(update.old.prefix(12))..\(update.new.prefix(12))")
    }

    private func mirrorPath() throws -> String {
        guard let mirror = config.wpt else { throw ApplicationError.noMirror }
        return mirror.path
    }
}
