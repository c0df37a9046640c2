import Foundation
import GRDB

/// Reading and writing the copied tables in SQLite.
extension SQLiteJournal {
    static func copiedRows(_ table: CopiedTable, in db: Database) throws -> CopiedRows {
        let order = table.key.map { key in table.columns.first { $0.name == key }.map(sqliteName) ?? key }
        let rows = try Row.fetchAll(db, sql: "SELECT \(table.columns.map(sqliteName).joined(separator: ", ")) FROM \"\(table.name)\" ORDER BY \(order.joined(separator: ", "))")
        return CopiedRows(rows: rows.map { row in table.columns.indices.map { text(row[$0], table.columns[$0].kind) } })
    }

    static func insert(_ rows: CopiedRows, into table: CopiedTable, in db: Database) throws {
        if table.seeded { try db.execute(sql: "DELETE FROM \"\(table.name)\"") }
        let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        let statement = try db.makeStatement(sql: "INSERT INTO \"\(table.name)\" (\(table.columns.map(sqliteName).joined(separator: ", "))) VALUES (\(marks))")
        for row in rows.rows {
            try statement.execute(arguments: StatementArguments(zip(table.columns, row).map { column, value in databaseValue(value, column.kind) }))
        }
    }

    static func isEmpty(_ table: CopiedTable, in db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM \"\(table.name)\" LIMIT 1") == nil
    }

    /// Events a worker holds a live lease on at `now`: (id, owner).
    static func leasedEvents(in db: Database, now: Date) throws -> [(Int64, String)] {
        try Row.fetchAll(db, sql: "SELECT id, lease_owner FROM events WHERE state = 'running' AND lease_until > ? ORDER BY id",
                         arguments: [now.timeIntervalSince1970]).map { ($0[0], $0[1] ?? "?") }
    }

    /// The tables and columns of this database that `CopiedTable.all` does not name (`table.column`):
    /// a schema change the copy would silently leave behind.
    static func uncopied(in db: Database) throws -> [String] {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name")
        return try tables.flatMap { name in
            guard let table = CopiedTable.all.first(where: { $0.name == name }) else { return [name] }
            return try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [name])
                .filter { column in !table.columns.contains { $0.name == column && $0.sqliteName == nil } }.map { "\(name).\($0)" }
        }
    }

    private static func sqliteName(_ column: CopiedColumn) -> String { column.sqliteName ?? "\"\(column.name)\"" }

    private static func text(_ value: DatabaseValue, _ kind: CopiedColumn.Kind) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let number): kind == .real ? CopiedColumn.canonicalReal(Double(number)) : String(number)
        case .double(let number): kind == .real || number.rounded() != number ? CopiedColumn.canonicalReal(number) : String(Int64(number))
        case .string(let string): string
        case .blob(let data): StoreCopy.hex(data)
        }
    }

    private static func databaseValue(_ text: String?, _ kind: CopiedColumn.Kind) -> DatabaseValue {
        guard let text else { return .null }
        return switch kind {
        case .text: text.databaseValue
        case .integer, .boolean: Int64(text)?.databaseValue ?? text.databaseValue
        case .real: Double(text)?.databaseValue ?? text.databaseValue
        case .blob: StoreCopy.bytes(hex: text)?.databaseValue ?? text.databaseValue
        }
    }
}
