import Foundation
import HookIntake
import Remote
import RepoOps
import SyncCore

/// What `check-config --online` verifies by talking to things: the repositories open, the URLs
/// answer, the tokens are accepted (`GET /user`) and the GitHub repository is there. Tokens are only
/// ever named by where they come from; URLs are shown redacted.
public enum ConfigOnline {
    /// One verified thing: what, and what was found or what went wrong.
    public struct Result: Sendable, Equatable {
        public var what: String
        public var ok: Bool
        public var detail: String

        public var line: String { "\(ok ? "ok" : "FAILED"): \(what): \(detail)" }
    }

    /// Every check, in the configuration's order. `http` is used for every request (no retries by default).
    public static func check(_ config: Config, file: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                             http: HTTPClient = HTTPClient(retryPolicy: .never)) -> [Result] {
        var results: [Result] = []
        func record(_ what: String, _ body: () throws -> String) {
            do { results.append(Result(what: what, ok: true, detail: try body())) } catch {
                results.append(Result(what: what, ok: false, detail: SecretRedaction.redact("\(error)")))
            }
        }
        for repo in config.gecko {
            record("gecko \(repo.name) repository") {
                if repo.kind == .git, let branch = repo.branch {
                    let git = try GitRepository.open(at: repo.path)
                    return "opens, \(branch) " + ((try git.referenceTarget(branch)).map { String($0.hex.prefix(12)) } ?? "not there yet")
                }
                let hg = try HgRepository(path: repo.path)
                defer { hg.close() }
                return "opens, tip \(try hg.node(of: "tip").prefix(12))"
            }
            if let url = repo.url { record("gecko \(repo.name) url") { try answers(url, http: http) } }
        }
        if let wpt = config.wpt {
            record("wpt mirror") {
                let git = try GitRepository.open(at: wpt.path)
                return "opens, master " + ((try git.referenceTarget("refs/heads/master")).map { String($0.hex.prefix(12)) } ?? "not there yet")
            }
            for (key, url) in [("upstream_push_url", wpt.upstreamPushURL), ("fetch_url", wpt.fetchURL)] {
                if let url { record("wpt \(key)") { try gitRemoteAnswers(url, http: http) } }
            }
        }
        if let landing = config.landing, landing.enabled {
            let integration = config.geckoRepository(named: landing.repository)
            if let push = landing.pushURL {
                record("landing push_url") { integration?.kind == .git ? try gitRemoteAnswers(push, http: http) : try hgRemoteAnswers(push, http: http) }
            }
            if let lando = landing.lando {
                record("landing lando_repo \(lando.repository) (token from \(lando.token))") {
                    try landoAnswers(lando, branch: integration?.branch, environment: environment, http: http)
                }
            }
            if let url = landing.treestatusURL {
                record("landing treestatus_url") { "answers: the tree is \(try TreestatusClient(url: url, http: http).status().status)" }
            }
        }
        if let github = config.github {
            results += gitHub(github, of: config, file: file, environment: environment, http: http)
        }
        return results
    }

    static func gitHub(_ github: GitHubSettings, of config: Config, file: String, environment: [String: String], http: HTTPClient) -> [Result] {
        let api = Redactor.url(github.apiBaseURL)
        guard let name = RepositoryName(github.repository) else {
            return [Result(what: "github repository", ok: false, detail: "\(github.repository) is not owner/name")]
        }
        var results: [Result] = []
        var client: GitHubClient?
        var logins: [String] = []
        for (label, source) in [("github token", github.token), ("github approver token", github.approverToken)] {
            guard let source else { continue }
            // The default approver variable unset means no approvals, not a failure (check-config's approval line says so).
            if label == "github approver token", !github.approverTokenIsExplicit, (try? GitHubSetup.token(source, environment: environment)) == nil { continue }
            let what = "\(label) (\(source))"
            do {
                let token = try GitHubSetup.token(source, environment: environment)
                let probe = GitHubClient(apiBaseURL: github.apiBaseURL, repository: name, token: token, http: http)
                let login = try probe.account(of: token)
                logins.append(login)
                let sameAccount = logins.count == 2
                    ? ConfigCheck.approverProblems(in: config, file: file, environment: environment, logins: (logins[0], login)).first : nil
                results.append(Result(what: what, ok: sameAccount == nil, detail: sameAccount.map { "\($0)" } ?? "accepted by \(api) as \(login)"))
                if client == nil { client = probe }
            } catch let error as RemoteError where error.httpStatus == 401 {
                results.append(Result(what: what, ok: false, detail: "\(api) refused it (HTTP 401: wrong, expired or revoked token)"))
            } catch {
                results.append(Result(what: what, ok: false, detail: SecretRedaction.redact("\(error)")))
            }
        }
        guard let client else {
            results.append(Result(what: "github repository \(github.repository)", ok: false, detail: "not checked: no usable token"))
            return results
        }
        do {
            let info = try client.repositoryInfo()
            results.append(Result(what: "github repository \(github.repository)", ok: true,
                                  detail: "found at \(api) as \(info.fullName)" + (info.defaultBranch.map { ", default branch \($0)" } ?? "")))
        } catch let error as RemoteError where error.httpStatus == 404 {
            results.append(Result(what: "github repository \(github.repository)", ok: false, detail: "\(api) has no such repository, or the token cannot see it (HTTP 404)"))
        } catch {
            results.append(Result(what: "github repository \(github.repository)", ok: false, detail: SecretRedaction.redact("\(error)")))
        }
        return results
    }

    /// Lando knows the repository, takes the token, and lands it on the integration repository's branch.
    static func landoAnswers(_ lando: LandoSettings, branch: String?, environment: [String: String], http: HTTPClient) throws -> String {
        let client = LandoClient(url: lando.url, token: try GitHubSetup.token(lando.token, environment: environment), http: http)
        let info = try client.repoInfo(lando.repository)
        if let branch, branch != "refs/heads/" + info.branchName {
            throw LandingError.notConfigured("Lando lands \(lando.repository) on branch \(info.branchName), but the integration repository's branch is \(branch)")
        }
        return "Lando \(Redactor.url(lando.url)) lands it on branch \(info.branchName) (\(info.scmLevel))"
    }

    /// An http(s) URL answers a GET with a status below 400.
    static func answers(_ url: String, http: HTTPClient) throws -> String {
        let response = try http.send(HTTPRequest(.get, url, timeout: .seconds(20)))
        guard response.status < 400 else { throw RemoteError.httpStatus(method: .get, url: url, status: response.status, bodyExcerpt: "") }
        return "answers (HTTP \(response.status))"
    }

    /// A git remote: a local repository opens; an http(s) one answers `info/refs`; ssh is not tried.
    static func gitRemoteAnswers(_ url: String, http: HTTPClient) throws -> String {
        if url.hasPrefix("http://") || url.hasPrefix("https://") {
            return try answers(url + "/info/refs?service=git-upload-pack", http: http)
        }
        if url.hasPrefix("/") || url.hasPrefix("file://") {
            _ = try GitRepository.open(at: url.hasPrefix("file://") ? String(url.dropFirst(7)) : url)
            return "a git repository (\(Redactor.url(url)))"
        }
        return "not tried (\(Redactor.url(url)): only local and http(s) remotes are checked)"
    }

    /// A Mercurial remote: a local repository opens; an http(s) one answers; ssh is not tried.
    static func hgRemoteAnswers(_ url: String, http: HTTPClient) throws -> String {
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return try answers(url, http: http) }
        if url.hasPrefix("/") {
            let hg = try HgRepository(path: url)
            hg.close()
            return "a Mercurial repository (\(url))"
        }
        return "not tried (\(Redactor.url(url)): only local and http(s) remotes are checked)"
    }
}
