import Foundation

/// `wptsync migrate-store`: copies every table between a SQLite store and a PostgreSQL one, ids
/// kept, in one transaction on the target, then checks each table's row count and digest on both
/// sides; a mismatch undoes the copy. Refused while a worker holds a live lease (stop the workers).
public enum StoreCopy {
    /// One copied table and how many rows it has on both sides.
    public struct Copied: Sendable, Equatable {
        public let table: String
        public let rows: Int
    }

    /// Copies the SQLite store at `sqlitePath` into the PostgreSQL database of `parameters`, which
    /// must be at the current schema version and empty.
    public static func toPostgres(sqlitePath: String, _ parameters: PostgresParameters, now: Date = Date()) throws(StoreError) -> [Copied] {
        guard FileManager.default.fileExists(atPath: sqlitePath) else { throw .noJournal(path: sqlitePath) }
        let source = try SQLiteJournal(path: sqlitePath)
        let target = try PostgresConnection(parameters)
        try requireCurrentSchema(target)
        let tables = try source.read { db in
            try refuseLeases(try SQLiteJournal.leasedEvents(in: db, now: now))
            try refuseUncopied(try SQLiteJournal.uncopied(in: db))
            return try CopiedTable.all.map { try ($0, SQLiteJournal.copiedRows($0, in: db)) }
        }
        return try target.transaction { () throws(StoreError) in
            for (table, _) in tables where !table.seeded {
                guard try target.isEmpty(table) else {
                    throw .copy(reason: "\(parameters.url) is not empty: table \(table.name) has rows; migrate into a new, empty database")
                }
            }
            for (table, rows) in tables {
                do { try target.insert(rows, into: table) } catch { throw .copy(reason: "table \(table.name) cannot be copied: \(error)") }
            }
            return try tables.map { (table, rows) throws(StoreError) in try compare(table, rows, try target.copiedRows(table)) }
        }
    }

    /// Copies the PostgreSQL store of `parameters` into a new SQLite file at `sqlitePath` (which
    /// must not exist, or be empty); on any failure the new file is removed.
    public static func toSQLite(_ parameters: PostgresParameters, sqlitePath: String, now: Date = Date()) throws(StoreError) -> [Copied] {
        let size = (try? FileManager.default.attributesOfItem(atPath: sqlitePath)[.size] as? Int) ?? nil
        if let size, size > 0 {
            throw .copy(reason: "\(sqlitePath) already exists: migrate-store writes a new SQLite file; move it away or set another `[store] path`")
        }
        let source = try PostgresConnection(parameters)
        try requireCurrentSchema(source)
        let tables = try source.transaction { () throws(StoreError) in
            try source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try refuseLeases(try source.leasedEvents(now: now))
            return try CopiedTable.all.map { (table) throws(StoreError) in (table, try source.copiedRows(table)) }
        }
        do {
            let target = try SQLiteJournal(path: sqlitePath)
            return try target.write { db in
                try refuseUncopied(try SQLiteJournal.uncopied(in: db))
                for (table, rows) in tables {
                    do { try SQLiteJournal.insert(rows, into: table, in: db) } catch {
                        throw StoreError.copy(reason: "table \(table.name) cannot be copied: \(error)")
                    }
                }
                return try tables.map { table, rows in try compare(table, rows, try SQLiteJournal.copiedRows(table, in: db)) }
            }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
            throw error
        }
    }

    private static func requireCurrentSchema(_ db: PostgresConnection) throws(StoreError) {
        let version = try PostgresSchema.version(db)
        guard version != PostgresSchema.latest else { return }
        throw .schema(store: db.parameters.url, reason: version > PostgresSchema.latest ? PostgresSchema.tooNew(version) : PostgresSchema.tooOld(version))
    }

    private static func refuseLeases(_ leased: [(Int64, String)]) throws(StoreError) {
        guard let (id, owner) = leased.first else { return }
        throw .copy(reason: "event \(id) is running under \(owner)'s lease (\(leased.count) running in all): stop the workers first")
    }

    private static func refuseUncopied(_ uncopied: [String]) throws(StoreError) {
        guard !uncopied.isEmpty else { return }
        throw .copy(reason: "this wptsync does not know how to copy \(uncopied.joined(separator: ", "))")
    }

    private static func compare(_ table: CopiedTable, _ source: CopiedRows, _ copy: CopiedRows) throws(StoreError) -> Copied {
        guard source.rows.count == copy.rows.count, source.digest == copy.digest else {
            throw .copy(reason: "table \(table.name) differs after copying (\(source.rows.count) rows, digest \(source.digest.prefix(12)); "
                        + "the copy \(copy.rows.count) rows, digest \(copy.digest.prefix(12))): undone")
        }
        return Copied(table: table.name, rows: source.rows.count)
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var data = Data(capacity: digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            data.append(byte)
        }
        return data
    }
}
