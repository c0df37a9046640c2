import CZlib
import Foundation
import SyncCore

/// The spool's on-disk records. Each is self-delimiting and verifiable:
///
///     WPTSYNC1 <kind> <length> <crc32>\n<length bytes of body>\n
///
/// `kind` is `event` (the body is the JSON of one event) or `raw` (a hook's own input, written by
/// the hook script when `wptsync-hook` could not run; see `RawHookInput`). The CRC-32 is zlib's
/// (the one `gzip` stores), in 8 lowercase hex digits. Plain JSON lines, the format before records
/// had headers, are still read.
enum SpoolFormat {
    static let magic = Array("WPTSYNC1 ".utf8)
    static let newline = UInt8(ascii: "\n")
    /// Headers are short; anything longer is not one.
    static let maxHeader = 64

    /// One event as the JSON body of an `event` record (and of an old plain line).
    struct EventLine: Codable {
        var kind: String
        var payload: String
        var receivedAt: Double
    }

    /// What a stretch of the spool holds.
    enum Piece {
        case event(EventPayload, receivedAt: Date)
        case raw(RawHookInput, bytes: Range<Int>)
        case unreadable(Range<Int>, reason: String)
    }

    static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// One `event` record for `payload`.
    static func record(_ payload: EventPayload, at time: Date) -> [UInt8]? {
        let line = EventLine(kind: payload.kind.rawValue, payload: PayloadCoding.encode(payload), receivedAt: time.timeIntervalSince1970)
        guard let body = try? JSONEncoder().encode(line) else { return nil }
        return record(kind: "event", body: Array(body))
    }

    static func record(kind: String, body: [UInt8]) -> [UInt8] {
        Array("WPTSYNC1 \(kind) \(body.count) \(String(format: "%08x", crc32(body)))\n".utf8) + body + [newline]
    }

    /// Splits a spool's bytes into events, raw hook inputs and unreadable stretches, in file order.
    /// Every byte that is not blank separation ends up in exactly one piece.
    static func scan(_ data: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var index = 0
        while index < data.count {
            if data[index] == newline { index += 1; continue }
            if let (piece, end) = readable(data, at: index) {
                pieces.append(piece)
                index = end
                continue
            }
            let next = nextReadable(data, after: index) ?? data.count
            pieces.append(.unreadable(index..<next, reason: problem(data, at: index)))
            index = next
        }
        return pieces
    }

    /// The piece starting at `start` and the index after it, if it is a whole, verified record or a
    /// decodable old-style line.
    private static func readable(_ data: [UInt8], at start: Int) -> (Piece, Int)? {
        if data[start...].starts(with: magic) {
            guard let header = header(data, at: start), header.crc == crc32(data[header.body]) else { return nil }
            let bytes = Array(data[header.body])
            switch header.kind {
            case "event":
                guard let event = decodeEvent(bytes) else { return nil }
                return (event, header.body.upperBound + 1)
            case "raw":
                guard let raw = RawHookInput(body: bytes) else { return nil }
                return (.raw(raw, bytes: start..<header.body.upperBound + 1), header.body.upperBound + 1)
            default:
                return nil
            }
        }
        let end = data[start...].firstIndex(of: newline) ?? data.count
        guard end < data.count, let event = decodeEvent(Array(data[start..<end])) else { return nil }
        return (event, end + 1)
    }

    /// Where the next readable record or line starts after a damaged stretch beginning at `start`:
    /// a record header anywhere (a torn write is followed directly by the next append), or an
    /// old-style line after a newline, unless that line is the body of a damaged record.
    private static func nextReadable(_ data: [UInt8], after start: Int) -> Int? {
        var index = start + 1
        while index < data.count {
            if data[index...].starts(with: magic) {
                if readable(data, at: index) != nil { return index }
            } else if data[index - 1] == newline, !followsHeaderLine(data, at: index), readable(data, at: index) != nil {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Whether the line before the one starting at `index` is a record header.
    private static func followsHeaderLine(_ data: [UInt8], at index: Int) -> Bool {
        let previous = data[..<(index - 1)].lastIndex(of: newline).map { $0 + 1 } ?? 0
        return data[previous...].starts(with: magic)
    }

    private struct Header {
        var kind: String
        var body: Range<Int>
        var crc: UInt32
    }

    /// The header at `start`, if it is well-formed and its body and final newline are all there.
    private static func header(_ data: [UInt8], at start: Int) -> Header? {
        let limit = min(data.count, start + maxHeader)
        guard let end = data[start..<limit].firstIndex(of: newline),
              let text = String(validating: data[start..<end], as: UTF8.self) else { return nil }
        let fields = text.split(separator: " ", omittingEmptySubsequences: false)
        let digits = { (text: Substring, hex: Bool) in
            !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (hex && (0x61...0x66).contains($0)) }
        }
        guard fields.count == 4, digits(fields[2], false), fields[2].count <= 12, let length = Int(fields[2]), length < data.count,
              digits(fields[3], true), fields[3].count == 8, let crc = UInt32(fields[3], radix: 16) else { return nil }
        let body = (end + 1)..<(end + 1 + length)
        guard body.upperBound < data.count, data[body.upperBound] == newline else { return nil }
        return Header(kind: String(fields[1]), body: body, crc: crc)
    }

    private static func decodeEvent(_ bytes: [UInt8]) -> Piece? {
        guard let line = try? JSONDecoder().decode(EventLine.self, from: Data(bytes)),
              let payload = try? PayloadCoding.decode(kind: line.kind, json: line.payload) else { return nil }
        return .event(payload, receivedAt: Date(timeIntervalSince1970: line.receivedAt))
    }

    /// Why the bytes at `start` cannot be read, for the quarantine file.
    private static func problem(_ data: [UInt8], at start: Int) -> String {
        guard data[start...].starts(with: magic) else { return "not a spool record (a torn or damaged line)" }
        guard let header = header(data, at: start) else { return "a torn record (header damaged or body cut short)" }
        guard header.crc == crc32(data[header.body]) else { return "checksum mismatch (damaged record)" }
        return "a \(header.kind) record whose body cannot be decoded"
    }
}
