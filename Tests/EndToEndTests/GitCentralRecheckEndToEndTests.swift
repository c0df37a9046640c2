import Foundation
import Testing
import TestSupport

/// Issue 16: with Gecko in git, the worker's periodic re-check asks central's branch what its
/// hook did not tell.
@Suite("Re-check against a git central, end to end", .serialized)
struct GitCentralRecheckEndToEndTests {
    @Test func aChangeReachingCentralWithoutItsHookIsFoundAndItsPullRequestMerges() throws {
        let u = try UpstreamWorld(geckoKind: .git)
        try u.world.landInGecko(["testing/web-platform/tests/recheck.html": "r\n"], message: "Bug 31 - Re-check. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        u.github.setCheckRun(sha: try #require(pr.headSHA), name: "wpt-firefox", .success)
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == false, "not on central yet")

        // Central's branch takes autoland's commits without its hook: no event is recorded.
        let events = try u.world.wptsync(["events"])
        try sh("git", ["--git-dir", u.world.central, "fetch", "-q", "--update-head-ok", u.world.autoland, "refs/heads/autoland:refs/heads/main"])
        #expect(try u.world.wptsync(["events"]) == events)
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.world.wptsync(["list"]).contains("gecko/31 merged PR #1"))
    }
}
