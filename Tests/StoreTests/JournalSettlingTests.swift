import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 9: leases renewed while an event runs, events given back on stop, permanent failures and
/// dropped events that hold nothing back.
@Suite("Event journal (SQLite; PostgreSQL when installed): renewing, releasing, giving up, dropping")
struct JournalSettlingTests {
    let dir = TempDir("journal-settling")
    var journal: SQLiteJournal { get throws { try SQLiteJournal(path: dir.sub("state/j.sqlite")) } }

    func claim(_ journal: any EventJournal, _ worker: String, at time: Date = t0, lease: Double = 60) throws -> JournalEvent? {
        try journal.claimNext(worker: worker, now: time, dueBy: time, leaseSeconds: lease, maxAttempts: 3)
    }

    @Test(arguments: JournalBackend.available) func aRenewedLeaseIsNotClaimedByAnotherWorkerAndOnlyItsOwnerRenews(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(try claim(journal, "h:1", lease: 10)?.id == 1)
        #expect(try journal.renewLease(id: 1, worker: "h:1", until: t0.addingTimeInterval(30)))
        // Past the first lease, but within the renewed one.
        #expect(try claim(journal, "h:2", at: t0.addingTimeInterval(20)) == nil)
        #expect(try !journal.renewLease(id: 1, worker: "h:2", until: t0.addingTimeInterval(90)))
        // Once the renewed lease runs out, another worker takes it; the first can no longer renew or settle it.
        #expect(try claim(journal, "h:2", at: t0.addingTimeInterval(31))?.id == 1)
        #expect(try !journal.renewLease(id: 1, worker: "h:1", until: t0.addingTimeInterval(90)))
        try journal.complete(id: 1, worker: "h:1", now: t0.addingTimeInterval(32))
        try journal.release(id: 1, worker: "h:1", now: t0.addingTimeInterval(32))
        let event = try #require(try journal.event(id: 1))
        #expect(event.state == .running && event.leaseOwner == "h:2" && event.attempts == 2)
    }

    @Test(arguments: JournalBackend.available) func aReleasedEventIsPendingAgainWithoutTheAttempt(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try claim(journal, "h:1")
        try journal.release(id: 1, worker: "h:1", now: t0.addingTimeInterval(5))
        let event = try #require(try journal.event(id: 1))
        #expect(event.state == .pending && event.attempts == 0 && event.leaseOwner == nil)
        #expect(try claim(journal, "h:2", at: t0.addingTimeInterval(5))?.attempts == 1)
    }

    @Test(arguments: JournalBackend.available) func aPermanentFailureIsNotRetriedAndHoldsNothingBack(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.record(push("autoland", 2), at: t0)
        _ = try claim(journal, "h:1")
        try journal.failPermanently(id: 1, worker: "h:1", error: "unknown revision", now: t0)
        let failed = try #require(try journal.event(id: 1))
        #expect(failed.state == .failed && failed.permanent && failed.nextAttemptAt == nil && failed.lastError == "unknown revision")
        // The next push of the same repository goes ahead at once.
        #expect(try claim(journal, "h:1")?.id == 2)
        // Retrying by hand clears the flag.
        #expect(try journal.retry(ids: [1], now: t0) == [1])
        #expect(try journal.event(id: 1).map { $0.state == .pending && !$0.permanent } == true)
    }

    @Test(arguments: JournalBackend.available) func aDroppedEventKeepsWhoWhenAndWhyAndHoldsNothingBack(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.record(push("autoland", 2), at: t0)
        _ = try claim(journal, "h:1")
        try journal.fail(id: 1, worker: "h:1", error: "boom", retryAt: t0.addingTimeInterval(3600), now: t0)
        // A failed event waiting for its retry holds the repository's later events back...
        #expect(try claim(journal, "h:1") == nil)
        let note = OperatorNote(by: "alice", reason: "stripped from autoland", since: t0.addingTimeInterval(60))
        guard case .dropped(let dropped) = try journal.drop(id: 1, note: note) else { Issue.record("not dropped"); return }
        #expect(dropped.state == .dropped && dropped.dropped == note && dropped.lastError == "boom")
        #expect(try journal.event(id: 1)?.dropped == note)
        // ...until it is dropped.
        #expect(try claim(journal, "h:1", at: t0.addingTimeInterval(61))?.id == 2)
        #expect(try journal.drop(id: 1, note: note) == .alreadyDropped(try #require(try journal.event(id: 1))))
        #expect(try journal.retry(ids: [1], now: t0).isEmpty)
        #expect(try journal.counts()[.dropped] == 1)
    }

    @Test(arguments: JournalBackend.available) func onlyPendingAndFailedEventsCanBeDropped(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try journal.record(push("autoland", 1), at: t0)
        _ = try journal.record(push("central", 2), at: t0)
        _ = try claim(journal, "h:1")
        let note = OperatorNote(by: "alice", reason: "r", since: t0)
        #expect(throws: StoreError.self) { try journal.drop(id: 1, note: note) }
        #expect { try journal.drop(id: 1, note: note) } throws: {
            "\($0)" == "event 1 is being processed by h:1: stop that worker, or wait until the event failed, then drop it"
        }
        try journal.complete(id: 1, worker: "h:1", now: t0)
        #expect { try journal.drop(id: 1, note: note) } throws: { "\($0)" == "event 1 is done: there is nothing to drop" }
        #expect { try journal.drop(id: 9, note: note) } throws: { "\($0)" == "there is no event 9 (see `wptsync events`)" }
        #expect(try journal.event(id: 1)?.state == .done)
        if case .dropped = try journal.drop(id: 2, note: note) {} else { Issue.record("a pending event can be dropped") }
    }
}
