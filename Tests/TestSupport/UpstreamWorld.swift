import Foundation
import LocalServices
import Remote
import SyncCore

/// A `SyncWorld` whose upstream is a local GitHub: a bare repository `upstream.git` whose master
/// holds the same wpt tree as Gecko, served over loopback.
public final class UpstreamWorld: @unchecked Sendable {
    public let world: SyncWorld
    public let github: LocalGitHub
    public var upstream: String { github.repositoryPath }
    /// Work outside the journal that `processUntilSettled` waits for after a pass: whether another
    /// pass is needed (a Lando job finished that wptsync has not read yet).
    public var moreToRead: (() throws -> Bool)?

    /// `tokens` are the GitHub and approver tokens the `wptsync` commands get (the local GitHub also
    /// keeps accepting `test-token` and `approver-token`). `store` picks the store (a new PostgreSQL
    /// database of the shared cluster for `.postgres`), unless `storeURL` names a database.
    /// `githubHost` is the address the local GitHub listens on.
    public init(extraConfig: String = "", tokens: (github: String, approver: String) = ("test-token", "approver-token"),
                geckoKind: GeckoKind = .hg, store: StoreKind = .sqlite, storeURL: String? = nil, githubHost: String = "127.0.0.1") throws {
        let dir = TempDir("upstream-world")
        let upstream = dir.sub("upstream.git")
        try sh("git", ["init", "-q", "--bare", "-b", "master", upstream])
        let seed = dir.sub("seed")
        try sh("git", ["init", "-q", "-b", "master", seed])
        try writeFile(seed + "/README.md", "wpt\n")
        try sh("git", ["add", "-A"], in: seed)
        try sh("git", ["commit", "-q", "-m", "Initial upstream"], in: seed)
        try sh("git", ["push", "-q", upstream, "master"], in: seed)
        let users = ["test-token": "wpt-sync-bot", "approver-token": "wpt-sync-approver", UpstreamWorld.personToken: "a-person"]
            .merging([tokens.github: "wpt-sync-bot"]) { $1 }.merging([tokens.approver: "wpt-sync-approver"]) { $1 }
        github = try LocalGitHub(repositoryPath: upstream, users: users, host: githubHost)
        world = try SyncWorld(extraConfig: """
            [github]
            api = "\(github.baseURL)"
            repo = "web-platform-tests/wpt"
            token_env = "WPTSYNC_TEST_GITHUB_TOKEN"

            [upstream]
            recheck_seconds = 0.001

            """ + extraConfig, upstreamURL: upstream, dir: dir, geckoKind: geckoKind, storeURL: try storeURL ?? store.newDatabaseURL())
        world.environment = ["WPTSYNC_TEST_GITHUB_TOKEN": tokens.github, "WPTSYNC_TEST_APPROVER_TOKEN": tokens.approver]
    }

    /// The token of a person (not wptsync) on the local GitHub.
    public static let personToken = "person-token"

    deinit { github.stop() }

    /// Runs `wptsync process` and returns its output (whatever its status).
    @discardableResult
    public func process() throws -> String {
        let result = try world.wptsyncResult(["process"])
        return result.stdoutString + result.stderrString
    }

    /// `git` in the upstream repository.
    public func git(_ arguments: [String]) throws -> String {
        try sh("git", ["--git-dir", upstream] + arguments)
    }
}

extension UpstreamWorld {
    /// A GitHub client acting as a person, neither of wptsync's accounts.
    public var person: GitHubClient {
        GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!, token: Token(Self.personToken))
    }

    /// Upstream master's sha.
    public func masterSHA() throws -> String {
        try git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
