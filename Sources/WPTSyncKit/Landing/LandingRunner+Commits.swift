import Foundation
import RepoOps
import SyncCore

extension LandingRunner {
    /// The Gecko commit of `unit` with `files`: its PR's (or its own) author, date and messages.
    func commit(for unit: ImportUnit, files: [HgPath: PlannedCommit.FileChange]) throws -> PlannedCommit {
        // A PR's commit lists the PR's own commits; a commit without a PR stands for itself (even a merge).
        let commits = unit.pullRequest == nil ? try unit.commits.map(units.masterCommit) : try unit.commits.flatMap(units.prCommits)
        let author = commits.first?.author ?? GitSignature(name: "wpt", email: "wpt@localhost", time: 0)
        let messages = commits.map { (sha: $0.sha, message: $0.message) }
        let message = if let pr = unit.pullRequest {
            LandingText.pullRequestCommit(bug: settings.bug, pullRequest: pr, title: try units.title(of: unit), commits: messages)
        } else {
            LandingText.commitWithoutPullRequest(bug: settings.bug, sha: unit.head, message: commits.last?.message ?? [])
        }
        return PlannedCommit(user: LandingText.user(name: author.name, email: author.email), date: (author.time, -author.offsetMinutes * 60),
                             message: message, files: files)
    }

    /// The sync point at `base` and the units imported past it.
    func readSyncPoint(_ clone: any LandingWorkspace, at base: String) throws -> (upstream: String, landed: [String]) {
        guard let file = try clone.source.files(at: base, paths: [syncPointPath])[syncPointPath],
              let upstream = LandingText.upstream(inSyncPointFile: file.data) else {
            throw LandingError.noSyncPoint(path: syncPointPath.description, revision: base)
        }
        return (upstream, LandingText.landed(inSyncPointFile: file.data))
    }
}
