#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Which lock files in a repository are wptsync's own, so that one a killed wptsync process left
/// behind may be removed once it is stale. A person's references are never in it.
public struct LockOwnership: Sendable, Equatable {
    /// Reference names wptsync writes here: exact names, or prefixes ending in `/`.
    public var references: [String]
    /// Whether `packed-refs.lock` is wptsync's too: only in a repository no person writes to.
    public var packedReferences: Bool

    /// Owns the references named (exact names, or prefixes ending in `/`), and `packed-refs` or not.
    public init(references: [String], packedReferences: Bool) {
        self.references = references; self.packedReferences = packedReferences
    }

    /// Any repository: only wptsync's own references, `refs/wptsync/…`.
    public static let wptsyncReferences = LockOwnership(references: ["refs/wptsync/"], packedReferences: false)
    /// wptsync's own clone (a landing or try clone): every reference, and `packed-refs`.
    public static let ownClone = LockOwnership(references: ["refs/"], packedReferences: true)
    /// The wpt mirror wptsync keeps: its own references and the branches it fetches into it
    /// (upstream `master`, PR heads under `refs/pull/`). Not `packed-refs`: pushes to the mirror
    /// can start `git gc --auto`, whose `pack-refs` holds that lock while it reads every reference.
    public static let wptMirror = LockOwnership(references: ["refs/wptsync/", "refs/pull/", "refs/heads/master"], packedReferences: false)

    /// Whether the reference `name` is wptsync's here.
    public func owns(_ name: String) -> Bool {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard name.hasPrefix("refs/"), !components.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." }) else { return false }
        return references.contains { $0.hasSuffix("/") ? name.hasPrefix($0) : name == $0 }
    }
}

extension GitRepository {
    /// Removes the lock file of `name` when the reference is wptsync's here (`lockOwnership`) and
    /// the lock is older than `age`. A process killed while updating the reference leaves its lock
    /// behind, and libgit2, like git, then refuses every later update of it; a live lock lasts one
    /// write. Other references (a person's, git's own) are left to their owners. `fetch`,
    /// `updateReference` and `deleteReference` call it before they lock the reference.
    public func removeStaleLock(of name: String, olderThan age: TimeInterval = 2) {
        guard lockOwnership.owns(name) else { return }
        removeIfStale((path.hasSuffix("/") ? path : path + "/") + name + ".lock", olderThan: age)
    }

    /// Removes `packed-refs.lock` when `packed-refs` is wptsync's here and the lock is older than
    /// `age`: a process killed while deleting a packed reference leaves it, and every later deletion
    /// of a packed reference then fails. Its own age is longer than a reference's: `git pack-refs`
    /// holds it while it reads every loose reference. `deleteReference` and a pruning `fetch` call it.
    public func removeStalePackedReferencesLock(olderThan age: TimeInterval = 60) {
        guard lockOwnership.packedReferences else { return }
        removeIfStale((path.hasSuffix("/") ? path : path + "/") + "packed-refs.lock", olderThan: age)
    }

    private func removeIfStale(_ lock: String, olderThan age: TimeInterval) {
        StaleLock.remove(lock, olderThan: age)
    }
}

/// Removing a lock file that a killed process left behind.
enum StaleLock {
    /// Removes the regular file `lock` when it is older than `age`; whether it did. `afterCheck` runs
    /// between the check and the removal (tests put another process's steps there).
    @discardableResult
    static func remove(_ lock: String, olderThan age: TimeInterval, afterCheck: () -> Void = {}) -> Bool {
        var seen = stat()
        guard lstat(lock, &seen) == 0, (seen.st_mode & S_IFMT) == S_IFREG, isOlder(seen, than: age) else { return false }
        afterCheck()
        // Between the check and an unlink, the stale lock may go and a live writer take the name, so
        // the lock is first renamed aside (atomically: whatever holds the name then is what is moved),
        // and only removed if it is the file seen stale (same device and inode, still old). A live
        // lock moved by mistake goes back with `link`, which never replaces a lock taken since; if
        // one was, both are left. The aside name starts with "." and ends in ".lock": never a
        // reference, nor another reference's lock.
        let folder = (lock as NSString).deletingLastPathComponent
        let aside = folder + "/." + (lock as NSString).lastPathComponent + ".\(getpid())-\(UInt64.random(in: 0...UInt64.max)).lock"
        guard rename(lock, aside) == 0 else { return false }
        var moved = stat()
        guard lstat(aside, &moved) == 0 else { return false }
        if moved.st_dev == seen.st_dev, moved.st_ino == seen.st_ino, isOlder(moved, than: age) {
            return unlink(aside) == 0
        }
        if link(aside, lock) == 0 { unlink(aside) }
        return false
    }

    static func isOlder(_ info: stat, than age: TimeInterval) -> Bool {
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        return Date().timeIntervalSince(modified) > age
    }
}
