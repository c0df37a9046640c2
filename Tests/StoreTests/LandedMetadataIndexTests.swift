import Foundation
import GRDB
@testable import Store
import SyncCore
import Testing
import TestSupport

/// Issue 13: what landings in Gecko carried is indexed by PR, and the syncs whose metadata may land
/// late are found through an index, so a landing build reads neither every sync nor every landing;
/// stores from before the index are migrated with rows derived from their landings.
@Suite("Landed metadata index (SQLite; PostgreSQL when installed)")
struct LandedMetadataIndexTests {
    let dir = TempDir("landed-metadata")

    static func metadata(_ revision: String) -> DownstreamMetadata {
        DownstreamMetadata(revision: revision, base: "b", files: ["testing/web-platform/meta/a.html.ini": .init(before: nil, after: "[a.html]\n")])
    }

    static func sync(_ pr: Int, _ revision: String?) -> DownstreamSync {
        var sync = DownstreamSync(pullRequest: pr)
        sync.metadata = revision.map(metadata)
        return sync
    }

    static func landing(_ status: LandingStatus, imports: [Int], carries: [Int: String]) -> Landing {
        var landing = Landing(status: status, upstreamBase: "a", upstreamHead: "b",
                              units: imports.map { ImportUnit(pullRequest: $0, commits: ["c\($0)"], base: "p\($0)") })
        landing.metadata = carries.sorted { $0.key < $1.key }.map { LandedMetadata(pullRequest: $0.key, metadata: metadata($0.value), late: false) }
        return landing
    }

    /// PR 1 landed without metadata and has some now; PR 2 landed with the metadata it has; PR 3 has
    /// none; PR 4's import has not landed; PR 5's metadata failed.
    static func fill(_ store: some RecordStore) throws -> Landing {
        for (pr, revision) in [(1, "r1"), (2, "r2"), (3, nil), (4, "r4"), (5, "r5")] {
            var sync = sync(pr, revision)
            if pr == 5 { sync.metadata?.error = "no reports" }
            try store.saveDownstreamSync(sync)
        }
        _ = try store.save(landing(.open, imports: [4], carries: [4: "r0"]))
        return try store.save(landing(.pushed, imports: [1, 2, 3, 5], carries: [2: "r2"]))
    }

    static func late(_ store: some RecordStore) throws -> [Int] { try store.downstreamSyncsWithLateMetadata().map(\.pullRequest) }

    @Test(arguments: JournalBackend.available) func onlySyncsWhoseMetadataDiffersFromWhatLandedAreLate(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        var first = try Self.fill(store)
        #expect(try Self.late(store) == [1])

        // A new try run of PR 2 after its import landed; then a landing carries PR 1's metadata late.
        try store.saveDownstreamSync(Self.sync(2, "r2b"))
        #expect(try Self.late(store) == [1, 2])
        var second = try store.save(Self.landing(.pushed, imports: [], carries: [1: "r1"]))
        #expect(try Self.late(store) == [2])
        #expect(try store.landedMetadata(pullRequests: [1]).map(\.landing) == [second.id, first.id])
        #expect(try store.landedMetadata(pullRequests: [1]).map(\.carried?.metadata.revision) == ["r1", nil])

        // Backed out: what it carried no longer counts.
        second.status = .backedOut
        _ = try store.save(second)
        #expect(try Self.late(store) == [1, 2])
        #expect(try store.landedMetadata(pullRequests: [1, 2]).map(\.landing) == [first.id, first.id])
        first.status = .landed
        _ = try store.save(first)
        #expect(try backend.reopen(store).downstreamSyncsWithLateMetadata().map(\.pullRequest) == [1, 2])
    }

    /// Takes `store` back to before the index (`then` runs in the same client call).
    static func unmigrate(_ store: any EventJournal & RecordStore, _ backend: JournalBackend, then: String = "") throws {
        try backend.outside(store, backend.undoingLandedMetadataIndex + then)
    }

    /// A store written before the index: migrating derives it from the landings and syncs it holds.
    @Test(arguments: JournalBackend.available) func aStoreFromBeforeTheIndexIsMigratedWithRowsFromItsLandings(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let pushed = try Self.fill(store)
        try Self.unmigrate(store, backend)
        let migrated = try backend.reopen(store)
        if let postgres = migrated as? PostgresJournal { #expect(try postgres.migrate() == Array(5...PostgresJournal.schemaVersion)) }
        #expect(try Self.late(migrated) == [1])
        #expect(try migrated.landedMetadata(pullRequests: [2, 4]) == [
            LandedMetadataEntry(landing: pushed.id, pullRequest: 2, carried: LandedMetadata(pullRequest: 2, metadata: Self.metadata("r2"), late: false)),
        ])
        try migrated.saveDownstreamSync(Self.sync(3, "r3"))
        #expect(try Self.late(migrated) == [1, 3])
    }

    /// A landing in an older format and a damaged downstream sync do not stop the migration (nor
    /// every hook and worker that opens the store): it leaves them out and as they are, names them
    /// and why, and indexes the rest.
    @Test(arguments: JournalBackend.available) func aRecordTheMigrationCannotReadIsLeftOutNamedAndUnchanged(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let pushed = try Self.fill(store)
        let older = try store.save(Self.landing(.landed, imports: [6], carries: [6: "r6"]))
        let records = "SELECT id, record FROM landings ORDER BY id; SELECT pull_request, record FROM downstream_syncs ORDER BY pull_request"
        try Self.unmigrate(store, backend, then: """
            UPDATE landings SET record = '{"status": "landed", "version": 3}' WHERE id = \(older.id);
            UPDATE downstream_syncs SET record = '{"pullRequest": 3, ' WHERE pull_request = 3
            """)
        let damaged = try backend.outside(store, records)

        let migrated = try backend.reopen(store)
        let skipped: [SkippedRecord]
        if let postgres = migrated as? PostgresJournal {
            #expect(try postgres.migrate() == Array(5...PostgresJournal.schemaVersion))
            skipped = postgres.skippedByMigration
        } else {
            skipped = try #require(migrated as? SQLiteJournal).skippedByMigration
        }
        #expect(skipped.map { "\($0.table) \($0.key)" } == ["landings \(older.id)", "downstream_syncs 3"])
        #expect(skipped.first?.reason.hasSuffix(": missing") == true, "\(skipped)")
        #expect(skipped.first?.description.contains("left out landings row \(older.id), which cannot be read") == true, "\(skipped)")
        #expect(skipped.last?.reason.contains("JSON") == true, "\(skipped)")
        #expect(try backend.outside(store, records) == damaged)
        #expect(try Self.late(migrated) == [1])
        #expect(try migrated.landedMetadata(pullRequests: [2, 6]).map(\.landing) == [pushed.id])
        #expect(try backend.reopen(migrated).landedMetadata(pullRequests: [2]).map(\.landing) == [pushed.id])
        // Kept: every later reader names them, until the row is deleted or repaired.
        #expect(try backend.reopen(migrated).unreadableRecords().map(\.description).sorted() == skipped.map(\.description).sorted())
        _ = try backend.outside(store, "DELETE FROM downstream_syncs WHERE pull_request = 3")
        #expect(try backend.reopen(migrated).unreadableRecords() == [skipped[0]])
        _ = try backend.outside(store, "UPDATE landings SET record = (SELECT record FROM landings WHERE id = \(pushed.id)) WHERE id = \(older.id)")
        #expect(try backend.reopen(migrated).unreadableRecords().isEmpty)
    }

    /// The late syncs are read through the partial index, and what landed for them by PR through
    /// the index's key: no scan of `downstream_syncs` or `landed_metadata`, whose rows grow with
    /// every PR ever downstreamed or landed.
    @Test func theLateSyncsAndWhatLandedForThemAreSoughtInIndexesNotScanned() throws {
        let store = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
        let (late, landed) = try DatabaseQueue(path: store.path).read { db in
            (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LandedMetadataSQL.lateSyncs).map { $0[3] as String },
             try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LandedMetadataSQL.landedSQLite, arguments: ["[1]"]).map { $0[3] as String })
        }
        #expect(late.contains { $0.contains("USING INDEX downstream_syncs_metadata_late") }, "\(late)")
        #expect(!late.contains { $0 == "SCAN downstream_syncs" }, "\(late)")
        #expect(landed.contains { $0.hasPrefix("SEARCH landed_metadata USING") && $0.contains("(pull_request=?)") }, "\(landed)")
        #expect(!landed.contains { $0 == "SCAN landed_metadata" }, "\(landed)")
    }
}
