extension GitHubClient {
    /// Every pull request of the repository in `state` (`open`, `closed` or `all`), newest first,
    /// following pagination.
    public func listPullRequests(state: String = "all") throws(RemoteError) -> [PullRequest] {
        try list("/pulls", query: [("state", state), ("sort", "created"), ("direction", "desc")])
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
