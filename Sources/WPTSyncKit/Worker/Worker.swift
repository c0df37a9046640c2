import Foundation
import HookIntake
import Logging
import Remote
import Store
import SyncCore

/// What one drain of the journal did.
public struct DrainReport: Sendable, Equatable {
    public var processed: [Int64] = []
    public var failed: [Int64] = []
    /// Given back unfinished: the worker was asked to stop (the event is pending again) or lost its
    /// lease (another worker holds it).
    public var interrupted: [Int64] = []
    public var importedFromSpool = 0
    /// Set when the service is paused: nothing was claimed.
    public var paused: OperatorNote?
    /// Set while `migrate-store`'s marker holds this worker's store back: nothing was claimed.
    public var heldByStoreMigration = false
}

/// Drains the journal: claims due events one at a time, runs the handler for their kind, and
/// settles them. Several workers may drain one journal; leases, renewed while an event runs, keep
/// them off each other's events.
public final class Worker {
    public let journal: any EventJournal
    public let settings: WorkerSettings
    public let spool: Spool?
    public let identity: WorkerIdentity
    /// Where the pause flag lives; nil never pauses.
    public let operations: (any OperationsStore)?
    /// The journal's files, whose wake-up FIFO hooks ring after recording an event (`WakeBell`);
    /// nil only polls.
    public let store: StoreSettings?
    /// Cancelled for good by a stop request (SIGINT, SIGTERM), and for the event in hand when its
    /// lease is lost. The handlers' HTTP clients share it, so their waits end at once too.
    public let cancellation: Cancellation
    private var reportedPause: OperatorNote?
    private var reportedMigration = false
    private let handlers: [EventKind: any EventHandler]
    let periodic: [any PeriodicTask]
    var lastPeriodicRun: [Int: Date] = [:]
    var lastRecordedSuccess: [Int: Date] = [:]
    /// How often a periodic task's continued success is written to the store.
    static let periodicRecordSeconds = 60.0
    let logger: Logger
    /// What a failed event's stored error passes through.
    let redactor: Redactor
    public var now: () -> Date = { Date() }
    public var jitter: () -> Double = { Double.random(in: 0...1) }

    public init(journal: any EventJournal, settings: WorkerSettings, spool: Spool?,
                handlers: [EventKind: any EventHandler], periodic: [any PeriodicTask] = [], logger: Logger,
                redactor: Redactor, identity: WorkerIdentity = .current, operations: (any OperationsStore)? = nil,
                cancellation: Cancellation = Cancellation(), store: StoreSettings? = nil) {
        self.journal = journal; self.settings = settings; self.spool = spool; self.operations = operations; self.redactor = redactor
        self.store = store
        self.cancellation = cancellation
        self.handlers = handlers; self.periodic = periodic; self.logger = logger; self.identity = identity
    }

    /// Processes every event that is due now, then returns. While the service is paused it only
    /// imports the spool: events stay pending, with their attempts unchanged. While a store
    /// migration holds the store back it does nothing at all.
    public func drain() throws(StoreError) -> DrainReport {
        var report = DrainReport()
        if let spool { report.importedFromSpool = try spool.drain(into: journal) }
        // Whatever this store gets after `migrate-store` read it would be lost to the copy.
        if spool?.holdsBack() == true {
            if !reportedMigration { logger.notice("a store migration is under way (migrate-store's marker): events wait in the spool until the configuration names the copy") }
            reportedMigration = true
            report.heldByStoreMigration = true
            return report
        }
        reportedMigration = false
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
        while !cancellation.isStopRequested,
              let event = try journal.claimNext(worker: identity.name, now: now(), dueBy: started,
                                                leaseSeconds: settings.leaseSeconds, maxAttempts: settings.maxAttempts) {
            switch try run(event) {
            case .done: report.processed.append(event.id)
            case .failed: report.failed.append(event.id)
            case .interrupted: report.interrupted.append(event.id)
            }
        }
        if !cancellation.isStopRequested { runPeriodicTasks() }
        return report
    }

    /// Drains repeatedly until the worker is asked to stop (`cancellation`), waiting when idle until
    /// a hook rings the store's wake-up FIFO or `pollSeconds` pass. A journal locked by another process past its
    /// busy timeout is waited for and tried again (logged, with a backoff doubling up to
    /// `maxBusyWaitSeconds`); other store errors end the run.
    public func run() throws(StoreError) {
        let cancellation = cancellation
        let listener = store.flatMap { store in
            WakeListener.listen(at: store.wakePath, journal: store.path, logger: logger) { cancellation.wake() }
        }
        defer { listener?.stop() }
        if let store, listener != nil { logger.info("listening for hooks' wake-ups", metadata: ["fifo": "\(store.wakePath)"]) }
        let notified = (journal as? PostgresJournal).flatMap { postgres in
            do { return try PostgresListener(postgres.parameters) { cancellation.wake() } } catch {
                logger.warning("cannot LISTEN for recorded events; polling only", metadata: ["reason": "\(error)"])
                return nil
            }
        }
        defer { notified?.stop() }
        var busyAttempts = 0
        while !cancellation.isStopRequested {
            do {
                let report = try drain()
                if busyAttempts > 0 { logger.notice("the journal is writable again") }
                busyAttempts = 0
                if report.processed.isEmpty && report.failed.isEmpty && cancellation.waitForWork(for: settings.pollSeconds) {
                    logger.debug("woken by a hook")
                }
            } catch .busy(let path) {
                busyAttempts += 1
                waitForBusyJournal(path, attempt: busyAttempts)
            } catch .unavailable(let store, let reason) {
                busyAttempts += 1
                let delay = Backoff(baseSeconds: min(settings.pollSeconds, 1), maxSeconds: Self.maxBusyWaitSeconds).delay(afterAttempt: busyAttempts)
                logger.warning("the store cannot be reached; trying again", metadata: [
                    "store": "\(store)", "reason": "\(reason)", "retry_in_seconds": "\(String(format: "%.2f", delay))"])
                cancellation.wait(for: delay)
            }
        }
    }

    /// The longest wait between two tries of a locked journal.
    public static let maxBusyWaitSeconds = 30.0

    private func waitForBusyJournal(_ path: String, attempt: Int) {
        let delay = Backoff(baseSeconds: min(settings.pollSeconds, 1), maxSeconds: Self.maxBusyWaitSeconds).delay(afterAttempt: attempt)
        logger.warning("the journal is locked by another process; trying again", metadata: [
            "journal": "\(path)", "attempt": "\(attempt)", "retry_in_seconds": "\(String(format: "%.2f", delay))"])
        cancellation.wait(for: delay)
    }

    /// Runs `body`, waiting and trying again while the journal is locked, unless asked to stop.
    private func retryingBusy(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        var attempt = 0
        while true {
            do { return try body() } catch .busy(let path) {
                attempt += 1
                if cancellation.isStopRequested { throw .busy(path: path) }
                waitForBusyJournal(path, attempt: attempt)
            }
        }
    }

    private enum Outcome { case done, failed, interrupted }

    private func run(_ event: JournalEvent) throws(StoreError) -> Outcome {
        var metadata: Logger.Metadata = ["event": "\(event.id)", "kind": "\(event.kind.rawValue)",
                                         "repository": "\(event.repository)", "attempt": "\(event.attempts)"]
        guard let handler = handlers[event.kind] else {
            try retryingBusy { () throws(StoreError) in
                try journal.fail(id: event.id, worker: identity.name, error: "no handler for \(event.kind.rawValue) events", retryAt: nil, now: now())
            }
            logger.error("no handler for this kind of event", metadata: metadata)
            return .failed
        }
        logger.debug("processing", metadata: metadata)
        let heartbeat = LeaseHeartbeat(journal: journal, eventID: event.id, worker: identity.name,
                                       leaseSeconds: settings.leaseSeconds, cancellation: cancellation, logger: logger)
        let result: Result<String, any Error>
        do { result = .success(try handler.handle(event)) } catch { result = .failure(error) }
        heartbeat.stop()
        // Cleared here, so the periodic tasks and the next event run.
        if cancellation.takeLostLease() {
            logger.warning("stopped the event: another worker holds it now", metadata: metadata)
            return .interrupted
        }
        switch result {
        case .success(let summary):
            try retryingBusy { () throws(StoreError) in try journal.complete(id: event.id, worker: identity.name, now: now()) }
            logger.info("\(summary)", metadata: metadata)
            return .done
        case .failure(let error) where cancellation.isStopRequested:
            try retryingBusy { () throws(StoreError) in try journal.release(id: event.id, worker: identity.name, now: now()) }
            metadata["error"] = "\(redactor("\(error)"))"
            logger.notice("asked to stop: the event is pending again, this attempt not counted", metadata: metadata)
            return .interrupted
        case .failure(let error):
            try fail(event, error: error, metadata: metadata)
            return .failed
        }
    }

    /// Records a failed attempt: retried later with backoff, by hand once attempts are used up, and
    /// never automatically when the failure is permanent.
    private func fail(_ event: JournalEvent, error: any Error, metadata: Logger.Metadata) throws(StoreError) {
        var metadata = metadata
        let message = redactor("\(error)")
        metadata["error"] = "\(message)"
        if (error as? HandlerError)?.isPermanent == true {
            try retryingBusy { () throws(StoreError) in
                try journal.failPermanently(id: event.id, worker: identity.name, error: message, now: now())
            }
            metadata["retry"] = "never automatically: wptsync retry \(event.id), or wptsync events drop \(event.id) --reason …"
            logger.error("event failed for good; later events of its repository go ahead", metadata: metadata)
            return
        }
        let retryAt: Date? = event.attempts < settings.maxAttempts
            ? now().addingTimeInterval(settings.backoff.delay(afterAttempt: event.attempts, jitter: jitter()))
            : nil
        try retryingBusy { () throws(StoreError) in
            try journal.fail(id: event.id, worker: identity.name, error: message, retryAt: retryAt, now: now())
        }
        metadata["retry"] = "\(retryAt.map { "\($0)" } ?? "by hand: wptsync retry \(event.id)")"
        logger.warning("event failed", metadata: metadata)
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
