import Foundation
import SyncCore

/// The event journal in PostgreSQL, shared by hooks and workers on several machines; the same
/// rules as `SQLiteJournal`. Claims lock the chosen row with `FOR UPDATE SKIP LOCKED`, and a
/// repository's events get their ids and commit in order (an advisory lock per repository while
/// recording), so one repository's events are claimed in order of arrival as with SQLite.
/// Recording an event notifies `PostgresJournal.channel`, which idle workers listen on.
public final class PostgresJournal: EventJournal, @unchecked Sendable {
    public let parameters: PostgresParameters
    /// The NOTIFY channel a recorded event is announced on.
    public static let channel = "wptsync_events"
    let connection: PostgresConnection
    private let lock = NSLock()
    private var skipped: [SkippedRecord] = []

    /// Connects; the schema must be current (`PostgresSchema.migrate`), or statements fail.
    public init(_ parameters: PostgresParameters) throws(StoreError) {
        self.parameters = parameters
        connection = try PostgresConnection(parameters)
    }

    /// Whether the server behind `parameters` does not answer or does not yet accept connections:
    /// an outage to wait out, unlike a refused password or a missing database.
    public static func isDown(_ parameters: PostgresParameters) -> Bool { PostgresConnection.isDown(parameters) }

    /// The URL, for messages (it never holds the password).
    public var url: String { parameters.url }

    /// Applies the migrations this wptsync knows that the database lacks; see `PostgresSchema`.
    /// Returns their versions; the records they left out are in `skippedByMigration`.
    @discardableResult
    public func migrate() throws(StoreError) -> [Int] {
        try locked { () throws(StoreError) in
            let migration = try PostgresSchema.migrate(connection)
            skipped += migration.skipped
            return migration.applied
        }
    }

    /// The records the migrations this object applied left out (`SkippedRecord`).
    public var skippedByMigration: [SkippedRecord] { lock.withLock { skipped } }

    /// The schema version this wptsync's PostgreSQL journal uses.
    public static var schemaVersion: Int { PostgresSchema.latest }

    /// The schema version the database is at (0 when none was applied).
    public func schemaVersion() throws(StoreError) -> Int { try locked { () throws(StoreError) in try PostgresSchema.version(connection) } }

    public func complete(id: Int64, worker: String, now: Date) throws(StoreError) {
        try run("""
            UPDATE events SET state = 'done', finished_at = $1, next_attempt_at = NULL, lease_owner = NULL,
                   lease_until = NULL, last_error = NULL
            WHERE id = $2 AND state = 'running' AND lease_owner = $3
            """, [Self.time(now), String(id), worker])
    }

    public func fail(id: Int64, worker: String, error: String, retryAt: Date?, now: Date) throws(StoreError) {
        try run("""
            UPDATE events SET state = 'failed', last_error = $1, next_attempt_at = $2, finished_at = $3,
                   lease_owner = NULL, lease_until = NULL
            WHERE id = $4 AND state = 'running' AND lease_owner = $5
            """, [error, retryAt.map(Self.time), Self.time(now), String(id), worker])
    }

    public func failPermanently(id: Int64, worker: String, error: String, now: Date) throws(StoreError) {
        try run("""
            UPDATE events SET state = 'failed', permanent = TRUE, last_error = $1, next_attempt_at = NULL, finished_at = $2,
                   lease_owner = NULL, lease_until = NULL
            WHERE id = $3 AND state = 'running' AND lease_owner = $4
            """, [error, Self.time(now), String(id), worker])
    }

    public func renewLease(id: Int64, worker: String, until: Date) throws(StoreError) -> Bool {
        try run("UPDATE events SET lease_until = $1 WHERE id = $2 AND state = 'running' AND lease_owner = $3",
                [Self.time(until), String(id), worker]).affected == 1
    }

    public func release(id: Int64, worker: String, now: Date) throws(StoreError) {
        try run("""
            UPDATE events SET state = 'pending', attempts = GREATEST(attempts - 1, 0), next_attempt_at = $1,
                   lease_owner = NULL, lease_until = NULL
            WHERE id = $2 AND state = 'running' AND lease_owner = $3
            """, [Self.time(now), String(id), worker])
        try run("NOTIFY \(Self.channel)")
    }

    public func releaseLeases(ownedBy owners: [String]) throws(StoreError) -> Int {
        guard !owners.isEmpty else { return 0 }
        return try run("UPDATE events SET lease_until = 0 WHERE state = 'running' AND lease_owner = ANY($1::text[])",
                       [Self.textArray(owners)]).affected
    }

    public func runningOwners() throws(StoreError) -> [String] {
        try run("SELECT DISTINCT lease_owner FROM events WHERE state = 'running' AND lease_owner IS NOT NULL").rows.compactMap { $0[0] }
    }

    public func events(state: EventState?, limit: Int) throws(StoreError) -> [JournalEvent] {
        let rows = if let state {
            try run("SELECT * FROM events WHERE state = $1 ORDER BY id DESC LIMIT $2", [state.rawValue, String(limit)])
        } else {
            try run("SELECT * FROM events ORDER BY id DESC LIMIT $1", [String(limit)])
        }
        return try Self.events(from: rows)
    }

    public func event(id: Int64) throws(StoreError) -> JournalEvent? {
        try Self.events(from: run("SELECT * FROM events WHERE id = $1", [String(id)])).first
    }

    /// The event recorded for this push (same dedupe key), if any; records nothing.
    public func event(recording payload: EventPayload) throws(StoreError) -> JournalEvent? {
        try Self.events(from: run("SELECT * FROM events WHERE dedupe_key = $1", [payload.dedupeKey])).first
    }

    public func retry(ids: [Int64]?, now: Date) throws(StoreError) -> [Int64] {
        try transaction { db throws(StoreError) in
            var chosenSQL = "SELECT id FROM events WHERE state = 'failed'"
            var arguments: [String?] = []
            if let ids {
                let list = Self.textArray(ids.map(String.init))
                let known = Set(try db.execute("SELECT id FROM events WHERE id = ANY($1::bigint[])", [list]).rows.compactMap { $0[0].flatMap { Int64($0) } })
                if let unknown = ids.first(where: { !known.contains($0) }) { throw .noSuchEvent(id: unknown) }
                chosenSQL += " AND id = ANY($1::bigint[])"
                arguments = [list]
            }
            let chosen = try db.execute(chosenSQL + " ORDER BY id FOR UPDATE", arguments).rows.compactMap { $0[0].flatMap { Int64($0) } }
            try db.execute("UPDATE events SET state = 'pending', attempts = 0, permanent = FALSE, next_attempt_at = $1 WHERE id = ANY($2::bigint[])",
                           [Self.time(now), Self.textArray(chosen.map(String.init))])
            if !chosen.isEmpty { try db.execute("NOTIFY \(Self.channel)") }
            return chosen
        }
    }

    /// How many events are pending, and the oldest of them (`wptsync status`).
    public func pendingSummary() throws(StoreError) -> (count: Int, oldest: (id: Int64, receivedAt: Date)?) {
        let rows = try run("""
            SELECT (SELECT COUNT(*) FROM events WHERE state = 'pending'), id, received_at
            FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT id, received_at FROM events WHERE state = 'pending' ORDER BY id LIMIT 1) oldest ON TRUE
            """).rows[0]
        let oldest = rows[1].flatMap { Int64($0) }.map { (id: $0, receivedAt: Date(timeIntervalSince1970: Double(rows[2] ?? "") ?? 0)) }
        return (Int(rows[0] ?? "") ?? 0, oldest)
    }

    public func counts() throws(StoreError) -> [EventState: Int] {
        var result: [EventState: Int] = [:]
        for row in try run("SELECT state, COUNT(*) FROM events GROUP BY state").rows {
            if let state = row[0].flatMap(EventState.init(rawValue:)) { result[state] = Int(row[1] ?? "") ?? 0 }
        }
        return result
    }

    // MARK: - Plumbing

    func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    @discardableResult
    func run(_ sql: String, _ arguments: [String?] = []) throws(StoreError) -> PostgresRows {
        try locked { () throws(StoreError) in try connection.execute(sql, arguments) }
    }

    /// Runs `body`'s statements outside a transaction (each sees what was committed when it started).
    func read<T>(_ body: (PostgresConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        try locked { () throws(StoreError) in try body(connection) }
    }

    func transaction<T>(_ body: (PostgresConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        try locked { () throws(StoreError) in try connection.transaction { () throws(StoreError) in try body(connection) } }
    }

    /// Times are stored as seconds since 1970 (`double precision`), as in the SQLite journal.
    static func time(_ date: Date) -> String { String(date.timeIntervalSince1970) }

    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    static func events(from rows: PostgresRows) throws(StoreError) -> [JournalEvent] {
        try rows.rows.indices.map { index throws(StoreError) in try event(from: rows, row: index) }
    }

    static func event(from rows: PostgresRows, row: Int) throws(StoreError) -> JournalEvent {
        func text(_ column: String) -> String? { rows.value(row, column) }
        func date(_ column: String) -> Date? { text(column).flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }
        let id = Int64(text("id") ?? "") ?? 0
        let payload: EventPayload
        let body = try text("body").map { hex throws(StoreError) in
            guard let bytes = Self.bytes(bytea: hex) else { throw .corruptRecord(id: id, reason: "its body is not a bytea value") }
            return bytes
        }
        do { payload = try PayloadCoding.decode(kind: text("kind") ?? "", json: text("payload") ?? "", body: body) } catch {
            throw .corruptRecord(id: id, reason: "\(error)")
        }
        return JournalEvent(
            id: id, payload: payload, state: text("state").flatMap(EventState.init(rawValue:)) ?? .failed,
            attempts: Int(text("attempts") ?? "") ?? 0, receivedAt: date("received_at") ?? Date(timeIntervalSince1970: 0),
            nextAttemptAt: date("next_attempt_at"), lastError: text("last_error"), leaseOwner: text("lease_owner"),
            leaseUntil: date("lease_until"), finishedAt: date("finished_at"), permanent: text("permanent") == "t",
            dropped: text("dropped_by").map { OperatorNote(by: $0, reason: text("drop_reason") ?? "", since: date("dropped_at") ?? Date(timeIntervalSince1970: 0)) })
    }
}
