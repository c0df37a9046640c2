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
