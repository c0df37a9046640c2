import Foundation
import GRDB
import SyncCore

/// `skipped_records`: the records a migration left out (`SkippedRecord`), written in the
/// migration's transaction, so that `wptsync migrate` and `wptsync status` name them every time,
/// not only the process that happened to migrate (often a hook, whose stderr the pusher sees),
/// until the row is repaired or deleted.
enum SkippedRecordSQL {
    /// SQLite (`landed-metadata-v1` and `skipped-records-v1`) and PostgreSQL (schema versions 5 and 6).
    /// PostgreSQL's text keys are `COLLATE "C"`, so both stores order them alike (`StoreCopy` compares).
    static func create(postgres: Bool) -> String {
        """
        CREATE TABLE IF NOT EXISTS skipped_records (
            table_name TEXT\(postgres ? #" COLLATE "C""# : "") NOT NULL,
            record_key \(postgres ? "BIGINT" : "INTEGER") NOT NULL,
            migration TEXT\(postgres ? #" COLLATE "C""# : "") NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (table_name, record_key, migration)
        )
        """
    }

    static let insertSQLite = "INSERT OR REPLACE INTO skipped_records (table_name, record_key, migration, reason) VALUES (?, ?, ?, ?)"
    static let insertPostgres = """
        INSERT INTO skipped_records (table_name, record_key, migration, reason) VALUES ($1, $2, $3, $4)
        ON CONFLICT (table_name, record_key, migration) DO UPDATE SET reason = EXCLUDED.reason
        """
    static let list = "SELECT table_name, record_key, migration, reason FROM skipped_records ORDER BY table_name, record_key, migration"

    /// The statement reading the skipped row's record now (`placeholder`: `?` or `$1`); nil for a table it does not know.
    static func recordQuery(table: String, placeholder: String) -> String? {
        switch table {
        case "landings": "SELECT record FROM landings WHERE id = \(placeholder)"
        case "downstream_syncs": "SELECT record FROM downstream_syncs WHERE pull_request = \(placeholder)"
        default: nil
        }
    }

    /// Whether the row's record `json` (the row exists) still cannot be read as its table's record.
    static func stillUnreadable(table: String, json: String?) -> Bool {
        guard let json else { return true }
        switch table {
        case "landings": return (try? RecordCoding.decode(Landing.self, json)) == nil
        case "downstream_syncs": return (try? RecordCoding.decode(DownstreamSync.self, json)) == nil
        default: return true
        }
    }
}

extension SQLiteJournal {
    /// The records a migration left out whose rows still exist and still cannot be read (a row
    /// repaired or deleted since is no longer named). Reads only.
    public func unreadableRecords() throws(StoreError) -> [SkippedRecord] {
        try read { db in
            var records: [SkippedRecord] = []
            for row in try Row.fetchAll(db, sql: SkippedRecordSQL.list) {
                let record = SkippedRecord(migration: row[2], table: row[0], key: row[1], reason: row[3])
                if let query = SkippedRecordSQL.recordQuery(table: record.table, placeholder: "?") {
                    guard let current = try Row.fetchOne(db, sql: query, arguments: [record.key]),
                          SkippedRecordSQL.stillUnreadable(table: record.table, json: current[0]) else { continue }
                }
                records.append(record)
            }
            return records
        }
    }

    /// Keeps what a migration left out (in the migration's transaction).
    static func keep(_ skipped: [SkippedRecord], _ db: Database) throws {
        try db.execute(sql: SkippedRecordSQL.create(postgres: false))
        for record in skipped {
            try db.execute(sql: SkippedRecordSQL.insertSQLite, arguments: [record.table, record.key, record.migration, record.reason])
        }
    }
}

extension PostgresJournal {
    /// The records a migration left out whose rows still exist and still cannot be read (a row
    /// repaired or deleted since is no longer named). Reads only.
    public func unreadableRecords() throws(StoreError) -> [SkippedRecord] {
        try locked { () throws(StoreError) in
            var records: [SkippedRecord] = []
            for row in try connection.execute(SkippedRecordSQL.list).rows {
                guard let table = row[0], let key = row[1].flatMap({ Int64($0) }), let migration = row[2] else { continue }
                let record = SkippedRecord(migration: migration, table: table, key: key, reason: row[3] ?? "")
                if let query = SkippedRecordSQL.recordQuery(table: table, placeholder: "$1") {
                    guard let current = try connection.execute(query, [String(key)]).rows.first,
                          SkippedRecordSQL.stillUnreadable(table: table, json: current[0]) else { continue }
                }
                records.append(record)
            }
            return records
        }
    }

    /// Keeps what a migration left out (in the migration's transaction).
    static func keep(_ skipped: [SkippedRecord], _ db: PostgresConnection) throws(StoreError) {
        try db.execute(SkippedRecordSQL.create(postgres: true))
        for record in skipped {
            try db.execute(SkippedRecordSQL.insertPostgres, [record.table, String(record.key), record.migration, record.reason])
        }
    }
}
