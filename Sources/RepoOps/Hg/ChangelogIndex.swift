/// Why a changelog index is not read directly, and Mercurial is asked instead (the reason of
/// `HgError.changelogNotRead`).
public enum ChangelogDistrust: Error, Equatable, Sendable, CustomStringConvertible {
    /// The index file is missing or could not be read (`reason` from the system).
    case unreadable(file: String, reason: String)
    /// The changelog holds no revision yet.
    case empty
    /// The header names a revlog version other than RevlogNG (1).
    case unknownVersion(UInt16)
    /// The header sets flags other than `inline` and `generaldelta`.
    case unknownFlags(UInt16)
    /// The repository requires a format this reader does not handle.
    case requirement(String)
    /// The repository is a share: its store is elsewhere.
    case shared
    /// The repository has obsolescence markers, so some changesets may be hidden.
    case obsoleteMarkers
    /// The index ends inside an entry (or its inline data) at byte `offset`.
    case truncated(offset: Int)
    /// No revision has this node.
    case nodeNotFound(String)
    /// The index changed while it was read (a strip, a concurrent rewrite).
    case changedWhileReading

    /// What is wrong, for the log and the error.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file) cannot be read: \(reason)"
        case .empty: "the changelog is empty"
        case let .unknownVersion(version): "revlog version \(version) (only version 1, RevlogNG, is read)"
        case let .unknownFlags(flags): "unknown revlog flags 0x\(String(flags, radix: 16))"
        case let .requirement(name): "the repository requires '\(name)'"
        case .shared: "the repository shares another repository's store"
        case .obsoleteMarkers: "the repository has obsolescence markers (hidden changesets)"
        case let .truncated(offset): "the index is truncated at byte \(offset)"
        case let .nodeNotFound(node): "no revision \(node) in the changelog"
        case .changedWhileReading: "the changelog changed while it was read"
        }
    }
}

/// The pure rules of a changelog's revlog index (RevlogNG, version 1), as Mercurial's
/// `internals/revlogs` describes it: 64-byte entries, revision `r`'s node at bytes 32..<52 of its
/// entry. The first entry's first 4 bytes are the header (flags in the high 16 bits, version in
/// the low 16). An inline index follows each entry with its compressed data, whose length is
/// bytes 8..<12 of the entry; otherwise entry `r` starts at byte `64 * r`.
public enum ChangelogIndex {
    /// The size of one index entry.
    public static let entrySize = 64
    /// The offset of the node in an entry.
    static let nodeOffset = 32
    static let inlineFlag: UInt16 = 1 << 0  // 1 << 16 of the header
    static let generalDeltaFlag: UInt16 = 1 << 1  // 1 << 17 of the header

    /// Whether the index whose first 4 bytes are `header` (big-endian) keeps its data inline.
    public static func isInline(header: UInt32) throws(ChangelogDistrust) -> Bool {
        let version = UInt16(header & 0xffff), flags = UInt16(header >> 16)
        guard version == 1 else { throw .unknownVersion(version) }
        guard flags & ~(inlineFlag | generalDeltaFlag) == 0 else { throw .unknownFlags(flags) }
        return flags & inlineFlag != 0
    }

    /// The node of the entry starting at `offset` of `bytes`.
    public static func node(in bytes: UnsafeRawBufferPointer, entryAt offset: Int) -> Oid {
        Oid(bytes: bytes, at: offset + nodeOffset)
    }

    /// Where each entry of an inline index starts, in revision order; throws when an entry or its
    /// data runs past the end.
    public static func inlineEntryOffsets(_ bytes: [UInt8]) throws(ChangelogDistrust) -> [Int] {
        var offsets: [Int] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= entrySize else { throw .truncated(offset: offset) }
            let length = bytes[offset + 8..<offset + 12].reduce(0) { $0 << 8 | Int($1) }
            guard bytes.count - offset - entrySize >= length else { throw .truncated(offset: offset) }
            offsets.append(offset)
            offset += entrySize + length
        }
        return offsets
    }

    /// The number of entries of a separate (non-inline) index of `size` bytes; throws when the
    /// last entry is cut.
    public static func separateEntryCount(size: Int) throws(ChangelogDistrust) -> Int {
        guard size % entrySize == 0 else { throw .truncated(offset: size - size % entrySize) }
        return size / entrySize
    }

    /// The requirements (`.hg/requires`, and `.hg/store/requires` with `share-safe`) under which the
    /// changelog index means what this reader takes it to mean; anything else is not read.
    public static let understoodRequirements: Set<String> = [
        "revlogv1", "store", "fncache", "dotencode", "generaldelta", "sparserevlog", "share-safe",
        "persistent-nodemap", "revlog-compression-zstd", "dirstate-v2", "treemanifest", "bookmarksinstore",
    ]

    /// The first requirement of `requirements` that the reader does not handle, or a missing
    /// `store` or `revlogv1`; nil when the index can be read.
    public static func unhandledRequirement(_ requirements: Set<String>) -> String? {
        if let unknown = requirements.subtracting(understoodRequirements).sorted().first { return unknown }
        return ["store", "revlogv1"].first { !requirements.contains($0) }.map { "no \($0)" }
    }
}
