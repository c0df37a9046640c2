#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: pushes while `wptsync migrate-store` copies the store wait in the spool, and the store
/// configured next imports them, once.
@Suite("wptsync migrate-store: pushes during the copy", .serialized,
       .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct MigrateStoreSpoolTests {
    /// A `psql` session holding the target's `events` table locked: `migrate-store` reads the SQLite
    /// store, then waits for it before writing anything.
    final class Hold {
        let url: String
        let psql: Child

        init(_ url: String) throws {
            self.url = url
            psql = try Child.spawn((PostgresCluster.binaries ?? "") + "/psql", ["-X", "-q", "-d", url])
            send("BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE;")
            try #require(waitUntil(limit: 60) { (try? count(granted: true)) == 1 }, "the table was not locked")
        }

        func send(_ sql: String) { _ = (sql + "\n").withCString { write(psql.stdin, $0, strlen($0)) } }

        func count(granted: Bool) throws -> Int {
            let sql = "SELECT count(*) FROM pg_locks WHERE \(granted ? "" : "NOT ")granted AND relation = 'events'::regclass"
                + (granted ? " AND mode = 'AccessExclusiveLock'" : "")
            return Int(try StoreKind.outside(path: "", url: url, sql).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        /// Waits until another session (`migrate-store`) waits for the lock.
        func waitForTheCopy(_ copy: RunningProcess) throws {
            try #require(waitUntil(limit: 120) { !copy.isRunning || (try? count(granted: false)) == 1 }, "migrate-store did not reach the target")
            try #require(copy.isRunning, "\(copy.output)")
        }

        func release(_ sql: String = "COMMIT;") {
            send(sql)
            close(psql.stdin); close(psql.stdout); close(psql.stderr)
            _ = psql.wait()
        }
    }

    static func migrateStore(_ world: SyncWorld, _ url: String) throws -> RunningProcess {
        try RunningProcess(builtProduct("wptsync"), ["migrate-store", "--to", url, "--config", world.config], in: world.dir.path)
    }

    /// The first node of each event in the PostgreSQL store at `url`, in id order.
    static func nodes(_ url: String) throws -> [String] {
        try PostgresJournal(PostgresParameters(url: url)).events(state: nil, limit: 100).reversed().map(\.firstNodeOrRef)
    }

    static func nodes(sqlite path: String) throws -> [String] {
        try SQLiteJournal(path: path).events(state: nil, limit: 100).reversed().map(\.firstNodeOrRef)
    }

    static func newDatabase() throws -> String {
        let url = try #require(PostgresCluster.shared).createDatabase()
        _ = try PostgresJournal(PostgresParameters(url: url)).migrate()
        return url
    }

    static func file(_ n: Int) -> [String: String] { ["testing/web-platform/tests/t\(n).html": "\(n)\n"] }

    @Test func aPushDuringTheCopyIsSpooledAndImportedOnceIntoPostgresWhenTheURLIsSet() throws {
        let world = try SyncWorld()
        let first = try world.landInGecko(Self.file(1), message: "Bug 11 - Test 1. r=x")
        let url = try Self.newDatabase()
        let hold = try Hold(url)
        let copy = try Self.migrateStore(world, url)
        try hold.waitForTheCopy(copy)
        // The copy has read the SQLite store: this push must not go there.
        let during = try world.landInGecko(Self.file(2), message: "Bug 12 - Test 2. r=x")
        hold.release()
        #expect(copy.waitForExit(limit: 120) == 0, "\(copy.output)")
        #expect(copy.output.contains("events: 1 row(s), checked"), "\(copy.output)")
        // Copied, but the configuration still names SQLite: pushes keep waiting in the spool, and `status` says why.
        let after = try world.landInGecko(Self.file(3), message: "Bug 13 - Test 3. r=x")
        let status = try world.wptsyncResult(["status"])
        #expect(status.status == 1 && status.stdoutString.contains("copied \(world.store) into \(url)")
                && status.stdoutString.contains("set `[store] url = \"\(url)\"`"), "\(status.stdoutString)")
        #expect(try Self.nodes(sqlite: world.store) == [first])

        let config = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, config.replacingOccurrences(of: "[store]\n", with: "[store]\nurl = \"\(url)\"\n"))
        let next = try world.landInGecko(Self.file(4), message: "Bug 14 - Test 4. r=x")
        #expect(try Self.nodes(url) == [first, during, after, next])
        #expect(!(try world.wptsyncResult(["status"]).stdoutString.contains("migrate-store")))
        // A worker still running with the old configuration claims nothing from the store the copy was made of.
        try writeFile(world.config, config)
        let stale = try world.wptsync(["process"])
        #expect(stale.contains("processed 0 event(s)"), "\(stale)")
        #expect(try Self.nodes(sqlite: world.store) == [first])
    }

    @Test func aFailedCopyLeavesThePushesItSpooledToTheSQLiteStore() throws {
        let world = try SyncWorld()
        let first = try world.landInGecko(Self.file(1), message: "Bug 11 - Test 1. r=x")
        let url = try Self.newDatabase()
        let hold = try Hold(url)
        let copy = try Self.migrateStore(world, url)
        try hold.waitForTheCopy(copy)
        let during = try world.landInGecko(Self.file(2), message: "Bug 12 - Test 2. r=x")
        // Someone writes into the target meanwhile: it is no longer empty, and the copy is refused.
        hold.release("INSERT INTO events (kind, repository, dedupe_key, payload, received_at) VALUES ('hg-push', 'x', 'x', '{}', 0); COMMIT;")
        #expect(copy.waitForExit(limit: 120) != 0, "\(copy.output)")
        #expect(copy.output.contains("is not empty"), "\(copy.output)")
        #expect(!FileManager.default.fileExists(atPath: world.store + ".migrate-store"))
        let next = try world.landInGecko(Self.file(3), message: "Bug 13 - Test 3. r=x")
        #expect(try Self.nodes(sqlite: world.store) == [first, during, next])
    }

    @Test func aCopyThatStoppedLeavesHooksSpoolingAndSaysSoUntilMigrateStoreRunsAgain() throws {
        let world = try SyncWorld()
        let first = try world.landInGecko(Self.file(1), message: "Bug 11 - Test 1. r=x")
        let url = try Self.newDatabase()
        let hold = try Hold(url)
        let copy = try Self.migrateStore(world, url)
        try hold.waitForTheCopy(copy)
        copy.send(SIGKILL)
        #expect(copy.waitForExit(limit: 60) == 128 + SIGKILL)
        hold.release("ROLLBACK;")
        let during = try world.landInGecko(Self.file(2), message: "Bug 12 - Test 2. r=x")
        #expect(try Self.nodes(sqlite: world.store) == [first])
        let marker = world.store + ".migrate-store"
        let status = try world.wptsyncResult(["status"])
        #expect(status.status == 1 && status.stdoutString.contains("stopped before it finished copying \(world.store) into \(url) (\(marker) is left)")
                && status.stdoutString.contains("run `wptsync migrate-store` again"), "\(status.stdoutString)")
        let checked = try world.wptsyncResult(["check-config"])
        #expect((checked.stdoutString + checked.stderrString).contains("warning: migrate-store (pid \(copy.child.pid)"), "\(checked.stdoutString)")

        let again = try world.wptsync(["migrate-store", "--to", url])
        #expect(again.contains("replaced \(marker), left by migrate-store (pid \(copy.child.pid)") && again.contains("events: 1 row(s), checked"), "\(again)")
        let config = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, config.replacingOccurrences(of: "[store]\n", with: "[store]\nurl = \"\(url)\"\n"))
        let next = try world.landInGecko(Self.file(3), message: "Bug 13 - Test 3. r=x")
        #expect(try Self.nodes(url) == [first, during, next])
    }
}

extension JournalEvent {
    /// The pushed Mercurial changeset (the first of the push).
    var firstNodeOrRef: String {
        if case .hgPush(let push) = payload { return push.firstNode }
        return "\(payload)"
    }
}
