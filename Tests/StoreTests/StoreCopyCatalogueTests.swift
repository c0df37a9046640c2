import Foundation
import GRDB
@testable import Store
import Testing
import TestSupport

/// `wptsync migrate-store` copies the tables it names: a table or column added to the schema
/// without being named there would be left behind, so the copy refuses.
@Suite("migrate-store's table catalogue")
struct StoreCopyCatalogueTests {
    let dir = TempDir("store-copy")

    @Test func everyTableAndColumnOfTheSchemaIsCopied() throws {
        let journal = try SQLiteJournal(path: dir.sub("wptsync.sqlite"))
        #expect(try journal.read { try SQLiteJournal.uncopied(in: $0) } == [])
    }

    @Test func aTableOrColumnTheCatalogueDoesNotNameIsReported() throws {
        let journal = try SQLiteJournal(path: dir.sub("wptsync.sqlite"))
        try journal.write { db in
            try db.execute(sql: "ALTER TABLE landings ADD COLUMN extra TEXT; CREATE TABLE novel (id INTEGER PRIMARY KEY)")
        }
        #expect(try journal.read { try SQLiteJournal.uncopied(in: $0) } == ["landings.extra", "novel"])
    }
}
