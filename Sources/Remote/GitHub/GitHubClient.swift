import Foundation

/// GitHub's REST API (version 2022-11-28) for one repository, as wptsync uses it. Blocking and
/// `Sendable`; retries, rate limits, timeouts and conditional GETs come from `http`.
///
/// Requests that create something are never blindly repeated: when the outcome of a POST is
/// unknown, the client first looks for what it would have created and adopts it.
public struct GitHubClient: Sendable {
    /// The API root without a trailing slash: `https://api.github.com`,
    /// `https://ghe.example.com/api/v3`, or a `LocalGitHub`'s `baseURL`.
    public let apiBaseURL: String
    public let repository: RepositoryName
    public var token: Token
    public var http: HTTPClient
    /// Items per page when listing (GitHub allows at most 100).
    public var perPage = 100
    /// Pages followed at most when listing.
    public var maxPages = 50
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(30)
    /// The owner of the fork whose branches pull request heads are (`owner:branch`); nil when
    /// they are branches of `repository` itself.
    public var headOwner: String?

    public init(apiBaseURL: String = "https://api.github.com", repository: RepositoryName, token: Token, http: HTTPClient = HTTPClient()) {
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
        self.repository = repository
        self.token = token
        self.http = http
    }

    // MARK: Pull requests

    /// Every pull request (open and closed, newest first) whose head is `branch` of this
    /// repository (of the fork, with `headOwner`). Results are filtered again here, since GitHub
    /// ignores a malformed `head` filter.
    public func findPullRequests(head branch: BranchName) throws(RemoteError) -> [PullRequest] {
        let head = "\(headOwner ?? repository.owner):\(branch.rawValue)"
        let all: [PullRequest] = try list("/pulls", query: [("state", "all"), ("head", head)])
        // GitHub logins are case-insensitive.
        return all.filter { $0.head.ref == branch.rawValue && ($0.head.label ?? head).lowercased() == head.lowercased() }
    }

    /// `GET /pulls/{number}`.
    public func pullRequest(_ number: Int) throws(RemoteError) -> PullRequest {
        try http.sendJSON(request(.get, "/pulls/\(number)"))
    }

    /// Opens a pull request from `head` (of the fork, with `headOwner`) into `base`, or adopts the open one that already exists
    /// for that head when `adopting` accepts it: never makes a second one.
    ///
    /// On 422 the open pull request for the head is looked up and adopted (if there is none, or
    /// `adopting` refuses it, such as someone else's pull request, the 422 is thrown). When the
    /// outcome is unknown (5xx, timeout or network error after sending) it is looked up too; if
    /// none exists the POST is sent once more. A closed pull request for the same head is not
    /// adopted: use `findPullRequests` and `reopen` for that.
    public func createPullRequest(
        title: String, head: BranchName, base: String = "master", body: String? = nil,
        adopting: (PullRequest) -> Bool = { _ in true }
    ) throws(RemoteError) -> CreatedPullRequest {
        struct Body: Encodable { var title: String; var head: String; var base: String; var body: String? }
        let headField = headOwner.map { "\($0):\(head.rawValue)" } ?? head.rawValue
        let create = try jsonRequest(.post, "/pulls", Body(title: title, head: headField, base: base, body: body))
        var attemptsLeft = 2
        while true {
            attemptsLeft -= 1
            do {
                return CreatedPullRequest(pullRequest: try http.sendJSON(create), adopted: false)
            } catch {
                let unknown = error.isOutcomeUnknown
                guard unknown || error.httpStatus == 422 else { throw error }
                let open = try findPullRequests(head: head).first { $0.state == .open && $0.base.ref == base && adopting($0) }
                if let open { return CreatedPullRequest(pullRequest: open, adopted: true) }
                guard unknown, attemptsLeft > 0 else { throw error }
                http.sleeper.sleep(for: http.retryPolicy.baseDelay)
            }
        }
    }

    /// Changes the title, body or state of a pull request (fields left nil are unchanged).
    /// Reopening fails with 422 when the head branch moved or vanished since it was closed, so
    /// reopen before force-pushing.
    public func updatePullRequest(
        _ number: Int, title: String? = nil, body: String? = nil, state: PullRequest.State? = nil
    ) throws(RemoteError) -> PullRequest {
        struct Body: Encodable { var title: String?; var body: String?; var state: PullRequest.State? }
        // Setting the same fields twice has the effect of once: safe to resend.
        return try sendingTwiceIfUnknown(jsonRequest(.patch, "/pulls/\(number)", Body(title: title, body: body, state: state)))
    }

    /// Closes a pull request (its branch stays).
    public func close(_ number: Int) throws(RemoteError) -> PullRequest {
        try updatePullRequest(number, state: .closed)
    }

    /// Reopens a closed pull request.
    public func reopen(_ number: Int) throws(RemoteError) -> PullRequest {
        try updatePullRequest(number, state: .open)
    }

    /// Adds labels to a pull request (an issue, for the API); answers all its labels.
    public func addLabels(_ labels: [String], to number: Int) throws(RemoteError) -> [Label] {
        struct Body: Encodable { var labels: [String] }
        return try sendingTwiceIfUnknown(jsonRequest(.post, "/issues/\(number)/labels", Body(labels: labels)))
    }

    /// Removes label `name` from a pull request; answers the labels left. A label it does not
    /// carry (404) is not an error: nil.
    @discardableResult
    public func removeLabel(_ name: String, from number: Int) throws(RemoteError) -> [Label]? {
        let segment = name.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? name
        do {
            return try http.sendJSON(request(.delete, "/issues/\(number)/labels/\(segment)"))
        } catch {
            if error.httpStatus == 404 { return nil }
            throw error
        }
    }

    /// Pull requests that contain commit `sha` (for a merged one, also the commits it wrote).
    public func pullRequests(forCommit sha: String) throws(RemoteError) -> [PullRequest] {
        try list("/commits/\(try commitID(sha))/pulls")
    }

    /// `PUT /pulls/{n}/merge`. Passing `expectedHeadSHA` makes GitHub refuse (409, `.headMoved`)
    /// if the head is no longer that commit. A 405 for a pull request that turns out to be merged
    /// already (a retried PUT whose first answer was lost) counts as merged.
    public func merge(
        _ number: Int, method: MergeMethod = .rebase, expectedHeadSHA: String? = nil,
        commitTitle: String? = nil, commitMessage: String? = nil
    ) throws(RemoteError) -> MergeResult {
        struct Body: Encodable {
            var mergeMethod: MergeMethod; var sha: String?; var commitTitle: String?; var commitMessage: String?
        }
        struct Merged: Decodable { var sha: String }
        let put = try jsonRequest(.put, "/pulls/\(number)/merge", Body(
            mergeMethod: method, sha: expectedHeadSHA, commitTitle: commitTitle, commitMessage: commitMessage))
        do {
            let merged: Merged = try http.sendJSON(put)
            return .merged(sha: merged.sha)
        } catch {
            switch error.httpStatus {
            case 405:
                let current = try pullRequest(number)
                if current.isMerged, let sha = current.mergeCommitSha { return .merged(sha: sha) }
                return .notMergeable(message: error.gitHubMessage)
            case 409:
                return .headMoved(message: error.gitHubMessage)
            default:
                throw error
            }
        }
    }

    /// Deletes branch `branch` of the repository; a branch that is not there is not an error.
    @discardableResult
    public func deleteBranch(_ branch: BranchName) throws(RemoteError) -> BranchDeletion {
        do {
            _ = try http.send(request(.delete, "/git/refs/heads/\(Self.escapePath(branch.rawValue))"))
            return .deleted
        } catch {
            if error.httpStatus == 422 || error.httpStatus == 404 { return .alreadyGone }
            throw error
        }
    }

    // MARK: Building and sending requests

    /// A request to `<api>/repos/<owner>/<name><path>` with the token and GitHub's headers.
    func request(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], token: Token? = nil) -> HTTPRequest {
        var url = "\(apiBaseURL)/repos/\(repository.owner)/\(repository.name)\(path)"
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.escapeQuery($0.0))=\(Self.escapeQuery($0.1))" }.joined(separator: "&")
        }
        var request = HTTPRequest(method, url, timeout: timeout)
        request.headers["Accept"] = "application/vnd.github+json"
        request.headers["X-GitHub-Api-Version"] = "2022-11-28"
        request.authorize(with: token ?? self.token)
        return request
    }

    func jsonRequest<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ body: Body, token: Token? = nil) throws(RemoteError) -> HTTPRequest {
        var json = try HTTPRequest.json(method, "", body: body)
        let plain = request(method, path, token: token)
        json.url = plain.url
        json.timeout = plain.timeout
        for field in plain.headers { json.headers[field.name] = field.value }
        return json
    }

    /// Sends a request that is safe to repeat although its method is not idempotent (setting
    /// fields, adding labels, statuses): an unknown outcome is followed by one more attempt.
    func sendingTwiceIfUnknown<T: Decodable>(_ request: HTTPRequest) throws(RemoteError) -> T {
        do {
            return try http.sendJSON(request)
        } catch where error.isOutcomeUnknown {
            http.sleeper.sleep(for: http.retryPolicy.baseDelay)
            return try http.sendJSON(request)
        }
    }

    /// All pages of a list endpoint, following `Link: rel="next"` (only to URLs under
    /// `apiBaseURL`, so the token is never sent elsewhere).
    func list<T: Decodable>(_ path: String, query: [(String, String)] = [], token: Token? = nil) throws(RemoteError) -> [T] {
        var items: [T] = []
        for response in try pages(path, query: query, token: token) {
            items += try JSONCoding.decode([T].self, from: response.body)
        }
        return items
    }

    /// The pages of a list endpoint; after each, `continuing` says whether to read the next one.
    func pages(_ path: String, query: [(String, String)] = [], token: Token? = nil,
               continuing: (HTTPResponse) throws(RemoteError) -> Bool = { _ in true }) throws(RemoteError) -> [HTTPResponse] {
        var next: HTTPRequest? = request(.get, path, query: query + [("per_page", String(perPage))], token: token)
        var responses: [HTTPResponse] = []
        while let current = next, responses.count < maxPages {
            let response = try http.send(current)
            responses.append(response)
            next = nil
            if try continuing(response), let link = response.links["next"] {
                guard link.hasPrefix(apiBaseURL + "/") else {
                    throw .decoding(type: "Link", field: "next", message: "points outside \(apiBaseURL): \(Redaction.url(link))")
                }
                var following = current
                following.url = link
                next = following
            }
        }
        return responses
    }

    func commitID(_ sha: String) throws(RemoteError) -> String {
        guard isCommitID(sha) else { throw .decoding(type: "commit id", field: "", message: "not a full hex commit id: \(sha)") }
        return sha
    }

    /// Percent-encodes a path that may contain `/` (a branch name).
    static func escapePath(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved.union(["/"])) ?? text
    }

    static func escapeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved.union([":", "/"])) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension RemoteError {
    var isOutcomeUnknown: Bool {
        if case .outcomeUnknown = self { return true }
        return false
    }

    /// The `message` of a GitHub error body, or the body excerpt when it is not one.
    var gitHubMessage: String {
        guard case .httpStatus(_, _, _, let excerpt) = self else { return description }
        struct Body: Decodable { var message: String }
        return (try? JSONCoding.decode(Body.self, from: Array(excerpt.utf8)))?.message ?? excerpt
    }
}
