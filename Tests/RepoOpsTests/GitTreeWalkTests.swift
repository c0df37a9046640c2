import Foundation
import Testing
@testable import RepoOps
import TestSupport

/// `diffTrees` reads only the trees on the paths that differ (issue 16: a 3-file change in a
/// 100,000-file wpt tree), with the results of a full diff.
@Suite struct GitTreeWalkTests {
    private let one = try! Oid(hex: String(repeating: "1", count: 40))
    private let two = try! Oid(hex: String(repeating: "2", count: 40))

    private func file(_ name: String, _ oid: Oid, _ mode: FileMode = .blob) -> TreeEntry {
        TreeEntry(path: GitPath(name), oid: oid, mode: mode)
    }

    @Test func aLevelListsWhatDiffersAndDescendsOnlyIntoSubtreesWithOtherIds() {
        let old = [file("a", one), file("a.txt", one), file("same", one, .tree), file("sub", one, .tree),
                   file("x.sh", one), file("z", one)]
        // "a" becomes a directory: git orders it as "a/", after "a.txt".
        let new = [file("a.txt", one), file("a", two, .tree), file("same", one, .tree), file("sub", two, .tree),
                   file("x.sh", one, .executable), file("y", one)]
        let level = TreeWalk.compare(old: old, new: new)
        #expect(level.changed == ["a", "a", "x.sh", "y", "z"])
        #expect(level.subtrees == [TreeWalk.Subtree(name: "sub", old: one, new: two)])
        #expect(TreeWalk.compare(old: old, new: old) == TreeWalk.Level())
        #expect(TreeWalk.compare(old: [], new: [file("n", one)]).changed == ["n"])
    }

    @Test func gitOrderPutsADirectoryWhereItsNameWithASlashSorts() {
        #expect(TreeWalk.gitOrder(file("a", one, .tree), file("a.txt", one)) == 1)
        #expect(TreeWalk.gitOrder(file("a", one, .tree), file("a0", one)) == -1)
        #expect(TreeWalk.gitOrder(file("a", one), file("a.txt", one)) == -1)
        #expect(TreeWalk.gitOrder(file("a", one), file("a", two, .tree)) == -1)
        #expect(TreeWalk.gitOrder(file("b", one), file("b", two)) == 0)
    }

    @Test func aDiffNeverReadsTheSubtreesBothSidesShare() throws {
        let dir = TempDir("git-walk-shared")
        let repo = try GitRepository.initBare(at: dir.sub("r.git"))
        var files = ["tests/dir/x.html": "x\n"]
        for k in 0..<50 { files["tests/big/\(k % 5)/f\(k).html"] = "file \(k)\n" }
        let old = try repo.treeOf(files)
        files["tests/dir/x.html"] = "x changed\n"
        let new = try repo.treeOf(files)
        // The shared subtree is gone from the object store: reading it would fail.
        let shared = try #require(try repo.entry(at: "tests/big", in: old)).oid
        try FileManager.default.removeItem(atPath: "\(repo.path)objects/\(shared.hex.prefix(2))/\(shared.hex.dropFirst(2))")

        let changes = try repo.diffTrees(old: old, new: new, under: "tests")
        #expect(changes.map { "\($0.status.rawValue) \($0.newPath)" } == ["modified tests/dir/x.html"])
        #expect(try repo.diffTrees(old: old, new: old).isEmpty)
    }

    @Test func aDiffGivesWhatGitDiffTreeGives() throws {
        let dir = TempDir("git-walk-oracle")
        let repo = try GitRepository.initBare(at: dir.sub("r.git"))
        let text = { (name: String) in Array("content of \(name)\n".utf8) }
        var before = TreeEditor(), after = TreeEditor()
        for path in ["a", "a.txt", "a0", "d/gone/1.html", "d/gone/2.html", "d/keep.html", "f/x", "glob/[ab]*.html",
                     "glob/a.html", "link", "run.sh", "same/deep/s.html"] {
            before.upsert(GitPath(path), oid: try repo.writeBlob(text(path)))
        }
        before.upsert(GitPath(bytes: Array("caf".utf8) + [0xE9] + Array(".html".utf8)), oid: try repo.writeBlob([0x31]))
        let old = try before.write(onto: nil, in: repo)
        after.delete("a")
        after.upsert("a/inside.html", oid: try repo.writeBlob(text("a/inside.html")))  // a file becomes a directory
        after.delete("f")
        after.upsert("f", oid: try repo.writeBlob(text("f")))                           // and a directory a file
        after.delete("d/gone")
        after.upsert("d/new/n.html", oid: try repo.writeBlob(text("n")))
        after.upsert("glob/[ab]*.html", oid: try repo.writeBlob(text("changed")))
        after.upsert("link", oid: try repo.writeBlob(text("link")), mode: .symlink)
        after.upsert("run.sh", oid: try repo.writeBlob(text("run.sh")), mode: .executable)
        after.upsert(GitPath(bytes: Array("caf".utf8) + [0xE9] + Array(".html".utf8)), oid: try repo.writeBlob([0x32]))
        let new = try after.write(onto: old, in: repo)

        // git prints "T" when a file becomes a symlink, "M" for a change of mode or content.
        let ours = try repo.diffTrees(old: old, new: new, options: DiffOptions(renames: false)).map { change in
            let status = switch change.status {
            case .added: "A"
            case .deleted: "D"
            default: (change.oldMode == .symlink) == (change.newMode == .symlink) ? "M" : "T"
            }
            return ":\(change.oldMode) \(change.newMode) \(change.oldOid.hex) \(change.newOid.hex) \(status)\t\(change.newPath)"
        }
        let theirs = try git(["-c", "core.quotePath=false", "diff-tree", "-r", "--no-renames", "--abbrev=40", old.hex, new.hex],
                             in: repo.path).split(separator: "\n").map(String.init)
        #expect(ours.sorted() == theirs.sorted())
        #expect(ours.count == 11)
    }
}
