import Foundation
import SyncCore

/// A local stand-in for Treeherder's API over a `LocalTaskcluster`'s tasks, on its own 127.0.0.1
/// port: `GET /api/project/<repo>/push/?revision=<rev>` finds the pushes `scheduleTryPush`
/// recorded, and `GET /api/jobs/?push_id=<id>` lists one job per task of the push's group, rows
/// as arrays named by `job_property_names`, `count` per page (default `pageSize`), `next` the
/// following page's URL or null. Reading needs no sign-in; adding a note needs a session from
/// `GET /api/auth/login/` (`LocalTreeherder+Auth`).
public final class LocalTreeherder: Sendable {
    public let port: UInt16
    /// `http://127.0.0.1:<port>`; the API is under `/api`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    let store: QueueStore
    private let server: LoopbackServer

    /// The columns of a job row, in order.
    static let jobProperties = [
        "failure_classification_id", "id", "job_group_symbol", "job_type_name", "job_type_symbol", "last_modified",
        "platform", "platform_option", "push_id", "result", "retry_id", "state", "task_id", "tier",
    ]

    /// Serves `taskcluster`'s pushes and tasks.
    /// - Parameters:
    ///   - repositories: the projects Treeherder knows besides those pushed to; others answer 404.
    ///   - pageSize: jobs per page when the request gives no `count` (small, so that clients page).
    ///   - users: who may sign in: access token → the e-mail address its id token (`idToken(email:expires:)`) names.
    ///   - sessionSeconds: how long a session lasts at most (Treeherder's `AUTH_MAX_SESSION_AGE_SECONDS`).
    public init(taskcluster: LocalTaskcluster, repositories: Set<String> = ["try", "mozilla-central", "autoland"],
                pageSize: Int = 2, users: [String: String] = [:], sessionSeconds: Double = 45 * 60, port: UInt16 = 0) throws(LocalServiceError) {
        let store = taskcluster.store
        let routing = Routing(repositories: repositories, pageSize: max(1, pageSize),
                              auth: LocalTreeherderAuth(users: users, sessionSeconds: sessionSeconds))
        server = try LoopbackServer(port: port) { request in
            store.state.withLock { state in
                let reply = Self.reply(request, &state, routing)
                switch reply {
                case .respond(let status, _, _): state.requests.append(RecordedRequest(request, status: status))
                case .hang: state.requests.append(RecordedRequest(request, status: 0))  // left hanging
                }
                return reply
            }
        }
        self.store = store
        self.port = server.port
    }

    deinit { server.stop() }

    public func stop() { server.stop() }

    /// Makes the next `count` Treeherder requests answer 503.
    public func failNext(_ count: Int) { injectFault(.serverError(status: 503), count: count) }

    /// Makes the next `count` requests matching `method` and `pathPrefix` (any when nil) fail with
    /// `fault`: e.g. `.errorMessage(status: 403, …)` on `POST /api/project/try/note/`, Treeherder's
    /// answer to a note sent without credentials.
    public func injectFault(_ fault: Fault, count: Int = 1, method: String? = nil, pathPrefix: String? = nil) {
        store.state.withLock { $0.treeherderFaults.append(FaultRule(fault: fault, remaining: count, method: method, pathPrefix: pathPrefix)) }
    }

    /// What the routes are configured with.
    struct Routing: Sendable {
        var repositories: Set<String>
        var pageSize: Int
        var auth: LocalTreeherderAuth
    }

    private static func reply(_ request: ServerRequest, _ state: inout QueueState, _ routing: Routing) -> ServerReply {
        switch state.treeherderFaults.take(method: request.method, path: request.path) {
        case nil: break
        case .hang: return .hang
        case .serverError(let status): return detail(status, "Service Unavailable")
        case .serverErrorAfterActing(let status):
            _ = route(request, &state, routing)
            return detail(status, "Service Unavailable")
        case .errorMessage(let status, let message): return detail(status, message)
        case .rateLimited(let after), .secondaryRateLimit(let after):
            return .respond(status: 429, headers: [("Retry-After", String(after))], body: [])
        }
        return route(request, &state, routing)
    }

    private static func route(_ request: ServerRequest, _ state: inout QueueState, _ routing: Routing) -> ServerReply {
        let parts = request.path.split(separator: "/").map(String.init)
        if parts.count == 4, parts[0] == "api", parts[1] == "project", parts[3] == "note" {
            return note(project: parts[2], request, &state)
        }
        if parts == ["api", "auth", "login"] { return signIn(request, &state, auth: routing.auth) }
        guard request.method == "GET" else { return detail(405, "Method \"\(request.method)\" not allowed.") }
        if parts.count == 4, parts[0] == "api", parts[1] == "project", parts[3] == "push" {
            return pushes(repository: parts[2], known: routing.repositories, request, state)
        }
        if parts == ["api", "jobs"] {
            // `next` and `previous` are absolute, built from the host the client asked for.
            return jobs(request, state, pageSize: routing.pageSize, baseURL: "http://\(request.header("Host") ?? "127.0.0.1")")
        }
        return detail(404, "Not found.")
    }

    private static func pushes(repository: String, known: Set<String>, _ request: ServerRequest, _ state: QueueState) -> ServerReply {
        guard known.contains(repository) || state.pushes.contains(where: { $0.repository == repository }) else {
            return detail(404, "No project with name \(repository)")
        }
        let revision = request.query["revision"]
        let found = state.pushes.filter { $0.repository == repository && (revision == nil || $0.revision == revision) }
        let results = found.reversed().map { push in
            JSON.object([
                ("id", .int(push.id)), ("revision", .string(push.revision)), ("author", .string(push.author)),
                ("revisions", .array([.object([
                    ("result_set_id", .int(push.id)), ("repository_id", .int(4)), ("revision", .string(push.revision)),
                    ("author", .string(push.author)), ("comments", .string("try push")),
                ])])),
                ("revision_count", .int(1)), ("push_timestamp", .int(Int(push.timestamp.timeIntervalSince1970))),
                ("repository_id", .int(4)),
            ])
        }
        var meta: [(String, JSON)] = [("count", .int(results.count)), ("repository", .string(repository))]
        if let revision { meta.insert(("revision", .string(revision)), at: 0) }
        meta.append(("filter_params", .object(revision.map { [("revision", JSON.string($0))] } ?? [])))
        return QueueStore.json(200, .object([("meta", .object(meta)), ("results", .array(results))]))
    }

    private static func jobs(_ request: ServerRequest, _ state: QueueState, pageSize: Int, baseURL: String) -> ServerReply {
        guard let pushID = request.query["push_id"].flatMap(Int.init) else {
            return detail(400, "push_id is required")
        }
        let tasks = state.pushes.first { $0.id == pushID }.map { state.lostGroups.contains($0.groupID) ? [] : state.tasks(inGroup: $0.groupID) } ?? []
        let count = max(1, Int(request.query["count"] ?? "") ?? pageSize)
        let page = max(1, Int(request.query["page"] ?? "") ?? 1)
        let start = min(tasks.count, (page - 1) * count)
        let rows = tasks[start..<min(tasks.count, start + count)].map { task -> JSON in
            let index = state.order.firstIndex(of: task.taskID) ?? 0
            return .array(row(task, jobID: index + 1, pushID: pushID))
        }
        let next: JSON = start + count < tasks.count
            ? .string("\(baseURL)/api/jobs/?count=\(count)&page=\(page + 1)&push_id=\(pushID)") : .null
        return QueueStore.json(200, .object([
            ("count", .int(tasks.count)), ("next", next),
            ("previous", page > 1 ? .string("\(baseURL)/api/jobs/?count=\(count)&page=\(page - 1)&push_id=\(pushID)") : .null),
            ("job_property_names", .array(jobProperties.map(JSON.string))), ("results", .array(rows)),
        ]))
    }

    /// One task's job: `state` pending/running/completed; `result` success, testfailed (busted
    /// for a build), exception, or unknown while unresolved.
    private static func row(_ task: QueueTask, jobID: Int, pushID: Int) -> [JSON] {
        let state = switch task.state {
        case .unscheduled, .pending: "pending"
        case .running: "running"
        case .completed, .failed, .exception: "completed"
        }
        let result = switch task.state {
        case .completed: "success"
        case .failed: task.kind == "build" ? "busted" : "testfailed"
        case .exception: "exception"
        default: "unknown"
        }
        let symbol = task.kind == "test" ? "wpt" : (task.kind == "build" ? "B" : "D")
        let values: [String: JSON] = [
            "failure_classification_id": .int(1), "id": .int(jobID), "job_group_symbol": .string(task.kind == "test" ? "W" : "?"),
            "job_type_name": .string(task.name), "job_type_symbol": .string(symbol),
            "last_modified": .string(timestamp(task.runs.last?.resolved ?? task.created)), "platform": .string(task.platform),
            "platform_option": .string(task.buildType), "push_id": .int(pushID), "result": .string(result),
            "retry_id": .int(max(0, task.runs.count - 1)), "state": .string(state), "task_id": .string(task.taskID), "tier": .int(1),
        ]
        return jobProperties.map { values[$0] ?? .null }
    }

    static func detail(_ status: Int, _ message: String) -> ServerReply {
        QueueStore.json(status, .object([("detail", .string(message))]))
    }
}
