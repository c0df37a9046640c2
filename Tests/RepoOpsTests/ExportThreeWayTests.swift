import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

private let readPaths: [UpstreamExporter.HgReadPath] = [.automatic, .stockCommands]

private func export(_ world: ExportWorld, _ node: String, onto: Oid,
                    _ readPath: UpstreamExporter.HgReadPath = .automatic) throws -> ExportOutcome {
    try UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes(), readPath: readPath)
        .export(node: node, onto: onto)
}

private func tree(_ outcome: ExportOutcome, _ world: ExportWorld) throws -> [GitPath: FileState] {
    guard case .exported(let commit) = outcome else {
        Issue.record("expected a commit, got \(outcome)")
        return [:]
    }
    return try world.snapshot(commit.tree)
}

private let ten = (1...10).map { "line \($0)\n" }.joined()

@Suite struct ExportThreeWayTests {
    @Test(arguments: readPaths)
    func upstreamChangeElsewhereInTheFileMergesCleanly(readPath: UpstreamExporter.HgReadPath) throws {
        let world = try ExportWorld()
        try world.write("a.html", ten)
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base),
                                                ["a.html": Array(ten.replacingOccurrences(of: "line 9\n", with: "line nine\n").utf8)])
        try world.write("a.html", ten.replacingOccurrences(of: "line 2\n", with: "line two\n"))
        let node = try world.commit("Bug 1 - Change line 2")
        let result = try tree(try export(world, node, onto: upstream, readPath), world)
        #expect(result["a.html"] == FileState(ten.replacingOccurrences(of: "line 2\n", with: "line two\n")
                                                .replacingOccurrences(of: "line 9\n", with: "line nine\n")))
    }

    @Test(arguments: readPaths)
    func upstreamChangeOfTheSameLinesConflicts(readPath: UpstreamExporter.HgReadPath) throws {
        let world = try ExportWorld()
        try world.write("a.html", ten)
        try world.write("b.html", "b\n")
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base),
                                                ["a.html": Array(ten.replacingOccurrences(of: "line 2\n", with: "upstream\n").utf8)])
        try world.write("a.html", ten.replacingOccurrences(of: "line 2\n", with: "gecko\n"))
        try world.write("b.html", "b changed\n")
        let node = try world.commit("Bug 1 - Change line 2")
        #expect(try export(world, node, onto: upstream, readPath) == .conflict(files: ["a.html"]))
    }

    @Test func addDeleteAndBinaryConflicts() throws {
        let world = try ExportWorld()
        try world.write("edited-upstream.html", "old\n")
        try world.write("absent-upstream.html", "old\n")
        try world.write("image.png", bytes: [0, 1, 2])
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base), [
            "added.html": Array("upstream version\n".utf8),
            "edited-upstream.html": Array("upstream edit\n".utf8),
            "absent-upstream.html": nil,
            "image.png": [0, 1, 3],
        ])
        try world.write("added.html", "gecko version\n")
        try world.hgFixture.hg(["rm", "\(ExportWorld.wpt)/edited-upstream.html", "\(ExportWorld.wpt)/absent-upstream.html"])
        try world.write("image.png", bytes: [0, 1, 4])
        let node = try world.commit("Bug 1 - Conflicting changes")
        #expect(try export(world, node, onto: upstream) == .conflict(files: ["added.html", "edited-upstream.html", "image.png"]))
    }

    @Test func deletingWhatUpstreamAlreadyDeletedIsFineAndChangesAlreadyUpstreamAreEmpty() throws {
        let world = try ExportWorld()
        try world.write("gone.html", "old\n")
        try world.write("kept.html", "old\n")
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base), ["gone.html": nil, "kept.html": Array("new\n".utf8)])
        try world.hgFixture.hg(["rm", "\(ExportWorld.wpt)/gone.html"])
        try world.write("kept.html", "new\n")
        let node = try world.commit("Bug 1 - Already upstream")
        #expect(try export(world, node, onto: upstream) == .empty)

        try world.write("other.html", "added\n")
        let next = try world.commit("Bug 1 - More")
        #expect(try tree(try export(world, next, onto: upstream), world) == [
            "kept.html": FileState("new\n"), "other.html": FileState("added\n"),
        ])
    }

    @Test(arguments: readPaths)
    func renameCarriesUpstreamEditsOfTheSource(readPath: UpstreamExporter.HgReadPath) throws {
        let world = try ExportWorld()
        try world.write("old.html", ten)
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base),
                                                ["old.html": Array(ten.replacingOccurrences(of: "line 9\n", with: "line nine\n").utf8)])
        try world.hgFixture.hg(["mv", "\(ExportWorld.wpt)/old.html", "\(ExportWorld.wpt)/new.html"])
        try world.write("new.html", ten.replacingOccurrences(of: "line 1\n", with: "line one\n"))
        let node = try world.commit("Bug 1 - Rename and edit")
        #expect(try tree(try export(world, node, onto: upstream, readPath), world) == [
            "new.html": FileState(ten.replacingOccurrences(of: "line 1\n", with: "line one\n")
                                     .replacingOccurrences(of: "line 9\n", with: "line nine\n")),
        ])
    }

    @Test func execBitAndContentChangesCombine() throws {
        let world = try ExportWorld()
        try world.write("tool.py", ten)
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base),
                                                ["tool.py": Array(ten.replacingOccurrences(of: "line 9\n", with: "nine\n").utf8)])
        try FileManager.default.setAttributes([.posixPermissions: 0o755],
                                              ofItemAtPath: "\(world.hgFixture.root)/\(ExportWorld.wpt)/tool.py")
        let node = try world.commit("Bug 1 - Make executable")
        #expect(try tree(try export(world, node, onto: upstream), world) == [
            "tool.py": FileState(ten.replacingOccurrences(of: "line 9\n", with: "nine\n"), .executable),
        ])
    }

    @Test func addingBelowAnUpstreamFileConflicts() throws {
        let world = try ExportWorld()
        try world.write("x.html", "x\n")
        let base = try world.commit("base")
        let upstream = try world.upstreamCommit(onto: try world.mirror(base), ["dir": Array("a file\n".utf8)])
        try world.write("dir/inner.html", "inner\n")
        let node = try world.commit("Bug 1 - Add in dir")
        #expect(try export(world, node, onto: upstream) == .conflict(files: ["dir/inner.html"]))
    }
}
