import Foundation
import SyncCore

/// Everything that can go wrong talking to a remote service.
///
/// URLs stored in an error are already redacted (see `Redaction.url`), and no case ever holds
/// an `Authorization` value.
public enum RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The transport failed (DNS, connection refused, TLS, reset…); `message` is curl's.
    case network(method: HTTPMethod, url: String, message: String)
    /// The request did not complete within `limit`.
    case timeout(method: HTTPMethod, url: String, limit: Duration)
    /// The server answered with an error status.
    case httpStatus(method: HTTPMethod, url: String, status: Int, bodyExcerpt: String)
    /// A response body did not decode as `type`; `field` is the coding path, such as `head.sha`.
    case decoding(type: String, field: String, message: String)
    /// The rate limit is exhausted and waiting for it is not allowed (or retries ran out).
    case rateLimited(until: Date)
    /// A non-idempotent request (POST, PATCH) failed in a way that does not tell whether the server
    /// acted on it: the request was sent and then the connection failed, timed out, or the server
    /// answered 5xx. It is never retried automatically: check the remote state first, then either
    /// adopt what is there or send again. `underlying` is the failure as seen.
    indirect case outcomeUnknown(underlying: RemoteError)
    /// No usable token: `source` names the environment variable or file.
    case tokenUnavailable(source: String, reason: String)
    /// The server does not know a revision or push the request named (a pushlog's 404);
    /// `serverError` is its own explanation.
    case unknownRevision(url: String, serverError: String)
    /// The request was not sent: the worker is stopping or lost its lease (`reason`).
    case cancelled(method: HTTPMethod, url: String, reason: String)
    /// Bugzilla refused the request with its error envelope: `code` is its WebService error code
    /// (101 no such bug, 51 unknown product or component, 306 invalid API key, 410 login
    /// required, …) and `message` its text.
    case bugzilla(method: HTTPMethod, url: String, status: Int, code: Int, message: String)
    /// A service refused to sign in with the configured credentials (Treeherder's `/api/auth/login/`).
    case signInRefused(url: String, status: Int, bodyExcerpt: String)

    /// The HTTP status for `.httpStatus`, also through `.outcomeUnknown`.
    public var httpStatus: Int? {
        switch self {
        case .httpStatus(_, _, let status, _), .bugzilla(_, _, let status, _, _), .signInRefused(_, let status, _): status
        case .outcomeUnknown(let underlying): underlying.httpStatus
        default: nil
        }
    }

    /// This error with each of `secrets` removed from the texts that came from elsewhere.
    func scrubbing(_ secrets: [String]) -> RemoteError {
        switch self {
        case let .network(method, url, message):
            .network(method: method, url: url, message: Redaction.scrub(message, removing: secrets))
        case let .httpStatus(method, url, status, excerpt):
            .httpStatus(method: method, url: url, status: status, bodyExcerpt: Redaction.scrub(excerpt, removing: secrets))
        case let .decoding(type, field, message):
            .decoding(type: type, field: field, message: Redaction.scrub(message, removing: secrets))
        case let .outcomeUnknown(underlying):
            .outcomeUnknown(underlying: underlying.scrubbing(secrets))
        case let .unknownRevision(url, serverError):
            .unknownRevision(url: url, serverError: Redaction.scrub(serverError, removing: secrets))
        case let .bugzilla(method, url, status, code, message):
            .bugzilla(method: method, url: url, status: status, code: code, message: Redaction.scrub(message, removing: secrets))
        case let .signInRefused(url, status, excerpt):
            .signInRefused(url: url, status: status, bodyExcerpt: Redaction.scrub(excerpt, removing: secrets))
        case .timeout, .rateLimited, .tokenUnavailable, .cancelled:
            self
        }
    }

    public var description: String {
        switch self {
        case let .network(method, url, message):
            "network error on \(method) \(Redaction.url(url)): \(message)"
        case let .timeout(method, url, limit):
            "\(method) \(Redaction.url(url)) timed out (limit \(limit.formattedMilliseconds))"
        case let .httpStatus(method, url, status, excerpt):
            "\(method) \(Redaction.url(url)) answered HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case let .decoding(type, field, message):
            "cannot decode \(type)" + (field.isEmpty ? "" : " at '\(field)'") + ": \(message)"
        case let .rateLimited(until):
            "rate limited until \(until.ISO8601Format())"
        case let .outcomeUnknown(underlying):
            "outcome unknown, the server may have applied the request; check before retrying: \(underlying)"
        case let .tokenUnavailable(source, reason):
            "no token from \(source): \(reason)"
        case let .unknownRevision(url, serverError):
            "GET \(Redaction.url(url)): unknown revision or push: \(serverError)"
        case let .cancelled(method, url, reason):
            "\(method) \(Redaction.url(url)) not sent: \(reason)"
        case let .bugzilla(method, url, status, code, message):
            "\(method) \(Redaction.url(url)) refused by Bugzilla (HTTP \(status), error \(code)"
                + (Self.bugzillaMeaning[code].map { ", \($0)" } ?? "") + "): \(message)"
        case let .signInRefused(url, status, excerpt):
            "sign-in refused (GET \(Redaction.url(url)) answered HTTP \(status)" + (excerpt.isEmpty ? ")" : ": \(excerpt))")
                + "; check the configured credentials"
        }
    }

    /// What the Bugzilla error codes wptsync meets mean, for messages.
    static let bugzillaMeaning: [Int: String] = [
        50: "a required parameter is missing", 51: "no such object (product, component, status…)",
        100: "invalid bug id", 101: "no such bug", 102: "access to the bug denied", 104: "text too long",
        105: "component missing", 106: "no such product or no right to file in it", 107: "summary missing",
        121: "resolution missing", 122: "resolution on an open bug", 129: "invalid flag status",
        306: "invalid API key", 410: "login required (no API key)",
    ]

    /// Bugzilla's error code for `.bugzilla`, also through `.outcomeUnknown`.
    public var bugzillaCode: Int? {
        switch self {
        case .bugzilla(_, _, _, let code, _): code
        case .outcomeUnknown(let underlying): underlying.bugzillaCode
        default: nil
        }
    }
}

/// Removes secrets from text that may end up in errors or logs.
public enum Redaction {
    /// `url` with any userinfo and secret query parameter values replaced by `<redacted>`.
    public static func url(_ url: String) -> String { Redactor.url(url) }

    /// `text` with each of `secrets` (ignoring very short ones) replaced by `<redacted>`, also
    /// JSON-escaped or percent-encoded (`Redactor`).
    static func scrub(_ text: String, removing secrets: [String]) -> String {
        Redactor(secrets)(text)
    }

    /// The start of a response body on one line, for error messages. `secrets` are redacted in
    /// the whole body first: cut or with its whitespace collapsed, a secret would no longer match.
    static func excerpt(_ body: [UInt8], removing secrets: [String], limit: Int = 200) -> String {
        let text = Redactor(secrets)(String(decoding: body, as: UTF8.self))
        let oneLine = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return oneLine.count > limit ? oneLine.prefix(limit) + "…" : oneLine
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, clamped at zero.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    var formattedMilliseconds: String { "\(milliseconds) ms" }
}
