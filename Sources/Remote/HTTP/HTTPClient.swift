import Foundation
import SyncCore

/// Sends requests with retries, rate-limit waits and conditional GETs. Blocking; `Sendable`.
///
/// `send` returns responses with status 2xx, or 304 when the caller set `If-None-Match` itself;
/// any other status becomes `RemoteError.httpStatus`. Error texts never contain the request's
/// `Authorization` value, and URLs in errors are redacted.
///
/// POST and PATCH are never sent twice once the server may have acted on them: such failures are
/// `RemoteError.outcomeUnknown`, and the caller should look at the remote state (for example list
/// the pull requests for a branch) and adopt what it finds before sending again.
public struct HTTPClient: Sendable {
    public var transport: any HTTPTransport
    public var retryPolicy: RetryPolicy
    public var sleeper: any Sleeper
    /// Current time, for rate-limit resets and `retry-after` dates.
    public var now: @Sendable () -> Date
    /// A random number in `0..<1` for backoff jitter.
    public var random: @Sendable () -> Double
    /// When set, GETs are made conditional on the cached ETag and a 304 returns the cached response.
    public var etagCache: (any ETagCache)?
    /// Headers added to every request that does not set them itself (GitHub requires `User-Agent`).
    public var defaultHeaders: HTTPHeaders
    /// When set and cancelled, no further request is sent (`RemoteError.cancelled`). Pass it as
    /// `sleeper` too, so that retry and rate-limit waits end as soon as it is cancelled.
    public var cancellation: Cancellation?

    public init(
        transport: any HTTPTransport = CurlTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        sleeper: any Sleeper = ThreadSleeper(),
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        etagCache: (any ETagCache)? = nil,
        defaultHeaders: HTTPHeaders = ["User-Agent": "wptsync"],
        cancellation: Cancellation? = nil
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.sleeper = sleeper
        self.now = now
        self.random = random
        self.etagCache = etagCache
        self.defaultHeaders = defaultHeaders
        self.cancellation = cancellation
    }

    /// A client whose waits and requests stop when `cancellation` is cancelled.
    public static func cancellable(by cancellation: Cancellation?, etagCache: (any ETagCache)? = nil) -> HTTPClient {
        guard let cancellation else { return HTTPClient(etagCache: etagCache) }
        return HTTPClient(sleeper: cancellation, etagCache: etagCache, cancellation: cancellation)
    }

    /// Sends `request`, retrying as `retryPolicy` decides.
    public func send(_ request: HTTPRequest) throws(RemoteError) -> HTTPResponse {
        try send(request, acceptingErrorStatus: false)
    }

    /// Like `send`, but a response with an error status (4xx, or 5xx once retries ran out) is
    /// returned rather than thrown, for APIs whose error bodies the caller reads (Bugzilla's
    /// envelope). Transport failures and unknown outcomes are still thrown.
    public func sendReturningErrorStatus(_ request: HTTPRequest) throws(RemoteError) -> HTTPResponse {
        try send(request, acceptingErrorStatus: true)
    }

    private func send(_ request: HTTPRequest, acceptingErrorStatus: Bool) throws(RemoteError) -> HTTPResponse {
        var request = request
        for field in defaultHeaders where request.headers[field.name] == nil {
            request.headers.add(field.name, field.value)
        }
        let secrets = request.secrets
        do {
            return try sendWithCache(request, acceptingErrorStatus: acceptingErrorStatus)
        } catch {
            throw error.scrubbing(secrets)
        }
    }

    /// Sends `request` and decodes a JSON body as `T` (keys converted from snake_case,
    /// dates in ISO 8601).
    public func sendJSON<T: Decodable>(_ request: HTTPRequest, as type: T.Type = T.self) throws(RemoteError) -> T {
        var request = request
        if request.headers["Accept"] == nil { request.headers["Accept"] = "application/json" }
        let response = try send(request)
        return try JSONCoding.decode(type, from: response.body)
    }

    private func sendWithCache(_ request: HTTPRequest, acceptingErrorStatus: Bool) throws(RemoteError) -> HTTPResponse {
        var request = request
        let cached = request.method == .get && request.headers["If-None-Match"] == nil
            ? etagCache?.lookup(request.url) : nil
        if let cached { request.headers["If-None-Match"] = cached.etag }

        let response = try sendWithRetries(request)
        if response.status == 304, let cached {
            var fromCache = cached.response
            fromCache.servedFromCache = true
            return fromCache
        }
        if request.method == .get, response.status == 200, let etag = response.headers["ETag"] {
            etagCache?.store(CachedResponse(etag: etag, response: response), for: request.url)
        }
        guard (200..<300).contains(response.status) || response.status == 304 || acceptingErrorStatus else {
            throw .httpStatus(
                method: request.method, url: Redaction.url(request.url), status: response.status,
                bodyExcerpt: Redaction.excerpt(response.body, removing: request.secrets))
        }
        return response
    }

    private func sendWithRetries(_ request: HTTPRequest) throws(RemoteError) -> HTTPResponse {
        var attempt = 1
        while true {
            try cancellation?.check(before: request.method, request.url)
            let outcome = transport.perform(request, cancellation: cancellation)
            let decision = retryPolicy.decide(request, outcome: outcome, attempt: attempt, now: now(), randomUnit: random())
            switch decision {
            case .accept:
                // The policy accepts only responses; failures always end in `.retry` or `.fail`.
                guard case .success(let response) = outcome else { preconditionFailure("accepted a transport failure") }
                return response
            case .retry(let delay):
                sleeper.sleep(for: delay)
                attempt += 1
            case .fail(let error):
                throw error
            }
        }
    }
}

extension HTTPRequest {
    /// The `Authorization` value and its credential part (after `Bearer ` or `token `), Bugzilla's
    /// API key header, Treeherder's id token, and session cookies with their CSRF token.
    var secrets: [String] {
        headers.values(for: "Authorization").flatMap { value in
            [value, String(value.split(separator: " ").last ?? "")]
        } + headers.values(for: HTTPHeaders.bugzillaAPIKey) + headers.values(for: HTTPHeaders.treeherderIDToken)
            + headers.values(for: HTTPHeaders.csrfToken)
            + headers.values(for: "Cookie").flatMap { $0.split(separator: ";").compactMap { $0.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) } }
    }
}

/// JSON settings for GitHub-style APIs: snake_case keys, ISO 8601 dates.
public enum JSONCoding {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Decodes `bytes` with `decoder` (default: `decoder()`), naming the type and the failing field in the error.
    public static func decode<T: Decodable>(
        _ type: T.Type, from bytes: [UInt8], using decoder: JSONDecoder = decoder()
    ) throws(RemoteError) -> T {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, decoding: type)
        } catch {
            throw .decoding(type: "\(type)", field: "", message: "\(error)")
        }
    }

    private static func describe<T>(_ error: DecodingError, decoding type: T.Type) -> RemoteError {
        let failed = error.failedField
        return .decoding(type: "\(type)", field: failed.path, message: failed.problem)
    }
}

extension HTTPRequest {
    /// A request with a JSON body encoded by `JSONCoding.encoder()` (snake_case keys) and
    /// `Content-Type`/`Accept` set.
    public static func json<Body: Encodable>(
        _ method: HTTPMethod, _ url: String, body: Body, headers: HTTPHeaders = [:]
    ) throws(RemoteError) -> HTTPRequest {
        let bytes: [UInt8]
        do {
            bytes = Array(try JSONCoding.encoder().encode(body))
        } catch {
            throw .decoding(type: "\(Body.self)", field: "", message: "cannot encode: \(error)")
        }
        var request = HTTPRequest(method, url, headers: headers, body: bytes)
        request.headers["Content-Type"] = "application/json"
        if request.headers["Accept"] == nil { request.headers["Accept"] = "application/json" }
        return request
    }
}
