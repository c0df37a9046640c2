import Foundation
import Store
import SyncCore

/// How `wptsync downstreams` shows what wptsync has seen of upstream PRs.
public enum DownstreamFormat {
    /// One PR on one line; control characters (titles come from upstream) shown escaped.
    public static func line(_ seen: SeenDownstream) -> String {
        let pr = seen.record.pullRequest
        var text = "PR #\(pr.number) \(pr.state.rawValue) \(pr.head.prefix(12)) (\(pr.headBranch) → \(pr.base)) by \(pr.author): \(pr.title)"
        if let by = pr.mergedBy { text += ", merged by \(by)" }
        let approvers = seen.record.approvedBy
        if !approvers.isEmpty { text += ", approved by \(approvers.joined(separator: ", "))" + (seen.record.headApproved ? "" : " (not on this head)") }
        if !seen.checks.isEmpty { text += ", checks: " + seen.checks.map { "\($0.name) \($0.conclusion ?? $0.status)" }.joined(separator: ", ") }
        if let reason = seen.record.ignored { text += ", ignored: \(reason)" }
        return ControlCharacters.escaped(text)
    }

    /// One JSON object (README: `downstreams --json`); with the PR's downstream sync, its metadata.
    /// `stability`: whether complete runs are followed by a stability run (`[downstream] rebuild`).
    public static func json(_ seen: SeenDownstream, sync: DownstreamSync? = nil, stability: Bool = false) -> String {
        let pr = seen.record.pullRequest
        let approvals = seen.record.reviews.values.filter { $0.state == .approved }.sorted { $0.reviewer < $1.reviewer }
        return JSONLine.encode(Entry(
            pullRequest: pr.number, repository: seen.repository, url: pr.url, title: pr.title, author: pr.author,
            state: pr.state.rawValue, mergedBy: pr.mergedBy, head: pr.head, headBranch: pr.headBranch, base: pr.base,
            labels: pr.labels, approvals: approvals.map { Approval(reviewer: $0.reviewer, head: $0.commit, at: $0.submittedAt) },
            headApproved: seen.record.headApproved,
            checks: seen.checks.map { Check(kind: $0.kind.rawValue, name: $0.name, status: $0.status, conclusion: $0.conclusion, at: $0.updatedAt) },
            ignored: seen.record.ignored, updatedAt: pr.updatedAt, seenAt: seen.seenAt, lastDelivery: seen.record.lastDelivery,
            metadata: sync.map { MetadataState($0, stability: stability) }))
    }

    struct Entry: Encodable {
        var pullRequest: Int
        var repository, url, title, author, state: String
        var mergedBy: String?
        var head, headBranch, base: String
        var labels: [String]
        var approvals: [Approval]
        var headApproved: Bool
        var checks: [Check]
        var ignored: String?
        var updatedAt, seenAt: Date
        var lastDelivery: String
        var metadata: MetadataState?
    }

    /// Where the PR's expectation metadata stands.
    struct MetadataState: Encodable {
        /// The try push it comes from, the files it changes, what it disabled; nil before any.
        var revision: String?
        var files: [String]
        var disabled: [String]
        var error: String?
        /// A try run of the PR's changes is still going.
        var waiting: Bool
        /// A person said it lands with what it has.
        var ready: Bool

        init(_ sync: DownstreamSync, stability: Bool) {
            revision = sync.metadata?.revision; files = sync.metadata?.files.keys.sorted() ?? []
            disabled = sync.metadata?.disabled ?? []; error = sync.metadata?.error
            waiting = sync.awaitsMetadata(stability: stability); ready = sync.metadataReady == true
        }
    }

    struct Approval: Encodable {
        var reviewer, head: String
        var at: Date
    }

    struct Check: Encodable {
        var kind, name, status: String
        var conclusion: String?
        var at: Date
    }
}
