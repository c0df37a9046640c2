import CSQLiteSupport
import Foundation
import SyncCore

/// Records events in an existing, migrated SQLite journal through SQLite's C API, as
/// `SQLiteJournal.record` does (same statements, same dedupe, one `BEGIN IMMEDIATE` transaction,
/// synchronous FULL), without GRDB's connection setup: what a hook does once per process.
public enum SQLiteEventWriter {
    /// Records `payloads` in the journal at `path`, or returns nil, having changed nothing, when
    /// that journal does not exist or lacks a migration: `SQLiteJournal` then creates or migrates it.
    public static func record(_ payloads: [EventPayload], at now: Date, path: String,
                              busyTimeoutMilliseconds: Int) throws(StoreError) -> [RecordOutcome]? {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let db = handle else {
            sqlite3_close_v2(handle)
            return nil
        }
        defer { sqlite3_close_v2(db) }
        let connection = Connection(db: db, path: path)
        sqlite3_busy_timeout(db, Int32(clamping: busyTimeoutMilliseconds))
        _ = wpts_sqlite_no_checkpoint_on_close(db)
        guard try connection.isMigrated() else { return nil }
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let recorded = try connection.prepare(SQLiteJournal.recordedSQL)
            defer { sqlite3_finalize(recorded) }
            let insert = try connection.prepare(SQLiteJournal.insertSQL)
            defer { sqlite3_finalize(insert) }
            let time = now.timeIntervalSince1970
            let outcomes = try payloads.map { payload throws(StoreError) -> RecordOutcome in
                let key = payload.dedupeKey
                try connection.bind(recorded, [key])
                if try connection.step(recorded) { return .duplicate(id: sqlite3_column_int64(recorded, 0)) }
                let (json, body) = PayloadCoding.journalColumns(payload)
                try connection.bind(insert, [payload.kind.rawValue, payload.repository, key, json])
                sqlite3_bind_double(insert, 5, time)
                sqlite3_bind_double(insert, 6, time)
                try connection.bind(insert, 7, blob: body)
                _ = try connection.step(insert)
                return .recorded(id: sqlite3_last_insert_rowid(db))
            }
            try connection.execute("COMMIT")
            return outcomes
        } catch {
            sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    private struct Connection {
        let db: OpaquePointer
        let path: String

        /// Whether the journal has the last migration; a database without GRDB's table has none.
        func isMigrated() throws(StoreError) -> Bool {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, "SELECT 1 FROM grdb_migrations WHERE identifier = ?", -1, &statement, nil) == SQLITE_OK else {
                sqlite3_finalize(statement)
                if isBusy(sqlite3_errcode(db)) { throw .busy(path: path) }
                return false
            }
            defer { sqlite3_finalize(statement) }
            try bind(statement, [SQLiteJournal.latestMigration])
            return try step(statement)
        }

        func execute(_ sql: String) throws(StoreError) {
            let code = sqlite3_exec(db, sql, nil, nil, nil)
            if code != SQLITE_OK { throw error(code) }
        }

        func prepare(_ sql: String) throws(StoreError) -> OpaquePointer? {
            var statement: OpaquePointer?
            let code = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
            guard code == SQLITE_OK else { sqlite3_finalize(statement); throw error(code) }
            return statement
        }

        /// Resets `statement` and binds `texts` to its first parameters.
        func bind(_ statement: OpaquePointer?, _ texts: [String]) throws(StoreError) {
            sqlite3_reset(statement)
            for (index, text) in texts.enumerated() {
                let code = sqlite3_bind_text(statement, Int32(index + 1), text, -1, SQLiteEventWriter.transient)
                if code != SQLITE_OK { throw error(code) }
            }
        }

        /// Binds `blob` (NULL when nil) to parameter `index`, after `bind`.
        func bind(_ statement: OpaquePointer?, _ index: Int32, blob: [UInt8]?) throws(StoreError) {
            let code = if let blob {
                blob.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32(clamping: $0.count), SQLiteEventWriter.transient) }
            } else {
                sqlite3_bind_null(statement, index)
            }
            if code != SQLITE_OK { throw error(code) }
        }

        /// Steps `statement`: true when it produced a row.
        func step(_ statement: OpaquePointer?) throws(StoreError) -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            case let code: throw error(code)
            }
        }

        func error(_ code: Int32) -> StoreError {
            isBusy(code) ? .busy(path: path) : .query(path: path, reason: String(cString: sqlite3_errmsg(db)))
        }

        private func isBusy(_ code: Int32) -> Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
    }

    /// SQLITE_TRANSIENT, which Swift does not import: SQLite copies the bound text.
    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
