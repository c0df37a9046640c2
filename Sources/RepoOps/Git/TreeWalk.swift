/// Where two trees differ, found level by level: a subtree whose id is the same on both sides is
/// never read, so a change of a few files in a 100,000-file tree reads only the trees on their paths.
enum TreeWalk {
    /// One level of two trees compared.
    struct Level: Equatable {
        /// Names whose entry differs: on one side only, or with another id or mode (a file that
        /// became a directory or back is on one side only: git orders `name/` apart from `name`).
        var changed: [GitPath] = []
        /// Directories on both sides with different ids, to compare in turn.
        var subtrees: [Subtree] = []
    }

    struct Subtree: Equatable {
        var name: GitPath
        var old: Oid
        var new: Oid
    }

    /// Compares the entries of two trees, each in git's order.
    static func compare(old: [TreeEntry], new: [TreeEntry]) -> Level {
        var level = Level()
        var i = 0, j = 0
        while i < old.count || j < new.count {
            let order = i == old.count ? 1 : j == new.count ? -1 : gitOrder(old[i], new[j])
            if order < 0 {
                level.changed.append(old[i].path)
                i += 1
            } else if order > 0 {
                level.changed.append(new[j].path)
                j += 1
            } else {
                let a = old[i], b = new[j]
                if a.mode.isTree && b.mode.isTree {
                    if a.oid != b.oid { level.subtrees.append(Subtree(name: a.path, old: a.oid, new: b.oid)) }
                } else if a.oid != b.oid || a.mode != b.mode {
                    level.changed.append(a.path)
                }
                i += 1
                j += 1
            }
        }
        return level
    }

    /// git's order of the entries of one tree: by name, a directory's name as if followed by `/`.
    static func gitOrder(_ a: TreeEntry, _ b: TreeEntry) -> Int {
        let x = a.path.bytes, y = b.path.bytes
        for k in 0..<min(x.count, y.count) where x[k] != y[k] {
            return x[k] < y[k] ? -1 : 1
        }
        let slash = UInt8(ascii: "/")
        let nextX: UInt8 = x.count > y.count ? x[y.count] : (a.mode.isTree ? slash : 0)
        let nextY: UInt8 = y.count > x.count ? y[x.count] : (b.mode.isTree ? slash : 0)
        return nextX == nextY ? 0 : nextX < nextY ? -1 : 1
    }
}

extension GitRepository {
    /// The paths, relative to the trees, where trees `old` and `new` differ: changed files, and
    /// files or directories present on one side only (a directory's path stands for everything
    /// below it). Only the trees on those paths are read.
    func changedPaths(old: Oid, new: Oid) throws(GitError) -> [GitPath] {
        var changed: [GitPath] = []
        var pending = [TreeWalk.Subtree(name: GitPath(bytes: []), old: old, new: new)]
        while let next = pending.popLast() {
            let level = TreeWalk.compare(old: try treeEntries(next.old), new: try treeEntries(next.new))
            changed += level.changed.map { next.name.appending($0) }
            pending += level.subtrees.map { TreeWalk.Subtree(name: next.name.appending($0.name), old: $0.old, new: $0.new) }
        }
        return changed
    }
}
