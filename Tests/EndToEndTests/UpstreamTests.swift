import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Gecko pushes through the real hooks, the worker, and the local GitHub over loopback.
@Suite("Upstreaming", .serialized)
struct UpstreamTests {
    @Test(arguments: GeckoKind.allCases)
    func aWptChangeBecomesAPullRequestWithExactlyItsWptPart(gecko: GeckoKind) throws {
        let u = try UpstreamWorld(geckoKind: gecko)
        let node = try u.world.landInGecko([
            "testing/web-platform/tests/dom/a.html": "<p>a</p>\n",
            "dom/base/Other.cpp": "// not wpt\n",
        ], message: "Bug 1234 - Add a DOM test. r=alice\n\nLonger explanation.")
        let output = try u.process()
        #expect(output.contains("processed 1 event(s), 0 failed"), "\(output)")

        let pulls = u.github.pullRequests
        #expect(pulls.count == 1)
        let pr = try #require(pulls.first)
        #expect(pr.title == "[Gecko Bug 1234] Add a DOM test." && pr.isOpen && pr.headRef == "gecko/1234")
        #expect(pr.labels == ["mozilla:gecko-sync"])
        #expect(pr.body?.contains("gecko-commits: \(node)") == true)
        let files = try u.git(["ls-tree", "-r", "--name-only", "gecko/1234"])
        #expect(files == "README.md\ndom/a.html\n")
        let message = try u.git(["log", "-1", "--format=%B", "gecko/1234"])
        #expect(message.hasPrefix("Add a DOM test.\n\nLonger explanation.\n"))
        #expect(message.contains("gecko-commit: \(node)"))
        #expect(try u.git(["log", "-1", "--format=%an <%ae>", "gecko/1234"]) == "Test User <test@example.com>\n")

        // The same push processed again changes nothing.
        try u.world.wptsync(["retry", "--all"])
        _ = try u.process()
        #expect(u.github.pullRequests.count == 1)
        #expect(try u.world.wptsync(["list"]).contains("sync 1 gecko/1234 open PR #1"))
    }

    /// With a git Gecko, the backout is a `git revert` commit.
    @Test(arguments: GeckoKind.allCases)
    func backoutClosesRelandReopensAndLandingMergesAfterChecks(gecko: GeckoKind) throws {
        let u = try UpstreamWorld(geckoKind: gecko)
        let node = try u.world.landInGecko(["testing/web-platform/tests/x.html": "x\n"], message: "Bug 7 - Test x. r=bob")
        try u.process()
        #expect(u.github.pullRequests.first?.isOpen == true)

        try u.world.backOutInGecko(node, bug: 7)
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [false])
        #expect(try u.world.wptsync(["show", "upstream", "7"]).contains("incomplete PR #1"))

        let reland = try u.world.landInGecko(["testing/web-platform/tests/x.html": "x, fixed\n"], message: "Bug 7 - Test x, relanded. r=bob")
        try u.process()
        let reopened = try #require(u.github.pullRequests.first)
        #expect(u.github.pullRequests.count == 1 && reopened.isOpen)
        #expect(try u.git(["show", "gecko/7:x.html"]) == "x, fixed\n")
        #expect(try u.git(["log", "--format=%B", "-1", "gecko/7"]).contains("gecko-commit: \(reland)"))

        let head = try #require(reopened.headSHA)
        u.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .inProgress)
        try u.world.pushGecko()
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == false)
        #expect(try u.world.wptsync(["list"]).contains("waiting for checks to finish: wpt-chrome-stable"))

        u.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .success)
        try u.process()
        let merged = try #require(u.github.pullRequests.first)
        #expect(merged.isMerged)
        #expect(try u.git(["show", "master:x.html"]) == "x, fixed\n")
        #expect(try u.git(["branch", "--list", "gecko/7"]).isEmpty)
        #expect(try u.world.wptsync(["list"]).contains("gecko/7 merged PR #1"))

        // A later change for the same bug starts a new sync.
        try u.world.landInGecko(["testing/web-platform/tests/y.html": "y\n"], message: "Bug 7 - Follow-up. r=bob")
        try u.process()
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/7", "gecko/7-1"])
    }

    @Test(arguments: GeckoKind.allCases)
    func aChangesetAndItsBackoutInOnePushOpenNoPullRequest(gecko: GeckoKind) throws {
        let u = try UpstreamWorld(geckoKind: gecko)
        let node = try u.world.commitInGecko(["testing/web-platform/tests/z.html": "z\n"], message: "Bug 8 - z")
        try u.world.backOutInGecko(node, bug: 8, push: false)
        try u.world.pushGecko(to: u.world.autoland)
        let output = try u.process()
        #expect(output.contains("processed 1 event(s), 0 failed"), "\(output)")
        #expect(u.github.pullRequests.isEmpty)
    }

    @Test func gitHubFailingDuringCreationEndsWithExactlyOnePullRequest() throws {
        let u = try UpstreamWorld(extraConfig: "[worker]\nbackoff_base_seconds = 0.001\n")
        u.github.injectFault(.serverErrorAfterActing(status: 502), count: 1, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        u.github.injectFault(.serverError(status: 503), count: 2, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/issues")
        try u.world.landInGecko(["testing/web-platform/tests/f.html": "f\n"], message: "Bug 9 - f")
        let first = try u.process()
        #expect(first.contains("processed 0 event(s), 1 failed"), "\(first)")
        let second = try u.process()
        #expect(second.contains("processed 1 event(s), 0 failed"), "\(second)")
        #expect(u.github.pullRequests.count == 1)
        #expect(u.github.pullRequests.first?.labels == ["mozilla:gecko-sync"])
    }
}
