import Foundation
import Synchronization
import SyncCore

/// The local Lando's request pipeline: faults, then routes with Lando's paths, shapes and
/// status codes (`lando/urls.py`, `headless_api/api.py`, `treestatus/api.py`, `api/views.py`).
final class LandoService: Sendable {
    let state: Mutex<LandoState>
    /// `http://127.0.0.1:<port>`, Lando's `SITE_URL` (status URLs start with it).
    let siteURL: Mutex<String> = Mutex("")
    /// Wakes the worker when a job is submitted or a tree changes.
    let wake: @Sendable () -> Void

    init(_ state: LandoState, wake: @escaping @Sendable () -> Void) {
        self.state = Mutex(state)
        self.wake = wake
    }

    func handle(_ request: ServerRequest) -> ServerReply {
        let (reply, submitted) = state.withLock { state -> (ServerReply, Bool) in
            let jobs = state.jobs.count
            let reply: ServerReply
            switch state.faults.take(method: request.method, path: request.path) {
            case .hang: reply = .hang
            case .serverError(let status): reply = Self.json(status, .object([("detail", .string("Server Error"))]))
            case .serverErrorAfterActing(let status):
                _ = route(request, &state)
                reply = Self.json(status, .object([("detail", .string("Server Error"))]))
            case .errorMessage(let status, let message): reply = Self.json(status, .object([("details", .string(message))]))
            case .rateLimited(let seconds), .secondaryRateLimit(let seconds):
                reply = .respond(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", String(seconds))],
                                 body: Array(#"{"detail":"Too Many Requests"}"#.utf8))
            case nil: reply = route(request, &state)
            }
            var status = 0
            if case .respond(let code, _, _) = reply { status = code }
            state.requests.append(RecordedRequest(request, status: status))
            return (reply, state.jobs.count > jobs)
        }
        if submitted { wake() }
        return reply
    }

    private func route(_ request: ServerRequest, _ state: inout LandoState) -> ServerReply {
        let parts = request.path.split(separator: "/").map(String.init)
        if let reply = tryRoute(request, parts, &state) { return reply }
        guard parts.count >= 2, parts[0] == "api" else { return Self.notFoundPage }
        switch (request.method, Array(parts.dropFirst())) {
        case ("GET", ["treestatus", "trees2"]):
            let trees = state.trees.sorted { $0.key < $1.key }.map { name, tree in
                JSON.object([("category", .string(tree.category)), ("log_id", .null),
                             ("message_of_the_day", .string(tree.messageOfTheDay)), ("reason", .string(tree.reason)),
                             ("status", .string(tree.status)), ("tags", .array([])), ("tree", .string(name))])
            }
            return Self.json(200, .object([("result", .array(trees))]))
        case ("GET", let rest) where rest.count >= 3 && (rest[0] == "hg2git" || rest[0] == "git2hg"):
            return commitMap(fromGit: rest[0] == "git2hg", repo: rest.dropFirst().dropLast().joined(separator: "/"),
                             hash: rest[rest.count - 1], state)
        default: break
        }
        // The headless API's routes; `{int:job_id}` matches digits only.
        guard parts.count == 3, ["repo", "job", "repoinfo"].contains(parts[1]), parts[1] != "job" || Int(parts[2]) != nil else {
            return Self.notFoundPage
        }
        let expected = parts[1] == "repo" ? "POST" : "GET"
        guard request.method == expected else { return Self.json(405, .object([("detail", .string("Method not allowed"))])) }
        // Ninja's HttpBearer: `Authorization: Bearer <token>`, anything else is 401.
        guard let value = request.header("Authorization"), value.hasPrefix("Bearer "),
              let user = state.users[String(value.dropFirst("Bearer ".count))] else {
            return Self.json(401, .object([("detail", .string("Unauthorized"))]))
        }
        switch parts[1] {
        case "repo": return submit(request, repo: parts[2], user: user, &state)
        case "job":
            guard let id = Int(parts[2]), let job = state.jobs.first(where: { $0.id == id }) else {
                return Self.details(404, "Automation job \(parts[2]) does not exist.")
            }
            return Self.json(200, jobStatus(job))
        default:
            guard let repo = state.repositories[parts[2]] else {
                return Self.details(404, "Repo with short name \(parts[2]) does not exist.")
            }
            let level = repo.requiredPermission.split(separator: ".").last.map(String.init) ?? repo.requiredPermission
            return Self.json(200, .object([("repo_url", .string(repo.path)), ("branch_name", .string(repo.branch)),
                                           ("scm_level", .string(level))]))
        }
    }

    /// `POST /api/repo/<name>`: validates the body as Ninja would (422), then the repository
    /// (404, 400, 403), then records a SUBMITTED job and answers 202.
    private func submit(_ request: ServerRequest, repo name: String, user: LandoUser, _ state: inout LandoState) -> ServerReply {
        let actions: [LandoAction]
        switch Self.parseActions(request.body) {
        case .failure(let problem): return problem.reply
        case .success(let parsed): actions = parsed
        }
        guard let repo = state.repositories[name] else { return Self.details(404, "Repo \(name) does not exist.") }
        guard repo.isGit else { return Self.details(400, "Automation API is Git-only.") }
        guard repo.automationEnabled, !repo.requiredAutomationPermission.isEmpty else {
            return Self.details(400, "Repo \(name) is not enabled for automation, or the required permission is not set.")
        }
        guard user.permissions.contains(repo.requiredAutomationPermission) else {
            return Self.details(403, "User \(user.email) is not allowed to use this API for repo \(name). "
                                + "Missing permission: \(repo.requiredAutomationPermission).")
        }
        let job = LandoJob(id: state.jobs.count + 1, repository: name, requester: user.email, actions: actions, createdAt: Date())
        state.jobs.append(job)
        return Self.json(202, jobStatus(job))
    }

    static let actionNames: Set<String> = ["add-commit", "add-commit-base64", "create-commit", "merge-onto", "add-branch", "tag"]

    /// The body's `actions` (at least one, each a known action with its fields), or the 422 Ninja gives.
    static func parseActions(_ body: [UInt8]) -> Result<[LandoAction], ProblemReply> {
        func invalid(_ type: String, _ location: [JSON], _ message: String) -> Result<[LandoAction], ProblemReply> {
            .failure(ProblemReply(reply: json(422, .object([("detail", .array([.object([
                ("type", .string(type)), ("loc", .array([.string("body"), .string("operation")] + location)),
                ("msg", .string(message))])]))]))))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return invalid("model_attributes_type", [], "Input should be a valid dictionary or object to extract fields from")
        }
        guard let list = object["actions"] as? [Any] else { return invalid("missing", [.string("actions")], "Field required") }
        guard !list.isEmpty else {
            return invalid("too_short", [.string("actions")], "List should have at least 1 item after validation, not 0")
        }
        var actions: [LandoAction] = []
        for (index, item) in list.enumerated() {
            let location: [JSON] = [.string("actions"), .int(index)]
            guard let action = item as? [String: Any], let name = action["action"] as? String, actionNames.contains(name) else {
                return invalid("union_tag_invalid", location, "Input tag does not match any of the expected tags")
            }
            guard name == "add-commit-base64" else { actions.append(.unsupported(name)); continue }
            guard let content = action["content"] as? String else {
                return invalid("string_type", location + [.string(name), .string("content")], "Input should be a valid string")
            }
            actions.append(.addCommitBase64(content: content))
        }
        return .success(actions)
    }

    /// `JobStatusResponse`: `job_id`, `status_url`, `message`, `created_at`, `status`, `error`.
    func jobStatus(_ job: LandoJob) -> JSON {
        let created = job.createdAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)
            .timeZone(separator: .omitted))
        return .object([
            ("job_id", .int(job.id)), ("status_url", .string("\(siteURL.withLock { $0 })/api/job/\(job.id)")),
            ("message", .string("Job is in the \(job.status.rawValue) state.")), ("created_at", .string(created)),
            ("status", .string(job.status.rawValue)), ("error", .string(job.error)),
        ])
    }

    /// `GET /api/git2hg/<repo>/<7–40 hex>` and `/api/hg2git/<repo>/<40 hex>` (no authentication).
    private func commitMap(fromGit: Bool, repo: String, hash: String, _ state: LandoState) -> ServerReply {
        let hex = hash.allSatisfy { "0123456789abcdef".contains($0) }
        guard hex, fromGit ? (7...40).contains(hash.count) : hash.count == 40 else { return Self.notFoundPage }
        let scm = fromGit ? "git" : "hg"
        let found = state.mappings(repo: repo, hash: hash, fromGit: fromGit)
        switch found.count {
        case 1: return Self.json(200, .object([("git_hash", .string(found[0].git)), ("hg_hash", .string(found[0].hg))]))
        case 0:
            return Self.json(404, .object([("error", .string("No commits found")), ("detail", .string(
                "No commit found in \(scm) for \(hash) in \(repo): CommitMap matching query does not exist."))]))
        default:
            return Self.json(400, .object([("error", .string("Multiple commits found")), ("detail", .string(
                "Multiple commits found in \(scm) for \(hash) in \(repo): get() returned more than one CommitMap."))]))
        }
    }

    static func json(_ status: Int, _ value: JSON) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/json")], body: Array(value.serialized().utf8))
    }

    /// Lando's `ApiError`: `{"details": …}`.
    static func details(_ status: Int, _ message: String) -> ServerReply {
        json(status, .object([("details", .string(message))]))
    }

    /// Django's page for a URL no route matches.
    static let notFoundPage = ServerReply.respond(status: 404, headers: [("Content-Type", "text/html; charset=utf-8")],
                                                  body: Array("<h1>Not Found</h1><p>The requested resource was not found on this server.</p>".utf8))
}

/// A reply that ends a request early, as an `Error` so that it travels in a `Result`.
struct ProblemReply: Error {
    var reply: ServerReply
}
