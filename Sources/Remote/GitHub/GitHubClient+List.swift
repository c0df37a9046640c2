extension GitHubClient {
    /// Every pull request of the repository in `state` (`open`, `closed` or `all`), newest first,
    /// following pagination.
    public func listPullRequests(state: String = "all") throws(RemoteError) -> [PullRequest] {
        try list("/pulls", query: [("state", state), ("sort", "created"), ("direction", "desc")])
    }

    /// The pull requests in `state` (`open`, `closed` or `all`), most recently updated first, page
    /// by page while `more` says the page just read (decoded) may be followed by wanted ones; each
    /// page conditional on the ETag cache when `http` has one. Also how many pages came from the
    /// cache (answered 304).
    public func pullRequestsByUpdate(state: String,
                                     while more: ([PullRequest]) -> Bool) throws(RemoteError) -> (pulls: [PullRequest], notModified: Int) {
        var pulls: [PullRequest] = []
        let responses = try pages("/pulls", query: [("state", state), ("sort", "updated"), ("direction", "desc")]) { response throws(RemoteError) in
            let page = try JSONCoding.decode([PullRequest].self, from: response.body)
            pulls += page
            return more(page)
        }
        return (pulls, responses.filter(\.servedFromCache).count)
    }

    /// The account the client's token belongs to (`GET /user`): whose pull requests are its own.
    public func authenticatedUser() throws(RemoteError) -> User {
        var get = request(.get, "")
        get.url = "\(apiBaseURL)/user"
        return try http.sendJSON(get)
    }
}

/// What `GET /repos/{owner}/{name}` says of the repository, as `check-config --online` shows it.
public struct RepositoryInfo: Codable, Sendable, Equatable {
    public var fullName: String
    public var defaultBranch: String?
}

extension GitHubClient {
    /// The repository itself (`GET /repos/{owner}/{name}`): whether it exists and the token sees it.
    public func repositoryInfo() throws(RemoteError) -> RepositoryInfo {
        try http.sendJSON(request(.get, ""))
    }
}
