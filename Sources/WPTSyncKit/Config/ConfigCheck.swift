import Foundation
import HookIntake
import Remote
import RepoOps
import Store
import SyncCore

/// What `check-config` verifies beyond the file's own rules: that the repositories it names exist on
/// this machine and are of the right kind (each problem a `ConfigError` naming the key), and what
/// works but risks losing pushes (warnings).
public enum ConfigCheck {
    /// Every problem found, in the file's order; empty when the configuration can be used here.
    public static func problems(in config: Config, file: String,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> [ConfigError] {
        var problems = pushURLProblems(in: config, file: file) + approverProblems(in: config, file: file, environment: environment)
        for (index, repo) in config.gecko.enumerated() {
            switch repo.kind {
            case .hg where !isDirectory(repo.path + "/.hg"):
                problems.append(.invalid(file: file, key: "gecko[\(index)].path",
                                         reason: "is not a Mercurial repository (no \(repo.path)/.hg)"))
            case .git:
                do { _ = try GitRepository.open(at: repo.path) } catch {
                    problems.append(.invalid(file: file, key: "gecko[\(index)].path", reason: "is not a git repository (\(repo.path): \(error))"))
                }
            default: break
            }
        }
        if let wpt = config.wpt {
            do { _ = try GitRepository.open(at: wpt.path) } catch {
                problems.append(.invalid(file: file, key: "wpt.path", reason: "is not a git repository (\(wpt.path): \(error))"))
            }
        }
        return problems
    }

    /// What may lose or strand pushes although the configuration is valid, one line each: the spool on
    /// the journal's filesystem, hooks spooling for a `migrate-store`, `wait_for_metadata` without downstreaming, and repositories whose installed hook is missing, runs a
    /// `wptsync-hook` copy that is gone, or still names another configuration file or spool (set at
    /// install time: raw inputs would go to a spool nothing drains).
    public static func warnings(in config: Config, file: String) -> [String] {
        var warnings: [String] = []
        if SpoolFile(path: config.store.spool).sharesFilesystem(with: config.store.path) {
            warnings.append("warning: the spool \(config.store.spool) is on the same filesystem as the journal \(config.store.path):"
                + " when that disk is full, hooks can write neither and pushes must be replayed; put [store] spool on another filesystem")
        }
        if let marker = config.store.migrationFacts,
           let item = StoreMigration.statusItem(marker.migration, file: marker.file, live: marker.live, configured: marker.configured, defaults: marker.defaults) {
            warnings.append("warning: \(item.summary); \(item.command)")
        }
        if config.landing?.waitForMetadata == true, config.downstream?.enabled != true {
            warnings.append("warning: [landing] wait_for_metadata is on but no [downstream] computes metadata: landings never wait")
        }
        let again = "; run `wptsync install-hooks` again"
        for repository in config.gecko.map(\.path) + (config.wpt.map { [$0.path] } ?? []) {
            guard let installed = InstalledHook.read(repository: repository) else { continue }
            guard let variables = installed.variables else {
                warnings.append("warning: the wptsync hook is not installed in \(installed.file)\(again)")
                continue
            }
            for (name, wanted) in [("WPTSYNC_CONFIG", file), ("WPTSYNC_SPOOL", config.store.spool)] {
                let set = variables[name] ?? "(unset)"
                if Paths.canonical(set) != Paths.canonical(wanted) {
                    warnings.append("warning: \(installed.file) sets \(name)=\(set), but the configuration's is \(wanted)\(again)")
                }
            }
            if let hook = variables["WPTSYNC_HOOK"], !FileManager.default.isExecutableFile(atPath: hook) {
                warnings.append("warning: \(installed.file) runs \(hook), which is missing\(again)")
            }
        }
        return warnings
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Upstreaming set-ups that cannot work, and whether PRs are approved.
extension ConfigCheck {
    /// A push URL GitHub cannot open a pull request from: not `OWNER/REPO` on the configured
    /// GitHub's host, the upstream repository's owner with another name, or a local path or
    /// loopback URL while the API is a real GitHub (local ones are for a local GitHub, as in tests).
    public static func pushURLProblems(in config: Config, file: String) -> [ConfigError] {
        guard let github = config.github, let url = config.wpt?.upstreamPushURL else { return [] }
        let key = "wpt.upstream_push_url"
        let shown = Redactor.url(url)
        let host = PushTarget.gitHost(ofAPI: github.apiBaseURL)
        switch PushTarget.of(url) {
        case .local:
            guard let host else { return [] }
            return [.invalid(file: file, key: key, reason: "is a local path or loopback URL (\(shown)), from which \(host) cannot open a pull request:"
                             + " push to \(github.repository) or a fork of it on \(host)")]
        case .other:
            return [.invalid(file: file, key: key, reason: "is not a repository GitHub can open a pull request from (\(shown)):"
                             + " use https://\(host ?? "github.com")/OWNER/REPO.git or git@\(host ?? "github.com"):OWNER/REPO.git,"
                             + " \(github.repository) or a fork of it")]
        case .hosted(let urlHost, let owner, let name):
            if let host, urlHost != host {
                return [.invalid(file: file, key: key, reason: "is on \(urlHost), but `github.api` is \(host)'s: GitHub opens pull requests only from its own repositories")]
            }
            let upstream = github.repository.split(separator: "/").map { $0.lowercased() }
            if owner.lowercased() == upstream.first, name.lowercased() != upstream.last {
                return [.invalid(file: file, key: key, reason: "is \(owner)/\(name), neither \(github.repository) nor a fork of it (a fork has another owner)")]
            }
            return []
        }
    }

    /// An approver that is the bot's own account (GitHub refuses to let an account approve its own
    /// pull requests): the same token source, the same token, or, when known, the same login.
    public static func approverProblems(in config: Config, file: String, environment: [String: String],
                                        logins: (bot: String, approver: String)? = nil) -> [ConfigError] {
        guard let github = config.github, let approver = github.approverToken else { return [] }
        let key = github.approverTokenIsExplicit ? (approver.isFile ? "github.approver_token_file" : "github.approver_token_env") : "github"
        let why = ": GitHub does not let an account approve its own pull requests; give the approver a second account's token"
        if approver == github.token {
            return [.invalid(file: file, key: key, reason: "names the same token as the bot's (\(github.token))" + why)]
        }
        if let bot = try? GitHubSetup.token(github.token, environment: environment),
           let second = try? GitHubSetup.token(approver, environment: environment), bot.revealedValue == second.revealedValue {
            return [.invalid(file: file, key: key, reason: "holds the same token as the bot's (\(github.token))" + why)]
        }
        if let logins, logins.bot.lowercased() == logins.approver.lowercased() {
            return [.invalid(file: file, key: key, reason: "is a token of the bot's own account (\(logins.bot))" + why)]
        }
        return []
    }

    /// One line saying whether wptsync approves its PRs with the environment it runs in (never the token).
    public static func approvalLine(for config: Config, environment: [String: String]) -> String? {
        guard let github = config.github, config.wpt?.upstreamPushURL != nil else { return nil }
        guard let source = github.approverToken else { return "approval: PRs are not approved (no approver token)" }
        if (try? GitHubSetup.token(source, environment: environment)) != nil {
            return "approval: PRs are approved with the token from \(source)"
        }
        if github.approverTokenIsExplicit {
            return "approval: PRs cannot be approved: \(source) (`github.approver_token_*`) cannot be read here; upstream events fail until it can"
        }
        return "approval: PRs are not approved: \(source) (the default approver token) is not set here"
    }

    /// A warning when autoland's Treeherder tokens are configured but cannot be read here (the
    /// worker would not start), the id token is not a JSON Web Token with an expiry, or it has
    /// expired or expires within the hour (Treeherder then refuses the sign-in: notes are not added).
    public static func treeherderWarning(for config: Config, environment: [String: String], now: Date = Date()) -> String? {
        guard let autoland = config.autoland, autoland.treeherderAccessToken != nil else { return nil }
        do {
            guard let expiry = try AutolandWatch.credentials(autoland, environment: environment)?.idTokenExpiry() else { return nil }
            let left = Double(expiry) - now.timeIntervalSince1970
            guard left < 3600 else { return nil }
            let when = Date(timeIntervalSince1970: Double(expiry)).formatted(.iso8601)
            return "warning: autoland's Treeherder id token (`autoland.treeherder_id_token_*`) " + (left <= 0 ? "expired at \(when)" : "expires at \(when)")
                + ": Treeherder refuses the sign-in, so notes on held jobs are not added; renew both tokens and restart the worker"
        } catch {
            return "warning: autoland cannot sign in to Treeherder here (`autoland.treeherder_access_token_*`, `autoland.treeherder_id_token_*`): \(error)"
        }
    }

    /// A warning when `[serve]` is configured but `wptsync serve` could not start here: its webhook
    /// secret cannot be read.
    public static func webhookSecretWarning(for config: Config, environment: [String: String]) -> String? {
        guard config.serve.isConfigured, (try? GitHubSetup.token(config.serve.secret, environment: environment)) == nil else { return nil }
        return "warning: `wptsync serve` cannot start here: the webhook secret (\(config.serve.secret), `serve.secret_env` or `serve.secret_file`) cannot be read"
    }
}

private extension SecretSource {
    var isFile: Bool { if case .file = self { true } else { false } }
}
