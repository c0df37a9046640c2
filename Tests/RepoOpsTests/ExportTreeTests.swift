import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

private let readPaths: [UpstreamExporter.HgReadPath] = [.automatic, .stockCommands]

private func exporter(_ world: ExportWorld, _ readPath: UpstreamExporter.HgReadPath = .automatic) -> UpstreamExporter {
    UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes(), readPath: readPath)
}

private func exported(_ outcome: ExportOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> ExportedCommit {
    guard case .exported(let commit) = outcome else {
        Issue.record("expected a commit, got \(outcome)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return commit
}

/// A base revision with a few wpt files, Gecko files and metadata.
private func baseWorld() throws -> (ExportWorld, base: String) {
    let world = try ExportWorld()
    try world.write("dom/a.html", "<title>a</title>\nline 2\nline 3\n")
    try world.write("dom/keep.html", "keep\n")
    try world.write("README.md", "readme\n")
    try world.hgFixture.write("dom/base/nsFoo.cpp", "int foo;\n")
    try world.hgFixture.write("testing/web-platform/meta/dom/a.html.ini", "[a.html]\n")
    let base = try world.commit("Import wpt")
    return (world, base)
}

@Suite struct ExportTreeTests {
    /// The extension's answer, every file's contents included, comes as one message of the command
    /// server, not one per field: each message wakes the exporter, and on an otherwise idle machine
    /// each wake-up cost more than the export's own work.
    @Test func extensionAnswersInOneMessage() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/a.html", "<title>a</title>\nchanged\n")
        try world.write("dom/new.html", "new\n")
        try world.hgFixture.hg(["rm", "\(ExportWorld.wpt)/dom/keep.html"])
        let node = try world.commit("Bug 1 - Three files. r=me")
        let subject = exporter(world)
        let before = (commands: world.hg.commandsRun, messages: world.hg.outputMessages)
        _ = try exported(try subject.export(node: node, onto: onto))
        #expect(subject.usesExtension)
        #expect(world.hg.commandsRun - before.commands == 1)
        #expect(world.hg.outputMessages - before.messages == 1)
    }

    @Test(arguments: readPaths)
    func oneChangesetGivesExactTreeAndMessage(readPath: UpstreamExporter.HgReadPath) throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/a.html", "<title>a</title>\nline 2 changed\nline 3\n")
        try world.write("dom/new.html", "new\n")
        try world.hgFixture.write("dom/base/nsFoo.cpp", "int foo = 1;\n")
        try world.hgFixture.write("testing/web-platform/meta/dom/a.html.ini", "[a.html]\n  expected: FAIL\n")
        let node = try world.commit("Bug 1234567 - Fix the a test. r=alice,bob\n\nLonger explanation.\nSecond line.",
                                    date: "1700000000 -3600")

        let subject = exporter(world, readPath)
        let commit = try exported(try subject.export(node: node, onto: onto))
        #expect(subject.usesExtension == (readPath == .automatic))
        #expect(commit.node == node)
        #expect(try world.snapshot(commit.tree) == [
            "README.md": FileState("readme\n"),
            "dom/a.html": FileState("<title>a</title>\nline 2 changed\nline 3\n"),
            "dom/keep.html": FileState("keep\n"),
            "dom/new.html": FileState("new\n"),
        ])
        let written = try world.git.commit(commit.commit)
        #expect(written.parents == [onto])
        #expect(written.tree == commit.tree)
        #expect(String(decoding: written.message, as: UTF8.self) == """
            Fix the a test.

            Longer explanation.
            Second line.

            bugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=1234567
            gecko-commit: \(node)
            gecko-reviewers: alice, bob

            """)
        let expected = GitSignature(name: "Jane Doe", email: "jane@example.com", time: 1_700_000_000, offsetMinutes: 60)
        #expect(written.author == expected)
        #expect(written.committer == expected)
    }

    @Test(arguments: readPaths)
    func changesetsOutsideWptAreEmpty(readPath: UpstreamExporter.HgReadPath) throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.hgFixture.write("testing/web-platform/meta/dom/a.html.ini", "[a.html]\n  expected: TIMEOUT\n")
        let metaOnly = try world.commit("Bug 2 - Update metadata")
        try world.hgFixture.write("dom/base/nsFoo.cpp", "int foo = 2;\n")
        try world.hgFixture.write("testing/web-platform/tests-other/x.html", "not wpt\n")
        let geckoOnly = try world.commit("Bug 3 - Gecko change")
        let subject = exporter(world, readPath)
        #expect(try subject.export(node: metaOnly, onto: onto) == .empty)
        #expect(try subject.export(node: geckoOnly, onto: onto) == .empty)
    }

    @Test(arguments: readPaths)
    func everyKindOfChangeIsByteExact(readPath: UpstreamExporter.HgReadPath) throws {
        let world = try ExportWorld()
        let latin1: [UInt8] = Array("\(ExportWorld.wpt)/caf".utf8) + [0xE9] + Array(".html".utf8)
        try world.write("mod.html", "one\n")
        try world.write("gone.html", "bye\n")
        try world.write("old/name.html", "moved content\n")
        try world.write("source.js", "copied\n")
        try world.write("tool.py", "print(1)\n")
        try world.write("image.png", bytes: [0x89, 0x50, 0, 0xFF, 1, 2])
        try world.hgFixture.symlink("\(ExportWorld.wpt)/old-link", to: "mod.html")
        let base = try world.commit("base")
        let onto = try world.mirror(base)

        try world.write("mod.html", "one\ntwo\n")
        try world.hgFixture.hg(["rm", "\(ExportWorld.wpt)/gone.html"])
        try world.hgFixture.hg(["mv", "\(ExportWorld.wpt)/old/name.html", "\(ExportWorld.wpt)/new/name.html"])
        try world.hgFixture.hg(["cp", "\(ExportWorld.wpt)/source.js", "\(ExportWorld.wpt)/copy.js"])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(world.hgFixture.root)/\(ExportWorld.wpt)/tool.py")
        try world.write("image.png", bytes: [0x89, 0x50, 0, 0xFE, 0, 0, 0x80])
        try world.hgFixture.hg(["rm", "\(ExportWorld.wpt)/old-link"])
        try world.hgFixture.symlink("\(ExportWorld.wpt)/link", to: "new/name.html")
        try world.hgFixture.write(rawName: latin1, bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A, 0xFF, 0x00])
        let node = try world.commit("Bug 9 - Everything. r=me")

        let commit = try exported(try exporter(world, readPath).export(node: node, onto: onto))
        #expect(try world.snapshot(commit.tree) == [
            GitPath(bytes: Array("caf".utf8) + [0xE9] + Array(".html".utf8)): FileState([0x63, 0x61, 0x66, 0xE9, 0x0A, 0xFF, 0x00]),
            "copy.js": FileState("copied\n"),
            "image.png": FileState([0x89, 0x50, 0, 0xFE, 0, 0, 0x80]),
            "link": FileState("new/name.html", .symlink),
            "mod.html": FileState("one\ntwo\n"),
            "new/name.html": FileState("moved content\n"),
            "source.js": FileState("copied\n"),
            "tool.py": FileState("print(1)\n", .executable),
        ])
    }

    @Test func nonUTF8DescriptionPassesThroughByteForByte() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/keep.html", "kept\n")
        let node = try world.hgFixture.commitRaw(message: "Bug 77 - R\\xe9sum\\xe9 r=z\\n\\nCaf\\xe9 \\xff body",
                                                 user: "J\\xf6rg <j@example.com>")
        let commit = try exported(try exporter(world).export(node: node, onto: onto))
        let message = try world.git.commit(commit.commit).message
        let expected: [UInt8] = Array("R".utf8) + [0xE9] + Array("sum".utf8) + [0xE9] + Array("\n\nCaf".utf8) + [0xE9, 0x20, 0xFF]
            + Array(" body\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=77\ngecko-commit: \(node)\ngecko-reviewers: z\n".utf8)
        #expect(message == expected)
    }

    @Test func exportIsDeterministic() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/a.html", "changed\n")
        let node = try world.commit("Bug 5 - Change a. r=x")
        let first = try exporter(world).export(node: node, onto: onto)
        let second = try exporter(world).export(node: node, onto: onto)
        let third = try exporter(world, .stockCommands).export(node: String(node.prefix(12)), onto: onto)
        #expect(first == second)
        #expect(first == third)
        #expect(try exported(first).node == node)
    }

    @Test func exportsOnTopOfAPreviousExport() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/a.html", "first\n")
        let first = try world.commit("Bug 5 - Part 1")
        try world.write("dom/a.html", "second\n")
        let second = try world.commit("Bug 5 - Part 2")
        let subject = exporter(world)
        let one = try exported(try subject.export(node: first, onto: onto))
        let two = try exported(try subject.export(node: second, onto: one.commit))
        #expect(try world.git.commit(two.commit).parents == [one.commit])
        #expect(try world.snapshot(two.tree)["dom/a.html"] == FileState("second\n"))
    }

    @Test func pathsEscapingTheTreeAreRefused() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        for bad in ["../../etc/passwd", "dom/./x.html", ".git/config", "dom/.GIT/hooks/post-checkout", "dom//x"] {
            let node = try world.commitInMemory([Array("\(ExportWorld.wpt)/\(bad)".utf8): Array("x\n".utf8),
                                                  Array("\(ExportWorld.wpt)/dom/fine.html".utf8): Array("ok\n".utf8)],
                                                 message: "Bug 6 - Escape")
            let objects = try looseObjectCount(world.git.path)
            #expect(throws: ExportError.pathEscapesTree(path: HgPath("\(ExportWorld.wpt)/\(bad)"), node: node)) {
                try exporter(world).export(node: node, onto: onto)
            }
            #expect(try looseObjectCount(world.git.path) == objects, "nothing written for \(bad)")
        }
    }

    /// The extension looks a full node up in the changelog's index and anything else through a revset:
    /// both name the same changeset, and an unknown full node is still an unknown revision.
    @Test func fullShortAndSymbolicNamesExportTheSameChangeset() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        try world.write("dom/a.html", "changed\n")
        let node = try world.commit("Bug 7 - Change a. r=x")
        let full = try exporter(world).export(node: node, onto: onto)
        #expect(try exported(full).node == node)
        #expect(try exporter(world).export(node: String(node.prefix(12)), onto: onto) == full)
        #expect(try exporter(world).export(node: "tip", onto: onto) == full)
        let unknown = String(repeating: "d", count: 40)
        #expect(throws: ExportError.hg(.unknownRevision(revision: unknown, repository: world.hg.path), node: unknown)) {
            try exporter(world).export(node: unknown, onto: onto)
        }
    }

    @Test func errorsNameTheChangeset() throws {
        let (world, base) = try baseWorld()
        let onto = try world.mirror(base)
        #expect(throws: ExportError.self) { try exporter(world).export(node: "deadbeefdead", onto: onto) }
        do {
            _ = try exporter(world).export(node: "deadbeefdead", onto: onto)
        } catch {
            #expect(error.description.contains("deadbeefdead"))
        }
    }
}

private func looseObjectCount(_ gitDir: String) throws -> Int {
    let objects = gitDir + "/objects"
    return try FileManager.default.contentsOfDirectory(atPath: objects)
        .filter { $0.count == 2 }
        .reduce(0) { $0 + (try FileManager.default.contentsOfDirectory(atPath: "\(objects)/\($1)").count) }
}
