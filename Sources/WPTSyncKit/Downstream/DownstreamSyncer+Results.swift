import Foundation
import Remote
import Store
import SyncCore

extension DownstreamSyncer {
    /// Asks Taskcluster how the running try push stands, and records its end: a complete run's
    /// web-platform-tests reports are stored (compressed, the last `resultRunsKept` runs per PR)
    /// before the run is marked complete, so a report that cannot be read leaves the run running
    /// and is fetched again on the next pass.
    func followResults(_ sync: inout DownstreamSync) throws -> [String] {
        guard let index = sync.tryPushes.indices.last, sync.tryPushes[index].status == .running,
              let revision = sync.tryPushes[index].revision else { return [] }
        let run = sync.tryPushes[index]
        let pr = sync.pullRequest
        do {
            guard let decision = try taskcluster.decisionTaskID(project: "try", revision: revision) else { return [] }
            let tasks = try taskcluster.taskGroup(decision).map(\.tryTask)
            switch TryRunState.verdict(tasks) {
            case .running:
                return []
            case .infrastructureFailure(let reason):
                sync.finished(revision: revision, status: .infraFailure)
                try store.saveDownstreamSync(sync)
                return ["PR #\(pr): try push \(revision.prefix(12)) failed on infrastructure: \(reason)"]
            case .complete:
                let wpt = TryRunState.wptTasks(tasks)
                let stored = try storeReports(of: wpt, pullRequest: pr, revision: revision)
                let failed = wpt.contains { $0.state == .failed }
                // A stability run's metadata comes from its results and the first run's together.
                let earlier = Set(sync.resultRevisions(ofRunAt: index)).subtracting([revision])
                let reports = try store.downstreamResults(pullRequest: pr).filter { earlier.contains($0.revision) } + stored
                // Computed before the run is marked complete, in the same save: a rerun computes it again the same way.
                sync.metadata = metadata(of: sync, run: run, revision: revision, reports: reports)
                try tellBug(sync)
                sync.finished(revision: revision, status: .complete, failed: failed)
                try store.saveDownstreamSync(sync)
                return ["PR #\(pr): \(run.isStability ? "stability " : "")try push \(revision.prefix(12)) complete" + (failed ? ", with failures" : "") + "; \(stored.count) report(s) stored",
                        "PR #\(pr): " + (sync.metadata?.summary ?? "")]
            }
        } catch {
            throw DownstreamSyncError.step(pullRequest: pr, doing: "following try push \(revision.prefix(12))", reason: "\(error)")
        }
    }

    /// Fetches the `wptreport.json` of each wpt task that ran to its end (tasks in exception
    /// published none), checks that it is a report, and stores them all at once.
    private func storeReports(of wpt: [TryTask], pullRequest: Int, revision: String) throws -> [DownstreamResult] {
        var results: [DownstreamResult] = []
        for task in wpt where task.state == .completed || task.state == .failed {
            func unreadable(_ reason: String) -> DownstreamSyncError {
                .unreadableReport(revision: revision, taskID: task.taskID, label: task.name, reason: reason)
            }
            let body: [UInt8]
            do {
                body = try taskcluster.artifact(task.taskID, name: TaskclusterClient.wptReportArtifact)
            } catch {
                throw unreadable(error.httpStatus == 404 ? "the task published none (HTTP 404)" : "\(error)")
            }
            do {
                _ = try WPTReport.decode(Data(body), file: TaskclusterClient.wptReportArtifact)
            } catch {
                throw unreadable("\(error)")
            }
            results.append(DownstreamResult(revision: revision, taskID: task.taskID, label: task.name, report: body))
        }
        try store.saveDownstreamResults(pullRequest: pullRequest, revision: revision, results, keepingRuns: Self.resultRunsKept)
        return results
    }

    /// What the stored reports of try push `revision` say, per platform.
    func resultsSummary(of pullRequest: Int, revision: String) throws -> TryResultsSummary {
        let stored = try store.downstreamResults(pullRequest: pullRequest).filter { $0.revision == revision }
        return TryResultsSummary(try stored.map { ($0.label, try WPTReport.decode(Data($0.report), file: "stored report of task \($0.taskID)")) })
    }
}
