import Testing
import RepoOps
import TestSupport

/// Parses `git ls-tree -r -z` output into path bytes → "mode type oid".
private func parseLsTree(_ output: [UInt8]) -> [[UInt8]: String] {
    var result: [[UInt8]: String] = [:]
    for record in output.split(separator: 0) {
        let tab = record.firstIndex(of: UInt8(ascii: "\t"))!
        result[Array(record[(tab + 1)...])] = String(decoding: record[..<tab], as: UTF8.self)
    }
    return result
}

@Test func oidHexRoundTripAndParseErrors() throws {
    let hex = "0123456789abcdef0123456789ABCDEF01234567"
    let oid = try Oid(hex: hex)
    #expect(oid.hex == hex.lowercased())
    #expect(oid.bytes.count == 20 && oid.bytes[0] == 0x01 && oid.bytes[19] == 0x67)
    #expect(Oid(bytes: oid.bytes) == oid)
    #expect(Oid.zero.isZero && !oid.isZero && Oid.zero < oid)
    #expect(throws: GitError.invalidOid("xyz")) { try Oid(hex: "xyz") }
    #expect(throws: GitError.self) { try Oid(hex: String(repeating: "g", count: 40)) }
}

@Test func gitPathKeepsBytesAndPrefixes() {
    let path = GitPath(bytes: [0x61, 0x2F, 0x66, 0xE9])
    #expect(path.string == nil)
    #expect(path.description == "a/f\u{FFFD}")
    #expect(path.isUnder("a") && !path.isUnder("a/f") && GitPath("ab/c").isUnder("a") == false)
    #expect(path.relative(to: "a") == GitPath(bytes: [0x66, 0xE9]))
    #expect(GitPath("x").appending("y/z") == "x/y/z")
}

@Test func initOpenAndBlobRoundTrip() throws {
    let dir = TempDir("git-objects")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"), initialBranch: "main")
    #expect(repo.isBare)
    #expect(try git(["symbolic-ref", "HEAD"], in: dir.sub("r.git")) == "refs/heads/main")
    let bytes: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 0x0A, 0x00]
    let oid = try repo.writeBlob(bytes)
    #expect(try git(["cat-file", "-t", oid.hex], in: dir.sub("r.git")) == "blob")
    let reopened = try GitRepository.open(at: dir.sub("r.git"))
    #expect(try reopened.blob(oid) == bytes)
    #expect(reopened.contains(oid))
    #expect(try repo.writeBlob([]) == (try Oid(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")))
}

@Test func treeWithSpecialEntriesAndRawMessageMatchesGitCLI() throws {
    let dir = TempDir("git-tree")
    let gitDir = dir.sub("r.git")
    let repo = try GitRepository.initBare(at: gitDir)
    let binary: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x10, 0x0D, 0x0A]
    let nonUTF8Name: [UInt8] = [0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74]
    let nonUTF8Path = GitPath("dir").appending(GitPath(bytes: nonUTF8Name))
    let text = try repo.writeBlob(Array("hello\n".utf8))
    let script = try repo.writeBlob(Array("#!/bin/sh\necho hi\n".utf8))
    let link = try repo.writeBlob(Array("a/b/c.txt".utf8))
    let image = try repo.writeBlob(binary)

    var editor = TreeEditor()
    editor.upsert("a/b/c.txt", oid: text)
    editor.upsert("a/run.sh", oid: script, mode: .executable)
    editor.upsert("link", oid: link, mode: .symlink)
    editor.upsert("images/x.png", oid: image)
    editor.upsert(nonUTF8Path, oid: text)
    let tree = try editor.write(onto: nil, in: repo)

    let message: [UInt8] = Array("Bug 1 - caf".utf8) + [0xE9, 0x0A, 0x0A] + Array("body\n".utf8)
    let author = GitSignature(name: "Ann Author", email: "ann@example.com", time: 1_600_000_000, offsetMinutes: -420)
    let commit = try repo.createCommit(tree: tree, parents: [], author: author, committer: testSignature, message: message)

    let listing = parseLsTree(try gitBytes(["ls-tree", "-r", "-z", commit.hex], in: gitDir))
    #expect(listing == [
        Array("a/b/c.txt".utf8): "100644 blob \(text)",
        Array("a/run.sh".utf8): "100755 blob \(script)",
        Array("link".utf8): "120000 blob \(link)",
        Array("images/x.png".utf8): "100644 blob \(image)",
        nonUTF8Path.bytes: "100644 blob \(text)",
    ])
    #expect(try gitBytes(["cat-file", "blob", image.hex], in: gitDir) == binary)
    let raw = try gitBytes(["cat-file", "commit", commit.hex], in: gitDir)
    #expect(Array(raw.suffix(message.count + 1)) == [0x0A] + message)
    #expect(String(decoding: raw, as: UTF8.self).contains("author Ann Author <ann@example.com> 1600000000 -0700"))
    #expect(try gitBytes(["log", "-1", "--format=%B", commit.hex], in: gitDir).starts(with: message))
    try git(["fsck", "--strict", "--no-dangling"], in: gitDir)

    let read = try repo.commit(commit)
    #expect(read.message == message && read.tree == tree && read.parents.isEmpty)
    #expect(read.author == author && read.committer == testSignature)
    #expect(try repo.files(in: tree).map(\.path) == ["a/b/c.txt", "a/run.sh", nonUTF8Path, "images/x.png", "link"])
    #expect(try repo.entry(at: nonUTF8Path, in: tree)?.oid == text)
    #expect(try repo.entry(at: "a/b", in: tree)?.mode == .tree)
    #expect(try repo.entry(at: "missing", in: tree) == nil)
}

@Test func treeEditorEditsABaseTree() throws {
    let dir = TempDir("git-edit")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let base = try repo.treeOf(["a/b/c.txt": "c", "a/d.txt": "d", "keep/k.txt": "k", "f": "file"])
    let new = try repo.writeBlob(Array("new".utf8))

    var editor = TreeEditor()
    editor.delete("a/b/c.txt")          // leaves a/b empty: removed
    editor.delete("a/d.txt")            // leaves a empty: removed
    editor.upsert("f/now-a-dir.txt", oid: new)
    editor.upsert("x/y/z.txt", oid: new)
    editor.delete("x/y/z.txt")          // later edit wins: x disappears again
    editor.delete("not/there")
    editor.upsert("keep/k2.txt", oid: new, mode: .executable)
    let edited = try editor.write(onto: base, in: repo)

    let files = try repo.files(in: edited).map { "\($0.path) \($0.mode)" }
    #expect(files == ["f/now-a-dir.txt 100644", "keep/k.txt 100644", "keep/k2.txt 100755"])
    #expect(try repo.treeEntries(edited).map(\.path) == ["f", "keep"])

    var graft = TreeEditor()
    graft.upsert("copy", oid: base, mode: .tree)
    graft.upsert("copy/a/extra.txt", oid: new)
    let grafted = try graft.write(onto: nil, in: repo)
    #expect(try repo.files(in: grafted, under: "copy/a").map(\.path) == ["copy/a/b/c.txt", "copy/a/d.txt", "copy/a/extra.txt"])
    #expect(try TreeEditor().write(onto: nil, in: repo) == GitRepository.emptyTree)
}

@Test func treeEditorRejectsBadPaths() throws {
    let dir = TempDir("git-badpath")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let blob = try repo.writeBlob([1])
    for bad: GitPath in ["a//b", "../x", "a/./b", "", GitPath(bytes: [0x61, 0x00])] {
        var editor = TreeEditor()
        editor.upsert(bad, oid: blob)
        #expect(throws: GitError.self) { try editor.write(onto: nil, in: repo) }
    }
    var dotGit = TreeEditor()
    dotGit.upsert(".git/config", oid: blob)
    #expect(throws: GitError.self) { try dotGit.write(onto: nil, in: repo) }
}

@Test func readsCommitsMadeByGitCLIAndWalksHistory() throws {
    let dir = TempDir("git-cli")
    let work = dir.sub("work")
    try git(["init", "-q", "-b", "main", work], in: dir.path)
    try writeFile(work + "/f.txt", "one\n")
    try git(["add", "f.txt"], in: work)
    try git(["commit", "-q", "-m", "first"], in: work)
    try writeFile(work + "/f.txt", "two\n")
    try git(["commit", "-q", "-a", "-m", "second"], in: work)

    let repo = try GitRepository.open(at: work + "/.git")
    let head = try repo.resolve("refs/heads/main")
    let commit = try repo.commit(head)
    #expect(commit.message == Array("second\n".utf8))
    #expect(commit.author.name == "Test User" && commit.parents.count == 1)
    #expect(try repo.commits(from: [head]) == [commit.parents[0], head])
    #expect(try repo.commits(from: [head], hiding: [commit.parents[0]]) == [head])
}

@Test func invalidInputsFailClearly() throws {
    let dir = TempDir("git-errors")
    let missing = dir.sub("not-a-repo")
    do {
        _ = try GitRepository.open(at: missing)
        Issue.record("opening a non-repository succeeded")
    } catch {
        #expect(error.isNotFound)
        #expect(error.description.contains(missing))
    }
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    #expect(throws: GitError.invalidMessage(reason: "contains a NUL byte")) {
        try repo.createCommit(tree: GitRepository.emptyTree, parents: [], author: testSignature,
                              committer: testSignature, message: [0x61, 0x00])
    }
    let badName = GitSignature(name: "A <b>", email: "x@example.com", time: 0)
    #expect(throws: GitError.self) {
        try repo.createCommit(tree: GitRepository.emptyTree, parents: [], author: badName,
                              committer: testSignature, message: [0x61])
    }
    #expect(throws: GitError.self) { try repo.blob(Oid.zero) }
}
