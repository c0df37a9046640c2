import Foundation
import GRDB
import Store
import SyncCore
import Testing
import TestSupport

@Suite("Event journal (SQLite; PostgreSQL when installed)")
struct JournalTests {
    let dir = TempDir("journal")
    var journal: SQLiteJournal { get throws { try SQLiteJournal(path: dir.sub("state/j.sqlite")) } }

    @Test(arguments: JournalBackend.available) func samePushIsRecordedOnce(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        #expect(try journal.record(push("autoland", 1), at: t0) == .recorded(id: 1))
        #expect(try journal.record(push("autoland", 1), at: t0) == .duplicate(id: 1))
        #expect(try journal.record(push("central", 1), at: t0) == .recorded(id: 2))
        #expect(try journal.counts() == [.pending: 2])
    }

    @Test(arguments: JournalBackend.available) func theEventOfAPushIsFoundByItsKeyWithoutRecording(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        #expect(try journal.event(recording: push("autoland", 1)) == nil)
        _ = try journal.record(push("autoland", 1), at: t0)
        var other = push("autoland", 1)
        if case .hgPush(var hg) = other { hg.source = "replay"; other = .hgPush(hg) }  // the source is not part of the key
        #expect(try journal.event(recording: other)?.id == 1)
        #expect(try journal.event(recording: push("autoland", 2)) == nil)
        #expect(try journal.counts() == [.pending: 1])
    }

    @Test func eventsSurviveReopeningInWALMode() throws {
        _ = try journal.record(push("autoland", 1), at: t0)
        let reopened = try journal
        #expect(try reopened.event(id: 1)?.payload == push("autoland", 1))
        let mode = try DatabaseQueue(path: dir.sub("state/j.sqlite")).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test(arguments: JournalBackend.available) func claimsInOrderAndOneAtATimePerRepository(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        for (repo, n) in [("autoland", 1), ("autoland", 2), ("central", 3)] { _ = try journal.record(push(repo, n), at: t0) }
        let first = try #require(try journal.claimNext(worker: "h:1", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3))
        #expect(first.id == 1 && first.state == .running && first.attempts == 1)
        // autoland's second event waits while the first runs; central's can go.
        let second = try #require(try journal.claimNext(worker: "h:2", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3))
        #expect(second.id == 3)
        #expect(try journal.claimNext(worker: "h:2", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3) == nil)
        try journal.complete(id: 1, worker: "h:1", now: t0)
        #expect(try journal.claimNext(worker: "h:2", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3)?.id == 2)
    }

    @Test(arguments: JournalBackend.available) func anExpiredLeaseIsClaimedAgainAndAStaleWorkerCannotSettleIt(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.claimNext(worker: "h:1", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3)
        #expect(try journal.claimNext(worker: "h:2", now: t0.addingTimeInterval(30), dueBy: t0.addingTimeInterval(30), leaseSeconds: 60, maxAttempts: 3) == nil)
        let again = try #require(try journal.claimNext(worker: "h:2", now: t0.addingTimeInterval(61), dueBy: t0.addingTimeInterval(61), leaseSeconds: 60, maxAttempts: 3))
        #expect(again.attempts == 2 && again.leaseOwner == "h:2")
        try journal.complete(id: 1, worker: "h:1", now: t0)
        #expect(try journal.event(id: 1)?.state == .running)
        try journal.complete(id: 1, worker: "h:2", now: t0)
        #expect(try journal.event(id: 1)?.state == .done)
    }

    @Test(arguments: JournalBackend.available) func failedEventsWaitForTheirRetryTimeThenGiveUp(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 2)
        try journal.fail(id: 1, worker: "w", error: "hg: unknown revision", retryAt: t0.addingTimeInterval(30), now: t0)
        let failed = try #require(try journal.event(id: 1))
        #expect(failed.state == .failed && failed.lastError == "hg: unknown revision")
        #expect(try journal.claimNext(worker: "w", now: t0.addingTimeInterval(29), dueBy: t0.addingTimeInterval(29), leaseSeconds: 60, maxAttempts: 2) == nil)
        #expect(try journal.claimNext(worker: "w", now: t0.addingTimeInterval(30), dueBy: t0.addingTimeInterval(30), leaseSeconds: 60, maxAttempts: 2)?.attempts == 2)
        try journal.fail(id: 1, worker: "w", error: "still broken", retryAt: nil, now: t0)
        #expect(try journal.claimNext(worker: "w", now: t0.addingTimeInterval(99999), dueBy: t0.addingTimeInterval(99999), leaseSeconds: 60, maxAttempts: 2) == nil)
        #expect(try journal.events(state: .failed, limit: 10).map(\.id) == [1])
        #expect(try journal.retry(ids: nil, now: t0) == [1])
        let retried = try #require(try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 2))
        #expect(retried.attempts == 1)
    }

    @Test(arguments: JournalBackend.available) func aLaterEventOfTheSameRepositoryWaitsForAnEarlierRetryButNotForOneThatGaveUp(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.record(push("autoland", 2), at: t0)
        _ = try journal.record(push("central", 3), at: t0)
        _ = try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3)
        try journal.fail(id: 1, worker: "w", error: "GitHub is down", retryAt: t0.addingTimeInterval(60), now: t0)
        #expect(try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3)?.id == 3)
        #expect(try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3) == nil)
        let retried = try #require(try journal.claimNext(worker: "w", now: t0.addingTimeInterval(60), dueBy: t0.addingTimeInterval(60), leaseSeconds: 60, maxAttempts: 3))
        #expect(retried.id == 1)
        try journal.fail(id: 1, worker: "w", error: "gave up", retryAt: nil, now: t0)
        #expect(try journal.claimNext(worker: "w", now: t0.addingTimeInterval(60), dueBy: t0.addingTimeInterval(60), leaseSeconds: 60, maxAttempts: 3)?.id == 2)
    }

    @Test(arguments: JournalBackend.available) func aWorkerThatDiedDuringItsLastAttemptLeavesTheEventFailed(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 1)
        #expect(try journal.claimNext(worker: "w2", now: t0.addingTimeInterval(120), dueBy: t0.addingTimeInterval(120), leaseSeconds: 60, maxAttempts: 1) == nil)
        let event = try #require(try journal.event(id: 1))
        #expect(event.state == .failed && event.lastError == "the worker stopped during attempt 1" && event.nextAttemptAt == nil)
    }

    @Test(arguments: JournalBackend.available) func releasingLeasesOfDeadOwnersMakesTheirEventsClaimable(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.claimNext(worker: "host:999", now: t0, dueBy: t0, leaseSeconds: 600, maxAttempts: 3)
        #expect(try journal.runningOwners() == ["host:999"])
        #expect(try journal.releaseLeases(ownedBy: ["host:999"]) == 1)
        #expect(try journal.claimNext(worker: "host:1", now: t0, dueBy: t0, leaseSeconds: 600, maxAttempts: 3)?.id == 1)
    }

    @Test(arguments: JournalBackend.available) func retryOnlyTouchesFailedEvents(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(try journal.retry(ids: [1], now: t0).isEmpty)
        #expect { try journal.retry(ids: [1, 42], now: t0) } throws: { "\($0)" == "\(StoreError.noSuchEvent(id: 42))" }
    }

    @Test func aLockedDatabaseAnswersBusyWithinTheTimeout() throws {
        let path = dir.sub("state/j.sqlite")
        _ = try journal
        let holder = try DatabaseQueue(path: path)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            let contender = try SQLiteJournal(path: path, busyTimeoutMilliseconds: 50)
            #expect {
                _ = try contender.record(push("autoland", 1), at: t0)
            } throws: { error in
                if case StoreError.busy = error { return true } else { return false }
            }
        }
    }
}

@Suite("Spool")
struct SpoolTests {
    let dir = TempDir("spool")

    @Test func spooledEventsAreImportedOnceAndTheSpoolEmptied() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        #expect(spool.file.isEmpty)
        try spool.file.append(push("autoland", 1), at: t0)
        try spool.file.append(push("autoland", 2), at: t0.addingTimeInterval(1))
        try spool.file.append(push("autoland", 1), at: t0.addingTimeInterval(2))
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        _ = try journal.record(push("autoland", 2), at: t0)
        #expect(try spool.drain(into: journal) == 1)
        #expect(spool.file.isEmpty)
        #expect(try spool.drain(into: journal) == 0)
        let events = try journal.events(state: nil, limit: 10)
        #expect(events.map(\.payload).sorted { $0.dedupeKey < $1.dedupeKey } == [push("autoland", 1), push("autoland", 2)])
        #expect(events.first { $0.payload == push("autoland", 1) }?.receivedAt == t0)
    }

    @Test func aTornLastLineIsSkipped() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        try spool.file.append(push("autoland", 1), at: t0)
        let handle = try #require(FileHandle(forWritingAtPath: spool.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"kind\":\"hg-pu".utf8))
        try handle.close()
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 1)
    }
}
