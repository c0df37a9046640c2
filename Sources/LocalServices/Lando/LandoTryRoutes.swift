import Foundation
import SyncCore

/// Lando's try API (`try_api/api.py`) and the landing job view (`api/legacy/api/landing_jobs.py`):
///
/// - `POST /api/try/patches` (`Authorization: Bearer <headless API token>`, else 401) with
///   `{"repo_name" (default "try"), "base_commit" (40 hex), "base_commit_vcs" ("git"|"hg", default
///   "hg"), "patch_format", "patches": [base64]}` → 201 `{"id"}`; 422 for a body of the wrong shape;
///   problem details (`{"title", "detail", "status", "type"}`) 400 for an unknown or non-try
///   repository, a base commit the commit map cannot convert, undecodable patches; 403 without the
///   repository's permission. This stand-in applies `git-format-patch` only (400 for `hgexport`).
/// - `GET /landing_jobs/<id>/` → `{"id", "status", "error", "commit_id", "requester",
///   "repository", "created_at", "updated_at", "revisions", "url"}`, or a 404 problem.
extension LandoService {
    func tryRoute(_ request: ServerRequest, _ parts: [String], _ state: inout LandoState) -> ServerReply? {
        switch (request.method, parts) {
        case ("POST", ["api", "try", "patches"]): return submitTry(request, &state)
        case ("GET", let p) where p.count == 2 && p[0] == "landing_jobs" && request.path.hasSuffix("/"):
            guard let id = Int(p[1]) else { return Self.notFoundPage }
            guard let job = state.jobs.first(where: { $0.id == id && $0.base != nil }) else {
                return Self.problem(404, "Landing job not found", "A landing job with ID \(id) was not found.")
            }
            return Self.json(200, landingJob(job, state))
        default: return nil
        }
    }

    private func submitTry(_ request: ServerRequest, _ state: inout LandoState) -> ServerReply {
        guard let value = request.header("Authorization"), value.hasPrefix("Bearer "),
              let user = state.users[String(value.dropFirst("Bearer ".count))] else {
            return Self.json(401, .object([("detail", .string("Unauthorized"))]))
        }
        let body: TryBody
        switch TryBody.parse(request.body) {
        case .failure(let problem): return problem.reply
        case .success(let parsed): body = parsed
        }
        guard let repo = state.repositories[body.repo] else {
            return Self.problem(400, "Repository not found", "Repo \(body.repo) does not exist.")
        }
        guard repo.isTry else { return Self.problem(400, "Not a Try repository", "Repo \(body.repo) is not a Try repository.") }
        guard user.permissions.contains(repo.requiredPermission) else {
            return Self.problem(403, "Forbidden", "Missing permissions: \(repo.requiredPermission)")
        }
        var base = body.base
        if body.baseVCS != (repo.isGit ? "git" : "hg") {
            let found = state.mappings(repo: repo.gitRepoName, hash: base, fromGit: body.baseVCS == "git")
            guard found.count == 1 else {
                return Self.problem(400, "Error converting SCM commit IDs", "Could not determine the equivalent base commit for "
                                    + "\(base) in \(repo.isGit ? "git" : "hg") for \(repo.gitRepoName). Please try again later.")
            }
            base = body.baseVCS == "git" ? found[0].hg : found[0].git
        }
        guard body.format == "git-format-patch" else {
            return Self.problem(400, "Invalid patch data", "The local Lando applies git-format-patch patches only, not \(body.format).")
        }
        for (number, patch) in body.patches.enumerated() {
            guard let bytes = Data(base64Encoded: patch) else {
                return Self.problem(400, "Invalid base64 patch data", "Invalid base64 data for patch \(number)")
            }
            guard bytes.starts(with: Data("From ".utf8)) else {
                return Self.problem(400, "Invalid patch data", "Invalid patch data for patch \(number)")
            }
        }
        var job = LandoJob(id: state.jobs.count + 1, repository: repo.name, requester: user.email,
                           actions: body.patches.map { .addCommitBase64(content: $0) }, createdAt: Date())
        job.base = base
        state.jobs.append(job)
        return Self.json(201, .object([("id", .int(job.id))]))
    }

    /// `LandingJob.to_dict()`.
    private func landingJob(_ job: LandoJob, _ state: LandoState) -> JSON {
        let created = job.createdAt.formatted(.iso8601)
        let updated = (job.lastAttempt ?? job.createdAt).formatted(.iso8601)
        return .object([
            ("commit_id", job.landedCommit.map(JSON.string) ?? .null), ("created_at", .string(created)), ("error", .string(job.error)),
            ("id", .int(job.id)), ("requester", .string(job.requester)), ("status", .string(job.status.rawValue)),
            ("updated_at", .string(updated)), ("repository", .string(job.repository)), ("revisions", .array([])),
            ("url", .string("\(siteURL.withLock { $0 })/landings/\(job.id)")),
        ])
    }

    /// Lando's `ProblemDetail` (`application/problem+json`).
    static func problem(_ status: Int, _ title: String, _ detail: String) -> ServerReply {
        let type = [400, 403, 404].contains(status) ? "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/\(status)" : "about:blank"
        let body = JSON.object([("title", .string(title)), ("status", .int(status)), ("detail", .string(detail)), ("type", .string(type))])
        return .respond(status: status, headers: [("Content-Type", "application/problem+json")], body: Array(body.serialized().utf8))
    }
}

/// `PatchesRequest`, validated as Ninja does (422 with the field's location).
private struct TryBody {
    var repo: String
    var base: String
    var baseVCS: String
    var patches: [String]
    var format: String

    static func parse(_ body: [UInt8]) -> Result<TryBody, ProblemReply> {
        func invalid(_ type: String, _ field: String?, _ message: String) -> Result<TryBody, ProblemReply> {
            let location: [JSON] = [.string("body"), .string("patches_request")] + (field.map { [.string($0)] } ?? [])
            return .failure(ProblemReply(reply: LandoService.json(422, .object([("detail", .array([.object([
                ("type", .string(type)), ("loc", .array(location)), ("msg", .string(message))])]))]))))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return invalid("model_attributes_type", nil, "Input should be a valid dictionary or object to extract fields from")
        }
        guard let base = object["base_commit"] as? String else { return invalid("missing", "base_commit", "Field required") }
        guard base.count == 40, base.allSatisfy({ "0123456789abcdef".contains($0) }) else {
            return invalid("string_pattern_mismatch", "base_commit", "String should match pattern '^[0-9a-f]{40}$'")
        }
        let vcs = object["base_commit_vcs"] as? String ?? "hg"
        guard ["git", "hg"].contains(vcs) else { return invalid("enum", "base_commit_vcs", "Input should be 'git' or 'hg'") }
        guard let patches = object["patches"] as? [String] else { return invalid("missing", "patches", "Field required") }
        guard let format = object["patch_format"] as? String else { return invalid("missing", "patch_format", "Field required") }
        guard ["hgexport", "git-format-patch"].contains(format) else {
            return invalid("enum", "patch_format", "Input should be 'hgexport' or 'git-format-patch'")
        }
        let repo = object["repo_name"] as? String ?? "try"
        return .success(TryBody(repo: repo, base: base, baseVCS: vcs, patches: patches, format: format))
    }
}

extension LandoWorker {
    /// A try job's base commit in the try repository, fetched from its `pullPath` when missing.
    func tryBase(_ base: String, _ repo: LandoRepository, _ bare: BareRepository) throws(LocalServiceError) -> String? {
        if let found = bare.resolve(base) { return found }
        guard let pull = repo.pullPath else { return nil }
        _ = try bare.run(["fetch", "--quiet", "--no-tags", "--", pull, "+refs/heads/*:refs/lando/pull/*"])
        return bare.resolve(base)
    }

    /// Moves a try repository's branch to `tip` wherever it was (`force_push`), by a push into it, so its hooks run.
    func forcePush(_ tip: String, to repo: LandoRepository, _ bare: BareRepository) throws(LocalServiceError) {
        let output = try bare.run(["push", "--quiet", "--force", "--", repo.path, "\(tip):refs/heads/\(repo.branch)"])
        guard output.status == 0 else { throw .git("push to \(repo.path) failed: \(output.stderrString)") }
    }
}

extension LocalLando {
    /// Serves `repository` too (its bare repository must exist), e.g. a try repository made after
    /// Lando started.
    public func addRepository(_ repository: LandoRepository) {
        service.state.withLock { state in
            state.repositories[repository.name] = repository
            if state.trees[repository.tree] == nil { state.trees[repository.tree] = LandoTree() }
        }
    }
}
