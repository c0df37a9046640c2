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

/// Issue 9: a worker outlives a locked journal, keeps its lease while an event runs, stops work
/// whose lease it lost, and stops promptly on SIGTERM without burning the event in hand.
@Suite("Worker resilience", .serialized)
struct WorkerResilienceTests {
    /// `wptsync worker` for `world`, its output collected in the background.
    static func startWorker(_ world: SyncWorld) throws -> RunningProcess {
        try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                           extraEnvironment: world.environment)
    }

    /// A worker that claimed bug 1's change and now waits on `fault`, which GitHub answered with `status`.
    static func workerWaiting(on fault: Fault, answered status: Int, worker config: String) throws -> (UpstreamWorld, RunningProcess) {
        let u = try UpstreamWorld(extraConfig: "[worker]\npoll_seconds = 0.05\n" + config)
        u.github.injectFault(fault)
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1 - Add a. r=x")
        let worker = try startWorker(u.world)
        try #require(waitUntil(limit: 60) { u.github.requests.contains { $0.status == status } }, "\(worker.output)")
        return (u, worker)
    }

    static func log(_ world: SyncWorld) -> String { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }

    static func event(_ world: SyncWorld, _ id: Int64) throws -> JournalEvent? { try SQLiteJournal(path: world.store).event(id: id) }

    /// A worker name as the journal records it.
    static func name(_ worker: RunningProcess) -> String { "\(ProcessInfo.processInfo.hostName):\(worker.child.pid)" }

    @Test func aWorkerWaitsForALockedJournalThenProcessesThePendingEvent() throws {
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 0.05\n")
        try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        // Opened first: a connection opening while another one starts may briefly hold the journal
        // (rebuilding its WAL index), which a zero busy timeout would take for the lock.
        let probe = try SQLiteJournal(path: world.store, busyTimeoutMilliseconds: 0)
        // Another process holds the journal's write lock.
        let holder = try Child.spawn("sqlite3", [world.store])
        defer { close(holder.stdin); close(holder.stdout); close(holder.stderr); _ = holder.wait() }
        // `.timeout`: a lock held a moment by another connection delays the BEGIN, never fails it.
        _ = ".timeout 10000\nBEGIN IMMEDIATE;\n".withCString { write(holder.stdin, $0, strlen($0)) }
        try #require(waitUntil(limit: 30) { (try? probe.renewLease(id: 0, worker: "-", until: Date())) == nil }, "the lock was not taken")

        let worker = try Self.startWorker(world)
        // The worker's own busy timeout (5 s) runs out; it says so and waits.
        let waited = waitUntil(limit: 60) { !worker.isRunning || Self.log(world).contains("the journal is locked by another process") }
        #expect(waited)
        #expect(worker.isRunning, "the worker exited with \(worker.status ?? -1): \(worker.output)")
        #expect(try Self.event(world, 1)?.state == .pending)

        _ = "COMMIT;\n".withCString { write(holder.stdin, $0, strlen($0)) }
        #expect(waitUntil(limit: 60) { (try? Self.event(world, 1))??.state == .done }, "\(worker.output)")
        #expect(worker.isRunning)
        // Logged once the pass that processed the event returns, which may be just after the event is done.
        #expect(waitUntil(limit: 30) { Self.log(world).contains("the journal is writable again") }, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }

    @Test func sigtermEndsARateLimitWaitAndTheEventStaysPendingWithItsAttempts() throws {
        // GitHub's rate limit lifts in an hour: the worker would wait for it.
        let (u, worker) = try Self.workerWaiting(on: .rateLimited(resetAfter: 3600), answered: 403, worker: "")
        #expect(try Self.event(u.world, 1)?.state == .running)

        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
        let event = try #require(try Self.event(u.world, 1))
        #expect(event.state == .pending && event.attempts == 0 && event.leaseOwner == nil)
        #expect(Self.log(u.world).contains("asked to stop: the event is pending again"))

        // Nothing was lost: the next run opens the PR.
        #expect(try u.process().contains("processed 1 event(s), 0 failed"))
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/1"])
    }

    @Test func aLeaseIsRenewedWhileTheEventRunsSoASecondWorkerNeverRunsIt() throws {
        // A one-second lease, and a GitHub that makes the worker wait four seconds (a secondary rate limit).
        let (u, first) = try Self.workerWaiting(on: .secondaryRateLimit(retryAfter: 4), answered: 429, worker: "lease_seconds = 1\n")
        let second = try Self.startWorker(u.world)

        #expect(waitUntil(limit: 60) { (try? Self.event(u.world, 1))??.state == .done }, "\(first.output)\n\(second.output)")
        for worker in [first, second] { worker.send(SIGTERM) }
        #expect([first, second].map { $0.waitForExit(limit: 30) } == [0, 0])
        let event = try #require(try Self.event(u.world, 1))
        #expect(event.attempts == 1, "claimed \(event.attempts) times")
        #expect(u.github.requests.count { $0.method == "POST" && $0.path.hasSuffix("/pulls") } == 1)
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/1"])
        #expect(!Self.log(u.world).contains("lost the lease"))
    }

    @Test func aWorkerThatLostItsLeaseStopsTheEventsWorkAndLeavesItToTheNewHolder() throws {
        let (u, worker) = try Self.workerWaiting(on: .secondaryRateLimit(retryAfter: 3600), answered: 429, worker: "lease_seconds = 3\n")

        // Another worker holds the event now, as after the lease had run out (e.g. a suspended machine).
        let journal = try SQLiteJournal(path: u.world.store)
        #expect(try journal.releaseLeases(ownedBy: [Self.name(worker)]) == 1)
        let taken = try #require(try journal.claimNext(worker: "elsewhere:1", now: Date(), dueBy: Date(), leaseSeconds: 3600, maxAttempts: 8))
        #expect(taken.id == 1)

        #expect(waitUntil(limit: 30) { Self.log(u.world).contains("stopped the event: another worker holds it now") }, "\(worker.output)")
        #expect(worker.isRunning)
        let event = try #require(try journal.event(id: 1))
        #expect(event.state == .running && event.leaseOwner == "elsewhere:1" && event.attempts == 2)
        // Nothing was written to GitHub after the lease was lost.
        #expect(u.github.requests.allSatisfy { $0.method == "GET" }, "\(u.github.requests.map { "\($0.method) \($0.path)" })")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }
}

/// Issue 9: an impossible event fails for good at once and holds nothing back; operators can drop events.
@Suite("Impossible events", .serialized)
struct ImpossibleEventTests {
    @Test func anUnknownRevisionFailsForGoodAndLaterPushesGoAhead() throws {
        let world = try SyncWorld()
        let bogus = String(repeating: "1", count: 40)
        let hook = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                         extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "HG_NODE": bogus, "HG_SOURCE": "push"]) { $1 })
        #expect(hook.status == 0)
        let node = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")

        let run = try world.wptsyncResult(["process"])
        #expect(run.status == 1 && run.stdoutString.contains("processed 1 event(s), 1 failed"), "\(run.stdoutString)")
        let journal = try SQLiteJournal(path: world.store)
        let failed = try #require(try journal.event(id: 1))
        #expect(failed.state == .failed && failed.permanent && failed.nextAttemptAt == nil && failed.attempts == 1)
        #expect(failed.lastError == "unknown revision: autoland has no changeset \(bogus), so the push cannot be read (not retried)")
        #expect(try journal.event(id: 2)?.state == .done)
        let listing = try world.wptsync(["events", "--state", "failed"])
        #expect(listing.contains("#1 failed hg-push autoland push 111111111111 attempts=1 permanent (not retried; wptsync retry 1 or wptsync events drop 1)"), "\(listing)")
        #expect(try world.wptsync(["events"]).contains("#2 done hg-push autoland push \(node.prefix(12))"))

        let dropped = try world.wptsync(["events", "drop", "1", "--reason", "pushed by a broken mirror", "--by", "alice"])
        #expect(dropped.hasPrefix("dropped #1 dropped hg-push autoland push 111111111111 attempts=1 dropped by alice since "), "\(dropped)")
        #expect(dropped.contains(": pushed by a broken mirror"))
        let shown = try world.wptsync(["events", "--state", "dropped", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "dropped")
        #expect((object["dropped"] as? [String: String])?["by"] == "alice")
        #expect((object["dropped"] as? [String: String])?["reason"] == "pushed by a broken mirror")
        #expect(try world.wptsync(["events"]).contains("dropped: 1"))
    }

    @Test func droppingNamesWhatCannotBeDropped() throws {
        let world = try SyncWorld()
        try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        try world.wptsync(["process"])
        let done = try world.wptsyncResult(["events", "drop", "1", "--reason", "x"])
        #expect(done.status != 0 && done.stderrString.contains("event 1 is done: there is nothing to drop"), "\(done.stderrString)")
        let missing = try world.wptsyncResult(["events", "drop", "7", "--reason", "x"])
        #expect(missing.status != 0 && missing.stderrString.contains("there is no event 7"), "\(missing.stderrString)")
        #expect(try SQLiteJournal(path: world.store).event(id: 1)?.state == .done)
    }

    @Test func aDroppedEventNoLongerHoldsBackItsRepository() throws {
        // Events fail (no GitHub answers) and wait an hour for their retry.
        let u = try UpstreamWorld(extraConfig: "[worker]\nbackoff_base_seconds = 3600\n")
        u.github.injectFault(.serverError(status: 500), count: 1000)
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1 - Add a. r=x")
        try u.world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 2 - Add b. r=x")
        #expect(try u.process().contains("processed 0 event(s), 1 failed"))
        u.github.clearFaults()
        #expect(try u.process().contains("processed 0 event(s), 0 failed"))
        try u.world.wptsync(["events", "drop", "1", "--reason", "bug 1 is handled by hand"])
        #expect(try u.process().contains("processed 1 event(s), 0 failed"))
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/2"])
    }
}
