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
        guard let name = UpstreamRevert.branch(forSyncBranch: sync.branch), let branch = BranchName(name) else {
            throw UpstreamError.invalidBranch(sync.branch)
        }
        let bot = try botLogin()
        let found = try github.findPullRequests(head: branch)
        let head = found.isEmpty ? try revertHead(of: branch, bot: bot) : nil
        switch UpstreamRevert.claim(found.map(BranchClaim.PullRequest.init), head: head, for: sync, bot: bot) {
        case .ours(let number):
            guard let existing = found.first(where: { $0.number == number }) else { break }
            let state = existing.isMerged ? "merged" : existing.state == .open ? "open" : "closed"
            return (try record(existing.number, on: sync),
                    "sync \(sync.id): revert PR #\(existing.number) exists already (\(state)): \(existing.htmlURL)")
        case .taken(let number): throw UpstreamError.revertBranchTaken(branch: name, by: "PR #\(number)")
        case .held: throw UpstreamError.revertBranchTaken(branch: name, by: "commits wptsync did not write")
        case .free: break
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
        if sync.revertPullRequest != number { sync.revertOpenedAt = Date() }
        sync.revertPullRequest = number
        sync.waitingFor = UpstreamRevert.waiting(for: number)
        return try store.save(sync)
    }

    /// The head of the revert branch upstream, nil when there is none; `isExport` when wptsync's
    /// account wrote it as a revert.
    private func revertHead(of branch: BranchName, bot: String) throws -> BranchClaim.Head? {
        guard let (oid, commit) = try fetchedHead(of: branch) else { return nil }
        let message = String(decoding: commit.message, as: UTF8.self)
        let email = "\(bot)@users.noreply.github.com"
        let ours = commit.author.email == email && commit.committer.email == email
        return BranchClaim.Head(commit: oid.hex, message: message, isExport: ours && UpstreamRevert.isRevertMessage(message))
    }

    /// Follows the revert PR of a merged sync (`followRevert`): settles the sync on what GitHub
    /// shows, closing the revert PR first when Gecko relanded the change.
    func followRevert(_ sync: inout UpstreamSync, number: Int) throws {
        let pr = try github.pullRequest(number)
        var state: PullRequestFacts.State = pr.isMerged ? .merged : pr.state == .open ? .open : .closed
        if state == .open, !sync.lostMergedChange {
            _ = try github.close(number)
            state = .closed
        }
        sync.settleRevert(state)
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
