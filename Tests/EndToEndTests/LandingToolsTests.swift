#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport

@Suite("Landing: bad input", .serialized)
struct LandingBadInputTests {
    @Test("without a sync point in Gecko the landing fails with an error naming the file and the revision, and changes nothing")
    func missingSyncPoint() throws {
        let l = try LandingWorld()
        try l.world.gecko.hg(["pull", "-q", "-u", l.world.autoland])
        try l.world.gecko.hg(["rm", "-q", "testing/web-platform/meta/mozilla-sync"])
        let node = try l.world.gecko.commit("Bug 2 - Drop the sync point. r=me")
        try l.world.gecko.hg(["push", "-q", l.world.autoland])
        try l.mergeUpstreamPR(["s.html": "s\n"], title: "No sync point")
        try l.syncMirror()
        try l.upstreamWorld.process()
        let events = try l.world.wptsync(["events", "--state", "failed"])
        #expect(events.contains("Gecko revision \(node) has no sync point: write `upstream: <wpt sha>` into testing/web-platform/meta/mozilla-sync"), "\(events)")
        #expect(try l.autolandTip == node && l.landings().isEmpty)
    }
}

@Suite("Landing: operator choices", .serialized)
struct LandingOperatorTests {
    @Test("a PR skipped by an operator is passed over: the sync point moves, its files do not arrive")
    func skippedPullRequest() throws {
        let l = try LandingWorld()
        let pr = try l.mergeUpstreamPR(["broken.html": "broken\n"], title: "Broken upstream")
        let skip = try l.world.wptsync(["skip", "pr", "\(pr)", "--reason", "breaks Gecko's harness"])
        #expect(skip.contains("PR #\(pr)"), "\(skip)")
        let before = try l.autolandTip
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        let head = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try l.autolandSummaries(after: before) == ["Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly"])
        #expect(try l.autolandFile("testing/web-platform/tests/broken.html") == nil)
        #expect(try l.world.wptsync(["landings"]).contains("1 already in Gecko or skipped"))
    }
}

@Suite("Landing: fetching, mapping by hand, the landing command", .serialized)
struct LandingToolsTests {
    @Test("fetch-upstream fetches master into the mirror and fires the same processing as a push")
    func fetchUpstream() throws {
        let l = try LandingWorld()
        let pr = try l.mergeUpstreamPR(["f.html": "f\n"], title: "Fetched")
        let fetched = try l.world.wptsync(["fetch-upstream"])
        #expect(fetched.contains("upstream master"), "\(fetched)")
        #expect(try l.world.wptsync(["fetch-upstream"]).contains("unchanged"))
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandSummaries(after: "0").contains("Bug \(l.bug) [wpt PR \(pr)] - Fetched, a=testonly"))
    }

    @Test("fetch-upstream removes a stale lock a killed fetch left on the mirror's master; a person's branch's lock stays")
    func fetchUpstreamAfterAKilledFetch() throws {
        let l = try LandingWorld()
        try l.mergeUpstreamPR(["k.html": "k\n"], title: "After a kill")
        var old = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
        for name in ["master", "feature"] {
            let lock = l.world.mirror + "/refs/heads/\(name).lock"
            try writeFile(lock, "")
            #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
        }
        let fetched = try l.world.wptsyncResult(["fetch-upstream"])
        #expect(fetched.status == 0 && fetched.stdoutString.contains("upstream master"), "\(fetched.stdoutString)\(fetched.stderrString)")
        #expect(FileManager.default.fileExists(atPath: l.world.mirror + "/refs/heads/feature.lock"), "not wptsync's")
    }

    @Test("map-commit corrects which PR a commit came from, and the next landing uses it")
    func mapCommitByHand() throws {
        let l = try LandingWorld()
        let sha = try l.pushToUpstreamMaster(["m.html": "m\n"], message: "Merged by hand from PR 77")
        try l.syncMirror()
        let mapped = try l.world.wptsync(["map-commit", String(sha.prefix(12)), "--pr", "77"])
        #expect(mapped.contains("unmapped -> PR #77 (manual)"), "\(mapped)")
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandSummaries(after: "0").contains("Bug \(l.bug) [wpt PR 77] - Merged by hand from PR 77, a=testonly"))
        let bad = try l.world.wptsyncResult(["map-commit", "0123456789ab", "--pr", "1"])
        #expect(bad.status != 0 && (bad.stderrString + bad.stdoutString).contains("'0123456789ab' is not a commit of the wpt mirror"))
    }

    @Test("the configured command runs in a checkout of the imported commits (./ is the checkout, no secrets); what it writes joins the landing commit")
    func landingCommand() throws {
        // The command lives in Gecko, like ./mach, and finds no token in its environment.
        let l = try LandingWorld(extraLandingConfig: "command = [\"./tools/update-manifest\"]")
        try l.world.gecko.hg(["pull", "-q", "-u", l.world.autoland])
        try l.world.gecko.write("tools/update-manifest", """
            #!/bin/sh
            set -e
            test -z "$WPTSYNC_TEST_GITHUB_TOKEN"
            ls testing/web-platform/tests > testing/web-platform/meta/MANIFEST.txt

            """, executable: true)
        try l.world.gecko.commit("Bug 3 - Add the manifest tool. r=me")
        try l.world.gecko.hg(["push", "-q", l.world.autoland])
        try l.mergeUpstreamPR(["g.html": "g\n"], title: "With manifest")
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.hg(["log", "-r", "tip", "-T", "{files}"]) == "testing/web-platform/meta/MANIFEST.txt testing/web-platform/meta/mozilla-sync")
        #expect(try l.autolandFile("testing/web-platform/meta/MANIFEST.txt") == "README.md\ng.html\n")
        #expect(!FileManager.default.fileExists(atPath: l.clonePath + "/testing"), "the clone's checkout is emptied again")
    }
}

@Suite("Landing: a command that hangs", .serialized)
struct LandingCommandTimeoutTests {
    @Test("a landing command past command_timeout_seconds is killed; the landing is deferred with that error and nothing is pushed")
    func commandTimesOut() throws {
        let l = try LandingWorld(extraLandingConfig: "command = [\"sleep\", \"30\"]\ncommand_timeout_seconds = 0.5")
        try l.mergeUpstreamPR(["h.html": "h\n"], title: "Hanging manifest")
        let before = try l.autolandTip
        try l.syncMirror()
        try l.upstreamWorld.process()
        #expect(try l.autolandTip == before)
        let landing = try #require(try l.landings().first)
        #expect(landing["status"] as? String == "deferred")
        #expect((landing["last_error"] as? String)?.contains("the landing command sleep 30 exited with status 137: killed after 0.5 s") == true, "\(landing)")
    }
}

@Suite("Landing: replaying a wpt range", .serialized)
struct LandingReplayTests {
    @Test("replay --wpt --dry-run names the PRs and the landing commit and changes nothing; the replay lands once")
    func dryRunThenReplay() throws {
        let l = try LandingWorld()
        let old = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pr = try l.mergeUpstreamPR(["w.html": "w\n"], title: "Replayed", method: .squash)
        // The mirror moves without its hook (a fetch): the event is missed.
        try sh("git", ["--git-dir", l.world.mirror, "fetch", "-q", l.upstreamWorld.upstream, "master:master"])
        let new = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let tip = try l.autolandTip
        let plan = try l.world.wptsync(["replay", "--wpt", "\(old)..\(new)", "--dry-run"])
        #expect(plan.contains("PR #\(pr): Replayed (#\(pr))"), "\(plan)")
        #expect(plan.contains("then a landing commit: Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(new.prefix(12)), pushed to autoland"), "\(plan)")
        #expect(try l.autolandTip == tip && l.landings().isEmpty)

        try l.world.wptsync(["replay", "--wpt", "\(old)..\(new)"])
        try l.world.wptsync(["replay", "--wpt", "\(old)..\(new)"])
        #expect(try l.autolandSummaries(after: tip).count == 2)
        #expect(try l.landings().count == 1)
    }
}

@Suite("Landing: untrusted upstream metadata and partial backouts", .serialized)
struct LandingTrustTests {
    @Test("a gecko-commit line on a PR wptsync did not open does not make it pass over: its change is imported")
    func foreignGeckoCommitLine() throws {
        let l = try LandingWorld()
        let node = try l.autolandTip
        let pr = try l.mergeUpstreamPR(["t.html": "t\n"], title: "Claims to be from Gecko\n\ngecko-commit: \(node)", method: .squash)
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandSummaries(after: node).first?.hasPrefix("Bug \(l.bug) [wpt PR \(pr)] - Claims to be from Gecko") == true)
        #expect(try l.autolandFile("testing/web-platform/tests/t.html") == "t\n")
    }

    @Test("backing out one imported PR's commit marks the landing backed-out and says its change is not imported again")
    func partialBackout() throws {
        let l = try LandingWorld()
        try l.mergeUpstreamPR(["u.html": "u\n"], title: "Backed out later")
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        let prCommit = try l.hg(["log", "-r", "tip~1", "-T", "{node}"])
        try l.world.gecko.hg(["pull", "-q", "-u", l.world.autoland])
        try l.world.gecko.hg(["backout", "-q", "-r", prCommit, "-m", "Backed out changeset \(prCommit.prefix(12)) (bug \(l.bug)) for failures", "-d", "0 0"])
        try l.world.gecko.hg(["push", "-q", l.world.autoland])
        try l.upstreamWorld.processUntilSettled()
        let landing = try #require(try l.landings().first)
        #expect(landing["status"] as? String == "backed-out")
        #expect((landing["last_error"] as? String)?.contains("only some of its commits") == true, "\(landing)")
    }
}
