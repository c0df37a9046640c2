import CGit2

/// A SHA-1 object id: 20 bytes, printed as 40 lowercase hexadecimal digits.
public struct Oid: Hashable, Sendable, Comparable, CustomStringConvertible {
    // The 20 bytes, big-endian, so that tuple order is byte order.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The all-zero id that git uses for "no object".
    public static let zero = Oid(uncheckedBytes: [UInt8](repeating: 0, count: 20))

    /// An id from exactly 20 raw bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.init(uncheckedBytes: bytes)
    }

    /// An id from 40 hexadecimal digits (either case).
    public init(hex: String) throws(GitError) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { throw .invalidOid(hex) }
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = Oid.nibble(digits[2 * i]), let lo = Oid.nibble(digits[2 * i + 1]) else {
                throw .invalidOid(hex)
            }
            bytes[i] = hi << 4 | lo
        }
        self.init(uncheckedBytes: bytes)
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return out
    }

    /// 40 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(40)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for `Oid.zero`.
    public var isZero: Bool { self == .zero }

    public var description: String { hex }

    public static func < (a: Oid, b: Oid) -> Bool {
        (a.high, a.middle, a.low) < (b.high, b.middle, b.low)
    }

    /// The 20 bytes at `offset` of `buffer`, read without copying (a Mercurial node in a revlog
    /// index entry is such an id too).
    init(bytes buffer: UnsafeRawBufferPointer, at offset: Int) {
        high = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        middle = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        low = UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self))
    }

    private init(uncheckedBytes b: [UInt8]) {
        high = b[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        middle = b[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        low = b[16..<20].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Oid {
    init(_ raw: git_oid) {
        self = withUnsafeBytes(of: raw.id) { Oid(bytes: $0, at: 0) }
    }

    init(_ raw: UnsafePointer<git_oid>) { self.init(raw.pointee) }

    var raw: git_oid {
        var out = git_oid()
        let b = bytes
        withUnsafeMutableBytes(of: &out.id) { $0.copyBytes(from: b) }
        return out
    }
}
