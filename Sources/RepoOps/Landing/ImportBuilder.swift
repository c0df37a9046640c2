import SyncCore

/// The upstream change of one import unit: master went from `base` to `head`.
public struct UpstreamChange: Sendable, Equatable {
    public var base: String
    public var head: String

    public init(base: String, head: String) { self.base = base; self.head = head }
}

/// What applying one upstream change onto Gecko gives.
public enum AppliedChange: Sendable, Equatable {
    /// The Gecko files to write or remove (empty: Gecko already had the change).
    case files([HgPath: PlannedCommit.FileChange])
    /// These paths (relative to the wpt root, sorted) changed on both sides in ways that do not
    /// merge, or are refused (`ImportRefusal`: followed by its marker).
    case conflict([String])
}

/// Applies upstream changes onto Gecko's files below the wpt prefix, file by file, three-way:
/// ancestor = the file at the change's base upstream, theirs = at its head, ours = Gecko's current
/// file, so Gecko changes not yet upstream survive. Changes are applied in order, each on the result
/// of the ones before; nothing is written anywhere.
public struct ImportBuilder {
    let git: GitRepository
    /// Gecko as it is read: Mercurial or git.
    let gecko: any GeckoSource
    /// The wpt prefix without a trailing slash.
    let prefix: String
    /// Paths relative to the wpt root (files or folders) that are never imported; Gecko keeps its own.
    let excluded: [String]

    /// How a person settled files that did not merge, by path relative to the wpt root.
    let resolutions: [String: ConflictResolution]

    public init(git: GitRepository, gecko: any GeckoSource, prefix: String, excluded: [String],
                resolutions: [String: ConflictResolution] = [:]) {
        self.git = git; self.gecko = gecko; self.resolutions = resolutions
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.excluded = excluded
    }

    /// Applies `changes` in order on Gecko revision `geckoBase`. Stops after the first conflict.
    public func apply(_ changes: [UpstreamChange], geckoBase: String) throws(ImportError) -> [AppliedChange] {
        var diffs: [[DiffEntry]] = []
        for change in changes {
            let entries = try gitStep { () throws(GitError) in
                let base = try git.commit(try git.resolve(change.base)), head = try git.commit(try git.resolve(change.head))
                return try git.diffTrees(old: base.tree, new: head.tree, options: DiffOptions(renames: false))
            }.filter { !isExcluded($0.newPath) }
            diffs.append(entries)
        }
        var files: [HgPath: HgFile]
        let paths = diffs.flatMap { $0.filter { nameRefusal($0.newPath) == nil }.map { geckoPath($0.newPath) } }
        do {
            files = try gecko.files(at: geckoBase, paths: paths)
        } catch let error as HgError {
            throw .hg(error)
        } catch {
            throw .geckoGit(error as? GitError ?? .unknownRevision(geckoBase, repository: gecko.path))
        }
        var results: [AppliedChange] = []
        for entries in diffs {
            let result = try gitStep { () throws(GitError) in try apply(entries, to: &files) }
            results.append(result)
            if case .conflict = result { break }
        }
        return results
    }

    private func isExcluded(_ path: GitPath) -> Bool {
        LandingSettings.isExcluded(path.bytes, by: excluded)
    }

    private func gitStep<T>(_ body: () throws(GitError) -> T) throws(ImportError) -> T {
        do { return try body() } catch { throw .git(error) }
    }

    private func apply(_ entries: [DiffEntry], to gecko: inout [HgPath: HgFile]) throws(GitError) -> AppliedChange {
        var files: [HgPath: PlannedCommit.FileChange] = [:]
        var conflicts: [String] = []
        for entry in entries {
            let choice = resolutions[entry.newPath.description]
            let theirs = try version(entry.newOid, entry.newMode)
            if let refusal = refusal(entry, theirs) {
                // Refused whatever Gecko has: only keeping Gecko's side settles it.
                if choice != .gecko { conflicts.append(entry.newPath.description + refusal.marker) }
                continue
            }
            let path = geckoPath(entry.newPath)
            let current = gecko[path]
            var ours: FileVersion?
            if let current {
                ours = FileVersion(oid: try git.blobId(of: current.data), mode: FileMode(rawValue: current.flags.gitMode), data: current.data)
            }
            let ancestor = try version(entry.oldOid, entry.oldMode)
            var merged = try ThreeWayFile.resolve(ancestor, ours, theirs, git: git)
            if merged == .conflict, let choice { merged = .version(choice == .upstream ? theirs : ours) }
            switch merged {
            case .conflict:
                conflicts.append(entry.newPath.description)
            case .version(let result) where result == ours:
                break
            case .version(nil):
                files[path] = .remove
                gecko[path] = nil
            case .version(let result?):
                guard let flags = HgFileFlags(mode: result.mode) else { conflicts.append(entry.newPath.description); continue }
                let data = if let data = result.data { data } else if result.oid == ours?.oid, let current { current.data } else { try git.blob(result.oid) }
                let file = HgFile(data: data, flags: flags)
                files[path] = .write(file)
                gecko[path] = file
            }
        }
        return conflicts.isEmpty ? .files(files) : .conflict(conflicts.sorted())
    }

    /// Why Gecko refuses the path itself, whatever the file holds.
    private func nameRefusal(_ path: GitPath) -> ImportRefusal? {
        path.unfitForMercurial ? .unfitPath : ImportRefusal.check(path: path.bytes, symlinkTarget: nil)
    }

    private func refusal(_ entry: DiffEntry, _ theirs: FileVersion?) -> ImportRefusal? {
        if let refusal = nameRefusal(entry.newPath) { return refusal }
        guard let theirs, theirs.mode == .symlink else { return nil }
        return ImportRefusal.check(path: entry.newPath.bytes, symlinkTarget: theirs.data ?? [])
    }

    private func version(_ oid: Oid, _ mode: FileMode) throws(GitError) -> FileVersion? {
        oid.isZero ? nil : FileVersion(oid: oid, mode: mode, data: mode == .gitlink ? nil : try git.blob(oid))
    }

    private func geckoPath(_ path: GitPath) -> HgPath {
        prefix.isEmpty ? path : HgPath(bytes: Array(prefix.utf8) + [UInt8(ascii: "/")] + path.bytes)
    }
}

extension HgFileFlags {
    /// The flags of a git file mode; nil for directories and submodules.
    init?(mode: FileMode) {
        switch mode {
        case .blob: self = .regular
        case .executable: self = .executable
        case .symlink: self = .symlink
        default: return nil
        }
    }
}
