import Foundation
import GRDB
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// More of issue 3's scenarios, each through the real hooks, worker and local GitHub, on each store
/// (SQLite, and PostgreSQL when it is installed).
@Suite("Upstreaming scenarios", .serialized)
struct UpstreamScenarioTests {
    let wpt = "testing/web-platform/tests/"

    @Test(arguments: StoreKind.available)
    func twoBugsInOnePushGiveTwoPullRequests(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.gecko.write(wpt + "a.html", "a\n")
        try u.world.gecko.commit("Bug 21 - a. r=x")
        try u.world.gecko.write(wpt + "b.html", "b\n")
        try u.world.gecko.commit("Bug 22 - b. r=x")
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        try u.process()
        #expect(u.github.pullRequests.map(\.headRef).sorted() == ["gecko/21", "gecko/22"])
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/21"]) == "README.md\na.html\n")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/22"]) == "README.md\nb.html\n")
    }

    @Test(arguments: StoreKind.available)
    func metadataOnlyAndImportedChangesetsExportNothing(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.landInGecko(["testing/web-platform/meta/a.html.ini": "[a.html]\n  expected: FAIL\n"], message: "Bug 23 - Update expectations. r=x")
        try u.world.landInGecko([wpt + "imported.html": "upstream\n"],
                                message: "Bug 24 [wpt PR 555] - Upstream change, a=testonly\n\nAutomatic update from web-platform-tests\n\nwpt-pr: 555\nwpt-commits: \(String(repeating: "a", count: 40))")
        let output = try u.process()
        #expect(output.contains("processed 2 event(s), 0 failed"), "\(output)")
        #expect(u.github.pullRequests.isEmpty)
        #expect(try u.world.wptsync(["list"]).isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func aPartialBackoutForcePushesTheBranchWithoutTheBackedOutCommit(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 25 - a. r=x")
        let second = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 25 - b. r=x")
        try u.process()
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/25"]) == "README.md\na.html\nb.html\n")
        try u.world.gecko.hg(["backout", "-r", second, "-m", "Backed out changeset \(second.prefix(12)) (bug 25)", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        try u.process()
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/25"]) == "README.md\na.html\n")
        #expect(u.github.pullRequests.count == 1 && u.github.pullRequests.first?.isOpen == true)
        #expect(try u.git(["log", "--format=%s", "master..gecko/25"]) == "a.\n")
    }

    @Test(arguments: StoreKind.available)
    func aBackoutSpanningTwoBugsClosesBothPullRequests(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        let a = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 26 - a. r=x")
        let b = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 27 - b. r=x")
        try u.process()
        #expect(u.github.pullRequests.filter(\.isOpen).count == 2)
        try u.world.gecko.hg(["rm", "-q", wpt + "a.html", wpt + "b.html"])
        try u.world.gecko.hg(["commit", "-q", "-d", "0 0", "-m",
                              "Backed out 2 changesets (bug 26, bug 27) for bustage\n\nBacked out changeset \(b.prefix(12)) (bug 27)\nBacked out changeset \(a.prefix(12)) (bug 26)"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [false, false])
        #expect(try u.world.wptsync(["list", "--status", "incomplete"]).split(separator: "\n").count == 2)
    }

    @Test(arguments: StoreKind.available)
    func aChangeLandingDirectlyOnCentralIsMergedOnceAChecksHasPassed(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.landInGecko([wpt + "c.html": "c\n"], message: "Bug 28 - straight to central. r=x", to: u.world.central)
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        #expect(pr.isOpen && !pr.isMerged && pr.headRef == "gecko/28")
        #expect(try u.world.wptsync(["list"]).contains("waiting for checks to finish: (no check has reported yet)"))
        u.github.setCheckRun(sha: try #require(pr.headSHA), name: "wpt-firefox", .success)
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.git(["show", "master:c.html"]) == "c\n")
        #expect(try u.world.wptsync(["show", "upstream", "28"]).contains("merged PR #1"))
    }

    @Test(arguments: StoreKind.available)
    func aLandingWhoseCentralEventWasLostIsFoundByAskingCentral(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.landInGecko([wpt + "k.html": "k\n"], message: "Bug 36 - k. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        u.github.setCheckRun(sha: try #require(pr.headSHA), name: "wpt-firefox", .success)
        try u.world.gecko.hg(["push", "-q", u.world.central])
        try u.world.storeSQL("DELETE FROM events WHERE repository = 'mozilla-central'")
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.world.wptsync(["show", "upstream", "36"]).contains("(in mozilla-central)"))
    }

    @Test(arguments: StoreKind.available)
    func aBackoutClosesThePullRequestEvenWhenLabellingItFailed(store: StoreKind) throws {
        let u = try UpstreamWorld(extraConfig: "[worker]\nbackoff_base_seconds = 3600\n", store: store)
        u.github.injectFault(.serverError(status: 503), count: 2, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/issues")
        let node = try u.world.landInGecko([wpt + "h.html": "h\n"], message: "Bug 35 - h. r=x")
        #expect(try u.process().contains("1 failed"))
        #expect(u.github.pullRequests.first?.isOpen == true)
        try u.world.gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug 35)", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        // The backout waits behind the failed event; retried by hand, both run in order.
        try u.world.wptsync(["retry", "--all"])
        #expect(try u.process().contains("processed 2 event(s), 0 failed"))
        #expect(u.github.pullRequests.map(\.isOpen) == [false])
    }

    @Test(arguments: StoreKind.available)
    func processingTheSameEventsAgainChangesNothingUpstream(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        try u.world.landInGecko([wpt + "d.html": "d\n"], message: "Bug 29 - d. r=x")
        try u.process()
        let before = u.github.pullRequests
        try u.world.storeSQL("UPDATE events SET state = 'pending', next_attempt_at = 0")
        u.github.clearRequests()
        let output = try u.process()
        #expect(output.contains("processed 1 event(s), 0 failed"), "\(output)")
        #expect(u.github.pullRequests == before)
        #expect(u.github.requests.filter { $0.method != "GET" }.isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func aConflictWaitsForAPersonThenResumes(store: StoreKind) throws {
        let u = try UpstreamWorld(store: store)
        let clone = u.world.dir.sub("upstream-clone")
        try sh("git", ["clone", "-q", u.upstream, clone])
        try writeFile(clone + "/README.md", "wpt, changed upstream\n")
        try sh("git", ["commit", "-q", "-am", "Upstream edit"], in: clone)
        try sh("git", ["push", "-q", "origin", "master"], in: clone)

        let node = try u.world.landInGecko([wpt + "README.md": "wpt, changed in Gecko\n"], message: "Bug 30 - Edit the README. r=x")
        try u.process()
        #expect(u.github.pullRequests.isEmpty)
        let shown = try u.world.wptsync(["show", "upstream", "30"])
        #expect(shown.contains("needs-fixup"))
        #expect(shown.contains("conflict in \(node.prefix(12)): README.md"))

        // Another push retries it; still conflicting.
        try u.world.landInGecko(["dom/other.cpp": "x\n"], message: "Bug 31 - Gecko only. r=x")
        try u.process()
        #expect(try u.world.wptsync(["list"]).contains("needs-fixup"))

        // A person resolves the conflict on the branch upstream, then resumes the sync.
        try sh("git", ["checkout", "-q", "-b", "gecko/30"], in: clone)
        try writeFile(clone + "/README.md", "wpt, changed upstream and in Gecko\n")
        try sh("git", ["commit", "-q", "-am", "Edit the README."], in: clone)
        try sh("git", ["push", "-q", "origin", "gecko/30"], in: clone)
        let resumed = try u.world.wptsync(["continue", "upstream", "1"])
        #expect(resumed.contains("sync 1 gecko/30 open PR #1"), "\(resumed)")
        #expect(try u.git(["show", "gecko/30:README.md"]) == "wpt, changed upstream and in Gecko\n")
        #expect(u.github.pullRequests.first?.title == "[Gecko Bug 30] Edit the README.")
    }
}

@Suite("Upstreaming with GitHub's limits", .serialized)
struct UpstreamGitHubTests {
    @Test func theApproverTokenApprovesThePullRequest() throws {
        let u = try UpstreamWorld(extraConfig: "")
        try writeFile(u.world.config, try String(contentsOfFile: u.world.config, encoding: .utf8)
            .replacingOccurrences(of: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
                                  with: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_APPROVER_TOKEN\""))
        try u.world.landInGecko(["testing/web-platform/tests/e.html": "e\n"], message: "Bug 32 - e. r=x")
        try u.process()
        #expect(u.github.pullRequests.first?.approvedBy == ["wpt-sync-approver"])
        // Approving again on a later run adds no second review.
        let pool = try DatabaseQueue(path: u.world.store)
        try pool.write { try $0.execute(sql: "UPDATE events SET state = 'pending', next_attempt_at = 0") }
        try u.process()
        #expect(u.github.pullRequests.first?.approvedBy == ["wpt-sync-approver"])
    }

    @Test func aSecondaryRateLimitDuringCreationIsWaitedOut() throws {
        let u = try UpstreamWorld()
        u.github.injectFault(.secondaryRateLimit(retryAfter: 1), count: 1, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        try u.world.landInGecko(["testing/web-platform/tests/g.html": "g\n"], message: "Bug 33 - g. r=x")
        let output = try u.process()
        #expect(output.contains("processed 1 event(s), 0 failed"), "\(output)")
        #expect(u.github.pullRequests.count == 1)
        #expect(u.github.requests.contains { $0.method == "POST" && $0.status == 429 })
    }
}

@Suite("Upstreaming awkward files", .serialized)
struct UpstreamFileKindTests {
    @Test func renamesExecBitSymlinksBinaryAndNonUTF8ContentArriveByteForByte() throws {
        let u = try UpstreamWorld()
        let wpt = "testing/web-platform/tests/"
        try u.world.landInGecko([wpt + "old/name.html": "moved\n"], message: "Bug 34 - add. r=x")
        try u.world.gecko.hg(["mv", "-q", wpt + "old/name.html", wpt + "new/name.html"])
        try u.world.gecko.write(wpt + "tools/run.py", "#!/usr/bin/env python3\n", executable: true)
        try u.world.gecko.write(wpt + "img/pixel.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x00, 0x01])
        try u.world.gecko.write(wpt + "latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A])
        try u.world.gecko.symlink(wpt + "link.html", to: "new/name.html")
        try u.world.gecko.commit("Bug 34 - rename and more. r=x")
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        let output = try u.process()
        #expect(output.contains("0 failed"), "\(output)")

        let tree = try u.git(["ls-tree", "-r", "gecko/34"])
        #expect(tree.contains("100755 blob") && tree.contains("tools/run.py"))
        #expect(tree.contains("120000 blob") && tree.contains("link.html"))
        #expect(!tree.contains("old/name.html") && tree.contains("new/name.html"))
        #expect(try u.git(["cat-file", "-p", "gecko/34:link.html"]) == "new/name.html")
        let png = try gitBytes(["cat-file", "blob", "gecko/34:img/pixel.png"], in: u.upstream)
        #expect(png == [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x00, 0x01])
        let latin1 = try gitBytes(["cat-file", "blob", "gecko/34:latin1.txt"], in: u.upstream)
        #expect(latin1 == [0x63, 0x61, 0x66, 0xE9, 0x0A])
    }
}
