import Foundation

/// Reading and writing the copied tables in PostgreSQL, values as text (libpq's text format).
extension PostgresConnection {
    func copiedRows(_ table: CopiedTable) throws(StoreError) -> CopiedRows {
        let select = table.columns.map { column in
            switch column.kind {
            case .blob: "encode(\"\(column.name)\", 'hex')"
            case .boolean: "\"\(column.name)\"::int"
            default: "\"\(column.name)\""
            }
        }
        // Text keys compare bytes, as SQLite's do.
        let order = table.key.map { key in
            table.columns.first { $0.name == key }?.kind == .text ? "\"\(key)\" COLLATE \"C\"" : "\"\(key)\""
        }
        let result = try execute("SELECT \(select.joined(separator: ", ")) FROM \"\(table.name)\" ORDER BY \(order.joined(separator: ", "))")
        return CopiedRows(rows: result.rows.map { row in
            zip(table.columns, row).map { column, value in
                guard let value, column.kind == .real else { return value }
                return Double(value).map(CopiedColumn.canonicalReal) ?? value
            }
        })
    }

    func insert(_ rows: CopiedRows, into table: CopiedTable) throws(StoreError) {
        if table.seeded { try execute("DELETE FROM \"\(table.name)\"") }
        let names = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let marks = table.columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        for row in rows.rows {
            try execute("INSERT INTO \"\(table.name)\" (\(names)) VALUES (\(marks))", zip(table.columns, row).map { column, value in
                column.kind == .blob ? value.map { "\\x" + $0 } : value
            })
        }
        if let serial = table.serial {
            try execute("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(\"\(serial)\") FROM \"\(table.name)\"), 0) + 1, false)",
                        [table.name, serial])
        }
    }

    func isEmpty(_ table: CopiedTable) throws(StoreError) -> Bool {
        try execute("SELECT 1 FROM \"\(table.name)\" LIMIT 1").rows.isEmpty
    }

    func leasedEvents(now: Date) throws(StoreError) -> [(Int64, String)] {
        try execute("SELECT id, lease_owner FROM events WHERE state = 'running' AND lease_until > $1 ORDER BY id",
                    [String(now.timeIntervalSince1970)]).rows.map { (Int64($0[0] ?? "") ?? 0, $0[1] ?? "?") }
    }
}
