import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: what a PostgreSQL claim costs: one round trip, and index seeks however many events
/// the journal holds.
@Suite("PostgreSQL claims", .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresClaimTests {
    func claim(_ journal: PostgresJournal, _ worker: String = "w", at time: Date = t0, maxAttempts: Int = 3) throws -> JournalEvent? {
        try journal.claimNext(worker: worker, now: time, dueBy: time, leaseSeconds: 60, maxAttempts: maxAttempts)
    }

    @Test func aClaimTakesOneRoundTripWhetherItFindsAnEventOrNot() throws {
        let journal = try PostgresJournal.fresh()
        _ = try journal.record([push("autoland", 1), push("autoland", 2), push("central", 3)], at: t0)
        let relay = try PostgresRelay(to: try #require(PostgresCluster.shared).port)
        defer { relay.stop() }
        let worker = try PostgresJournal(PostgresParameters(url: relay.url(journal.url)))
        var turns = relay.turns
        func trips() -> Int { defer { turns = relay.turns }; return relay.turns - turns }
        let first = try #require(try claim(worker))
        #expect(trips() == 1)
        #expect(first.id == 1 && first.state == .running && first.attempts == 1 && first.leaseOwner == "w"
                && first.leaseUntil == t0.addingTimeInterval(60))
        #expect(try journal.event(id: 1) == first)
        #expect(try claim(worker)?.id == 3)
        #expect(trips() == 1)
        #expect(try claim(worker) == nil)
        #expect(trips() == 1)
    }

    @Test func anEventWhoseWorkerStoppedDuringItsLastAttemptFailsAndTheNextOfItsRepositoryIsClaimed() throws {
        let journal = try PostgresJournal.fresh()
        _ = try journal.record([push("autoland", 1), push("autoland", 2)], at: t0)
        #expect(try claim(journal, maxAttempts: 1)?.id == 1)
        let later = t0.addingTimeInterval(120)
        let next = try #require(try claim(journal, "w2", at: later, maxAttempts: 1))
        #expect(next.id == 2 && next.leaseOwner == "w2" && next.attempts == 1)
        let gaveUp = try #require(try journal.event(id: 1))
        #expect(gaveUp.state == .failed && gaveUp.attempts == 1 && gaveUp.lastError == "the worker stopped during attempt 1"
                && gaveUp.nextAttemptAt == nil && gaveUp.leaseOwner == nil && gaveUp.leaseUntil == nil)
    }

    @Test func theClaimSeeksTheIndexOfUnfinishedEventsInAHundredThousandEventJournal() throws {
        let journal = try PostgresJournal.fresh()
        _ = try journal.record(push("autoland", 1), at: t0)
        let db = try PostgresConnection(journal.parameters)
        // 99,000 done events and 1,000 pending ones over four repositories, clones of the first.
        try db.execute("""
            INSERT INTO events (kind, repository, dedupe_key, payload, state, attempts, received_at, next_attempt_at, finished_at)
            SELECT kind, (ARRAY['autoland', 'central', 'try', 'wpt'])[n % 4 + 1], 'clone-' || n, payload,
                   CASE WHEN n < 99000 THEN 'done' ELSE 'pending' END, 0, received_at,
                   CASE WHEN n < 99000 THEN NULL ELSE received_at END, CASE WHEN n < 99000 THEN received_at END
            FROM events, generate_series(1, 99999) n WHERE id = 1
            """)
        try db.execute("UPDATE events SET state = 'done', next_attempt_at = NULL WHERE id = 1")
        try db.execute("VACUUM ANALYZE events")
        let time = String(t0.timeIntervalSince1970)
        let plan = try db.execute("EXPLAIN " + PostgresJournal.claimStatement, [time, time, "3", "w", time]).rows.compactMap { $0[0] }
        #expect(plan.contains { $0.contains("events_unfinished") }, "\(plan.joined(separator: "\n"))")
        #expect(!plan.contains { $0.contains("Seq Scan") || $0.contains("Bitmap Heap Scan") }, "\(plan.joined(separator: "\n"))")
        // The oldest pending event of each repository (clone n is event n + 1), in id order.
        #expect(try (0..<4).map { _ in try claim(journal)?.id } == [99001, 99002, 99003, 99004])
        #expect(try claim(journal) == nil)
    }
}
