import Foundation

/// What the PostgreSQL record stores share: versioned records as JSON beside their columns, the
/// text forms of arrays and `bytea`, and per-key locks.
extension PostgresJournal {
    /// The records `sql` selects as `id, record`, in its order.
    static func records<Record: StoredRecord>(_ db: PostgresConnection, table: String, _ sql: String, _ arguments: [String?] = [],
                                              as type: Record.Type = Record.self) throws(StoreError) -> [Record] {
        try db.execute(sql, arguments).rows.map { row throws(StoreError) in
            try Record.decoded(row[1] ?? "", id: Int64(row[0] ?? "") ?? 0, table: table)
        }
    }

    /// Record `id` of `table`, or nil.
    static func record<Record: StoredRecord>(_ db: PostgresConnection, table: String, id: Int64) throws(StoreError) -> Record? {
        try records(db, table: table, "SELECT id, record FROM \(table) WHERE id = $1", [String(id)], as: Record.self).first
    }

    /// Inserts (id 0) or updates `record` with `columns` (one of them `status`) beside its JSON, in
    /// the caller's transaction; an update based on a version another writer has replaced (or a
    /// deleted record) throws `staleRecord`: the row is locked while its version is compared.
    /// `status_since` is set when the status changes, as `SQLiteJournal.markStatusChange` does.
    static func saveVersioned<Record: StoredRecord>(_ db: PostgresConnection, _ record: Record, table: String,
                                                    columns: [String: String?]) throws(StoreError) -> Record {
        var stored = record
        let names = columns.keys.sorted()
        let values = names.map { columns[$0] ?? nil }
        if stored.id == 0 {
            let marks = names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            let inserted = try db.execute("INSERT INTO \(table) (\(names.joined(separator: ", ")), record) VALUES (\(marks), '{}') RETURNING id", values)
            stored.id = Int64(inserted.rows[0][0] ?? "") ?? 0
        } else {
            let current = try records(db, table: table, "SELECT id, record FROM \(table) WHERE id = $1 FOR UPDATE", [String(stored.id)], as: Record.self).first
            guard current?.version == record.version else { throw .staleRecord(id: stored.id) }
        }
        stored.version = record.version + 1
        let sets = names.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
        let status = "$\((names.firstIndex(of: "status") ?? 0) + 1)"
        let n = names.count
        try db.execute("""
            UPDATE \(table) SET \(sets), record = $\(n + 1),
                   status_since = CASE WHEN status_since IS NULL OR status IS DISTINCT FROM \(status) THEN $\(n + 2) ELSE status_since END
            WHERE id = $\(n + 3)
            """, values + [try encoded(stored, in: db), time(Date()), String(stored.id)])
        return stored
    }

    /// `value` as its stored JSON.
    static func encoded(_ value: some Encodable, in db: PostgresConnection) throws(StoreError) -> String {
        do { return try RecordCoding.encode(value) } catch { throw .query(path: db.parameters.url, reason: "\(error)") }
    }

    /// Holds, until the transaction ends, the lock named `key`: writers that read, decide and
    /// write one key (a row that may not exist yet) take their turns, as SQLite's single writer does.
    static func lock(_ db: PostgresConnection, _ key: String) throws(StoreError) {
        try db.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [key])
    }

    /// `{1,2,3}`: an array parameter (`$1::bigint[]`).
    static func integerArray(_ values: some Sequence<Int>) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// A `bytea` parameter in hex form.
    static func bytea(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array(#"\x"#.utf8)
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 15)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a `bytea` value as the server sends it (hex form); nil when it is not that.
    static func bytes(bytea text: String) -> [UInt8]? {
        let hex = Array(text.utf8)
        guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2 - 1)
        for index in stride(from: 2, to: hex.count, by: 2) {
            guard let high = value(hex[index]), let low = value(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func date(_ text: String?) -> Date? { text.flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }
}
