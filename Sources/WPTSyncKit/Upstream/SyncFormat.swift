import Foundation
import SyncCore

/// How syncs are shown to people and scripts.
public enum SyncFormat {
    /// One line: id, branch, state, PR, what it waits for, last error (control characters escaped).
    public static func line(_ sync: UpstreamSync) -> String {
        let active = sync.activeNodes.count
        var text = "sync \(sync.id) \(sync.branch) \(sync.status.rawValue)"
        if let pr = sync.pullRequest { text += " PR #\(pr)" }
        text += " — \(active) of \(sync.changesets.count) changeset(s) to upstream"
        if sync.status == .backedOutBeforePullRequest { text += "; backed out before a PR was opened" }
        if let waiting = sync.waiting { text += "; waiting for \(waiting)" }
        if let error = sync.lastError { text += "; last error: \(error)" }
        return ControlCharacters.escaped(text)
    }

    /// Several lines: the sync and each changeset with its state (control characters escaped).
    public static func details(_ sync: UpstreamSync) -> String {
        var lines = [line(sync)]
        if let url = sync.pullRequestURL { lines.append("  pull request: \(url)") }
        if let head = sync.head { lines.append("  branch head: \(head)" + (sync.base.map { " (built on \($0))" } ?? "")) }
        for changeset in sync.changesets {
            let flags = [changeset.backedOut ? "backed out" : nil, changeset.skipped ? "skipped" : nil,
                         changeset.inCentral ? "in mozilla-central" : nil].compactMap { $0 }
            lines.append("  \(changeset.node)" + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"))
        }
        if let conflict = sync.conflict {
            lines.append("  conflict in \(conflict.node.prefix(12)): \(conflict.files.joined(separator: ", "))")
        }
        if !sync.failingChecks.isEmpty { lines.append("  failing checks: \(sync.failingChecks.joined(separator: ", "))") }
        return lines.map(ControlCharacters.escaped).joined(separator: "\n")
    }

    /// The sync as one JSON object: its stored fields, its `branch`, and `waiting_for` as shown.
    public static func json(_ sync: UpstreamSync) -> String { JSONLine.encode(WithBranch(sync: sync)) }

    private struct WithBranch: Encodable {
        let sync: UpstreamSync
        enum CodingKeys: String, CodingKey { case branch, waitingFor }

        func encode(to encoder: any Encoder) throws {
            try sync.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sync.branch, forKey: .branch)
            try container.encodeIfPresent(sync.waiting, forKey: .waitingFor)
        }
    }
}
