import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: the event journal in PostgreSQL, written by the real hooks and drained by a real worker.
@Suite("Event journal in PostgreSQL", .serialized,
       .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresStoreTests {
    static func pushes(_ url: String) throws -> [String] {
        try PostgresJournal(PostgresParameters(url: url)).events(state: nil, limit: 100).reversed().compactMap {
            if case .hgPush(let push) = $0.payload { push.lastNode } else { nil }
        }
    }

    @Test func hooksWriteToPostgresAndSpoolWhileItIsDownLosingNothing() throws {
        let cluster = try PostgresCluster()
        let url = try cluster.createDatabase()
        let world = try SyncWorld(storeURL: url)
        #expect(try world.wptsync(["migrate"]).contains("applied migration(s) 1"))
        #expect(try world.wptsync(["migrate"]).contains("already at schema version"))
        #expect(try world.wptsync(["check-config"]).contains("store: PostgreSQL \(url): reachable, schema version"))

        let first = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        #expect(try Self.pushes(url) == [first])

        cluster.stop()
        // The pushes go through; their events wait in the spool.
        let second = try world.landInGecko(["testing/web-platform/tests/b.html": "b"], message: "Bug 2 - b")
        let third = try world.landInGecko(["testing/web-platform/tests/c.html": "c"], message: "Bug 3 - c")
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).isEmpty == false)
        let down = try world.wptsyncResult(["check-config"])
        #expect(down.status == 1 && down.stdoutString.contains("store: PostgreSQL \(url): cannot open the event journal \(url)"))

        try cluster.start()
        // The next push imports the spool first: every push once, in order.
        let fourth = try world.landInGecko(["testing/web-platform/tests/d.html": "d"], message: "Bug 4 - d")
        #expect(try Self.pushes(url) == [first, second, third, fourth])
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).isEmpty)
        // The commands read the events from PostgreSQL.
        #expect(try world.wptsync(["events"]).contains("pending: 4, running: 0"))
        #expect(try world.wptsyncResult(["status"]).stdoutString.contains("4 event(s) pending, the oldest #1"))
    }

    @Test func aHookSpoolsWhenTheServerStopsAnsweringAfterItConnected() throws {
        let server = try SilentPostgres()
        defer { server.stop() }
        let world = try SyncWorld(storeURL: server.url)
        let node = try world.commitInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        let push = try RunningProcess("/usr/bin/hg", ["push", "-q", "-r", node, world.autoland], in: world.gecko.root,
                                      extraEnvironment: world.environment)
        defer { push.send(SIGKILL); _ = push.waitForExit(limit: 30) }
        // The push goes through; its event waits in the spool.
        #expect(push.waitForExit(limit: 120) == 0, "\(push.output)")
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).isEmpty == false)
    }

    @Test func aWorkerRidesOutAServerRestartAndProcessesWhatTheHooksSpooledMeanwhile() throws {
        let cluster = try PostgresCluster()
        let url = try cluster.createDatabase()
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 0.2\n", storeURL: url)
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        defer { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) }
        let log = { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }
        let done = { (n: Int) in ((try? PostgresJournal(PostgresParameters(url: url)).counts()) ?? [:])[.done] == n }
        _ = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        #expect(waitUntil(limit: 60) { done(1) }, "\(worker.output)")

        cluster.stop()
        _ = try world.landInGecko(["testing/web-platform/tests/b.html": "b"], message: "Bug 2 - b")
        #expect(waitUntil(limit: 60) { log().contains("the store cannot be reached; trying again") }, "\(worker.output)")
        #expect(worker.isRunning)
        try cluster.start()
        #expect(waitUntil(limit: 120) { done(2) }, "\(worker.output)")
        #expect(try Self.pushes(url).count == 2)
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }

    @Test func aWorkerStartedWhileTheServerIsDownWaitsForItAndThenProcessesWhatWasSpooled() throws {
        let cluster = try PostgresCluster()
        let url = try cluster.createDatabase()
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 0.2\n", storeURL: url)
        cluster.stop()
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        defer { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) }
        let log = { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }
        #expect(waitUntil(limit: 60) { !worker.isRunning || log().contains("the store cannot be reached at start; waiting for it") }, "\(worker.output)")
        #expect(worker.isRunning, "\(worker.output)")
        _ = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        try cluster.start()
        let done = { ((try? PostgresJournal(PostgresParameters(url: url)).counts()) ?? [:])[.done] == 1 }
        #expect(waitUntil(limit: 120) { done() }, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }

    @Test func aWorkerGivesUpOnAServerThatStopsAnsweringAndKeepsTrying() throws {
        let server = try SilentPostgres()
        defer { server.stop() }
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 0.2\n", installHooks: false, storeURL: server.url)
        let config = try String(contentsOfFile: world.config, encoding: .utf8)
        try config.replacingOccurrences(of: "url = \"\(server.url)\"", with: "url = \"\(server.url)\"\nworker_statement_timeout_ms = 200")
            .write(toFile: world.config, atomically: false, encoding: .utf8)
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        defer { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) }
        let log = { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }
        // Its first statement (the migration check) is never answered: given up 1.2 s later, and tried again.
        #expect(waitUntil(limit: 60) { !worker.isRunning || log().components(separatedBy: "no answer within 1200 ms").count > 2 }, "\(worker.output)")
        #expect(worker.isRunning, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }

    @Test func anIdleWorkerWakesOnNotifyAndDrainsTheJournal() throws {
        let cluster = try #require(PostgresCluster.shared)
        let url = try cluster.createDatabase()
        // An hour between polls, and the event recorded by this process (no hook rings the FIFO):
        // only NOTIFY can bring it to the worker.
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 3600\n", installHooks: false, storeURL: url)
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        defer { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) }
        let log = { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }
        #expect(waitUntil(limit: 60) { !worker.isRunning || log().contains("listening for hooks' wake-ups") }, "\(worker.output)")
        // The worker migrated the new database at start.
        let journal = try PostgresJournal(PostgresParameters(url: url))
        #expect(try journal.schemaVersion() == PostgresJournal.schemaVersion)
        let node = try world.landInGecko(["dom/base/Document.cpp": "int y;\n"], message: "Bug 5 - not wpt")
        _ = try journal.record(.hgPush(HgPush(repository: "autoland", firstNode: node, lastNode: node, source: "push")), at: Date())
        #expect(waitUntil(limit: 60) { (try? journal.event(id: 1))??.state == .done }, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }
}

@Suite("PostgreSQL store password", .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresPasswordTests {
    @Test func thePasswordComesFromTheEnvironmentOrAFileAndIsNeverPrinted() throws {
        let cluster = try #require(PostgresCluster.shared)
        let database = try cluster.createDatabase().split(separator: "/").last.map(String.init) ?? ""
        let url = "postgresql://\(PostgresCluster.guardedUser)@127.0.0.1:\(cluster.port)/\(database)"
        var world = try SyncWorld(installHooks: false, storeURL: url)

        world.environment = ["WPTSYNC_STORE_PASSWORD": "wrong-\(PostgresCluster.guardedPassword)"]
        let refused = try world.wptsyncResult(["migrate"])
        #expect(refused.status != 0 && refused.stderrString.contains("password authentication failed for user \"guarded\""), "\(refused.stderrString)")
        #expect(!(refused.stdoutString + refused.stderrString).contains(PostgresCluster.guardedPassword))

        world.environment = ["WPTSYNC_STORE_PASSWORD": PostgresCluster.guardedPassword]
        #expect(try world.wptsync(["migrate"]).contains("applied migration(s) 1"))
        let checked = try world.wptsync(["check-config"])
        #expect(checked.contains("reachable, schema version") && !checked.contains(PostgresCluster.guardedPassword))

        // From a file instead, with the variable unset.
        world.environment = [:]
        try writeFile(world.dir.sub("pg-password"), PostgresCluster.guardedPassword + "\n")
        let config = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, config.replacingOccurrences(of: "url = \"\(url)\"", with: "url = \"\(url)\"\npassword_file = \"pg-password\""))
        #expect(try world.wptsync(["migrate"]).contains("already at schema version"))
    }

    @Test func connectionParametersNeverShowThePassword() {
        let parameters = PostgresParameters(url: "postgresql://sync@db/w", password: PostgresCluster.guardedPassword, statementTimeoutMilliseconds: 500)
        var dumped = ""
        dump(parameters, to: &dumped)
        for shown in ["\(parameters)", String(reflecting: parameters), dumped, "\(Mirror(reflecting: parameters).children.map(\.value))"] {
            #expect(shown.contains("postgresql://sync@db/w") && shown.contains("<redacted>") && !shown.contains(PostgresCluster.guardedPassword), "\(shown)")
        }
    }
}

@Suite("The hook stays lean")
struct HookLinkTests {
    /// Every push starts `wptsync-hook`. As a static executable it runs no dynamic loader and maps no
    /// shared library: most of what a dynamically linked hook spent before its first line. So it never
    /// loads libpq (TLS, Kerberos, LDAP: about 8 ms) or simdjson at start-up either; libpq is opened
    /// only when a PostgreSQL store is configured.
    @Test func theHookIsAStaticExecutable() throws {
        let headers = try ProcessRunner.check("/usr/bin/readelf", ["--program-headers", "--wide", builtProduct("wptsync-hook")]).stdoutString
        #expect(headers.contains("LOAD") && !headers.contains("INTERP") && !headers.contains("DYNAMIC"), "\(headers)")
        // Nor are libpq or simdjson linked in statically: libpq's functions are looked up by name when needed.
        let defined = try ProcessRunner.check("/usr/bin/nm", ["--defined-only", builtProduct("wptsync-hook")]).stdoutString
            .split(separator: "\n").compactMap { $0.split(separator: " ").last }
        #expect(!defined.contains { $0.hasPrefix("PQ") || $0.hasPrefix("pg_") || $0.contains("simdjson") })
    }
}
