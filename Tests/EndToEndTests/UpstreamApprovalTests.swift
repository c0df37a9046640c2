import Foundation
import Testing
import TestSupport

/// The approver's token: `WPTSYNC_APPROVER_TOKEN` unless the file names another, and what
/// `check-config` says and refuses about it.
@Suite("Upstream approvals", .serialized)
struct UpstreamApprovalTests {
    @Test func theDocumentedDefaultVariableApprovesPullRequests() throws {
        let u = try UpstreamWorld()
        u.world.environment["WPTSYNC_APPROVER_TOKEN"] = "approver-token"
        #expect(try u.world.wptsync(["check-config"]).contains("approval: PRs are approved with the token from environment variable WPTSYNC_APPROVER_TOKEN\n"))
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 60 - a. r=x")
        try u.process()
        #expect(u.github.pullRequests.first?.approvedBy == ["wpt-sync-approver"])
    }

    @Test func withoutTheDefaultVariableCheckConfigSaysPullRequestsAreNotApproved() throws {
        let u = try UpstreamWorld()
        let output = try u.world.wptsync(["check-config"])
        #expect(output.contains("approval: PRs are not approved: environment variable WPTSYNC_APPROVER_TOKEN (the default approver token) is not set here"), "\(output)")
        try u.world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 61 - b. r=x")
        #expect(try u.process().contains("processed 1 event(s), 0 failed"))
        #expect(u.github.pullRequests.first?.approvedBy == [])
    }

    @Test func checkConfigRefusesTheBotAsItsOwnApprover() throws {
        let u = try UpstreamWorld()
        try u.editConfig("token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
                         "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"")
        let result = try u.world.wptsyncResult(["check-config"])
        #expect(result.status == 78)
        #expect(result.stderrString.contains("`github.approver_token_env` names the same token as the bot's"), "\(result.stderrString)")
        #expect(!result.stdoutString.contains("test-token") && !result.stderrString.contains("test-token"))
    }
}
