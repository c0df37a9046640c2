import Foundation
import RepoOps
import Testing
import TestSupport

@Suite("Git landing clone: commits written with libgit2 without a work tree, pushed, found again")
struct GitLandingCloneTests {
    private func change(_ text: String, flags: HgFileFlags = .regular) -> PlannedCommit.FileChange {
        .write(HgFile(data: Array(text.utf8), flags: flags))
    }

    @Test("commits keep bytes, modes, symlinks, removals, author, date and message; push reports races; landed commits are found by their markers")
    func commitsPushesAndFinds() throws {
        let dir = TempDir("git-landing-clone")
        let (work, target) = try Self.integrationRepository(in: dir, first: "testing/web-platform/tests/keep.js")

        let clone = try GitLandingClone(path: dir.sub("clone"), url: target, branch: "refs/heads/autoland")
        let base = try clone.refresh()
        #expect(base == (try sh("git", ["--git-dir", target, "rev-parse", "autoland"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        let message = Array("Bug 3 [wpt PR 4] - Title, a=testonly\n\nbody \u{e9}\n".utf8) + [0xff]
        let nodes = try clone.commit([
            PlannedCommit(user: "Upstream Author <a@example.com>", date: (1_700_000_000, -3600), message: message, files: [
                HgPath("testing/web-platform/tests/run.sh"): change("#!/bin/sh\n", flags: .executable),
                HgPath("testing/web-platform/tests/link"): change("keep.js", flags: .symlink),
                HgPath("testing/web-platform/tests/keep.js"): .remove,
            ]),
            PlannedCommit(user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_100, 0), message: Array("landing\n\nwpt-type: landing\n".utf8),
                          files: [HgPath("testing/web-platform/meta/mozilla-sync"): change("upstream: x\n")]),
        ], onto: base)
        #expect(nodes.count == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("clone/testing")), "no work tree")
        let git = { (arguments: [String]) in try sh("git", ["--git-dir", dir.sub("clone")] + arguments) }
        #expect(try git(["log", "-1", "--format=%an <%ae>|%ad|%P", "--date=raw", nodes[0]]) == "Upstream Author <a@example.com>|1700000000 +0100|\(base)\n")
        #expect(try git(["log", "-1", "--format=%B", nodes[0]]) == "Bug 3 [wpt PR 4] - Title, a=testonly\n\nbody \u{e9}\n\u{fffd}\n", "not UTF-8: replaced, as Mercurial does")
        #expect(try git(["ls-tree", "-r", "--format=%(objectmode) %(path)", nodes[0]]) == """
            120000 testing/web-platform/tests/link
            100755 testing/web-platform/tests/run.sh

            """)
        #expect(try git(["rev-parse", "\(nodes[1])^"]).trimmingCharacters(in: .whitespacesAndNewlines) == nodes[0])

        #expect(try clone.push(nodes[1]) == .pushed)
        #expect(try clone.push(nodes[1]) == .nothingToPush)
        #expect(try clone.landed(nodes, markers: ["wpt-type: landing"], base: base, tip: try clone.refresh()) == nodes)
        #expect(try clone.landed(nodes, markers: ["wpt-type: other"], base: base, tip: nodes[1]) == nil)

        // Someone else lands first: the next push loses the race, and overwrites nothing.
        let next = try clone.commit([PlannedCommit(user: "x <x@example.com>", date: (0, 0), message: Array("next\n".utf8),
                                                   files: [HgPath("n.html"): change("n\n")])], onto: nodes[1])
        let other = try Self.landElsewhere(work: work, target: target)
        guard case .lostRace = try clone.push(next[0]) else { Issue.record("expected a lost race"); return }
        #expect(try sh("git", ["--git-dir", target, "rev-parse", "autoland"]).trimmingCharacters(in: .whitespacesAndNewlines) == other)
        // Found again after a later commit (as Lando's own commits are, whatever their hashes).
        #expect(try clone.landed(nodes, markers: ["wpt-type: landing"], base: base, tip: try clone.refresh()) == nodes)
    }

    /// Two commits with the same message, landed elsewhere with new hashes (as Lando writes them):
    /// each is found as itself, and another commit with that message is taken for neither.
    @Test func commitsWithTheSameMessageAreFoundByTheirOrderAndChanges() throws {
        let dir = TempDir("git-landing-same-message")
        let (work, target) = try Self.integrationRepository(in: dir, first: "a.txt")
        let clone = try GitLandingClone(path: dir.sub("clone"), url: target, branch: "refs/heads/autoland")
        let base = try clone.refresh()
        let message = Array("Bug 5 - Fix it r=bob\n".utf8)
        let nodes = try clone.commit([
            PlannedCommit(user: "A <a@example.com>", date: (1, 0), message: message, files: [HgPath("a.txt"): change("fixed\n")]),
            PlannedCommit(user: "A <a@example.com>", date: (2, 0), message: message, files: [HgPath("b.txt"): change("b\n")]),
        ], onto: base)

        // Someone else lands another change with the same message.
        try writeFile(work + "/c.txt", "c\n")
        try sh("git", ["add", "-A"], in: work)
        try sh("git", ["commit", "-q", "-m", "Bug 5 - Fix it r=bob"], in: work)
        try sh("git", ["push", "-q", target, "autoland"], in: work)
        var tip = try clone.refresh()
        #expect(try clone.landed([nodes[0]], markers: ["Bug 5 - Fix it r=bob"], base: base, tip: tip) == nil)
        #expect(try clone.landed(nodes, markers: ["Bug 5 - Fix it r=bob"], base: base, tip: tip) == nil)

        // Then both land on the new tip, rewritten.
        try sh("git", ["--git-dir", dir.sub("clone"), "update-ref", "refs/test/built", nodes[1]])
        try sh("git", ["fetch", "-q", dir.sub("clone"), "refs/test/built"], in: work)
        try sh("git", ["cherry-pick", "--allow-empty", nodes[0], nodes[1]], in: work, env: ["GIT_COMMITTER_DATE": "1700000000 +0000"])
        try sh("git", ["push", "-q", target, "autoland"], in: work)
        tip = try clone.refresh()
        let landed = try sh("git", ["--git-dir", target, "rev-list", "--reverse", "-n", "2", "autoland"]).split(separator: "\n").map(String.init)
        #expect(!landed.contains(nodes[0]) && !landed.contains(nodes[1]))
        #expect(try clone.landed([nodes[0]], markers: ["Bug 5 - Fix it r=bob"], base: base, tip: tip) == [landed[0]], "its own commit, not the second")
        #expect(try clone.landed(nodes, markers: ["Bug 5 - Fix it r=bob"], base: base, tip: tip) == landed)
    }

    /// A remote URL, which may hold a password, is pushed to by libgit2, so no `git` process gets it in its arguments.
    @Test("a remote repository is pushed to through libgit2: pushed, and a moved branch is a lost race")
    func pushesToARemoteURLThroughLibgit2() throws {
        let dir = TempDir("git-landing-remote")
        let (work, target) = try Self.integrationRepository(in: dir, first: "a.html")
        let (daemon, address) = try startGitDaemon(basePath: dir.path)
        defer { daemon.stop() }
        let url = address.replacingOccurrences(of: "git://", with: "git://bot:landing-secret@") + "/firefox.git"
        let clone = try GitLandingClone(path: dir.sub("clone"), url: url, branch: "refs/heads/autoland")
        let tip = { try sh("git", ["--git-dir", target, "rev-parse", "autoland"]).trimmingCharacters(in: .whitespacesAndNewlines) }
        let commit = { (base: String, name: String) in
            try clone.commit([PlannedCommit(user: "x <x@example.com>", date: (0, 0), message: Array("\(name)\n".utf8),
                                            files: [HgPath("\(name).html"): .write(HgFile(data: Array("\(name)\n".utf8), flags: .regular))])], onto: base)[0]
        }
        let first = try commit(try clone.refresh(), "first")
        let pushed = try clone.push(first)
        #expect(pushed == .pushed, "\(pushed)")
        #expect(try tip() == first)

        let stale = try commit(first, "stale")
        let other = try Self.landElsewhere(work: work, target: target)
        guard case .lostRace(let message) = try clone.push(stale) else { Issue.record("expected a lost race"); return }
        #expect(!message.contains("landing-secret"), "\(message)")
        #expect(try tip() == other)
        let rebuilt = try commit(try clone.refresh(), "rebuilt")
        #expect(try clone.push(rebuilt) == .pushed && (try tip()) == rebuilt)
    }

    /// A push that fails for another reason than a moved branch is a failure, not a race to run
    /// again: here the remote repository is gone, and a branch moved to a commit this clone lacks is a race.
    @Test func onlyAMovedBranchIsALostRace() throws {
        let dir = TempDir("git-landing-gone")
        let (work, target) = try Self.integrationRepository(in: dir, first: "a.html")
        let (daemon, address) = try startGitDaemon(basePath: dir.path)
        defer { daemon.stop() }
        let clone = try GitLandingClone(path: dir.sub("clone"), url: address + "/firefox.git", branch: "refs/heads/autoland")
        let first = try clone.commit([PlannedCommit(user: "x <x@example.com>", date: (0, 0), message: Array("first\n".utf8),
                                                    files: [HgPath("f.html"): .write(HgFile(data: Array("f\n".utf8), flags: .regular))])],
                                     onto: try clone.refresh())[0]
        _ = try Self.landElsewhere(work: work, target: target)
        let raced = try clone.push(first)
        guard case .lostRace = raced else { Issue.record("expected a lost race, got \(raced)"); return }
        try FileManager.default.moveItem(atPath: target, toPath: dir.sub("moved.git"))
        let gone = try clone.push(first)
        guard case .failed = gone else { Issue.record("expected a failure, got \(gone)"); return }
    }

    /// A bare integration repository (`autoland`) with one commit adding `first`, and the work tree it came from.
    /// A try commit goes to git try's branch `try` over anyone's push there (as `git push try +HEAD:try`),
    /// and a try that holds it already is not pushed to again, even once the branch moved on.
    @Test func aTryCommitIsForcedToTheTryBranchOnceEvenAfterTheBranchMovedOn() throws {
        let dir = TempDir("git-try-push")
        let (work, central) = try Self.integrationRepository(in: dir, first: "testing/web-platform/tests/a.html")
        let tryRepository = dir.sub("try.git")
        try sh("git", ["clone", "-q", "--bare", central, tryRepository])
        let theirs = try Self.landElsewhere(work: work, target: central)
        try sh("git", ["push", "-q", tryRepository, "\(theirs):refs/heads/try"], in: work)
        let tryTip = { try sh("git", ["--git-dir", tryRepository, "rev-parse", "try"]).trimmingCharacters(in: .whitespacesAndNewlines) }

        let clone = try GitLandingClone(path: dir.sub("clone"), url: central, branch: "refs/heads/autoland")
        let base = try clone.refresh()
        let node = try clone.commit([PlannedCommit(user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_000, 0), message: Array("try: wpt PR 7\n".utf8),
                                                   files: [HgPath("try_task_config.json"): change("{}\n")])], onto: base)[0]
        #expect(try clone.pushToTry(node, url: tryRepository, branch: "refs/heads/try") == .pushed)
        #expect(try tryTip() == node, "forced over someone else's try push")
        #expect(try clone.pushToTry(node, url: tryRepository, branch: "refs/heads/try") == .nothingToPush)
        try sh("git", ["push", "-q", "-f", tryRepository, "\(theirs):refs/heads/try"], in: work)
        #expect(try clone.pushToTry(node, url: tryRepository, branch: "refs/heads/try") == .nothingToPush)
        #expect(try tryTip() == theirs, "not pushed again once the branch moved on")
    }

    /// A try commit Lando pushed (its answer lost) is found at try's tip by its base and message
    /// lines; once try's branch is gone, nothing is found, not the tip an earlier look fetched.
    @Test func aTryCommitIsFoundAtTrysTipAndNotOnceTheBranchIsGone() throws {
        let dir = TempDir("git-find-on-try")
        let (_, central) = try Self.integrationRepository(in: dir, first: "testing/web-platform/tests/a.html")
        let tryRepository = dir.sub("try.git")
        try sh("git", ["clone", "-q", "--bare", central, tryRepository])
        let clone = try GitLandingClone(path: dir.sub("clone"), url: central, branch: "refs/heads/autoland")
        let base = try clone.refresh()
        let markers = ["try: wpt PR 7", "wpt-try-push: 1"]
        #expect(try clone.findOnTry(markers: markers, base: base, url: tryRepository, branch: "refs/heads/try") == nil, "no try branch")
        let node = try clone.commit([PlannedCommit(user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_000, 0),
                                                   message: Array((markers[0] + "\n\n" + markers[1] + "\n").utf8),
                                                   files: [HgPath("try_task_config.json"): change("{}\n")])], onto: base)[0]
        #expect(try clone.pushToTry(node, url: tryRepository, branch: "refs/heads/try") == .pushed)
        #expect(try clone.findOnTry(markers: markers, base: base, url: tryRepository, branch: "refs/heads/try") == node)
        #expect(try clone.findOnTry(markers: ["wpt-try-push: 2"], base: base, url: tryRepository, branch: "refs/heads/try") == nil)
        try sh("git", ["--git-dir", tryRepository, "update-ref", "-d", "refs/heads/try"])
        #expect(try clone.findOnTry(markers: markers, base: base, url: tryRepository, branch: "refs/heads/try") == nil,
                "the tip fetched before is not try's")
    }

    static func integrationRepository(in dir: TempDir, first: String) throws -> (work: String, target: String) {
        let work = dir.sub("work"), target = dir.sub("firefox.git")
        try sh("git", ["init", "-q", "-b", "autoland", work])
        try writeFile(work + "/" + first, "first\n")
        try sh("git", ["add", "-A"], in: work)
        try sh("git", ["commit", "-q", "-m", "Bug 1 - initial"], in: work)
        try sh("git", ["init", "-q", "--bare", "-b", "autoland", target])
        try sh("git", ["push", "-q", target, "autoland"], in: work)
        return (work, target)
    }

    /// Someone else lands a change on `target`'s `autoland` first; returns its commit.
    static func landElsewhere(work: String, target: String) throws -> String {
        try sh("git", ["pull", "-q", target, "autoland"], in: work)
        try writeFile(work + "/other.html", "other\n")
        try sh("git", ["add", "-A"], in: work)
        try sh("git", ["commit", "-q", "-m", "Someone else's change"], in: work)
        try sh("git", ["push", "-q", target, "autoland"], in: work)
        return try sh("git", ["rev-parse", "HEAD"], in: work).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
