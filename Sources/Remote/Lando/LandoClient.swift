import Foundation
import SyncCore

/// Lands commits through Lando's headless API and reads what Lando serves besides: repository
/// information, the hg ↔ git commit map and Treestatus. Blocking and `Sendable`.
///
/// A submission is a POST: a 5xx or a broken connection after sending it is
/// `RemoteError.outcomeUnknown`, never sent again here (Lando may have recorded the job; the
/// caller checks the repository before submitting again). Reads are retried by `http`'s policy.
/// The token goes only into the `Authorization: Bearer` header; errors never hold it.
public struct LandoClient: Sendable {
    /// The environment variable lando-cli reads the token from.
    public static let tokenVariable = "LANDO_HEADLESS_API_TOKEN"

    /// Lando's root, e.g. `https://lando.moz.tools`.
    public let url: String
    public var token: Token
    public var http: HTTPClient
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(60)

    public init(url: String, token: Token, http: HTTPClient = HTTPClient()) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.http = http
    }

    /// The token from the file at `file` when given, else from `LANDO_HEADLESS_API_TOKEN`.
    public static func token(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(RemoteError) -> Token {
        if let file { return try Token.fromFile(file) }
        return try Token.fromEnvironment(tokenVariable, environment: environment)
    }

    /// Submits one job to `repository` (Lando's name, e.g. `firefox-autoland`) with an
    /// `add-commit-base64` action per patch, in order; each patch is `git format-patch` output.
    public func submit(repository: String, patches: [[UInt8]]) throws(RemoteError) -> LandoJob {
        struct Action: Encodable { var action = "add-commit-base64"; var content: String }
        struct Operation: Encodable { var actions: [Action] }
        let body = Operation(actions: patches.map { Action(content: Data($0).base64EncodedString()) })
        var post = try HTTPRequest.json(.post, "\(url)/api/repo/\(repository.pathSegmentEscaped)", body: body)
        post.timeout = timeout
        post.authorize(with: token)
        return try http.sendJSON(post, as: LandoJob.self)
    }

    /// The job's current state. Read once per pass by its callers, never waited for.
    public func job(_ id: Int) throws(RemoteError) -> LandoJob {
        try http.sendJSON(request("\(url)/api/job/\(id)"), as: LandoJob.self)
    }

    public func repoInfo(_ repository: String) throws(RemoteError) -> LandoRepoInfo {
        try http.sendJSON(request("\(url)/api/repoinfo/\(repository.pathSegmentEscaped)"), as: LandoRepoInfo.self)
    }

    /// The git commit of hg changeset `hg` (40 hex digits) in git repository `repo` (`firefox`),
    /// or nil when Lando's commit map has none.
    public func gitHash(hg: String, repo: String = "firefox") throws(RemoteError) -> String? {
        try commitMap("hg2git", repo: repo, hash: hg)?.gitHash
    }

    /// The hg changeset of git commit `git` (7 to 40 hex digits), or nil when Lando's map has none.
    public func hgHash(git: String, repo: String = "firefox") throws(RemoteError) -> String? {
        try commitMap("git2hg", repo: repo, hash: git)?.hgHash
    }

    /// Every tree Lando's Treestatus knows (`GET /api/treestatus/trees2`).
    public func trees() throws(RemoteError) -> [TreeStatus] {
        struct Envelope: Decodable { var result: [TreeStatus] }
        return try http.sendJSON(request("\(url)/api/treestatus/trees2", authorized: false), as: Envelope.self).result
    }

    private struct CommitPair: Decodable { var gitHash: String; var hgHash: String }

    private func commitMap(_ direction: String, repo: String, hash: String) throws(RemoteError) -> CommitPair? {
        let target = "\(url)/api/\(direction)/\(repo.pathSegmentEscaped)/\(hash.lowercased().pathSegmentEscaped)"
        do {
            return try http.sendJSON(request(target, authorized: false), as: CommitPair.self)
        } catch {
            // Lando's own "not in the map" (a wrong URL is Django's HTML 404, an error).
            if case .httpStatus(_, _, 404, let excerpt) = error, excerpt.contains("No commits found") { return nil }
            throw error
        }
    }

    private func request(_ target: String, authorized: Bool = true) -> HTTPRequest {
        var request = HTTPRequest(.get, target, timeout: timeout)
        request.headers["Accept"] = "application/json"
        if authorized { request.authorize(with: token) }
        return request
    }

}
