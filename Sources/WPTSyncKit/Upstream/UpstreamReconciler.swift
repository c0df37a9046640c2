import Foundation
import Remote
import RepoOps
import Store
import SyncCore

/// Brings one sync's upstream state (branch, PR, landed status, merge) in line with its goal.
/// Every step looks before it acts, so running it again, or after a crash at any point, changes
/// nothing more than one clean run.
final class UpstreamReconciler {
    let store: any SyncStore
    let github: GitHubClient
    let approver: Token?
    let mirror: GitRepository
    let upstreamURL: String
    let credentials: RemoteCredentials
    let settings: UpstreamSettings
    let prefixes: PathPrefixes
    /// What a stored error passes through.
    let redactor: Redactor

    static let upstreamMaster = "refs/wptsync/upstream/master"
    /// The login of the token's account, once asked (`botLogin()`).
    var bot: String?
    /// The approver's login, once asked (`approverAccount(_:)`).
    var approverLogin: String?
    /// Where upstream master is fetched from (`wpt.fetch_url`, for a fork); nil: `upstreamURL`.
    var masterURL: String?
    /// Gecko's git ↔ hg pairs (`[commit_map]`), for exports from git Gecko.
    var commitMap: GeckoCommitMap?
    /// Whether `upstreamURL` is a fork: its branches are deleted by pushing, not through the API.
    var pushesToFork: Bool { github.headOwner != nil }

    init(store: any SyncStore, github: GitHubClient, approver: Token?, mirror: GitRepository, upstreamURL: String,
         credentials: RemoteCredentials, settings: UpstreamSettings, prefixes: PathPrefixes, redactor: Redactor) {
        self.store = store; self.github = github; self.approver = approver; self.mirror = mirror
        self.upstreamURL = upstreamURL; self.credentials = credentials; self.settings = settings; self.prefixes = prefixes
        self.redactor = redactor
    }

    /// Reconciles `sync`, reading its changesets from `hg`; saves and returns the new record.
    /// `retryingConflict` tries a sync that needs fixing again (upstream may have moved on).
    func reconcile(_ sync: UpstreamSync, hg: any GeckoSource, retryingConflict: Bool = false) throws -> UpstreamSync {
        var sync = sync
        do {
            try advance(&sync, hg: hg, retryingConflict: retryingConflict)
            sync.lastError = nil
        } catch {
            sync.lastError = redactor("\(error)")
            _ = try store.save(sync)
            throw error
        }
        return try store.save(sync)
    }

    private func advance(_ sync: inout UpstreamSync, hg: any GeckoSource, retryingConflict: Bool) throws {
        switch UpstreamPlanner.goal(for: sync, retryingConflict: retryingConflict) {
        case .none:
            return
        case .followRevert(let number):
            try followRevert(&sync, number: number)
        case .closed:
            try close(&sync, hg: hg)
        case .open(let nodes):
            guard try publish(&sync, nodes: nodes, hg: hg) else { return }
            sync.waitingFor = "landing on mozilla-central" + Self.syncPointNote(sync)
        case .landed(let nodes):
            guard try publish(&sync, nodes: nodes, hg: hg) else { return }
            if try land(&sync) { try rebuildIfDirty(&sync, nodes: nodes, hg: hg) }
        }
    }

    func close(_ sync: inout UpstreamSync, hg: any GeckoSource) throws {
        let pr = try ownPullRequest(&sync, hg: hg)
        if let pr, pr.state == .open, !pr.isMerged { _ = try github.close(pr.number) }
        sync.settleClosed(pullRequest: pr.map { $0.isMerged ? .merged : .closed })
    }

    /// Makes the branch hold `nodes` (`rebuild`: built afresh on master) and a PR open for it.
    /// False when there is nothing to publish (the sync was closed or needs fixing).
    func publish(_ sync: inout UpstreamSync, nodes: [String], hg: any GeckoSource, rebuild: Bool = false) throws -> Bool {
        var current: Oid?
        if rebuild || sync.exportedNodes != nodes || sync.head == nil {
            // A branch wptsync never pushed for the sync is not its to build on (`BranchClaim` decides whose it is).
            if sync.head != nil || sync.pullRequest != nil { current = try currentHead(of: sync.branch) }
            guard try buildBranch(&sync, nodes: nodes, current: current, rebuild: rebuild, hg: hg) else { return false }
        }
        let built = sync.branch
        var pullRequest = try ownPullRequest(&sync, hg: hg)
        try keepPeoplesCommits(&sync, pullRequest: pullRequest, fetched: sync.branch == built ? current : nil, hg: hg)
        guard let head = sync.head, let branch = BranchName(sync.branch) else {
            throw UpstreamError.invalidBranch(sync.branch)
        }
        if let pr = pullRequest, pr.isMerged {
            // Merged already (by a person, or by us before a crash): only the branch may be left to delete.
            try deleteOwnBranch(branch)
            sync.pullRequest = pr.number
            sync.status = .merged
            sync.waitingFor = nil
            return false
        }
        if let pr = pullRequest, pr.state == .closed {
            // GitHub refuses to reopen a PR whose head moved: reopen first, then push.
            do {
                pullRequest = try github.reopen(pr.number)
            } catch {
                guard error.httpStatus == 422 else { throw error }
                pullRequest = nil
            }
        }
        try pushBranch(branch: sync.branch, head: head)
        let text = UpstreamPlanner.pullRequestText(for: sync, firstDescription: try hg.changeset(sync.activeNodes[0]).description,
                                                   bugzillaURL: settings.bugzillaURL)
        if let pr = pullRequest {
            if pr.title != text.title || (pr.body ?? "") != text.body {
                pullRequest = try github.updatePullRequest(pr.number, title: text.title, body: text.body)
            }
        } else {
            let bot = try botLogin()
            let created = try github.createPullRequest(title: text.title, head: branch, base: "master", body: text.body) { [sync] pr in
                BranchClaim.isOwn(BranchClaim.PullRequest(pr), by: sync, bot: bot)
            }
            pullRequest = created.pullRequest
        }
        guard let pr = pullRequest else { return false }
        // Recorded before anything else can fail, so a later backout finds the PR to close.
        sync.pullRequest = pr.number
        sync.pullRequestURL = pr.htmlURL
        sync.status = .open
        if !pr.labelNames.contains(settings.label) { _ = try github.addLabels([settings.label], to: pr.number) }
        if let approver { _ = try github.approve(pr.number, commitID: head, approverToken: approver, approverLogin: try approverAccount(approver)) }
        return true
    }

    /// The sync's PR: the recorded one, or else (a crash right after creating it) the one its
    /// author and metadata show to be this sync's on its branch. A branch where someone else's PR
    /// is, or that holds someone else's commits without a PR, moves the sync to its next branch
    /// name (`sequence`), leaving that PR and branch alone.
    private func ownPullRequest(_ sync: inout UpstreamSync, hg: any GeckoSource) throws -> PullRequest? {
        if let number = sync.pullRequest { return try github.pullRequest(number) }
        var used: Set<Int>?
        for _ in 0..<Self.maxBranchNames {
            guard let branch = BranchName(sync.branch) else { throw UpstreamError.invalidBranch(sync.branch) }
            let found = try github.findPullRequests(head: branch)
            var claim = found.isEmpty ? .free : BranchClaim.of(found.map(BranchClaim.PullRequest.init), for: sync, bot: try botLogin())
            if claim == .free { claim = BranchClaim.of(branchHead: try upstreamHead(of: branch, for: sync, hg: hg), for: sync) }
            switch claim {
            case .free: return nil
            case .ours(let number): return found.first { $0.number == number }
            case .taken, .held:
                if used == nil, let bug = sync.bug { used = Set(try store.syncs(bug: bug, status: nil).filter { $0.id != sync.id }.map(\.sequence)) }
                sync.sequence = BranchClaim.nextSequence(after: sync, used: used ?? [])
            }
        }
        throw UpstreamError.noFreeBranch(sync.branch)
    }

    /// How many branch names a sync tries before giving up.
    static let maxBranchNames = 20

    /// Takes the branch a person fixed by hand as the sync's head, then reconciles.
    func resume(_ sync: UpstreamSync, hg: any GeckoSource) throws -> UpstreamSync {
        guard sync.status == .needsFixup else { throw UpstreamError.notNeedingFixup(id: sync.id, status: sync.status) }
        var sync = sync
        let fixed = "refs/wptsync/fixed/\(sync.branch)"
        try mirror.fetch(from: upstreamURL, refspecs: ["+refs/heads/\(sync.branch):\(fixed)"], credentials: credentials)
        sync.head = try mirror.resolve(fixed).hex
        sync.exportedNodes = sync.activeNodes
        sync.conflict = nil
        sync.status = .open
        return try reconcile(sync, hg: hg)
    }

    /// Force-pushes `head` to the sync's own branch (only `gecko/…` branches are ever pushed).
    func pushBranch(branch: String, head: String) throws {
        guard branch.hasPrefix("gecko/") else { throw UpstreamError.invalidBranch(branch) }
        let local = "refs/wptsync/branches/\(branch)"
        let oid = try Oid(hex: head)
        if try mirror.referenceTarget(local) != oid {
            try mirror.updateReference(local, to: oid, expecting: .any)
        }
        try mirror.push(to: upstreamURL, refspecs: ["+\(local):refs/heads/\(branch)"], credentials: credentials)
    }

    /// Deletes a merged PR's branch upstream (only `gecko/…` branches are ever deleted).
    private func deleteOwnBranch(_ branch: BranchName) throws {
        guard branch.rawValue.hasPrefix("gecko/") else { throw UpstreamError.invalidBranch(branch.rawValue) }
        if pushesToFork {
            if try currentHead(of: branch.rawValue) != nil { try mirror.push(to: upstreamURL, refspecs: [":refs/heads/\(branch.rawValue)"], credentials: credentials) }
        } else {
            _ = try github.deleteBranch(branch)
        }
    }

    /// Marks the PR landed and merges it once its checks pass and it is mergeable. True when
    /// GitHub refused the merge as not mergeable.
    @discardableResult
    func land(_ sync: inout UpstreamSync) throws -> Bool {
        guard let number = sync.pullRequest, let head = sync.head, let branch = BranchName(sync.branch) else { return false }
        let statuses = try github.combinedStatus(ref: head).statuses
        if !statuses.contains(where: { $0.context == settings.statusContext && $0.state == .success }) {
            _ = try github.setStatus(sha: head, state: .success, context: settings.statusContext, description: "Landed on mozilla-central")
        }
        switch try github.checksVerdict(ref: head, required: Set(settings.requiredChecks), ignoring: [settings.statusContext],
                                        requireAny: !settings.mergeWithoutChecks) {
        case .pending(let names):
            sync.failingChecks = []
            sync.waitingFor = "checks to finish: \(names.joined(separator: ", "))"
        case .failure(let names):
            sync.failingChecks = names
            sync.waitingFor = "failing checks to be fixed upstream: \(names.joined(separator: ", "))"
        case .success:
            sync.failingChecks = []
            switch try github.merge(number, method: MergeMethod(rawValue: settings.mergeMethod) ?? .rebase, expectedHeadSHA: head) {
            case .merged:
                try deleteOwnBranch(branch)
                sync.status = .merged
                sync.waitingFor = nil
            case .notMergeable(let message):
                sync.waitingFor = "the PR to become mergeable: \(message)"
                return true
            case .headMoved(let message):
                sync.waitingFor = "a person: the PR head moved (\(message))"
            }
        }
        return false
    }
}
