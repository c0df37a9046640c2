/// A commit time as Mercurial stores it.
public struct HgDate: Hashable, Sendable {
    /// Seconds since the Unix epoch (UTC).
    public var seconds: Int64
    /// Mercurial's timezone offset: seconds *west* of UTC, so UTC+01:00 is -3600.
    public var offset: Int32

    public init(seconds: Int64, offset: Int32) { self.seconds = seconds; self.offset = offset }
}

/// One changeset, with author and description exactly as stored in the changelog.
public struct HgChangeset: Hashable, Sendable {
    /// The full 40-hex node id.
    public var node: String
    /// The parents' nodes: empty for a root, two for a merge.
    public var parents: [String]
    /// The raw author bytes (normally UTF-8, but ancient changesets may hold anything).
    public var author: [UInt8]
    public var date: HgDate
    /// The raw description bytes.
    public var description: [UInt8]
    /// The named branch (`default` unless the changeset says otherwise).
    public var branch: String
    /// The changelog's extra fields (branch, close, rebase_source, …), unescaped.
    public var extra: [String: [UInt8]]
    /// The files the changelog lists as touched; `HgRepository.changes(in:)` tells how.
    public var files: [HgPath]

    /// `author` decoded as UTF-8, with U+FFFD for invalid bytes.
    public var authorText: String { String(decoding: author, as: UTF8.self) }
    /// `description` decoded as UTF-8, with U+FFFD for invalid bytes.
    public var descriptionText: String { String(decoding: description, as: UTF8.self) }
    public var isMerge: Bool { parents.count == 2 }
}

extension HgChangeset {
    /// Parses a raw changelog entry (`hg debugdata -c`):
    /// `manifest\nuser\ntime tz[ extra]\nfile\n…\n\ndescription`.
    init?(node: String, parents: [String], rawEntry entry: [UInt8]) {
        let newline = UInt8(ascii: "\n")
        guard let split = zip(entry.indices, entry.indices.dropFirst())
            .first(where: { entry[$0] == newline && entry[$1] == newline })?.0 else { return nil }
        let lines = entry[..<split].split(separator: newline, omittingEmptySubsequences: false)
        guard lines.count >= 3 else { return nil }
        let dateFields = lines[2].split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard dateFields.count >= 2,
              let time = Double(String(decoding: dateFields[0], as: UTF8.self)),
              let offset = Int32(String(decoding: dateFields[1], as: UTF8.self)) else { return nil }

        self.node = node
        self.parents = parents
        author = Array(lines[1])
        date = HgDate(seconds: Int64(time), offset: offset)
        description = Array(entry[(split + 2)...])
        extra = dateFields.count == 3 ? Self.decodeExtra(dateFields[2]) : [:]
        branch = extra["branch"].map { String(decoding: $0, as: UTF8.self) } ?? "default"
        files = lines.dropFirst(3).map { HgPath(bytes: Array($0)) }
    }

    /// Extra fields are `key:value` pairs separated by NUL, each escaped like Python's
    /// `string_escape` (backslash, `\n`, `\r`, `\t`, `\0`, `\xHH`).
    private static func decodeExtra(_ raw: ArraySlice<UInt8>) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for field in raw.split(separator: 0) {
            let bytes = unescape(field)
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { continue }
            result[String(decoding: bytes[..<colon], as: UTF8.self)] = Array(bytes[(colon + 1)...])
        }
        return result
    }

    private static func unescape(_ field: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = field.startIndex
        while i < field.endIndex {
            let byte = field[i]
            i += 1
            guard byte == UInt8(ascii: "\\"), i < field.endIndex else { out.append(byte); continue }
            let code = field[i]
            i += 1
            switch code {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "x") where i + 2 <= field.endIndex:
                if let value = UInt8(String(decoding: field[i..<i + 2], as: UTF8.self), radix: 16) {
                    out.append(value)
                    i += 2
                } else {
                    out += [byte, code]
                }
            default: out += [byte, code]
            }
        }
        return out
    }
}
