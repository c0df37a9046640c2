import Remote
import RepoOps
import SyncCore

/// A landed PR that GitHub cannot merge because it conflicts with master (`mergeable_state`
/// `dirty`): once upstream master moved since the branch was built, the branch is rebuilt onto it
/// and merged; if it does not rebase, or a person's commits are on it, the sync waits for a person,
/// as any conflict does. A PR opened from the sync point conflicts by design: it is resolved on GitHub.
extension UpstreamReconciler {
    /// Called after GitHub refused to merge the landed `sync`: when the PR is dirty and master
    /// moved since the branch was built, rebuilds the branch holding `nodes` onto it and lands again.
    func rebuildIfDirty(_ sync: inout UpstreamSync, nodes: [String], hg: any GeckoSource) throws {
        guard let number = sync.pullRequest else { return }
        let pr = try github.pullRequest(number)
        guard pr.state == .open, !pr.isMerged, pr.mergeableState == "dirty" else { return }
        // Opened from the sync point because it conflicts with master: a person resolves it on GitHub.
        guard sync.syncPoint == nil else {
            sync.waitingFor = (sync.waitingFor ?? "the PR to become mergeable") + Self.syncPointNote(sync)
            return
        }
        guard sync.base != (try fetchUpstreamMaster()).hex else {
            sync.waitingFor = "a person: PR #\(number) conflicts with master although built on it; fix branch \(sync.branch), "
                + "then `wptsync continue upstream \(sync.id)`"
            return
        }
        guard try publish(&sync, nodes: nodes, hg: hg, rebuild: true) else { return }
        if try land(&sync) {
            sync.waitingFor = "the PR to become mergeable after its branch was rebuilt on master (\(sync.base?.prefix(12) ?? ""))"
        }
    }
}
