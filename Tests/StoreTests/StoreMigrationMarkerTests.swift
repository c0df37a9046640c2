import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// Issue 15: the marker `migrate-store` keeps while it copies the store, and the spool it holds.
@Suite("migrate-store's marker")
struct StoreMigrationMarkerTests {
    let dir = TempDir("migration-marker")
    var marker: StoreMigrationMarker { StoreMigrationMarker(path: dir.sub("j.sqlite.migrate-store")) }
    let target = "postgresql://wptsync@127.0.0.1:5432/wptsync"

    @Test func eventsWaitWhileTheCopyRunsAndUntilTheConfigurationNamesTheCopy() throws {
        #expect(!marker.holdsBack(store: dir.sub("j.sqlite")))
        let ((), replaced) = try marker.whileCopying(from: dir.sub("j.sqlite"), to: target) { () throws(StoreError) in
            #expect(marker.isHeld)
            #expect(marker.read()?.phase == .copying)
            #expect(marker.holdsBack(store: dir.sub("j.sqlite")) && marker.holdsBack(store: target))
            #expect { try marker.whileCopying(from: dir.sub("j.sqlite"), to: target) {} } throws: {
                "\($0)".contains("another migrate-store is running (pid \(getpid())")
            }
        }
        #expect(replaced == nil)
        #expect(!marker.isHeld)
        #expect(marker.read()?.phase == .copied)
        #expect(marker.holdsBack(store: dir.sub("j.sqlite")))
        #expect(marker.exists)
        // The configuration names the copy: its processes go on; those still configured with the old store keep spooling.
        #expect(!marker.holdsBack(store: target))
        #expect(marker.exists && marker.holdsBack(store: dir.sub("j.sqlite")))
    }

    @Test func aFailedCopyRemovesTheMarkerAndAnUnreadableOneHoldsBack() throws {
        #expect { try marker.whileCopying(from: dir.sub("j.sqlite"), to: target) { () throws(StoreError) in throw .copy(reason: "refused") } }
            throws: { "\($0)".contains("refused") }
        #expect(!marker.exists)
        try writeFile(marker.path, "{")
        #expect(marker.holdsBack(store: target) && marker.holdsBack(store: dir.sub("j.sqlite")))
    }

    @Test func aMarkerLeftByACopyThatStoppedIsReplacedAndNamed() throws {
        let stopped = StoreMigration(phase: .copying, from: dir.sub("j.sqlite"), to: target, host: "db1", pid: 4242, startedAt: t0)
        close(try marker.write(stopped, locked: false))
        #expect(!marker.isHeld)
        let (_, replaced) = try marker.whileCopying(from: dir.sub("j.sqlite"), to: target) {}
        #expect(replaced == stopped)
        #expect(marker.read()?.pid == getpid())
    }

    @Test func aHeldBackSpoolIsNotDrainedAndOneDrainedAsACopyBeganIsKept() throws {
        let holding = Locked(false)
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput, holdsBack: { holding.value })
        try spool.file.append(push("autoland", 1), at: t0)
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        holding.update { $0 = true }
        #expect(try spool.drain(into: journal) == 0)
        #expect(try journal.counts().isEmpty && !spool.file.isEmpty)
        // The copy begins while the drain records: the events stay in the spool for the store configured next.
        let asked = Locked(0)
        let racing = Spool(path: spool.path, rawInput: noRawInput, holdsBack: { asked.update { $0 += 1; return $0 > 1 } })
        #expect(try racing.drain(into: journal) == 1)
        #expect(!spool.file.isEmpty)
        holding.update { $0 = false }
        #expect(try spool.drain(into: journal) == 0)
        #expect(try spool.file.isEmpty && journal.counts() == [.pending: 1])
    }
}
