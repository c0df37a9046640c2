extension GitGecko {
    /// A commit's changes below `prefix` (no trailing slash), as `ChangesetReader` reads them from
    /// Mercurial: renames found by libgit2 become an added file with its source plus the removed
    /// source, like hg's copy records; merges have no files (they are not exported).
    func changes(of node: String, under prefix: String) throws(ExportError) -> ChangesetChanges {
        do throws(GitError) {
            let oid = try commitID(node)
            let changeset = try changeset(of: oid, listingFiles: false)
            if changeset.isMerge { return ChangesetChanges(changeset: changeset, files: []) }
            let commit = try git.commit(oid)
            let parentTree = try commit.parents.first.map { (parent) throws(GitError) in try git.commit(parent).tree }
            var files: [ChangedFile] = []
            func file(_ oid: Oid, _ mode: FileMode) throws(GitError) -> HgFile? {
                guard oid != .zero, let flags = HgFileFlags(gitMode: mode) else { return nil }
                return HgFile(data: try git.blob(oid), flags: flags)
            }
            for entry in try git.diffTrees(old: parentTree, new: commit.tree, under: GitPath(prefix)) {
                let old = try file(entry.oldOid, entry.oldMode), new = try file(entry.newOid, entry.newMode)
                switch entry.status {
                case .added, .copied:
                    files.append(ChangedFile(path: entry.newPath, status: .added, new: new))
                case .deleted:
                    files.append(ChangedFile(path: entry.oldPath, status: .removed, old: old))
                case .modified:
                    files.append(ChangedFile(path: entry.newPath, status: .modified, old: old, new: new))
                case .renamed:
                    files.append(ChangedFile(path: entry.newPath, status: .added, copySource: entry.oldPath, sourceData: old?.data, new: new))
                    files.append(ChangedFile(path: entry.oldPath, status: .removed, old: old))
                }
            }
            return ChangesetChanges(changeset: changeset, files: files)
        } catch {
            throw .gitRead(error, node: node)
        }
    }
}
