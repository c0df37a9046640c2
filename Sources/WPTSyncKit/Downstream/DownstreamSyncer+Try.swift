import RepoOps
import SyncCore

extension DownstreamSyncer {
    /// Builds the try commit of `push` (planned and saved already) on `base`, the mozilla-central
    /// revision recorded with it (the clone was refreshed from central just before), and pushes it. The same head on the same base gives the same commit, so after
    /// a crash between the push and its record, the rebuild finds try already has it (`nothingToPush`):
    /// Taskcluster's index has a decision task at it, or the try repository holds it.
    func pushTry(_ push: DownstreamTryPush, base: String, sync: inout DownstreamSync, pr: DownstreamPullRequestInfo,
                 changes current: PullRequestChanges) throws -> String {
        // A retry may test an earlier head than the PR's current one.
        let changes = push.head == current.head.hex ? current
            : try PullRequestChanges.read(git: git, head: push.head, master: master, exclude: exclude, maxTestPaths: maxTestPaths)
        let config = try TryTaskConfig(testPaths: changes.affected.paths, tasks: tasks, rebuild: push.rebuild)
        let message = "try: wpt PR \(pr.facts.number) at \(push.head.prefix(12)) (\(push.reason.rawValue))\n\nwpt-pr: \(pr.facts.number)\nwpt-head: \(push.head)\n"
        let built = try TryCommitBuilder(git: git, clone: clone, prefix: prefixes.wpt, excluded: exclude)
            .build(UpstreamChange(base: changes.base.hex, head: push.head), onto: base, taskConfig: config.json(wpt: prefixes.wpt),
                   user: "wpt-sync <wpt-sync@mozilla.com>", date: (try git.commit(changes.head).committer.time, 0),
                   message: Array(message.utf8))
        switch built {
        case .built(let node):
            // A decision task at the node means try ran it already (try may have moved on since).
            let outcome = try taskcluster.decisionTaskID(project: "try", revision: node) != nil ? .nothingToPush
                : try clone.pushToTry(node, url: tryRepository, branch: tryBranch)
            switch outcome {
            case .pushed, .nothingToPush:
                sync.pushed(revision: node)
                return "pushed \(node.prefix(12)) to try (\(changes.affected.paths.count) test paths)"
            case .lostRace(let message), .failed(let message):
                throw DownstreamSyncError.tryPushRefused(message: message)
            }
        case .conflict(let paths):
            sync.blocked = .init(reason: "does not apply to mozilla-central: " + paths.joined(separator: ", "), treeChanges: push.treeChanges)
            sync.supersede(at: sync.tryPushes.count - 1)
            return "cannot push to try: \(sync.blocked?.reason ?? "")"
        case .noChanges:
            sync.supersede(at: sync.tryPushes.count - 1)
            return "nothing to push to try: mozilla-central already has these changes"
        }
    }
}
