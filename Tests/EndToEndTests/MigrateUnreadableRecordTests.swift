import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// A landing the landed-metadata migration cannot read (written in an older format) does not stop
/// `wptsync migrate`: it says which row and why, migrates the rest and leaves the row as it is.
@Suite("wptsync migrate and an unreadable record")
struct MigrateUnreadableRecordTests {
    @Test(arguments: StoreKind.available) func migrateNamesTheLandingItLeftOut(_ kind: StoreKind) throws {
        let dir = TempDir("migrate-unreadable")
        let path = dir.sub("state/wptsync.sqlite"), url = try kind.newDatabaseURL()
        let store: any RecordStore
        if let url {
            let postgres = try PostgresJournal(PostgresParameters(url: url))
            try postgres.migrate()
            store = postgres
        } else {
            store = try SQLiteJournal(path: path)
        }
        var landing = Landing(status: .pushed, upstreamBase: "a", upstreamHead: "b", units: [ImportUnit(pullRequest: 7, commits: ["c"], base: "p")])
        landing.metadata = []
        let good = try store.save(landing)
        landing.units = [ImportUnit(pullRequest: 8, commits: ["d"], base: "c")]
        let older = try store.save(landing)
        try StoreKind.outside(path: path, url: url, kind.undoingLandedMetadataIndex
            + #"UPDATE landings SET record = '{"status": "pushed"}' WHERE id = \#(older.id)"#)
        let records = "SELECT id, record FROM landings ORDER BY id"
        let before = try StoreKind.outside(path: path, url: url, records)
        let config = dir.sub("wptsync.toml")
        try writeFile(config, "[store]\npath = \"\(path)\"\n" + (url.map { "url = \"\($0)\"\n" } ?? ""))

        let output = try sh(builtProduct("wptsync"), ["migrate", "--config", config], in: dir.path)
        let migration = kind == .sqlite ? "landed-metadata-v1" : "schema version 5"
        #expect(output.contains("\nwarning: migration \(migration) left out landings row \(older.id), which cannot be read ("), "\(output)")
        #expect(output.contains(": missing); the row is left as it is"), "\(output)")
        #expect(try StoreKind.outside(path: path, url: url, records) == before)
        #expect(try StoreKind.outside(path: path, url: url, "SELECT pull_request, landing_id FROM landed_metadata") == "7|\(good.id)\n")
        #expect(!(try sh(builtProduct("wptsync"), ["migrate", "--config", config], in: dir.path)).contains("warning"))
    }
}
