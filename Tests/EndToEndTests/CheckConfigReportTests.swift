import Foundation
import Testing
import TestSupport

/// `check-config` says what the file turns on, warns about what it silently loses, and with
/// `--online` checks the tokens, the GitHub repository and the repositories against the local GitHub.
@Suite("check-config report", .serialized)
struct CheckConfigReportTests {
    @Test func theReportSaysWhatTheFileTurnsOnAndNeverASecret() throws {
        let u = try UpstreamWorld(extraConfig: """
            [landing]
            repository = "autoland"
            bug = 7
            treestatus_url = "https://treestatus.example/trees/autoland?access_token=tree-secret"
            command = ["./mach", "wpt-manifest-update"]
            push_url = "https://bot:hg-secret@hg.example/integration/autoland"

            """)
        let output = try u.world.wptsync(["check-config"])
        let api = u.github.baseURL
        for line in [
            "store: journal \(u.world.store), spool \(u.world.dir.sub("state/wptsync.spool")), hooks wait 250 ms for a locked journal",
            "gecko autoland (integration): \(u.world.autoland); hook records pushes from sources push,serve,unbundle,pull",
            "wpt mirror: \(u.world.mirror); hook records updates of refs/heads/master",
            "upstreaming: PRs on web-platform-tests/wpt at \(api) with the token from environment variable WPTSYNC_TEST_GITHUB_TOKEN, "
                + "branches pushed to \(u.upstream); label mozilla:gecko-sync; on conflict wait; merged by rebase once "
                + "upstream/gecko is set and every reported check, at least one passed; re-checked every 0.001 s",
            "landing: into autoland (pushed to https://<redacted>@hg.example/integration/autoland), bug 7, clone \(u.world.dir.sub("state/landing-autoland")), "
                + "as wpt-sync <wpt-sync@mozilla.com>; Treestatus https://treestatus.example/trees/autoland?access_token=<redacted>; "
                + "runs ./mach wpt-manifest-update (timeout 1800 s); up to 3 push attempts, retried every 300 s; never imports resources/testdriver_vendor.js",
        ] {
            #expect(output.contains(line + "\n"), "\(line)\n---\n\(output)")
        }
        for secret in ["test-token", "tree-secret", "hg-secret"] { #expect(!output.contains(secret)) }
        #expect(!output.contains("[github] is not configured"))
    }

    @Test func aLandingWithoutGitHubWarnsInCheckConfigAndWhenItRuns() throws {
        let world = try SyncWorld(extraConfig: "[landing]\nrepository = \"autoland\"\nbug = 7\n")
        let warning = "warning: [landing] is on but [github] is not configured: commits of PRs merged by rebase carry no PR number"
        #expect(try world.wptsync(["check-config"]).contains(warning))
        #expect(try world.wptsync(["check-config"]).contains("upstreaming: off (needs [github] and [wpt] upstream_push_url)"))
        try world.pushToMirror(file: "a.html", contents: "a\n")
        let run = try world.wptsyncResult(["process"])
        #expect((run.stdoutString + run.stderrString).contains(warning.dropFirst("warning: ".count)), "\(run.stderrString)")
    }

    @Test func onlineChecksTalkToGitHubAndNameAWrongTokenClearly() throws {
        let u = try UpstreamWorld(extraConfig: "")
        let api = u.github.baseURL
        let good = try u.world.wptsyncResult(["check-config", "--online"])
        #expect(good.status == 0, "\(good.stdoutString)\(good.stderrString)")
        for line in [
            "ok: gecko autoland repository: opens, tip ",
            "ok: wpt mirror: opens, master not there yet",
            "ok: wpt upstream_push_url: a git repository (\(u.upstream))",
            "ok: github token (environment variable WPTSYNC_TEST_GITHUB_TOKEN): accepted by \(api) as wpt-sync-bot",
            "ok: github repository web-platform-tests/wpt: found at \(api) as web-platform-tests/wpt, default branch master",
        ] {
            #expect(good.stdoutString.contains(line), "\(line)\n---\n\(good.stdoutString)")
        }

        u.world.environment["WPTSYNC_TEST_GITHUB_TOKEN"] = "a-revoked-token"
        let wrong = try u.world.wptsyncResult(["check-config", "--online"])
        #expect(wrong.status == 1)
        #expect(wrong.stdoutString.contains("FAILED: github token (environment variable WPTSYNC_TEST_GITHUB_TOKEN): \(api) refused it (HTTP 401: wrong, expired or revoked token)\n"),
                "\(wrong.stdoutString)")
        #expect(wrong.stdoutString.contains("FAILED: github repository web-platform-tests/wpt: not checked: no usable token\n"))
        #expect(!(wrong.stdoutString + wrong.stderrString).contains("a-revoked-token"))

        u.world.environment["WPTSYNC_TEST_GITHUB_TOKEN"] = "test-token"
        try writeFile(u.world.config, try String(contentsOfFile: u.world.config, encoding: .utf8)
            .replacingOccurrences(of: "repo = \"web-platform-tests/wpt\"", with: "repo = \"someone/elsewhere\""))
        let missing = try u.world.wptsyncResult(["check-config", "--online"])
        #expect(missing.status == 1)
        #expect(missing.stdoutString.contains("FAILED: github repository someone/elsewhere: \(api) has no such repository, or the token cannot see it (HTTP 404)"),
                "\(missing.stdoutString)")
    }
}
