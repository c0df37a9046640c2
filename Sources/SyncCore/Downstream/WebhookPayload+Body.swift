import Foundation

extension WebhookPayload {
    /// A delivery's body in GitHub's shape for `observation` (the fields `read` takes, so that
    /// `read(event:body:)` gives `observation` back), as the reconciliation records what a missed
    /// delivery would have said. `repository` is `owner/name`. A PR's body is left out: PRs carrying
    /// wptsync's metadata are its own upstream syncs, which the reconciliation never records.
    public static func body(event: String, action: String?, observation: WebhookObservation, repository: String) -> [UInt8] {
        var root: [String: Any] = ["repository": ["full_name": repository], "sender": ["login": "wptsync"]]
        if let action { root["action"] = action }
        switch observation {
        case .ping:
            root["zen"] = "reconciled"
        case .pullRequest(let pr, _):
            root["pull_request"] = json(pr)
        case let .review(pr, review):
            root["pull_request"] = json(pr)
            root["review"] = ["user": ["login": review.reviewer], "state": review.state.rawValue, "commit_id": review.commit,
                              "submitted_at": time(review.submittedAt)]
        case .check(let check) where check.kind == .status:
            root.merge(["sha": check.commit, "context": check.name, "state": check.status, "updated_at": time(check.updatedAt)]) { $1 }
        case .check(let check):
            var fields: [String: Any] = ["head_sha": check.commit, "status": check.status, "updated_at": time(check.updatedAt),
                                         "conclusion": check.conclusion ?? NSNull(),
                                         "pull_requests": check.pullRequests.map { ["number": $0] }]
            if check.kind == .checkRun { fields["name"] = check.name } else { fields["app"] = ["name": check.name] }
            root[check.kind.rawValue] = fields
        }
        return Array((try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data())
    }

    private static func json(_ pr: PullRequestObservation) -> [String: Any] {
        [
            "number": pr.number, "html_url": pr.url, "title": pr.title, "user": ["login": pr.author],
            "state": pr.state == .open ? "open" : "closed", "body": "",
            "merged_at": pr.state == .merged ? time(pr.updatedAt) : NSNull(),
            "merged_by": pr.mergedBy.map { ["login": $0] } ?? NSNull(),
            "head": ["ref": pr.headBranch, "sha": pr.head, "repo": pr.headRepository.map { ["full_name": $0] } ?? NSNull()],
            "base": ["ref": pr.base], "labels": pr.labels.map { ["name": $0] }, "updated_at": time(pr.updatedAt),
        ]
    }

    private static func time(_ date: Date) -> String { date.formatted(.iso8601) }
}
