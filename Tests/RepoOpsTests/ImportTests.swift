import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport

private let ten = (1...10).map { "line \($0)\n" }.joined()
private func path(_ text: String) -> HgPath { HgPath(stringLiteral: "testing/web-platform/tests/" + text) }
private func write(_ text: String, flags: HgFileFlags = .regular) -> PlannedCommit.FileChange {
    .write(HgFile(data: Array(text.utf8), flags: flags))
}

/// A Gecko base with a local change not yet upstream, and the upstream commit Gecko's wpt came from (also the try commit tests').
func importWorld() throws -> (ExportWorld, upstreamBase: Oid, gecko: String) {
    let w = try ExportWorld()
    try w.write("a.html", ten)
    try w.write("keep.js", "keep\n")
    try w.write("resources/testdriver_vendor.js", "gecko's vendor file\n")
    let base = try w.commit("Initial")
    let upstreamBase = try w.mirror(base)
    try w.write("a.html", ten.replacingOccurrences(of: "line 2\n", with: "line two (gecko)\n"))
    return (w, upstreamBase, try w.commit("Bug 1 - Gecko's change, not upstream yet"))
}

func upstreamChange(_ w: ExportWorld, onto base: Oid, _ files: [String: String?]) throws -> Oid {
    var editor = TreeEditor()
    for (name, contents) in files {
        if let contents { editor.upsert(GitPath(name), oid: try w.git.writeBlob(Array(contents.utf8))) } else { editor.delete(GitPath(name)) }
    }
    let tree = try editor.write(onto: try w.git.commit(base).tree, in: w.git)
    return try w.git.createCommit(tree: tree, parents: [base], author: testSignature, committer: testSignature, message: Array("Change\n".utf8))
}

@Suite("Import: upstream changes onto Gecko's files, three-way, in memory")
struct ImportBuilderTests {
    @Test("Gecko's own change survives; additions, deletions and excluded paths are handled")
    func mergesOntoGeckoFiles() throws {
        let (w, base, gecko) = try importWorld()
        let head = try upstreamChange(w, onto: base, [
            "a.html": ten.replacingOccurrences(of: "line 9\n", with: "line nine\n"),
            "b.html": "new\n", "keep.js": nil, "resources/testdriver_vendor.js": "upstream's vendor file\n",
        ])
        let builder = ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: LandingSettings.defaultExclude)
        let applied = try builder.apply([UpstreamChange(base: base.hex, head: head.hex)], geckoBase: gecko)
        #expect(applied == [.files([
            path("a.html"): write(ten.replacingOccurrences(of: "line 2\n", with: "line two (gecko)\n").replacingOccurrences(of: "line 9\n", with: "line nine\n")),
            path("b.html"): write("new\n"),
            path("keep.js"): .remove,
        ])])
    }

    @Test("changes apply in order, each on the result of the ones before; a change Gecko already has is empty")
    func appliesInOrder() throws {
        let (w, base, gecko) = try importWorld()
        let first = try upstreamChange(w, onto: base, ["c.html": "one\n"])
        let second = try upstreamChange(w, onto: first, ["c.html": "two\n"])
        let geckoHas = try upstreamChange(w, onto: second, ["a.html": ten.replacingOccurrences(of: "line 2\n", with: "line two (gecko)\n")])
        let applied = try ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: [])
            .apply([UpstreamChange(base: base.hex, head: first.hex), UpstreamChange(base: first.hex, head: second.hex),
                    UpstreamChange(base: second.hex, head: geckoHas.hex)], geckoBase: gecko)
        #expect(applied == [.files([path("c.html"): write("one\n")]), .files([path("c.html"): write("two\n")]), .files([:])])
    }

    @Test("a change that does not merge with Gecko's is a conflict naming the file, and stops there")
    func conflictStops() throws {
        let (w, base, gecko) = try importWorld()
        let clash = try upstreamChange(w, onto: base, ["a.html": ten.replacingOccurrences(of: "line 2\n", with: "line two (upstream)\n")])
        let later = try upstreamChange(w, onto: clash, ["d.html": "d\n"])
        let applied = try ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: [])
            .apply([UpstreamChange(base: base.hex, head: clash.hex), UpstreamChange(base: clash.hex, head: later.hex)], geckoBase: gecko)
        #expect(applied == [.conflict(["a.html"])])
    }

    @Test("a path Mercurial cannot hold is a conflict, settled only by keeping Gecko's side; conflicts are settled either way")
    func unfitPathsAndResolutions() throws {
        let (w, base, gecko) = try importWorld()
        let hgPath = try upstreamChange(w, onto: base, ["x/.hg/hgrc": "[hooks]\n", "ok.html": "ok\n"])
        let builder = { (resolutions: [String: ConflictResolution]) in
            ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: [], resolutions: resolutions)
        }
        #expect(try builder([:]).apply([UpstreamChange(base: base.hex, head: hgPath.hex)], geckoBase: gecko)
                == [.conflict(["x/.hg/hgrc (a path Gecko cannot hold)"])])
        #expect(try builder(["x/.hg/hgrc": .upstream]).apply([UpstreamChange(base: base.hex, head: hgPath.hex)], geckoBase: gecko)
                == [.conflict(["x/.hg/hgrc (a path Gecko cannot hold)"])])
        #expect(try builder(["x/.hg/hgrc": .gecko]).apply([UpstreamChange(base: base.hex, head: hgPath.hex)], geckoBase: gecko)
                == [.files([path("ok.html"): write("ok\n")])])

        let upstreamLine2 = ten.replacingOccurrences(of: "line 2\n", with: "line two (upstream)\n")
        let clash = try upstreamChange(w, onto: base, ["a.html": upstreamLine2])
        #expect(try builder(["a.html": .upstream]).apply([UpstreamChange(base: base.hex, head: clash.hex)], geckoBase: gecko)
                == [.files([path("a.html"): write(upstreamLine2)])])
        #expect(try builder(["a.html": .gecko]).apply([UpstreamChange(base: base.hex, head: clash.hex)], geckoBase: gecko) == [.files([:])])
        #expect(GitPath("a\nb").unfitForMercurial && GitPath("A/.HG/x").unfitForMercurial && !GitPath("a/.hgignore").unfitForMercurial)
    }

    @Test("symlinks leading out of the wpt tree and names with control characters are refused, each named with its reason")
    func refusedLinksAndNames() throws {
        let (w, base, gecko) = try importWorld()
        var editor = TreeEditor()
        for (path, target) in ["deep/hgrc": "../../../../.hg/hgrc", "passwd": "/etc/passwd", "up": "..", "inside": "a.html", "deep/ok": "../keep.js"] {
            editor.upsert(GitPath(path), oid: try w.git.writeBlob(Array(target.utf8)), mode: .symlink)
        }
        editor.upsert(GitPath("bell\u{7}.html"), oid: try w.git.writeBlob(Array("x\n".utf8)))
        let tree = try editor.write(onto: try w.git.commit(base).tree, in: w.git)
        let head = try w.git.createCommit(tree: tree, parents: [base], author: testSignature, committer: testSignature, message: Array("Links\n".utf8))
        let change = [UpstreamChange(base: base.hex, head: head.hex)]
        let leaving = " (a symlink leading out of the wpt tree)"
        #expect(try ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: []).apply(change, geckoBase: gecko)
                == [.conflict(["bell\u{7}.html (a file name with control characters)", "deep/hgrc" + leaving, "passwd" + leaving, "up" + leaving])])
        let keepGecko = Dictionary(uniqueKeysWithValues: ["bell\u{7}.html", "deep/hgrc", "passwd", "up"].map { ($0, ConflictResolution.gecko) })
        #expect(try ImportBuilder(git: w.git, gecko: w.hg, prefix: ExportWorld.wpt, excluded: [], resolutions: keepGecko).apply(change, geckoBase: gecko)
                == [.files([path("inside"): write("a.html", flags: .symlink), path("deep/ok"): write("../keep.js", flags: .symlink)])])
    }

    @Test("paths that would leave the tree are recognised", arguments: ["../x", "a/../../x", ".git/config", "a/.GIT/x", "/abs", "a//b", "./x"])
    func escapingPaths(text: String) {
        #expect(GitPath(stringLiteral: text).escapesTree)
    }

    @Test func ordinaryPathsDoNotEscape() {
        #expect(!GitPath("css/a..b/.gitignore").escapesTree)
    }
}

@Suite("Landing clone: commits written by Mercurial without a work tree, pushed")
struct LandingCloneTests {
    @Test("commits keep bytes, flags, symlinks, removals, author, date and message; push reports races")
    func commitsAndPushes() throws {
        let (w, _, gecko) = try importWorld()
        let dir = TempDir("landing-clone")
        let clone = try LandingClone(path: dir.sub("clone"), source: w.hgFixture.root)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("clone/testing")), "no work tree")
        let base = try clone.refresh(from: w.hgFixture.root)
        #expect(base == gecko)
        let odd = HgPath(bytes: Array("testing/web-platform/tests/caf".utf8) + [0xe9, 0x2e, 0x68, 0x74, 0x6d, 0x6c])
        let message = Array("Bug 3 [wpt PR 4] - Title, a=testonly\n\nbody \u{e9}\n".utf8) + [0xff]
        let nodes = try clone.commit([
            PlannedCommit(user: "Upstream Author <a@example.com>", date: (1_700_000_000, -3600), message: message, files: [
                odd: write("latin-1 name\n"), path("run.sh"): write("#!/bin/sh\n", flags: .executable),
                path("link"): write("a.html", flags: .symlink), path("keep.js"): .remove,
            ]),
            PlannedCommit(user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_100, 0), message: Array("landing".utf8),
                          files: [HgPath("testing/web-platform/meta/mozilla-sync"): write("upstream: x\n")]),
        ], onto: base)
        #expect(nodes.count == 2)
        let hg = clone.hg
        let first = try hg.changeset(nodes[0])
        #expect(first.description == Array("Bug 3 [wpt PR 4] - Title, a=testonly\n\nbody \u{e9}\n\u{fffd}".utf8), "not UTF-8: replaced")
        #expect(first.parents == [base])
        #expect(try hg.run(["log", "-r", nodes[0], "-T", "{author}|{date|hgdate}"]).outputString == "Upstream Author <a@example.com>|1700000000 -3600")
        let files = try hg.files(at: nodes[0], paths: [odd, path("run.sh"), path("link"), path("keep.js")])
        #expect(files[odd]?.data == Array("latin-1 name\n".utf8))
        #expect(files[path("run.sh")]?.flags == .executable && files[path("link")]?.flags == .symlink && files[path("keep.js")] == nil)
        #expect(try hg.changeset(nodes[1]).parents == [nodes[0]])

        let target = dir.sub("target")
        try sh("hg", ["clone", "-q", "-U", w.hgFixture.root, target])
        #expect(try clone.push(nodes[1], to: target) == .pushed)
        #expect(try clone.push(nodes[1], to: target) == .nothingToPush)
        // Someone else pushes first: the next landing's push loses the race until it is rebuilt.
        let racing = try clone.commit([PlannedCommit(user: "x <x@example.com>", date: (0, 0), message: Array("next".utf8),
                                                     files: [path("n.html"): write("n\n")])], onto: nodes[1])
        try w.hgFixture.hg(["pull", "-q", "-u", target])
        try w.write("other.html", "other\n")
        try w.commit("Someone else's change")
        try w.hgFixture.hg(["push", "-q", target])
        let outcome = try clone.push(racing[0], to: target)
        guard case .lostRace = outcome else { Issue.record("expected a lost race, got \(outcome)"); return }
        let rebased = try clone.refresh(from: target)
        #expect(!clone.contains(racing[0]), "unpushed drafts are dropped before building again")
        #expect(try hg.isAncestor(nodes[1], of: rebased))
    }
}

@Suite("Running programs with a time limit")
struct ProcessTimeoutTests {
    @Test("a program past its limit is killed and says so; one within it is not")
    func killsPastTheLimit() throws {
        let slow = try ProcessRunner.run("sleep", ["30"], timeout: 0.3)
        #expect(slow.timedOut && slow.status == 128 + SIGKILL)
        let quick = try ProcessRunner.run("sh", ["-c", "echo done"], timeout: 30)
        #expect(!quick.timedOut && quick.status == 0 && quick.stdoutString == "done\n")
    }
}
