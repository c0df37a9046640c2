import Foundation
import Synchronization

/// A Bugzilla WebService error: its code, the HTTP status REST answers it with, and its text.
struct BugzillaError: Error {
    var code: Int
    var message: String

    /// Bugzilla's `REST_STATUS_CODE_MAP`: a few codes are 404 or 401, every other one 400.
    var status: Int {
        switch code {
        case 51, 101, 32614: 404
        case 102, 106, 109, 110, 113, 115, 120, 300...304, 410, 504, 505: 401
        default: 400
        }
    }

    static func noSuchBug(_ id: String) -> BugzillaError { BugzillaError(code: 101, message: "Bug #\(id) does not exist.") }
    static func invalidBugID(_ id: String) -> BugzillaError {
        BugzillaError(code: 100, message: "'\(id)' is not a valid bug number nor an alias to a bug.")
    }
    static let invalidAPIKey = BugzillaError(
        code: 306, message: "The API key you specified is invalid. Please check that you typed it correctly.")
    static let loginRequired = BugzillaError(code: 410, message: "You must log in before using this part of Bugzilla.")
    static func noSuch(_ kind: String, _ name: String, product: String? = nil) -> BugzillaError {
        BugzillaError(code: 51, message: "There is no \(kind) named '\(name)'" + (product.map { " in the '\($0)' product" } ?? "") + ".")
    }
    static func invalid(_ parameter: String, _ method: String) -> BugzillaError {
        BugzillaError(code: 53, message: "Invalid parameter passed to \(method): \(parameter)")
    }
}

/// The request pipeline: faults, authentication, routing, JSON replies. Requests are handled one
/// at a time under the state mutex.
final class BugzillaService: Sendable {
    static let documentation = "https://bmo.readthedocs.io/en/latest/api/"
    /// The longest summary Bugzilla accepts (`MAX_FREETEXT_LENGTH`).
    static let maxSummaryLength = 255
    /// Comments longer than this are cut to it.
    static let maxCommentLength = 65_535

    let users: [String: String]
    let products: [String: Set<String>]
    let now: @Sendable () -> Date
    let state = Mutex(BugzillaState())

    init(users: [String: String], products: [String: Set<String>], now: @escaping @Sendable () -> Date) {
        self.users = users
        self.products = products
        self.now = now
    }

    func handle(_ request: ServerRequest) -> ServerReply {
        state.withLock { state in
            let reply: ServerReply
            switch state.faults.take(method: request.method, path: request.path) {
            case .hang:
                state.requests.append(RecordedRequest(request, status: 0))
                return .hang
            case .serverError(let status):
                reply = Self.html(status)
            case .serverErrorAfterActing(let status):
                _ = answer(request, &state)
                reply = Self.html(status)
            case .errorMessage(let status, let message):
                reply = Self.reply(status, Self.envelope(BugzillaError(code: 32000, message: message)))
            case .rateLimited(let seconds), .secondaryRateLimit(let seconds):
                reply = .respond(status: 429, headers: [("Retry-After", String(seconds))], body: Array("Too Many Requests".utf8))
            case nil:
                reply = answer(request, &state)
            }
            if case .respond(let status, _, _) = reply { state.requests.append(RecordedRequest(request, status: status)) }
            return reply
        }
    }

    private func answer(_ request: ServerRequest, _ state: inout BugzillaState) -> ServerReply {
        do {
            let (status, json) = try route(request, &state)
            return Self.reply(status, json)
        } catch {
            return Self.reply(error.status, Self.envelope(error))
        }
    }

    /// The account the request authenticates as: `X-BUGZILLA-API-KEY`, or `api_key` /
    /// `Bugzilla_api_key` in the query. Nil when none is given; a key nobody has is an error.
    private func login(_ request: ServerRequest) throws(BugzillaError) -> String? {
        let key = request.header("X-BUGZILLA-API-KEY") ?? request.query["api_key"] ?? request.query["Bugzilla_api_key"]
        guard let key else { return nil }
        guard let login = users[key] else { throw .invalidAPIKey }
        return login
    }

    private func route(_ request: ServerRequest, _ state: inout BugzillaState) throws(BugzillaError) -> (Int, JSON) {
        let parts = request.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let method = request.method
        let login = try login(request)
        func requireLogin() throws(BugzillaError) -> String {
            guard let login else { throw .loginRequired }
            return login
        }
        guard parts.first == "rest" else { throw Self.noResource(request) }
        let route = Array(parts.dropFirst())
        let call = BugzillaCall(request: request, now: now())
        switch (method, route.count, route.first) {
        case ("GET", 1, "version"):
            return (200, .object([("version", .string("5.1.2"))]))
        case ("GET", 1, "whoami"):
            let name = try requireLogin()
            return (200, .object([
                ("id", .int(Self.userID(name))), ("name", .string(name)), ("real_name", .string(name)),
                ("nick", .string(String(name.prefix { $0 != "@" }))),
            ]))
        case ("GET", 1, "bug"):
            return (200, search(request, state))
        case ("POST", 1, "bug"):
            return (201, try createBug(call, login: try requireLogin(), &state))
        default:
            break
        }
        guard route.first == "bug", (2...3).contains(route.count) else { throw Self.noResource(request) }
        let id = try bugID(route[1], state)
        switch (method, route.count == 3 ? route[2] : nil) {
        case ("GET", nil):
            return (200, .object([("faults", .array([])), ("bugs", .array([state.bugs[id]!.json(include: Self.fields(request))]))]))
        case ("PUT", nil):
            return (200, try updateBug(id, call, login: try requireLogin(), &state))
        case ("GET", "comment"):
            let comments = state.bugs[id]!.comments.map { $0.json() }
            return (200, .object([("bugs", .object([(String(id), .object([("comments", .array(comments))]))])), ("comments", .object([]))]))
        case ("POST", "comment"):
            return (201, try addComment(id, call, login: try requireLogin(), &state))
        case ("GET", "history"):
            let bug = state.bugs[id]!
            return (200, .object([("bugs", .array([.object([
                ("id", .int(id)), ("alias", .array([])), ("history", .array(bug.history.map { $0.json() })),
            ])]))]))
        case ("GET", "attachment"):
            let attachments = state.bugs[id]!.attachments.map { $0.json() }
            return (200, .object([("bugs", .object([(String(id), .array(attachments))])), ("attachments", .object([]))]))
        case ("POST", "attachment"):
            return (201, try addAttachment(id, call, login: try requireLogin(), &state))
        default:
            throw Self.noResource(request)
        }
    }

    private func bugID(_ text: String, _ state: BugzillaState) throws(BugzillaError) -> Int {
        guard let id = Int(text), id > 0 else { throw .invalidBugID(text) }
        guard state.bugs[id] != nil else { throw .noSuchBug(text) }
        return id
    }

    /// The `include_fields` parameter as a set of names (nil: every field).
    static func fields(_ request: ServerRequest) -> Set<String>? {
        request.query["include_fields"].map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    }

    /// A stable made-up user id, so `whoami` answers the same for the same account.
    static func userID(_ login: String) -> Int { login.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 1_000_000 } }

    static func noResource(_ request: ServerRequest) -> BugzillaError {
        BugzillaError(code: 32614, message: "A REST API resource was not found for '\(request.method) \(request.path)'.")
    }

    static func envelope(_ error: BugzillaError) -> JSON {
        .object([("error", .bool(true)), ("code", .int(error.code)), ("message", .string(error.message)),
                 ("documentation", .string(documentation))])
    }

    static func reply(_ status: Int, _ json: JSON) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/json; charset=UTF-8")], body: Array(json.serialized().utf8))
    }

    /// What a load balancer in front of Bugzilla answers when the application is down.
    static func html(_ status: Int) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "text/html")],
                 body: Array("<html><body><h1>\(status) Server Error</h1></body></html>".utf8))
    }
}

/// One request while it is handled: the request, its parsed body, the time.
struct BugzillaCall {
    var request: ServerRequest
    var now: Date

    /// The JSON object body (an empty body is an empty object).
    func body(_ method: String) throws(BugzillaError) -> [String: Any] {
        if request.body.isEmpty { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] else {
            throw BugzillaError(code: 32000, message: "Could not parse the request body of \(method) as a JSON object.")
        }
        return object
    }
}
