/// Forks: pull requests whose head is `owner:branch` of another account's copy of the repository.
extension Service {
    /// The commit `branch` of the head repository (this one when `headOwner` is nil, else that
    /// account's fork) points at now. A fork's commit is fetched into this repository as
    /// `refs/pull/<number>/head`, as GitHub keeps it, so it can be listed, compared and merged.
    func liveHead(owner headOwner: String?, ref branch: String, number: Int, branches: [String: String],
                  _ state: State) throws(LocalServiceError) -> String? {
        guard let headOwner else { return branches[branch] }
        guard let fork = state.forks[headOwner], let sha = try BareRepository(path: fork).branches()[branch] else { return nil }
        if repository.resolve(sha) == nil || repository.resolve("refs/pull/\(number)/head") != sha {
            try repository.git(["fetch", "--quiet", "--no-tags", fork, "+refs/heads/\(branch):refs/pull/\(number)/head"])
        }
        return sha
    }

    /// `liveHead` of a pull request.
    func liveHead(_ pull: PullRecord, _ branches: [String: String], _ state: State) throws(LocalServiceError) -> String? {
        try liveHead(owner: pull.headOwner, ref: pull.headRef, number: pull.number, branches: branches, state)
    }

    /// The head a pull request shows: the one it was closed or merged with, else `liveHead`.
    func headSHA(_ pull: PullRecord, _ branches: [String: String], _ state: State) throws(LocalServiceError) -> String? {
        if let frozen = pull.frozenHeadSHA { return frozen }
        return try liveHead(pull, branches, state)
    }

    /// The commit `ref` names, as GitHub resolves it across the fork network: a commit id pushed
    /// to a fork only is fetched in (its branches as `refs/forks/<owner>/…`) when this repository lacks it.
    func resolveInNetwork(_ ref: String, _ state: State) -> String? {
        if let sha = repository.resolve(ref) { return sha }
        guard ref.count == 40, ref.allSatisfy(\.isHexDigit) else { return nil }
        for (owner, fork) in state.forks.sorted(by: { $0.key < $1.key }) where BareRepository(path: fork).resolve(ref) != nil {
            _ = try? repository.git(["fetch", "--quiet", "--no-tags", fork, "+refs/heads/*:refs/forks/\(owner)/*"])
            return repository.resolve(ref)
        }
        return nil
    }

    /// The fork `login` owns, as the service knows it (GitHub logins are case-insensitive); nil if none.
    func forkOwner(_ login: Substring, _ state: State) -> String? {
        state.forks.keys.first { $0.lowercased() == login.lowercased() }
    }

    /// A fork of the served repository, for a pull request's `head.repo`.
    func forkJSON(_ forkOwner: String, _ state: inout State) -> JSON {
        .object([
            ("id", .int(state.userID("repo:" + forkOwner))), ("node_id", .string("R_local_\(forkOwner)")), ("name", .string(name)),
            ("full_name", .string("\(forkOwner)/\(name)")), ("private", .bool(false)),
            ("owner", userJSON(forkOwner, &state)), ("html_url", .string("\(baseURL)/\(forkOwner)/\(name)")),
            ("description", .null), ("fork", .bool(true)), ("url", .string("\(baseURL)/repos/\(forkOwner)/\(name)")),
            ("default_branch", .string(defaultBranch)),
        ])
    }
}
