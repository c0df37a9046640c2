import RepoOps
import SyncCore

extension DownstreamSyncer {
    /// How try commits reach try: through Lando when configured, else pushed.
    var delivery: any TryDelivery { lando ?? DirectTryPush(clone: clone, url: tryRepository, branch: tryBranch) }

    /// The lines of the message of the try commit of `push`, the `attempt`th try push of PR
    /// `pullRequest` (a blank line after the first): they find the commit on try when Lando's answer
    /// was lost. `wpt-try-push` makes each push a commit of its own, also one head tried again on the
    /// same base, so Taskcluster's index never gives one push the run of another; it is the push's
    /// place in the sync's record, so a rebuild after a crash gives the same commit.
    static func tryMessageLines(pullRequest: Int, push: DownstreamTryPush, attempt: Int) -> [String] {
        ["try: wpt PR \(pullRequest) at \(push.head.prefix(12)) (\(push.reason.rawValue))", "wpt-pr: \(pullRequest)", "wpt-head: \(push.head)",
         "wpt-try-push: \(attempt)"]
    }

    /// Builds the try commit of `push` (planned and saved already) on `base`, the mozilla-central
    /// revision recorded with it (the clone was refreshed from central just before), and delivers it
    /// (`delivery`: pushed, or sent to Lando). The same head on the same base gives the same commit, so after
    /// a crash between the push and its record, the rebuild finds try already has it (`nothingToPush`):
    /// Taskcluster's index has a decision task at it, or the try repository holds it.
    func pushTry(_ push: DownstreamTryPush, base: String, sync: inout DownstreamSync, pr: DownstreamPullRequestInfo,
                 changes current: PullRequestChanges) throws -> String {
        // A retry may test an earlier head than the PR's current one.
        let changes = push.head == current.head.hex ? current
            : try PullRequestChanges.read(git: git, head: push.head, master: master, exclude: exclude, maxTestPaths: maxTestPaths)
        let config = try TryTaskConfig(testPaths: changes.affected.paths, tasks: tasks, rebuild: push.rebuild)
        let lines = Self.tryMessageLines(pullRequest: pr.facts.number, push: push, attempt: sync.tryPushes.count)
        let message = lines[0] + "\n\n" + lines.dropFirst().joined(separator: "\n") + "\n"
        let built = try TryCommitBuilder(git: git, clone: clone, prefix: prefixes.wpt, excluded: exclude)
            .build(UpstreamChange(base: changes.base.hex, head: push.head), onto: base, taskConfig: config.json(wpt: prefixes.wpt),
                   user: "wpt-sync <wpt-sync@mozilla.com>", date: (try git.commit(changes.head).committer.time, 0),
                   message: Array(message.utf8))
        switch built {
        case .built(let node):
            // A decision task at the node means try ran it already (try may have moved on since).
            if try taskcluster.decisionTaskID(project: "try", revision: node) != nil {
                sync.pushed(revision: node)
                return "pushed \(node.prefix(12)) to try (\(changes.affected.paths.count) test paths)"
            }
            return try delivery.deliver(node, base: base, sync: &sync, save: store.saveDownstreamSync)
                + " (\(changes.affected.paths.count) test paths)"
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
