import Foundation
import LocalServices
import Testing
import TestSupport

/// Issue 5's recovery commands, through the real hooks, worker and local GitHub.
@Suite("Recovering", .serialized)
struct RecoveryTests {
    let wpt = "testing/web-platform/tests/"

    /// Three pushes: a change for bug 60, one for bug 61, a second one for bug 60.
    private func pushes(_ u: UpstreamWorld, afterFirst: () throws -> Void = {}) throws {
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 60 - a. r=x")
        try afterFirst()
        try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 61 - b. r=x")
        try u.world.landInGecko([wpt + "c.html": "c\n"], message: "Bug 60 - c. r=x")
    }

    @Test func pausedDuringAnOutageThenResumedGivesThePullRequestsOfOneCleanRun() throws {
        let clean = try UpstreamWorld()
        try pushes(clean)
        #expect(try clean.process().contains("processed 3 event(s), 0 failed"))

        let u = try UpstreamWorld()
        u.github.injectFault(.serverError(status: 503), count: 1000)
        try pushes(u) {
            #expect(try u.process().contains("processed 0 event(s), 1 failed"))
            let paused = try u.world.wptsync(["pause", "--reason", "GitHub is down", "--by", "oncall"])
            #expect(paused.hasPrefix("paused by oncall since "), "\(paused)")
            #expect(try u.world.wptsync(["pause", "--reason", "again"]).hasPrefix("already paused by oncall"))
        }
        // The hooks kept recording; the worker touches nothing while paused.
        let requests = u.github.requests.count
        let output = try u.process()
        #expect(output.contains("service paused by oncall") && output.contains("processed 0 event(s), 0 failed"), "\(output)")
        #expect(u.github.requests.count == requests)
        let events = try u.world.wptsync(["events"])
        #expect(events.hasPrefix("service paused by oncall"), "\(events)")
        #expect(events.contains("pending: 2, running: 0, done: 0, failed: 1"), "\(events)")
        // Pending events keep their attempt count (none); the failed one stays at its one attempt.
        #expect(!(try u.world.wptsync(["events", "--state", "pending"]).contains("attempts=")))
        #expect(try u.world.wptsync(["events", "--state", "failed"]).contains("attempts=1"))
        #expect(try u.world.wptsync(["list"]).hasPrefix("service paused by oncall"))

        u.github.clearFaults()
        let resumed = try u.world.wptsync(["resume"])
        #expect(resumed.contains("resumed (was paused by oncall") && resumed.contains("failed and now due: 1"), "\(resumed)")
        #expect(try u.world.wptsync(["resume"]) == "not paused: nothing to resume\n")
        #expect(try u.process().contains("processed 3 event(s), 0 failed"))
        // The upstream seeds differ in their commit times, so the heads differ; everything else is equal.
        let withoutHeads = { (github: LocalGitHub) in github.pullRequests.map { pr in var pr = pr; pr.headSHA = nil; return pr } }
        #expect(withoutHeads(u.github) == withoutHeads(clean.github))
        for branch in ["gecko/60", "gecko/61"] {
            #expect(try u.git(["ls-tree", "-r", "--name-only", branch]) == clean.git(["ls-tree", "-r", "--name-only", branch]))
            #expect(try u.git(["log", "--format=%s%n%b", "master..\(branch)"]) == clean.git(["log", "--format=%s%n%b", "master..\(branch)"]))
        }
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/60"]) == "README.md\na.html\nc.html\n")
    }

    @Test func aSkippedChangesetLeavesThePullRequestAndARetriedSyncIsReconciledNow() throws {
        let u = try UpstreamWorld(extraConfig: "[worker]\nbackoff_base_seconds = 3600\n")
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 62 - a. r=x")
        let second = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 62 - b. r=x")
        try u.process()
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/62"]) == "README.md\na.html\nb.html\n")

        let unknown = try u.world.wptsyncResult(["skip", "changeset", "deadbeefdead", "--reason", "x"])
        #expect(unknown.status != 0 && unknown.stderrString.contains("changeset deadbeefdead is in no configured Gecko repository"))
        #expect(try u.world.wptsync(["skip", "--list"]) == "nothing is skipped\n")

        let skipped = try u.world.wptsync(["skip", "changeset", String(second.prefix(12)), "--reason", "breaks upstream", "--by", "alice"])
        #expect(skipped.contains("skipped changeset \(second) by alice since"), "\(skipped)")
        #expect(skipped.contains("updated: sync 1 gecko/62 open PR #1 — 1 of 2 changeset(s) to upstream"), "\(skipped)")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/62"]) == "README.md\na.html\n")
        #expect(try u.world.wptsync(["show", "upstream", "62"]).contains("\(second) (skipped)"))
        #expect(try u.world.wptsync(["skip", "pr", "7", "--reason", "imports break the build"]).hasPrefix("skipped PR #7 by"))
        let list = try u.world.wptsync(["skip", "--list"])
        #expect(list.contains("changeset \(second.prefix(12)) skipped by alice") && list.contains("PR #7 skipped by"), "\(list)")
        #expect(try u.world.wptsync(["unskip", "pr", "7"]) == "PR #7 is no longer skipped\n")

        // A failed event for a sync, retried with --sync once GitHub answers again.
        u.github.injectFault(.serverError(status: 401), count: 1000)
        try u.world.landInGecko([wpt + "c.html": "c\n"], message: "Bug 63 - c. r=x")
        #expect(try u.process().contains("1 failed"))
        let missing = try u.world.wptsyncResult(["retry", "--sync", "9"])
        #expect(missing.status != 0 && missing.stderrString.contains("there is no sync 9"))
        u.github.clearFaults()
        let retried = try u.world.wptsync(["retry", "--sync", "2"])
        #expect(retried.contains("will retry event(s) 3") && retried.contains("reconciled: sync 2 gecko/63 open PR #2"), "\(retried)")
        #expect(try u.process().contains("processed 1 event(s), 0 failed"))
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/62", "gecko/63"])
    }

    @Test func aDeletedSyncIsRebuiltByTheNextPushTouchingItsChangesets() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko([wpt + "d.html": "d\n"], message: "Bug 64 - d. r=x")
        try u.process()
        #expect(try u.world.wptsync(["delete", "1"])
                == "deleted sync 1 (gecko/64, PR #1, open, 1 changeset(s)); the next push touching its changesets rebuilds it\n")
        #expect(try u.world.wptsync(["list"]).isEmpty)
        let missing = try u.world.wptsyncResult(["delete", "1"])
        #expect(missing.status != 0 && missing.stderrString.contains("there is no sync 1"))

        try u.world.gecko.hg(["push", "-q", u.world.central])
        #expect(try u.process().contains("processed 1 event(s), 0 failed"))
        let shown = try u.world.wptsync(["show", "upstream", "64"])
        #expect(shown.contains("sync 2 gecko/64 open PR #1") && shown.contains("(in mozilla-central)"), "\(shown)")
        #expect(u.github.pullRequests.count == 1)
    }

    @Test func rebuildAfterLosingTheStoreGivesTheSameSyncsAndLaterPushesCarryOn() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko([wpt + "m.html": "m\n"], message: "Bug 72 - m. r=x", to: u.world.central)
        try u.process()
        u.github.setCheckRun(sha: try #require(u.github.pullRequests.first?.headSHA), name: "wpt-firefox", .success)
        try u.process()
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 70 - a. r=x")
        let a2 = try u.world.landInGecko([wpt + "a2.html": "a2\n"], message: "Bug 70 - a2. r=x")
        let b = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 71 - b. r=x")
        try u.world.landInGecko([wpt + "d.html": "d\n"], message: "Bug 73 - d. r=x")
        try u.process()
        for (node, bug) in [(a2, 70), (b, 71)] {
            try u.world.gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug \(bug))", "-d", "0 0"])
        }
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        #expect(try u.process().contains("0 failed"))
        let before = try syncs(u)
        #expect(before.map(\.status) == ["open", "incomplete", "merged", "open"], "\(before)")

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: u.world.store + suffix) }
        let rebuilt = try u.world.wptsync(["rebuild"])
        #expect(rebuilt.split(separator: "\n").filter { $0.hasPrefix("rebuilt sync") }.count == 4, "\(rebuilt)")
        #expect(try syncs(u) == before)
        #expect(try u.world.wptsync(["rebuild"]).contains("PR #4 gecko/73: kept the existing record"))

        try u.world.landInGecko([wpt + "e.html": "e\n"], message: "Bug 73 - e. r=x")
        let later = try u.process()
        #expect(later.contains("processed 1 event(s), 0 failed"), "\(later)")
        // m.html came with bug 72's merge.
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/73"]) == "README.md\nd.html\ne.html\nm.html\n")
        #expect(u.github.pullRequests.count == 4)
    }

    /// What a person compares: bug, sequence (the branch), PR, status and the changesets with their flags, by branch.
    private func syncs(_ u: UpstreamWorld) throws -> [Compared] {
        try u.world.wptsync(["list", "--json"]).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let changesets = (object["changesets"] as? [[String: Any]] ?? []).map {
                "\($0["node"] ?? "") backed_out=\($0["backed_out"] ?? "") in_central=\($0["in_central"] ?? "")"
            }
            return Compared(bug: object["bug"] as? Int, sequence: object["sequence"] as? Int, pullRequest: object["pull_request"] as? Int,
                            status: "\(object["status"] ?? "")", changesets: changesets)
        }.sorted { ($0.bug ?? 0) < ($1.bug ?? 0) }
    }

    struct Compared: Equatable {
        var bug: Int?
        var sequence: Int?
        var pullRequest: Int?
        var status: String
        var changesets: [String]
    }
}
