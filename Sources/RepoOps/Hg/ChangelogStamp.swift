#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HgRepository {
    /// A stamp of the changelog file of the repository at `path` (device, inode, size and change
    /// time), read without starting Mercurial: it changes whenever a changeset is added or stripped.
    /// Nil when the file cannot be read.
    public static func changelogStamp(path: String) -> String? {
        var info = stat()
        guard stat(path + "/.hg/store/00changelog.i", &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }
}
