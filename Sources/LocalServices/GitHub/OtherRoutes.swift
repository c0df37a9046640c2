import Foundation

/// Reviews, labels, commit statuses, check runs and branch deletion.
extension Service {
    func listReviews(_ number: Int?, _ call: Call, _ state: inout State) -> Response {
        guard pull(number, state) != nil else { return .notFound }
        let items = state.reviews.filter { $0.pull == number }.map { reviewJSON($0, &state) }
        let (page, headers) = paginate(items, call)
        return .json(200, .array(page), headers: headers)
    }

    /// `POST /pulls/{n}/reviews` with `event` APPROVE, REQUEST_CHANGES or COMMENT (none: pending).
    /// As on GitHub, nobody can approve their own pull request.
    func createReview(_ number: Int?, _ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let pull = pull(number, state) else { return .notFound }
        guard let body = call.body else { return .error(400, "Problems parsing JSON") }
        let event = body.string("event")
        let states = ["APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"]
        if let event, states[event] == nil { return .validationFailed(resource: "PullRequestReview", field: "event", code: "invalid") }
        if event == "APPROVE" && pull.author == call.login {
            return .error(422, "Unprocessable Entity", errors: [.string("Can not approve your own pull request")])
        }
        let text = body.string("body") ?? ""
        if (event == "REQUEST_CHANGES" || event == "COMMENT") && text.isEmpty {
            return .error(422, "Unprocessable Entity", errors: [.string("Review Can not be empty")])
        }
        let branches = try repository.branches()
        let head = try headSHA(pull, branches, state) ?? ""
        let review = ReviewRecord(
            id: state.newID(), pull: pull.number, user: call.login, state: event.flatMap { states[$0] } ?? "PENDING",
            body: text, commitID: body.string("commit_id") ?? head, submittedAt: call.now)
        state.reviews.append(review)
        if review.state != "PENDING", let index = state.pullIndex(pull.number) { state.pulls[index].updatedAt = call.now }
        return .json(200, reviewJSON(review, &state))
    }

    func labels(_ number: Int?, _ state: inout State) -> Response {
        guard let pull = pull(number, state) else { return .notFound }
        return .json(200, .array(pull.labels.map { labelJSON($0, &state) }))
    }

    /// `POST /issues/{n}/labels` with `{"labels": [...]}` (or a bare array): answers every label now on it.
    func addLabels(_ number: Int?, _ call: Call, _ state: inout State) -> Response {
        guard let number, let index = state.pullIndex(number) else { return .notFound }
        let bare = (try? JSONSerialization.jsonObject(with: Data(call.request.body))) as? [String]
        guard let names = bare ?? call.body?.strings("labels") else {
            return .validationFailed(resource: "Label", field: "labels", code: "invalid")
        }
        for name in names {
            if state.labelIDs[name] == nil { state.labelIDs[name] = state.newID() }
            if !state.pulls[index].labels.contains(name) {
                state.pulls[index].labels.append(name)
                state.pulls[index].updatedAt = call.now
            }
        }
        return .json(200, .array(state.pulls[index].labels.map { labelJSON($0, &state) }))
    }

    /// `DELETE /issues/{n}/labels/{name}`: answers the labels left; 404 "Label does not exist" when
    /// the pull request does not carry it.
    func removeLabel(_ name: String, from number: Int?, _ call: Call, _ state: inout State) -> Response {
        guard let number, let index = state.pullIndex(number) else { return .notFound }
        guard let position = state.pulls[index].labels.firstIndex(of: name) else { return .error(404, "Label does not exist") }
        state.pulls[index].labels.remove(at: position)
        state.pulls[index].updatedAt = call.now
        return .json(200, .array(state.pulls[index].labels.map { labelJSON($0, &state) }))
    }

    /// `POST /statuses/{sha}` with `state`, `context` (default "default"), `description`, `target_url`.
    func createStatus(_ sha: String, _ call: Call, _ state: inout State) -> Response {
        guard let body = call.body else { return .error(400, "Problems parsing JSON") }
        guard let resolved = resolveInNetwork(sha, state), resolved == sha else {
            return .error(422, "No commit found for SHA: \(sha)")
        }
        guard let value = body.string("state"), ["error", "failure", "pending", "success"].contains(value) else {
            return .validationFailed(resource: "Status", field: "state", code: "custom",
                                     message: "state is not included in the list")
        }
        let status = StatusRecord(
            id: state.newID(), sha: sha, state: value, context: body.string("context") ?? "default",
            description: body.string("description"), targetURL: body.string("target_url"),
            creator: call.login, createdAt: call.now)
        state.statuses.append(status)
        return .json(201, statusJSON(status, &state), headers: [("Location", "\(apiRepoURL)/statuses/\(sha)")])
    }

    /// `GET /commits/{ref}/status`: the latest status per context and their combined state.
    func combinedStatus(_ ref: String, _ call: Call, _ state: inout State) -> Response {
        guard let sha = resolveInNetwork(ref, state) else { return .error(404, "No commit found for SHA: \(ref)") }
        var latest: [StatusRecord] = []
        for status in state.statuses.reversed() where status.sha == sha && !latest.contains(where: { $0.context == status.context }) {
            latest.append(status)
        }
        let states = Set(latest.map(\.state))
        let combined = states.contains("error") || states.contains("failure") ? "failure"
            : latest.isEmpty || states.contains("pending") ? "pending" : "success"
        let (page, _) = paginate(latest.map { statusJSON($0, &state) }, call)
        return .json(200, .object([
            ("state", .string(combined)), ("statuses", .array(page)), ("sha", .string(sha)),
            ("total_count", .int(latest.count)), ("repository", repositoryJSON(&state)),
            ("commit_url", .string("\(apiRepoURL)/commits/\(sha)")),
            ("url", .string("\(apiRepoURL)/commits/\(sha)/status")),
        ]))
    }

    /// `GET /commits/{ref}/check-runs`, filtered by `check_name` and `status`.
    func checkRuns(_ ref: String, _ call: Call, _ state: inout State) -> Response {
        guard let sha = resolveInNetwork(ref, state) else { return .error(404, "No commit found for SHA: \(ref)") }
        let query = call.request.query
        let runs = state.checkRuns.filter { run in
            run.sha == sha && query["check_name"].map { $0 == run.name } ?? true
                && query["status"].map { $0 == run.state.status } ?? true
        }
        let (page, headers) = paginate(runs.map(checkRunJSON), call)
        return .json(200, .object([("total_count", .int(runs.count)), ("check_runs", .array(page))]), headers: headers)
    }

    /// `DELETE /git/refs/heads/{branch}`: 204, or 422 "Reference does not exist". Open pull
    /// requests from the branch are closed, as GitHub does.
    func deleteBranch(_ branch: String, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let sha = try repository.branches()[branch] else { return .error(422, "Reference does not exist") }
        try repository.deleteBranch(branch)
        for index in state.pulls.indices where state.pulls[index].isOpen && state.pulls[index].headRef == branch && state.pulls[index].headOwner == nil {
            state.pulls[index].isOpen = false
            state.pulls[index].closedAt = now()
            state.pulls[index].frozenHeadSHA = sha
        }
        return Response(status: 204)
    }
}
