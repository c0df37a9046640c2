import Foundation
import GRDB
import Store
import SyncCore
import Testing
import TestSupport

@Suite("A hook's write through SQLite's C API (SQLiteEventWriter)")
struct SQLiteEventWriterTests {
    let dir = TempDir("event-writer")

    /// A push to the wpt mirror, beside the hg pushes of `push`.
    let gitPush = EventPayload.gitPush(GitPush(repository: "wpt", updates: [
        RefUpdate(old: String(repeating: "1", count: 40), new: String(repeating: "2", count: 40), ref: "refs/heads/master"),
    ], user: "someone"))

    /// Every column of every event, as an operator's `sqlite3` prints them.
    func rows(_ path: String) throws -> String {
        try sh("sqlite3", [path, "SELECT * FROM events ORDER BY id"])
    }

    @Test func writesTheRowsSQLiteJournalWrites() throws {
        let batch = [push("autoland", 1), gitPush, push("autoland", 1), push("central", 2)]
        let viaGRDB = dir.sub("grdb/j.sqlite"), viaC = dir.sub("c/j.sqlite")
        let expected = try SQLiteJournal(path: viaGRDB).record(batch, at: t0)
        _ = try SQLiteJournal(path: viaC)
        let outcomes = try SQLiteEventWriter.record(batch, at: t0, path: viaC, busyTimeoutMilliseconds: 1000)
        #expect(outcomes == expected)
        #expect(outcomes == [.recorded(id: 1), .recorded(id: 2), .duplicate(id: 1), .recorded(id: 3)])
        #expect(try rows(viaC) == rows(viaGRDB))
        #expect(try SQLiteJournal(path: viaC).event(id: 2)?.payload == gitPush)
    }

    @Test func recognizesARecordedPushWhicheverPathRecordedIt() throws {
        let path = dir.sub("state/j.sqlite")
        let journal = try SQLiteJournal(path: path)
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(try SQLiteEventWriter.record([push("autoland", 1), push("autoland", 2)], at: t0, path: path, busyTimeoutMilliseconds: 1000)
                == [.duplicate(id: 1), .recorded(id: 2)])
        #expect(try SQLiteEventWriter.record([push("autoland", 2)], at: t0, path: path, busyTimeoutMilliseconds: 1000) == [.duplicate(id: 2)])
        #expect(try journal.record(push("autoland", 2), at: t0) == .duplicate(id: 2))
        #expect(try journal.counts() == [.pending: 2])
    }

    @Test func leavesAMissingOrUnmigratedJournalToSQLiteJournal() throws {
        let missing = dir.sub("none/j.sqlite")
        #expect(try SQLiteEventWriter.record([push("autoland", 1)], at: t0, path: missing, busyTimeoutMilliseconds: 1000) == nil)
        #expect(!FileManager.default.fileExists(atPath: missing))

        let empty = dir.sub("empty.sqlite")
        try sh("sqlite3", [empty, "PRAGMA user_version = 0"])
        #expect(try SQLiteEventWriter.record([push("autoland", 1)], at: t0, path: empty, busyTimeoutMilliseconds: 1000) == nil)

        // A journal migrated by an older release: the newest migration is missing.
        let older = dir.sub("older/j.sqlite")
        _ = try SQLiteJournal(path: older)
        let latest = try sh("sqlite3", [older, "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1"])
        try sh("sqlite3", [older, "DELETE FROM grdb_migrations WHERE identifier = '\(latest.trimmingCharacters(in: .whitespacesAndNewlines))'"])
        #expect(try SQLiteEventWriter.record([push("autoland", 1)], at: t0, path: older, busyTimeoutMilliseconds: 1000) == nil)
        #expect(try rows(older).isEmpty)
    }

    @Test func aJournalLockedPastTheTimeoutIsBusyAndUnchanged() throws {
        let path = dir.sub("state/j.sqlite")
        _ = try SQLiteJournal(path: path)
        let holder = try DatabaseQueue(path: path)
        var thrown: (any Error)?
        try holder.inTransaction(.immediate) { _ in
            do { _ = try SQLiteEventWriter.record([push("autoland", 1)], at: t0, path: path, busyTimeoutMilliseconds: 50) } catch { thrown = error }
            return .commit
        }
        guard case .busy(path)? = thrown as? StoreError else { Issue.record("not busy: \(String(describing: thrown))"); return }
        #expect(try rows(path).isEmpty)
    }
}
