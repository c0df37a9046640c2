#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import RepoOps
import TestSupport

/// Between the check that a lock is stale and its removal, another process may remove that stale
/// lock and a live writer take the reference again: the live writer's new lock must survive.
@Suite("Stale lock removal against a live writer")
struct StaleLockRaceTests {
    private func makeStale(_ lock: String) throws {
        try writeFile(lock, "stale\n")
        var old = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    }

    @Test func aLockTakenBetweenTheCheckAndTheRemovalSurvives() throws {
        let dir = TempDir("stale-lock-race")
        let lock = dir.sub("main.lock")
        try makeStale(lock)
        StaleLock.remove(lock, olderThan: 2) {
            unlink(lock)
            try? writeFile(lock, "live\n")
        }
        #expect((try? String(contentsOfFile: lock, encoding: .utf8)) == "live\n", "the live writer's lock is still there")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["main.lock"], "nothing left beside it")
    }

    @Test func aStaleLockIsRemovedAndAFreshOneKept() throws {
        let dir = TempDir("stale-lock-plain")
        let lock = dir.sub("main.lock")
        try makeStale(lock)
        #expect(StaleLock.remove(lock, olderThan: 2))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "removed, nothing left beside it")
        try writeFile(lock, "live\n")
        #expect(!StaleLock.remove(lock, olderThan: 2))
        #expect(FileManager.default.fileExists(atPath: lock))
    }
}
