#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LocalServices
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: several workers drain one PostgreSQL journal during a burst of pushes to three git
/// Gecko integration repositories, through the real hooks, while one worker is killed or the
/// server restarts; the end state is what one clean run gives.
@Suite("Workers sharing PostgreSQL through a burst", .serialized,
       .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresBurstTests {
    /// Three repositories × this many pushes of 1 to 7 changesets each: about 500 changesets in
    /// about 125 pushes (a push through the hook costs about 0.3 s here while the workers run).
    static let pushesPerRepository = Int(ProcessInfo.processInfo.environment["WPTSYNC_BURST_PUSHES"] ?? "") ?? 42
    static let maxChangesetsPerPush = 7
    static let seed = UInt64(ProcessInfo.processInfo.environment["WPTSYNC_BURST_SEED"] ?? "") ?? 15
    /// A short lease, so that a killed worker's event is taken over soon (but renewed in time on
    /// a busy machine); a short backoff, so that an event that failed is tried again soon.
    static let workerConfig = "[worker]\nlease_seconds = 5\npoll_seconds = 0.2\nbackoff_base_seconds = 0.2\nbackoff_max_seconds = 1\n"

    @Test func threeWorkersOnThreeMachinesDrainABurstWhileOneIsKilledAtRandomPoints() throws {
        let (machines, whyNot) = WorkerMachines.make(count: 3)
        if let whyNot { print("workers run as plain processes on loopback: \(whyNot)") }
        let cluster = try PostgresCluster(address: machines?.serverAddress)
        let u = try UpstreamWorld(extraConfig: Self.workerConfig, geckoKind: .git, storeURL: try cluster.createDatabase(),
                                  githubHost: machines?.serverAddress ?? "127.0.0.1")
        let burst = try GeckoBurst(u.world, extraRepositories: 2, pushesPerRepository: Self.pushesPerRepository, maxChangesetsPerPush: Self.maxChangesetsPerPush, seed: Self.seed)
        let journal = try PostgresJournal(PostgresParameters(url: try #require(u.world.storeURL)))
        try u.world.wptsync(["migrate"])

        var generation = 0
        func start(_ machine: Int) throws -> RunningProcess {
            generation += 1
            let host = "worker-\(machine)-\(generation)"
            let arguments = ["worker", "--config", u.world.config]
            let (program, all) = machines?.command(on: machine, hostName: host, builtProduct("wptsync"), arguments) ?? (builtProduct("wptsync"), arguments)
            return try RunningProcess(program, all, in: u.world.dir.path, extraEnvironment: u.world.environment)
        }
        var workers = try (0..<3).map(start)
        defer { for worker in workers { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) } }

        let started = Date()
        let pusher = Thread {
            do { try burst.pushAll() } catch { print("burst: a push failed: \(error)") }
            print("burst: \(burst.pushes.count) pushes of \(burst.pushes.map(\.changesets).reduce(0, +)) changesets in \(Int(-started.timeIntervalSinceNow)) s")
        }
        let pushed = { () -> Int in (try? journal.counts().values.reduce(0, +)) ?? 0 }
        pusher.start()

        // The third worker is killed while it holds an event, again and again, and started again
        // under another host name (a new machine, so no worker takes its events back before the
        // lease expires).
        var random = SeededGenerator(seed: Self.seed)
        var killedHolding: [Int64] = []
        var kills = 0
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, (try journal.counts()[.done] ?? 0) < burst.pushes.count {
            let victim = workers[2]
            let owner = ":\(victim.child.pid)"
            let held = { (try? journal.events(state: .running, limit: 10).filter { $0.leaseOwner?.hasSuffix(owner) == true }) ?? [] }
            let holding = { held().map(\.id) }
            guard waitUntil(limit: 30, { !holding().isEmpty }) else { continue }
            if machines != nil, let lease = held().first?.leaseOwner {
                #expect(lease.hasPrefix("worker-2-"), "the worker runs under its machine's host name: \(lease)")
            }
            usleep(UInt32.random(in: 0...300_000, using: &random))
            victim.send(SIGKILL)
            _ = victim.waitForExit(limit: 30)
            kills += 1
            // What it still held when it died (its lease has not expired yet).
            killedHolding += holding()
            usleep(UInt32.random(in: 0...1_000_000, using: &random))
            workers[2] = try start(2)
            if killedHolding.count >= 5 { break }
        }
        #expect(waitUntil(limit: 400) { (try? journal.counts()[.done]) == burst.pushes.count && pushed() == burst.pushes.count },
                "\((try? journal.counts()) ?? [:]) of \(burst.pushes.count) pushes; \((try? u.world.wptsync(["events", "--state", "failed"])) ?? "")")
        print("burst: drained after \(Int(-started.timeIntervalSinceNow)) s")
        #expect(killedHolding.count >= 3, "the worker was killed while it held an event")
        // Every event the killed worker held is done; every other event was claimed once, but for
        // a failed attempt (said in `lastError`) and, per kill, one claim the victim's server may
        // have committed after the test looked (the kill races its last statements).
        let events = try journal.events(state: nil, limit: 100_000)
        #expect(events.allSatisfy { $0.state == .done })
        let claimedAgain = events.filter { !killedHolding.contains($0.id) && $0.attempts > 1 && $0.lastError == nil }
        #expect(claimedAgain.count <= kills, "claimed more than once: \(claimedAgain.map { "\($0.id) × \($0.attempts)" })")
        #expect(events.filter { killedHolding.contains($0.id) }.contains { $0.attempts >= 2 }, "a held event was taken over")
        try expectOneCleanRun(u, burst, journal)
        for worker in workers { worker.send(SIGTERM) }
        for worker in workers { #expect(worker.waitForExit(limit: 60) == 0, "\(worker.output)") }
    }

    @Test func aServerRestartDuringABurstLosesAndDuplicatesNothing() throws {
        let cluster = try PostgresCluster()
        let u = try UpstreamWorld(extraConfig: Self.workerConfig, geckoKind: .git, storeURL: try cluster.createDatabase())
        let burst = try GeckoBurst(u.world, extraRepositories: 2, pushesPerRepository: Self.pushesPerRepository / 3, maxChangesetsPerPush: Self.maxChangesetsPerPush,
                                   seed: Self.seed + 1)
        try u.world.wptsync(["migrate"])
        let workers = try (0..<2).map { _ in
            try RunningProcess(builtProduct("wptsync"), ["worker", "--config", u.world.config], in: u.world.dir.path, extraEnvironment: u.world.environment)
        }
        defer { for worker in workers { worker.send(SIGKILL); _ = worker.waitForExit(limit: 30) } }

        let spool = SpoolFile(path: u.world.dir.sub("state/wptsync.spool"))
        let third = burst.pushes.count / 3
        var spooledWhileDown = false
        try burst.pushAll { done in
            if done == third { cluster.stop() }
            if done == 2 * third {
                spooledWhileDown = !spool.isEmpty
                try cluster.start()
            }
        }
        #expect(spooledWhileDown, "the hooks spooled while the server was down")
        // Opened after the restart: a connection does not outlive its server.
        let journal = try PostgresJournal(PostgresParameters(url: try #require(u.world.storeURL)))
        #expect(waitUntil(limit: 600) { (try? journal.counts()[.done]) == burst.pushes.count }, "\((try? journal.counts()) ?? [:]) of \(burst.pushes.count)")
        #expect(spool.isEmpty)
        try expectOneCleanRun(u, burst, journal)
        for worker in workers { worker.send(SIGTERM) }
        for worker in workers { #expect(worker.waitForExit(limit: 60) == 0, "\(worker.output)") }
    }

    /// What one clean run of the burst gives: each push recorded once and handled after the one
    /// before it in its repository; one PR per bug, never a second one; open with exactly its
    /// changes still in, once each, or closed when all were backed out.
    func expectOneCleanRun(_ u: UpstreamWorld, _ burst: GeckoBurst, _ journal: PostgresJournal) throws {
        let events = try journal.events(state: nil, limit: 100_000).reversed()
        let recorded = events.compactMap { event -> String? in
            guard case .gitPush(let push) = event.payload else { return nil }
            return "\(push.repository) \(push.updates.map(\.new).joined(separator: ","))"
        }
        #expect(recorded.sorted() == burst.pushes.map { "\($0.repository) \($0.tip)" }.sorted(), "each push recorded once")
        for repository in burst.repositories.map(\.name) {
            let finished = events.filter { $0.payload.repository == repository }.map { $0.finishedAt ?? .distantFuture }
            #expect(finished == finished.sorted() && Set(finished).count == finished.count,
                    "\(repository)'s events were handled one after the other in the order of its pushes")
        }

        let live = burst.liveChangesByBug
        let pulls = u.github.pullRequests
        #expect(pulls.map(\.headRef).sorted() == live.keys.map { "gecko/\($0)" }.sorted(), "one PR per bug, on gecko/<bug>")
        #expect(u.github.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/pulls") && $0.status == 201 }.count == live.count,
                "no PR was created twice")
        let upstream = try GitRepository.open(at: u.upstream)
        let master = try upstream.resolve("master")
        for pr in pulls {
            let bug = Int(pr.headRef.dropFirst("gecko/".count)) ?? 0
            let changes = live[bug] ?? []
            #expect(pr.isOpen == !changes.isEmpty, "PR #\(pr.number) for bug \(bug), \(changes.count) change(s) still in: open \(pr.isOpen)")
            guard pr.isOpen else { continue }
            let exported = try upstream.commits(from: [try upstream.resolve(pr.headRef)], hiding: [master]).flatMap { oid in
                String(decoding: try upstream.commit(oid).message, as: UTF8.self).split(separator: "\n")
                    .filter { $0.hasPrefix("gecko-commit: ") }.map { String($0.dropFirst("gecko-commit: ".count)) }
            }
            #expect(exported == changes, "bug \(bug)'s branch holds each change still in, once, in order")
        }
        let syncs = try u.world.wptsync(["list", "--json"]).split(separator: "\n")
        #expect(syncs.count == live.count, "one sync per bug")
    }
}
