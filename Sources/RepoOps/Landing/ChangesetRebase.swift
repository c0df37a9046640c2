/// What rebasing changesets onto another revision gives.
public enum RebaseResult: Sendable, Equatable {
    /// One commit per changeset, in order, each keeping its author, date and message.
    case commits([PlannedCommit])
    /// These repository paths (sorted) changed on both sides in ways that do not merge.
    case conflict([String])
}

/// Rebases changesets or git commits onto another revision in memory (no work tree), file by
/// file, three-way (libgit2's merge of file contents): ancestor = the file at the changeset's
/// first parent, theirs = at the changeset, ours = at the new base with the changesets before it
/// applied. The changesets are read from `source` (e.g. a try repository) and the base from
/// `target` (e.g. a landing clone), Mercurial or git; the result is committed with the clone's
/// `commit` (a cherry-pick: same author, date, message and changes).
public struct ChangesetRebase {
    let source: any GeckoSource
    let target: any GeckoSource

    public init(source: any GeckoSource, target: any GeckoSource) { self.source = source; self.target = target }

    /// Rebases `nodes` (oldest first) onto `base`. Stops at the first changeset that conflicts.
    public func rebase(_ nodes: [String], onto base: String) throws(ImportError) -> RebaseResult {
        var ours: [HgPath: HgFile?] = [:]
        var commits: [PlannedCommit] = []
        for node in nodes {
            let (changeset, ancestor, theirs) = try read(node, base: base, ours: &ours)
            var files: [HgPath: PlannedCommit.FileChange] = [:]
            var conflicts: [String] = []
            for path in changeset.files {
                let current = ours[path] ?? nil
                switch try Self.merge(ancestor[path], current, theirs[path]) {
                case .none: conflicts.append(path.description)
                case .some(let merged) where merged == current: break
                case .some(nil): files[path] = .remove; ours[path] = .some(nil)
                case .some(let file?): files[path] = .write(file); ours[path] = .some(file)
                }
            }
            guard conflicts.isEmpty else { return .conflict(conflicts.sorted()) }
            commits.append(PlannedCommit(user: changeset.authorText, date: (changeset.date.seconds, changeset.date.offset),
                                         message: changeset.description, files: files))
        }
        return .commits(commits)
    }

    /// The changeset, its files at its first parent and at itself; `ours` gains its files not seen yet, as at `base`.
    private func read(_ node: String, base: String, ours: inout [HgPath: HgFile?]) throws(ImportError)
        -> (HgChangeset, ancestor: [HgPath: HgFile], theirs: [HgPath: HgFile]) {
        do {
            let changeset = try source.changeset(node)
            let unseen = changeset.files.filter { ours[$0] == nil }
            let atBase = try target.files(at: base, paths: unseen)
            for path in unseen { ours[path] = .some(atBase[path]) }
            let ancestor = try changeset.parents.first.map { parent in try source.files(at: parent, paths: changeset.files) } ?? [:]
            return (changeset, ancestor, try source.files(at: node, paths: changeset.files))
        } catch let error as HgError {
            throw .hg(error)
        } catch let error as GitError {
            throw .geckoGit(error)
        } catch {
            throw .commandFailed(command: ["rebase", node], status: -1, output: "\(error)")
        }
    }

    /// The file combining ancestor → theirs with ancestor → ours (`.some(nil)`: no file), or nil
    /// when they do not combine: both sides changed it differently and the lines overlap, one side
    /// removed or added it while the other changed it, the flags disagree, or a symlink or binary
    /// content differs on both sides.
    static func merge(_ ancestor: HgFile?, _ ours: HgFile?, _ theirs: HgFile?) throws(ImportError) -> HgFile?? {
        if ours == theirs || theirs == ancestor { return .some(ours) }
        if ours == ancestor { return .some(theirs) }
        guard let ancestor, let ours, let theirs else { return nil }
        let flags: HgFileFlags
        if ours.flags == ancestor.flags { flags = theirs.flags }
        else if theirs.flags == ancestor.flags || theirs.flags == ours.flags { flags = ours.flags }
        else { return nil }
        if ours.data == ancestor.data { return .some(HgFile(data: theirs.data, flags: flags)) }
        if theirs.data == ancestor.data || theirs.data == ours.data { return .some(HgFile(data: ours.data, flags: flags)) }
        if [ancestor.flags, ours.flags, theirs.flags].contains(.symlink) { return nil }
        let merged: FileMergeResult
        do { merged = try GitRepository.mergeFile(ancestor: ancestor.data, ours: ours.data, theirs: theirs.data) } catch { throw .git(error) }
        guard case .merged(let data) = merged else { return nil }
        return .some(HgFile(data: data, flags: flags))
    }
}
