import Foundation
import Testing
import RepoOps
import TestSupport

@Suite struct HgCommandServerTests {
    @Test func unknownRevisionNamesRevisionAndRepository() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        try fixture.commit("one")
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        let expected = HgError.unknownRevision(revision: "nope", repository: fixture.root)
        #expect(throws: expected) { try repo.node(of: "nope") }
        #expect(throws: expected) { try repo.changesets("nope") }
        #expect(throws: expected) { try repo.changes(in: "nope") }
        #expect(throws: expected) { try repo.files(at: "nope", paths: ["a"]) }
        #expect(throws: expected) { try repo.export("nope") }
        #expect(throws: HgError.unknownRevision(revision: "nope", repository: fixture.root)) {
            try repo.isAncestor("0", of: "nope")
        }
        #expect(expected.description.contains("nope") && expected.description.contains(fixture.root))
        #expect(try repo.node(of: "0").count == 40)  // The server survives failed commands.
    }

    @Test func notARepository() throws {
        let dir = TempDir()
        #expect(throws: HgError.notARepository(path: dir.path)) {
            try HgRepository(path: dir.path)
        }
        #expect(throws: HgError.notARepository(path: dir.sub("missing"))) {
            try HgRepository(path: dir.sub("missing"))
        }
        #expect(HgError.notARepository(path: dir.path).description.contains(dir.path))
    }

    @Test func missingHgIsReported() throws {
        let fixture = try HgFixture()
        #expect {
            try HgRepository(path: fixture.root, hg: "/nonexistent/bin/hg")
        } throws: { error in
            guard case HgError.hgNotFound(let executable, _)? = error as? HgError else { return false }
            return executable == "/nonexistent/bin/hg"
        }
    }

    @Test func oneServerProcessServesAllQueries() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        let node = try fixture.commit("one")
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        let pid = repo.serverProcessID
        #expect(pid > 0)
        let cmdline = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
        #expect(cmdline.contains("--cmdserver"))
        for _ in 0..<50 {
            #expect(try repo.node(of: "tip") == node)
            _ = try repo.changes(in: node)
        }
        #expect(repo.serverProcessID == pid)
        #expect(kill(pid, 0) == 0)
        repo.close()
        // Reaped in the background: the process is gone within a bounded wait.
        var polls = 0
        while kill(pid, 0) == 0 && polls < 5000 { usleep(1000); polls += 1 }
        #expect(kill(pid, 0) != 0)
        #expect(throws: HgError.closed(repository: fixture.root)) { try repo.node(of: "tip") }
    }

    @Test func inputRequestsDoNotHang() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        try fixture.commit("one")
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        // Reads the message from stdin: an 'I' request, answered with end-of-file.
        #expect(try repo.run(["commit", "-l", "-"]).status != 0)
        // Reads a patch from stdin line by line: 'L' requests.
        #expect(try repo.run(["import", "-"]).status != 0)
        // An interactive prompt: an 'L' request.
        let prompted = try repo.run(["--config", "ui.interactive=true", "debuguiprompt", "-p", "continue?"])
        #expect(prompted.status != 0)
        #expect(try repo.run(["log", "-r", "0", "-T", "{rev}"]).outputString == "0")
    }

    @Test func serverDeathIsReported() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        try fixture.commit("one")
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        kill(repo.serverProcessID, SIGKILL)
        #expect {
            try repo.node(of: "tip")
        } throws: { error in
            guard case HgError.serverDied(let repository, _)? = error as? HgError else { return false }
            return repository == fixture.root
        }
        #expect {
            try repo.changes(in: "tip")
        } throws: { error in
            guard case HgError.serverDied? = error as? HgError else { return false }
            return true
        }
    }

    @Test func runReturnsStatusOutputAndError() throws {
        let fixture = try HgFixture()
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        let ok = try repo.run(["root"])
        #expect(ok.status == 0)
        #expect(ok.outputString.hasSuffix("/repo\n"))
        let bad = try repo.run(["no-such-command"])
        #expect(bad.status == 255)
        #expect(bad.errorString.contains("unknown command"))
    }
}

@Suite struct HgParsingTests {
    @Test func rawChangelogEntryWithExtras() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        let node = try fixture.commit("close me")
        try fixture.hg(["commit", "--close-branch", "-m", "closed\n\n  indented"])
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        let closed = try repo.changeset("tip")
        #expect(closed.parents == [node])
        #expect(closed.extra["close"] == Array("1".utf8))
        #expect(closed.files == [])
        #expect(closed.descriptionText == "closed\n\n  indented")
    }
}
