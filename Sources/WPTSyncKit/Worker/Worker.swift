import Foundation
import HookIntake
import Logging
import Store
import SyncCore

/// What one drain of the journal did.
public struct DrainReport: Sendable, Equatable {
    public var processed: [Int64] = []
    public var failed: [Int64] = []
    public var importedFromSpool = 0
    /// Set when the service is paused: nothing was claimed.
    public var paused: OperatorNote?
}

/// Drains the journal: claims due events one at a time, runs the handler for their kind, and
/// settles them. Several workers may drain one journal; leases keep them off each other's events.
public final class Worker {
    public let journal: any EventJournal
    public let settings: WorkerSettings
    public let spool: Spool?
    public let identity: WorkerIdentity
    /// Where the pause flag lives; nil never pauses.
    public let operations: (any OperationsStore)?
    private var reportedPause: OperatorNote?
    private let handlers: [EventKind: any EventHandler]
    private let periodic: [any PeriodicTask]
    private var lastPeriodicRun: [Int: Date] = [:]
    private let logger: Logger
    /// What a failed event's stored error passes through.
    private let redactor: Redactor
    public var now: () -> Date = { Date() }
    public var jitter: () -> Double = { Double.random(in: 0...1) }

    public init(journal: any EventJournal, settings: WorkerSettings, spool: Spool?,
                handlers: [EventKind: any EventHandler], periodic: [any PeriodicTask] = [], logger: Logger,
                redactor: Redactor, identity: WorkerIdentity = .current, operations: (any OperationsStore)? = nil) {
        self.journal = journal; self.settings = settings; self.spool = spool; self.operations = operations; self.redactor = redactor
        self.handlers = handlers; self.periodic = periodic; self.logger = logger; self.identity = identity
    }

    /// Processes every event that is due now, then returns. While the service is paused it only
    /// imports the spool: events stay pending, with their attempts unchanged.
    public func drain() throws(StoreError) -> DrainReport {
        var report = DrainReport()
        if let spool { report.importedFromSpool = try spool.drain(into: journal) }
        try releaseDeadLeases()
        if let pause = try operations?.currentPause() {
            if pause != reportedPause { logger.notice("paused \(pause.text); events wait for `wptsync resume`") }
            reportedPause = pause
            report.paused = pause
            return report
        }
        if reportedPause != nil { logger.notice("resumed: processing the waiting events in order") }
        reportedPause = nil
        // Events that fail during this drain are due again only after it: one try per event per drain.
        let started = now()
        while let event = try journal.claimNext(worker: identity.name, now: now(), dueBy: started,
                                                leaseSeconds: settings.leaseSeconds, maxAttempts: settings.maxAttempts) {
            if try run(event) { report.processed.append(event.id) } else { report.failed.append(event.id) }
        }
        runPeriodicTasks()
        return report
    }

    /// Runs the periodic tasks that are due; a failing task is logged and tried at its next turn.
    private func runPeriodicTasks() {
        for (index, task) in periodic.enumerated() {
            if let last = lastPeriodicRun[index], now().timeIntervalSince(last) < task.interval { continue }
            lastPeriodicRun[index] = now()
            do {
                for line in try task.run() { logger.info("\(line)") }
            } catch {
                logger.warning("periodic task failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Drains repeatedly until `shouldStop` answers true, sleeping `pollSeconds` when idle.
    public func run(shouldStop: () -> Bool, sleep: (Double) -> Void) throws(StoreError) {
        while !shouldStop() {
            let report = try drain()
            if report.processed.isEmpty && report.failed.isEmpty { sleep(settings.pollSeconds) }
        }
    }

    private func run(_ event: JournalEvent) throws(StoreError) -> Bool {
        var metadata: Logger.Metadata = ["event": "\(event.id)", "kind": "\(event.kind.rawValue)",
                                         "repository": "\(event.repository)", "attempt": "\(event.attempts)"]
        guard let handler = handlers[event.kind] else {
            try journal.fail(id: event.id, worker: identity.name, error: "no handler for \(event.kind.rawValue) events", retryAt: nil, now: now())
            logger.error("no handler for this kind of event", metadata: metadata)
            return false
        }
        logger.debug("processing", metadata: metadata)
        do {
            let summary = try handler.handle(event)
            try journal.complete(id: event.id, worker: identity.name, now: now())
            logger.info("\(summary)", metadata: metadata)
            return true
        } catch {
            let message = redactor("\(error)")
            let retryAt: Date? = event.attempts < settings.maxAttempts
                ? now().addingTimeInterval(settings.backoff.delay(afterAttempt: event.attempts, jitter: jitter()))
                : nil
            try journal.fail(id: event.id, worker: identity.name, error: message, retryAt: retryAt, now: now())
            metadata["error"] = "\(message)"
            metadata["retry"] = "\(retryAt.map { "\($0)" } ?? "by hand: wptsync retry \(event.id)")"
            logger.warning("event failed", metadata: metadata)
            return false
        }
    }

    /// Frees events held by workers on this host whose process is gone (crashed or killed).
    private func releaseDeadLeases() throws(StoreError) {
        let dead = try journal.runningOwners().filter { owner in
            guard let other = WorkerIdentity(name: owner), other.host == identity.host, other.pid != identity.pid else { return false }
            return !other.isAlive
        }
        if try journal.releaseLeases(ownedBy: dead) > 0 {
            logger.notice("took back events from stopped workers", metadata: ["workers": "\(dead.joined(separator: ", "))"])
        }
    }
}

/// Names a worker as `host:pid`, so a worker can tell that another on the same host has died.
public struct WorkerIdentity: Sendable, Equatable {
    public var host: String
    public var pid: Int32

    public var name: String { "\(host):\(pid)" }

    public init(host: String, pid: Int32) { self.host = host; self.pid = pid }

    public init?(name: String) {
        guard let colon = name.lastIndex(of: ":"), let pid = Int32(name[name.index(after: colon)...]) else { return nil }
        self.init(host: String(name[..<colon]), pid: pid)
    }

    public static var current: WorkerIdentity {
        WorkerIdentity(host: ProcessInfo.processInfo.hostName, pid: getpid())
    }

    var isAlive: Bool { kill(pid, 0) == 0 || errno == EPERM }
}
