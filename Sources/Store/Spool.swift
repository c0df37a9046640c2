import Foundation
import SyncCore
#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of events that could not be written to the journal (database locked,
/// unwritable, or broken). Hooks append to it; the next run that can write the journal imports it.
/// Importing is idempotent: events carry their dedupe key, so a crash mid-import loses nothing and
/// duplicates nothing.
public struct Spool: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    private struct Line: Codable {
        var kind: String
        var payload: String
        var receivedAt: Double
    }

    /// Appends one event and flushes it to disk.
    public func append(_ payload: EventPayload, at now: Date) throws(StoreError) {
        let line = Line(kind: payload.kind.rawValue, payload: PayloadCoding.encode(payload), receivedAt: now.timeIntervalSince1970)
        guard var bytes = try? JSONEncoder().encode(line) else { throw .spool(path: path, reason: "cannot encode event") }
        bytes.append(UInt8(ascii: "\n"))
        try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                 withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .spool(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        flock(fd, LOCK_EX)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw .spool(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Whether the spool holds anything to import.
    public var isEmpty: Bool {
        var info = stat()
        return stat(path, &info) != 0 || info.st_size == 0
    }

    /// Records every spooled event in `journal`, then empties the spool. Returns how many were new.
    /// Another process already importing makes this return 0 without waiting.
    @discardableResult
    public func drain(into journal: any EventJournal) throws(StoreError) -> Int {
        guard !isEmpty else { return 0 }
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return 0 }
        defer { flock(fd, LOCK_UN) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        var recorded = 0
        for raw in data.split(separator: UInt8(ascii: "\n")) {
            // A torn last line (crash while appending) cannot be decoded; it is dropped with the rest.
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(raw)),
                  let payload = try? PayloadCoding.decode(kind: line.kind, json: line.payload) else { continue }
            if case .recorded = try journal.record(payload, at: Date(timeIntervalSince1970: line.receivedAt)) { recorded += 1 }
        }
        guard ftruncate(fd, 0) == 0 else { throw .spool(path: path, reason: String(cString: strerror(errno))) }
        return recorded
    }
}
