import Foundation
import Synchronization
import SyncCore

/// An answer before the common headers (rate limit, ETag, content type) are added.
struct Response {
    var status: Int
    var json: JSON?
    var headers: [(String, String)] = []

    static func json(_ status: Int, _ json: JSON, headers: [(String, String)] = []) -> Response {
        Response(status: status, json: json, headers: headers)
    }

    /// GitHub's error body: `{"message": …, "documentation_url": …}`, plus `errors` when given.
    static func error(_ status: Int, _ message: String, errors: [JSON] = []) -> Response {
        var members: [(String, JSON)] = [("message", .string(message))]
        if !errors.isEmpty { members.append(("errors", .array(errors))) }
        members.append(("documentation_url", .string("https://docs.github.com/rest")))
        return Response(status: status, json: .object(members))
    }

    static let notFound = error(404, "Not Found")

    /// 422 "Validation Failed" with one `errors` entry.
    static func validationFailed(resource: String = "PullRequest", field: String? = nil, code: String, message: String? = nil) -> Response {
        var entry: [(String, JSON)] = [("resource", .string(resource)), ("code", .string(code))]
        if let field { entry.append(("field", .string(field))) }
        if let message { entry.append(("message", .string(message))) }
        return error(422, "Validation Failed", errors: [.object(entry)])
    }
}

/// What one request sees while it is handled: the request, the authenticated login, the time.
struct Call {
    var request: ServerRequest
    var login: String
    var now: Date
    /// Path components after `/repos/{owner}/{name}`, percent-decoded.
    var route: [String]

    var body: RequestBody? { RequestBody(request.body) }
}

/// The request pipeline: faults, authentication, routing, then ETag and rate-limit headers.
/// Requests are handled one at a time under the state mutex (connections are still read and
/// written concurrently), so a merge and a push of the same PR through the API never interleave.
final class Service: Sendable {
    let owner: String
    let name: String
    let repository: BareRepository
    let defaultBranch: String
    let users: [String: String]
    let now: @Sendable () -> Date
    let state = Mutex(State())
    private let base = Mutex("")
    /// When the rate-limit window resets, in epoch seconds.
    private let rateLimitReset: Int

    /// `http://<host>:<port>`, set once the server is listening.
    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }
    var apiRepoURL: String { "\(baseURL)/repos/\(owner)/\(name)" }
    var htmlRepoURL: String { "\(baseURL)/\(owner)/\(name)" }

    init(owner: String, name: String, repository: BareRepository, defaultBranch: String,
         users: [String: String], now: @escaping @Sendable () -> Date) {
        self.owner = owner
        self.name = name
        self.repository = repository
        self.defaultBranch = defaultBranch
        self.users = users
        self.now = now
        rateLimitReset = Int(now().timeIntervalSince1970) + 3600
    }

    func handle(_ request: ServerRequest) -> ServerReply {
        state.withLock { state in
            var response: Response
            switch state.takeFault(method: request.method, path: request.path) {
            case .hang:
                record(request, status: 0, in: &state)
                return .hang
            case .serverError(let status):
                response = .error(status, "Server Error")
            case .errorMessage(let status, let message):
                response = .error(status, message)
            case .serverErrorAfterActing(let status):
                _ = authenticateAndRoute(request, &state)
                response = .error(status, "Server Error")
            case .rateLimited(let resetAfter):
                response = .error(403, "API rate limit exceeded for user ID 1.")
                response.headers = rateLimitHeaders(remaining: 0, reset: Int(now().timeIntervalSince1970) + resetAfter)
            case .secondaryRateLimit(let retryAfter):
                response = .error(429, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
                response.headers = [("retry-after", String(retryAfter))]
            case nil:
                response = authenticateAndRoute(request, &state)
            }
            let reply = finish(response, for: request, &state)
            if case .respond(let status, _, _) = reply { record(request, status: status, in: &state) }
            return reply
        }
    }

    private func authenticateAndRoute(_ request: ServerRequest, _ state: inout State) -> Response {
        let credential = request.header("Authorization")?.split(separator: " ").last.map(String.init)
        guard let credential else { return .error(401, "Requires authentication") }
        guard let login = users[credential] else { return .error(401, "Bad credentials") }
        let parts = request.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        if parts == ["user"] && request.method == "GET" { return .json(200, userJSON(login, &state)) }
        guard parts.count >= 3, parts[0] == "repos", parts[1] == owner, parts[2] == name else { return .notFound }
        let call = Call(request: request, login: login, now: now(), route: Array(parts.dropFirst(3)))
        do {
            return try route(call, &state)
        } catch {
            return .error(500, "Server Error: \(error)")
        }
    }

    /// Adds the common headers, and answers 304 to a GET whose `If-None-Match` matches.
    private func finish(_ response: Response, for request: ServerRequest, _ state: inout State) -> ServerReply {
        var headers = response.headers
        let body = response.json.map { Array($0.serialized().utf8) } ?? []
        if response.json != nil { headers.append(("Content-Type", "application/json; charset=utf-8")) }
        headers.append(("X-GitHub-Api-Version-Selected", "2022-11-28"))
        headers.append(("X-GitHub-Request-Id", "LOCAL:\(state.newID())"))
        let rateLimited = headers.contains { $0.0.lowercased() == "x-ratelimit-remaining" }
        if request.method == "GET" && response.status == 200 {
            let etag = "\"\(Self.digest(body))\""
            headers.append(("ETag", etag))
            if Self.matches(request.header("If-None-Match"), etag) {
                // Conditional hits do not count against the rate limit.
                let kept = headers.filter { ["etag", "x-github-request-id"].contains($0.0.lowercased()) }
                return .respond(status: 304, headers: kept + rateLimitHeaders(remaining: state.rateLimitRemaining), body: [])
            }
        }
        if !rateLimited {
            if response.status != 401 { state.rateLimitRemaining = max(0, state.rateLimitRemaining - 1) }
            headers += rateLimitHeaders(remaining: state.rateLimitRemaining)
        }
        return .respond(status: response.status, headers: headers, body: body)
    }

    private func rateLimitHeaders(remaining: Int, reset: Int? = nil) -> [(String, String)] {
        [("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", String(remaining)),
         ("x-ratelimit-used", String(5000 - remaining)), ("x-ratelimit-reset", String(reset ?? rateLimitReset)),
         ("x-ratelimit-resource", "core")]
    }

    private func record(_ request: ServerRequest, status: Int, in state: inout State) {
        state.requests.append(RecordedRequest(request, status: status))
    }

    /// Whether an `If-None-Match` value (`*`, or a list of entity tags) matches `etag`, by the
    /// weak comparison RFC 9110 prescribes for it (`W/"x"` matches `"x"`).
    static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        func opaque(_ tag: Substring) -> Substring {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return Substring(trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : Substring(trimmed))
        }
        return ifNoneMatch.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "*" || opaque($0) == opaque(Substring(etag)) }
    }

    /// Enough to tell two bodies apart for an ETag.
    private static func digest(_ bytes: [UInt8]) -> String { FNV1a.hex(bytes) }

    // MARK: Helpers for the routes

    /// One page of `items` as GitHub pages them (`per_page` default 30, at most 100; `page` from
    /// 1), with the `Link` header for the other pages.
    func paginate(_ items: [JSON], _ call: Call) -> (page: [JSON], headers: [(String, String)]) {
        let perPage = min(100, max(1, Int(call.request.query["per_page"] ?? "") ?? 30))
        let page = max(1, Int(call.request.query["page"] ?? "") ?? 1)
        let lastPage = max(1, (items.count + perPage - 1) / perPage)
        let start = min(items.count, (page - 1) * perPage)
        let slice = Array(items[start..<min(items.count, start + perPage)])
        func link(_ number: Int, _ relation: String) -> String {
            var query = call.request.query
            query["page"] = String(number)
            let text = query.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            return "<\(baseURL)\(call.request.path)?\(text.joined(separator: "&"))>; rel=\"\(relation)\""
        }
        var links: [String] = []
        if page > 1 { links += [link(page - 1, "prev"), link(1, "first")] }
        if page < lastPage { links += [link(page + 1, "next"), link(lastPage, "last")] }
        return (slice, links.isEmpty ? [] : [("Link", links.joined(separator: ", "))])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
