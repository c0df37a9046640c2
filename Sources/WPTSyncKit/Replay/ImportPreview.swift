import RepoOps
import Store
import SyncCore

/// What a dry run says about upstream wpt commits that would be imported into Gecko: the units
/// (one per PR) and the Gecko commits a landing would make. Reads only: PR numbers come from the
/// store's map and the messages, never from GitHub, and nothing is stored.
public enum ImportPreview {
    public static func describeImport(mirror: GitRepository, from old: String, to new: String,
                                      landing: LandingSettings?, store: (any LandingStore)?) throws -> [String] {
        let history = try mirror.firstParentHistory(from: old, to: new)
        let commits = try history.map { commit in
            let stored = try store?.commitMapping(sha: commit.sha)
            return MasterCommit(sha: commit.sha, parent: commit.parents.first ?? old,
                                pullRequest: stored.map(\.pullRequest) ?? PullRequestNumbers.fromMessage(commit.message))
        }
        let messages = Dictionary(uniqueKeysWithValues: history.map { ($0.sha, $0.message) })
        let units = ImportPlanner.units(commits)
        var lines = ["\(history.count) upstream commit(s) on master's first-parent line, \(units.count) unit(s)"
                     + (landing == nil ? "; [landing] is not configured: nothing would be imported" : "")]
        for unit in units {
            let summary = String(decoding: (messages[unit.head] ?? []).prefix { $0 != 0x0a }, as: UTF8.self)
            let exported = unit.commits.contains { PullRequestNumbers.geckoNode(in: messages[$0] ?? []) != nil }
            let what = unit.pullRequest.map { "PR #\($0)" } ?? "commit \(unit.head.prefix(12)) (no PR)"
            lines.append("\(what): \(summary)" + (exported ? " — exported from Gecko: would only move the sync point" : ""))
        }
        if let landing, !units.isEmpty {
            lines.append("then a landing commit: Bug \(landing.bug) - [wpt-sync] Update web-platform-tests to \(new.prefix(12)), pushed to \(landing.repository)")
        }
        return lines
    }
}
