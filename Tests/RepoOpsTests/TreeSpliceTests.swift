import Testing
import RepoOps
import TestSupport

/// `TreeEditor` splices entries into a base tree's bytes; git's own index (`update-index
/// --index-info`, then `write-tree`) is the reference for the tree each edit list must give.
private struct IndexOracle {
    let gitDir: String
    let index: String

    /// One edit as a line of `update-index -z --index-info` (mode 0 removes the path).
    static func line(_ path: GitPath, _ oid: Oid?, _ mode: FileMode?) -> [UInt8] {
        let head = mode.map { String($0.rawValue, radix: 8) } ?? "0"
        return Array("\(head) \((oid ?? .zero).hex)\t".utf8) + path.bytes + [0]
    }

    func apply(_ lines: [[UInt8]]) throws {
        try ProcessRunner.check("git", ["--git-dir", gitDir, "update-index", "--add", "--replace", "-z", "--index-info"],
                                extraEnvironment: testEnvironment.merging(["GIT_INDEX_FILE": index]) { $1 },
                                stdin: lines.flatMap { $0 })
    }

    func writeTree() throws -> Oid {
        let out = try ProcessRunner.check("git", ["--git-dir", gitDir, "write-tree"],
                                          extraEnvironment: testEnvironment.merging(["GIT_INDEX_FILE": index]) { $1 })
        return try Oid(hex: String(decoding: out.stdout.prefix(40), as: UTF8.self))
    }
}

@Test func splicedTreesMatchGitOnAwkwardNames() throws {
    let dir = TempDir("tree-splice")
    let gitDir = dir.sub("r.git")
    let repo = try GitRepository.initBare(at: gitDir)
    let oracle = IndexOracle(gitDir: gitDir, index: dir.sub("index"))
    let one = try repo.writeBlob(Array("one\n".utf8)), two = try repo.writeBlob(Array("two\n".utf8))
    let latin1: [UInt8] = [0x66, 0xE9]   // "fé" in Latin-1, not UTF-8
    let base: [(GitPath, Oid, FileMode)] = [
        ("a", one, .blob), ("a.b", one, .blob), ("a-", one, .blob), ("a0/x", one, .blob),
        ("b/inner.txt", one, .blob), ("gone/only.txt", one, .blob), ("run.sh", one, .executable),
        ("link", two, .symlink), (GitPath(bytes: latin1), one, .blob), ("z/deep/er/file", one, .blob),
    ]
    try oracle.apply(base.map { IndexOracle.line($0.0, $0.1, $0.2) })
    let baseTree = try oracle.writeTree()

    var editor = TreeEditor()
    var expected: [[UInt8]] = []
    func upsert(_ path: GitPath, _ oid: Oid, _ mode: FileMode = .blob) {
        editor.upsert(path, oid: oid, mode: mode)
        expected.append(IndexOracle.line(path, oid, mode))
    }
    func delete(_ path: GitPath) {
        editor.delete(path)
        expected.append(IndexOracle.line(path, nil, nil))
    }
    upsert("a/now-a-dir.txt", two)            // the file `a` becomes a directory: sorts after `a.b`, before `a0`
    upsert("b", two)                          // the directory `b` becomes a file
    delete("gone/only.txt")                   // `gone` becomes empty and vanishes
    upsert("new/sub/deep.txt", two)           // a new subtree
    upsert("run.sh", one, .blob)              // executable → regular
    upsert("a.b", one, .executable)           // regular → executable
    upsert("link2", one, .symlink)
    upsert(GitPath(bytes: latin1), two)
    upsert(GitPath(bytes: latin1 + [0x2F, 0xE8]), one)   // and then a directory of that name
    upsert("z/deep/er/file2", two)            // three levels down, beside an existing file
    upsert("a-/x", one)
    upsert("0", one)                          // before everything
    upsert("~", one)                          // after everything
    try oracle.apply(expected)

    let edited = try editor.write(onto: baseTree, in: repo)
    #expect(edited == (try oracle.writeTree()))
    #expect(edited.hex == (try git(["--git-dir", gitDir, "rev-parse", "\(edited.hex)^{tree}"], in: dir.path)))
    let commit = try repo.createCommit(tree: edited, parents: [], author: testSignature, committer: testSignature,
                                       message: Array("t\n".utf8))
    try git(["--git-dir", gitDir, "update-ref", "refs/heads/main", commit.hex], in: dir.path)
    try git(["--git-dir", gitDir, "fsck", "--strict", "--no-dangling"], in: dir.path)

    var emptying = TreeEditor()
    for path in try repo.files(in: edited) { emptying.delete(path.path) }
    #expect(try emptying.write(onto: edited, in: repo) == GitRepository.emptyTree)
}

@Test func splicedTreesMatchGitOnRandomEdits() throws {
    let dir = TempDir("tree-splice-random")
    let gitDir = dir.sub("r.git")
    let repo = try GitRepository.initBare(at: gitDir)
    let oracle = IndexOracle(gitDir: gitDir, index: dir.sub("index"))
    let components: [[UInt8]] = [Array("a".utf8), Array("a.b".utf8), Array("a-".utf8), Array("a0".utf8),
                                 Array("b".utf8), [0xE9], Array("a b".utf8), Array("A".utf8)]
    let modes: [FileMode] = [.blob, .blob, .executable, .symlink]
    let blobs = try (0..<4).map { try repo.writeBlob(Array("blob \($0)\n".utf8)) }
    var seed: UInt64 = 0x2545F4914F6CDD1D
    func next(_ bound: Int) -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int((seed >> 33) % UInt64(bound))
    }
    func randomPath() -> GitPath {
        GitPath(bytes: Array((0...next(3)).map { _ in components[next(components.count)] }.joined(separator: [0x2F])))
    }

    var tree = GitRepository.emptyTree
    for round in 0..<12 {
        var files = try repo.files(in: tree).map(\.path)
        var editor = TreeEditor()
        var lines: [[UInt8]] = []
        for _ in 0..<(round == 0 ? 40 : 1 + next(8)) {
            if !files.isEmpty && next(3) == 0 {
                let path = files.remove(at: next(files.count))
                editor.delete(path)
                lines.append(IndexOracle.line(path, nil, nil))
            } else {
                let path = randomPath(), oid = blobs[next(blobs.count)], mode = modes[next(modes.count)]
                editor.upsert(path, oid: oid, mode: mode)
                lines.append(IndexOracle.line(path, oid, mode))
                files.removeAll { $0 == path || $0.isUnder(path) || path.isUnder($0) }
                files.append(path)
            }
        }
        try oracle.apply(lines)
        let edited = try editor.write(onto: tree, in: repo)
        #expect(edited == (try oracle.writeTree()), "round \(round)")
        tree = edited
    }
    let commit = try repo.createCommit(tree: tree, parents: [], author: testSignature, committer: testSignature,
                                       message: Array("t\n".utf8))
    try git(["--git-dir", gitDir, "update-ref", "refs/heads/main", commit.hex], in: dir.path)
    try git(["--git-dir", gitDir, "fsck", "--strict", "--no-dangling"], in: dir.path)
}

@Test func editingAMalformedTreeFailsAndWritesNothing() throws {
    let dir = TempDir("tree-splice-bad")
    let gitDir = dir.sub("r.git")
    let repo = try GitRepository.initBare(at: gitDir)
    let blob = try repo.writeBlob([1])
    let bad = try ProcessRunner.check("git", ["--git-dir", gitDir, "hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
                                      extraEnvironment: testEnvironment, stdin: Array("100644 f\0short".utf8))
    let badTree = try Oid(hex: String(decoding: bad.stdout.prefix(40), as: UTF8.self))
    let before = try git(["--git-dir", gitDir, "count-objects"], in: dir.path)

    var editor = TreeEditor()
    editor.upsert("g", oid: blob)
    #expect(throws: GitError.self) { try editor.write(onto: badTree, in: repo) }
    #expect(try git(["--git-dir", gitDir, "count-objects"], in: dir.path) == before)
    var nested = TreeEditor()
    nested.upsert("sub/g", oid: blob)
    var graft = TreeEditor()
    graft.upsert("sub", oid: badTree, mode: .tree)
    let outer = try graft.write(onto: nil, in: repo)
    let afterGraft = try git(["--git-dir", gitDir, "count-objects"], in: dir.path)
    #expect(throws: GitError.self) { try nested.write(onto: outer, in: repo) }
    #expect(try git(["--git-dir", gitDir, "count-objects"], in: dir.path) == afterGraft)
    #expect(before != afterGraft)

    var notATree = TreeEditor()
    notATree.upsert("g", oid: blob)
    #expect(throws: GitError.self) { try notATree.write(onto: blob, in: repo) }
}
