import Foundation
import Remote
import RepoOps
import SyncCore

/// `wptsync revert upstream`: opens the PR reverting what a merged sync brought upstream, once a
/// person decided (pure rules in `UpstreamRevert`).
extension UpstreamReconciler {
    /// Opens the revert PR of `sync` (`backed-out-after-merge`), or finds the one opened before;
    /// saves and returns the sync and what was done.
    func openRevert(_ sync: UpstreamSync) throws -> (sync: UpstreamSync, line: String) {
        guard sync.status == .backedOutAfterMerge, let number = sync.pullRequest else {
            throw UpstreamError.notBackedOutAfterMerge(id: sync.id, status: sync.status)
        }
        var sync = sync
        let name = UpstreamRevert.branch(for: sync)
        guard let branch = BranchName(name) else { throw UpstreamError.invalidBranch(name) }
        let bot = try botLogin()
        if let existing = try github.findPullRequests(head: branch).first(where: { $0.user?.login == bot }) {
            let state = existing.isMerged ? "merged" : existing.state == .open ? "open" : "closed"
            return (try record(existing.number, on: sync),
                    "sync \(sync.id): revert PR #\(existing.number) exists already (\(state)): \(existing.htmlURL)")
        }
        let merged = try github.pullRequest(number)
        guard merged.isMerged, let mergeCommit = merged.mergeCommitSha else {
            throw UpstreamError.notBackedOutAfterMerge(id: sync.id, status: sync.status)
        }
        let master = try fetchUpstreamMaster()
        let reverted = UpstreamRevert.commits(in: try firstParentLine(from: try Oid(hex: mergeCommit), count: sync.changesets.count + 1), of: sync)
        let signature = GitSignature(name: bot, email: "\(bot)@users.noreply.github.com", time: Int64(Date().timeIntervalSince1970))
        var tip = master
        for commit in reverted {
            let read = try mirror.commit(try Oid(hex: commit.sha))
            let ours = try mirror.commit(tip).tree
            switch try mirror.mergeTrees(ancestor: read.tree, ours: ours, theirs: try mirror.commit(read.parents[0]).tree) {
            case .clean(let tree) where tree == ours: continue
            case .clean(let tree):
                tip = try mirror.createCommit(tree: tree, parents: [tip], author: signature, committer: signature,
                                              message: Array(UpstreamRevert.message(reverting: commit).utf8))
            case .conflicts(let conflicts):
                throw UpstreamError.revertConflicts(commit: commit.sha, files: conflicts.map { String(decoding: $0.path.bytes, as: UTF8.self) })
            }
        }
        guard tip != master else { throw UpstreamError.nothingToRevert(id: sync.id) }
        try pushBranch(branch: name, head: tip.hex)
        let text = UpstreamRevert.pullRequestText(for: sync, mergedTitle: merged.title, reverted: reverted)
        let created = try github.createPullRequest(title: text.title, head: branch, base: "master", body: text.body) { $0.user?.login == bot }
        let pr = created.pullRequest
        if !pr.labelNames.contains(settings.label) { _ = try github.addLabels([settings.label], to: pr.number) }
        return (try record(pr.number, on: sync), "sync \(sync.id): opened revert PR #\(pr.number): \(pr.htmlURL)")
    }

    private func record(_ number: Int, on sync: UpstreamSync) throws -> UpstreamSync {
        var sync = sync
        sync.revertPullRequest = number
        sync.waitingFor = UpstreamRevert.waiting(for: number)
        return try store.save(sync)
    }

    /// Up to `count` commits of the first-parent line from `start`, newest first.
    private func firstParentLine(from start: Oid, count: Int) throws -> [UpstreamRevert.Commit] {
        var line: [UpstreamRevert.Commit] = []
        var next: Oid? = start
        while let oid = next, line.count < count {
            let commit = try mirror.commit(oid)
            line.append(UpstreamRevert.Commit(sha: oid.hex, message: String(decoding: commit.message, as: UTF8.self),
                                              parentCount: commit.parents.count))
            next = commit.parents.first
        }
        return line
    }
}
