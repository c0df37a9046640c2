import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the quarantine file holds, for `wptsync events`.
public struct UnreadableSummary: Sendable, Equatable {
    /// The quarantine file.
    public var file: String
    /// How many entries it holds (a damaged tail counts as one).
    public var records: Int
    /// How many quarantined bytes they hold, entry headers not counted.
    public var bytes: Int

    public init(file: String, records: Int, bytes: Int) { self.file = file; self.records = records; self.bytes = bytes }
}

/// The quarantine file beside the spool: bytes a drain could not turn into events, kept for a person.
/// Each entry is a JSON line saying when, from which file and offset, how many bytes and why,
/// followed by the bytes themselves and a newline. An entry is identified by its file, offset and
/// bytes: a drain that crashed after quarantining but before emptying the spool quarantines the same
/// bytes again on the next drain, and those are not written twice.
extension SpoolFile {
    private struct Entry: Codable {
        var at: String
        var from: String
        var offset: Int
        var bytes: Int
        var reason: String
    }

    private struct Identity: Hashable {
        var from: String
        var offset: Int
        var bytes: [UInt8]
    }

    /// Appends `entries` (bytes, offset in the spool, reason) to the quarantine file, durably,
    /// leaving out those it already holds.
    func quarantine(_ entries: [([UInt8], Int, String)]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        let present = Set(quarantined().entries.map { Identity(from: $0.0.from, offset: $0.0.offset, bytes: $0.1) })
        let entries = entries.filter { !present.contains(Identity(from: path, offset: $0.1, bytes: $0.0)) }
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
        let (entries, damaged) = quarantined()
        return UnreadableSummary(file: unreadablePath, records: entries.count + (damaged > 0 ? 1 : 0),
                                 bytes: entries.reduce(damaged) { $0 + $1.1.count })
    }

    /// The quarantine file's entries, and how many bytes at its end are not one.
    private func quarantined() -> (entries: [(Entry, [UInt8])], damaged: Int) {
        guard let data = FileManager.default.contents(atPath: unreadablePath) else { return ([], 0) }
        let bytes = [UInt8](data)
        var entries: [(Entry, [UInt8])] = []
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: SpoolFormat.newline) ?? bytes.count
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes[index..<end])), entry.bytes >= 0,
                  end + 1 + entry.bytes <= bytes.count else {
                return (entries, bytes.count - index)
            }
            entries.append((entry, Array(bytes[(end + 1)..<(end + 1 + entry.bytes)])))
            index = end + 1 + entry.bytes + 1
        }
        return (entries, 0)
    }
}
