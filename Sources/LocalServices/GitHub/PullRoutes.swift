import Foundation

/// Routing, and the pull request endpoints: list, create, get, update, merge.
extension Service {
    func route(_ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        let method = call.request.method
        let route = call.route
        let number = route.count >= 2 ? Int(route[1]) : nil
        switch (method, route.first ?? "", route.count) {
        case ("GET", "", 0): return .json(200, repositoryJSON(&state))
        case ("GET", "pulls", 1): return try listPulls(call, &state)
        case ("POST", "pulls", 1): return try createPull(call, &state)
        case ("GET", "pulls", 2):
            try noteHeadMoves(call.now, &state)
            guard let pull = pull(number, state) else { return .notFound }
            return .json(200, try pullJSON(pull, full: true, &state))
        case ("PATCH", "pulls", 2): return try updatePull(number, call, &state)
        case ("PUT", "pulls", 3) where route[2] == "merge": return try merge(number, call, &state)
        case ("GET", "pulls", 3) where route[2] == "merge":
            return pull(number, state)?.mergedAt != nil ? Response(status: 204) : .notFound
        case ("GET", "pulls", 3) where route[2] == "reviews": return listReviews(number, call, &state)
        case ("POST", "pulls", 3) where route[2] == "reviews": return try createReview(number, call, &state)
        case ("GET", "issues", 3) where route[2] == "labels": return labels(number, &state)
        case ("POST", "issues", 3) where route[2] == "labels": return addLabels(number, call, &state)
        case ("DELETE", "issues", 4) where route[2] == "labels": return removeLabel(route[3], from: number, call, &state)
        case ("POST", "statuses", 2): return createStatus(route[1], call, &state)
        case ("GET", "commits", 3...):
            let ref = route[1..<(route.count - 1)].joined(separator: "/")
            switch route.last {
            case "status": return combinedStatus(ref, call, &state)
            case "check-runs": return checkRuns(ref, call, &state)
            case "pulls": return try pullsForCommit(ref, call, &state)
            default: return .notFound
            }
        case ("DELETE", "git", 4...) where route[1] == "refs" && route[2] == "heads":
            return try deleteBranch(route[3...].joined(separator: "/"), &state)
        default: return .notFound
        }
    }

    /// Bumps the `updated_at` of open pull requests whose head branch moved since last looked at,
    /// as a push to a PR's branch does on GitHub.
    func noteHeadMoves(_ now: Date, _ state: inout State) throws(LocalServiceError) {
        let branches = try repository.branches()
        for index in state.pulls.indices where state.pulls[index].isOpen {
            let head = try liveHead(state.pulls[index], branches, state)
            if head != state.pulls[index].seenHeadSHA {
                state.pulls[index].seenHeadSHA = head
                state.pulls[index].updatedAt = now
            }
        }
    }

    /// A copy of pull request `number`, if there is one.
    func pull(_ number: Int?, _ state: State) -> PullRecord? {
        guard let number, let index = state.pullIndex(number) else { return nil }
        return state.pulls[index]
    }

    /// `GET /pulls`: filters `state` (open by default), `head` (`owner:branch`), `base`; newest first.
    private func listPulls(_ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        let query = call.request.query
        let wanted = query["state"] ?? "open"
        guard ["open", "closed", "all"].contains(wanted) else {
            return .validationFailed(resource: "Issue", field: "state", code: "invalid")
        }
        try noteHeadMoves(call.now, &state)
        var pulls = state.pulls.filter { wanted == "all" || ($0.isOpen ? "open" : "closed") == wanted }
        // GitHub ignores a head filter without the `owner:` part.
        if let head = query["head"], let colon = head.firstIndex(of: ":") {
            let (user, ref) = (head[..<colon], head[head.index(after: colon)...])
            pulls = pulls.filter { user.lowercased() == ($0.headOwner ?? owner).lowercased() && $0.headRef == ref }
        }
        if let base = query["base"] { pulls = pulls.filter { $0.baseRef == base } }
        // `sort`: created (default), updated; `direction`: desc by default. Ties keep the newest first.
        let byUpdate = query["sort"] == "updated", asc = query["direction"] == "asc"
        pulls.sort { a, b in
            let (x, y) = byUpdate ? (a.updatedAt, b.updatedAt) : (a.createdAt, b.createdAt)
            return x == y ? (asc ? a.number < b.number : a.number > b.number) : (asc ? x < y : x > y)
        }
        var items: [JSON] = []
        for pull in pulls { items.append(try pullJSON(pull, full: false, &state)) }
        let (page, headers) = paginate(items, call)
        return .json(200, .array(page), headers: headers)
    }

    private func createPull(_ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let body = call.body else { return .error(400, "Problems parsing JSON") }
        for field in ["title", "head", "base"] where body.string(field) == nil {
            return .validationFailed(field: field, code: "missing_field")
        }
        let title = body.string("title")!, base = body.string("base")!
        var head = body.string("head")!
        var headOwner: String?
        if let colon = head.firstIndex(of: ":") {
            let user = head[..<colon]
            if user.lowercased() != owner.lowercased() {
                guard let fork = forkOwner(user, state) else { return .validationFailed(field: "head", code: "invalid") }
                headOwner = fork
            }
            head = String(head[head.index(after: colon)...])
        }
        let number = (state.pulls.map(\.number).max() ?? 0) + 1
        let branches = try repository.branches()
        guard let headSHA = try liveHead(owner: headOwner, ref: head, number: number, branches: branches, state) else {
            return .validationFailed(field: "head", code: "invalid")
        }
        guard let baseSHA = branches[base] else { return .validationFailed(field: "base", code: "invalid") }
        if state.pulls.contains(where: { $0.isOpen && $0.headRef == head && $0.headOwner == headOwner && $0.baseRef == base }) {
            return .validationFailed(code: "custom", message: "A pull request already exists for \(headOwner ?? owner):\(head).")
        }
        guard try !repository.commits(from: baseSHA, to: headSHA).isEmpty else {
            return .validationFailed(code: "custom", message: "No commits between \(base) and \(head)")
        }
        let pull = PullRecord(
            number: number, id: state.newID(), title: title, body: body.string("body"), headRef: head, headOwner: headOwner, baseRef: base,
            forkPoint: repository.mergeBase(baseSHA, headSHA) ?? baseSHA, author: call.login,
            createdAt: call.now, updatedAt: call.now, seenHeadSHA: headSHA)
        state.pulls.append(pull)
        return .json(201, try pullJSON(pull, full: true, &state), headers: [("Location", "\(apiRepoURL)/pulls/\(number)")])
    }

    /// `PATCH /pulls/{n}`: title, body, state. Reopening fails, as on GitHub, when the head
    /// branch is gone or moved since the PR was closed, or another open PR has the same head.
    private func updatePull(_ number: Int?, _ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let number, let index = state.pullIndex(number) else { return .notFound }
        guard let body = call.body else { return .error(400, "Problems parsing JSON") }
        var pull = state.pulls[index]
        if let title = body.string("title") { pull.title = title }
        if body.has("body") { pull.body = body.string("body") }
        if let wanted = body.string("state") {
            guard wanted == "open" || wanted == "closed" else {
                return .validationFailed(field: "state", code: "invalid")
            }
            let branches = try repository.branches()
            if wanted == "closed" && pull.isOpen {
                pull.isOpen = false
                pull.closedAt = call.now
                pull.frozenHeadSHA = try liveHead(pull, branches, state)
            } else if wanted == "open" && !pull.isOpen {
                if pull.mergedAt != nil {
                    return .validationFailed(field: "state", code: "custom", message: "state cannot be changed. The pull request has already been merged.")
                }
                guard let current = try liveHead(pull, branches, state), current == pull.frozenHeadSHA else {
                    return .validationFailed(field: "state", code: "custom",
                        message: "state cannot be changed. The \(pull.headRef) branch was force-pushed or recreated.")
                }
                if state.pulls.contains(where: { $0.isOpen && $0.headRef == pull.headRef && $0.headOwner == pull.headOwner && $0.baseRef == pull.baseRef }) {
                    return .validationFailed(code: "custom", message: "A pull request already exists for \(pull.headOwner ?? owner):\(pull.headRef).")
                }
                pull.isOpen = true
                pull.closedAt = nil
                pull.frozenHeadSHA = nil
            }
        }
        pull.updatedAt = call.now
        state.pulls[index] = pull
        return .json(200, try pullJSON(pull, full: true, &state))
    }

    /// `PUT /pulls/{n}/merge` with `merge_method` merge, squash or rebase and optional `sha`.
    private func merge(_ number: Int?, _ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let number, let index = state.pullIndex(number) else { return .notFound }
        guard let body = call.body else { return .error(400, "Problems parsing JSON") }
        let method = body.string("merge_method") ?? "merge"
        guard ["merge", "squash", "rebase"].contains(method) else {
            return .validationFailed(resource: "PullRequest", field: "merge_method", code: "invalid")
        }
        var pull = state.pulls[index]
        let branches = try repository.branches()
        guard pull.isOpen, let headSHA = try liveHead(pull, branches, state), let baseSHA = branches[pull.baseRef],
              try isMergeable(pull, headSHA: headSHA, baseSHA: baseSHA)
        else { return .error(405, "Pull Request is not mergeable") }
        if let expected = body.string("sha"), expected != headSHA {
            return .error(409, "Head branch was modified. Review and try the merge again.")
        }
        let commits = try repository.commits(from: baseSHA, to: headSHA)
        var written: [String] = []
        switch method {
        case "rebase":
            var tip = baseSHA
            for commit in commits {
                guard let picked = try repository.cherryPick(commit, onto: tip) else {
                    return .error(405, "This branch can't be rebased")
                }
                tip = picked
                written.append(picked)
            }
        default:
            guard let tree = try repository.mergedTree(baseSHA, headSHA) else {
                return .error(405, "Pull Request is not mergeable")
            }
            let squash = method == "squash"
            let title = body.string("commit_title")
                ?? (squash ? "\(pull.title) (#\(number))" : "Merge pull request #\(number) from \(pull.headOwner ?? owner)/\(pull.headRef)")
            var details = squash ? "" : pull.title
            if squash {
                for commit in commits { details += "* " + String(decoding: try repository.message(of: commit), as: UTF8.self) }
            }
            let message = Array((title + "\n\n" + (body.string("commit_message") ?? details) + "\n").utf8)
            let parents = squash ? [baseSHA] : [baseSHA, headSHA]
            written.append(try repository.commitTree(tree: tree, parents: parents, message: message))
        }
        let result = written.last ?? baseSHA
        do {
            try repository.moveBranch(pull.baseRef, to: result, from: baseSHA)
        } catch {
            return .error(405, "Base branch was modified. Review and try the merge again.")
        }
        pull.isOpen = false
        pull.closedAt = call.now
        pull.mergedAt = call.now
        pull.updatedAt = call.now
        pull.mergedBy = call.login
        pull.mergeCommitSHA = result
        pull.frozenHeadSHA = headSHA
        pull.mergeCommits = written
        state.pulls[index] = pull
        return .json(200, .object([
            ("sha", .string(result)), ("merged", .bool(true)), ("message", .string("Pull Request successfully merged")),
        ]))
    }

    /// `GET /commits/{sha}/pulls`: pull requests that contain the commit or whose merge wrote it.
    private func pullsForCommit(_ ref: String, _ call: Call, _ state: inout State) throws(LocalServiceError) -> Response {
        guard let sha = repository.resolve(ref) else {
            return .validationFailed(resource: "Commit", field: "sha", code: "invalid", message: "No commit found for SHA: \(ref)")
        }
        let branches = try repository.branches()
        var items: [JSON] = []
        for pull in state.pulls.reversed() {
            guard let head = try headSHA(pull, branches, state) else { continue }
            let contained = pull.mergeCommits.contains(sha) ? true : try repository.commits(from: pull.forkPoint, to: head).contains(sha)
            if contained { items.append(try pullJSON(pull, full: false, &state)) }
        }
        let (page, headers) = paginate(items, call)
        return .json(200, .array(page), headers: headers)
    }
}

extension Response {
    init(status: Int) { self.init(status: status, json: nil) }
}
