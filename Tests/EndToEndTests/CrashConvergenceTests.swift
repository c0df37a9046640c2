import Foundation
import LocalServices
import Testing
import TestSupport

/// Issue 3: kill the worker at random points during a scenario and rerun; the end state is the
/// same as one clean run.
///
/// The kill delays come from a seeded generator; the seed is printed, and
/// `WPTSYNC_CRASH_SEED=<seed>` replays a run.
@Suite("Crash convergence", .serialized)
struct CrashConvergenceTests {
    /// Failed attempts are retried at once, an idle worker polls often, and the many attempts a
    /// killed worker leaves behind never exhaust an event.
    static let config = """
        [worker]
        backoff_base_seconds = 0.001
        backoff_max_seconds = 0.01
        poll_seconds = 0.01
        max_attempts = 1000

        """

    /// A world with this test's configuration: besides `config`, merges need no check to have
    /// reported (nothing plays CI here), and a second token approves each PR.
    static func makeWorld() throws -> UpstreamWorld {
        let u = try UpstreamWorld(extraConfig: config)
        let text = try String(contentsOfFile: u.world.config, encoding: .utf8)
        let edited = text
            .replacingOccurrences(of: "recheck_seconds = 0.001", with: "recheck_seconds = 0.001\nmerge_without_checks = true")
            .replacingOccurrences(of: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
                                  with: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_APPROVER_TOKEN\"")
        try #require(edited.contains("merge_without_checks") && edited.contains("approver_token_env"), "\(text)")
        try writeFile(u.world.config, edited)
        return u
    }

    /// At most how many times the worker is started and killed.
    static let maxKills = 40

    /// Where one round kills the worker. A clean run of the whole scenario takes well under a
    /// second, most of it starting up, so plain delays mostly kill a worker that is starting or
    /// done. Most rounds therefore watch the requests the local GitHub (in this process) answers
    /// during the round and kill the worker right after the n-th one that changes something
    /// (create, update, label, close, reopen, status, merge, delete), mostly within a few
    /// milliseconds: the points between acting on GitHub and saving the sync.
    enum Kill: CustomStringConvertible {
        case after(seconds: Double)
        case afterChanges(Int, plus: Double)

        static func random(using random: inout SeededGenerator) -> Kill {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: .after(seconds: Double.random(in: 0.02...0.4, using: &random))
            case 1: .afterChanges(Int.random(in: 1...6, using: &random), plus: Double.random(in: 0...0.02, using: &random))
            case 2: .afterChanges(Int.random(in: 1...6, using: &random), plus: Double.random(in: 0...0.003, using: &random))
            default: .afterChanges(Int.random(in: 1...6, using: &random), plus: 0)
            }
        }

        var description: String {
            switch self {
            case .after(let seconds): "after \(Int(seconds * 1000)) ms"
            case .afterChanges(let count, let plus): "\(String(format: "%.1f", plus * 1000)) ms after GitHub change \(count)"
            }
        }
    }

    /// How many requests that change something the local GitHub has answered.
    static func changes(_ github: LocalGitHub) -> Int {
        github.requests.count { $0.method != "GET" && $0.method != "HEAD" }
    }

    /// Records the whole scenario through the hooks, before any processing:
    /// 1. bug 101: a wpt change (with a non-wpt file beside it);
    /// 2. bug 102: two changesets in one push;
    /// 3. bug 104: one changeset;
    /// 4. a backout of bug 102's second changeset;
    /// 5. a backout of bug 104 (its PR ends closed);
    /// 6. a reland of bug 102's second changeset;
    /// 7. everything pushed to mozilla-central (bugs 101 and 102 land and merge);
    /// 8. bug 103 on autoland only (its PR stays open, built on the merged master).
    static func recordScenario(_ u: UpstreamWorld) throws {
        let w = u.world
        try w.landInGecko(["testing/web-platform/tests/a/a.html": "<p>a</p>\n", "dom/base/A.cpp": "// a\n"],
                          message: "Bug 101 - Add test a. r=alice")

        try w.gecko.write("testing/web-platform/tests/b/one.html", "one\n")
        try w.gecko.commit("Bug 102 - Part 1: test one. r=bob")
        try w.gecko.write("testing/web-platform/tests/b/two.html", "two\n")
        let two = try w.gecko.commit("Bug 102 - Part 2: test two. r=bob")
        try w.gecko.hg(["push", "-q", w.autoland])

        let d = try w.landInGecko(["testing/web-platform/tests/d/d.html": "d\n"], message: "Bug 104 - Add test d. r=carol")

        try w.gecko.hg(["backout", "-r", two, "-m", "Backed out changeset \(two.prefix(12)) (bug 102) for bustage", "-d", "0 0"])
        try w.gecko.hg(["push", "-q", w.autoland])

        try w.gecko.hg(["backout", "-r", d, "-m", "Backed out changeset \(d.prefix(12)) (bug 104) for failures", "-d", "0 0"])
        try w.gecko.hg(["push", "-q", w.autoland])

        try w.landInGecko(["testing/web-platform/tests/b/two.html": "two, fixed\n"], message: "Bug 102 - Part 2: test two, relanded. r=bob")

        try w.gecko.hg(["push", "-q", w.central])

        try w.landInGecko(["testing/web-platform/tests/c/c.html": "c\n"], message: "Bug 103 - Add test c. r=dave")
    }

    @Test
    func killingTheWorkerAtRandomPointsEndsInTheStateOfOneCleanRun() throws {
        // A fixed seed keeps CI repeatable; WPTSYNC_CRASH_SEED=random explores, a number replays.
        let requested = ProcessInfo.processInfo.environment["WPTSYNC_CRASH_SEED"]
        let seed = requested == "random" ? UInt64.random(in: 1...UInt64.max) : requested.flatMap { UInt64($0) } ?? 42
        print("crash convergence: seed \(seed) (replay with WPTSYNC_CRASH_SEED=\(seed))")

        // The clean run.
        let clean = try Self.makeWorld()
        try Self.recordScenario(clean)
        let cleanOutputs = try clean.processUntilSettled()
        #expect(cleanOutputs.first?.contains("processed 8 event(s), 0 failed") == true, "\(cleanOutputs)")
        #expect(try clean.unfinishedEvents() == 0)
        let expected = try ConvergenceState.capture(clean)
        print("crash convergence: the clean run made \(clean.github.requests.count) GitHub request(s), \(Self.changes(clean.github)) changing")

        // The scenario itself ends where it should, so that comparing with it means something.
        let cleanPulls = clean.github.pullRequests
        #expect(cleanPulls.map(\.headRef) == ["gecko/101", "gecko/102", "gecko/104", "gecko/103"], "\(expected)")
        #expect(cleanPulls.map(\.isMerged) == [true, true, false, false], "\(expected)")
        #expect(cleanPulls.map(\.isOpen) == [false, false, false, true], "\(expected)")
        #expect(cleanPulls.allSatisfy { $0.labels == ["mozilla:gecko-sync"] && $0.approvedBy.contains("wpt-sync-approver") }, "\(expected)")
        #expect(try clean.git(["show", "master:b/two.html"]) == "two, fixed\n")
        #expect(try clean.git(["ls-tree", "-r", "--name-only", "master"]) == "README.md\na/a.html\nb/one.html\nb/two.html\n")

        // The crashing run: the same scenario, with the worker killed again and again.
        let crashing = try Self.makeWorld()
        try Self.recordScenario(crashing)
        var random = SeededGenerator(seed: seed)
        let environment = testEnvironment.merging(crashing.world.environment) { $1 }
        var log: [String] = []
        for round in 1...Self.maxKills {
            let kill = Kill.random(using: &random)
            let requestsBefore = crashing.github.requests.count
            let changesBefore = Self.changes(crashing.github)
            let arguments = ["worker", "--config", crashing.world.config]
            let run = switch kill {
            case .after(let seconds):
                try runAndKill(builtProduct("wptsync"), arguments, in: crashing.world.dir.path,
                               extraEnvironment: environment, limit: seconds)
            case .afterChanges(let count, let plus):
                try runAndKill(builtProduct("wptsync"), arguments, in: crashing.world.dir.path, extraEnvironment: environment,
                               when: { Self.changes(crashing.github) >= changesBefore + count }, limit: 3, extraDelay: plus)
            }
            let left = try crashing.unfinishedEvents()
            log.append("round \(round): killed \(kill), status \(run.status)\(run.exitedEarly ? " (exited by itself)" : ""), "
                       + "\(crashing.github.requests.count - requestsBefore) request(s) \(Self.changes(crashing.github) - changesBefore) changing, \(left) event(s) unfinished")
            #expect(!run.exitedEarly, "the worker stopped by itself: \(run.output)")
            if left == 0 { break }
        }
        print("crash convergence (seed \(seed)):\n" + log.joined(separator: "\n"))
        let outputs = try crashing.processUntilSettled()
        #expect(try crashing.unfinishedEvents() == 0, "seed \(seed): \(outputs)")
        let actual = try ConvergenceState.capture(crashing)

        // Exactly one PR per sync, never a duplicate.
        let pulls = crashing.github.pullRequests
        #expect(Set(pulls.map(\.headRef)).count == pulls.count, "seed \(seed): duplicate PRs: \(pulls.map(\.headRef))")
        #expect(pulls.count == cleanPulls.count, "seed \(seed): \(pulls.map(\.headRef))")
        #expect(actual.pulls == expected.pulls, "seed \(seed):\n\(expected.differences(to: actual))")
        #expect(actual.masterTree == expected.masterTree, "seed \(seed):\n\(expected.differences(to: actual))")
        #expect(actual.upstreamRefs == expected.upstreamRefs, "seed \(seed):\n\(expected.differences(to: actual))")
        #expect(actual.syncs == expected.syncs, "seed \(seed):\n\(expected.differences(to: actual))")
        #expect(actual.events == expected.events, "seed \(seed):\n\(expected.differences(to: actual))")
    }

    /// The crash the random test runs into most often, on purpose: the worker dies right after
    /// GitHub merged the PR, before it deleted the branch and saved the sync.
    @Test
    func aCrashRightAfterTheMergeStillDeletesTheBranch() throws {
        let u = try Self.makeWorld()
        try u.world.landInGecko(["testing/web-platform/tests/m.html": "m\n"], message: "Bug 201 - Test m. r=erin")
        try u.world.gecko.hg(["push", "-q", u.world.central])
        let environment = testEnvironment.merging(u.world.environment) { $1 }
        let run = try runAndKill(builtProduct("wptsync"), ["worker", "--config", u.world.config], in: u.world.dir.path,
                                 extraEnvironment: environment,
                                 when: { u.github.requests.contains { $0.method == "PUT" && $0.path.hasSuffix("/merge") } }, limit: 10)
        #expect(run.status == 128 + SIGKILL)
        #expect(u.github.pullRequests.map(\.isMerged) == [true])
        try u.processUntilSettled()
        #expect(try u.unfinishedEvents() == 0)
        #expect(try u.world.wptsync(["list"]).contains("gecko/201 merged PR #1"))
        #expect(try u.git(["branch", "--list", "gecko/201"]).isEmpty, "the merged PR's branch is left behind")
    }

    /// The worker dies after pushing the sync's branch, before opening its PR and saving the sync,
    /// and upstream master moves meanwhile: the branch holds wptsync's own export of the sync's
    /// changeset, so it is still the sync's (the new export goes there, with one PR), not a
    /// person's branch to leave alone.
    @Test
    func aCrashBetweenPushingTheBranchAndOpeningThePRKeepsTheBranch() throws {
        let u = try Self.makeWorld()
        try u.world.landInGecko(["testing/web-platform/tests/e.html": "e\n"], message: "Bug 202 - Test e. r=erin")
        u.github.injectFault(.hang, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        let environment = testEnvironment.merging(u.world.environment) { $1 }
        let run = try runAndKill(builtProduct("wptsync"), ["worker", "--config", u.world.config], in: u.world.dir.path,
                                 extraEnvironment: environment,
                                 when: { u.github.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/pulls") } }, limit: 10)
        #expect(run.status == 128 + SIGKILL)
        let pushed = try u.git(["rev-parse", "gecko/202"])
        #expect(u.github.pullRequests.isEmpty)
        u.github.clearFaults()

        let clone = u.world.dir.sub("other-clone")
        try sh("git", ["clone", "-q", u.upstream, clone])
        try writeFile(clone + "/other.html", "other\n")
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "-m", "Someone else's change"], in: clone)
        try sh("git", ["push", "-q", "origin", "HEAD:refs/heads/master"], in: clone)

        try u.processUntilSettled()
        #expect(try u.unfinishedEvents() == 0)
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/202"])
        #expect(try u.git(["rev-parse", "gecko/202"]) != pushed, "rebuilt on the new master")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/202"]) == "README.md\ne.html\nother.html\n")
        #expect(try u.world.wptsync(["list"]).contains("gecko/202 open PR #1"))
    }
}
