extension GitHubClient {
    /// Every pull request of the repository in `state` (`open`, `closed` or `all`), newest first,
    /// following pagination.
    public func listPullRequests(state: String = "all") throws(RemoteError) -> [PullRequest] {
        try list("/pulls", query: [("state", state), ("sort", "created"), ("direction", "desc")])
    }
}
