import Foundation

/// Webhook bodies as GitHub sends them (abridged: the fields wptsync reads and a few it does not).
public enum WebhookBodies {
    public static let head = String(repeating: "a", count: 40)

    /// A pull request object as GitHub's deliveries show it.
    public static func pullRequest(number: Int = 42, state: String = "open", head: String = head, branch: String = "fix-flexbox",
                            labels: [String] = ["infra"], mergedAt: String? = nil, mergedBy: String? = nil,
                            updatedAt: String = "2026-11-20T10:00:00Z", body: String = "Fixes a test") -> String {
        """
        {"number": \(number), "html_url": "https://github.com/web-platform-tests/wpt/pull/\(number)", "state": "\(state)",
         "title": "Fix flexbox test", "user": {"login": "alice", "id": 1}, "body": \(quoted(body)),
         "labels": [\(labels.map { "{\"name\": \"\($0)\", \"color\": \"ededed\"}" }.joined(separator: ", "))],
         "updated_at": "\(updatedAt)", "merged_at": \(mergedAt.map { "\"\($0)\"" } ?? "null"),
         "merged_by": \(mergedBy.map { "{\"login\": \"\($0)\"}" } ?? "null"),
         "head": {"ref": "\(branch)", "sha": "\(head)", "repo": {"full_name": "alice/wpt"}},
         "base": {"ref": "master", "sha": "\(String(repeating: "b", count: 40))", "repo": {"full_name": "web-platform-tests/wpt"}}}
        """
    }

    /// A `pull_request` (or `pull_request_review`, with `extra`) delivery's body around `pr`.
    public static func event(_ action: String, _ pr: String, extra: String = "") -> [UInt8] {
        Array("{\"action\": \"\(action)\", \"pull_request\": \(pr), \"repository\": {\"full_name\": \"web-platform-tests/wpt\"}, \"sender\": {\"login\": \"alice\"}\(extra)}".utf8)
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}
