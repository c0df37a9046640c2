import Foundation

/// The JSON shapes of GitHub's REST API (version 2022-11-28), for the fields wptsync and common
/// clients read. Node ids are made up; URLs point at this server.
extension Service {
    func userJSON(_ login: String, _ state: inout State) -> JSON {
        let id = state.userID(login)
        return .object([
            ("login", .string(login)), ("id", .int(id)), ("node_id", .string("U_local\(id)")),
            ("avatar_url", .string("\(baseURL)/avatars/\(login)")), ("gravatar_id", .string("")),
            ("url", .string("\(baseURL)/users/\(login)")), ("html_url", .string("\(baseURL)/\(login)")),
            ("type", .string(login.hasSuffix("[bot]") ? "Bot" : "User")), ("site_admin", .bool(false)),
        ])
    }

    func repositoryJSON(_ state: inout State) -> JSON {
        .object([
            ("id", .int(1)), ("node_id", .string("R_local1")), ("name", .string(name)),
            ("full_name", .string("\(owner)/\(name)")), ("private", .bool(false)),
            ("owner", userJSON(owner, &state)), ("html_url", .string(htmlRepoURL)),
            ("description", .null), ("fork", .bool(false)), ("url", .string(apiRepoURL)),
            ("default_branch", .string(defaultBranch)),
        ])
    }

    func labelJSON(_ label: String, _ state: inout State) -> JSON {
        let id = state.labelIDs[label] ?? 0
        return .object([
            ("id", .int(id)), ("node_id", .string("LA_local\(id)")),
            ("url", .string("\(apiRepoURL)/labels/\(Self.encode(label))")), ("name", .string(label)),
            ("color", .string("ededed")), ("default", .bool(false)), ("description", .null),
        ])
    }

    /// A pull request; `full` adds the fields only `GET /pulls/{n}` (and create, update) return.
    func pullJSON(_ pull: PullRecord, full: Bool, _ state: inout State) throws(LocalServiceError) -> JSON {
        let branches = try repository.branches()
        let headSHA = try headSHA(pull, branches, state) ?? ""
        let baseSHA = branches[pull.baseRef] ?? ""
        let url = "\(apiRepoURL)/pulls/\(pull.number)"
        let html = "\(htmlRepoURL)/pull/\(pull.number)"
        func end(_ ref: String, _ sha: String, fork: String? = nil) -> JSON {
            .object([("label", .string("\(fork ?? owner):\(ref)")), ("ref", .string(ref)), ("sha", .string(sha)),
                     ("user", userJSON(fork ?? owner, &state)), ("repo", fork.map { forkJSON($0, &state) } ?? repositoryJSON(&state))])
        }
        var members: [(String, JSON)] = [
            ("url", .string(url)), ("id", .int(pull.id)), ("node_id", .string("PR_local\(pull.id)")),
            ("html_url", .string(html)), ("diff_url", .string("\(html).diff")), ("patch_url", .string("\(html).patch")),
            ("issue_url", .string("\(apiRepoURL)/issues/\(pull.number)")),
            ("commits_url", .string("\(url)/commits")), ("review_comments_url", .string("\(url)/comments")),
            ("review_comment_url", .string("\(apiRepoURL)/pulls/comments{/number}")),
            ("comments_url", .string("\(apiRepoURL)/issues/\(pull.number)/comments")),
            ("statuses_url", .string("\(apiRepoURL)/statuses/\(headSHA)")),
            ("number", .int(pull.number)), ("state", .string(pull.isOpen ? "open" : "closed")),
            ("locked", .bool(false)), ("title", .string(pull.title)), ("user", userJSON(pull.author, &state)),
            ("body", .optional(pull.body)), ("labels", .array(pull.labels.map { labelJSON($0, &state) })),
            ("milestone", .null), ("active_lock_reason", .null),
            ("created_at", .string(timestamp(pull.createdAt))), ("updated_at", .string(timestamp(pull.updatedAt))),
            ("closed_at", .optional(pull.closedAt.map(timestamp))), ("merged_at", .optional(pull.mergedAt.map(timestamp))),
            ("merge_commit_sha", .optional(pull.mergeCommitSHA)), ("assignee", .null), ("assignees", .array([])),
            ("requested_reviewers", .array([])), ("requested_teams", .array([])),
            ("head", end(pull.headRef, headSHA, fork: pull.headOwner)), ("base", end(pull.baseRef, baseSHA)),
            ("_links", .object([
                ("self", .object([("href", .string(url))])), ("html", .object([("href", .string(html))])),
                ("statuses", .object([("href", .string("\(apiRepoURL)/statuses/\(headSHA)"))])),
            ])),
            ("author_association", .string("MEMBER")), ("auto_merge", .null), ("draft", .bool(false)),
        ]
        if full {
            let mergeable = pull.isOpen ? try isMergeable(pull, headSHA: headSHA, baseSHA: baseSHA) : nil
            let commits = headSHA.isEmpty ? [] : try repository.commits(from: pull.forkPoint, to: headSHA)
            members += [
                ("merged", .bool(pull.mergedAt != nil)), ("mergeable", .optional(mergeable)),
                ("rebaseable", .optional(mergeable)),
                ("mergeable_state", .string(mergeableState(pull, mergeable: mergeable, headSHA: headSHA, state))),
                ("merged_by", pull.mergedBy.map { userJSON($0, &state) } ?? .null),
                ("comments", .int(0)), ("review_comments", .int(0)), ("maintainer_can_modify", .bool(false)),
                ("commits", .int(commits.count)), ("additions", .int(0)), ("deletions", .int(0)),
                ("changed_files", .int(0)),
            ]
        }
        return .object(members)
    }

    /// Whether the head merges cleanly into the base, unless a test forced the answer.
    func isMergeable(_ pull: PullRecord, headSHA: String, baseSHA: String) throws(LocalServiceError) -> Bool {
        if let forced = pull.mergeableOverride, pull.mergeableOverrideHead.map({ $0 == headSHA }) ?? true { return forced }
        guard !headSHA.isEmpty, !baseSHA.isEmpty else { return false }
        return try repository.mergedTree(baseSHA, headSHA) != nil
    }

    /// GitHub's summary: `dirty` (conflicts), `unstable` (checks not all green), `clean`, or
    /// `unknown` for closed pull requests.
    private func mergeableState(_ pull: PullRecord, mergeable: Bool?, headSHA: String, _ state: State) -> String {
        guard let mergeable else { return "unknown" }
        guard mergeable else { return "dirty" }
        let runs = state.checkRuns.filter { $0.sha == headSHA }
        return runs.allSatisfy({ $0.state == .success }) ? "clean" : "unstable"
    }

    func statusJSON(_ status: StatusRecord, _ state: inout State) -> JSON {
        .object([
            ("url", .string("\(apiRepoURL)/statuses/\(status.sha)")),
            ("avatar_url", .string("\(baseURL)/avatars/\(status.creator)")),
            ("id", .int(status.id)), ("node_id", .string("SC_local\(status.id)")),
            ("state", .string(status.state)), ("description", .optional(status.description)),
            ("target_url", .optional(status.targetURL)), ("context", .string(status.context)),
            ("created_at", .string(timestamp(status.createdAt))), ("updated_at", .string(timestamp(status.createdAt))),
            ("creator", userJSON(status.creator, &state)),
        ])
    }

    func checkRunJSON(_ run: CheckRunRecord) -> JSON {
        .object([
            ("id", .int(run.id)), ("head_sha", .string(run.sha)), ("node_id", .string("CR_local\(run.id)")),
            ("external_id", .string("")), ("url", .string("\(apiRepoURL)/check-runs/\(run.id)")),
            ("html_url", .string("\(htmlRepoURL)/runs/\(run.id)")), ("details_url", .string("\(htmlRepoURL)/runs/\(run.id)")),
            ("status", .string(run.state.status)), ("conclusion", .optional(run.state.conclusion)),
            ("started_at", .string(timestamp(run.startedAt))),
            ("completed_at", .optional(run.completedAt.map(timestamp))),
            ("output", .object([("title", .null), ("summary", .null), ("text", .null),
                                ("annotations_count", .int(0)),
                                ("annotations_url", .string("\(apiRepoURL)/check-runs/\(run.id)/annotations"))])),
            ("name", .string(run.name)), ("check_suite", .object([("id", .int(run.id))])), ("app", .null),
            ("pull_requests", .array([])),
        ])
    }

    func reviewJSON(_ review: ReviewRecord, _ state: inout State) -> JSON {
        let html = "\(htmlRepoURL)/pull/\(review.pull)#pullrequestreview-\(review.id)"
        return .object([
            ("id", .int(review.id)), ("node_id", .string("PRR_local\(review.id)")), ("user", userJSON(review.user, &state)),
            ("body", .string(review.body)), ("state", .string(review.state)), ("html_url", .string(html)),
            ("pull_request_url", .string("\(apiRepoURL)/pulls/\(review.pull)")),
            ("author_association", .string("MEMBER")),
            ("_links", .object([("html", .object([("href", .string(html))])),
                                ("pull_request", .object([("href", .string("\(apiRepoURL)/pulls/\(review.pull)"))]))])),
            ("submitted_at", .string(timestamp(review.submittedAt))), ("commit_id", .string(review.commitID)),
        ])
    }
}
