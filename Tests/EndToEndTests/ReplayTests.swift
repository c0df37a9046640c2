import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// `wptsync replay` against pushes the hooks did not record: the same PRs as the hooks would have
/// given, nothing more on a second run, and nothing at all with `--dry-run`.
@Suite("Replay", .serialized)
struct ReplayTests {
    /// Four pushes to autoland: a wpt change, a Gecko-only change, two wpt changesets of another
    /// bug in one push, and the backout of the first. `after` runs after each push.
    static func scenario(_ world: SyncWorld, after: () throws -> Void) throws {
        let first = try world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        try after()
        try world.landInGecko(["dom/base/Other.cpp": "// gecko only\n"], message: "Bug 99 - Gecko only. r=bob")
        try after()
        try world.gecko.write("testing/web-platform/tests/b.html", "b\n")
        try world.gecko.commit("Bug 1235 - Add b. r=carol")
        try world.landInGecko(["testing/web-platform/tests/b2.html": "b2\n"], message: "Bug 1235 - Add b2. r=carol")
        try after()
        try world.gecko.hg(["backout", "-r", first, "-m", "Backed out changeset \(first.prefix(12)) (bug 1234) for bustage", "-d", "0 0"])
        try world.gecko.hg(["push", "-q", world.autoland])
        try after()
    }

    /// The PRs of the scenario as the hooks and the worker leave them.
    static func pullRequestsWithHooks() throws -> [PullRequestView] {
        let hooks = try UpstreamWorld()
        try scenario(hooks.world) { try hooks.process() }
        let pulls = try PullRequestView.all(hooks)
        #expect(pulls.map(\.headRef) == ["gecko/1234", "gecko/1235"] && pulls.map(\.isOpen) == [false, true])
        return pulls
    }

    @Test func replayByPushlogRangeGivesThePullRequestsOfTheHooks() throws {
        let expected = try Self.pullRequestsWithHooks()
        let u = try UpstreamWorld()
        let pushlog = try LocalPushlog(repositoryPath: u.world.autoland)
        let r = try Self.worldWithoutHooks(world: u, configLines: "url = \"\(pushlog.repositoryURL)\"\n")
        try Self.scenario(r.world) {}
        #expect(pushlog.pushes.count == 4)
        #expect(r.github.pullRequests.isEmpty)

        let before = try WorldState(r)
        let plan = try r.world.wptsync(["replay", "--repository", "autoland", "--pushes", "1:4", "--dry-run"])
        #expect(plan.contains("push 1 (1 changeset(s) by "), "\(plan)")
        #expect(plan.contains("new sync gecko/1234: open a PR\n"), "\(plan)")
        #expect(plan.contains("new sync gecko/1235: open a PR\n"), "\(plan)")
        #expect(plan.contains("sync (new) gecko/1234: close the PR opened above\n"), "\(plan)")
        #expect(try WorldState(r) == before)

        let output = try r.world.wptsync(["replay", "--repository", "autoland", "--pushes", "1:4"])
        #expect(output.contains("replayed 4/4 events"), "\(output)")
        #expect(output.contains("replay: 4 event(s), 4 recorded, 0 already recorded; processed 4 event(s), 0 failed"), "\(output)")
        #expect(try PullRequestView.all(r) == expected)

        let done = try WorldState(r)
        let again = try r.world.wptsync(["replay", "--repository", "autoland", "--pushes", "1:4"])
        #expect(again.contains("4 event(s), 0 recorded, 4 already recorded; processed 0 event(s)"), "\(again)")
        #expect(try WorldState(r) == done)
        let plannedAgain = try r.world.wptsync(["replay", "--repository", "autoland", "--pushes", "2:2", "--dry-run"])
        #expect(plannedAgain.contains("push 2 (1 changeset(s) by "), "\(plannedAgain)")
        #expect(plannedAgain.contains("already recorded as event #2 (done): not processed again"), "\(plannedAgain)")
    }

    @Test func replayByRevisionRangeGivesThePullRequestsOfTheHooks() throws {
        let expected = try Self.pullRequestsWithHooks()
        let r = try Self.worldWithoutHooks(world: UpstreamWorld())
        try Self.scenario(r.world) {}

        let before = try WorldState(r)
        let plan = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "1:tip", "--dry-run"])
        #expect(plan.components(separatedBy: "\n").filter { $0.hasPrefix("changeset ") }.count == 5, "\(plan)")
        #expect(try WorldState(r) == before)

        let output = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "1:tip"])
        #expect(output.contains("replay: 5 event(s), 5 recorded, 0 already recorded; processed 5 event(s), 0 failed"), "\(output)")
        #expect(try PullRequestView.all(r) == expected)

        let done = try WorldState(r)
        let again = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "1:tip"])
        #expect(again.contains("5 event(s), 0 recorded, 5 already recorded"), "\(again)")
        #expect(try WorldState(r) == done)
    }

    @Test func aDryRunWithoutAJournalCreatesNone() throws {
        let r = try Self.worldWithoutHooks(world: UpstreamWorld(), journal: false)
        try Self.scenario(r.world) {}
        let plan = try r.world.wptsync(["replay", "--repository", "autoland", "--revs", "1:2", "--dry-run"])
        #expect(plan.contains("new sync gecko/1234: open a PR"), "\(plan)")
        #expect(!FileManager.default.fileExists(atPath: r.world.store))
    }

    @Test func badRangesAreRefusedAndRecordNothing() throws {
        let dev = try HgFixture("pushlog-ahead")
        let ahead = try LocalPushlog(repositoryPath: dev.root, installHook: false)
        let r = try Self.worldWithoutHooks(world: UpstreamWorld(), configLines: "url = \"\(ahead.repositoryURL)\"\n")
        try dev.write("x.txt", "only on the server\n")
        let node = try dev.commit("Bug 1 - not pulled yet")
        try ahead.recordPush(firstNode: node, lastNode: node)
        let before = try WorldState(r)

        for (arguments, message) in [
            (["--repository", "autoland", "--pushes", "1:3"], "push 2 is not in the pushlog at \(ahead.repositoryURL)/json-pushes?version=2 (its last push is 1)"),
            (["--repository", "autoland", "--pushes", "1:1"], "push 1 holds changeset \(node.prefix(12)), which is not in \(r.world.autoland): pull it first"),
            (["--repository", "central", "--revs", "0:1"], "no [[gecko]] repository is named central (configured: autoland, mozilla-central)"),
            (["--repository", "autoland", "--revs", "0:nosuchrev"], "--revs 0:nosuchrev: its end, nosuchrev, is not a changeset of autoland (\(r.world.autoland))"),
            (["--repository", "autoland", "--revs", "0:deadbeefcafe"], "--revs 0:deadbeefcafe: its end, deadbeefcafe, is not a changeset of autoland (\(r.world.autoland))"),
            (["--repository", "autoland", "--revs", "deadbeefcafe:1"], "--revs deadbeefcafe:1: its start, deadbeefcafe, is not a changeset of autoland"),
            (["--repository", "mozilla-central", "--pushes", "1:1"], "gecko repository mozilla-central has no url"),
            (["--wpt", "HEAD..master"], "--wpt HEAD..master:"),
        ] {
            let result = try r.world.wptsyncResult(["replay"] + arguments)
            #expect(result.status != 0 && result.stderrString.contains(message), "\(arguments): \(result.stderrString)")
        }
        #expect(try WorldState(r) == before)
    }

    @Test func aWptRangeIsTheEventThePostReceiveHookRecorded() throws {
        let u = try UpstreamWorld()
        let first = try u.world.pushToMirror(file: "a.html", contents: "a\n")
        let second = try u.world.pushToMirror(file: "b.html", contents: "b\n")
        try u.process()
        let before = try WorldState(u)
        let plan = try u.world.wptsync(["replay", "--wpt", "\(first)..\(second)", "--dry-run"])
        #expect(plan.contains("wpt refs/heads/master \(first.prefix(12))..\(second.prefix(12)): already recorded as event #2 (done)"), "\(plan)")
        #expect(plan.contains("  1 upstream commit(s) on master's first-parent line, 1 unit(s); [landing] is not configured: nothing would be imported\n"
                              + "  commit \(second.prefix(12)) (no PR): Change b.html\n"), "\(plan)")
        let output = try u.world.wptsync(["replay", "--wpt", "\(first)..\(second)"])
        #expect(output.contains("1 event(s), 0 recorded, 1 already recorded"), "\(output)")
        #expect(try WorldState(u) == before)
    }
}

extension ReplayTests {
    /// `u` with autoland's hook recording nothing (`enabled = false`), `configLines` added to
    /// autoland's table, and a journal.
    static func worldWithoutHooks(world u: UpstreamWorld, configLines: String = "", journal: Bool = true) throws -> UpstreamWorld {
        let config = try String(contentsOfFile: u.world.config, encoding: .utf8)
        let table = "name = \"autoland\"\npath = \"\(u.world.autoland)\"\nrole = \"integration\"\n"
            + (u.world.geckoKind == .git ? "kind = \"git\"\nbranch = \"autoland\"\n" : "")
        #expect(config.contains(table))
        try writeFile(u.world.config, config.replacingOccurrences(of: table, with: table + "enabled = false\n" + configLines))
        if journal { try u.world.wptsync(["process"]) }  // a worker ran before
        return u
    }
}

/// A pull request as compared between worlds: everything but commit ids (the upstream seed
/// commits differ in time), with the head's tree instead.
struct PullRequestView: Equatable {
    var snapshot: PullRequestSnapshot
    var headTree: String?
    var headRef: String { snapshot.headRef }
    var isOpen: Bool { snapshot.isOpen }

    static func all(_ u: UpstreamWorld) throws -> [PullRequestView] {
        try u.github.pullRequests.map { pull in
            var snapshot = pull
            let tree = try pull.headSHA.map { try u.git(["rev-parse", "\($0)^{tree}"]) }
            snapshot.headSHA = nil
            snapshot.mergeCommitSHA = nil
            return PullRequestView(snapshot: snapshot, headTree: tree)
        }
    }
}

/// Everything a replay could change: the journal's events and syncs, the local GitHub's pull
/// requests and the requests it received, and the heads of every repository.
struct WorldState: Equatable {
    var events: [JournalEvent]
    var syncs: [UpstreamSync]
    var pulls: [PullRequestSnapshot]
    var requests: [RecordedRequest]
    var heads: [String]

    init(_ u: UpstreamWorld) throws {
        let journal = try SQLiteJournal(path: u.world.store)
        events = try journal.events(state: nil, limit: 10_000)
        syncs = try journal.syncs(bug: nil, status: nil)
        pulls = u.github.pullRequests
        requests = u.github.requests
        let gecko = [u.world.autoland, u.world.central]
        heads = try (u.world.geckoKind == .git ? gecko.map { try sh("git", ["--git-dir", $0, "for-each-ref"]) }
                     : gecko.map { try sh("hg", ["-R", $0, "heads", "-T", "{node}\n"]) })
            + [u.upstream, u.world.mirror].map { try sh("git", ["--git-dir", $0, "for-each-ref"]) }
    }
}
