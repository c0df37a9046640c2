import CSQLiteSupport
import Foundation
import GRDB
import SyncCore

/// The embedded event journal: one SQLite database in WAL mode, safe to share between hook
/// processes and workers on one machine.
public final class SQLiteJournal: EventJournal {
    public let path: String
    /// The records the migrations this object ran left out (`SkippedRecord`); empty when it ran none.
    public let skippedByMigration: [SkippedRecord]
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path`. A locked database is waited for at most
    /// `busyTimeoutMilliseconds`, then the call fails with `StoreError.busy`.
    public init(path: String, busyTimeoutMilliseconds: Int = 5000) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        config.label = "wptsync-journal"
        config.prepareDatabase { db in
            // Switching modes needs the write lock, so only a new database does it.
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Hooks open and close a connection per push: checkpointing is left to auto-checkpoints.
            _ = wpts_sqlite_no_checkpoint_on_close(db.sqliteConnection)
        }
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: config)
            let skipped = SkippedRecords()
            let migrator = Self.migrator(skipped: skipped)
            // Checking first is a read, which a writer holding the lock does not block in WAL mode.
            if try !queue.read({ try migrator.hasCompletedMigrations($0) }) { try migrator.migrate(queue) }
            skippedByMigration = skipped.all
        } catch {
            throw Self.storeError(error, path: path, opening: true)
        }
    }

    /// The id of the event with a dedupe key, if recorded (shared with `SQLiteEventWriter`).
    static let recordedSQL = "SELECT id FROM events WHERE dedupe_key = ?"
    /// A new event: kind, repository, dedupe key, payload, received at, next attempt at, body.
    static let insertSQL = """
        INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at, body)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    /// The last migration: a journal that has it needs none (migrations run in order).
    static let latestMigration = migrator().migrations.last!

    /// Records several events in one transaction (one fsync), in order, each unless already
    /// recorded (a payload repeated within `payloads` is recorded once).
    public func record(_ payloads: [EventPayload], at now: Date) throws(StoreError) -> [RecordOutcome] {
        try write { db in
            try payloads.map { payload in
                let key = payload.dedupeKey
                if let id = try Int64.fetchOne(db, sql: Self.recordedSQL, arguments: [key]) {
                    return .duplicate(id: id)
                }
                let (json, body) = PayloadCoding.journalColumns(payload)
                try db.execute(sql: Self.insertSQL,
                               arguments: [payload.kind.rawValue, payload.repository, key, json,
                                           now.timeIntervalSince1970, now.timeIntervalSince1970, body.map { Data($0) }])
                return .recorded(id: db.lastInsertedRowID)
            }
        }
    }

    public func complete(id: Int64, worker: String, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE events SET state = 'done', finished_at = ?, next_attempt_at = NULL, lease_owner = NULL,
                       lease_until = NULL, last_error = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [now.timeIntervalSince1970, id, worker])
        }
    }

    public func fail(id: Int64, worker: String, error: String, retryAt: Date?, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE events SET state = 'failed', last_error = ?, next_attempt_at = ?, finished_at = ?,
                       lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [error, retryAt?.timeIntervalSince1970, now.timeIntervalSince1970, id, worker])
        }
    }

    public func releaseLeases(ownedBy owners: [String]) throws(StoreError) -> Int {
        guard !owners.isEmpty else { return 0 }
        return try write { db in
            let marks = Array(repeating: "?", count: owners.count).joined(separator: ",")
            try db.execute(sql: "UPDATE events SET lease_until = 0 WHERE state = 'running' AND lease_owner IN (\(marks))",
                           arguments: StatementArguments(owners))
            return db.changesCount
        }
    }

    public func runningOwners() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT lease_owner FROM events WHERE state = 'running' AND lease_owner IS NOT NULL") }
    }

    public func events(state: EventState?, limit: Int) throws(StoreError) -> [JournalEvent] {
        try read { db in
            let rows = if let state {
                try Row.fetchAll(db, sql: "SELECT * FROM events WHERE state = ? ORDER BY id DESC LIMIT ?", arguments: [state.rawValue, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map(Self.event(from:))
        }
    }

    public func event(id: Int64) throws(StoreError) -> JournalEvent? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]).map(Self.event(from:)) }
    }

    /// The event recorded for this push (same dedupe key), if any; records nothing.
    public func event(recording payload: EventPayload) throws(StoreError) -> JournalEvent? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE dedupe_key = ?", arguments: [payload.dedupeKey]).map(Self.event(from:))
        }
    }

    public func retry(ids: [Int64]?, now: Date) throws(StoreError) -> [Int64] {
        try write { db in
            var sql = "SELECT id FROM events WHERE state = 'failed'"
            var arguments = StatementArguments()
            if let ids {
                let list = " id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))"
                let known = Set(try Int64.fetchAll(db, sql: "SELECT id FROM events WHERE" + list, arguments: StatementArguments(ids)))
                if let unknown = ids.first(where: { !known.contains($0) }) { throw StoreError.noSuchEvent(id: unknown) }
                sql += " AND" + list
                arguments = StatementArguments(ids)
            }
            let chosen = try Int64.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments)
            for id in chosen {
                try db.execute(sql: "UPDATE events SET state = 'pending', attempts = 0, permanent = 0, next_attempt_at = ? WHERE id = ?",
                               arguments: [now.timeIntervalSince1970, id])
            }
            return chosen
        }
    }

    public func counts() throws(StoreError) -> [EventState: Int] {
        try read { db in
            var result: [EventState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM events GROUP BY state") {
                if let state = EventState(rawValue: row["state"]) { result[state] = row["n"] }
            }
            return result
        }
    }

    // MARK: - Plumbing

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.storeError(error, path: path, opening: false)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.read(body) } catch { throw Self.storeError(error, path: path, opening: false) }
    }

    static func event(from row: Row) throws -> JournalEvent {
        let id: Int64 = row["id"]
        let payload: EventPayload
        do { payload = try PayloadCoding.decode(kind: row["kind"], json: row["payload"], body: (row["body"] as Data?).map(Array.init)) } catch {
            throw StoreError.corruptRecord(id: id, reason: "\(error)")
        }
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return JournalEvent(
            id: id, payload: payload, state: EventState(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            receivedAt: date("received_at") ?? Date(timeIntervalSince1970: 0), nextAttemptAt: date("next_attempt_at"),
            lastError: row["last_error"], leaseOwner: row["lease_owner"], leaseUntil: date("lease_until"),
            finishedAt: date("finished_at"), permanent: row["permanent"],
            dropped: (row["dropped_by"] as String?).map { OperatorNote(by: $0, reason: row["drop_reason"] ?? "", since: date("dropped_at") ?? Date(timeIntervalSince1970: 0)) })
    }

    private static func storeError(_ error: any Error, path: String, opening: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED { return .busy(path: path) }
            let reason = error.message ?? "\(error.resultCode)"
            return opening ? .open(path: path, reason: reason) : .query(path: path, reason: reason)
        }
        return opening ? .open(path: path, reason: "\(error)") : .query(path: path, reason: "\(error)")
    }
}
