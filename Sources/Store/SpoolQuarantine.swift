import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the quarantine file holds, for `wptsync events`.
public struct UnreadableSummary: Sendable, Equatable {
    public var file: String
    public var records: Int
    public var bytes: Int

    public init(file: String, records: Int, bytes: Int) { self.file = file; self.records = records; self.bytes = bytes }
}

/// The quarantine file beside the spool: bytes a drain could not turn into events, kept for a person.
/// Each entry is a JSON line saying when, from which file and offset, how many bytes and why,
/// followed by the bytes themselves and a newline.
extension Spool {
    private struct Entry: Codable {
        var at: String
        var from: String
        var offset: Int
        var bytes: Int
        var reason: String
    }

    /// Appends `entries` (bytes, offset in the spool, reason) to the quarantine file, durably.
    func quarantine(_ entries: [([UInt8], Int, String)]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        let now = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out: [UInt8] = []
        for (bytes, offset, reason) in entries {
            guard let header = try? encoder.encode(Entry(at: now, from: path, offset: offset, bytes: bytes.count, reason: reason)) else {
                throw .spool(path: unreadablePath, reason: "cannot encode a quarantine entry")
            }
            out += Array(header) + [SpoolFormat.newline] + bytes + [SpoolFormat.newline]
        }
        try Self.appendAll(out, to: unreadablePath)
    }

    /// How many entries and bytes the quarantine file holds; nil when there is none.
    public func unreadableSummary() -> UnreadableSummary? {
        guard let data = FileManager.default.contents(atPath: unreadablePath), !data.isEmpty else { return nil }
        let bytes = [UInt8](data)
        var summary = UnreadableSummary(file: unreadablePath, records: 0, bytes: 0)
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: SpoolFormat.newline) ?? bytes.count
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes[index..<end])) else {
                summary.records += 1
                summary.bytes += bytes.count - index
                break
            }
            summary.records += 1
            summary.bytes += entry.bytes
            index = end + 1 + entry.bytes + 1
        }
        return summary
    }
}
