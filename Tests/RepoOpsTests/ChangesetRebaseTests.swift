import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport

/// Changesets of one repository rebased in memory onto another's revision, three-way per file.
@Suite("Changeset rebase: in memory, three-way, author and message kept")
struct ChangesetRebaseTests {
    @Test func changesMergeWithTheTargetsOwnAndConflictsNameTheFiles() throws {
        let dev = try HgFixture("rebase-dev")
        try dev.write("a.txt", "1\n2\n3\n4\n5\n")
        try dev.write("gone.txt", "old\n")
        try dev.write("run.sh", "echo\n")
        let base = try dev.commit("Initial")
        let dir = TempDir("rebase")
        let target = dir.sub("target")
        try sh("hg", ["clone", "-q", dev.root, target])
        try writeFile(target + "/a.txt", "1\n2\n3\n4\nfive\n")
        try sh("hg", ["commit", "-q", "-m", "Target's own change", "-u", "Eve <eve@example.com>", "-d", "0 0"], in: target)
        let tip = try sh("hg", ["log", "-r", ".", "-T", "{node}"], in: target)

        try dev.write("a.txt", "one\n2\n3\n4\n5\n")
        try dev.hg(["rm", "-q", "gone.txt"])
        try dev.write("run.sh", "echo\n", executable: true)
        let first = try dev.commit("Bug 1 - First\n\nlong description", date: "1700000000 -3600", user: "Dana <dana@example.com>")
        try dev.write("new.txt", "new\n")
        let second = try dev.commit("Bug 1 - Second", user: "Dana <dana@example.com>")

        let source = try HgRepository(path: dev.root), clone = try LandingClone(path: dir.sub("clone"), source: target)
        defer { source.close(); clone.close() }
        #expect(try clone.refresh(from: target) == tip)
        guard case .commits(let commits) = try ChangesetRebase(source: source, target: clone.hg).rebase([first, second], onto: tip) else {
            Issue.record("no commits"); return
        }
        #expect(commits.map(\.user) == ["Dana <dana@example.com>", "Dana <dana@example.com>"])
        #expect(commits[0].message == Array("Bug 1 - First\n\nlong description".utf8) && commits[0].date == (1_700_000_000, -3600))
        let nodes = try clone.commit(commits, onto: tip)
        let files = try clone.hg.files(at: nodes[1], paths: ["a.txt", "gone.txt", "run.sh", "new.txt"].map { HgPath($0) })
        #expect(files[HgPath("a.txt")]?.data == Array("one\n2\n3\n4\nfive\n".utf8), "both sides' lines")
        #expect(files[HgPath("gone.txt")] == nil && files[HgPath("run.sh")]?.flags == .executable && files[HgPath("new.txt")] != nil)
        #expect(try clone.hg.changeset(nodes[0]).parents == [tip] && base != tip)

        // The target changes the same line: a conflict naming the file, and nothing to commit.
        try writeFile(target + "/a.txt", "uno\n2\n3\n4\nfive\n")
        try sh("hg", ["commit", "-q", "-m", "Same line", "-u", "Eve <eve@example.com>"], in: target)
        let moved = try clone.refresh(from: target)
        #expect(try ChangesetRebase(source: source, target: clone.hg).rebase([first, second], onto: moved) == .conflict(["a.txt"]))
    }
}
