import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: `wptsync migrate-store` moves a SQLite deployment into PostgreSQL and back, checked.
@Suite("wptsync migrate-store", .serialized,
       .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct MigrateStoreTests {
    /// Each table of a SQLite file, every column, in key order, as sqlite3 prints it.
    static func dump(_ path: String) throws -> [String] {
        try ["events ORDER BY id", "upstream_syncs ORDER BY id", "upstream_sync_nodes ORDER BY node", "table_generations ORDER BY name",
             "sheriff_tokens ORDER BY user", "pauses ORDER BY id", "http_cache ORDER BY url", "upstream_commit_prs ORDER BY sha"].map { table in
            try ProcessRunner.check("/usr/bin/sqlite3", [path, "SELECT * FROM \(table)"]).stdoutString
        }
    }

    @Test func aSQLiteStoreMovesToPostgresAndBackAndTheCommandsShowTheSame() throws {
        let u = try UpstreamWorld()
        let world = u.world
        _ = try world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 11 - Test a. r=x")
        _ = try world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 12 - Test b. r=x")
        #expect(try u.process().contains("processed 2 event(s), 0 failed"))
        _ = try world.wptsync(["token", "issue", "alice"])
        _ = try world.wptsync(["pause", "--reason", "moving the store", "--by", "sheriff"])
        let shown = { () throws -> [String] in
            // Without the moment `status` ran, and the ages it computes from it.
            try ["list", "events", "status"].map {
                try world.wptsyncResult([$0]).stdoutString.replacing(/status at \S+:/, with: "status:").replacing(/\ \(\d+\w* ago\)/, with: "")
            }
        }
        let before = try shown()
        #expect(before[0].contains("gecko/11") && before[0].contains("gecko/12"), "\(before[0])")
        let sqlitePath = world.dir.sub("state/wptsync.sqlite")
        let tables = try Self.dump(sqlitePath)

        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.createDatabase()
        let sqliteConfig = try String(contentsOfFile: world.config, encoding: .utf8)
        let postgresConfig = sqliteConfig.replacingOccurrences(of: "[store]\n", with: "[store]\nurl = \"\(url)\"\n")
        try writeFile(world.config, postgresConfig)
        _ = try world.wptsync(["migrate"])
        // Switching the store before copying would start afresh and redo the work: refused, naming the way.
        let empty = try world.wptsyncResult(["list"])
        #expect(empty.status != 0 && empty.stderrString.contains("copy them with `wptsync migrate-store --to \(url)`"), "\(empty.stderrString)")
        try writeFile(world.config, sqliteConfig)

        let copied = try world.wptsync(["migrate-store", "--to", url])
        #expect(copied.contains("events: 2 row(s), checked") && copied.contains("upstream_syncs: 2 row(s), checked")
                && copied.contains("sheriff_tokens: 1 row(s), checked"), "\(copied)")
        try writeFile(world.config, postgresConfig)
        let after = try shown()
        #expect(after == before, "\(after)\nbefore:\n\(before)")
        // Ids go on from the highest copied one.
        let journal = try PostgresJournal(PostgresParameters(url: url))
        let next = try journal.record([.hgPush(HgPush(repository: "autoland", firstNode: "f", lastNode: "f", source: "push"))], at: Date())
        #expect(next == [.recorded(id: 3)])
        _ = try journal.drop(id: 3, note: OperatorNote(by: "test", reason: "not a real push", since: Date()))

        // Into a database that is not empty: refused, and nothing written.
        try writeFile(world.config, sqliteConfig)
        let refused = try world.wptsyncResult(["migrate-store", "--to", url])
        #expect(refused.status != 0 && refused.stderrString.contains("is not empty: table events has rows"), "\(refused.stderrString)")
        #expect(try journal.events(state: nil, limit: 100).count == 3)

        // Back into a new SQLite file: the same rows.
        let backPath = world.dir.sub("state/back.sqlite")
        try writeFile(world.config, sqliteConfig.replacingOccurrences(of: sqlitePath, with: backPath))
        let back = try world.wptsync(["migrate-store", "--from", url])
        #expect(back.contains("events: 3 row(s), checked"), "\(back)")
        #expect(try Self.dump(backPath).dropFirst() == tables.dropFirst())
        #expect(try world.wptsync(["events", "--state", "dropped"]).contains("#3"))
        // A second time, the file exists: refused, and it is left as it was.
        let again = try world.wptsyncResult(["migrate-store", "--from", url])
        #expect(again.status != 0 && again.stderrString.contains("\(backPath) already exists"), "\(again.stderrString)")
        #expect(try Self.dump(backPath).dropFirst() == tables.dropFirst())
    }

    @Test func aRunningEventRefusesTheCopy() throws {
        let world = try SyncWorld(installHooks: false)
        let sqlitePath = world.dir.sub("state/wptsync.sqlite")
        let journal = try SQLiteJournal(path: sqlitePath)
        _ = try journal.record([.hgPush(HgPush(repository: "autoland", firstNode: "a", lastNode: "a", source: "push"))], at: Date())
        _ = try journal.claimNext(worker: "worker-1", now: Date(), dueBy: Date(), leaseSeconds: 600, maxAttempts: 5)
        let url = try #require(PostgresCluster.shared).createDatabase()
        _ = try PostgresJournal(PostgresParameters(url: url)).migrate()
        let refused = try world.wptsyncResult(["migrate-store", "--to", url])
        #expect(refused.status != 0 && refused.stderrString.contains("event 1 is running under worker-1's lease"), "\(refused.stderrString)")
        #expect(try PostgresJournal(PostgresParameters(url: url)).events(state: nil, limit: 10).isEmpty)
    }

    @Test func aValueTheTargetCannotHoldUndoesTheWholeCopyAndNamesTheTable() throws {
        let world = try SyncWorld(installHooks: false)
        let sqlitePath = world.dir.sub("state/wptsync.sqlite")
        let journal = try SQLiteJournal(path: sqlitePath)
        _ = try journal.record([.hgPush(HgPush(repository: "autoland", firstNode: "a", lastNode: "a", source: "push"))], at: Date())
        // SQLite keeps what an operator's sqlite3 wrote into an INTEGER column; PostgreSQL cannot.
        _ = try ProcessRunner.check("/usr/bin/sqlite3", [sqlitePath, "UPDATE events SET attempts = 1.5"])
        let url = try #require(PostgresCluster.shared).createDatabase()
        _ = try PostgresJournal(PostgresParameters(url: url)).migrate()
        let refused = try world.wptsyncResult(["migrate-store", "--to", url])
        #expect(refused.status != 0 && refused.stderrString.contains("table events cannot be copied")
                && refused.stderrString.contains("nothing was written"), "\(refused.stderrString)")
        #expect(try PostgresJournal(PostgresParameters(url: url)).events(state: nil, limit: 10).isEmpty)
    }

    @Test func thePasswordComesFromAFileOrTheEnvironmentAndIsNeverPrinted() throws {
        let cluster = try #require(PostgresCluster.shared)
        let database = try cluster.createDatabase().split(separator: "/").last.map(String.init) ?? ""
        let url = "postgresql://\(PostgresCluster.guardedUser)@127.0.0.1:\(cluster.port)/\(database)"
        var world = try SyncWorld(installHooks: false)
        _ = try SQLiteJournal(path: world.dir.sub("state/wptsync.sqlite"))
            .record([.hgPush(HgPush(repository: "autoland", firstNode: "a", lastNode: "a", source: "push"))], at: Date())
        _ = try PostgresJournal(PostgresParameters(url: url, password: PostgresCluster.guardedPassword)).migrate()

        world.environment = ["WPTSYNC_STORE_PASSWORD": "wrong-\(PostgresCluster.guardedPassword)"]
        let refused = try world.wptsyncResult(["migrate-store", "--to", url])
        #expect(refused.status != 0 && refused.stderrString.contains("password authentication failed"), "\(refused.stderrString)")
        #expect(!(refused.stdoutString + refused.stderrString).contains(PostgresCluster.guardedPassword))
        let inURL = try world.wptsyncResult(["migrate-store", "--to", url.replacingOccurrences(of: "guarded@", with: "guarded:secret@")])
        #expect(inURL.status != 0 && inURL.stderrString.contains("holds a password") && !inURL.stderrString.contains("secret"), "\(inURL.stderrString)")

        world.environment = [:]
        try writeFile(world.dir.sub("pg-password"), PostgresCluster.guardedPassword + "\n")
        let copied = try world.wptsync(["migrate-store", "--to", url, "--password-file", world.dir.sub("pg-password")])
        #expect(copied.contains("events: 1 row(s), checked") && !copied.contains(PostgresCluster.guardedPassword), "\(copied)")
    }
}
