import Foundation
import Synchronization
import SyncCore

/// The local queue and index: the request pipeline (faults, routing) over `QueueState`.
final class QueueStore: Sendable {
    let state = Mutex(QueueState())
    let pageSize: Int
    let tokens: Set<String>
    let platforms: [TryPlatform]
    let now: @Sendable () -> Date
    private let root = Mutex("")

    var rootURL: String {
        get { root.withLock { $0 } }
        set { root.withLock { $0 = newValue } }
    }

    init(pageSize: Int, tokens: Set<String>, platforms: [TryPlatform], now: @escaping @Sendable () -> Date) {
        self.pageSize = max(1, pageSize)
        self.tokens = tokens
        self.platforms = platforms
        self.now = now
    }

    func handle(_ request: ServerRequest) -> ServerReply {
        state.withLock { state in
            let reply: ServerReply
            switch state.takeFault(method: request.method, path: request.path) {
            case .hang:
                state.requests.append(RecordedRequest(request, status: 0))
                return .hang
            case .serverError(let status):
                reply = Self.error(status, "InternalServerError", "Internal Server Error", request)
            case .serverErrorAfterActing(let status):
                _ = route(request, &state)
                reply = Self.error(status, "InternalServerError", "Internal Server Error", request)
            case .errorMessage(let status, let message):
                reply = Self.error(status, "InternalServerError", message, request)
            case .rateLimited(let after), .secondaryRateLimit(let after):
                reply = .respond(status: 429, headers: [("Retry-After", String(after))], body: [])
            case nil:
                reply = route(request, &state)
            }
            if case .respond(let status, _, _) = reply { state.requests.append(RecordedRequest(request, status: status)) }
            return reply
        }
    }

    private func route(_ request: ServerRequest, _ state: inout QueueState) -> ServerReply {
        let parts = request.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let get = request.method == "GET" || request.method == "HEAD"
        if get, parts.count == 5, parts.starts(with: ["api", "index", "v1", "task"]) {
            return findTask(parts[4], request, state)
        }
        if parts.count >= 5, parts.starts(with: ["api", "queue", "v1"]) {
            return queue(Array(parts.dropFirst(3)), request, &state)
        }
        if parts.first == "_control" { return control(Array(parts.dropFirst()), request, &state) }
        if get, parts.first == "_blob", parts.count >= 4, let run = Int(parts[2]) {
            return blob(parts[1], run: run, name: parts.dropFirst(3).joined(separator: "/"), &state)
        }
        return Self.error(404, "ResourceNotFound", "No such API endpoint: \(request.method) \(request.path)", request)
    }

    private func findTask(_ namespace: String, _ request: ServerRequest, _ state: QueueState) -> ServerReply {
        guard let taskID = state.index[namespace] else {
            return Self.error(404, "ResourceNotFound", "Indexed task not found", request, method: "findTask", params: ["indexPath": namespace])
        }
        let expires = timestamp(now().addingTimeInterval(365 * 86400))
        return Self.json(200, .object([
            ("namespace", .string(namespace)), ("taskId", .string(taskID)), ("rank", .int(0)),
            ("data", .object([])), ("expires", .string(expires)),
        ]))
    }

    /// `route` is the path after `/api/queue/v1`.
    private func queue(_ route: [String], _ request: ServerRequest, _ state: inout QueueState) -> ServerReply {
        let get = request.method == "GET" || request.method == "HEAD"
        if route[0] == "task-group", route.count == 3, route[2] == "list", get {
            return listTaskGroup(route[1], request, state)
        }
        guard route[0] == "task" else {
            return Self.error(404, "ResourceNotFound", "No such API endpoint: \(request.method) \(request.path)", request)
        }
        let taskID = route[1]
        if route.count == 2 && request.method == "PUT" { return createTask(taskID, request, &state) }
        guard get else { return Self.error(405, "MethodNotAllowed", "\(request.method) is not allowed here", request) }
        guard let task = state.tasks[taskID], !state.lostGroups.contains(task.groupID) else {
            return Self.error(404, "ResourceNotFound", "Task \(taskID) not found", request, params: ["taskId": taskID])
        }
        switch route.count {
        case 2:
            return .respond(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: task.definition)
        case 3 where route[2] == "status":
            return Self.json(200, .object([("status", Shapes.status(task))]))
        case 3 where route[2] == "artifacts":
            return listArtifacts(task, run: task.runs.count - 1, state)
        case 5 where route[2] == "runs" && route[4] == "artifacts":
            return listArtifacts(task, run: Int(route[3]) ?? -1, state)
        case 4... where route[2] == "artifacts":
            return artifact(task, run: task.runs.count - 1, name: route.dropFirst(3).joined(separator: "/"), request, state)
        case 6... where route[2] == "runs" && route[4] == "artifacts":
            return artifact(task, run: Int(route[3]) ?? -1, name: route.dropFirst(5).joined(separator: "/"), request, state)
        default:
            return Self.error(404, "ResourceNotFound", "No such API endpoint: \(request.method) \(request.path)", request)
        }
    }

    private func listTaskGroup(_ group: String, _ request: ServerRequest, _ state: QueueState) -> ServerReply {
        let tasks = state.tasks(inGroup: group)
        guard !tasks.isEmpty, !state.lostGroups.contains(group) else {
            return Self.error(404, "ResourceNotFound", "No task-group with taskGroupId: `\(group)`", request,
                              method: "listTaskGroup", params: ["taskGroupId": group])
        }
        let limit = min(1000, max(1, Int(request.query["limit"] ?? "") ?? pageSize))
        var start = 0
        if let token = request.query["continuationToken"] {
            guard let offset = Self.offset(fromToken: token, group: group), offset <= tasks.count else {
                return Self.error(400, "InvalidRequestArguments", "Invalid continuationToken: \(token)", request, method: "listTaskGroup")
            }
            start = offset
        }
        let end = min(tasks.count, start + limit)
        var members: [(String, JSON)] = [
            ("taskGroupId", .string(group)),
            ("tasks", .array(tasks[start..<end].map { task in
                .object([("status", Shapes.status(task)), ("task", .raw(String(decoding: task.definition, as: UTF8.self)))])
            })),
        ]
        if end < tasks.count { members.append(("continuationToken", .string(Self.token(group: group, offset: end)))) }
        return Self.json(200, .object(members))
    }

    private func listArtifacts(_ task: QueueTask, run: Int, _ state: QueueState) -> ServerReply {
        guard task.runs.indices.contains(run) else {
            return Self.error(404, "ResourceNotFound", "Run \(run) of task \(task.taskID) not found", nil)
        }
        var names = task.runs[run].artifacts.keys.sorted()
        if state.artifactFaults[task.taskID] == .missing { names.removeAll { $0 == LocalTaskcluster.wptReportArtifact } }
        let expires = timestamp(task.created.addingTimeInterval(28 * 86400))
        return Self.json(200, .object([("artifacts", .array(names.map { name in
            .object([("storageType", .string("s3")), ("name", .string(name)), ("expires", .string(expires)),
                     ("contentType", .string(task.runs[run].artifacts[name]!.contentType))])
        }))]))
    }

    /// 303 to the blob, as the real queue redirects to its storage.
    private func artifact(_ task: QueueTask, run: Int, name: String, _ request: ServerRequest, _ state: QueueState) -> ServerReply {
        let missing = name == LocalTaskcluster.wptReportArtifact && state.artifactFaults[task.taskID] == .missing
        guard task.runs.indices.contains(run), task.runs[run].artifacts[name] != nil, !missing else {
            return Self.error(404, "ResourceNotFound", "Artifact `\(name)` not found on task \(task.taskID) run \(max(run, 0))",
                              request, method: "getLatestArtifact", params: ["taskId": task.taskID, "name": name])
        }
        let location = "\(rootURL)/_blob/\(task.taskID)/\(run)/\(name)"
        return .respond(status: 303, headers: [("Location", location), ("Content-Type", "application/json; charset=utf-8")],
                        body: Array(#"{"storageType":"s3","url":"\#(location)"}"#.utf8))
    }

    private func blob(_ taskID: String, run: Int, name: String, _ state: inout QueueState) -> ServerReply {
        guard let task = state.tasks[taskID], task.runs.indices.contains(run),
              let artifact = task.runs[run].artifacts[name] else {
            return .respond(status: 404, headers: [("Content-Type", "application/xml")], body: Array("<Error><Code>NoSuchKey</Code></Error>".utf8))
        }
        var body = artifact.body
        if name == LocalTaskcluster.wptReportArtifact, case .wrongContent(let text) = state.artifactFaults[taskID] {
            body = Array(text.utf8)
        }
        return .respond(status: 200, headers: [("Content-Type", artifact.contentType)], body: body)
    }

    static func json(_ status: Int, _ json: JSON) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(json.serialized().utf8))
    }

    /// Taskcluster's error body: `{"code", "message", "requestInfo": {"method", "params", "payload", "time"}}`.
    static func error(_ status: Int, _ code: String, _ message: String, _ request: ServerRequest?,
                      method: String? = nil, params: [String: String] = [:]) -> ServerReply {
        let info: JSON = .object([
            ("method", .string(method ?? request.map { "\($0.method) \($0.path)" } ?? "")),
            ("params", .object(params.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("payload", .object([])), ("time", .string(timestamp(Date()))),
        ])
        return json(status, .object([("code", .string(code)), ("message", .string(message)), ("requestInfo", info)]))
    }

    /// An opaque token: the group and the offset of the next task, in URL-safe base64.
    static func token(group: String, offset: Int) -> String {
        Data("\(group):\(offset)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func offset(fromToken token: String, group: String) -> Int? {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ":")
        guard parts.count == 2, parts[0] == group else { return nil }
        return Int(parts[1])
    }
}
