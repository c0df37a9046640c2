import Foundation

/// A note on a job (`/api/project/<repo>/note/`): how sheriffs annotate and classify failures.
public struct TreeherderNote: Sendable, Equatable, Decodable {
    public var id: Int
    public var jobId: Int
    /// 1 not classified … 8 intermittent needs bug.
    public var failureClassificationId: Int
    public var text: String
    public var who: String?
}

extension TreeherderClient {
    /// The notes on job `jobID` of `repository`, oldest first (no sign-in needed).
    public func notes(repository: String, jobID: Int) throws(RemoteError) -> [TreeherderNote] {
        let url = "\(baseURL)/api/project/\(GitHubClient.escapeQuery(repository))/note/?job_id=\(jobID)"
        var request = HTTPRequest(.get, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        return try http.sendJSON(request, as: [TreeherderNote].self)
    }

    /// Adds a note to job `jobID` (classification 1, not classified, unless given). Treeherder takes
    /// notes only in a signed-in session: the client signs in once (`session`), sends the session's
    /// cookies and CSRF token, and signs in again once when they are refused (401/403: expired).
    /// - Throws: `tokenUnavailable` without credentials; `signInRefused` when Treeherder refuses them.
    public func addNote(repository: String, jobID: Int, text: String, classification: Int = 1) throws(RemoteError) {
        guard let session else {
            throw .tokenUnavailable(source: "Treeherder credentials", reason: "none configured; Treeherder takes notes only from a signed-in session")
        }
        struct Body: Encodable { var jobId: Int; var failureClassificationId: Int; var text: String }
        var request = HTTPRequest(.post, "\(baseURL)/api/project/\(GitHubClient.escapeQuery(repository))/note/", timeout: timeout)
        request.headers["Accept"] = "application/json"
        request.headers["Content-Type"] = "application/json"
        // Django checks the Referer of an HTTPS POST against the site.
        request.headers["Referer"] = baseURL + "/"
        do {
            request.body = Array(try JSONCoding.encoder().encode(Body(jobId: jobID, failureClassificationId: classification, text: text)))
        } catch {
            throw .decoding(type: "TreeherderNote", field: "", message: "cannot encode: \(error)")
        }
        let cookies = try session.current(signIn: signIn)
        do {
            _ = try http.send(request.inSession(cookies))
        } catch where [401, 403].contains(error.httpStatus ?? 0) {
            session.drop(cookies)
            _ = try http.send(request.inSession(try session.current(signIn: signIn)))
        }
    }

    /// `GET /api/auth/login/` with the credentials: the cookies Treeherder set (a session and `csrftoken`).
    func signIn(_ credentials: TreeherderCredentials) throws(RemoteError) -> [String: String] {
        let url = "\(baseURL)/api/auth/login/"
        var request = HTTPRequest(.get, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        request.authorize(with: credentials.accessToken)
        request.headers[HTTPHeaders.treeherderIDToken] = credentials.idToken.revealedValue
        request.headers["Access-Token-Expires-At"] = String(try credentials.idTokenExpiry())
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            guard case .httpStatus(_, _, let status, let excerpt) = error, [401, 403].contains(status) else { throw error }
            throw .signInRefused(url: Redaction.url(url), status: status, bodyExcerpt: excerpt)
        }
        let cookies = TreeherderSession.cookies(response.headers.values(for: "Set-Cookie"))
        guard cookies[TreeherderSession.csrfCookie] != nil, cookies.count > 1 else {
            throw .decoding(type: "Treeherder sign-in", field: "Set-Cookie",
                            message: "expected a session cookie and `\(TreeherderSession.csrfCookie)`, got \(cookies.keys.sorted())")
        }
        return cookies
    }
}

extension HTTPRequest {
    /// This request with `cookies` and their CSRF token (`X-CSRFToken`, Django's header).
    func inSession(_ cookies: [String: String]) -> HTTPRequest {
        var request = self
        request.headers["Cookie"] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        request.headers[HTTPHeaders.csrfToken] = cookies[TreeherderSession.csrfCookie]
        return request
    }
}
