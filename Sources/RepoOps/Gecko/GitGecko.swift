import CGit2

/// A Gecko repository kept in git (bare is fine), read through libgit2 with no work tree. Its
/// commits become the values the Mercurial side reads (`HgChangeset`: the author as
/// `Name <email>`, the date with Mercurial's offset), so classification and export are shared;
/// a changeset's node is the commit's hash.
///
/// Not thread-safe, like `GitRepository`.
public final class GitGecko: GeckoSource {
    public let path: String
    public let git: GitRepository

    /// `locks`: which stale lock files wptsync may remove there (`.ownClone` in its own clones).
    public init(path: String, locks: LockOwnership = .wptsyncReferences) throws(GitError) {
        self.path = path
        git = try GitRepository.open(at: path, locks: locks)
    }

    /// The commit a full 40-hex hash, a unique prefix or a revision expression names.
    public func changeset(_ revision: String) throws(GitError) -> HgChangeset {
        try changeset(of: commitID(revision))
    }

    public func changeset(prefix: String) throws(GitError) -> HgChangeset? {
        guard (4...40).contains(prefix.count), prefix.allSatisfy(\.isHexDigit) else { return nil }
        do {
            return try changeset(of: commitID(prefix))
        } catch .unknownRevision {
            return nil
        }
    }

    public func holds(_ node: String) -> Bool { (try? commitID(node)) != nil }

    /// The commits in `old..new`, parents before children (`old` nil: those of `new` reachable
    /// from no other branch, as git itself counts a new branch's commits).
    public func changesets(from old: String?, to new: String) throws(GitError) -> [HgChangeset] {
        try changesets(of: commits(from: old, to: new))
    }

    /// The commits `changesets(from:to:)` reads, in its order, not read yet.
    public func commits(from old: String?, to new: String) throws(GitError) -> [Oid] {
        let head = try commitID(new)
        var hidden: [Oid] = []
        if let old { hidden = [try commitID(old)] } else {
            hidden = try git.references(matching: "refs/heads/*").map(\.target).filter { $0 != head }
        }
        return try git.commits(from: [head], hiding: hidden)
    }

    /// The commits `oids` as changesets, in order.
    public func changesets(of oids: [Oid]) throws(GitError) -> [HgChangeset] {
        try oids.map { (oid) throws(GitError) in try changeset(of: oid) }
    }

    public func files(at revision: String, paths: [HgPath]) throws(GitError) -> [HgPath: HgFile] {
        let tree = try git.commit(commitID(revision)).tree
        var files: [HgPath: HgFile] = [:]
        for path in paths {
            guard let entry = try git.entry(at: path, in: tree), let flags = HgFileFlags(gitMode: entry.mode) else { continue }
            files[path] = HgFile(data: try git.blob(entry.oid), flags: flags)
        }
        return files
    }

    /// The commit `revision` names; `unknownRevision` when there is none.
    func commitID(_ revision: String) throws(GitError) -> Oid {
        do {
            return try git.resolve("\(revision)^{commit}")
        } catch {
            if error.isNotFound || error.code == GIT_EAMBIGUOUS.rawValue || error.code == GIT_EINVALIDSPEC.rawValue {
                throw .unknownRevision(revision, repository: path)
            }
            throw error
        }
    }

    /// The commit `oid` as a changeset; `listingFiles: false` leaves `files` empty and spares a
    /// diff of the whole tree (the export diffs only below the wpt prefix).
    func changeset(of oid: Oid, listingFiles: Bool = true) throws(GitError) -> HgChangeset {
        let commit = try git.commit(oid)
        if let offset = Self.firstInvalidUTF8(commit.message) {
            throw .notUTF8(commit: oid.hex, field: "message", offset: offset)
        }
        let author = commit.author
        let files: [HgPath]
        if commit.parents.count > 1 || !listingFiles {
            files = []
        } else {
            let parentTree = try commit.parents.first.map { (parent) throws(GitError) in try git.commit(parent).tree }
            files = try git.diffTrees(old: parentTree, new: commit.tree, options: DiffOptions(renames: false))
                .flatMap { $0.oldPath == $0.newPath ? [$0.newPath] : [$0.oldPath, $0.newPath] }
        }
        return HgChangeset(node: oid.hex, parents: commit.parents.map(\.hex), author: Array("\(author.name) <\(author.email)>".utf8),
                           date: HgDate(seconds: author.time, offset: -author.offsetMinutes * 60), description: commit.message,
                           branch: "default", extra: [:], files: files)
    }

    /// The offset of the first byte that is not part of valid UTF-8; nil when all are.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

extension HgFileFlags {
    /// The kind of a git tree entry; nil for a tree or a submodule, which hold no file content.
    init?(gitMode mode: FileMode) {
        switch mode.rawValue {
        case 0o120000: self = .symlink
        case 0o100755: self = .executable
        case 0o100644, 0o100664: self = .regular
        default: return nil
        }
    }
}
