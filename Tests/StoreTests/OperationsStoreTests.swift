import Foundation
import Store
import SyncCore
import Testing
import TestSupport

@Suite("Operators' switches in the store (SQLite; PostgreSQL when installed)")
struct OperationsStoreTests {
    let dir = TempDir("operations")

    @Test(arguments: JournalBackend.available) func skipsAreKeptOnceListedAndRemoved(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let node = String(repeating: "a", count: 40)
        let note = OperatorNote(by: "alice", reason: "breaks upstream", since: Date(timeIntervalSince1970: 100))
        #expect(try store.skip(.changeset(node), note: note).added)
        let again = try store.skip(.changeset(node), note: OperatorNote(by: "bob", reason: "other", since: Date()))
        #expect(!again.added && again.skip.note == note)
        _ = try store.skip(.pullRequest(12), note: note)
        #expect(try store.skippedChangesets() == [node])
        #expect(try store.skip(for: .pullRequest(12))?.target == .pullRequest(12) && store.skip(for: .pullRequest(13)) == nil)
        #expect(try store.skips().map(\.target) == [.changeset(node), .pullRequest(12)])
        #expect(try store.unskip(.pullRequest(12))?.note == note)
        #expect(try store.unskip(.pullRequest(12)) == nil)
        #expect(try store.skip(for: .pullRequest(12)) == nil)
    }

    @Test(arguments: JournalBackend.available) func aPauseIsDurableAndKeptUntilResumed(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let note = OperatorNote(by: "alice", reason: "GitHub outage", since: Date(timeIntervalSince1970: 200))
        #expect(try store.pause(note).added)
        let reopened = try backend.reopen(store)
        #expect(try reopened.currentPause() == note)
        #expect(try reopened.pause(OperatorNote(by: "bob", reason: "x", since: Date())) == (note, false))
        #expect(try reopened.resume() == note)
        #expect(try reopened.resume() == nil)
        #expect(try reopened.currentPause() == nil)
    }
}
