/// What a configuration turns on, as `check-config` prints it: pure, from the loaded values only.
/// Secrets never appear: tokens are named by where they come from, URLs lose their userinfo and
/// secret query values (`Redactor.url`).
public enum ConfigReport {
    /// One line per part: the store, each repository and what its hook records, upstreaming, landing.
    public static func lines(_ config: Config) -> [String] {
        var lines = ["store: journal \(config.store.path), spool \(config.store.spool), hooks wait \(config.store.busyTimeoutMilliseconds) ms for a locked journal"]
        for repo in config.gecko {
            let records = !repo.enabled ? "records nothing (enabled = false)"
                : repo.kind == .git ? "records updates of the branch" : "records pushes from sources \(repo.sources.joined(separator: ","))"
            lines.append("gecko \(repo.name) (\(repo.role.rawValue)\(repo.kind == .git ? ", git branch \(repo.branch ?? "")" : "")): \(repo.path); hook \(records)"
                         + (repo.url.map { "; pushlog \(Redactor.url($0))" } ?? ""))
        }
        if let wpt = config.wpt {
            lines.append("wpt mirror: \(wpt.path); hook " + (wpt.enabled ? "records updates of \(wpt.refs.joined(separator: ", "))" : "records nothing (enabled = false)"))
        } else {
            lines.append("wpt mirror: none")
        }
        lines.append(upstreaming(config))
        lines.append(landing(config))
        lines.append(serve(config))
        if let autoland = autoland(config) { lines.append(autoland) }
        lines.append("worker: up to \(config.worker.maxAttempts) attempts, lease \(seconds(config.worker.leaseSeconds)), poll every \(seconds(config.worker.pollSeconds)), "
                     + "backoff \(seconds(config.worker.backoff.baseSeconds)) to \(seconds(config.worker.backoff.maxSeconds))")
        return lines
    }

    /// Warnings about what the configuration silently loses: a landing without `[github]` cannot
    /// tell which PR a rebase-merged commit came from.
    public static func warnings(_ config: Config) -> [String] {
        guard let landing = config.landing, landing.enabled, config.github == nil else { return [] }
        return [noGitHubForLanding]
    }

    /// The warning for a landing without `[github]`, also logged when such a landing runs.
    public static let noGitHubForLanding = "warning: [landing] is on but [github] is not configured: commits of PRs merged by rebase carry"
        + " no PR number, so they are imported as `[wpt commit <sha>]` without their PR (only merge and squash messages name it);"
        + " add [github] (a token that can read the repository is enough)"

    static func upstreaming(_ config: Config) -> String {
        guard let github = config.github, let push = config.wpt?.upstreamPushURL else {
            return "upstreaming: off (needs [github] and [wpt] upstream_push_url)"
        }
        let upstream = config.upstream
        let heads = config.pullRequestHeadOwner.map { "; PR heads \($0):gecko/… (a fork)" } ?? ""
        let checks = upstream.requiredChecks.isEmpty
            ? (upstream.mergeWithoutChecks ? "any checks (merges even when none reported)" : "every reported check, at least one")
            : upstream.requiredChecks.joined(separator: ", ")
        return "upstreaming: PRs on \(github.repository) at \(Redactor.url(github.apiBaseURL)) with the token from \(github.token), "
            + "branches pushed to \(Redactor.url(push))\(heads); label \(upstream.label); on conflict \(upstream.onConflict.rawValue); merged by \(upstream.mergeMethod) once "
            + "\(upstream.statusContext) is set and \(checks) passed; re-checked every \(seconds(upstream.recheckSeconds))"
    }

    static func landing(_ config: Config) -> String {
        guard let landing = config.landing else { return "landing: off (no [landing])" }
        guard landing.enabled else { return "landing: off (enabled = false)" }
        let tree = landing.treestatusURL.map { "Treestatus \(Redactor.url($0))" } ?? "no Treestatus check"
        let command = landing.command.map { "runs \($0.joined(separator: " ")) (timeout \(seconds(landing.commandTimeoutSeconds)))" } ?? "no command"
        let target = Redactor.url(landing.pushURL ?? config.geckoRepository(named: landing.repository)?.path ?? landing.repository)
        let delivery = landing.lando.map { lando in
            "built from \(target), submitted to Lando \(Redactor.url(lando.url)) repository \(lando.repository) with the token from \(lando.token)"
        } ?? "pushed to \(target)"
        return "landing: into \(landing.repository) (\(delivery)), "
            + "bug \(landing.bug), clone \(landing.clone), as \(landing.user); \(tree); \(command); "
            + "up to \(landing.maxPushAttempts) push attempts, retried every \(seconds(landing.retrySeconds))"
            + (landing.exclude.isEmpty ? "" : "; never imports \(landing.exclude.joined(separator: ", "))")
    }

    static func serve(_ config: Config) -> String {
        let serve = config.serve
        let reach = serve.listen.isLoopback ? "loopback only" : "reachable from other machines"
        return "serve: POST /github/webhook on \(serve.listen) (\(reach)), signed with the secret from \(serve.secret), "
            + "bodies up to \(serve.maxBodyBytes) bytes; deliveries for \(config.github?.repository ?? GitHubSettings().repository)"
    }

    static func seconds(_ value: Double) -> String {
        let text = String(value)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + " s"
    }
}
