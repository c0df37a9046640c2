import Foundation
import Testing
import SyncCore
import TestSupport

/// Each scenario on both kinds of Gecko and both stores (PostgreSQL when it is installed).
@Suite("Landing scenarios", .serialized)
struct LandingScenarioTests {
    private func upstreamHead(_ l: LandingWorld) throws -> String {
        try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func land(_ l: LandingWorld) throws {
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
    }

    @Test("three PRs in a row (merge, squash, rebase) give three commits and the landing commit", arguments: GeckoKind.allCases, StoreKind.available)
    func threePullRequests(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        let before = try l.autolandTip
        let a = try l.mergeUpstreamPR(["a.html": "a\n"], title: "Test a", method: .merge)
        let b = try l.mergeUpstreamPR(["b.html": "b\n"], title: "Test b", method: .squash)
        let c = try l.mergeUpstreamPR(["c.html": "c\n"], title: "Test c", method: .rebase)
        try land(l)
        #expect(try l.autolandSummaries(after: before) == [
            "Bug \(l.bug) [wpt PR \(a)] - Test a, a=testonly",
            "Bug \(l.bug) [wpt PR \(b)] - Test b, a=testonly",
            "Bug \(l.bug) [wpt PR \(c)] - Test c, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly",
        ])
        for (name, contents) in ["a.html": "a\n", "b.html": "b\n", "c.html": "c\n"] {
            #expect(try l.autolandFile("testing/web-platform/tests/" + name) == contents)
        }
        // The rebase-merged commit names no PR: GitHub was asked once, and the answer is remembered.
        let asked = { l.github.requests.filter { $0.path.hasSuffix("/pulls") && $0.path.contains("/commits/") }.count }
        #expect(asked() == 1)
        _ = try l.world.wptsync(["hook", "git-post-receive"], stdin: "\(String(repeating: "0", count: 40)) \(try upstreamHead(l)) refs/heads/master\n")
        try l.upstreamWorld.processUntilSettled()
        #expect(asked() == 1)
    }

    @Test("a push the integration repository refuses waits for a person with the refusal's text; landing-retry never pushes it again; continue landing does",
          arguments: GeckoKind.allCases, StoreKind.available)
    func refusedPush(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        // The repository's own hook refuses every push for now, and counts the pushes it saw.
        let count = l.world.dir.sub("refusals")
        let allow = try l.world.refusePushes(to: l.world.autoland, hook: "refuse", running: "echo x >> '\(count)' && echo 'tree rules: not now'")
        let refusals = { (try? String(contentsOfFile: count, encoding: .utf8))?.count(where: { $0 == "x" }) ?? 0 }
        try l.mergeUpstreamPR(["p.html": "p\n"], title: "Refused at first")
        let before = try l.autolandTip
        try land(l)
        #expect(try l.autolandTip == before)
        #expect(refusals() == 1)
        let listed = try l.world.wptsync(["landings"])
        #expect(listed.contains("needs-fixup") && listed.contains("refused the push") && listed.contains("tree rules: not now"), "\(listed)")
        let status = try l.world.wptsyncResult(["status"]).stdoutString
        #expect(status.contains("tree rules: not now") && status.contains("wptsync continue landing"), "\(status)")

        // The periodic retry (every pass here) and a later upstream change leave it waiting.
        _ = try l.upstreamWorld.process()
        try l.mergeUpstreamPR(["q.html": "q\n"], title: "Later")
        try land(l)
        _ = try l.upstreamWorld.process()
        #expect(refusals() == 1, "a refused push is not sent again by itself")
        #expect(try l.autolandTip == before)

        try allow()
        #expect(try l.world.wptsync(["continue", "landing"]).contains("pushed"))
        #expect(try l.autolandFile("testing/web-platform/tests/p.html") == "p\n")
        #expect(try l.autolandFile("testing/web-platform/tests/q.html") == "q\n")
    }

    @Test("a push that fails for a passing reason (a lock on the integration repository) is deferred, and the periodic retry pushes it",
          arguments: GeckoKind.allCases, StoreKind.available)
    func lockedPushIsRetried(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        let unlock = try l.world.holdLock(on: l.world.autoland, branch: "autoland")
        try expectDeferredThenPushed(l, file: "r.html", title: "Pushed once the lock is gone", unblock: unlock)
    }

    @Test("a push refused because the tree is closed (hg.mozilla.org's treeclosure hook) is deferred, and the periodic retry pushes it once it reopens",
          arguments: GeckoKind.allCases, StoreKind.available)
    func closedTreePushIsRetried(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        let reopen = try l.world.refusePushes(to: l.world.autoland, hook: "treeclosure", running: "echo 'autoland is CLOSED!'")
        try expectDeferredThenPushed(l, file: "c.html", title: "Pushed once the tree reopens", unblock: reopen)
    }

    /// Lands an upstream PR adding `file` while its push fails for a passing reason: the landing is
    /// deferred and autoland unchanged; once `unblock` ran, the periodic retry pushes it.
    func expectDeferredThenPushed(_ l: LandingWorld, file: String, title: String, unblock: () throws -> Void,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        try l.mergeUpstreamPR([file: "\(file)\n"], title: title)
        let before = try l.autolandTip
        try land(l)
        #expect(try l.autolandTip == before, sourceLocation: sourceLocation)
        let stuck = try #require(try l.landings().first)
        #expect(stuck["status"] as? String == "deferred", "\(stuck)", sourceLocation: sourceLocation)

        try unblock()
        _ = try l.upstreamWorld.process()
        #expect(try l.landings().first?["status"] as? String == "pushed", sourceLocation: sourceLocation)
        #expect(try l.autolandFile("testing/web-platform/tests/\(file)") == "\(file)\n", sourceLocation: sourceLocation)
    }

    @Test("a Gecko change to a wpt file not yet upstream survives an import that changes the same file elsewhere", arguments: GeckoKind.allCases, StoreKind.available)
    func geckoChangeSurvives(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        try l.mergeUpstreamPR(["t.html": "1\n2\n3\n4\n5\n"], title: "Add t")
        try land(l)
        try l.landInGecko(["testing/web-platform/tests/t.html": "one\n2\n3\n4\n5\n"], message: "Bug 77 - Change t in Gecko. r=me")
        try l.mergeUpstreamPR(["t.html": "1\n2\n3\n4\nfive\n"], title: "Change t upstream")
        try land(l)
        #expect(try l.autolandFile("testing/web-platform/tests/t.html") == "one\n2\n3\n4\nfive\n")
    }

    @Test("an upstream sync's own PR, merged upstream, imports as no change to Gecko: only the sync point moves", arguments: GeckoKind.allCases, StoreKind.available)
    func ownPullRequestIsNoChange(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        try l.landInGecko(["testing/web-platform/tests/own.html": "from gecko\n"], message: "Bug 88 - Add own test. r=me")
        try l.upstreamWorld.process()
        let pr = try #require(l.github.pullRequests.first)
        l.github.setCheckRun(sha: try #require(pr.headSHA), name: "wpt-chrome-stable", .success)
        try l.world.pushGecko(to: l.world.central)
        try l.upstreamWorld.processUntilSettled()
        #expect(l.github.pullRequests.first?.isMerged == true)

        let before = try l.autolandTip
        try land(l)
        let head = try upstreamHead(l)
        #expect(try l.autolandSummaries(after: before) == ["Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly"])
        #expect(try l.autolandCommit().files == "testing/web-platform/meta/mozilla-sync")
        #expect(try l.autolandFile("testing/web-platform/tests/own.html") == "from gecko\n")
    }

    @Test("a commit pushed upstream without a PR is imported on its own", arguments: GeckoKind.allCases, StoreKind.available)
    func commitWithoutPullRequest(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        let before = try l.autolandTip
        let sha = try l.pushToUpstreamMaster(["lint.txt": "fixed\n"], message: "Fix lint directly on master")
        try land(l)
        #expect(try l.autolandSummaries(after: before).first == "Bug \(l.bug) [wpt commit \(sha.prefix(12))] - Fix lint directly on master, a=testonly")
        #expect(try l.autolandFile("testing/web-platform/tests/lint.txt") == "fixed\n")
    }

    @Test("a conflict puts the landing in needs-fixup with the PR and files; after a fix, continue landing lands it", arguments: GeckoKind.allCases, StoreKind.available)
    func conflictThenContinue(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        try l.mergeUpstreamPR(["c.html": "base\n"], title: "Add c")
        try land(l)
        try l.landInGecko(["testing/web-platform/tests/c.html": "gecko\n"], message: "Bug 90 - Gecko's c. r=me")
        let pr = try l.mergeUpstreamPR(["c.html": "upstream\n"], title: "Upstream's c")
        let before = try l.autolandTip
        try land(l)
        let stuck = try #require(try l.landings().first)
        #expect(stuck["status"] as? String == "needs-fixup")
        let listed = try l.world.wptsync(["landings"])
        #expect(listed.contains("PR #\(pr) does not apply to Gecko in c.html"), "\(listed)")
        #expect(try l.autolandTip == before)

        // Later upstream changes wait behind the stuck landing.
        let later = try l.mergeUpstreamPR(["later.html": "later\n"], title: "Later change")
        try land(l)
        #expect(try l.autolandTip == before)
        #expect(try l.landings().map { $0["status"] as? String } == ["needs-fixup", "pushed"], "no second landing opens")

        // A person takes upstream's version of the conflicting file: Gecko's own change to it is dropped.
        let output = try l.world.wptsync(["continue", "landing", "--take", "upstream"])
        #expect(output.contains("taking upstream's version of c.html") && output.contains("pushed"), "\(output)")
        #expect(try l.autolandSummaries(after: before) == [
            "Bug \(l.bug) [wpt PR \(pr)] - Upstream's c, a=testonly",
            "Bug \(l.bug) [wpt PR \(later)] - Later change, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly",
        ])
        #expect(try l.autolandFile("testing/web-platform/tests/c.html") == "upstream\n")
        #expect(try l.landings().first?["status"] as? String == "pushed")
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.world.wptsync(["list"]).split(separator: "\n").count == 1, "only bug 90's own sync; the import exported nothing")
    }

    @Test("a conflict fixed in Gecko first is continued as it is", arguments: GeckoKind.allCases, StoreKind.available)
    func conflictFixedInGecko(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        try l.mergeUpstreamPR(["c.html": "base\n"], title: "Add c")
        try land(l)
        try l.landInGecko(["testing/web-platform/tests/c.html": "gecko\n"], message: "Bug 91 - Gecko's c. r=me")
        try l.mergeUpstreamPR(["c.html": "upstream\n"], title: "Upstream's c")
        try land(l)
        #expect(try l.landings().first?["status"] as? String == "needs-fixup")
        try l.landInGecko(["testing/web-platform/tests/c.html": "upstream\n"], message: "Bug 91 - Take upstream's c. r=me")
        let fixedTip = try l.autolandTip
        let output = try l.world.wptsync(["continue", "landing"])
        #expect(output.contains("pushed"), "\(output)")
        #expect(try l.autolandSummaries(after: fixedTip) == ["Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly"])
    }

    @Test("a lost push race is retried on the new tip", arguments: GeckoKind.allCases, StoreKind.available)
    func pushRace(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        // Someone pushes to autoland while the landing is being pushed (once): the landing clone's pre-push hook.
        let marker = l.world.dir.sub("raced")
        if gecko == .git {
            try sh("git", ["init", "-q", "--bare", l.clonePath])
            let developer = l.world.geckoClone
            try writeFile(l.clonePath + "/hooks/pre-push", """
                #!/bin/sh
                unset GIT_DIR
                test -e \(marker) || (touch \(marker) && cd \(developer) && echo raced > dom/race.txt && git add -A && git commit -q -m "Bug 5 - Race. r=me" && git push -q \(l.world.autoland) HEAD:refs/heads/autoland)

                """, executable: true)
        } else {
            try sh("hg", ["clone", "-q", "-U", l.world.autoland, l.clonePath])
            try writeFile(l.clonePath + "/.hg/hgrc", """
                [hooks]
                pre-push.race = test -e \(marker) || (touch \(marker) && echo raced > \(l.world.gecko.root)/dom/race.txt && hg -R \(l.world.gecko.root) commit -q -A -m "Bug 5 - Race. r=me" && hg -R \(l.world.gecko.root) push -q \(l.world.autoland))

                """)
        }
        let pr = try l.mergeUpstreamPR(["r.html": "r\n"], title: "Race test")
        let before = try l.autolandTip
        try land(l)
        #expect(try l.autolandSummaries(after: before) == [
            "Bug 5 - Race. r=me",
            "Bug \(l.bug) [wpt PR \(pr)] - Race test, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly",
        ])
        if gecko == .hg { #expect(try l.hg(["heads", "-T", "x"]) == "x") }
        #expect(try l.landings().first?["attempts"] as? Int == 1)
    }

    @Test("a closed tree defers the landing; it lands once the tree reopens", arguments: GeckoKind.allCases, StoreKind.available)
    func closedTree(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        l.treestatus.set("autoland", status: "closed", reason: "bustage")
        try l.mergeUpstreamPR(["d.html": "d\n"], title: "Deferred")
        let before = try l.autolandTip
        try land(l)
        #expect(try l.autolandTip == before)
        #expect(try l.world.wptsync(["landings"]).contains("deferred"))
        #expect(try l.world.wptsync(["landings"]).contains("the tree to reopen (closed: bustage)"))

        l.treestatus.set("autoland", status: "open")
        try l.upstreamWorld.process()
        #expect(try l.autolandFile("testing/web-platform/tests/d.html") == "d\n")
        #expect(try l.landings().first?["status"] as? String == "pushed")
    }

    @Test("processing again changes nothing; landed once in central; backed out, it waits for a person before importing again", arguments: GeckoKind.allCases, StoreKind.available)
    func idempotentThenTracked(gecko: GeckoKind, store: StoreKind) throws {
        let l = try LandingWorld(geckoKind: gecko, store: store)
        try l.mergeUpstreamPR(["e.html": "e\n"], title: "Test e")
        try land(l)
        let tip = try l.autolandTip
        let head = try upstreamHead(l)
        _ = try l.world.wptsync(["hook", "git-post-receive"], stdin: "\(String(repeating: "0", count: 40)) \(head) refs/heads/master\n")
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandTip == tip)
        #expect(try l.landings().count == 1)
        #expect(try l.world.wptsync(["list"]).isEmpty, "the landing's changesets exported nothing")

        try l.pushAutolandToCentral()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.landings().first?["status"] as? String == "landed")

        try l.updateDeveloperClone()
        try l.world.backOutInGecko(tip, bug: l.bug)
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.landings().first?["status"] as? String == "backed-out")
        #expect(try l.autolandFile("testing/web-platform/meta/mozilla-sync")?.contains(head) == false, "the sync point went back")

        // Nothing is imported again until a person says so.
        try l.mergeUpstreamPR(["f.html": "f\n"], title: "Test f")
        try land(l)
        let backedOutTip = try l.autolandTip
        #expect(try l.autolandFile("testing/web-platform/tests/f.html") == nil && l.landings().count == 1)
        #expect(try l.world.wptsync(["continue", "landing"]).contains("pushed"))
        // e's change is still in Gecko (only the landing commit was backed out): only f gets a commit.
        #expect(try l.autolandSummaries(after: backedOutTip).count == 2)
        #expect(try l.autolandFile("testing/web-platform/tests/f.html") == "f\n")
    }
}
