import Foundation
import SyncCore

/// The state of an event in the journal.
public enum EventState: String, Sendable, Codable, CaseIterable {
    /// Waiting to be processed.
    case pending
    /// Claimed by a worker, whose lease has not expired.
    case running
    /// Processed.
    case done
    /// The last attempt failed: retried at `nextAttemptAt`, or, once attempts are used up or when the
    /// failure is permanent, only by hand.
    case failed
    /// Set aside by an operator (`wptsync events drop`): never processed, holds nothing back.
    case dropped
}

/// One recorded event, as stored.
public struct JournalEvent: Sendable, Equatable {
    public var id: Int64
    public var payload: EventPayload
    public var state: EventState
    public var attempts: Int
    public var receivedAt: Date
    /// When the event may next be tried; nil for a failed event that waits for a manual retry.
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var leaseOwner: String?
    public var leaseUntil: Date?
    public var finishedAt: Date?
    /// The failure cannot go away by retrying (e.g. the push names a revision that does not exist):
    /// the event was not retried and holds nothing back.
    public var permanent = false
    /// Who dropped the event, when and why.
    public var dropped: OperatorNote?

    public var kind: EventKind { payload.kind }
    public var repository: String { payload.repository }
}

/// Whether `record` stored a new event or found the same push already recorded.
public enum RecordOutcome: Sendable, Equatable {
    case recorded(id: Int64)
    case duplicate(id: Int64)

    /// Whether a new event was stored.
    public var isRecorded: Bool { if case .recorded = self { true } else { false } }
}

/// The durable event journal: hooks append, workers claim, process and settle events.
///
/// Claiming hands an event to one worker at a time under a lease; a worker that dies leaves its
/// event to be claimed again once the lease expires or its process is known to be gone.
/// Events of one repository are processed one at a time, in order of arrival: a later event waits
/// while an earlier one is pending, running or waiting to be retried; only one that gave up
/// (failed with no retry left, or permanently) or was dropped stops holding the others back.
public protocol EventJournal: Sendable {
    /// Appends `payload` unless the same push (same dedupe key) is already recorded.
    func record(_ payload: EventPayload, at now: Date) throws(StoreError) -> RecordOutcome
    /// Records several events in one transaction, in order, each unless already recorded (a payload
    /// repeated within `payloads` is recorded once).
    func record(_ payloads: [EventPayload], at now: Date) throws(StoreError) -> [RecordOutcome]
    /// Claims the oldest event due by `dueBy` whose repository has no earlier unfinished event, and counts
    /// the attempt; its lease runs from `now`. An event whose worker died during its last allowed
    /// attempt is marked failed instead.
    func claimNext(worker: String, now: Date, dueBy: Date, leaseSeconds: Double, maxAttempts: Int) throws(StoreError) -> JournalEvent?
    /// Marks a claimed event done. Does nothing if the worker no longer holds the lease.
    func complete(id: Int64, worker: String, now: Date) throws(StoreError)
    /// Records a failed attempt; the event is retried at `retryAt`, or never automatically when nil.
    func fail(id: Int64, worker: String, error: String, retryAt: Date?, now: Date) throws(StoreError)
    /// Fails a claimed event for good: it is not retried automatically and no longer holds back
    /// later events of its repository. Does nothing if the worker no longer holds the lease.
    func failPermanently(id: Int64, worker: String, error: String, now: Date) throws(StoreError)
    /// Extends the lease of a claimed event to `until`; false when `worker` no longer holds it.
    func renewLease(id: Int64, worker: String, until: Date) throws(StoreError) -> Bool
    /// Gives a claimed event back unprocessed (the worker is stopping): pending again, due now, and
    /// the attempt it was claimed for not counted. Does nothing if the worker no longer holds the lease.
    func release(id: Int64, worker: String, now: Date) throws(StoreError)
    /// Sets a pending or failed event aside for good, with who dropped it, when and why.
    func drop(id: Int64, note: OperatorNote) throws(StoreError) -> DropOutcome
    /// Makes events running under the given owners claimable again (their processes are gone).
    func releaseLeases(ownedBy owners: [String]) throws(StoreError) -> Int
    /// The owners of currently running events.
    func runningOwners() throws(StoreError) -> [String]
    /// Events, newest first, optionally only those in `state`.
    func events(state: EventState?, limit: Int) throws(StoreError) -> [JournalEvent]
    /// One event by id.
    func event(id: Int64) throws(StoreError) -> JournalEvent?
    /// The event recorded for this push (same dedupe key), if any; records nothing.
    func event(recording payload: EventPayload) throws(StoreError) -> JournalEvent?
    /// Makes failed events (all, or those with the given ids) due now with a fresh attempt count.
    /// An id with no event is `noSuchEvent`, and nothing changes.
    func retry(ids: [Int64]?, now: Date) throws(StoreError) -> [Int64]
    /// How many events are in each state.
    func counts() throws(StoreError) -> [EventState: Int]
}

/// What `drop` did.
public enum DropOutcome: Sendable, Equatable {
    case dropped(JournalEvent)
    /// It had been dropped before; nothing changed.
    case alreadyDropped(JournalEvent)
}

/// Errors of the store. Each names the database and what failed.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case open(path: String, reason: String)
    case busy(path: String)
    case query(path: String, reason: String)
    case corruptRecord(id: Int64, reason: String)
    case spool(path: String, reason: String)
    case staleRecord(id: Int64)
    case noSuchEvent(id: Int64)
    /// The event is in a state that does not allow the operation; `reason` says why.
    case eventNotChangeable(id: Int64, reason: String)
    /// A read-only command found no journal at `path`; it creates none.
    case noJournal(path: String)
    /// A stored compressed value (`what`) that cannot be expanded.
    case corruptBlob(what: String, reason: String)
    /// The PostgreSQL server at `store` (a URL without password) cannot be reached or went away.
    case unavailable(store: String, reason: String)
    /// The PostgreSQL store's schema is not the one this wptsync uses; `reason` says what to do.
    case schema(store: String, reason: String)
    /// `[store] url` names a PostgreSQL store with no records while the SQLite file at `[store] path` holds some.
    case recordsLeftInSQLite(path: String, store: String)
    /// `wptsync migrate-store` refused or undid a copy; `reason` says why (and which table).
    case copy(reason: String)

    public var description: String {
        switch self {
        case let .open(path, reason): "cannot open the event journal \(path): \(reason)"
        case let .busy(path): "the event journal \(path) is locked by another process"
        case let .query(path, reason): "event journal \(path): \(reason)"
        case let .corruptRecord(id, reason): "event \(id) cannot be read: \(reason)"
        case let .spool(path, reason): "spool file \(path): \(reason)"
        case .staleRecord(let id): "sync \(id) was changed by another process meanwhile; the event will be retried"
        case .noSuchEvent(let id): "there is no event \(id) (see `wptsync events`)"
        case let .eventNotChangeable(id, reason): "event \(id) \(reason)"
        case .noJournal(let path): "there is no event journal at \(path): nothing was recorded there yet (hooks and `wptsync process` create it); check `[store] path`"
        case let .corruptBlob(what, reason): "\(what) cannot be read: \(reason)"
        case let .unavailable(store, reason): "the PostgreSQL store \(store) cannot be reached: \(reason)"
        case let .schema(store, reason): "the PostgreSQL store \(store): \(reason)"
        case let .recordsLeftInSQLite(path, store):
            "the PostgreSQL store \(store) holds no syncs, landings, downstream syncs or autoland requests, but the SQLite store \(path) does: "
            + "copy them with `wptsync migrate-store --to \(store)` (workers stopped), or move \(path) away to start afresh"
        case .copy(let reason): "migrate-store: \(reason); nothing was written"
        }
    }
}

extension JournalEvent {
    /// The event as its worker holds it once claimed: running, one more attempt, leased to
    /// `worker` until `leaseUntil`.
    func claimed(by worker: String, until leaseUntil: Date) -> JournalEvent {
        var event = self
        event.state = .running
        event.attempts += 1
        event.leaseOwner = worker
        event.leaseUntil = leaseUntil
        return event
    }

    /// The event once an operator dropped it with `note`; nil when it already was. A done or
    /// running event cannot be dropped.
    func dropped(with note: OperatorNote) throws(StoreError) -> JournalEvent? {
        switch state {
        case .dropped:
            return nil
        case .done:
            throw .eventNotChangeable(id: id, reason: "is done: there is nothing to drop")
        case .running:
            throw .eventNotChangeable(id: id, reason: "is being processed by \(leaseOwner ?? "a worker"): "
                + "stop that worker, or wait until the event failed, then drop it")
        case .pending, .failed:
            var event = self
            event.state = .dropped
            event.nextAttemptAt = nil
            event.finishedAt = note.since
            event.dropped = note
            return event
        }
    }
}

extension EventJournal {
    /// Appends `payload` unless the same push is already recorded: a batch of one.
    public func record(_ payload: EventPayload, at now: Date) throws(StoreError) -> RecordOutcome {
        try record([payload], at: now)[0]
    }
}
