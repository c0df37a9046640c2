import Foundation

/// Reviews, commit statuses and check runs.
extension GitHubClient {
    /// Approves pull request `number` as the owner of `approverToken` (GitHub refuses approvals
    /// by the pull request's author). `commitID` pins the approval to a head commit.
    ///
    /// The approver's own approval (of the same commit, when given) is adopted instead of adding
    /// another: before sending, after an unknown outcome, and again after waiting, for an answer
    /// that arrives late. Another account's approval does not count. `approverLogin` is the
    /// account of `approverToken`, asked of GitHub when not given.
    public func approve(_ number: Int, commitID: String? = nil, body: String? = nil, approverToken: Token,
                        approverLogin: String? = nil) throws(RemoteError) -> Review {
        struct Body: Encodable { var event = "APPROVE"; var commitId: String?; var body: String? }
        let login: String
        if let approverLogin { login = approverLogin } else { login = try account(of: approverToken) }
        let existing = { () throws(RemoteError) -> Review? in
            try self.reviews(number, token: approverToken).first {
                $0.user?.login == login && $0.state == "APPROVED" && (commitID == nil || $0.commitId == commitID)
            }
        }
        if let approval = try existing() { return approval }
        let post = try jsonRequest(.post, "/pulls/\(number)/reviews", Body(commitId: commitID, body: body), token: approverToken)
        do {
            return try http.sendJSON(post)
        } catch where error.isOutcomeUnknown {
            if let approval = try existing() { return approval }
            http.sleeper.sleep(for: http.retryPolicy.baseDelay)
            if let approval = try existing() { return approval }
            return try http.sendJSON(post)
        }
    }

    /// The login of the account `token` belongs to (`GET /user`).
    public func account(of token: Token) throws(RemoteError) -> String {
        var client = self
        client.token = token
        return try client.authenticatedUser().login
    }

    /// The reviews of pull request `number`, oldest first.
    public func reviews(_ number: Int, token: Token? = nil) throws(RemoteError) -> [Review] {
        try list("/pulls/\(number)/reviews", token: token)
    }

    /// Sets a commit status on `sha` (a full commit id), such as context `upstream/gecko`.
    @discardableResult
    public func setStatus(
        sha: String, state: CommitStatus.State, context: String, description: String? = nil, targetURL: String? = nil
    ) throws(RemoteError) -> CommitStatus {
        let status = CommitStatus(id: nil, state: state, context: context, description: description, targetURL: targetURL)
        // A repeated status for the same context replaces the first one: safe to resend.
        return try sendingTwiceIfUnknown(jsonRequest(.post, "/statuses/\(try commitID(sha))", status))
    }

    /// The latest status of each context for `ref` (a commit id or branch name), conditional on
    /// the ETag cache when `http` has one.
    public func combinedStatus(ref: String) throws(RemoteError) -> CombinedStatus {
        try http.sendJSON(request(.get, "/commits/\(Self.escapePath(ref))/status", query: [("per_page", "100")]))
    }

    /// All check runs for `ref` (a commit id or branch name), every page conditional on the
    /// ETag cache when `http` has one.
    public func checkRuns(ref: String) throws(RemoteError) -> [CheckRun] {
        var runs: [CheckRun] = []
        for response in try pages("/commits/\(Self.escapePath(ref))/check-runs") {
            runs += try JSONCoding.decode(CheckRunPage.self, from: response.body).checkRuns
        }
        return runs
    }

    /// Whether the checks of `ref` allow merging: failure if any check run or status failed,
    /// otherwise pending if any is unfinished or a `required` name has not reported yet,
    /// otherwise success. Statuses with a context in `ignoring` (such as our own
    /// `upstream/gecko`) are left out. With `requireAny`, a commit on which nothing has reported
    /// yet is pending rather than a success.
    public func checksVerdict(ref: String, required: Set<String> = [], ignoring: Set<String> = [],
                              requireAny: Bool = false) throws(RemoteError) -> ChecksVerdict {
        let runs = try checkRuns(ref: ref)
        let statuses = try combinedStatus(ref: ref).statuses.filter { !ignoring.contains($0.context) }
        let failed = runs.filter { $0.isCompleted && !$0.passed }.map(\.name)
            + statuses.filter { $0.state == .failure || $0.state == .error }.map(\.context)
        if !failed.isEmpty { return .failure(failed.sorted()) }
        let reported = Set(runs.map(\.name) + statuses.map(\.context))
        if requireAny && reported.isEmpty { return .pending(["(no check has reported yet)"]) }
        let pending = runs.filter { !$0.isCompleted }.map(\.name)
            + statuses.filter { $0.state == .pending }.map(\.context)
            + required.subtracting(reported)
        return pending.isEmpty ? .success : .pending(Array(Set(pending)).sorted())
    }
}
