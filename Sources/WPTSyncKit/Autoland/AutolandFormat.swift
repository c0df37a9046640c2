import Foundation
import SyncCore

/// How autoland requests are shown to people and as JSON (`wptsync autoland list|show`).
public enum AutolandFormat {
    /// One request on one line; control characters (reasons quote pushed text) shown escaped.
    public static func line(_ request: AutolandRequest) -> String {
        var text = "autoland \(request.id) \(request.state.phase.rawValue): \(request.repository) \(request.tip.prefix(12)) by \(request.requester ?? "(no valid user)")"
            + ", \(request.nodes.count) changeset(s)" + (request.tree.map { " for \($0)" } ?? "")
            + (request.bugs.isEmpty ? "" : ", bug " + request.bugs.map(String.init).joined(separator: ", "))
        if !request.state.retriggers.isEmpty {
            text += ", retriggered " + request.state.retriggers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
        if let node = request.state.landedNode { text += ", landed as \(node.prefix(12))" }
        if let reason = request.state.reason { text += ", \(reason)" }
        return ControlCharacters.escaped(text)
    }

    /// The request in detail: the line, then its changesets, failed jobs, bug comments and the audit log.
    public static func detail(_ request: AutolandRequest) -> [String] {
        [line(request), "  received \(request.receivedAt.ISO8601Format())"]
            + request.nodes.map { "  changeset \($0)" }
            + request.state.failedJobs.map { "  failed again: \($0.name) (job \($0.jobID), task \($0.taskID), \($0.result))" }
            + (request.treeherderNote.map { [ControlCharacters.escaped("  Treeherder note: \($0)")] } ?? [])
            + request.comments.enumerated().map { index, text in
                ControlCharacters.escaped("  comment\(index < (request.postedComments ?? 0) ? "" : " (not yet on the bug)"): \(text)")
            }
            + (request.audit ?? []).map { entry in
                ControlCharacters.escaped("  decided \(entry.at.ISO8601Format()) by \(entry.who): \(entry.phase.rawValue)" + (entry.why.map { " (\($0))" } ?? ""))
            }
    }

    /// One JSON object (README's "JSON output").
    public static func json(_ request: AutolandRequest) -> String {
        JSONLine.encode(Shape(id: request.id, phase: request.state.phase.rawValue, repository: request.repository, tip: request.tip,
                              nodes: request.nodes, requester: request.requester, tree: request.tree, bugs: request.bugs,
                              retriggers: request.state.retriggers.isEmpty ? nil : request.state.retriggers,
                              failedJobs: request.state.failedJobs.isEmpty ? nil : request.state.failedJobs, treeherderNote: request.treeherderNote,
                              reason: request.state.reason, landedNode: request.state.landedNode,
                              comments: request.comments.isEmpty ? nil : request.comments, postedComments: request.postedComments,
                              audit: request.audit, receivedAt: request.receivedAt))
    }

    struct Shape: Encodable {
        var id: Int64
        var phase, repository, tip: String
        var nodes: [String]
        var requester, tree: String?
        var bugs: [Int]
        var retriggers: [String: Int]?
        var failedJobs: [FailedJob]?
        var treeherderNote: String?
        var reason, landedNode: String?
        var comments: [String]?
        var postedComments: Int?
        var audit: [AutolandAudit]?
        var receivedAt: Date
    }
}
