/// One Gecko commit to write: who, when, the message, and the files it writes or removes.
public struct PlannedCommit: Sendable, Equatable {
    /// What happens to one file.
    public enum FileChange: Sendable, Equatable {
        case write(HgFile)
        case remove
    }

    /// `Name <email>`.
    public var user: String
    /// Seconds since the epoch and the offset west of UTC in seconds, as Mercurial stores them.
    public var date: (seconds: Int64, offset: Int32)
    /// Bytes that are not UTF-8 are written as U+FFFD, since Mercurial stores descriptions as UTF-8.
    public var message: [UInt8]
    public var files: [HgPath: FileChange]

    public init(user: String, date: (seconds: Int64, offset: Int32), message: [UInt8], files: [HgPath: FileChange]) {
        self.user = user; self.date = date; self.message = message; self.files = files
    }

    public static func == (a: PlannedCommit, b: PlannedCommit) -> Bool {
        a.user == b.user && a.date == b.date && a.message == b.message && a.files == b.files
    }
}

extension PlannedCommit {
    /// The plan file `hg wptsync-commit` reads: commits in order, the first on `parent`.
    static func planFile(parent: String, commits: [PlannedCommit]) -> [UInt8] {
        var out: [UInt8] = []
        func field(_ bytes: [UInt8]) { out += Array("\(bytes.count)\n".utf8); out += bytes }
        func field(_ text: String) { field(Array(text.utf8)) }
        field(HgLandingExtension.formatField)
        field(parent)
        field("\(commits.count)")
        for commit in commits {
            field(commit.user)
            field("\(commit.date.seconds) \(commit.date.offset)")
            // Mercurial stores descriptions as UTF-8 and aborts on anything else.
            field(String(decoding: commit.message, as: UTF8.self))
            field("\(commit.files.count)")
            for (path, change) in commit.files.sorted(by: { $0.key < $1.key }) {
                field(path.bytes)
                switch change {
                case .remove:
                    field("r")
                case .write(let file):
                    field(file.flags == .executable ? "x" : file.flags == .symlink ? "l" : "w")
                    field(file.data)
                }
            }
        }
        return out
    }
}
