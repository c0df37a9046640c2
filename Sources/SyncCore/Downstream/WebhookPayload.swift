import Foundation

/// Reads GitHub webhook bodies (`X-GitHub-Event` and the JSON body) into `WebhookObservation`s.
/// Pure: the service checks a body with it before recording, and the worker reads the recorded body.
public enum WebhookPayload {
    /// The events wptsync reads; GitHub's others (`push`, `issues`…) are acknowledged and ignored.
    public static let understood: Set<String> = ["pull_request", "pull_request_review", "check_run", "check_suite", "status", "ping"]

    /// What the delivery says. Throws `WebhookPayloadError` naming the event and the field that is
    /// missing or of the wrong kind.
    public static func parse(event: String, body: [UInt8]) throws(WebhookPayloadError) -> WebhookObservation {
        try read(event: event, body: body).observation
    }

    /// What the delivery says, and the repository (`owner/name`) it concerns when its body names one.
    public static func read(event: String, body: [UInt8]) throws(WebhookPayloadError) -> (observation: WebhookObservation, repository: String?) {
        guard understood.contains(event) else { throw .unknownEvent(event) }
        // The message parser reads a whole PR body: only when the metadata key can be in it.
        let mayHoldMetadata = contains(body, metadataKey)
        let root = try JSONFields.root(body, shape: shape(event: event, withBody: mayHoldMetadata), event: event)
        let repository = root.has("repository") ? try root.object("repository").string("full_name") : nil
        return (try observation(event: event, root: root, mayHoldMetadata: mayHoldMetadata), repository)
    }

    static let metadataKey = Array("gecko-commit".utf8)

    /// Whether `needle` occurs in `bytes`. Foundation's `firstRange(of:)`, generic, took a
    /// millisecond over a 20 KB body (half of the service's time per delivery); this takes microseconds.
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return needle.isEmpty }
        var start = 0
        let last = bytes.count - needle.count
        while start <= last, let found = bytes[start...last].firstIndex(of: first) {
            if bytes[found..<found + needle.count].elementsEqual(needle) { return true }
            start = found + 1
        }
        return false
    }

    /// The fields `observation` reads from an `event` delivery (and the PR's body when `withBody`).
    static func shape(event: String, withBody: Bool) -> [String: JSONShape] {
        let login = JSONShape.object(["login": .string])
        var pullRequest: [String: JSONShape] = [
            "number": .number, "html_url": .string, "title": .string, "user": login, "state": .string, "merged_at": .string,
            "merged_by": login, "head": .object(["sha": .string, "ref": .string, "repo": .object(["full_name": .string])]),
            "base": .object(["ref": .string]), "labels": .array(of: .object(["name": .string])), "updated_at": .string,
        ]
        if withBody { pullRequest["body"] = .string }
        var fields: [String: JSONShape] = ["repository": .object(["full_name": .string])]
        switch event {
        case "pull_request":
            fields["action"] = .string
            fields["pull_request"] = .object(pullRequest)
        case "pull_request_review":
            fields["pull_request"] = .object(pullRequest)
            fields["review"] = .object(["state": .string, "submitted_at": .string, "commit_id": .string, "user": login])
        case "check_run", "check_suite":
            fields[event] = .object([
                "name": .string, "app": .object(["name": .string]), "head_sha": .string, "status": .string, "conclusion": .string,
                "completed_at": .string, "updated_at": .string, "started_at": .string,
                "pull_requests": .array(of: .object(["number": .number])),
            ])
        case "status":
            for key in ["context", "sha", "state", "updated_at"] { fields[key] = .string }
        default: break
        }
        return fields
    }

    static func observation(event: String, root: JSONFields, mayHoldMetadata: Bool) throws(WebhookPayloadError) -> WebhookObservation {
        switch event {
        case "ping": return .ping
        case "pull_request":
            return .pullRequest(try pullRequest(root.object("pull_request"), mayHoldMetadata: mayHoldMetadata), action: try root.string("action"))
        case "pull_request_review":
            let pr = try pullRequest(root.object("pull_request"), mayHoldMetadata: mayHoldMetadata)
            let review = try root.object("review")
            let rawState = try review.string("state").lowercased()
            guard let state = ReviewObservation.State(rawValue: rawState) else {
                throw review.invalid("state", "is \"\(rawState)\", not approved, changes_requested, commented or dismissed")
            }
            let submitted = try review.optionalDate("submitted_at")
            return .review(pr, ReviewObservation(reviewer: try review.object("user").string("login"), state: state,
                                                 commit: try review.sha("commit_id"), submittedAt: submitted ?? pr.updatedAt))
        case "check_run", "check_suite":
            let check = try root.object(event)
            let kind: CheckObservation.Kind = event == "check_run" ? .checkRun : .checkSuite
            let name = kind == .checkRun ? try check.string("name") : try check.object("app").string("name")
            var updated: Date?
            for key in ["completed_at", "updated_at", "started_at"] where updated == nil { updated = try check.optionalDate(key) }
            guard let updated else { throw check.invalid("updated_at", "is missing (and so are completed_at and started_at)") }
            let pulls = try check.array("pull_requests").map { pull throws(WebhookPayloadError) in try pull.positive("number") }
            return .check(CheckObservation(kind: kind, name: name, commit: try check.sha("head_sha"), status: try check.string("status"),
                                           conclusion: try check.optionalString("conclusion"), pullRequests: pulls, updatedAt: updated))
        default:  // status
            return .check(CheckObservation(kind: .status, name: try root.string("context"), commit: try root.sha("sha"),
                                           status: try root.string("state"), updatedAt: try root.date("updated_at")))
        }
    }

    /// One line for people: `pull_request opened #12`, `check_run completed build on 0123456789ab`…
    public static func summary(event: String, observation: WebhookObservation) -> String {
        switch observation {
        case .ping: return "ping"
        case let .pullRequest(pr, action): return "\(event) \(action) #\(pr.number)"
        case let .review(pr, review): return "\(event) #\(pr.number) \(review.state.rawValue) by \(review.reviewer)"
        case .check(let check):
            return "\(event) \(check.conclusion ?? check.status) \(check.name) on \(check.commit.prefix(12))"
        }
    }

    static func pullRequest(_ pr: JSONFields, mayHoldMetadata: Bool) throws(WebhookPayloadError) -> PullRequestObservation {
        let merged = try pr.optionalDate("merged_at") != nil
        let rawState = try pr.string("state")
        guard rawState == "open" || rawState == "closed" else { throw pr.invalid("state", "is \"\(rawState)\", not open or closed") }
        let head = try pr.object("head")
        let body = try pr.optionalString("body") ?? ""
        return PullRequestObservation(
            number: try pr.positive("number"), url: try pr.string("html_url"), title: try pr.string("title"),
            author: try pr.object("user").string("login"),
            state: rawState == "open" ? .open : (merged ? .merged : .closed),
            mergedBy: pr.has("merged_by") && !pr.isNull("merged_by") ? try pr.object("merged_by").string("login") : nil,
            head: try head.sha("sha"), headBranch: try head.string("ref"),
            headRepository: head.has("repo") && !head.isNull("repo") ? try head.object("repo").string("full_name") : nil,
            base: try pr.object("base").string("ref"),
            labels: try pr.array("labels").map { label throws(WebhookPayloadError) in try label.string("name") },
            hasSyncMetadata: mayHoldMetadata && !SyncRebuild.nodes(inBody: body).isEmpty,
            updatedAt: try pr.date("updated_at"))
    }
}

/// Why a webhook body cannot be read.
public enum WebhookPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownEvent(String)
    case notJSON(event: String, reason: String)
    /// A field is missing or of the wrong kind: `field` is its path, e.g. `pull_request.head.sha`.
    case invalid(event: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .unknownEvent(let event): "wptsync does not read \(event) events"
        case let .notJSON(event, reason): "the \(event) delivery's body is not a JSON object: \(reason)"
        case let .invalid(event, field, reason): "the \(event) delivery's `\(field)` \(reason)"
        }
    }
}
