import Foundation
import HookIntake
import RepoOps
import Store
import SyncCore

extension Application {
    /// The downstream sync of upstream PR `number`, as `wptsync show downstream` prints it.
    public func downstreamSync(pullRequest number: Int) throws -> DownstreamSync {
        guard let sync = try journal.downstreamSync(pullRequest: number) else { throw DownstreamSyncError.noSync(pullRequest: number) }
        return sync
    }

    /// The metadata of PR `number` that landings in Gecko (pushed or landed) carried, newest first,
    /// with each landing's id.
    public func landedMetadata(pullRequest number: Int) throws -> [(landing: Int64, metadata: LandedMetadata)] {
        try journal.landedMetadata(pullRequests: [number]).compactMap { entry in entry.carried.map { (entry.landing, $0) } }
    }

    /// `wptsync retry-try PR`: one more try push of the PR's current changes, made now.
    public func retryTry(pullRequest number: Int) throws -> [String] {
        try changeDownstream(number) { $0.requestedRetries += 1 }
    }

    /// `wptsync continue downstream PR`: a person settled what blocked the sync; it goes on now.
    public func continueDownstream(pullRequest number: Int) throws -> [String] {
        try changeDownstream(number) { $0.blocked = nil }
    }

    /// `wptsync reconcile-prs`: one pull request reconciliation now; what it found is recorded in
    /// the journal for the worker, which is woken.
    public func reconcilePullRequests() throws -> [String] {
        guard let reconciler = try PullRequestReconciler.make(config: config, store: journal, events: events, environment: environment) else {
            throw DownstreamSyncError.notConfigured("reconciling PRs needs [downstream] (enabled) and [github]")
        }
        let lines = try reconciler.run()
        WakeBell.ring(config.store.wakePath)
        return lines
    }

    /// `wptsync metadata PR --ready`: landings carry the PR with the metadata it has, without waiting
    /// for its try run. Idempotent.
    public func markMetadataReady(pullRequest number: Int) throws -> String {
        var sync = try downstreamSync(pullRequest: number)
        if sync.metadataReady != true {
            sync.metadataReady = true
            try journal.saveDownstreamSync(sync)
        }
        return "PR #\(number): lands with " + (sync.metadata.map { $0.files.isEmpty ? "no metadata change" : "its metadata from try push \($0.revision.prefix(12))" }
            ?? "no metadata") + "; landings no longer wait for its try run"
    }

    private func changeDownstream(_ number: Int, _ change: (inout DownstreamSync) -> Void) throws -> [String] {
        var sync = try downstreamSync(pullRequest: number)
        change(&sync)
        try journal.saveDownstreamSync(sync)
        guard let runner = try DownstreamRunner.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            return ["PR #\(number): recorded; no [downstream] configured to act on it"]
        }
        return try runner.run(pullRequest: number)
    }
}

/// How `wptsync show downstream` prints a downstream sync.
public enum DownstreamSyncFormat {
    /// `landed`: the metadata landings carried for the PR (`Application.landedMetadata`).
    public static func details(_ sync: DownstreamSync, landed: [(landing: Int64, metadata: LandedMetadata)] = [],
                               treeherder: String = "https://treeherder.mozilla.org") -> String {
        var lines = ["PR #\(sync.pullRequest): bug \(sync.bug.map(String.init) ?? "not filed yet")"
                     + (sync.component.map { " (\($0))" } ?? "") + (sync.bugResolved ? ", resolved INVALID" : "")]
        for push in sync.tryPushes {
            let link = push.revision.map { " \(treeherder)/jobs?repo=try&revision=\($0)" } ?? ""
            lines.append("  try push (\(push.reason.rawValue), \(push.mode.rawValue)\(push.rebuild.map { ", each task \($0) times" } ?? "")) of \(push.head.prefix(12)): \(push.status.rawValue)"
                         + (push.failed ? ", with failures" : "")
                         + (push.lando.map { ", through Lando job " + ($0.job.map(String.init) ?? "(answer lost)") } ?? "") + link)
        }
        if let stopped = sync.tryPushes.last.flatMap({ $0.isPending ? $0.lando?.stopped : nil }) { lines.append("  waits for a person: \(stopped)") }
        if let blocked = sync.blocked { lines.append("  waits for a person: \(blocked.reason) (then `wptsync continue downstream \(sync.pullRequest)`)") }
        if sync.blockedLabel { lines.append("  the PR carries the blocked label") }
        if let metadata = sync.metadata {
            lines.append("  " + metadata.summary + (sync.metadataReady == true ? " (ready to land)" : ""))
            for (path, file) in metadata.files.sorted(by: { $0.key < $1.key }) {
                let diff = (try? GitRepository.unifiedDiff(path: path, old: file.before.map { Array($0.utf8) }, new: file.after.map { Array($0.utf8) })) ?? ""
                lines += diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 }
            }
        } else if sync.metadataReady == true {
            lines.append("  lands without metadata (ready)")
        }
        for (landing, carried) in landed {
            lines.append("  metadata from try push \(carried.metadata.revision.prefix(12)) landed with landing \(landing)"
                         + (carried.late ? " (late: its own commit, after the PR's import)" : "")
                         + (carried.conflicts.isEmpty ? "" : "; left as Gecko has it, changed there since: " + carried.conflicts.joined(separator: ", ")))
        }
        if let error = sync.lastError { lines.append("  last error: \(error)") }
        return lines.map(ControlCharacters.escaped).joined(separator: "\n")
    }

    /// The record as stored (JSON).
    public static func json(_ sync: DownstreamSync) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(sync), as: UTF8.self)) ?? "{}"
    }
}
