import Foundation
import Remote
import RepoOps
import Store
import SyncCore

/// Reads upstream master's new commits as import units: which PR each commit came from (message,
/// the tool's own records, then GitHub; remembered in the store), what each unit may do (the
/// importability rule), and the commits, messages and title each unit's Gecko commit carries.
struct UpstreamUnits {
    let mirror: GitRepository
    let store: any LandingStore & SyncStore
    let github: GitHubClient?
    /// A reason when a person chose not to sync this PR.
    let skipReason: (Int) throws -> String?
    /// Gecko's git ↔ hg pairs (`[commit_map]`): a change exported from the other kind of Gecko.
    var commitMap: GeckoCommitMap?

    /// The units from `base` (excluded) to `head`, oldest first.
    func units(from base: String, to head: String) throws -> [ImportUnit] {
        let history = try mirror.firstParentHistory(from: base, to: head)
        return ImportPlanner.units(try history.map { commit in
            MasterCommit(sha: commit.sha, parent: commit.parents.first ?? base, pullRequest: try pullRequest(of: commit))
        })
    }

    /// The importability rule: a skipped PR is passed over; so is a PR wptsync opened from Gecko
    /// (an upstream sync records it) whose every commit names a Gecko node the integration
    /// repository has, since its change is already there. Any other merged PR, or commit without a
    /// PR, is applied. Downstreaming adds its conditions here. `geckoHas` tells whether a full
    /// Gecko node is in the integration repository; a change exported from the other kind of
    /// Gecko is found by its `gecko-commit-hg:` or through `commitMap`.
    func rule(_ unit: ImportUnit, geckoHas: (String) -> Bool) throws -> Importability {
        guard let pr = unit.pullRequest else { return .ready(.apply) }
        if let reason = try skipReason(pr) { return .ready(.passOver(reason: "skipped: \(reason)")) }
        let messages = try unit.commits.flatMap(prCommits).map(\.message)
        let nodes = messages.map { PullRequestNumbers.geckoNode(in: $0) }
        guard !nodes.isEmpty, nodes.allSatisfy({ $0 != nil }) else { return .ready(.apply) }
        let geckoNodes = nodes.compactMap { $0 }
        let opened = try store.syncs(relevantToBugs: [], nodePrefixes: geckoNodes).contains { $0.pullRequest == pr }
        guard opened, try zip(messages, geckoNodes).allSatisfy({ try inGecko($1, message: $0, geckoHas: geckoHas) }) else { return .ready(.apply) }
        return .ready(.passOver(reason: "exported from Gecko: already there"))
    }

    /// Whether the change an export of `node` carries is in Gecko: `node` itself, the hg changeset
    /// its message also names, or `node`'s other half in Lando's commit map (an unreachable Lando
    /// throws: the landing is retried rather than importing the change twice).
    private func inGecko(_ node: String, message: [UInt8], geckoHas: (String) -> Bool) throws -> Bool {
        if geckoHas(node) { return true }
        if let hg = PullRequestNumbers.geckoHgNode(in: message), geckoHas(hg) { return true }
        guard let commitMap else { return false }
        if try commitMap.git(forHg: node).map(geckoHas) == true { return true }
        return try commitMap.hg(forGit: node).map(geckoHas) == true
    }

    /// The commits whose messages a unit's Gecko commit lists: for a merge commit the PR's own
    /// commits (second-parent side), else the master commit itself; oldest first.
    func prCommits(_ sha: String) throws -> [UpstreamCommit] {
        let commit = try masterCommit(sha)
        guard commit.parents.count == 2, let first = try? Oid(hex: commit.parents[0]), let second = try? Oid(hex: commit.parents[1]) else {
            return [commit]
        }
        return try mirror.commits(from: [second], hiding: [first]).reversed().map { try masterCommit($0.hex) }
    }

    /// One commit of the mirror.
    func masterCommit(_ sha: String) throws -> UpstreamCommit {
        let commit = try mirror.commit(try mirror.resolve(sha))
        return UpstreamCommit(sha: commit.oid.hex, parents: commit.parents.map(\.hex), message: commit.message, author: commit.author)
    }

    /// The PR title for a unit's commit message: remembered, from GitHub, or from the message.
    func title(of unit: ImportUnit) throws -> String {
        guard let pr = unit.pullRequest, let last = unit.commits.last else { return "" }
        let known = try store.commitMapping(sha: last)
        if let title = known?.title { return title }
        let message = try mirror.commit(try mirror.resolve(last)).message
        let title = (try? github?.pullRequest(pr).title) ?? Self.title(fromMessage: message, pullRequest: pr)
        try store.setCommitMapping(CommitMapping(sha: last, pullRequest: pr, source: known?.source ?? "message", title: title))
        return title
    }

    private func pullRequest(of commit: UpstreamCommit) throws -> Int? {
        if let known = try store.commitMapping(sha: commit.sha) { return known.pullRequest }
        var mapping: CommitMapping?
        if let pr = PullRequestNumbers.fromMessage(commit.message) {
            mapping = CommitMapping(sha: commit.sha, pullRequest: pr, source: "message")
        } else if let node = PullRequestNumbers.geckoNode(in: commit.message),
                  let pr = try store.syncs(relevantToBugs: [], nodePrefixes: [node]).compactMap(\.pullRequest).first {
            mapping = CommitMapping(sha: commit.sha, pullRequest: pr, source: "gecko-sync")
        } else if let github,
                  let merged = try github.pullRequests(forCommit: commit.sha).first(where: { $0.mergedAt != nil && $0.base.ref == "master" }) {
            // No answer is not remembered: GitHub links a commit to its PR a little after the merge.
            mapping = CommitMapping(sha: commit.sha, pullRequest: merged.number, source: "github", title: merged.title)
        }
        if let mapping { try store.setCommitMapping(mapping) }
        return mapping?.pullRequest
    }

    /// A squash merge's first line without ` (#N)`, or a merge commit's third line (GitHub puts the title there).
    static func title(fromMessage message: [UInt8], pullRequest: Int) -> String {
        let lines = String(decoding: message, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = lines.first ?? ""
        if first.hasPrefix("Merge pull request #"), lines.count > 2, !lines[2].isEmpty { return lines[2] }
        let suffix = " (#\(pullRequest))"
        return first.hasSuffix(suffix) ? String(first.dropLast(suffix.count)) : first
    }
}
