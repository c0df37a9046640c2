import Foundation
import GRDB
@testable import Store
import SyncCore
import Testing
import TestSupport

/// Issue 11: claiming stays a few index seeks with thousands of events pending, and keeps each
/// repository's order (issue 15: on PostgreSQL too).
@Suite("Event journal (SQLite; PostgreSQL when installed): claims with a backlog")
struct JournalBacklogTests {
    let dir = TempDir("journal-backlog")
    var path: String { dir.sub("state/j.sqlite") }

    func claim(_ journal: any EventJournal, _ worker: String = "w", at time: Date = t0) throws -> JournalEvent? {
        try journal.claimNext(worker: worker, now: time, dueBy: time, leaseSeconds: 60, maxAttempts: 3)
    }

    @Test(arguments: JournalBackend.available) func aBacklogIsClaimedInEachRepositorysOrderPastAWaitingRetryAndARunningEvent(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        let repositories = ["try", "autoland", "central", "wpt"]
        for n in 1...400 { _ = try journal.record(push(repositories[n % 4], n), at: t0) }
        // autoland's oldest fails with a retry in an hour; central's oldest stays running.
        #expect(try claim(journal)?.id == 1)
        try journal.fail(id: 1, worker: "w", error: "GitHub is down", retryAt: t0.addingTimeInterval(3600), now: t0)
        #expect(try claim(journal, "other")?.id == 2)
        var claimed: [String: [Int64]] = [:]
        while let event = try claim(journal) {
            claimed[event.repository, default: []].append(event.id)
            try journal.complete(id: event.id, worker: "w", now: t0)
        }
        #expect(claimed["autoland"] == nil && claimed["central"] == nil)
        #expect(claimed["wpt"] == Array(stride(from: 3, through: 399, by: 4)))
        #expect(claimed["try"] == Array(stride(from: 4, through: 400, by: 4)))
        try journal.complete(id: 2, worker: "other", now: t0)
        let later = t0.addingTimeInterval(3600)
        while let event = try claim(journal, at: later) {
            claimed[event.repository, default: []].append(event.id)
            try journal.complete(id: event.id, worker: "w", now: later)
        }
        #expect(claimed["autoland"] == Array(stride(from: 1, through: 397, by: 4)))
        #expect(claimed["central"] == Array(stride(from: 6, through: 398, by: 4)))
        #expect(try journal.counts() == [.done: 400])
    }

    @Test func theClaimSeeksEachRepositoryInTheIndexOfUnfinishedEventsAndScansNoEvents() throws {
        _ = try SQLiteJournal(path: path)
        // Rows are (id, parent, notused, detail): the detail is the fourth column.
        let details = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteJournal.claimQuery, arguments: ["now": 0, "due": 0])
                .map { $0[3] as String }
        }
        #expect(details.contains { $0.contains("USING INDEX events_unfinished (repository>?)") })
        #expect(details.contains { $0.contains("USING INDEX events_unfinished (repository=?)") })
        #expect(!details.contains { $0.hasPrefix("SCAN events") || $0.hasPrefix("SCAN e ") || $0 == "SCAN e" }, "\(details)")
    }

    /// With the statistics of a journal holding 100,000 finished events (`ANALYZE`, as `PRAGMA
    /// optimize` or an operator may run it), SQLite built a Bloom filter for the claim by scanning
    /// every event: a worker drained 59 events a second instead of about 1,100.
    @Test func theClaimScansNoEventsWithTheStatisticsOfALongJournal() throws {
        _ = try SQLiteJournal(path: path)
        let details = try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                INSERT INTO events (kind, repository, dedupe_key, payload, state, attempts, received_at, finished_at)
                SELECT 'git-push', 'wpt', 'finished-' || i, '{}', 'done', 1, 0, 0 FROM n
                """)
            try db.execute(sql: "INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at) VALUES ('git-push', 'wpt', 'due', '{}', 0, 0)")
            try db.execute(sql: "ANALYZE")
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteJournal.claimQuery, arguments: ["now": 1, "due": 1]).map { $0[3] as String }
        }
        #expect(!details.contains { $0.contains("BLOOM FILTER") || $0.hasPrefix("SCAN e") || $0.hasPrefix("SCAN events") }, "\(details)")
    }

    @Test func aJournalFromBeforeTheIndexGetsItAtOpenAndClaimsTheSame() throws {
        do {
            let journal = try SQLiteJournal(path: path)
            for n in 1...3 { _ = try journal.record(push(n == 3 ? "central" : "autoland", n), at: t0) }
        }
        // As an older release left it: no index, no record of the migration.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DROP INDEX events_unfinished")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'events-v3-unfinished-index'")
        }
        let journal = try SQLiteJournal(path: path)
        let index = try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_unfinished'")
        }
        #expect(index == "events_unfinished")
        #expect(try claim(journal)?.id == 1)
        #expect(try claim(journal)?.id == 3)
        #expect(try claim(journal) == nil)
        // Opening again changes nothing.
        _ = try SQLiteJournal(path: path)
        #expect(try journal.counts() == [.running: 2, .pending: 1])
    }
}
