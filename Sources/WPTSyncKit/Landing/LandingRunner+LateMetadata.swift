import RepoOps
import Store
import SyncCore

extension LandingRunner {
    /// The metadata commits of PRs whose import an earlier landing carried and whose try results came
    /// in since (`LateMetadata.due`), in PR order, each rebased three-way onto the metadata as it
    /// stands on `base`; they go first in the landing. `excluded`: the PRs this landing imports. A
    /// late update that changes nothing there (Gecko has it, or it conflicts) is carried without a
    /// commit, so it is not tried again.
    func lateMetadataCommits(excluding excluded: Set<Int>, base: String) throws -> (commits: [PlannedCommit], carried: [LandedMetadata]) {
        guard let downstream else { return ([], []) }
        let syncs = try downstream.downstreamSyncsWithLateMetadata().filter { !excluded.contains($0.pullRequest) }
        guard !syncs.isEmpty else { return ([], []) }
        let landed = LateMetadata.landed(try store.landedMetadata(pullRequests: syncs.map(\.pullRequest)))
        var commits: [PlannedCommit] = []
        var carried: [LandedMetadata] = []
        for var late in LateMetadata.due(syncs: syncs, landed: landed, excluded: excluded, stability: stabilityRuns) {
            let pr = late.pullRequest
            let remaining = late.metadata.since(landed[pr] ?? nil)
            let made = try metadataCommit(pullRequest: pr, bug: syncs.first { $0.pullRequest == pr }?.bug, change: remaining,
                                          date: nil, base: base, landed: commits)
            late.conflicts = made.conflicts
            if let commit = made.commit { commits.append(commit) }
            carried.append(late)
            metadataNotes.append("PR #\(pr): its metadata from try push \(late.metadata.revision.prefix(12)) came after its import landed: "
                                 + (made.commit != nil ? "lands as its own commit" : made.conflicts.isEmpty ? "Gecko has it already" : "nothing of it lands"))
        }
        return (commits, carried)
    }
}
