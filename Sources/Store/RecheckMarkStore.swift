import GRDB

/// Where the periodic re-checks against mozilla-central remember what they last saw
/// (`RecheckMark`), one mark per task. Implemented by the journal's database.
public protocol RecheckMarkStore: Sendable {
    /// The mark `task` saved last, if any.
    func recheckMark(_ task: String) throws(StoreError) -> String?
    /// Replaces the mark of `task`.
    func setRecheckMark(_ task: String, to mark: String) throws(StoreError)
    /// A number that changes whenever a sync record is added, saved or deleted (by any process).
    func syncsGeneration() throws(StoreError) -> Int64
}

extension SQLiteJournal: RecheckMarkStore {
    static func registerRecheckMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("recheck-marks-v1") { db in
            try db.execute(sql: "CREATE TABLE recheck_marks (task TEXT PRIMARY KEY, mark TEXT NOT NULL)")
        }
        // Kept by triggers, so that writers outside this code (an operator's sqlite3) count too.
        migrator.registerMigration("recheck-marks-v2-syncs-generation") { db in
            try db.execute(sql: """
                CREATE TABLE table_generations (name TEXT PRIMARY KEY, generation INTEGER NOT NULL);
                INSERT INTO table_generations VALUES ('upstream_syncs', 0);
                CREATE TRIGGER upstream_syncs_inserted AFTER INSERT ON upstream_syncs BEGIN
                    UPDATE table_generations SET generation = generation + 1 WHERE name = 'upstream_syncs'; END;
                CREATE TRIGGER upstream_syncs_updated AFTER UPDATE ON upstream_syncs BEGIN
                    UPDATE table_generations SET generation = generation + 1 WHERE name = 'upstream_syncs'; END;
                CREATE TRIGGER upstream_syncs_deleted AFTER DELETE ON upstream_syncs BEGIN
                    UPDATE table_generations SET generation = generation + 1 WHERE name = 'upstream_syncs'; END;
                """)
        }
    }

    public func syncsGeneration() throws(StoreError) -> Int64 {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT generation FROM table_generations WHERE name = 'upstream_syncs'") ?? 0
        }
    }

    public func recheckMark(_ task: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT mark FROM recheck_marks WHERE task = ?", arguments: [task]) }
    }

    public func setRecheckMark(_ task: String, to mark: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO recheck_marks (task, mark) VALUES (?, ?)", arguments: [task, mark])
        }
    }
}
