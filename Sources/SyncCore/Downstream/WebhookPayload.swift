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
        let root = try JSONFields.root(body, event: event)
        let repository = root.has("repository") ? try root.object("repository").string("full_name") : nil
        // The message parser reads a whole PR body: only when the metadata key can be in it.
        let mayHoldMetadata = body.firstRange(of: Array("gecko-commit".utf8)) != nil
        return (try observation(event: event, root: root, mayHoldMetadata: mayHoldMetadata), repository)
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

/// A JSON object read field by field, each error naming the field's whole path.
struct JSONFields {
    let values: [String: Any]
    let path: String
    let event: String

    static func root(_ body: [UInt8], event: String) throws(WebhookPayloadError) -> JSONFields {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(body)) } catch {
            throw .notJSON(event: event, reason: (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "it cannot be parsed")
        }
        guard let object = parsed as? [String: Any] else { throw .notJSON(event: event, reason: "it is \(kind(of: parsed))") }
        return JSONFields(values: object, path: "", event: event)
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func invalid(_ key: String, _ reason: String) -> WebhookPayloadError { .invalid(event: event, field: name(key), reason: reason) }
    func has(_ key: String) -> Bool { values[key] != nil }
    func isNull(_ key: String) -> Bool { values[key] is NSNull }

    private func value<T>(_ key: String, as type: T.Type, expected: String) throws(WebhookPayloadError) -> T {
        guard let raw = values[key] else { throw invalid(key, "is missing") }
        guard let typed = raw as? T, !(raw is NSNull) else { throw invalid(key, "is \(Self.kind(of: raw)), not \(expected)") }
        return typed
    }

    func object(_ key: String) throws(WebhookPayloadError) -> JSONFields {
        JSONFields(values: try value(key, as: [String: Any].self, expected: "an object"), path: name(key), event: event)
    }

    func array(_ key: String) throws(WebhookPayloadError) -> [JSONFields] {
        let items = try value(key, as: [Any].self, expected: "an array")
        var fields: [JSONFields] = []
        for (index, item) in items.enumerated() {
            guard let object = item as? [String: Any] else { throw invalid("\(key)[\(index)]", "is \(Self.kind(of: item)), not an object") }
            fields.append(JSONFields(values: object, path: name("\(key)[\(index)]"), event: event))
        }
        return fields
    }

    func string(_ key: String) throws(WebhookPayloadError) -> String { try value(key, as: String.self, expected: "a string") }

    func optionalString(_ key: String) throws(WebhookPayloadError) -> String? {
        guard has(key), !isNull(key) else { return nil }
        return try string(key)
    }

    func positive(_ key: String) throws(WebhookPayloadError) -> Int {
        guard let number = values[key] as? NSNumber, !Self.isBoolean(number), let int = Int(exactly: number.doubleValue), int > 0 else {
            throw values[key] == nil ? invalid(key, "is missing") : invalid(key, "is \(values[key].map(Self.kind(of:)) ?? "null"), not a positive whole number")
        }
        return int
    }

    func sha(_ key: String) throws(WebhookPayloadError) -> String {
        let text = try string(key)
        guard Hex.isCommitID(text) else {
            throw invalid(key, "is \"\(text.prefix(80))\", not a commit id (40 lowercase hex digits)")
        }
        return text
    }

    func date(_ key: String) throws(WebhookPayloadError) -> Date {
        guard let date = try optionalDate(key) else { throw invalid(key, "is missing") }
        return date
    }

    func optionalDate(_ key: String) throws(WebhookPayloadError) -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else { throw invalid(key, "is \"\(text.prefix(40))\", not an ISO 8601 time") }
        return date
    }

    /// JSON's true and false, which Foundation hands over as numbers too.
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "a string"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case let number as NSNumber: isBoolean(number) ? "a boolean" : "a number"
        default: "a \(type(of: value))"
        }
    }
}
