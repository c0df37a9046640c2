/// Reads a Mercurial repository's pushlog as hg.mozilla.org serves it:
/// `GET <repository>/json-pushes?version=2&…`. Blocking and `Sendable`; retries of server errors
/// and timeouts come from `http`.
///
/// Errors: a 404 (an unknown changeset) is `RemoteError.unknownRevision` with the server's
/// `error` text; other statuses are `.httpStatus`; a body that is not the documented shape is
/// `.decoding`, naming the URL and the field.
public struct PushlogClient: Sendable {
    /// The repository URL without a trailing slash, e.g. `https://hg.mozilla.org/integration/autoland`.
    public let repositoryURL: String
    public var http: HTTPClient
    /// Pushes asked for per request when reading a range.
    public var pageSize = 200
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(60)

    public init(repositoryURL: String, http: HTTPClient = HTTPClient()) {
        self.repositoryURL = repositoryURL.hasSuffix("/") ? String(repositoryURL.dropLast()) : repositoryURL
        self.http = http
    }

    /// The `json-pushes` URL for `query`.
    public func url(_ query: PushlogQuery, full: Bool = false) -> String {
        let parameters = query.parameters(full: full)
        return "\(repositoryURL)/json-pushes?"
            + parameters.map { "\(GitHubClient.escapeQuery($0.0))=\(GitHubClient.escapeQuery($0.1))" }.joined(separator: "&")
    }

    /// One request: the pushes `query` selects, in ascending id order, and the newest push id.
    public func page(_ query: PushlogQuery, full: Bool = false) throws(RemoteError) -> PushlogPage {
        let url = url(query, full: full)
        var request = HTTPRequest(.get, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            guard case let .httpStatus(_, _, 404, excerpt) = error else { throw error }
            throw .unknownRevision(url: Redaction.url(url), serverError: PushlogDecoding.errorText(excerpt) ?? excerpt)
        }
        return try PushlogDecoding.page(response.body, source: Redaction.url(url))
    }

    /// The newest push id (0 for an empty pushlog).
    public func lastPushID() throws(RemoteError) -> Int {
        try page(.ids(after: 0, through: 0)).lastPushID
    }

    /// Pushes `ids.lowerBound` through `ids.upperBound`, in order, `pageSize` per request.
    /// Ids the pushlog does not have are simply absent; compare with `lastPushID` of a page
    /// to tell why. `onPage` sees each page as it arrives (for progress).
    public func pushes(_ ids: ClosedRange<Int>, full: Bool = false,
                       onPage: (PushlogPage) -> Void = { _ in }) throws(RemoteError) -> [Push] {
        var pushes: [Push] = []
        var after = ids.lowerBound - 1
        while after < ids.upperBound {
            let through = min(after + max(pageSize, 1), ids.upperBound)
            let page = try page(.ids(after: after, through: through), full: full)
            onPage(page)
            pushes += page.pushes.filter { $0.id > after && $0.id <= through }
            after = through
            if page.lastPushID <= through { break }
        }
        return pushes
    }
}
