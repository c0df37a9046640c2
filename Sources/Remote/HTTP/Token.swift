import Foundation

/// A secret API token. It prints as `<redacted>` everywhere (`description`, `debugDescription`,
/// `dump`); only `revealedValue` gives the secret, for building an `Authorization` header.
public struct Token: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: String

    /// A token from a literal value, surrounding whitespace removed.
    public init(_ value: String) {
        secret = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The secret itself. Never log it.
    public var revealedValue: String { secret }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Token(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Reads the token from the environment variable `name`.
    /// - Throws: `RemoteError.tokenUnavailable` naming the variable when it is unset or blank.
    public static func fromEnvironment(
        _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteError) -> Token {
        let source = "environment variable \(name)"
        guard let value = environment[name] else {
            throw .tokenUnavailable(source: source, reason: "not set")
        }
        return try nonEmpty(Token(value), source: source)
    }

    /// Reads the token from the file at `path` (for example a secrets mount).
    /// - Throws: `RemoteError.tokenUnavailable` naming the file when it cannot be read or is blank.
    public static func fromFile(_ path: String) throws(RemoteError) -> Token {
        let source = "file \(path)"
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .tokenUnavailable(source: source, reason: "cannot be read")
        }
        return try nonEmpty(Token(contents), source: source)
    }

    private static func nonEmpty(_ token: Token, source: String) throws(RemoteError) -> Token {
        if token.secret.isEmpty { throw .tokenUnavailable(source: source, reason: "empty") }
        return token
    }
}
