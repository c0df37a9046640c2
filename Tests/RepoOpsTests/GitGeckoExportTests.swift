import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

/// A git Gecko clone beside an `ExportWorld`: the same changes committed in both give the same
/// wpt commits, but for `gecko-commit:`.
private final class GitGeckoClone {
    let directory = TempDir("git-gecko")
    var root: String { directory.sub("gecko") }

    init() throws { try sh("git", ["init", "-q", "-b", "autoland", directory.sub("gecko")]) }

    func write(_ path: String, _ contents: String, executable: Bool = false) throws {
        try writeFile("\(root)/\(path)", contents, executable: executable)
    }

    /// Commits everything as `Jane Doe` at the `ExportWorld`'s default date (hg's `-3600` is UTC+01:00).
    @discardableResult
    func commit(_ message: String) throws -> String {
        try sh("git", ["add", "-A"], in: root)
        let date = ["GIT_AUTHOR_DATE": "1700000000 +0100", "GIT_COMMITTER_DATE": "1700000000 +0100",
                    "GIT_AUTHOR_NAME": "Jane Doe", "GIT_AUTHOR_EMAIL": "jane@example.com"]
        try sh("git", ["commit", "-q", "--allow-empty-message", "-F", "-"], in: root, env: date, stdin: message)
        return try sh("git", ["rev-parse", "HEAD"], in: root).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite("Export from a git Gecko")
struct GitGeckoExportTests {
    /// Writes `files` (below the wpt prefix unless they start with `/`) in both repositories and commits them.
    private func both(_ world: ExportWorld, _ clone: GitGeckoClone, _ files: [String: String], message: String,
                      executable: Set<String> = []) throws -> (hg: String, git: String) {
        for (path, contents) in files {
            let full = path.hasPrefix("/") ? String(path.dropFirst()) : "\(ExportWorld.wpt)/\(path)"
            try world.hgFixture.write(full, contents, executable: executable.contains(path))
            try clone.write(full, contents, executable: executable.contains(path))
        }
        return (try world.commit(message), try clone.commit(message))
    }

    private func commit(_ outcome: ExportOutcome) throws -> ExportedCommit {
        guard case .exported(let commit) = outcome else { throw ExportError.mergeChangeset(node: "expected a commit, got \(outcome)") }
        return commit
    }

    @Test func theSameChangesGiveTheSameWptCommitsFromHgAndFromGit() throws {
        let world = try ExportWorld()
        let clone = try GitGeckoClone()
        let base = try both(world, clone, ["dom/a.html": "a\nline 2\n", "dom/keep.html": "keep\n", "/dom/base/Foo.cpp": "int foo;\n"],
                            message: "Import wpt")
        let onto = try world.mirror(base.hg)
        let fromHg = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
        let gecko = try GitGecko(path: clone.root)
        let fromGit = UpstreamExporter(gecko: gecko, git: world.git, prefixes: PathPrefixes())

        let first = try both(world, clone, ["dom/a.html": "a\nline 2 changed\n", "dom/run.sh": "#!/bin/sh\n", "/dom/base/Foo.cpp": "int foo = 1;\n"],
                             message: "Bug 5 - Change a. r=alice\n\nDetails stay.\n", executable: ["dom/run.sh"])
        let hgCommit = try commit(try fromHg.export(node: first.hg, onto: onto))
        let gitCommit = try commit(try fromGit.export(node: first.git, onto: onto))
        #expect(hgCommit.tree == gitCommit.tree)
        let hgMessage = String(decoding: try world.git.commit(hgCommit.commit).message, as: UTF8.self)
        let gitMessage = String(decoding: try world.git.commit(gitCommit.commit).message, as: UTF8.self)
        #expect(gitMessage.contains("gecko-commit: \(first.git)\n"))
        #expect(gitMessage == hgMessage.replacingOccurrences(of: first.hg, with: first.git))
        #expect(try world.git.commit(gitCommit.commit).author == world.git.commit(hgCommit.commit).author)
        #expect(try world.snapshot(gitCommit.tree)["dom/run.sh"]?.mode == .executable)

        // A rename and a removal, onto the same commit.
        try FileManager.default.removeItem(atPath: "\(world.hgFixture.root)/\(ExportWorld.wpt)/dom/keep.html")
        try FileManager.default.removeItem(atPath: "\(clone.root)/\(ExportWorld.wpt)/dom/keep.html")
        _ = try world.hgFixture.hg(["mv", "\(ExportWorld.wpt)/dom/a.html", "\(ExportWorld.wpt)/dom/b.html"])
        try sh("git", ["mv", "\(ExportWorld.wpt)/dom/a.html", "\(ExportWorld.wpt)/dom/b.html"], in: clone.root)
        let second = (try world.commit("Bug 6 - Move a to b"), try clone.commit("Bug 6 - Move a to b"))
        let movedHg = try commit(try fromHg.export(node: second.0, onto: hgCommit.commit))
        let movedGit = try commit(try fromGit.export(node: second.1, onto: hgCommit.commit))
        #expect(movedHg.tree == movedGit.tree)
        #expect(try world.snapshot(movedGit.tree).keys.map(\.description).sorted() == ["dom/b.html", "dom/run.sh"])
    }

    @Test func aNonUTF8MessageIsRefusedNamingTheCommitAndTheByte() throws {
        let world = try ExportWorld()
        let clone = try GitGeckoClone()
        try clone.write("\(ExportWorld.wpt)/a.html", "a\n")
        let base = try clone.commit("Import")
        try writeFile("\(clone.directory.path)/message", [0x42, 0x75, 0x67, 0x20, 0x35, 0x20, 0x2d, 0x20, 0xe9, 0x74, 0xe9, 0x0a])
        try clone.write("\(ExportWorld.wpt)/a.html", "b\n")
        try sh("git", ["add", "-A"], in: clone.root)
        try sh("git", ["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", "\(clone.directory.path)/message"], in: clone.root)
        let latin1 = try sh("git", ["rev-parse", "HEAD"], in: clone.root).trimmingCharacters(in: .whitespacesAndNewlines)
        let gecko = try GitGecko(path: clone.root)
        #expect(throws: GitError.notUTF8(commit: latin1, field: "message", offset: 8)) { try gecko.changeset(latin1) }
        #expect(throws: GitError.notUTF8(commit: latin1, field: "message", offset: 8)) {
            try gecko.changesets(from: base, to: latin1)
        }
        let exporter = UpstreamExporter(gecko: gecko, git: world.git, prefixes: PathPrefixes())
        // Read before anything else: the commit to build on is never looked at.
        #expect { try exporter.export(node: latin1, onto: .zero) } throws: { error in
            "\(error)" == "cannot read Gecko commit \(latin1): commit \(latin1) has a message that is not UTF-8 (invalid byte at offset 8); it cannot be read as a Gecko changeset"
        }
    }

    @Test func anUnknownRevisionIsNamed() throws {
        let clone = try GitGeckoClone()
        try clone.write("a", "a\n")
        try clone.commit("Import")
        let gecko = try GitGecko(path: clone.root)
        let missing = String(repeating: "1", count: 40)
        #expect(throws: GitError.unknownRevision(missing, repository: clone.root)) { try gecko.changeset(missing) }
        #expect(!gecko.holds(missing))
        #expect(try gecko.changeset(prefix: "zz") == nil)
    }
}
