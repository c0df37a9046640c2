#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension GitRepository {
    /// Removes the lock file of `name`, one of wptsync's own references (`refs/wptsync/…`), when it
    /// is older than `age`. A process killed while updating the reference leaves its lock behind,
    /// and libgit2, like git, then refuses every later update of it; a live lock lasts one write.
    /// Other references (a person's, git's own) are left to their owners. `fetch`,
    /// `updateReference` and `deleteReference` call it before they lock the reference.
    public func removeStaleLock(of name: String, olderThan age: TimeInterval = 2) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard name.hasPrefix("refs/wptsync/"), !components.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." }) else { return }
        let lock = (path.hasSuffix("/") ? path : path + "/") + name + ".lock"
        var info = stat()
        guard lstat(lock, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        guard Date().timeIntervalSince(modified) > age else { return }
        unlink(lock)
    }
}
