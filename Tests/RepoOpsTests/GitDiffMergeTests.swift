import Testing
import RepoOps
import TestSupport

private let wpt: GitPath = "testing/web-platform/tests"

@Test func diffUnderPrefixReportsOnlyPrefixedChangesWithRenames() throws {
    let dir = TempDir("git-diff")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let longText = (1...40).map { "line \($0) of a file that moves\n" }.joined()
    let old = try repo.treeOf([
        "testing/web-platform/tests/a.html": "a\n",
        "testing/web-platform/tests/dir/moved.js": longText,
        "testing/web-platform/tests/gone.txt": "gone\n",
        "testing/web-platform/tests/leaves.txt": "leaves the prefix\n",
        "testing/web-platform/tests2/sibling.txt": "s\n",
        "other/x.txt": "x\n",
    ])
    var editor = TreeEditor()
    editor.upsert(wpt.appending("a.html"), oid: try repo.writeBlob(Array("a changed\n".utf8)))
    editor.delete(wpt.appending("dir/moved.js"))
    editor.upsert(wpt.appending("dir/renamed.js"), oid: try repo.writeBlob(Array((longText + "one more\n").utf8)))
    editor.delete(wpt.appending("gone.txt"))
    editor.upsert(wpt.appending("new.html"), oid: try repo.writeBlob(Array("new\n".utf8)), mode: .executable)
    editor.delete(wpt.appending("leaves.txt"))
    editor.upsert("elsewhere/leaves.txt", oid: try repo.writeBlob(Array("leaves the prefix\n".utf8)))
    editor.upsert("testing/web-platform/tests2/sibling.txt", oid: try repo.writeBlob([0x73]))
    editor.upsert("other/x.txt", oid: try repo.writeBlob([0x79]))
    let new = try editor.write(onto: old, in: repo)

    let changes = try repo.diffTrees(old: old, new: new, under: wpt)
    let summary = changes.map { "\($0.status.rawValue) \($0.oldPath) -> \($0.newPath) \($0.newMode)" }.sorted()
    #expect(summary == [
        "added testing/web-platform/tests/new.html -> testing/web-platform/tests/new.html 100755",
        "deleted testing/web-platform/tests/gone.txt -> testing/web-platform/tests/gone.txt 000000",
        "deleted testing/web-platform/tests/leaves.txt -> testing/web-platform/tests/leaves.txt 000000",
        "modified testing/web-platform/tests/a.html -> testing/web-platform/tests/a.html 100644",
        "renamed testing/web-platform/tests/dir/moved.js -> testing/web-platform/tests/dir/renamed.js 100644",
    ])
    let rename = try #require(changes.first { $0.status == .renamed })
    #expect(rename.similarity > 50 && rename.similarity < 100)
    #expect(rename.oldOid == (try repo.entry(at: rename.oldPath, in: old))?.oid)
    #expect(rename.newOid == (try repo.entry(at: rename.newPath, in: new))?.oid)
    let added = try #require(changes.first { $0.status == .added })
    #expect(added.oldOid == .zero && added.oldMode == FileMode(rawValue: 0))

    let withoutRenames = try repo.diffTrees(old: old, new: new, under: wpt, options: DiffOptions(renames: false))
    #expect(withoutRenames.count == 6 && !withoutRenames.contains { $0.status == .renamed })
    #expect(try repo.diffTrees(old: old, new: new).count > changes.count)
    #expect(try repo.diffTrees(old: nil, new: old, under: "other").map(\.newPath) == ["other/x.txt"])
    #expect(try repo.diffTrees(old: old, new: new, under: "no/such/dir").isEmpty)
}

@Test func diffReportsModeAndKindChangesAsModified() throws {
    let dir = TempDir("git-diff-mode")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let blob = try repo.writeBlob(Array("target\n".utf8))
    var before = TreeEditor()
    before.upsert("d/script", oid: blob)
    before.upsert("d/link", oid: blob)
    let old = try before.write(onto: nil, in: repo)
    var after = TreeEditor()
    after.upsert("d/script", oid: blob, mode: .executable)
    after.upsert("d/link", oid: blob, mode: .symlink)
    let new = try after.write(onto: old, in: repo)

    let changes = try repo.diffTrees(old: old, new: new, under: "d")
    #expect(changes.map { "\($0.status.rawValue) \($0.newPath) \($0.oldMode)->\($0.newMode)" } == [
        "modified d/link 100644->120000",
        "modified d/script 100644->100755",
    ])
}

@Test func mergeTreesCleanly() throws {
    let dir = TempDir("git-merge")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let base = try repo.treeOf(["a": "1\n", "b": "1\n", "dir/c": "c\n"])
    let ours = try repo.treeOf(["a": "2\n", "b": "1\n", "dir/c": "c\n"])
    let theirs = try repo.treeOf(["a": "1\n", "b": "2\n", "dir/c": "c\n", "dir/new": "n\n"])
    let expected = try repo.treeOf(["a": "2\n", "b": "2\n", "dir/c": "c\n", "dir/new": "n\n"])
    #expect(try repo.mergeTrees(ancestor: base, ours: ours, theirs: theirs) == .clean(tree: expected))
    #expect(try repo.mergeTrees(ancestor: nil, ours: ours, theirs: ours) == .clean(tree: ours))
}

@Test func mergeTreesReportsConflictsByPath() throws {
    let dir = TempDir("git-conflict")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let base = try repo.treeOf(["a": "1\n", "b": "1\n", "c": "1\n"])
    let ours = try repo.treeOf(["a": "ours\n", "c": "ours\n"])
    let theirs = try repo.treeOf(["a": "theirs\n", "b": "theirs\n", "c": "1\n"])

    guard case .conflicts(let conflicts) = try repo.mergeTrees(ancestor: base, ours: ours, theirs: theirs) else {
        Issue.record("expected conflicts")
        return
    }
    #expect(conflicts.map(\.path) == ["a", "b"])
    #expect(conflicts[0].ancestor?.oid == (try repo.entry(at: "a", in: base))?.oid)
    #expect(conflicts[0].ours?.oid == (try repo.entry(at: "a", in: ours))?.oid)
    #expect(conflicts[0].theirs?.oid == (try repo.entry(at: "a", in: theirs))?.oid)
    #expect(conflicts[1].ours == nil && conflicts[1].theirs?.mode == .blob)
}

@Test func mergeBaseOfBranches() throws {
    let dir = TempDir("git-mergebase")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let root = try repo.commitFiles(["a": "1"])
    let left = try repo.commitFiles(["a": "2"], parents: [root])
    let right = try repo.commitFiles(["a": "3"], parents: [root])
    let unrelated = try repo.commitFiles(["z": "z"])
    #expect(try repo.mergeBase(left, right) == root)
    #expect(try repo.mergeBase(left, unrelated) == nil)
}
