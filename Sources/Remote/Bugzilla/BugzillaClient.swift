import Foundation
import SyncCore

/// Bugzilla's REST API (`/rest`, as on bugzilla.mozilla.org), as wptsync uses it. Blocking and
/// `Sendable`; retries with backoff and timeouts come from `http`.
///
/// The API key goes in the `X-BUGZILLA-API-KEY` header, never in a URL, and is scrubbed from
/// errors. Bugzilla's error envelope becomes `RemoteError.bugzilla` with its code and message.
/// A POST (filing a bug, a comment) is not repeated when its outcome is unknown
/// (`RemoteError.outcomeUnknown`); GETs and PUTs are retried.
public struct BugzillaClient: Sendable {
    /// The REST root without a trailing slash, e.g. `https://bugzilla.mozilla.org/rest`.
    public let restURL: String
    /// Nil: anonymous, reads only.
    public var apiKey: Token?
    public var http: HTTPClient
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(30)

    public init(restURL: String, apiKey: Token?, http: HTTPClient = HTTPClient()) {
        self.restURL = restURL.hasSuffix("/") ? String(restURL.dropLast()) : restURL
        self.apiKey = apiKey
        self.http = http
    }

    /// Files a bug; returns its number.
    public func createBug(_ bug: NewBug) throws(RemoteError) -> Int {
        struct Created: Decodable { var id: Int }
        return try send(jsonRequest(.post, "/bug", bug), as: Created.self).id
    }

    /// Bug `id`, with only `fields` (REST names) when given; `id` always comes back.
    public func bug(_ id: Int, fields: [String]? = nil) throws(RemoteError) -> BugzillaBug {
        struct Bugs: Decodable { var bugs: [BugzillaBug] }
        let query = fields.map { "?include_fields=" + GitHubClient.escapeQuery((["id"] + $0).joined(separator: ",")) } ?? ""
        let bugs = try send(request(.get, "/bug/\(id)\(query)"), as: Bugs.self).bugs
        guard let bug = bugs.first(where: { $0.id == id }) else {
            throw .decoding(type: "BugzillaBug", field: "bugs", message: "bug \(id) is not in the answer")
        }
        return bug
    }

    /// The bugs whose URL field is exactly `url` (for a PR: its page), oldest first, with only
    /// `fields` when given. Finds the bug a POST whose outcome was unknown may have filed.
    public func bugs(url: String, fields: [String]? = nil) throws(RemoteError) -> [BugzillaBug] {
        struct Bugs: Decodable { var bugs: [BugzillaBug] }
        var query = [("url", url)]
        if let fields { query.append(("include_fields", (["id"] + fields).joined(separator: ","))) }
        let text = query.map { "\($0.0)=\(GitHubClient.escapeQuery($0.1))" }.joined(separator: "&")
        return try send(request(.get, "/bug?\(text)"), as: Bugs.self).bugs.sorted { $0.id < $1.id }
    }

    /// Applies `update`; returns what changed, by field (a field set to its current value is absent).
    public func update(_ id: Int, _ update: BugUpdate) throws(RemoteError) -> [String: BugFieldUpdate] {
        struct Updated: Decodable {
            struct Bug: Decodable { var id: Int; var changes: [String: BugFieldUpdate] }
            var bugs: [Bug]
        }
        let bugs = try send(jsonRequest(.put, "/bug/\(id)", update), as: Updated.self).bugs
        return bugs.first { $0.id == id }?.changes ?? [:]
    }

    /// Adds a comment (Bugzilla cuts it at 65,535 characters); returns the comment's id.
    public func addComment(_ id: Int, _ text: String, isMarkdown: Bool = false) throws(RemoteError) -> Int {
        struct Body: Encodable {
            var comment: String
            var isMarkdown: Bool
            enum CodingKeys: String, CodingKey { case comment, isMarkdown = "is_markdown" }
        }
        struct Created: Decodable { var id: Int }
        return try send(jsonRequest(.post, "/bug/\(id)/comment", Body(comment: text, isMarkdown: isMarkdown)), as: Created.self).id
    }

    /// Adds `text` unless the bug already has that comment (an earlier attempt's answer was lost,
    /// or it crashed after Bugzilla took it); `known` is the bug's comments when the caller has them.
    /// Returns whether it added it.
    @discardableResult
    public func addCommentOnce(_ id: Int, _ text: String, known: [BugComment]? = nil) throws(RemoteError) -> Bool {
        let onBug: [BugComment]
        if let known { onBug = known } else { onBug = try comments(id) }
        if onBug.contains(where: { $0.text == text }) { return false }
        _ = try addComment(id, text)
        return true
    }

    /// The bug's comments, the description first.
    public func comments(_ id: Int) throws(RemoteError) -> [BugComment] {
        struct Answer: Decodable {
            struct Bug: Decodable { var comments: [BugComment] }
            var bugs: [String: Bug]
        }
        return try send(request(.get, "/bug/\(id)/comment"), as: Answer.self).bugs[String(id)]?.comments ?? []
    }

    /// The bug's history, oldest first.
    public func history(_ id: Int) throws(RemoteError) -> [BugHistoryEntry] {
        struct Answer: Decodable {
            struct Bug: Decodable { var id: Int; var history: [BugHistoryEntry] }
            var bugs: [Bug]
        }
        return try send(request(.get, "/bug/\(id)/history"), as: Answer.self).bugs.first { $0.id == id }?.history ?? []
    }

    /// Asks `requestee` for information (`needinfo?`), with an optional comment saying why.
    public func setNeedinfo(_ id: Int, requestee: String, comment: String? = nil) throws(RemoteError) -> [String: BugFieldUpdate] {
        try update(id, BugUpdate(flags: [.needinfo(requestee)], comment: comment))
    }

    /// The account the API key belongs to.
    public func whoami() throws(RemoteError) -> BugzillaUser {
        try send(request(.get, "/whoami"), as: BugzillaUser.self)
    }

    // MARK: Requests

    func request(_ method: HTTPMethod, _ path: String) -> HTTPRequest {
        var request = HTTPRequest(method, restURL + path, headers: ["Accept": "application/json"], timeout: timeout)
        if let apiKey { request.authorize(bugzillaKey: apiKey) }
        return request
    }

    func jsonRequest<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ body: Body) throws(RemoteError) -> HTTPRequest {
        var request = request(method, path)
        do {
            request.body = Array(try Self.encoder.encode(body))
        } catch {
            throw .decoding(type: "\(Body.self)", field: "", message: "cannot encode: \(error)")
        }
        request.headers["Content-Type"] = "application/json"
        return request
    }

    /// Sends `request` and decodes its answer; an error status becomes `.bugzilla` when the body is
    /// Bugzilla's envelope, `.httpStatus` otherwise.
    func send<T: Decodable>(_ request: HTTPRequest, as type: T.Type) throws(RemoteError) -> T {
        let response = try http.sendReturningErrorStatus(request)
        guard (200..<300).contains(response.status) else {
            let url = Redaction.url(request.url)
            if let envelope = try? JSONCoding.decode(ErrorEnvelope.self, from: response.body, using: Self.decoder), envelope.error {
                throw RemoteError.bugzilla(method: request.method, url: url, status: response.status,
                                           code: envelope.code, message: envelope.message).scrubbing(request.secrets)
            }
            throw .httpStatus(method: request.method, url: url, status: response.status,
                              bodyExcerpt: Redaction.excerpt(response.body, removing: request.secrets))
        }
        return try JSONCoding.decode(type, from: response.body, using: Self.decoder)
    }

    /// `{"error": true, "code", "message", "documentation"}`.
    struct ErrorEnvelope: Decodable { var error: Bool; var code: Int; var message: String }

    /// Bugzilla's field names are already snake_case: keys are written as declared.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
