import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// A landing the landed-metadata migration cannot read (written in an older format) does not stop
/// `wptsync migrate`: it says which row and why, migrates the rest and leaves the row as it is. The
/// row is named again by every later `migrate` and by `status`, whichever process migrated, until
/// it is repaired or deleted.
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
            // Landed: `status` reads the landings still under way whole, so a damaged one of those fails it.
            + #"UPDATE landings SET status = 'landed', record = '{"status": "landed"}' WHERE id = \#(older.id)"#)
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
        let warning = "warning: migration \(migration) left out landings row \(older.id), which cannot be read ("
        #expect(try sh(builtProduct("wptsync"), ["migrate", "--config", config], in: dir.path).contains(warning), "named again")
        let status = try ProcessRunner.run(builtProduct("wptsync"), ["status", "--config", config], in: dir.path, extraEnvironment: testEnvironment)
        #expect(status.status == 1 && status.stdoutString.contains("migration \(migration) left out landings row \(older.id)"),
                "\(status.stdoutString)\(status.stderrString)")

        try StoreKind.outside(path: path, url: url, "DELETE FROM landings WHERE id = \(older.id)")
        #expect(!(try sh(builtProduct("wptsync"), ["migrate", "--config", config], in: dir.path)).contains("warning"), "a deleted row is no longer named")
        let calm = try ProcessRunner.run(builtProduct("wptsync"), ["status", "--config", config], in: dir.path, extraEnvironment: testEnvironment)
        #expect(!calm.stdoutString.contains("left out"), "\(calm.stdoutString)")
    }
}
