import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

@Suite("install-hooks", .serialized)
struct InstallHooksTests {
    @Test func keepsOtherHooksAndIsIdempotent() throws {
        let world = try SyncWorld(installHooks: false)
        let marker = world.dir.sub("other-hook-ran")
        let hgrc = world.autoland + "/.hg/hgrc"
        let original = "[ui]\nusername = someone\n\n[hooks]\nchangegroup.other = touch \(marker)\n"
        try writeFile(hgrc, original)
        let first = try world.wptsync(["install-hooks", world.autoland])
        let once = try String(contentsOfFile: hgrc, encoding: .utf8)
        let second = try world.wptsync(["install-hooks", world.autoland])
        #expect(first.contains("installed the wptsync hook in \(world.autoland)/.hg/hgrc"))
        #expect(second.contains("already up to date"))
        #expect(try String(contentsOfFile: hgrc, encoding: .utf8) == once)
        #expect(once.hasPrefix(original))
        #expect(once.components(separatedBy: "# >>> wptsync >>>").count == 2)

        try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(try SQLiteJournal(path: world.store).events(state: nil, limit: 10).count == 1)
    }

    @Test func refusesToOverwriteAForeignPostReceiveHook() throws {
        let world = try SyncWorld(installHooks: false)
        let hook = world.mirror + "/hooks/post-receive"
        try writeFile(hook, "#!/bin/sh\necho mine\n", executable: true)
        let result = try world.wptsyncResult(["install-hooks", world.mirror])
        #expect(result.status == 1)
        #expect(result.stdoutString.contains("exists and is not wptsync's; leaving it alone"))
        #expect(result.stdoutString.contains("WPTSYNC_HOOK="))
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
    }

    @Test func rejectsAFolderThatIsNoRepository() throws {
        let world = try SyncWorld(installHooks: false)
        let result = try world.wptsyncResult(["install-hooks", world.dir.sub("state")])
        #expect(result.status == 1 && result.stdoutString.contains("is neither a Mercurial nor a git repository"))
    }

    @Test func theHookFolderIsBesideTheConfigurationAndOnlyItsOwnerMayWriteIt() throws {
        let world = try SyncWorld(installHooks: false)
        // A umask that would leave the folder group-writable: the folder is made 0755 all the same.
        _ = try sh("/bin/sh", ["-c", "umask 002; exec \"$0\" \"$@\"", builtProduct("wptsync"), "install-hooks", world.autoland, "--config", world.config])
        let folder = world.dir.sub("wptsync-hooks")
        #expect(try String(contentsOfFile: world.autoland + "/.hg/hgrc", encoding: .utf8).contains("WPTSYNC_HOOK=\(folder)/wptsync-hook "))
        #expect((try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) == 0o755)
        #expect(!FileManager.default.fileExists(atPath: world.dir.sub("state/bin")))
    }

    @Test func refusesAHookFolderOrFileOthersMayWrite() throws {
        let world = try SyncWorld(installHooks: false)
        let shared = world.dir.sub("shared-bin")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o775])
        let folder = try world.wptsyncResult(["install-hooks", "--hook-dir", shared, world.autoland])
        #expect(folder.status == 1)
        #expect(folder.stderrString.contains("refusing to install the hooks: \(shared) is writable by its group or by others (mode 775)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
        #expect(!((try? String(contentsOfFile: world.autoland + "/.hg/hgrc", encoding: .utf8)) ?? "").contains("wptsync"))

        // The spool's folder, writable by every pusher: a 0755 folder in it could be renamed and replaced.
        let state = world.dir.sub("state")
        try FileManager.default.createDirectory(atPath: state + "/bin", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: state)
        let parent = try world.wptsyncResult(["install-hooks", "--hook-dir", state + "/bin", world.autoland])
        #expect(parent.status == 1 && parent.stderrString.contains("\(state) is writable by its group or by others (mode 777)"))

        let own = world.dir.sub("own-bin")
        try world.wptsync(["install-hooks", "--hook-dir", own, world.autoland])
        try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: own + "/spool-hook-input")
        let file = try world.wptsyncResult(["install-hooks", "--hook-dir", own, world.autoland])
        #expect(file.status == 1 && file.stderrString.contains("\(own)/spool-hook-input is writable by its group or by others (mode 775)"))
    }

    @Test func aBrokenConfigurationIsNamed() throws {
        let world = try SyncWorld(installHooks: false)
        try writeFile(world.config, "[[gecko]]\nname = \"autoland\"\nrole = \"integration\"\n")
        let result = try world.wptsyncResult(["check-config"])
        #expect(result.status == 78)
        #expect(result.stderrString == "wptsync: \(world.config): missing required key `gecko[0].path`\n")
    }

    @Test func checkConfigNamesRepositoriesThatAreNotThere() throws {
        let world = try SyncWorld(installHooks: false)
        let notGit = world.dir.sub("plain-folder")
        try FileManager.default.createDirectory(atPath: notGit, withIntermediateDirectories: true)
        try writeFile(world.config, """
            [[gecko]]
            name = "autoland"
            path = "\(world.autoland)"
            role = "integration"

            [[gecko]]
            name = "moved"
            path = "\(world.dir.sub("moved-away"))"
            role = "central"

            [wpt]
            path = "\(notGit)"
            """)
        let result = try world.wptsyncResult(["check-config"])
        #expect(result.status == 78)
        #expect(!result.stdoutString.contains("ok"))
        let lines = result.stderrString.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("wptsync: \(world.config): `gecko[1].path` is not a Mercurial repository") == true)
        #expect(lines.last?.hasPrefix("wptsync: \(world.config): `wpt.path` is not a git repository (\(notGit)") == true)
    }

    @Test func readOnlyCommandsCreateNoJournal() throws {
        let world = try SyncWorld(installHooks: false)
        #expect(!FileManager.default.fileExists(atPath: world.store))
        for command in [["events"], ["list"], ["landings"], ["show", "upstream", "1"]] {
            let result = try world.wptsyncResult(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderrString.contains("there is no event journal at \(world.store)"), "\(command): \(result.stderrString)")
        }
        #expect(!FileManager.default.fileExists(atPath: world.store))
    }

    @Test func aConfigurationThatIsNoFileGetsASentence() throws {
        let world = try SyncWorld(installHooks: false)
        let fifo = world.dir.sub("fifo.toml")
        #expect(mkfifo(fifo, 0o600) == 0)
        try writeFile(world.dir.sub("latin1.toml"), [0x23, 0x20, 0xE9, 0x0A])
        for (file, reason) in [(world.dir.path, "it is a folder, not a file"), (fifo, "it is not a regular file (a FIFO, a device or a socket)"),
                               ("/dev/null", "it is not a regular file (a FIFO, a device or a socket)"),
                               (world.dir.sub("latin1.toml"), "it is not UTF-8 text")] {
            let result = try ProcessRunner.run(builtProduct("wptsync"), ["events", "--config", file], in: world.dir.path, extraEnvironment: testEnvironment)
            #expect(result.status == 78)
            #expect(result.stderrString == "wptsync: cannot read configuration \(file): \(reason)\n")
        }
    }

    @Test func operatorCommandsRefuseMeaninglessArguments() throws {
        let world = try SyncWorld(installHooks: false)
        try world.wptsync(["process"])
        for (arguments, message) in [(["retry", "99999"], "there is no event 99999"), (["events", "--limit=-1"], "--limit must be 0 or more, got -1"),
                                     (["skip", "pr", "0", "--reason", "x"], "0 is not a PR number (1 or more)"),
                                     (["pause", "--reason", " "], "--reason must say why")] {
            let result = try world.wptsyncResult(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderrString.contains(message), "\(arguments): \(result.stderrString)")
        }
        #expect(try world.wptsync(["skip", "--list"]).contains("#0") == false)
        #expect(try world.wptsync(["events"]).contains("paused") == false)
    }

    @Test func aNULByteIsRefusedAndNothingIsCreated() throws {
        let world = try SyncWorld(installHooks: false)
        let store = world.dir.sub("fresh.sqlite")
        try writeFile(world.config, "\u{0}[store]\npath = \"\(store)\"\n")
        let result = try world.wptsyncResult(["process"])
        #expect(result.status == 78)
        #expect(result.stderrString.contains("\(world.config):1:1: holds a NUL byte"))
        let defaultStore = URL(fileURLWithPath: world.config).deletingLastPathComponent().appendingPathComponent("wptsync.sqlite").path
        #expect(!FileManager.default.fileExists(atPath: store) && !FileManager.default.fileExists(atPath: defaultStore))
    }
}

@Suite("Processing the journal", .serialized)
struct WorkerTests {
    @Test func processReadsThePushAndMarksItDone() throws {
        let world = try SyncWorld()
        let node = try world.landInGecko(["testing/web-platform/tests/a.html": "a", "dom/x.cpp": "x"], message: "Bug 1 - a r=x")
        try world.landInGecko(["dom/y.cpp": "y"], message: "Bug 2 - not wpt r=x")
        let output = try world.wptsync(["process"])
        #expect(output.contains("processed 2 event(s), 0 failed"))
        let events = try SQLiteJournal(path: world.store).events(state: nil, limit: 10)
        #expect(events.allSatisfy { $0.state == .done && $0.attempts == 1 })
        let log = try String(contentsOfFile: world.log, encoding: .utf8)
        #expect(log.contains("push to autoland: 1 changeset(s), 1 touching testing/web-platform/tests: \(node.prefix(12))"))
        #expect(log.contains("push to autoland: 1 changeset(s), 0 touching testing/web-platform/tests"))
        #expect(try world.wptsync(["process"]).contains("processed 0 event(s)"))
    }

    @Test func anUnknownRevisionFailsForGoodAndCanBeRetriedByHand() throws {
        let world = try SyncWorld()
        let bogus = String(repeating: "1", count: 40)
        let hook = try ProcessRunner.run(builtProduct("wptsync-hook"), ["hg-changegroup"], in: world.autoland,
                                         extraEnvironment: testEnvironment.merging(["WPTSYNC_CONFIG": world.config, "HG_NODE": bogus, "HG_SOURCE": "push"]) { $1 })
        #expect(hook.status == 0)
        let run = try world.wptsyncResult(["process"])
        #expect(run.status == 1 && run.stdoutString.contains("processed 0 event(s), 1 failed"))
        let failed = try #require(try SQLiteJournal(path: world.store).event(id: 1))
        #expect(failed.state == .failed && failed.permanent && failed.nextAttemptAt == nil)
        #expect(failed.lastError?.contains(bogus) == true)
        let listing = try world.wptsync(["events", "--state", "failed"])
        #expect(listing.contains("#1 failed hg-push autoland push 111111111111 attempts=1 permanent"))
        // Not retried automatically: a second run leaves it alone.
        #expect(try world.wptsync(["process"]).contains("processed 0 event(s), 0 failed"))
        #expect(try world.wptsync(["retry", "1"]).contains("will retry event(s) 1"))
        #expect(try SQLiteJournal(path: world.store).event(id: 1)?.state == .pending)
    }

    @Test func anEventLeftRunningByADeadWorkerIsTakenBackAtOnce() throws {
        let world = try SyncWorld()
        try world.landInGecko(["testing/web-platform/tests/a.html": "a"], message: "Bug 1 - a")
        // A worker on this host that claimed the event and died (its pid no longer exists).
        let dead = try ProcessRunner.run("true", [])
        #expect(dead.status == 0)
        let child = try Child.spawn("true", [])
        let pid = child.pid
        _ = child.wait()
        let journal = try SQLiteJournal(path: world.store)
        let host = ProcessInfo.processInfo.hostName
        _ = try journal.claimNext(worker: "\(host):\(pid)", now: Date(), dueBy: Date(), leaseSeconds: 3600, maxAttempts: 8)
        #expect(try journal.event(id: 1)?.state == .running)
        #expect(try world.wptsync(["process"]).contains("processed 1 event(s)"))
        let event = try #require(try journal.event(id: 1))
        #expect(event.state == .done && event.attempts == 2)
    }

    @Test func twoDrainersNeverRunTheSameEvent() throws {
        let world = try SyncWorld()
        for n in 0..<20 {
            try world.pushToMirror(file: "f\(n).html", contents: "\(n)")
        }
        let a = try Child.spawn(builtProduct("wptsync"), ["process", "--config", world.config])
        let b = try Child.spawn(builtProduct("wptsync"), ["process", "--config", world.config])
        for child in [a, b] { close(child.stdin) }
        let outputs = [a, b].map { child -> String in
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while case let n = read(child.stdout, &buffer, buffer.count), n > 0 { data += buffer[0..<n] }
            close(child.stdout); close(child.stderr)
            _ = child.wait()
            return String(decoding: data, as: UTF8.self)
        }
        let counts = outputs.compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        #expect(counts.reduce(0, +) == 20)
        let events = try SQLiteJournal(path: world.store).events(state: nil, limit: 100)
        #expect(events.count == 20 && events.allSatisfy { $0.state == .done && $0.attempts == 1 })
    }
}

@Suite("parse-message")
struct ParseMessageCommandTests {
    @Test func printsOneJSONObject() throws {
        let output = try sh(builtProduct("wptsync"), ["parse-message"],
                            stdin: "Backed out changeset 6435d5aab611 (bug 858680) for bustage\n\ngecko-commit: abc\n")
        #expect(output == "{\"bugs\": [858680], \"reviewers\": [], \"backout\": {\"nodes\": [\"6435d5aab611\"], \"bugs\": [858680]}, \"reverts\": null, \"is_merge\": false, \"metadata\": {\"gecko-commit\": \"abc\"}}\n")
    }
}
