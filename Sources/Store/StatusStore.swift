import Foundation
import GRDB
import SyncCore

/// What `wptsync status` reads besides the failed events: when syncs and landings entered their
/// status, the pending events, and the last outcome of each periodic task. Implemented by both
/// journals' databases.
public protocol StatusStore: Sendable {
    /// The syncs in `statuses`, each with when it entered its status, newest first.
    func syncsWithStatusTime(_ statuses: [SyncStatus]) throws(StoreError) -> [(sync: UpstreamSync, since: Date?)]
    /// The landings in `statuses`, each with when it entered its status, newest first.
    func landingsWithStatusTime(_ statuses: [LandingStatus]) throws(StoreError) -> [(landing: Landing, since: Date?)]
    /// How many events are pending, and the oldest of them.
    func pendingSummary() throws(StoreError) -> (count: Int, oldest: (id: Int64, receivedAt: Date)?)
    /// What the store knows of each periodic task, by name.
    func periodicRuns() throws(StoreError) -> [PeriodicRun]
    /// Whether any sync, landing, downstream sync or autoland request is stored.
    func holdsRecords() throws(StoreError) -> Bool
    /// The records a migration left out that still cannot be read (`SkippedRecordSQL`).
    func unreadableRecords() throws(StoreError) -> [SkippedRecord]
}

/// The query of `StatusStore.holdsRecords`, the same in SQLite and PostgreSQL.
let holdsRecordsQuery = """
    SELECT CASE WHEN EXISTS (SELECT 1 FROM upstream_syncs) OR EXISTS (SELECT 1 FROM landings)
        OR EXISTS (SELECT 1 FROM downstream_syncs) OR EXISTS (SELECT 1 FROM autoland_requests) THEN 1 ELSE 0 END
    """

extension SQLiteJournal: StatusStore {
    static func registerStatusMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("status-v1") { db in
            // Records saved before this have no time: they count from the upgrade.
            let now = Date().timeIntervalSince1970
            try db.execute(sql: """
                ALTER TABLE upstream_syncs ADD COLUMN status_since REAL;
                ALTER TABLE landings ADD COLUMN status_since REAL;
                CREATE TABLE periodic_runs (
                    name TEXT PRIMARY KEY,
                    last_success REAL,
                    failing_since REAL,
                    last_error TEXT
                );
                """)
            try db.execute(sql: "UPDATE upstream_syncs SET status_since = ?", arguments: [now])
            try db.execute(sql: "UPDATE landings SET status_since = ?", arguments: [now])
        }
    }

    /// Sets `status_since` to now on a record of `table` whose status differs from `previous`
    /// (nil: just inserted). Called by `saveVersioned` after the row is written.
    static func markStatusChange(_ db: Database, table: String, id: Int64, previous: String?) throws {
        try db.execute(sql: "UPDATE \(table) SET status_since = ? WHERE id = ? AND (status_since IS NULL OR ? IS NULL OR status IS NOT ?)",
                       arguments: [Date().timeIntervalSince1970, id, previous, previous])
    }

    public func syncsWithStatusTime(_ statuses: [SyncStatus]) throws(StoreError) -> [(sync: UpstreamSync, since: Date?)] {
        try read { db in
            try Self.idsAndTimes(db, table: "upstream_syncs", statuses: statuses.map(\.rawValue)).compactMap { id, since in
                let sync: UpstreamSync? = try Self.fetchRecord(db, table: "upstream_syncs", id: id)
                return sync.map { ($0, since) }
            }
        }
    }

    public func landingsWithStatusTime(_ statuses: [LandingStatus]) throws(StoreError) -> [(landing: Landing, since: Date?)] {
        try read { db in
            try Self.idsAndTimes(db, table: "landings", statuses: statuses.map(\.rawValue)).compactMap { id, since in
                let landing: Landing? = try Self.fetchRecord(db, table: "landings", id: id)
                return landing.map { ($0, since) }
            }
        }
    }

    private static func idsAndTimes(_ db: Database, table: String, statuses: [String]) throws -> [(Int64, Date?)] {
        let marks = statuses.map { _ in "?" }.joined(separator: ", ")
        return try Row.fetchAll(db, sql: "SELECT id, status_since FROM \(table) WHERE status IN (\(marks)) ORDER BY id DESC",
                                arguments: StatementArguments(statuses)).map { row in
            (row["id"], (row["status_since"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    public func holdsRecords() throws(StoreError) -> Bool {
        try read { db in try Int.fetchOne(db, sql: holdsRecordsQuery) == 1 }
    }

    public func pendingSummary() throws(StoreError) -> (count: Int, oldest: (id: Int64, receivedAt: Date)?) {
        try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE state = 'pending'") ?? 0
            let oldest = try Row.fetchOne(db, sql: "SELECT id, received_at FROM events WHERE state = 'pending' ORDER BY id LIMIT 1")
                .map { (id: $0["id"] as Int64, receivedAt: Date(timeIntervalSince1970: $0["received_at"])) }
            return (count, oldest)
        }
    }

    /// Records the outcome of a periodic task's run at `now`: a success, or a failure with its error.
    public func recordPeriodicRun(_ name: String, at now: Date, error: String?) throws(StoreError) {
        try write { db in
            let time = now.timeIntervalSince1970
            if let error {
                try db.execute(sql: """
                    INSERT INTO periodic_runs (name, failing_since, last_error) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET failing_since = COALESCE(failing_since, excluded.failing_since), last_error = excluded.last_error
                    """, arguments: [name, time, error])
            } else {
                try db.execute(sql: """
                    INSERT INTO periodic_runs (name, last_success) VALUES (?, ?)
                    ON CONFLICT(name) DO UPDATE SET last_success = excluded.last_success, failing_since = NULL, last_error = NULL
                    """, arguments: [name, time])
            }
        }
    }

    public func periodicRuns() throws(StoreError) -> [PeriodicRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM periodic_runs ORDER BY name").map { row in
                PeriodicRun(name: row["name"], lastSuccess: (row["last_success"] as Double?).map(Date.init(timeIntervalSince1970:)),
                            failingSince: (row["failing_since"] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: row["last_error"])
            }
        }
    }
}
