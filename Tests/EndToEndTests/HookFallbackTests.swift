import Foundation
import GRDB
import HookIntake
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Pushes whose hook cannot do its normal job: the executable is gone or fails, the journal and
/// the spool cannot be written, the spool holds a torn record, the repository is not configured.
@Suite("Hooks lose no push", .serialized)
struct HookFallbackTests {
    func events(_ world: SyncWorld) throws -> [JournalEvent] {
        try SQLiteJournal(path: world.store).events(state: nil, limit: 100).reversed()
    }

    /// Commits in the developer clone and pushes to `repository`; returns the node and the push's output.
    func push(_ world: SyncWorld, _ file: String, to repository: String? = nil) throws -> (node: String, output: ProcessOutput) {
        try world.gecko.write(file, file)
        let node = try world.gecko.commit("Bug 1 - \(file)")
        let output = try ProcessRunner.run("hg", ["push", "-r", node, repository ?? world.autoland], in: world.gecko.root,
                                           extraEnvironment: testEnvironment)
        return (node, output)
    }

    /// Pushes a commit to the mirror's master from a scratch clone; returns its sha and the push's output.
    func pushToMirror(_ world: SyncWorld, _ file: String, mirror: String? = nil) throws -> (sha: String, output: ProcessOutput) {
        let clone = world.dir.sub("wpt-clone")
        if !FileManager.default.fileExists(atPath: clone) { try sh("git", ["init", "-q", "-b", "master", clone]) }
        try writeFile("\(clone)/\(file)", file)
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "-m", "Change \(file)"], in: clone)
        let sha = try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
        let output = try ProcessRunner.run("git", ["push", mirror ?? world.mirror, "HEAD:refs/heads/master"], in: clone,
                                           extraEnvironment: testEnvironment)
        return (sha, output)
    }

    var hookDirectory: (SyncWorld) -> String { { $0.dir.sub("wptsync-hooks") } }

    @Test func theHooksRunACopyOfWptsyncHookOutsideTheBuild() throws {
        let world = try SyncWorld()
        let hgrc = try String(contentsOfFile: world.autoland + "/.hg/hgrc", encoding: .utf8)
        let postReceive = try String(contentsOfFile: world.mirror + "/hooks/post-receive", encoding: .utf8)
        let bin = hookDirectory(world)
        for text in [hgrc, postReceive] {
            #expect(text.contains("WPTSYNC_HOOK=\(bin)/wptsync-hook"))
            #expect(text.contains("WPTSYNC_SPOOL=\(world.dir.sub("state/wptsync.spool"))"))
            #expect(!text.contains(".build"))
        }
        for name in ["wptsync-hook", "hg-changegroup", "git-post-receive", "spool-hook-input"] {
            #expect(FileManager.default.isExecutableFile(atPath: "\(bin)/\(name)"))
        }
        #expect(try world.wptsync(["install-hooks", world.autoland]).contains("already up to date"))
    }

    @Test func aMissingOrFailingHookExecutableLosesNoPush() throws {
        let world = try SyncWorld()
        let hook = hookDirectory(world) + "/wptsync-hook"
        try FileManager.default.removeItem(atPath: hook)
        let hg = try push(world, "testing/web-platform/tests/a.html")
        #expect(hg.output.status == 0)
        #expect(try sh("hg", ["log", "-R", world.autoland, "-r", "tip", "-T", "{node}"]) == hg.node)
        #expect(hg.output.stderrString.contains("its input is kept in \(world.dir.sub("state/wptsync.spool"))"))

        try writeFile(hook, "#!/bin/sh\necho crashed >&2\nexit 3\n", executable: true)
        let git = try pushToMirror(world, "dom/a.html")
        #expect(git.output.status == 0)
        #expect(git.output.stderrString.contains("wptsync-hook could not record this push (status 3)"))
        #expect(try !FileManager.default.fileExists(atPath: world.store) || events(world).isEmpty)

        let output = try world.wptsync(["process"])
        #expect(output.contains("processed 2 event(s), 0 failed, 2 imported from the spool"))
        let recorded = try events(world)
        #expect(recorded.map(\.state) == [.done, .done])
        guard case .hgPush(let hgPush) = recorded.first?.payload, case .gitPush(let gitPush) = recorded.last?.payload else {
            Issue.record("expected an hg push then a git push, got \(recorded.map(\.payload))"); return
        }
        #expect(hgPush.repository == "autoland" && hgPush.firstNode == hg.node && hgPush.lastNode == hg.node && hgPush.source == "push")
        #expect(gitPush.updates == [RefUpdate(old: RefUpdate.zero, new: git.sha, ref: "refs/heads/master")])
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).unreadableSummary() == nil)

        // The key is the hook's own: delivering the same push through the real executable is a duplicate.
        let again = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                          extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "HG_NODE": hg.node,
                                                                                     "HG_NODE_LAST": hg.node, "HG_SOURCE": "push"]) { $1 })
        #expect(again.status == 0)
        #expect(try events(world).count == 2)
    }

    @Test func aPushWhileTheConfigurationIsBrokenIsKeptUntilItIsFixed() throws {
        let world = try SyncWorld()
        let good = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, good + "\n[store\n")
        let hg = try push(world, "testing/web-platform/tests/a.html")
        #expect(hg.output.status == 0)
        #expect(hg.output.stderrString.contains("cannot record this push: \(world.config)"))
        #expect(hg.output.stderrString.contains("its input is kept in \(world.dir.sub("state/wptsync.spool"))"))

        try writeFile(world.config, good)
        #expect(try world.wptsync(["process"]).contains("processed 1 event(s), 0 failed, 1 imported from the spool"))
        #expect(try events(world).compactMap { if case .hgPush(let p) = $0.payload { p.firstNode } else { nil } } == [hg.node])
    }

    @Test func aTornSpoolRecordLosesNoLaterPushAndEventsReportsIt() throws {
        let world = try SyncWorld()
        let spool = world.dir.sub("state/wptsync.spool")
        // What a crash or a full disk in the middle of an earlier append left.
        let fragment = "WPTSYNC1 event 230 0badc0de\n{\"kind\":\"hg-push\",\"payl"
        try writeFile(spool, fragment)
        let holder = try DatabaseQueue(path: world.store)
        var node = ""
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            node = try push(world, "testing/web-platform/tests/b.html").node
        }
        let output = try world.wptsync(["process"])
        #expect(output.contains("processed 1 event(s), 0 failed, 1 imported from the spool"))
        #expect(try events(world).compactMap { if case .hgPush(let p) = $0.payload { p.firstNode } else { nil } } == [node])
        let listing = try world.wptsync(["events"])
        #expect(listing.contains("warning: \(spool).unreadable holds 1 unreadable spool record(s), \(fragment.utf8.count) byte(s)"))
    }

    @Test func aPushThatCannotBeWrittenAnywhereNamesTheReplayThatBringsItBack() throws {
        let world = try SyncWorld(storePath: "/proc/wptsync-cannot-exist/db.sqlite")
        let spool = world.dir.sub("state/wptsync.spool")
        let first = try push(world, "testing/web-platform/tests/a.html").node
        let spooled = try Data(contentsOf: URL(fileURLWithPath: spool))
        // `ulimit -f 1` allows 512 bytes: the second record starts below the limit and ends above it.
        #expect(spooled.count < 512 && spooled.count * 2 > 512)
        // The next push, with the hook hitting the file-size limit (as on a full disk) partway through its append.
        try world.gecko.write("testing/web-platform/tests/b.html", "b")
        let second = try world.gecko.commit("Bug 2 - b")
        try world.gecko.hg(["push", "-q", "-r", second, world.autoland, "--config", "hooks.changegroup.wptsync="])
        let limited = try ProcessRunner.run(
            "/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" hg-changegroup", builtProduct("wptsync-hook")], in: world.autoland,
            extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "HG_NODE": second, "HG_SOURCE": "push"]) { $1 })
        #expect(limited.status == HookMain.notKept)
        #expect(limited.stderrString.contains("File too large"))
        #expect(limited.stderrString.contains("autoland received \(second) to \(second)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: spool)) == spooled)
        let third = try push(world, "testing/web-platform/tests/c.html").node
        let (old, new) = (String(repeating: "a", count: 40), String(repeating: "b", count: 40))
        let mirror = try ProcessRunner.run(
            "/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" git-post-receive", builtProduct("wptsync-hook")], in: world.mirror,
            extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "GIT_DIR": "."]) { $1 },
            stdin: Array("\(old) \(new) refs/heads/master\n".utf8))
        #expect(mirror.status == HookMain.notKept)
        #expect(mirror.stderrString.contains("wpt received refs/heads/master \(old) to \(new) (run: wptsync replay --config \(world.config) --wpt \(old)..\(new))"))

        try writeFile(world.config, try String(contentsOfFile: world.config, encoding: .utf8)
            .replacingOccurrences(of: "/proc/wptsync-cannot-exist/db.sqlite", with: world.store))
        #expect(try world.wptsync(["process"]).contains("processed 2 event(s), 0 failed, 2 imported from the spool"))
        let command = try #require(limited.stderrString.split(separator: "\n").first { $0.contains("run: wptsync replay ") }?
            .components(separatedBy: "run: wptsync ").last?.split(separator: " ").map(String.init))
        #expect(command == ["replay", "--config", world.config, "--repository", "autoland", "--revs", "\(second):\(second)"])
        let replay = try ProcessRunner.run(builtProduct("wptsync"), command, in: world.dir.path, extraEnvironment: testEnvironment)
        #expect(replay.status == 0)
        let nodes = try events(world).compactMap { if case .hgPush(let p) = $0.payload { p.firstNode } else { nil } }
        #expect(nodes == [first, third, second])
        #expect(try events(world).allSatisfy { $0.state == .done })
        #expect(SpoolFile(path: spool).unreadableSummary() == nil)
    }

    @Test func aPushInARepositoryTheConfigurationDoesNotListIsKeptAndReported() throws {
        let world = try SyncWorld()
        let spool = world.dir.sub("state/wptsync.spool")
        try writeFile(world.config, try String(contentsOfFile: world.config, encoding: .utf8)
            .replacingOccurrences(of: "level = \"debug\"", with: "level = \"info\""))
        let moved = world.dir.sub("autoland-moved")
        try sh("cp", ["-a", world.autoland, moved])
        let hg = try push(world, "testing/web-platform/tests/a.html", to: moved)
        #expect(hg.output.status == 0)
        #expect(hg.output.stderrString.contains("warning: this hook runs in \(moved), which is not a [[gecko]] repository in the configuration"))
        #expect(hg.output.stderrString.contains(hg.node))
        #expect(hg.output.stderrString.contains("its input is kept in \(spool)"))
        // The pusher learns nothing about the other repositories on the server.
        #expect(!hg.output.stderrString.contains(world.central) && !hg.output.stderrString.contains("\(world.autoland)/"))

        let movedMirror = world.dir.sub("wpt-moved.git")
        try sh("cp", ["-a", world.mirror, movedMirror])
        let git = try pushToMirror(world, "dom/a.html", mirror: movedMirror)
        #expect(git.output.status == 0)
        #expect(git.output.stderrString.contains("this hook runs in \(movedMirror), which is not the configured wpt mirror;"))
        #expect(git.output.stderrString.contains("its input is kept in \(spool)"))
        #expect(!git.output.stderrString.contains(world.mirror))

        #expect(try !FileManager.default.fileExists(atPath: world.store) || events(world).isEmpty)
        let log = try String(contentsOfFile: world.log, encoding: .utf8)
        #expect(log.contains("this hook runs in \(moved)") && log.contains("this hook runs in \(movedMirror)"))

        // Draining quarantines both with the reason, and `wptsync events` says so.
        try world.wptsync(["process"])
        #expect(try events(world).isEmpty)
        let quarantine = try String(contentsOfFile: spool + ".unreadable", encoding: .utf8)
        #expect(quarantine.contains("repository \(moved) is not in the configuration ([[gecko]]: autoland at \(world.autoland)"))
        #expect(quarantine.contains("repository \(movedMirror) is not in the configuration ([wpt] path: \(world.mirror))"))
        #expect(try world.wptsync(["events"]).contains("warning: \(spool).unreadable holds 2 unreadable spool record(s)"))
    }

    @Test func aSavedGitInputWithABadLineKeepsItsValidUpdatesAndWhoPushed() throws {
        let world = try SyncWorld()
        try writeFile(hookDirectory(world) + "/wptsync-hook", "#!/bin/sh\nexit 3\n", executable: true)
        let new = String(repeating: "b", count: 40)
        let input = "\(RefUpdate.zero) \(new) refs/heads/master\nnot a ref update\n"
        // The mirror's installed hook as git runs it, for a pusher known only by LOGNAME.
        let hook = try ProcessRunner.run("/usr/bin/env", ["-u", "USER", "-u", "REMOTE_USER", "LOGNAME=pusher", world.mirror + "/hooks/post-receive"],
                                         in: world.mirror, extraEnvironment: testEnvironment.merging(["GIT_DIR": "."]) { $1 },
                                         stdin: Array(input.utf8))
        #expect(hook.status == 0 && hook.stderrString.contains("its input is kept in"))

        _ = try world.wptsyncResult(["process"])
        let pushes = try events(world).compactMap { if case .gitPush(let p) = $0.payload { p } else { nil } }
        #expect(pushes.map(\.updates) == [[RefUpdate(old: RefUpdate.zero, new: new, ref: "refs/heads/master")]])
        #expect(pushes.first?.user == "pusher")
        #expect(SpoolFile(path: world.dir.sub("state/wptsync.spool")).unreadableSummary() == nil)
        #expect(try String(contentsOfFile: world.log, encoding: .utf8).contains("stdin line 2: expected"))
    }
}
