import GRDB

/// Where the periodic re-checks against mozilla-central remember what they last saw
/// (`RecheckMark`), one mark per task. Implemented by the journal's database.
public protocol RecheckMarkStore: Sendable {
    /// The mark `task` saved last, if any.
    func recheckMark(_ task: String) throws(StoreError) -> String?
    /// Replaces the mark of `task`.
    func setRecheckMark(_ task: String, to mark: String) throws(StoreError)
}

extension SQLiteJournal: RecheckMarkStore {
    static func registerRecheckMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("recheck-marks-v1") { db in
            try db.execute(sql: "CREATE TABLE recheck_marks (task TEXT PRIMARY KEY, mark TEXT NOT NULL)")
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
