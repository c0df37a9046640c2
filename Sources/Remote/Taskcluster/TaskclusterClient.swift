import Foundation
import SyncCore

/// Reads a try push's tasks from Taskcluster's index and queue, fetches their `wptreport.json`,
/// and retriggers tasks with `createTask`. Blocking and `Sendable`; retries of server errors and
/// timeouts come from `http` (`createTask` is a PUT, idempotent for the same task id and body,
/// so it is retried too).
///
/// Errors are `RemoteError`s naming the URL: a 404 is `.httpStatus` with Taskcluster's message
/// (which names the task, group or artifact); a body of the wrong shape is `.decoding`.
public struct TaskclusterClient: Sendable {
    /// The deployment's root URL, e.g. `https://firefox-ci-tc.services.mozilla.com`.
    public let rootURL: String
    /// Sent as `Authorization: Bearer` when set (through a credentials proxy); only `createTask` needs it.
    public var token: Token?
    public var http: HTTPClient
    /// `limit` asked for per `listTaskGroup` page; nil leaves the queue's default.
    public var pageLimit: Int?
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(60)
    /// The current time, for a retrigger's `created` and `deadline`.
    public var now: @Sendable () -> Date = { Date() }

    public init(rootURL: String, token: Token? = nil, http: HTTPClient = HTTPClient()) {
        self.rootURL = rootURL.hasSuffix("/") ? String(rootURL.dropLast()) : rootURL
        self.token = token
        self.http = http
    }

    /// The decision task of `revision`'s push to `project` (`try`, `mozilla-central`, …) through
    /// the index (its id is also the push's task group id), or nil when the index has none yet.
    /// A 404 that is not the index's own `ResourceNotFound` (a wrong root URL) is an error.
    public func decisionTaskID(project: String, revision: String) throws(RemoteError) -> String? {
        struct Indexed: Decodable { var taskId: String }
        let url = "\(rootURL)/api/index/v1/task/gecko.v2.\(project.pathSegmentEscaped).revision.\(revision.pathSegmentEscaped).firefox.decision"
        do {
            return try http.sendJSON(request(.get, url), as: Indexed.self).taskId
        } catch {
            if case .httpStatus(_, _, 404, let excerpt) = error, excerpt.contains("ResourceNotFound") { return nil }
            throw error
        }
    }

    /// One page of the task group `group`.
    public func taskGroupPage(_ group: String, continuationToken: String? = nil) throws(RemoteError) -> TaskGroupPage {
        var query: [(String, String)] = []
        if let pageLimit { query.append(("limit", String(pageLimit))) }
        if let continuationToken { query.append(("continuationToken", continuationToken)) }
        let text = query.map { "\($0.0)=\(GitHubClient.escapeQuery($0.1))" }.joined(separator: "&")
        let url = "\(rootURL)/api/queue/v1/task-group/\(group.pathSegmentEscaped)/list" + (text.isEmpty ? "" : "?\(text)")
        return try http.sendJSON(request(.get, url), as: TaskGroupPage.self)
    }

    /// Every task of `group`, following continuation tokens; `onPage` sees each page as it arrives.
    public func taskGroup(_ group: String, onPage: (TaskGroupPage) -> Void = { _ in }) throws(RemoteError) -> [TaskGroupEntry] {
        var entries: [TaskGroupEntry] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try taskGroupPage(group, continuationToken: token)
            onPage(page)
            entries += page.tasks
            token = page.continuationToken
            if let token, !seen.insert(token).inserted {
                throw .decoding(type: "TaskGroupPage", field: "continuationToken",
                                message: "task group \(group) answered the same continuation token twice")
            }
        } while token != nil
        return entries
    }

    public func status(_ taskID: String) throws(RemoteError) -> TaskStatus {
        struct Envelope: Decodable { var status: TaskStatus }
        return try http.sendJSON(request(.get, taskURL(taskID) + "/status"), as: Envelope.self).status
    }

    public func task(_ taskID: String) throws(RemoteError) -> TaskDefinition {
        try http.sendJSON(request(.get, taskURL(taskID)), as: TaskDefinition.self)
    }

    /// The artifacts of the task's latest run.
    public func artifacts(_ taskID: String) throws(RemoteError) -> [ArtifactInfo] {
        struct Listing: Decodable { var artifacts: [ArtifactInfo] }
        return try http.sendJSON(request(.get, taskURL(taskID) + "/artifacts"), as: Listing.self).artifacts
    }

    /// The body of artifact `name` of the task's latest run; the queue's 303 to the storage is
    /// followed (the transport does not send the token to another host).
    public func artifact(_ taskID: String, name: String) throws(RemoteError) -> [UInt8] {
        try http.send(request(.get, taskURL(taskID) + "/artifacts/" + GitHubClient.escapePath(name))).body
    }

    /// The artifact web-platform-tests tasks publish their results in.
    public static let wptReportArtifact = "public/test_info/wptreport.json"

    /// The `public/test_info/wptreport.json` of the task's latest run.
    public func wptReport(_ taskID: String) throws(RemoteError) -> WPTReport {
        let name = Self.wptReportArtifact
        let body = try artifact(taskID, name: name)
        do {
            return try WPTReport.decode(Data(body), file: name)
        } catch {
            let excerpt = Redaction.excerpt(body, removing: [], limit: 80)
            throw .decoding(type: "\(name) of task \(taskID)", field: "", message: "\(error); starts: \(excerpt)")
        }
    }

    /// `createTask` (`PUT /task/<taskID>`) with `definition` (a task definition as JSON).
    @discardableResult
    public func createTask(_ taskID: String, definition: [UInt8]) throws(RemoteError) -> TaskStatus {
        struct Envelope: Decodable { var status: TaskStatus }
        var put = request(.put, taskURL(taskID))
        put.body = definition
        put.headers["Content-Type"] = "application/json"
        return try http.sendJSON(put, as: Envelope.self).status
    }

    /// Runs `taskID` again as a new task of its group, as the production service retriggers: its
    /// definition with new `created`, `deadline` and `expires` and without index routes (the
    /// clone must not replace the original in the index). Returns the new task's id: `newID`
    /// when given (a caller that must not clone twice derives it; a second call then gets 409).
    public func retrigger(_ taskID: String, as newID: String = Self.newTaskID()) throws(RemoteError) -> String {
        let raw = try http.send(request(.get, taskURL(taskID))).body
        guard var definition = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any] else {
            throw .decoding(type: "task definition of \(taskID)", field: "", message: "not a JSON object")
        }
        let start = now()
        definition["created"] = start.ISO8601Format()
        definition["deadline"] = start.addingTimeInterval(86400).ISO8601Format()
        definition["expires"] = start.addingTimeInterval(28 * 86400).ISO8601Format()
        definition["routes"] = (definition["routes"] as? [String] ?? []).filter { !$0.hasPrefix("index.") }
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: definition, options: [.sortedKeys])
        } catch {
            throw .decoding(type: "task definition of \(taskID)", field: "", message: "cannot encode: \(error)")
        }
        try createTask(newID, definition: Array(body))
        return newID
    }

    /// A fresh random task id (a slugid).
    public static func newTaskID() -> String { SlugID.make(from: withUnsafeBytes(of: UUID().uuid) { Array($0) }) }

    private func taskURL(_ taskID: String) -> String { "\(rootURL)/api/queue/v1/task/\(taskID.pathSegmentEscaped)" }

    private func request(_ method: HTTPMethod, _ url: String) -> HTTPRequest {
        var request = HTTPRequest(method, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        if let token { request.authorize(with: token) }
        return request
    }

}
