import Foundation
import RepoOps
import Store
import SyncCore

extension DownstreamSyncer {
    /// Comments on the bug what the metadata disabled and which crashes it now expects, and, in a
    /// comment of its own, when the PR's import already landed, that the metadata lands on its own;
    /// each once (a rerun finds the comment there, whatever landed meanwhile).
    func tellBug(_ sync: DownstreamSync) throws {
        guard let metadata = sync.metadata, let bug = sync.bug else { return }
        if let comment = metadata.bugComment { try bugzilla.addCommentOnce(bug, comment) }
        if metadata.error == nil, let landings,
           let landed = LateMetadata.landed(try landings.landedMetadata(pullRequests: [sync.pullRequest]))[sync.pullRequest],
           !metadata.since(landed).files.isEmpty {
            try bugzilla.addCommentOnce(bug, LateMetadata.bugNote(pullRequest: sync.pullRequest, bug: bug, revision: metadata.revision))
        }
    }

    /// The PR's expectation metadata from the reports of try push `revision`, on Gecko's metadata at
    /// the run's mozilla-central `base`, with the metadata of the tests its head renames or removes moved
    /// or dropped. The previous run's metadata is re-applied first (rebased
    /// three-way; a file that conflicts starts again from Gecko's), without what it disabled as
    /// unstable. Unstable results (several statuses in one configuration, as the repeated runs of a
    /// stability run give) are disabled with the bug's URL as the reason, or, with `unstable =
    /// "intermittent"`, recorded as intermittent. Never throws: what
    /// went wrong (Gecko's metadata does not parse) is recorded in the value, and the run completes.
    func metadata(of sync: DownstreamSync, run: DownstreamTryPush, revision: String, reports: [DownstreamResult]) -> DownstreamMetadata {
        guard let base = run.base else { return DownstreamMetadata(revision: revision, base: "", error: "the try push recorded no mozilla-central base") }
        do {
            let results = try WPTReport.decodeRuns(reports.map { (Data($0.report), "the wptreport.json of task \($0.taskID)") })
            let previous = sync.metadata?.error == nil ? sync.metadata : nil
            let moves = try PullRequestChanges.moves(git: git, head: run.head, master: master)
            let paths = Set(MetadataPlan.paths(testIDs: results.keys, renames: moves.renames, removed: moves.removed))
                .union(previous.map { Array($0.files.keys) } ?? [])
            let gecko = try MetadataCommitBuilder.read(paths.sorted(), at: base, in: clone.source)
            var start = gecko
            if let previous {
                for (path, text) in MetadataRebase.rebase(previous, onto: gecko.mapValues(\.text)).files {
                    start[path] = try text.map { try MetadataParser.parse($0, file: path) }
                }
            }
            return DownstreamMetadata.compute(pullRequest: sync.pullRequest, revision: revision, base: base, gecko: gecko, start: start, results: results,
                                              renames: moves.renames, removed: moves.removed, plan: DownstreamMetadata.plan(unstable: unstable, bug: sync.bug),
                                              disabledReason: sync.bug.map(DownstreamMetadata.disabledReason))
        } catch {
            return DownstreamMetadata(revision: revision, base: base, error: redactor("\(error)"))
        }
    }
}
