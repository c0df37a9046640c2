import Remote
import RepoOps
import SyncCore

/// What `BranchClaim` needs to know from GitHub and the upstream repository.
extension UpstreamReconciler {
    /// The login of the account the GitHub token belongs to: only its pull requests can be wptsync's.
    func botLogin() throws -> String {
        if let bot { return bot }
        let login = try github.authenticatedUser().login
        bot = login
        return login
    }

    /// The login of the approver's account: only its approvals stand for wptsync's.
    func approverAccount(_ approver: Token) throws -> String {
        if let approverLogin { return approverLogin }
        let login = try github.account(of: approver)
        approverLogin = login
        return login
    }

    /// The head of `branch` upstream (fetched into the mirror), nil when there is no such branch.
    func upstreamHead(of branch: BranchName, for sync: UpstreamSync, hg: any GeckoSource) throws -> BranchClaim.Head? {
        guard let (oid, commit) = try fetchedHead(of: branch) else { return nil }
        let message = String(decoding: commit.message, as: UTF8.self)
        return BranchClaim.Head(commit: oid.hex, message: message, isExport: try isExport(commit, message: message, of: sync, hg: hg))
    }

    /// The head of `branch` upstream and its commit, fetched into the mirror; nil when there is no such branch.
    func fetchedHead(of branch: BranchName) throws -> (Oid, GitCommit)? {
        guard let oid = try currentHead(of: branch.rawValue) else { return nil }
        return (oid, try mirror.commit(oid))
    }

    /// Whether `commit` is exactly what the export writes for the sync's changeset its message
    /// names: that message, and the changeset's author and date as author and committer.
    func isExport(_ commit: GitCommit, message: String, of sync: UpstreamSync, hg: any GeckoSource) throws -> Bool {
        guard let node = BranchClaim.exportedNode(message: message), sync.changesets.contains(where: { $0.node == node }) else { return false }
        let changeset: HgChangeset
        do {
            changeset = try hg.changeset(node)
        } catch {
            if error.isUnknownGeckoRevision { return false }
            throw error
        }
        let signature = UpstreamExporter.signature(author: changeset.author, date: changeset.date)
        // The hg changeset is named when the commit map knew it at the time of the export.
        let hgNode = PullRequestNumbers.geckoHgNode(in: commit.message)
        return commit.author == signature && commit.committer == signature
            && commit.message == UpstreamExporter.message(for: changeset.description, node: node, hgNode: hgNode, bugzillaURL: settings.bugzillaURL)
    }
}

extension BranchClaim.PullRequest {
    init(_ pr: PullRequest) {
        self.init(number: pr.number, state: pr.isMerged ? .merged : pr.state == .open ? .open : .closed, body: pr.body ?? "",
                  author: pr.user?.login ?? "")
    }
}
