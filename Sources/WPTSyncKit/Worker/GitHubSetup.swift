import Foundation
import Remote
import SyncCore

/// The GitHub client the configuration describes, shared by the upstream and landing sides.
enum GitHubSetup {
    /// nil when `[github]` is not configured.
    /// `cancellation` ends its waits and stops its requests.
    static func client(_ config: Config, environment: [String: String], cancellation: Cancellation? = nil) throws -> GitHubClient? {
        guard let github = config.github else { return nil }
        guard let repository = RepositoryName(github.repository) else { throw UpstreamError.notConfigured("github.repo as owner/name") }
        // Re-checks of pending checks are conditional requests: a 304 does not count against the rate limit.
        return GitHubClient(apiBaseURL: github.apiBaseURL, repository: repository, token: try token(github.token, environment: environment),
                            http: .cancellable(by: cancellation, etagCache: InMemoryETagCache()))
    }

    static func token(_ source: SecretSource, environment: [String: String]) throws -> Token {
        switch source {
        case .environment(let name): try Token.fromEnvironment(name, environment: environment)
        case .file(let path): try Token.fromFile(path)
        }
    }

    /// Reads `source` when called: a file again each time (a replaced file is used), the
    /// environment once, now. A missing or empty token fails here first.
    static func reader(_ source: SecretSource, environment: [String: String]) throws -> @Sendable () throws(RemoteError) -> Token {
        let token = try token(source, environment: environment)
        guard case .file(let path) = source else { return { () throws(RemoteError) in token } }
        return { () throws(RemoteError) in try Token.fromFile(path) }
    }

    /// The approver's token: nil when none is configured, or when the default variable
    /// (`WPTSYNC_APPROVER_TOKEN`) is not set; a token the file names must be readable.
    static func approver(_ github: GitHubSettings, environment: [String: String]) throws -> Token? {
        guard let source = github.approverToken else { return nil }
        if github.approverTokenIsExplicit { return try token(source, environment: environment) }
        return try? token(source, environment: environment)
    }
}
