/// A path inside a tree, as raw bytes: git stores paths as bytes, not text, and
/// paths that are not UTF-8 must survive unchanged. Components are separated by `/`.
public struct GitPath: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path's bytes, without a leading or trailing `/`.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(_ string: String) { bytes = Array(string.utf8) }

    public init(stringLiteral value: String) { self.init(value) }

    /// The path as text, or `nil` when the bytes are not valid UTF-8.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    /// The path as text, with invalid UTF-8 replaced by U+FFFD; for display only.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// The `/`-separated components, each as bytes.
    public var components: [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// The last component.
    public var lastComponent: GitPath { GitPath(bytes: components.last ?? []) }

    /// `self/other`; either side may be empty.
    public func appending(_ other: GitPath) -> GitPath {
        if bytes.isEmpty { return other }
        if other.bytes.isEmpty { return self }
        return GitPath(bytes: bytes + [UInt8(ascii: "/")] + other.bytes)
    }

    /// True when `self` is `directory` or lies below it (`a/b` is under `a`, `ab` is not).
    public func isUnder(_ directory: GitPath) -> Bool {
        if directory.bytes.isEmpty || self == directory { return true }
        return bytes.count > directory.bytes.count
            && bytes.starts(with: directory.bytes)
            && bytes[directory.bytes.count] == UInt8(ascii: "/")
    }

    /// The rest of the path below `directory`, or `nil` when the path is not strictly below it.
    public func relative(to directory: GitPath) -> GitPath? {
        if directory.bytes.isEmpty { return self }
        guard isUnder(directory), self != directory else { return nil }
        return GitPath(bytes: Array(bytes[(directory.bytes.count + 1)...]))
    }

    /// Orders by bytes.
    public static func < (a: GitPath, b: GitPath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// The bytes followed by a NUL, for C; throws for paths that contain a NUL.
    func cString() throws(GitError) -> [CChar] {
        guard !bytes.contains(0) else { throw .invalidPath(self, reason: "contains a NUL byte") }
        return bytes.map { CChar(bitPattern: $0) } + [0]
    }

    init(cString: UnsafePointer<CChar>) { bytes = cStringBytes(cString) }
}

extension GitPath {
    /// Whether the path, taken relative to a tree's root, could leave it or reach into git's own
    /// files: an empty component (as in an absolute path), `.`, `..`, `.git` (any case) or a NUL byte.
    public var escapesTree: Bool {
        components.contains { component in
            let lower = component.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return component.isEmpty || component == [0x2E] || component == [0x2E, 0x2E]
                || lower == Array(".git".utf8) || component.contains(0)
        }
    }
}

extension GitPath {
    /// Whether Mercurial cannot hold the path in a repository's tree: `escapesTree`, or a `.hg`
    /// component (any case), or a line break (hg aborts the commit).
    public var unfitForMercurial: Bool {
        escapesTree || bytes.contains(0x0a) || bytes.contains(0x0d)
            || components.contains { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } == Array(".hg".utf8) }
    }
}

/// The bytes of a NUL-terminated C string, without the NUL.
func cStringBytes(_ p: UnsafePointer<CChar>) -> [UInt8] {
    var n = 0
    while p[n] != 0 { n += 1 }
    return UnsafeRawBufferPointer(start: p, count: n).map { $0 }
}

/// The mode of a tree entry.
public struct FileMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A regular file, 0o100644.
    public static let blob = FileMode(rawValue: 0o100644)
    /// An executable file, 0o100755.
    public static let executable = FileMode(rawValue: 0o100755)
    /// A symbolic link, 0o120000; the blob holds the link target.
    public static let symlink = FileMode(rawValue: 0o120000)
    /// A directory, 0o040000.
    public static let tree = FileMode(rawValue: 0o040000)
    /// A submodule commit, 0o160000.
    public static let gitlink = FileMode(rawValue: 0o160000)

    /// True for directories.
    public var isTree: Bool { rawValue & 0o170000 == 0o040000 }

    /// Six octal digits, as `git ls-tree` prints them.
    public var description: String {
        let digits = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
