#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open changelog index file (`ChangelogReader`). An inline index is read whole (Mercurial
/// splits it past 128 KiB); a separate one is read with `pread`, in blocks from the end, only as
/// far back as a question needs. Reads go through one descriptor, so a file renamed over this one
/// (a transaction closing after a pending hook) is not mixed in.
final class OpenChangelogIndex {
    let path: String
    /// The number of revisions.
    let count: Int
    private let descriptor: Int32
    private let size: Int
    /// An inline index's bytes and where each entry starts; nil for a separate index.
    private let inline: (bytes: [UInt8], offsets: [Int])?
    /// Entries read per `pread` of a separate index.
    private static let block = 4096

    init(path: String) throws(ChangelogDistrust) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(file: path, reason: Self.systemError()) }
        switch Result(catching: { [descriptor] () throws(ChangelogDistrust) in try Self.layout(of: descriptor, path: path) }) {
        case .success(let layout):
            (size, count, inline) = layout
        case .failure(let reason):
            closeFile(descriptor)
            throw reason
        }
    }

    /// The file's size, its number of revisions, and an inline index's bytes and entry offsets.
    private static func layout(of descriptor: Int32, path: String) throws(ChangelogDistrust) -> (Int, Int, (bytes: [UInt8], offsets: [Int])?) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(file: path, reason: systemError()) }
        let size = Int(info.st_size)
        guard size > 0 else { throw .empty }
        let header = try read(descriptor, count: 4, at: 0, path: path).reduce(0) { $0 << 8 | UInt32($1) }
        guard try ChangelogIndex.isInline(header: header) else {
            return (size, try ChangelogIndex.separateEntryCount(size: size), nil)
        }
        let bytes = try read(descriptor, count: size, at: 0, path: path)
        let offsets = try ChangelogIndex.inlineEntryOffsets(bytes)
        return (size, offsets.count, (bytes, offsets))
    }

    func close() { closeFile(descriptor) }

    /// The node of `revision`.
    func node(at revision: Int) throws(ChangelogDistrust) -> Oid {
        if let inline {
            return inline.bytes.withUnsafeBytes { ChangelogIndex.node(in: $0, entryAt: inline.offsets[revision]) }
        }
        let entry = try Self.read(descriptor, count: ChangelogIndex.entrySize, at: revision * ChangelogIndex.entrySize, path: path)
        return entry.withUnsafeBytes { ChangelogIndex.node(in: $0, entryAt: 0) }
    }

    /// Calls `visit` with each node and its revision from the last revision back, until it returns true.
    func scanBackward(_ visit: (Oid, Int) -> Bool) throws(ChangelogDistrust) {
        if let inline {
            inline.bytes.withUnsafeBytes { bytes in
                for revision in inline.offsets.indices.reversed() where visit(ChangelogIndex.node(in: bytes, entryAt: inline.offsets[revision]), revision) { return }
            }
            return
        }
        var end = count
        while end > 0 {
            let start = max(0, end - Self.block)
            let entries = try Self.read(descriptor, count: (end - start) * ChangelogIndex.entrySize, at: start * ChangelogIndex.entrySize, path: path)
            let stop = entries.withUnsafeBytes { bytes in
                for revision in (start..<end).reversed() where visit(ChangelogIndex.node(in: bytes, entryAt: (revision - start) * ChangelogIndex.entrySize), revision) { return true }
                return false
            }
            if stop { return }
            end = start
        }
    }

    /// Throws when the file shrank since it was opened: it was rewritten while being read (a
    /// strip truncates it in place). Growth is a transaction appending after what was read.
    func checkUnchanged() throws(ChangelogDistrust) {
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= size else { throw .changedWhileReading }
    }

    /// The whole file at `path`.
    static func readWhole(_ path: String) throws(ChangelogDistrust) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(file: path, reason: systemError()) }
        defer { closeFile(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(file: path, reason: systemError()) }
        return try read(descriptor, count: Int(info.st_size), at: 0, path: path)
    }

    /// Exactly `count` bytes at `offset`; a short read means the file shrank meanwhile.
    private static func read(_ descriptor: Int32, count: Int, at offset: Int, path: String) throws(ChangelogDistrust) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .unreadable(file: path, reason: systemError()) }
            guard got > 0 else { throw .changedWhileReading }
            done += got
        }
        return bytes
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

private func closeFile(_ descriptor: Int32) { _ = close(descriptor) }
