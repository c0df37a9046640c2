import HookIntake
import SyncCore
import Testing
import WPTSyncKit

/// What `check-config` refuses about upstreaming, and the approval line it prints.
@Suite("check-config: push URL and approver")
struct UpstreamConfigCheckTests {
    func config(push: String, api: String = "https://api.github.com", extra: String = "") throws -> Config {
        try ConfigLoader.parse("""
            [wpt]
            path = "/repos/wpt.git"
            upstream_push_url = "\(push)"
            fetch_url = "https://github.com/web-platform-tests/wpt.git"
            [github]
            api = "\(api)"
            \(extra)
            """, file: "/etc/wptsync.toml", baseDirectory: "/etc")
    }

    func pushProblems(_ push: String, api: String = "https://api.github.com") throws -> [String] {
        ConfigCheck.pushURLProblems(in: try config(push: push, api: api), file: "/etc/wptsync.toml").map(\.description)
    }

    @Test func pushURLsGitHubCanOpenAPullRequestFromPass() throws {
        for url in ["git@github.com:web-platform-tests/wpt.git", "https://github.com/web-platform-tests/wpt",
                    "ssh://git@github.com/wpt-sync-bot/wpt.git", "https://x-access-token@github.com/wpt-sync-bot/wpt.git"] {
            #expect(try pushProblems(url).isEmpty, "\(url)")
        }
        #expect(try pushProblems("https://ghe.example.com/wpt-sync-bot/wpt.git", api: "https://ghe.example.com/api/v3").isEmpty)
        // A local GitHub on loopback, as the tests and the demo use it.
        #expect(try pushProblems("/tmp/upstream.git", api: "http://127.0.0.1:8080").isEmpty)
    }

    @Test func pushURLsGitHubCannotOpenAPullRequestFromAreRefused() throws {
        #expect(try pushProblems("https://gitlab.com/someone/wpt.git")
                == ["/etc/wptsync.toml: `wpt.upstream_push_url` is on gitlab.com, but `github.api` is github.com's: GitHub opens pull requests only from its own repositories"])
        #expect(try pushProblems("/srv/wpt.git").first?.contains("`wpt.upstream_push_url` is a local path or loopback URL (/srv/wpt.git), from which github.com cannot open a pull request") == true)
        #expect(try pushProblems("https://github.com/web-platform-tests/wpt-mirror.git").first?.contains("neither web-platform-tests/wpt nor a fork of it") == true)
        #expect(try pushProblems("https://github.com/only-an-owner").first?.contains("is not a repository GitHub can open a pull request from") == true)
    }

    @Test func aForksOwnerComesFromTheURLOrTheSetting() throws {
        #expect(try config(push: "git@github.com:wpt-sync-bot/wpt.git").pullRequestHeadOwner == "wpt-sync-bot")
        #expect(try config(push: "https://github.com/Web-Platform-Tests/wpt.git").pullRequestHeadOwner == nil)
        #expect(try config(push: "/tmp/fork.git", api: "http://127.0.0.1:1").pullRequestHeadOwner == nil)
        let local = try ConfigLoader.parse("""
            [wpt]
            path = "/repos/wpt.git"
            upstream_push_url = "/tmp/fork.git"
            fetch_url = "/tmp/upstream.git"
            fork_owner = "wpt-sync-bot"
            [github]
            """, file: "/etc/wptsync.toml", baseDirectory: "/etc")
        #expect(local.pullRequestHeadOwner == "wpt-sync-bot")
    }

    @Test func theBotApprovingItsOwnPullRequestsIsRefused() throws {
        let same = try config(push: "git@github.com:web-platform-tests/wpt.git", extra: "approver_token_env = \"WPTSYNC_GITHUB_TOKEN\"")
        #expect(ConfigCheck.approverProblems(in: same, file: "/etc/wptsync.toml", environment: [:]).map(\.description)
                == ["/etc/wptsync.toml: `github.approver_token_env` names the same token as the bot's (environment variable WPTSYNC_GITHUB_TOKEN):"
                    + " GitHub does not let an account approve its own pull requests; give the approver a second account's token"])
        let plain = try config(push: "git@github.com:web-platform-tests/wpt.git")
        let sameValue = ["WPTSYNC_GITHUB_TOKEN": "ghp_secret1", "WPTSYNC_APPROVER_TOKEN": "ghp_secret1"]
        let problems = ConfigCheck.approverProblems(in: plain, file: "/etc/wptsync.toml", environment: sameValue).map(\.description)
        #expect(problems.count == 1 && problems[0].contains("holds the same token as the bot's") && !problems[0].contains("ghp_secret1"))
        #expect(ConfigCheck.approverProblems(in: plain, file: "f", environment: ["WPTSYNC_GITHUB_TOKEN": "a", "WPTSYNC_APPROVER_TOKEN": "b"]).isEmpty)
        #expect(ConfigCheck.approverProblems(in: plain, file: "f", environment: [:], logins: ("wpt-sync-bot", "WPT-sync-bot")).count == 1)
    }

    @Test func theApprovalLineSaysWhetherPullRequestsAreApprovedWithoutTheToken() throws {
        let plain = try config(push: "git@github.com:web-platform-tests/wpt.git")
        #expect(ConfigCheck.approvalLine(for: plain, environment: ["WPTSYNC_APPROVER_TOKEN": "ghp_approver"])
                == "approval: PRs are approved with the token from environment variable WPTSYNC_APPROVER_TOKEN")
        #expect(ConfigCheck.approvalLine(for: plain, environment: [:])
                == "approval: PRs are not approved: environment variable WPTSYNC_APPROVER_TOKEN (the default approver token) is not set here")
        let named = try config(push: "git@github.com:web-platform-tests/wpt.git", extra: "approver_token_env = \"APPROVER\"")
        #expect(ConfigCheck.approvalLine(for: named, environment: [:])?.contains("PRs cannot be approved: environment variable APPROVER") == true)
    }
}
