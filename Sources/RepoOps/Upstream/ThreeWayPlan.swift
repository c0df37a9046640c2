/// A file as one side of a three-way application: blob id and mode, plus the bytes when they came
/// from Mercurial (to write them, or to merge them). Equality is by id and mode.
struct FileVersion: Equatable {
    var oid: Oid
    var mode: FileMode
    var data: [UInt8]?

    static func == (a: FileVersion, b: FileVersion) -> Bool { a.oid == b.oid && a.mode == b.mode }
}

/// The edits that apply a changeset's wpt files onto a base tree, file by file, like
/// `git apply --3way`: ancestor = the file at the changeset's first parent, theirs = at the
/// changeset, ours = at the same path in the base tree.
struct ThreeWayPlan {
    var upserts: [(GitPath, FileVersion)] = []
    var deletions: [GitPath] = []
    /// Conflicting paths, sorted, for display.
    var conflicts: [String] = []

    private enum Result { case version(FileVersion?), conflict }

    static func make(files: [(path: GitPath, file: ChangedFile, source: GitPath?)], baseTree: Oid,
                     git: GitRepository) throws(GitError) -> ThreeWayPlan {
        var plan = ThreeWayPlan()
        var conflicts = Set<GitPath>()
        func ours(_ path: GitPath) throws(GitError) -> FileVersion? {
            try git.entry(at: path, in: baseTree).map { FileVersion(oid: $0.oid, mode: $0.mode) }
        }
        func fromHg(_ file: HgFile?) throws(GitError) -> FileVersion? {
            guard let file else { return nil }
            return FileVersion(oid: try git.blobId(of: file.data), mode: FileMode(rawValue: file.flags.gitMode), data: file.data)
        }
        func apply(_ result: Result, at path: GitPath, current: FileVersion?) {
            switch result {
            case .conflict: conflicts.insert(path)
            case .version(let version) where version == current: break
            case .version(nil): plan.deletions.append(path)
            case .version(let version?): plan.upserts.append((path, version))
            }
        }

        let removed = Set(files.filter { $0.file.status == .removed }.map(\.path))
        var movedAway = Set<GitPath>()
        for (path, file, source) in files where file.status != .removed {
            let theirs = try fromHg(file.new)
            let current = try ours(path)
            if file.status == .added, current == nil, let source, let sourceData = file.sourceData,
               let upstreamSource = try ours(source), let theirs {
                // A copy or rename whose source upstream still has: upstream's changes to the
                // source since the first parent carry over to the new path.
                let sourceFlags = files.first { $0.path == source }?.file.old?.flags
                let ancestor = FileVersion(oid: try git.blobId(of: sourceData),
                                           mode: sourceFlags.map { FileMode(rawValue: $0.gitMode) } ?? theirs.mode,
                                           data: sourceData)
                let result = try resolve(ancestor, upstreamSource, theirs, git: git)
                if case .version = result, removed.contains(source) { movedAway.insert(source) }
                apply(result, at: path, current: nil)
            } else {
                apply(try resolve(try fromHg(file.old), current, theirs, git: git), at: path, current: current)
            }
        }
        for (path, file, _) in files where file.status == .removed {
            let current = try ours(path)
            if movedAway.contains(path) {
                apply(.version(nil), at: path, current: current)
            } else {
                apply(try resolve(try fromHg(file.old), current, nil, git: git), at: path, current: current)
            }
        }
        // An added path must not turn one of upstream's files into a directory.
        let deleted = Set(plan.deletions)
        for (path, _) in plan.upserts {
            let components = path.components
            for count in 1..<max(1, components.count) {
                let prefix = GitPath(bytes: Array(components[0..<count].joined(separator: [UInt8(ascii: "/")])))
                if let entry = try ours(prefix), !entry.mode.isTree, !deleted.contains(prefix) {
                    conflicts.insert(path)
                }
            }
        }
        plan.conflicts = conflicts.sorted().map(\.description)
        return plan
    }

    /// The version that combines ancestor → theirs with ancestor → ours; nil means no file.
    private static func resolve(_ ancestor: FileVersion?, _ ours: FileVersion?, _ theirs: FileVersion?,
                                git: GitRepository) throws(GitError) -> Result {
        if ours == theirs { return .version(ours) }
        if ours == ancestor { return .version(theirs) }
        guard let ancestor, let ours, let theirs else { return .conflict }
        guard !ours.mode.isTree, ours.mode != .gitlink else { return .conflict }

        let mode: FileMode
        if ours.mode == ancestor.mode { mode = theirs.mode }
        else if theirs.mode == ancestor.mode || theirs.mode == ours.mode { mode = ours.mode }
        else { return .conflict }

        if ours.oid == ancestor.oid { return .version(FileVersion(oid: theirs.oid, mode: mode, data: theirs.data)) }
        if theirs.oid == ancestor.oid || theirs.oid == ours.oid { return .version(FileVersion(oid: ours.oid, mode: mode)) }
        if [ancestor.mode, ours.mode, theirs.mode].contains(.symlink) { return .conflict }
        guard let ancestorData = ancestor.data, let theirData = theirs.data else { return .conflict }
        switch try GitRepository.mergeFile(ancestor: ancestorData, ours: try git.blob(ours.oid), theirs: theirData) {
        case .conflict:
            return .conflict
        case .merged(let bytes):
            return .version(FileVersion(oid: try git.blobId(of: bytes), mode: mode, data: bytes))
        }
    }
}
