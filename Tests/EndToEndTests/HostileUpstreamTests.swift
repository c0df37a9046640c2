import Foundation
import LocalServices
import Remote
import Testing
import TestSupport

/// Issue 9: upstream input is hostile. Symlinks leading out of the tree and file names with
/// control characters are not imported; messages lose their control characters; what the CLI
/// prints is escaped; a PR that is not wptsync's is never taken over.
@Suite("Hostile upstream input", .serialized)
struct HostileUpstreamTests {
    let wpt = "testing/web-platform/tests/"

    @Test("symlinks leading out of the tree and control characters in names are refused, named with the reason; messages are cleaned")
    func refusedFilesAndCleanedMessages() throws {
        let l = try LandingWorld()
        let before = try l.autolandTip
        let pr = try l.mergeUpstreamPR(["ok.html": "ok\n", "bad\u{1B}[31m.html": "red\n"],
                                       symlinks: ["deep/hgrc": "../../../../.hg/hgrc", "passwd": "/etc/passwd", "inside": "ok.html"],
                                       title: "Evil \u{1B}]0;owned\u{7}title", author: "Evil\u{1B}[5m Author <evil@example.com>")
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandTip == before, "nothing imported")
        #expect(try l.landings().first?["status"] as? String == "needs-fixup")
        let listed = try l.world.wptsync(["landings"])
        #expect(!listed.contains("\u{1B}") && !listed.contains("\u{7}"), "\(listed.debugDescription)")
        #expect(listed.contains("PR #\(pr) does not apply to Gecko in bad\\u{1B}[31m.html (a file name with control characters), "
                                + "deep/hgrc (a symlink leading out of the wpt tree), passwd (a symlink leading out of the wpt tree)"), "\(listed)")

        // Upstream's side of a refused file cannot be taken: refused, naming the files, changing nothing.
        let landingBefore = try #require(try l.landings().first)
        let taking = try l.world.wptsyncResult(["continue", "landing", "--take", "upstream"])
        #expect(taking.status != 0)
        #expect(taking.stderrString.contains("upstream's version of bad\\u{1B}[31m.html (a file name with control characters), deep/hgrc "
                                             + "(a symlink leading out of the wpt tree), passwd (a symlink leading out of the wpt tree) is never imported")
                && taking.stderrString.contains("--take gecko")
                && taking.stderrString.contains("skip pr \(pr)"), "\(taking.stderrString.debugDescription)")
        #expect(!taking.stdoutString.contains("taking upstream"), "\(taking.stdoutString)")
        let landingAfter = try #require(try l.landings().first)
        #expect(landingAfter["status"] as? String == "needs-fixup" && landingAfter["resolutions"] == nil)
        #expect(landingAfter["version"] as? Int == landingBefore["version"] as? Int, "the landing was not saved again")

        // Keeping Gecko's side leaves the refused files out and imports the rest.
        let output = try l.world.wptsync(["continue", "landing", "--take", "gecko"])
        #expect(output.contains("pushed") && !output.contains("\u{1B}"), "\(output.debugDescription)")
        #expect(try l.hg(["files", "-r", "tip", "-T", "{path} {flags}\n", "path:" + wpt]).split(separator: "\n").sorted()
                == ["README.md ", "inside l", "ok.html "].map { wpt + $0 }, "a link inside the tree is imported as a link")
        #expect(try l.autolandFile(wpt + "inside") == "ok.html")
        let message = try l.hg(["log", "-r", "tip^", "-T", "{desc}"])
        #expect(message.hasPrefix("Bug \(l.bug) [wpt PR \(pr)] - Evil ]0;ownedtitle, a=testonly\n"), "\(message.debugDescription)")
        #expect(message.contains("Evil ]0;ownedtitle\n\nUpstream details for Evil ]0;ownedtitle."), "\(message.debugDescription)")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(message.debugDescription)")
        #expect(try l.hg(["log", "-r", "tip^", "-T", "{author}"]) == "Evil[5m Author <evil@example.com>")
    }

    /// Pushes a person's commit adding `mine.html` to `gecko/41` upstream; returns the branch head.
    private func pushPersonsBranch(_ u: UpstreamWorld) throws -> String {
        let clone = u.world.dir.sub("person-clone")
        try sh("git", ["clone", "-q", u.upstream, clone])
        try writeFile(clone + "/mine.html", "a person's work\n")
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "-m", "My own work on bug 41"], in: clone)
        try sh("git", ["push", "-q", "origin", "HEAD:refs/heads/gecko/41"], in: clone)
        return try u.git(["rev-parse", "gecko/41"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }


    @Test("a person's PR on gecko/<bug> keeps its title, body and head; wptsync opens its own on the next branch")
    func personsPullRequestIsLeftAlone() throws {
        let u = try UpstreamWorld()
        let personHead = try pushPersonsBranch(u)
        let theirs = try u.person.createPullRequest(title: "My own work on bug 41", head: BranchName("gecko/41")!,
                                                     body: "Started by hand.").pullRequest.number

        let node = try u.world.landInGecko([wpt + "p.html": "p\n"], message: "Bug 41 - Add p. r=x")
        #expect(try u.process().contains("0 failed"))
        let personsPR = try #require(u.github.pullRequests.first { $0.number == theirs })
        #expect(personsPR.title == "My own work on bug 41" && personsPR.body == "Started by hand." && personsPR.isOpen)
        #expect(personsPR.headSHA == personHead && personsPR.labels.isEmpty)
        #expect(try u.git(["rev-parse", "gecko/41"]) == personHead + "\n", "the person's branch did not move")
        let ours = try #require(u.github.pullRequests.first { $0.number != theirs })
        #expect(ours.headRef == "gecko/41-1" && ours.author == "wpt-sync-bot" && ours.title == "[Gecko Bug 41] Add p.")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/41-1"]) == "README.md\np.html\n")
        #expect(try u.world.wptsync(["list"]).contains("gecko/41-1"))

        // A backout closes wptsync's PR only.
        try u.world.gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug 41)", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        #expect(try u.process().contains("0 failed"))
        #expect(u.github.pullRequests.first { $0.number == theirs }?.isOpen == true)
        #expect(u.github.pullRequests.first { $0.number == ours.number }?.isOpen == false)
    }

    @Test("a person's PR whose body copies wptsync's metadata is still theirs: only PRs by wptsync's account are adopted")
    func copiedMetadataIsNotOwnership() throws {
        let u = try UpstreamWorld()
        let node = try u.world.landInGecko([wpt + "p.html": "p\n"], message: "Bug 41 - Add p. r=x")
        let personHead = try pushPersonsBranch(u)
        let body = "Copied.\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=41\ngecko-commits: \(node)"
        let theirs = try u.person.createPullRequest(title: "Looks like wptsync's", head: BranchName("gecko/41")!, body: body).pullRequest.number

        #expect(try u.process().contains("0 failed"))
        let personsPR = try #require(u.github.pullRequests.first { $0.number == theirs })
        #expect(personsPR.title == "Looks like wptsync's" && personsPR.body == body && personsPR.isOpen && personsPR.labels.isEmpty)
        #expect(personsPR.headSHA == personHead && personsPR.approvedBy.isEmpty)
        let ours = try #require(u.github.pullRequests.first { $0.number != theirs })
        #expect(ours.headRef == "gecko/41-1" && ours.author == "wpt-sync-bot" && ours.title == "[Gecko Bug 41] Add p.")
    }

    @Test("a person's branch gecko/<bug> without a PR is left alone: wptsync pushes and opens its PR on the next branch")
    func personsBranchWithoutPullRequestIsLeftAlone() throws {
        let u = try UpstreamWorld()
        let personHead = try pushPersonsBranch(u)
        try u.world.landInGecko([wpt + "p.html": "p\n"], message: "Bug 41 - Add p. r=x")

        #expect(try u.process().contains("0 failed"))
        #expect(try u.git(["rev-parse", "gecko/41"]) == personHead + "\n", "the person's branch did not move")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/41"]) == "README.md\nmine.html\n")
        let ours = try #require(u.github.pullRequests.first)
        #expect(u.github.pullRequests.count == 1 && ours.headRef == "gecko/41-1" && ours.title == "[Gecko Bug 41] Add p.")
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/41-1"]) == "README.md\np.html\n")
    }
}
