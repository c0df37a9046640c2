import Foundation
import SyncCore
#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of events that could not be written to the journal (database locked,
/// unwritable, or broken). Hooks append to it; the next run that can write the journal imports it (`Spool`).
/// Importing is idempotent: events carry their dedupe key, so a crash mid-import loses nothing and
/// duplicates nothing. Records are self-delimiting and checksummed (`SpoolFormat`); bytes that
/// cannot be read are moved to `unreadablePath`, never dropped.
public struct SpoolFile: Sendable {
    /// The spool file.
    public let path: String

    public init(path: String) { self.path = path }

    /// Where unreadable bytes are moved, each with where it came from and why.
    public var unreadablePath: String { path + ".unreadable" }

    /// Appends one event and flushes it to disk. A failed append leaves the file as it was.
    public func append(_ payload: EventPayload, at now: Date) throws(StoreError) {
        guard let record = SpoolFormat.record(payload, at: now) else { throw .spool(path: path, reason: "cannot encode event") }
        try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                 withIntermediateDirectories: true)
        try Self.appendAll(record, to: path)
    }

    /// Appends `bytes` to `file` under its `flock` and fsyncs; on any failure the file is cut back to
    /// where it ended, and the error is the failing call's.
    static func appendAll(_ bytes: [UInt8], to file: String) throws(StoreError) {
        let fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .spool(path: file, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw .spool(path: file, reason: "cannot lock: " + String(cString: strerror(errno))) }
        let start = lseek(fd, 0, SEEK_END)
        guard start >= 0 else { throw .spool(path: file, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        var done = 0
        while done < bytes.count, failure == 0 {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n } else if n < 0, errno == EINTR { continue } else { failure = n < 0 ? errno : EIO }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        guard failure != 0 else { return }
        let undone = ftruncate(fd, start) == 0 ? "" : "; the partial record could not be removed: " + String(cString: strerror(errno))
        throw .spool(path: file, reason: String(cString: strerror(failure)) + undone)
    }

    /// Whether the spool would sit on the same filesystem as `other` (e.g. the journal), judged by the
    /// device of each one's nearest existing folder. Then a full disk stops both at once.
    public func sharesFilesystem(with other: String) -> Bool {
        func device(_ path: String) -> dev_t? {
            var url = URL(fileURLWithPath: path).deletingLastPathComponent()
            var info = stat()
            while stat(url.path, &info) != 0 {
                guard url.path != "/" else { return nil }
                url.deleteLastPathComponent()
            }
            return info.st_dev
        }
        guard let mine = device(path), let theirs = device(other) else { return false }
        return mine == theirs
    }

    /// Whether the spool holds anything to import.
    public var isEmpty: Bool {
        var info = stat()
        return stat(path, &info) != 0 || info.st_size == 0
    }
}
