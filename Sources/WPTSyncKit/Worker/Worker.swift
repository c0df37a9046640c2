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
    let handlers: [EventKind: any EventHandler]
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

