/// How a changeset touched a file, compared with its first parent.
public enum HgFileStatus: Hashable, Sendable {
    case added, modified, removed
}

/// One file a changeset touched. A rename is an `added` entry whose `copySource` is the old
/// path, plus a `removed` entry for the old path; a copy has no such removal.
public struct HgFileChange: Hashable, Sendable {
    public var path: HgPath
    public var status: HgFileStatus
    /// The path this file was copied or renamed from, if any.
    public var copySource: HgPath?

    public init(path: HgPath, status: HgFileStatus, copySource: HgPath? = nil) {
        self.path = path; self.status = status; self.copySource = copySource
    }
}

/// The kind of a file in a manifest, from Mercurial's flags (`x`, `l` or none).
public enum HgFileFlags: Hashable, Sendable {
    case regular, executable, symlink

    /// Git's file mode for this kind of file.
    public var gitMode: UInt32 {
        switch self {
        case .regular: 0o100644
        case .executable: 0o100755
        case .symlink: 0o120000
        }
    }

    init(hgFlags: some Sequence<UInt8>) {
        let flags = Array(hgFlags)
        self = flags.contains(UInt8(ascii: "l")) ? .symlink : flags.contains(UInt8(ascii: "x")) ? .executable : .regular
    }
}

/// A file's content at a revision (for a symlink, the link target) and its flags.
public struct HgFile: Hashable, Sendable {
    /// The raw content.
    public var data: [UInt8]
    public var flags: HgFileFlags

    public init(data: [UInt8], flags: HgFileFlags) { self.data = data; self.flags = flags }
}

/// Parsers for the NUL-separated output formats the repository queries ask hg for.
enum HgOutput {
    /// `hg status --change REV -C -0`: entries `X path`, each possibly followed by `  source`.
    static func changes(_ output: [UInt8]) -> [HgFileChange] {
        var changes: [HgFileChange] = []
        for entry in output.split(separator: 0) where entry.count > 2 {
            let path = HgPath(bytes: Array(entry.dropFirst(2)))
            switch entry.first {
            case UInt8(ascii: "A"): changes.append(HgFileChange(path: path, status: .added))
            case UInt8(ascii: "M"): changes.append(HgFileChange(path: path, status: .modified))
            case UInt8(ascii: "R"): changes.append(HgFileChange(path: path, status: .removed))
            case UInt8(ascii: " ") where !changes.isEmpty: changes[changes.count - 1].copySource = path
            default: continue
            }
        }
        return changes
    }

    /// `hg files -T '{flags}\0{path}\0'`.
    static func flags(_ output: [UInt8]) -> [HgPath: HgFileFlags] {
        let fields = output.split(separator: 0, omittingEmptySubsequences: false)
        var result: [HgPath: HgFileFlags] = [:]
        var i = 0
        while i + 1 < fields.count {
            result[HgPath(bytes: Array(fields[i + 1]))] = HgFileFlags(hgFlags: fields[i])
            i += 2
        }
        return result
    }

    /// `hg cat -T '{path}\0{data|count}\0{data}'`: length-framed contents, one per file.
    static func contents(_ output: [UInt8]) -> [HgPath: [UInt8]]? {
        var result: [HgPath: [UInt8]] = [:]
        var i = output.startIndex
        while i < output.endIndex {
            guard let pathEnd = output[i...].firstIndex(of: 0),
                  let countEnd = output[(pathEnd + 1)...].firstIndex(of: 0),
                  let count = Int(String(decoding: output[(pathEnd + 1)..<countEnd], as: UTF8.self)),
                  countEnd + 1 + count <= output.endIndex else { return nil }
            result[HgPath(bytes: Array(output[i..<pathEnd]))] = Array(output[(countEnd + 1)..<(countEnd + 1 + count)])
            i = countEnd + 1 + count
        }
        return result
    }
}
