import Foundation
import GRDB
import HookIntake
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Pushes through real hooks installed by `wptsync install-hooks`, then reads the journal.
@Suite("Hooks record pushes", .serialized)
struct HookIntakeTests {
    func events(_ world: SyncWorld) throws -> [JournalEvent] {
        try SQLiteJournal(path: world.store).events(state: nil, limit: 100).reversed()
    }

    @Test func anHgPushOfTwoChangesetsIsOneEvent() throws {
        let world = try SyncWorld()
        try world.gecko.write("testing/web-platform/tests/a.html", "a")
        let first = try world.gecko.commit("Bug 1 - a r=x")
        try world.gecko.write("testing/web-platform/tests/b.html", "b")
        let last = try world.gecko.commit("Bug 1 - b r=x")
        try world.gecko.hg(["push", "-q", world.autoland])

        let recorded = try events(world)
        #expect(recorded.count == 1)
        guard case .hgPush(let push) = try #require(recorded.first).payload else { Issue.record("not an hg push"); return }
        #expect(push.repository == "autoland" && push.firstNode == first && push.lastNode == last && push.source == "push")
        #expect(recorded.first?.state == .pending)
    }

    @Test func aConfigurationTheCommandsRefuseStillLetsTheHooksRecord() throws {
        let world = try SyncWorld()
        let text = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, text.replacingOccurrences(of: "refs = [\"refs/heads/master\"]",
                                                              with: "refs = [\"refs/heads/master\"]\nupstream_push_url = \"git@github.com:someone/wpt.git\"") + "[github]\n")
        try world.gecko.write("testing/web-platform/tests/a.html", "a")
        try world.gecko.commit("Bug 1 - a r=x")
        try world.gecko.hg(["push", "-q", world.autoland])

        #expect(try events(world).count == 1, "the hook recorded the push")
        let refused = try world.wptsyncResult(["process"])
        #expect(refused.status == 78 && refused.stderrString.contains("`wpt.fetch_url` is required"), "\(refused.stderrString)")
    }

    @Test func theSamePushDeliveredTwiceIsRecordedOnce() throws {
        let world = try SyncWorld()
        let node = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        let replay = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                           extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "HG_NODE": node,
                                                                                      "HG_NODE_LAST": node, "HG_SOURCE": "push"]) { $1 })
        #expect(replay.status == 0)
        #expect(try events(world).count == 1)
    }

    @Test func aGitPushToMasterIsRecordedAndOtherRefsAreNot() throws {
        let world = try SyncWorld()
        let sha = try world.pushToMirror(file: "dom/a.html", contents: "a")
        try world.pushToMirror(file: "dom/b.html", contents: "b", ref: "refs/heads/feature")
        let recorded = try events(world)
        #expect(recorded.map(\.payload) == [.gitPush(GitPush(repository: "wpt", updates: [
            RefUpdate(old: RefUpdate.zero, new: sha, ref: "refs/heads/master")], user: recorded.first.flatMap {
                if case .gitPush(let p) = $0.payload { p.user } else { nil } }))])
    }

    @Test func pushesToSourcesThatAreNotRecordedAreSkipped() throws {
        let world = try SyncWorld(installHooks: false)
        try writeFile(world.config, try String(contentsOfFile: world.config, encoding: .utf8)
            .replacingOccurrences(of: "role = \"integration\"", with: "role = \"integration\"\nsources = [\"serve\"]"))
        try world.wptsync(["install-hooks", world.autoland])
        try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        #expect(try events(world).isEmpty)
        #expect(try String(contentsOfFile: world.log, encoding: .utf8).contains("source push is not recorded for autoland"))
    }

    @Test func garbageHookInputExitsZeroRecordsNothingAndSaysWhy() throws {
        let world = try SyncWorld()
        let env = testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "GIT_DIR": "."]) { $1 }
        let git = try ProcessRunner.run(builtProduct("wptsync-hook"), ["git-post-receive"], in: world.mirror, extraEnvironment: env,
                                        stdin: Array("this is not\n a hook line\u{1}\n".utf8))
        #expect(git.status == 0)
        #expect(git.stderrString.contains("stdin line 1: old and new must be 40-digit hex object names"))
        #expect(git.stderrString.contains("stdin line 2: expected \"<old> <new> <ref>\", got \" a hook line\\u{1}\""))
        let hg = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                       extraEnvironment: env.merging(["HG_NODE": "../../etc/passwd", "HG_SOURCE": "push"]) { $1 })
        #expect(hg.status == 0)
        #expect(hg.stderrString.contains("HG_NODE is not a 40-digit hex node"))
        let noConfig = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                             extraEnvironment: ["WPTSYNC_CONFIG": world.dir.sub("missing.toml")])
        #expect(noConfig.status == HookMain.notKept && noConfig.stderrString.contains("cannot record this push"))
        let recorded = FileManager.default.fileExists(atPath: world.store) ? try events(world) : []
        #expect(recorded.isEmpty)
        let log = try String(contentsOfFile: world.log, encoding: .utf8)
        #expect(log.contains("input rejected") && log.contains("HG_NODE is not a 40-digit hex node"))
    }

    @Test func aFloodOfGarbageLinesIsSummarisedAndTheValidLineIsStillRecorded() throws {
        let world = try SyncWorld()
        let new = String(repeating: "b", count: 40)
        var lines = (1...100_000).map { "garbage line \($0)" }
        lines.insert("\(RefUpdate.zero) \(new) refs/heads/master", at: 50_000)
        let env = testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "GIT_DIR": "."]) { $1 }
        let git = try ProcessRunner.run(builtProduct("wptsync-hook"), ["git-post-receive"], in: world.mirror, extraEnvironment: env,
                                        stdin: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(git.status == 0)
        let printed = git.stderrString.split(separator: "\n")
        #expect(printed.count <= 8, "\(printed.prefix(10))")
        #expect(git.stderrString.contains("stdin line 5: old and new must be 40-digit hex object names"))
        #expect(!git.stderrString.contains("stdin line 6:"))
        #expect(git.stderrString.contains("and 99995 more malformed stdin line(s), not shown"))
        let recorded = try events(world).map(\.payload)
        guard recorded.count == 1, case .gitPush(let push) = recorded[0] else { Issue.record("recorded: \(recorded)"); return }
        #expect(push.updates == [RefUpdate(old: RefUpdate.zero, new: new, ref: "refs/heads/master")])
        let logged = try String(contentsOfFile: world.log, encoding: .utf8).split(separator: "\n").filter { $0.contains("input rejected") }
        #expect(logged.count == 7)  // five lines, the count, and what the valid line gave
    }

    @Test func aLockedJournalSpillsToTheSpoolAndNothingIsLost() throws {
        let world = try SyncWorld()
        let node0 = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        let holder = try DatabaseQueue(path: world.store)
        var node1 = ""
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            node1 = try world.landInGecko(["testing/web-platform/tests/b.html": "b"], message: "Bug 2 - b")
        }
        #expect(try sh("hg", ["log", "-R", world.autoland, "-r", "tip", "-T", "{node}"]) == node1)
        #expect(try events(world).count == 1)
        #expect(try String(contentsOfFile: world.dir.sub("state/wptsync.spool"), encoding: .utf8).contains(node1))

        let output = try world.wptsync(["process"])
        #expect(output.contains("processed 2 event(s), 0 failed, 1 imported from the spool"))
        let nodes = try events(world).compactMap { if case .hgPush(let p) = $0.payload { p.firstNode } else { nil } }
        #expect(nodes == [node0, node1])
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).isEmpty)
    }

    @Test func anUnopenableJournalSpillsToo() throws {
        let world = try SyncWorld(storePath: "/proc/wptsync-cannot-exist/db.sqlite")
        let node = try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        #expect(try String(contentsOfFile: world.dir.sub("state/wptsync.spool"), encoding: .utf8).contains(node))
        #expect(try String(contentsOfFile: world.log, encoding: .utf8).contains("journal unavailable"))
    }
}
