import Foundation
import LocalServices
import Testing
import TestSupport

private let wpt = "testing/web-platform/tests/"

/// A landed PR that GitHub says conflicts with master (`dirty`): rebuilt on upstream's master at
/// most once, never over a person's commits, and never when it was opened from the sync point.
@Suite("Upstream dirty rebuilds", .serialized)
struct UpstreamDirtyTests {

    private func shown(_ u: UpstreamWorld, bug: Int) throws -> [String: Any] {
        let json = try u.world.wptsync(["show", "upstream", "\(bug)", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
    }

    /// A fork's master lags upstream's: the dirty check and the rebuild use upstream's (`fetch_url`).
    @Test func aForksDirtyLandedPullRequestWaitsWhenBuiltOnUpstreamsMasterAndIsRebuiltOnceItMoves() throws {
        let u = try UpstreamWorld(extraConfig: "merge_without_checks = true\n")
        let fork = try u.pushToFork()
        // Upstream master moves on; the fork's stays where it was.
        try u.pushToUpstreamMaster(file: "other.html", contents: "other\n")
        let built = try u.masterSHA()
        let change = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 60 - Add a. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        let head = try #require(pr.headSHA)
        #expect(try sh("git", ["--git-dir", fork, "rev-parse", "gecko/60^"]) == built + "\n", "built on upstream's master")

        // GitHub says the PR conflicts with the master it was built on: a person is needed, on every recheck.
        u.github.setMergeable(pr.number, false)
        try u.world.gecko.hg(["push", "-q", "-r", change, u.world.central])
        for _ in 0..<2 {
            #expect(try u.process().contains("0 failed"))
            let line = try u.world.wptsync(["list"])
            #expect(line.contains("waiting for a person: PR #\(pr.number) conflicts with master although built on it"), "\(line)")
            #expect(u.github.pullRequests.first?.headSHA == head && u.github.pullRequests.first?.isOpen == true)
        }

        // Once upstream's master moves, the branch is rebuilt on it and merged.
        try u.pushToUpstreamMaster(file: "more.html", contents: "more\n")
        let moved = try u.masterSHA()
        #expect(try u.process().contains("0 failed"))
        let listed = try u.world.wptsync(["list"])
        #expect(u.github.pullRequests.first?.isMerged == true, "\(listed)")
        #expect(try u.git(["rev-parse", "master~1"]).trimmingCharacters(in: .whitespacesAndNewlines) == moved)
        #expect(try u.git(["show", "master:a.html"]) == "a\n")
    }

    /// Opened from the sync point because it conflicts with master: it stays dirty until a person
    /// resolves it, and is not rebuilt meanwhile.
    @Test func aLandedPullRequestOpenedFromTheSyncPointWaitsForItsResolutionOnGitHub() throws {
        let u = try UpstreamWorld(extraConfig: "merge_without_checks = true\n")
        let syncPoint = try u.moveMasterPastTheSyncPoint()
        try u.world.landInGecko([wpt + "README.md": "wpt, changed in Gecko\n"], message: "Bug 30 - Edit the README. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        let head = try #require(pr.headSHA)

        try u.world.gecko.hg(["push", "-q", u.world.central])
        for _ in 0..<2 {
            #expect(try u.process().contains("0 failed"))
            let line = try u.world.wptsync(["list"])
            #expect(line.contains("sync 1 gecko/30 open PR #\(pr.number)") && line.contains("waiting for the PR to become mergeable"), "\(line)")
            #expect(line.contains("opened from the sync point \(syncPoint.prefix(12)) and conflicts with master: resolve it on GitHub"), "\(line)")
            #expect(!line.contains("rebuilt"), "\(line)")
            #expect(u.github.pullRequests.first?.headSHA == head && u.github.pullRequests.first?.isOpen == true)
        }
    }

    /// A rebuild that would drop a person's commits waits for a person and leaves the record as it was.
    @Test func aDirtyRebuildBlockedByAPersonsCommitKeepsTheRecordsHeadAndExports() throws {
        let u = try UpstreamWorld(extraConfig: "merge_without_checks = true\n")
        let change = try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 61 - Add a. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        let fixed = try u.personCommits(on: "gecko/61", file: "a.html", contents: "a, fixed\n", message: "Fix a.html")
        try u.pushToUpstreamMaster(file: "other.html", contents: "other\n")
        u.github.setMergeable(pr.number, false)

        try u.world.gecko.hg(["push", "-q", "-r", change, u.world.central])
        #expect(try u.process().contains("0 failed"))
        let line = try u.world.wptsync(["list"])
        #expect(line.contains("gecko/61 needs-fixup") && line.contains("holds 1 commit(s) wptsync did not write (\(fixed.prefix(12)))"), "\(line)")
        #expect(try u.git(["rev-parse", "gecko/61"]) == fixed + "\n", "the branch is left as the person made it")
        let sync = try shown(u, bug: 61)
        #expect(sync["head"] as? String == fixed, "the person's head stays the sync's: \(sync)")
        #expect(sync["exported_nodes"] as? [String] == [change], "\(sync)")
        #expect(u.github.pullRequests.first?.isOpen == true)
    }
}
