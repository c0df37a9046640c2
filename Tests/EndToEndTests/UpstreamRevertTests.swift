import Foundation
import LocalServices
import Remote
import Testing
import TestSupport

private let wpt = "testing/web-platform/tests/"

/// A merged sync that Gecko backed out, once a person opened its revert PR: the revert PR's merge,
/// relands before and after it, and a revert branch someone else holds.
@Suite("Upstream revert", .serialized)
struct UpstreamRevertTests {

    /// Gecko lands a change, a person merges its PR, Gecko backs it out; returns the backout's node.
    private func backedOutAfterMerge(_ u: UpstreamWorld) throws -> String {
        let change = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        #expect(try u.process().contains("0 failed"))
        _ = try u.person.merge(try #require(u.github.pullRequests.first).number, method: .rebase)
        let backout = try backOut(u, change)
        #expect(try u.world.wptsync(["list"]).contains("gecko/1234 backed-out-after-merge"))
        // The command names the sync's id, in the listing and its JSON (one `waiting_for`).
        let json = try u.world.wptsync(["list", "--json"])
        #expect(json.contains("\"waiting_for\":\"a person: upstream master has the change Gecko backed out; `wptsync revert upstream 1`")
                && json.components(separatedBy: "\"waiting_for\"").count == 2, "\(json)")
        return backout
    }

    /// Backs out `node` in Gecko, pushes it to autoland and processes it; returns the backout's node.
    private func backOut(_ u: UpstreamWorld, _ node: String) throws -> String {
        try u.world.gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug 1234) for bustage", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        #expect(try u.process().contains("0 failed"))
        return try u.world.gecko.hg(["log", "-r", ".", "-T", "{node}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func openRevert(_ u: UpstreamWorld) throws -> PullRequestSnapshot {
        #expect(try u.world.wptsync(["revert", "upstream", "1"]).contains("opened revert PR"))
        return try #require(u.github.pullRequests.last)
    }

    /// Once the revert PR is merged, the sync is `reverted`: final, and `status` does not show it.
    @Test func theRevertPullRequestsMergeMakesTheSyncReverted() throws {
        let u = try UpstreamWorld()
        _ = try backedOutAfterMerge(u)
        let revert = try openRevert(u)
        _ = try u.person.merge(revert.number, method: .merge)
        #expect(try u.process().contains("0 failed"))

        let list = try u.world.wptsync(["list"])
        #expect(list.contains("sync 1 gecko/1234 reverted") && !list.contains("waiting for"), "\(list)")
        #expect(try u.world.wptsync(["list", "--json"]).contains("\"status\":\"reverted\""))
        let status = try u.world.wptsyncResult(["status"])
        #expect(status.status == 0 && !status.stdoutString.contains("sync 1 "), "\(status.stdoutString)")
    }

    /// A reland after the revert PR merged: upstream no longer has the change, so a new sync
    /// opens a new PR for it; the reverted sync stays as it is.
    @Test func aRelandAfterTheRevertMergedOpensANewPullRequest() throws {
        let u = try UpstreamWorld()
        let backout = try backedOutAfterMerge(u)
        let revert = try openRevert(u)
        _ = try u.person.merge(revert.number, method: .merge)
        #expect(try u.process().contains("0 failed"))
        _ = try backOut(u, backout)

        let list = try u.world.wptsync(["list"])
        #expect(list.contains("sync 1 gecko/1234 reverted") && list.contains("gecko/1234-1 open"), "\(list)")
        let reland = try #require(u.github.pullRequests.last)
        #expect(u.github.pullRequests.count == 3 && reland.isOpen && reland.headRef == "gecko/1234-1", "\(u.github.pullRequests)")
        #expect(try u.git(["ls-tree", "--name-only", "refs/heads/gecko/1234-1"]).contains("a.html"))
    }

    /// A reland while the revert PR is open: upstream still has the change, so wptsync closes the
    /// revert PR and the sync is `merged` again.
    @Test func aRelandWhileTheRevertPullRequestIsOpenClosesIt() throws {
        let u = try UpstreamWorld()
        let backout = try backedOutAfterMerge(u)
        let revert = try openRevert(u)
        _ = try backOut(u, backout)

        let after = try #require(u.github.pullRequests.first { $0.number == revert.number })
        let list = try u.world.wptsync(["list"])
        #expect(!after.isOpen && !after.isMerged, "\(list)")
        #expect(list.contains("sync 1 gecko/1234 merged") && !list.contains("waiting for"), "\(list)")
        #expect(u.github.pullRequests.count == 2)
    }

    /// Someone else's PR on `gecko/revert/<bug>`: `revert upstream` pushes nothing and says why.
    @Test func aRevertBranchSomeoneElseHoldsIsLeftAlone() throws {
        let u = try UpstreamWorld()
        _ = try backedOutAfterMerge(u)
        let clone = u.world.dir.sub("person-clone")
        try sh("git", ["clone", "-q", u.upstream, clone])
        try writeFile(clone + "/theirs.html", "theirs\n")
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "-m", "A person's own revert"], in: clone)
        try sh("git", ["push", "-q", "origin", "HEAD:refs/heads/gecko/revert/1234"], in: clone)
        let theirs = try u.git(["rev-parse", "gecko/revert/1234"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let held = try u.world.wptsyncResult(["revert", "upstream", "1"])
        #expect(held.status != 0 && held.stderrString.contains("gecko/revert/1234 holds commits wptsync did not write"), "\(held.stderrString)")
        #expect(try u.git(["rev-parse", "gecko/revert/1234"]).trimmingCharacters(in: .whitespacesAndNewlines) == theirs)

        let pr = try u.person.createPullRequest(title: "My revert", head: BranchName("gecko/revert/1234")!, body: "Mine").pullRequest
        let result = try u.world.wptsyncResult(["revert", "upstream", "1"])
        #expect(result.status != 0 && result.stderrString.contains("gecko/revert/1234 holds PR #\(pr.number), not wptsync's revert"),
                "\(result.stderrString)")
        #expect(try u.git(["rev-parse", "gecko/revert/1234"]).trimmingCharacters(in: .whitespacesAndNewlines) == theirs)
        #expect(u.github.pullRequests.count == 2)
    }
}
