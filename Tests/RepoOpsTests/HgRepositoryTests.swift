import Foundation
import Testing
import RepoOps
import TestSupport

/// Latin-1 "café", a file name that is not valid UTF-8.
private let latin1Name: [UInt8] = Array("caf".utf8) + [0xE9]

/// A history exercising every kind of change:
/// 0 adds text, binary, executable, symlink, nested and glob-like files;
/// 1 modifies, renames, copies; 2 (branch `feature`, Latin-1 author and message)
/// removes the symlink and adds a non-UTF-8 file name.
private func makeHistory() throws -> (HgFixture, [String]) {
    let fixture = try HgFixture()
    try fixture.write("a.txt", "alpha\n")
    try fixture.write("bin.dat", bytes: [0, 1, 2, 0xFF, 0, 0x80])
    try fixture.write("script.sh", "#!/bin/sh\necho hi\n", executable: true)
    try fixture.symlink("link", to: "a.txt")
    try fixture.write("dir/sub.txt", "sub\n")
    try fixture.write("we[ir]d*.txt", "weird\n")
    let first = try fixture.commit("Bug 1 - first\n\nbody line", date: "1000 -3600")
    try fixture.write("a.txt", "alpha\nbeta\n")
    try fixture.hg(["mv", "dir/sub.txt", "dir/moved.txt"])
    try fixture.hg(["cp", "a.txt", "copy.txt"])
    let second = try fixture.commit("second", date: "2000 18000")
    try fixture.hg(["branch", "feature"])
    try fixture.hg(["rm", "link"])
    try fixture.write(rawName: latin1Name, bytes: [0xE9, 0x0A])
    let third = try fixture.commitRaw(message: "D\\xe9j\\xe0 vu\\n\\nmore \\xff", user: "J\\xf6rg <j@example.com>",
                                      date: "3000 0")
    return (fixture, [first, second, third])
}

private func open(_ fixture: HgFixture) throws -> HgRepository {
    try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
}

@Suite struct HgRepositoryTests {
    @Test func changesetFieldsAreExact() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        let changesets = try repo.changesets("all()")
        #expect(changesets.map(\.node) == nodes)

        let first = changesets[0]
        #expect(first.parents == [])
        #expect(first.author == Array("Test User <test@example.com>".utf8))
        #expect(first.date == HgDate(seconds: 1000, offset: -3600))
        #expect(first.description == Array("Bug 1 - first\n\nbody line".utf8))
        #expect(first.branch == "default")
        #expect(first.files.map(\.description) == ["a.txt", "bin.dat", "dir/sub.txt", "link", "script.sh", "we[ir]d*.txt"])

        #expect(changesets[1].parents == [nodes[0]])
        #expect(changesets[1].date == HgDate(seconds: 2000, offset: 18000))
    }

    @Test func nonUTF8AuthorAndDescriptionAreByteExact() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        let third = try repo.changeset(nodes[2])
        #expect(third.description == Array("D".utf8) + [0xE9] + Array("j".utf8) + [0xE0] + Array(" vu\n\nmore ".utf8) + [0xFF])
        #expect(third.author == Array("J".utf8) + [0xF6] + Array("rg <j@example.com>".utf8))
        #expect(third.branch == "feature")
        #expect(third.extra["branch"] == Array("feature".utf8))
        #expect(third.files.contains(HgPath(bytes: latin1Name)))
        // The template output is transcoded, which is why the raw changelog entry is read instead.
        #expect(try repo.run(["log", "-r", nodes[2], "-T", "{desc}"]).output != third.description)
    }

    @Test func mergeHasTwoParents() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        let base = try fixture.commit("base")
        try fixture.write("b", "b\n")
        let left = try fixture.commit("left")
        try fixture.hg(["update", "-r", base])
        try fixture.write("c", "c\n")
        let right = try fixture.commit("right")
        try fixture.hg(["merge", "-r", left])
        let merge = try fixture.commit("merge")
        let repo = try open(fixture)
        let changeset = try repo.changeset(merge)
        #expect(changeset.parents == [right, left])
        #expect(changeset.isMerge)
        #expect(try repo.isAncestor(left, of: merge))
        #expect(try !repo.isAncestor(left, of: right))
        #expect(try repo.isAncestor(base, of: base))
    }

    @Test func changesListStatusesCopiesAndRenames() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        #expect(Set(try repo.changes(in: nodes[1])) == [
            HgFileChange(path: "a.txt", status: .modified),
            HgFileChange(path: "copy.txt", status: .added, copySource: "a.txt"),
            HgFileChange(path: "dir/moved.txt", status: .added, copySource: "dir/sub.txt"),
            HgFileChange(path: "dir/sub.txt", status: .removed),
        ])
        #expect(Set(try repo.changes(in: nodes[2])) == [
            HgFileChange(path: HgPath(bytes: latin1Name), status: .added),
            HgFileChange(path: "link", status: .removed),
        ])
        #expect(try repo.changes(in: nodes[0]).count == 6)
    }

    @Test func fileContentsAndFlags() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        let files = try repo.files(at: nodes[0], paths: ["a.txt", "bin.dat", "script.sh", "link", "we[ir]d*.txt", "absent", "dir"])
        #expect(files == [
            "a.txt": HgFile(data: Array("alpha\n".utf8), flags: .regular),
            "bin.dat": HgFile(data: [0, 1, 2, 0xFF, 0, 0x80], flags: .regular),
            "script.sh": HgFile(data: Array("#!/bin/sh\necho hi\n".utf8), flags: .executable),
            "link": HgFile(data: Array("a.txt".utf8), flags: .symlink),
            "we[ir]d*.txt": HgFile(data: Array("weird\n".utf8), flags: .regular),
        ])
        let raw = HgPath(bytes: latin1Name)
        #expect(try repo.files(at: nodes[2], paths: [raw]) == [raw: HgFile(data: [0xE9, 0x0A], flags: .regular)])
        #expect(try repo.contents(of: "a.txt", at: nodes[1]) == Array("alpha\nbeta\n".utf8))
        #expect(try repo.flags(at: nodes[2], paths: ["script.sh", "link"]) == ["script.sh": .executable])
        #expect(throws: HgError.noSuchFile(path: "link", revision: nodes[2], repository: fixture.root)) {
            try repo.contents(of: "link", at: nodes[2])
        }
    }

    @Test func manyPathsAreBatched() throws {
        let fixture = try HgFixture()
        let names = (0..<250).map { "f/\($0).txt" }
        for name in names { try fixture.write(name, name) }
        let node = try fixture.commit("many")
        let repo = try open(fixture)
        let files = try repo.files(at: node, paths: names.map { HgPath($0) })
        #expect(files.count == 250)
        #expect(files.allSatisfy { $0.value.data == $0.key.bytes && $0.value.flags.gitMode == 0o100644 })
    }

    @Test func exportMatchesHgExportGit() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        let patch = try repo.export(nodes[1])
        #expect(patch == Array(try fixture.hg(["export", "--git", "-r", nodes[1]]).utf8))
        let text = String(decoding: patch, as: UTF8.self)
        #expect(text.contains("diff --git a/dir/sub.txt b/dir/moved.txt\nrename from dir/sub.txt\nrename to dir/moved.txt"))
        #expect(text.contains("copy from a.txt\ncopy to copy.txt"))
    }

    @Test func revisionsResolveToFullNodes() throws {
        let (fixture, nodes) = try makeHistory()
        let repo = try open(fixture)
        #expect(try repo.node(of: "0") == nodes[0])
        #expect(try repo.node(of: "tip") == nodes[2])
        #expect(try repo.node(of: String(nodes[1].prefix(12))) == nodes[1])
        #expect(try repo.node(of: "feature") == nodes[2])
        #expect(try repo.isAncestor("0", of: "tip"))
        #expect(try !repo.isAncestor("tip", of: "0"))
        #expect(try repo.changesets("none()").isEmpty)
    }

    @Test func timeInCommandsAddsUpEachCommandsWallTime() throws {
        let (fixture, _) = try makeHistory()
        let repo = try open(fixture)
        #expect(repo.timeInCommands == .zero)
        let start = ContinuousClock.now
        _ = try repo.files(at: "tip", paths: ["a.txt", "copy.txt"])
        let outside = ContinuousClock.now - start
        let first = repo.timeInCommands
        #expect(first > .zero && first <= outside)
        _ = try repo.node(of: "tip")
        #expect(repo.timeInCommands > first)
    }
}
