/// Which upstream pull requests get a downstream sync (a bug and a try run): every one except
/// those wptsync's own upstream syncs opened, and those changing nothing Gecko imports.
public enum DownstreamSelection {
    public enum Decision: Sendable, Equatable {
        case sync
        case skip(reason: String)
    }

    /// `pr`'s decision. `changedPaths` are relative to the wpt root; `label` is the upstream
    /// syncs' label (`[upstream] label`); `exclude` the landing's `[landing] exclude`.
    public static func decide(_ pr: PullRequestFacts, changedPaths: [String], label: String, exclude: [String]) -> Decision {
        if isUpstreamSync(pr, label: label) {
            return .skip(reason: "PR #\(pr.number) is wptsync's own upstream sync (\(pr.branch))")
        }
        if importedPaths(changedPaths, exclude: exclude).isEmpty {
            return .skip(reason: "PR #\(pr.number) changes nothing Gecko imports")
        }
        return .sync
    }

    /// Whether `pr` is one wptsync opened: a sync branch (`gecko/<bug>`, …) or its revert branch
    /// (`gecko/revert/<bug>`), with the label or the `gecko-commits:` metadata, as `SyncRebuild`
    /// recognises them. A branch name alone is not enough: anyone can name a fork's branch `gecko/1`.
    public static func isUpstreamSync(_ pr: PullRequestFacts, label: String) -> Bool {
        if SyncRebuild.isSyncPullRequest(pr, label: label) { return true }
        guard let revertPrefix = UpstreamRevert.branch(forSyncBranch: "gecko/"), pr.branch.hasPrefix(revertPrefix) else { return false }
        var synced = pr
        synced.branch = "gecko/" + pr.branch.dropFirst(revertPrefix.count)
        return SyncRebuild.isSyncPullRequest(synced, label: label)
    }

    /// The paths of `changedPaths` that the landing imports: those not excluded.
    public static func importedPaths(_ changedPaths: [String], exclude: [String]) -> [String] {
        changedPaths.filter { !LandingSettings.isExcluded(Array($0.utf8), by: exclude) }
    }
}
