import Foundation
import Logging
import Remote
import RepoOps
import Store
import SyncCore

/// The handlers for each kind of event, and the periodic tasks, built from the configuration.
struct Handlers {
    var byKind: [EventKind: any EventHandler]
    var periodic: [any PeriodicTask]

    /// `cancellation` ends the handlers' waits (rate limits, retries) and stops their requests.
    /// What they find to do later (the reconciliation's deliveries) goes to `events`, the journal the worker claims from.
    static func make(config: Config,
                     store: any ServiceStore & LandingStore & DownstreamStore & DownstreamSyncStore & AutolandStore & PullRequestReconciler.Store,
                     events: any EventJournal, redactor: Redactor,
                     environment: [String: String] = ProcessInfo.processInfo.environment,
                     cancellation: Cancellation? = nil) throws -> Handlers {
        let upstream = try UpstreamSyncer.make(config: config, store: store, redactor: redactor, environment: environment,
                                               cancellation: cancellation)
        let landing = try LandingRunner.make(config: config, store: store, redactor: redactor, environment: environment,
                                             cancellation: cancellation)
        let autoland = try AutolandRunner.make(config: config, store: store, redactor: redactor, environment: environment,
                                               cancellation: cancellation)
        let hg = HgPushHandler(config: config, upstream: upstream, tracker: landing.map { LandingTracker(store: $0.store, prefixes: config.paths) },
                               tryPushes: TryPushIntake(settings: config.autoland, store: store, runner: autoland))
        let downstream = try DownstreamRunner.make(config: config, store: store, redactor: redactor, environment: environment,
                                                   cancellation: cancellation)
        let periodic: [any PeriodicTask] = (upstream == nil ? [] : [hg]) + (landing.map { [LandingRetry(runner: $0, hg: hg, marks: store)] } ?? [])
            + (downstream.map { [DownstreamResults(runner: $0)] } ?? []) + (autoland.map { [AutolandPoll(runner: $0)] + ($0.settings.isBatching ? [AutolandBatchTask(runner: $0)] : []) } ?? [])
            + (try PullRequestReconciliationTask.make(config: config, store: store, events: events, environment: environment, cancellation: cancellation))
        return Handlers(byKind: [.hgPush: hg, .gitPush: GitPushHandler(landing: landing, gecko: hg),
                                 .gitHubWebhook: DeliveryHandler(store: store, syncLabel: config.upstream.label, downstream: downstream)],
                        periodic: periodic)
    }
}

/// Work the worker does every `interval` seconds besides events.
public protocol PeriodicTask {
    /// What the store and `wptsync status` call it.
    var name: String { get }
    var interval: Double { get }
    /// Does the work; returns lines for the log.
    func run() throws -> [String]
}

/// Why a handler could not process an event.
public enum HandlerError: Error, CustomStringConvertible {
    case unknownRepository(String)
    case wrongPayload(expected: EventKind, got: EventKind)
    /// The push names revisions its repository does not have (stripped, or never there).
    case unknownRevision(repository: String, revisions: String)
    /// A recorded webhook delivery whose body cannot be read (`wptsync serve` checks it first, so
    /// only a delivery recorded by an older version could be).
    case unreadableDelivery(delivery: String, reason: String)

    /// Whether retrying cannot help: the event fails for good and holds nothing back.
    public var isPermanent: Bool {
        switch self {
        case .unknownRevision, .unreadableDelivery: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .unknownRevision(repository, revisions):
            "unknown revision: \(repository) has no changeset \(revisions), so the push cannot be read (not retried)"
        case .unknownRepository(let name): "repository \(name) is no longer in the configuration"
        case let .wrongPayload(expected, got): "a \(got.rawValue) event reached the \(expected.rawValue) handler"
        case let .unreadableDelivery(delivery, reason): "GitHub delivery \(delivery) cannot be read (not retried): \(reason)"
        }
    }
}

/// Reads the changesets of a Gecko push through the repository's command server (one long-lived
/// server per repository per worker), reports those touching wpt, and upstreams them when
/// upstreaming is configured (then moves the export's manifest cursor to the push's tip). A try
/// push only goes to `tryPushes`.
final class HgPushHandler: EventHandler, PeriodicTask {
    let config: Config
    let upstream: UpstreamSyncer?
    let tracker: LandingTracker?
    let tryPushes: TryPushIntake?
    let servers: HgServers

    init(config: Config, upstream: UpstreamSyncer?, tracker: LandingTracker?, tryPushes: TryPushIntake? = nil) {
        self.config = config; self.upstream = upstream; self.tracker = tracker; self.tryPushes = tryPushes
        servers = HgServers(config: config)
    }

    func handle(_ event: JournalEvent) throws -> String {
        guard case .hgPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .hgPush, got: event.kind) }
        guard let repository = config.geckoRepository(named: push.repository) else { throw HandlerError.unknownRepository(push.repository) }
        let hg = try servers.server(for: repository)
        let changesets: [HgChangeset]
        do {
            if repository.role == .try { return try tryPushes?.handle(push, hg: hg) ?? "push to \(push.repository): autoland is not configured" }
            changesets = try hg.changesets("\(push.firstNode):\(push.lastNode)")
        } catch let error as HgError {
            guard case .unknownRevision = error else { throw error }
            let range = push.firstNode == push.lastNode ? push.firstNode : "\(push.firstNode):\(push.lastNode)"
            throw HandlerError.unknownRevision(repository: push.repository, revisions: range)
        }
        return try process(changesets, pushedTo: repository) + advanceExportCursor(hg, to: push.lastNode)
    }

    /// With upstreaming configured, moves the export's kept manifest lines in `hg`'s command server
    /// (the one the exporter reads through) to the push's tip, so that the next export does not walk
    /// the Gecko-only changesets pushed meanwhile. At most one delta chain's walk; a failure only
    /// leaves that walk to the next export, so it never fails the event.
    private func advanceExportCursor(_ hg: HgRepository, to node: String) -> String {
        guard config.isUpstreaming else { return "" }
        do {
            _ = try UpstreamExporter.advanceCursor(in: hg, to: node, prefixes: config.paths)
            return ""
        } catch {
            return "\n  export cursor not moved to \(node.prefix(12)): \(error)"
        }
    }

    /// Reports the changesets of one push to `repository` (Mercurial or git) touching wpt,
    /// upstreams them and lets the landing tracker see them.
    func process(_ changesets: [HgChangeset], pushedTo repository: GeckoRepository) throws -> String {
        let touching = changesets.filter { !$0.isMerge && $0.files.contains { config.paths.isWPT($0.bytes) } }
        var summary = "push to \(repository.name): \(changesets.count) changeset(s), \(touching.count) touching \(config.paths.wpt)"
            + (touching.isEmpty ? "" : ": " + touching.map { String($0.node.prefix(12)) }.joined(separator: ", "))
        if let upstream {
            let notes = try upstream.handle(changesets, role: repository.role) { try self.servers.source(containing: $0, preferring: repository) }
            if !notes.isEmpty { summary += "\n  " + notes.joined(separator: "\n  ") }
        }
        if let notes = try tracker?.observe(changesets, role: repository.role), !notes.isEmpty {
            summary += "\n  " + notes.joined(separator: "\n  ")
        }
        return summary
    }

    var name: String { PeriodicTaskNames.upstreamRecheck }
    var interval: Double { config.upstream.recheckSeconds }

    func run() throws -> [String] {
        guard let upstream, let central = config.gecko.first(where: { $0.role == .central }) ?? config.gecko.first else { return [] }
        let notes = try upstream.recheckLanded(central: servers.history(of: central)) {
            try self.servers.source(containing: $0, preferring: central)
        }
        return notes + [servers.takeCounterpartNote()].compactMap { $0 }
    }
}

/// Ref updates of the wpt mirror: an update of master starts (or continues) a landing. Updates
/// of a git Gecko repository's branch go to `gecko`.
struct GitPushHandler: EventHandler {
    let landing: LandingRunner?
    let gecko: HgPushHandler

    func handle(_ event: JournalEvent) throws -> String {
        guard case .gitPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .gitPush, got: event.kind) }
        if let repository = gecko.config.geckoRepository(named: push.repository) { return try gecko.handle(push, pushedTo: repository) }
        var summary = "push to \(push.repository): " + push.updates.map { "\($0.ref) \($0.old.prefix(12))..\($0.new.prefix(12))" }.joined(separator: ", ")
        if let landing, push.updates.contains(where: { $0.ref == "refs/heads/master" }) {
            summary += "\n  " + (try landing.run()).joined(separator: "\n  ")
        }
        return summary
    }
}

/// Every `retry_seconds` (every `lando_poll_seconds` while a Lando job waits): tries a deferred
/// landing again and asks mozilla-central about pushed ones.
struct LandingRetry: PeriodicTask {
    let runner: LandingRunner
    let hg: HgPushHandler
    let marks: any RecheckMarkStore

    var name: String { PeriodicTaskNames.landingRetry }
    var interval: Double { runner.lando?.interval(runner.settings.retrySeconds) ?? runner.settings.retrySeconds }

    func run() throws -> [String] {
        var notes: [String] = []
        if let central = hg.config.gecko.first(where: { $0.role == .central }) {
            notes += try LandingTracker(store: runner.store, prefixes: runner.prefixes).recheck(central: hg.servers.history(of: central), marks: marks)
            notes += [hg.servers.takeCounterpartNote()].compactMap { $0 }
        }
        if try !runner.store.landings(statuses: [.deferred]).isEmpty || runner.waitsForMetadata { notes += try runner.run() }
        return notes
    }
}

/// The periodic tasks a configuration runs, without building them (no token needed): what
/// `wptsync status` expects to have run.
public enum PeriodicTaskNames {
    /// Re-checks landed PRs whose checks are pending (`upstream.recheck_seconds`).
    public static let upstreamRecheck = "upstream-recheck"
    /// Retries deferred landings and follows pushed ones to mozilla-central (`landing.retry_seconds`).
    public static let landingRetry = "landing-retry"
    /// Follows running try pushes of downstream syncs (`downstream.poll_seconds`).
    public static let downstreamResults = "downstream-results"

    /// Lists upstream PRs and records what the webhooks missed (`downstream.reconcile_seconds`).
    public static let pullRequestReconciliation = "pull-request-reconciliation"

    /// Checks autoland requests that wait (`autoland.poll_seconds`).
    public static let autoland = "autoland"
    /// Lands the approved autoland requests together (`autoland.batch_seconds`).
    public static let autolandBatch = "autoland-batch"

    private static func downstream(_ config: Config) -> [(name: String, interval: Double)] {
        guard let settings = config.downstream, settings.enabled else { return [] }
        let reconciles = settings.reconcileSeconds > 0 && config.github != nil
        return [(downstreamResults, settings.pollSeconds)] + (reconciles ? [(pullRequestReconciliation, settings.reconcileSeconds)] : [])
    }

    public static func configured(_ config: Config) -> [(name: String, interval: Double)] {
        (config.isUpstreaming ? [(upstreamRecheck, config.upstream.recheckSeconds)] : [])
            + (config.isLanding ? [(landingRetry, config.landing?.retrySeconds ?? 0)] : [])
            + downstream(config)
            + (config.autoland.map { [(autoland, $0.pollSeconds)] + ($0.isBatching ? [(autolandBatch, $0.batchSeconds)] : []) } ?? [])
    }
}
