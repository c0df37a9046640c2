import Foundation
import HookIntake
import Store
import SyncCore
import Testing
import TestSupport
import WPTSyncKit

/// A push spooled while the store was down, then another made while the worker imports the spool:
/// the second must be recorded after the first, or a backout in it is handled before the change
/// it backs out (seen in a burst with a PostgreSQL restart).
@Suite("A hook and the spool's import")
struct HookSpoolOrderTests {
    let dir = TempDir("hook-spool-order")

    func push(_ n: Int) -> EventPayload {
        let node = String(format: "%040x", n)
        return .hgPush(HgPush(repository: "autoland", firstNode: node, lastNode: node, source: "push", url: nil))
    }

    @Test func aHookWaitsForAnImportInProgressSoItsPushComesAfterTheSpooledOne() throws {
        let config = try ConfigLoader.parse("[store]\npath = \"\(dir.sub("journal.sqlite"))\"\n",
                                            file: dir.sub("wptsync.toml"), baseDirectory: dir.path)
        let intake = HookIntake(config: config)
        let journal = try SQLiteJournal(path: config.store.path)
        try intake.spool.file.append(push(1), at: Date())
        // Another open file description holding the spool's lock, as the worker's import does.
        let importer = open(config.store.spool, O_RDWR | O_CLOEXEC)
        defer { close(importer) }
        try #require(flock(importer, LOCK_EX) == 0)

        let hook = DispatchGroup()
        DispatchQueue.global().async(group: hook) { _ = intake.record(push(2)) }
        #expect(waitUntil(limit: 30) { flockWaiters(on: config.store.spool) > 0 }, "the hook waits for the import")
        _ = try journal.record(push(1), at: Date())
        #expect(ftruncate(importer, 0) == 0)
        flock(importer, LOCK_UN)
        hook.wait()

        let recorded = try journal.events(state: nil, limit: 10).reversed().map(\.payload)
        #expect(recorded == [push(1), push(2)], "the spooled push first, each once")
        #expect(intake.spool.file.isEmpty)
    }
}

/// How many `flock` requests wait for `path`'s lock, from `/proc/locks` (a blocked request is
/// listed with `->`, and every entry ends its device field with the file's inode).
func flockWaiters(on path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return 0 }
    return locks.split(separator: "\n").filter { line in
        line.contains("-> FLOCK") && line.split(separator: " ").contains { $0.hasSuffix(":\(info.st_ino)") }
    }.count
}
