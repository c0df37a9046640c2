/// A repository-relative file path as Mercurial stores it: raw bytes, not necessarily UTF-8.
public struct HgPath: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path's bytes, `/`-separated, without a leading slash.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// The UTF-8 encoding of `string`.
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The path as a string, or nil when its bytes are not valid UTF-8.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    /// The path for display; invalid UTF-8 bytes become U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Byte-wise order, the order Mercurial sorts paths in.
    public static func < (lhs: HgPath, rhs: HgPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// A `path:` pattern naming exactly this path, so glob characters in it are taken literally.
    var pattern: [UInt8] { Array("path:".utf8) + bytes }
}
