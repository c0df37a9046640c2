import Foundation

/// An HTTP request method.
public enum HTTPMethod: String, Sendable, Hashable, CustomStringConvertible {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"

    /// Whether repeating the request has the same effect as sending it once (RFC 9110 §9.2.2).
    /// Only idempotent requests are retried after the server may have acted on them.
    public var isIdempotent: Bool {
        switch self {
        case .get, .head, .put, .delete: true
        case .post, .patch: false
        }
    }

    public var description: String { rawValue }
}

/// An ordered list of header fields with case-insensitive lookup by name.
///
/// The `description` never shows the value of `Authorization` or `X-BUGZILLA-API-KEY`.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field as sent or received.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// The fields in the order they were added.
    public private(set) var fields: [Field] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// The first value for `name` (compared case-insensitively); setting replaces every field of that name,
    /// and setting `nil` removes them.
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            fields.removeAll { $0.name.lowercased() == name.lowercased() }
            if let newValue { add(name, newValue) }
        }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Bugzilla's API key header.
    public static let bugzillaAPIKey = "X-BUGZILLA-API-KEY"
    /// Treeherder's sign-in header for the OpenID Connect id token.
    public static let treeherderIDToken = "Id-Token"
    /// Django's CSRF header, which repeats the `csrftoken` cookie.
    public static let csrfToken = "X-CSRFToken"
    /// Names whose values `description` never shows.
    static let secretNames: Set<String> = ["authorization", "cookie", bugzillaAPIKey.lowercased(), treeherderIDToken.lowercased(), csrfToken.lowercased()]

    public var description: String {
        let shown = fields.map { field in
            Self.secretNames.contains(field.name.lowercased()) ? "\(field.name): <redacted>" : "\(field.name): \(field.value)"
        }
        return "[" + shown.joined(separator: ", ") + "]"
    }
}

/// A request to send with `HTTPClient`.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: HTTPMethod
    /// Absolute `http` or `https` URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Limit for the whole exchange, connection included.
    public var timeout: Duration
    /// Limit for establishing the connection.
    public var connectTimeout: Duration

    public init(
        _ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    /// Sets `Authorization: Bearer <token>`.
    public mutating func authorize(with token: Token) {
        headers["Authorization"] = "Bearer \(token.revealedValue)"
    }

    /// Sets `X-BUGZILLA-API-KEY: <key>`: Bugzilla's header, so the key never appears in a URL.
    public mutating func authorize(bugzillaKey key: Token) {
        headers[HTTPHeaders.bugzillaAPIKey] = key.revealedValue
    }

    /// Method and URL, with credentials in the URL redacted.
    public var description: String { "\(method) \(Redaction.url(url))" }
}

/// A response as received; `send` has already turned error statuses into `RemoteError`.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// True when the server answered 304 and `body` comes from the ETag cache.
    public var servedFromCache: Bool

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], servedFromCache: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.servedFromCache = servedFromCache
    }

    /// The body decoded as UTF-8, invalid sequences replaced.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The links of the `Link` header by relation (`next`, `last`, …).
    public var links: [String: String] { parseLinkHeader(headers.values(for: "Link").joined(separator: ", ")) }
}

extension String {
    /// The string percent-encoded to stand as one segment of a URL path (`/`, `?` and `#` escaped).
    var pathSegmentEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? self
    }
}
