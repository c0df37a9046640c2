/// The edits that apply a changeset's wpt files onto a base tree, file by file, like
/// `git apply --3way`: ancestor = the file at the changeset's first parent, theirs = at the
/// changeset, ours = at the same path in the base tree.
struct ThreeWayPlan {
    var upserts: [(GitPath, FileVersion)] = []
    var deletions: [GitPath] = []
    /// Conflicting paths, sorted, for display.
    var conflicts: [String] = []

    static func make(files: [(path: GitPath, file: ChangedFile, source: GitPath?)], baseTree: Oid,
                     git: GitRepository, reads: TreeReads) throws(GitError) -> ThreeWayPlan {
        var plan = ThreeWayPlan()
        var conflicts = Set<GitPath>()
        func ours(_ path: GitPath) throws(GitError) -> FileVersion? {
            try reads.entry(at: path, in: baseTree).map { FileVersion(oid: $0.oid, mode: $0.mode) }
        }
        func fromHg(_ file: HgFile?) throws(GitError) -> FileVersion? {
            guard let file else { return nil }
            return FileVersion(oid: try git.blobId(of: file.data), mode: FileMode(rawValue: file.flags.gitMode), data: file.data)
        }
        func apply(_ result: ThreeWayFile.Result, at path: GitPath, current: FileVersion?) {
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
                let result = try ThreeWayFile.resolve(ancestor, upstreamSource, theirs, git: git)
                if case .version = result, removed.contains(source) { movedAway.insert(source) }
                apply(result, at: path, current: nil)
            } else {
                apply(try ThreeWayFile.resolve(try fromHg(file.old), current, theirs, git: git), at: path, current: current)
            }
        }
        for (path, file, _) in files where file.status == .removed {
            let current = try ours(path)
            if movedAway.contains(path) {
                apply(.version(nil), at: path, current: current)
            } else {
                apply(try ThreeWayFile.resolve(try fromHg(file.old), current, nil, git: git), at: path, current: current)
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
}
