import Foundation
import RepoOps
import Store
import SyncCore

/// The on-call commands: pause and resume, skip, delete, retry a sync. Each returns one line per
/// thing it changed, for the operator.
public struct Operations {
    public let app: Application
    var store: any EventJournal & RecordStore { app.journal }

    public init(app: Application) { self.app = app }

    /// Who runs the command, for operator notes: `$SUDO_USER`, then `$USER`. Anyone can set these:
    /// decisions that need a permission use `Application.realUser()`.
    public static func currentUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["SUDO_USER"] ?? environment["USER"] ?? "unknown"
    }

    // MARK: Pause

    /// Stops every worker from talking to GitHub; hooks keep recording.
    public func pause(_ note: OperatorNote) throws -> [String] {
        let (pause, added) = try store.pause(note)
        return [added ? "paused \(pause.text)" : "already paused \(pause.text); left as it was"]
    }

    /// Lifts the pause; the next worker pass processes the waiting events in order. Events that
    /// failed and wait for an automatic retry (most likely during the outage) are made due now.
    public func resume() throws -> [String] {
        guard let pause = try store.resume() else { return ["not paused: nothing to resume"] }
        let waiting = try app.events.events(state: .failed, limit: Int.max).filter { $0.nextAttemptAt != nil }.map(\.id)
        let retried = waiting.isEmpty ? [] : try app.events.retry(ids: waiting, now: Date())
        let pending = try app.events.counts()[.pending] ?? 0
        return ["resumed (was paused \(pause.text)); \(pending) event(s) to process"
                + (retried.isEmpty ? "" : ", of which failed and now due: \(retried.map(String.init).joined(separator: ", "))")]
    }

    /// `paused by … since …: reason`, or nil.
    public func pauseLine() throws -> String? {
        try store.currentPause().map { "service paused \($0.text) (events wait; `wptsync resume` continues)" }
    }

    // MARK: Delete

    /// Forgets a sync record (the PR stays); the next event touching its changesets rebuilds it.
    public func delete(syncID: Int64) throws -> [String] {
        guard let sync = try store.sync(id: syncID) else { throw ApplicationError.noSuchSync(syncID) }
        try store.deleteSync(id: syncID)
        let pr = sync.pullRequest.map { ", PR #\($0)" } ?? ""
        return ["deleted sync \(sync.id) (\(sync.branch)\(pr), \(sync.status.rawValue), \(sync.changesets.count) changeset(s));"
                + " the next push touching its changesets rebuilds it"]
    }

    // MARK: Retry a sync

    /// Makes the failed events holding the sync's changesets due now, and reconciles the sync with
    /// GitHub at once (a needs-fixup sync is tried again).
    public func retry(syncID: Int64) throws -> [String] {
        guard let sync = try store.sync(id: syncID) else { throw ApplicationError.noSuchSync(syncID) }
        if let pause = try store.currentPause() { throw ApplicationError.paused(pause) }
        let hgServers = HgServers(config: app.config)
        var touching: [Int64] = []
        // One revset per failed push: is any of the sync's nodes in its range? (No changeset is read.)
        let ofSync = sync.changesets.map { "id(\($0.node))" }.joined(separator: " + ")
        for event in try app.events.events(state: .failed, limit: Int.max) where !ofSync.isEmpty {
            guard case .hgPush(let push) = event.payload, let repository = app.config.geckoRepository(named: push.repository) else { continue }
            let hg = try hgServers.server(for: repository)
            if try !hg.nodes("(\(push.firstNode):\(push.lastNode)) and (\(ofSync))").isEmpty { touching.append(event.id) }
        }
        var lines: [String] = []
        let retried = touching.isEmpty ? [] : try app.events.retry(ids: touching, now: Date())
        if !retried.isEmpty { lines.append("will retry event(s) \(retried.map(String.init).joined(separator: ", "))") }
        let updated = try reconcile(sync, syncer: try syncer(), hgServers: hgServers, retryingConflict: true)
        lines.append("reconciled: " + SyncFormat.line(updated))
        return lines
    }

    // MARK: Skip

    /// Never exports `node` (12 to 40 hex digits of a changeset in a configured Gecko repository).
    /// A sync holding it is rebuilt without it, as for a partial backout, unless the service is paused.
    public func skip(changeset node: String, note: OperatorNote) throws -> [String] {
        let hgServers = HgServers(config: app.config)
        let full = try Self.resolve(node: node, in: hgServers)
        let (skip, added) = try store.skip(.changeset(full), note: note)
        var lines = [added ? "skipped changeset \(full) \(note.text)" : "changeset \(full) was already skipped \(skip.note.text)"]
        lines += try applySkips(around: full, hgServers: hgServers)
        return lines
    }

    /// Exports `node` again; a sync holding it is rebuilt with it.
    public func unskip(changeset node: String) throws -> [String] {
        let hgServers = HgServers(config: app.config)
        let full = try Self.resolve(node: node, in: hgServers)
        guard try store.unskip(.changeset(full)) != nil else { return ["changeset \(full) was not skipped"] }
        return ["changeset \(full) is no longer skipped"] + (try applySkips(around: full, hgServers: hgServers))
    }

    /// Never imports upstream PR `number`.
    public func skip(pr number: Int, note: OperatorNote) throws -> [String] {
        let (skip, added) = try store.skip(.pullRequest(number), note: note)
        return [added ? "skipped PR #\(number) \(note.text)" : "PR #\(number) was already skipped \(skip.note.text)"]
    }

    public func unskip(pr number: Int) throws -> [String] {
        try store.unskip(.pullRequest(number)) == nil ? ["PR #\(number) was not skipped"] : ["PR #\(number) is no longer skipped"]
    }

    /// One line per skip.
    public func skipLines() throws -> [String] {
        try store.skips().map { "\($0.target) skipped \($0.note.text)" }
    }

    /// Brings the syncs holding `node` in line with the skipped set and reconciles them (unless paused).
    private func applySkips(around node: String, hgServers: HgServers) throws -> [String] {
        let holding = try store.syncs(relevantToBugs: [], nodePrefixes: [node])
        var lines: [String] = []
        let pause = try store.currentPause()
        let changes = UpstreamPlanner.applySkips(try store.skippedChangesets(), to: holding)
        let syncer = changes.isEmpty || pause != nil ? nil : try syncer()
        for changed in changes {
            let saved = try store.save(changed)
            guard let syncer else {
                lines.append("sync \(saved.id) \(saved.branch) updated; the service is paused: after `wptsync resume`, "
                             + "`wptsync retry --sync \(saved.id)` updates its PR")
                continue
            }
            lines.append("updated: " + SyncFormat.line(try reconcile(saved, syncer: syncer, hgServers: hgServers, retryingConflict: false)))
        }
        return lines
    }

    /// The upstream syncer the configuration describes, or an error naming what is missing.
    func syncer() throws -> UpstreamSyncer {
        guard let syncer = try UpstreamSyncer.make(config: app.config, store: store, redactor: app.redactor) else {
            throw UpstreamError.notConfigured("[github] and [wpt] upstream_push_url")
        }
        return syncer
    }

    private func reconcile(_ sync: UpstreamSync, syncer: UpstreamSyncer, hgServers: HgServers, retryingConflict: Bool) throws -> UpstreamSync {
        let hg = try hgServers.source(containing: sync.activeNodes.first ?? sync.changesets.first?.node ?? "")
        return try syncer.reconciler.reconcile(sync, hg: hg, retryingConflict: retryingConflict)
    }

    static func resolve(node: String, in hgServers: HgServers) throws -> String {
        guard (12...40).contains(node.count), node.allSatisfy(\.isHexDigit) else { throw ApplicationError.invalidNode(node) }
        let hg: HgRepository
        do { hg = try hgServers.server(containing: node.lowercased()) } catch { throw ApplicationError.unknownNode(node) }
        return try hg.node(of: node.lowercased())
    }
}
