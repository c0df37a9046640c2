import Foundation
import LocalServices
import Remote
import Testing
import TestSupport

private let wpt = "testing/web-platform/tests/"

/// What happens to a sync after its PR is merged, or cannot be: a backout after a merge waits for a
/// person (who may open a revert PR), and a landed PR that conflicts with master is rebuilt on it.
@Suite("Upstream lifecycle", .serialized)
struct UpstreamLifecycleTests {



    /// A person merges the PR; `noticed`: wptsync sees the merge (the change reaches central)
    /// before Gecko backs the change out.
    @Test(arguments: [false, true])
    func aChangeMergedByAPersonThenBackedOutWaitsForAPersonWhoMayRevertIt(noticed: Bool) throws {
        let u = try UpstreamWorld()
        let change = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        #expect(try u.process().contains("0 failed"))
        let pr = try #require(u.github.pullRequests.first)
        _ = try u.person.merge(pr.number, method: .rebase)
        let merged = try u.masterSHA()
        if noticed {
            try u.world.gecko.hg(["push", "-q", "-r", change, u.world.central])
            #expect(try u.process().contains("0 failed"))
            #expect(try u.world.wptsync(["list"]).contains("gecko/1234 merged"))
        }
        try u.world.gecko.hg(["backout", "-r", change, "-m", "Backed out changeset \(change.prefix(12)) (bug 1234) for bustage", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        #expect(try u.process().contains("0 failed"))

        let line = try u.world.wptsync(["list"])
        #expect(line.contains("sync 1 gecko/1234 backed-out-after-merge PR #\(pr.number)") && !line.contains("reland"), "\(line)")
        #expect(line.contains("waiting for a person: upstream master has the change Gecko backed out; `wptsync revert upstream 1`"), "\(line)")
        #expect(try u.world.wptsync(["list", "--json"]).contains("\"status\":\"backed-out-after-merge\""))
        #expect(try u.world.wptsync(["show", "upstream", "1234"]).contains("backed-out-after-merge"))
        #expect(try u.world.wptsync(["list", "--status", "backed-out-after-merge"]).contains("gecko/1234"))
        // Nothing is reverted by itself.
        #expect(try u.masterSHA() == merged && u.github.pullRequests.count == 1)
        // A record rebuilt from GitHub and Gecko's history says the same.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: u.world.store + suffix) }
        let rebuilt = try u.world.wptsync(["rebuild"])
        #expect(rebuilt.contains("rebuilt sync 1 gecko/1234 backed-out-after-merge PR #\(pr.number)")
                && rebuilt.contains("`wptsync revert upstream 1`"), "\(rebuilt)")

        let output = try u.world.wptsync(["revert", "upstream", "1"])
        let revert = try #require(u.github.pullRequests.last)
        #expect(output.contains("opened revert PR #\(revert.number)"), "\(output)")
        #expect(revert.number != pr.number && revert.isOpen && revert.headRef == "gecko/revert/1234" && revert.author == "wpt-sync-bot")
        #expect(revert.title == "Revert \"\(pr.title)\"", "\(revert.title)")
        #expect(revert.body?.contains("This reverts commit \(merged).") == true, "\(revert.body ?? "")")
        #expect(revert.body?.contains("Gecko backed out changeset(s) \(change.prefix(12)) (bug 1234)") == true, "\(revert.body ?? "")")
        let head = try #require(revert.headSHA)
        #expect(try u.git(["rev-parse", "\(head)^"]).trimmingCharacters(in: .whitespacesAndNewlines) == merged)
        #expect(try u.git(["ls-tree", "--name-only", head]).split(separator: "\n") == ["README.md"])
        #expect(try u.git(["ls-tree", "--name-only", "master"]).contains("a.html"))
        #expect(try u.world.wptsync(["list"]).contains("waiting for the revert PR #\(revert.number) to be reviewed and merged upstream"))

        let again = try u.world.wptsync(["revert", "upstream", "1"])
        #expect(again.contains("revert PR #\(revert.number) exists already (open)"), "\(again)")
        #expect(u.github.pullRequests.count == 2)
    }

    @Test func onlyASyncBackedOutAfterItsMergeCanBeReverted() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        try u.process()
        let result = try u.world.wptsyncResult(["revert", "upstream", "1"])
        #expect(result.status != 0 && result.stderrString.contains("sync 1 is open, not backed-out-after-merge"), "\(result.stderrString)")
        #expect(u.github.pullRequests.count == 1)
    }

    /// Bug 1234's change gets a PR, then a person commits `file` on upstream master.
    private func openThenMoveMaster(_ u: UpstreamWorld, file: String, contents: String) throws -> (change: String, pr: PullRequestSnapshot) {
        let change = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        try u.pushToUpstreamMaster(file: file, contents: contents)
        return (change, pr)
    }

    /// A landed PR that GitHub says conflicts with master (`dirty`) is rebuilt on current master and merged.
    @Test func aLandedPullRequestThatBecameDirtyIsRebuiltOnMasterAndMerged() throws {
        let u = try UpstreamWorld(extraConfig: "merge_without_checks = true\n")
        let (change, pr) = try openThenMoveMaster(u, file: "other.html", contents: "other\n")
        let moved = try u.masterSHA()
        u.github.setMergeable(pr.number, false)
        try u.world.gecko.hg(["push", "-q", "-r", change, u.world.central])
        #expect(try u.process().contains("0 failed"))

        let after = try #require(u.github.pullRequests.first)
        let listing = try u.world.wptsync(["list"])
        #expect(after.isMerged, "\(listing)")
        #expect(try u.git(["rev-parse", "master~1"]).trimmingCharacters(in: .whitespacesAndNewlines) == moved)
        #expect(try u.git(["ls-tree", "--name-only", "master"]).split(separator: "\n") == ["README.md", "a.html", "other.html"])
        #expect(try u.world.wptsync(["list"]).contains("gecko/1234 merged"))
    }

    /// When it does not rebase onto master, the sync waits for a person with the conflict.
    @Test func aDirtyLandedPullRequestThatDoesNotRebaseWaitsForAPerson() throws {
        let u = try UpstreamWorld(extraConfig: "merge_without_checks = true\n")
        let (change, pr) = try openThenMoveMaster(u, file: "a.html", contents: "someone else's a\n")
        try u.world.gecko.hg(["push", "-q", "-r", change, u.world.central])
        try u.process()

        let after = try #require(u.github.pullRequests.first)
        #expect(after.isOpen && after.headSHA == pr.headSHA)
        let line = try u.world.wptsync(["list"])
        #expect(line.contains("gecko/1234 needs-fixup PR #\(pr.number)")
                && line.contains("waiting for a person to fix branch gecko/1234, then `wptsync continue upstream 1`"), "\(line)")
        #expect(try u.world.wptsync(["show", "upstream", "1234"]).contains("conflict in \(change.prefix(12)): a.html"))
    }
}
