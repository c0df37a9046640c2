import Foundation
import Testing
import TestSupport

/// Issue 13, `wait_for_metadata`: a PR waiting for its try results holds back only the later PRs
/// touching the same tests; an unrelated PR behind it lands at once, and the held ones land later,
/// in order, each once.
@Suite("A PR waiting for its metadata holds back only the PRs touching its tests", .serialized)
struct MetadataHoldTests {
    @Test func anUnrelatedPullRequestLandsWhileTheWaitingOneAndThoseTouchingItsTestsLandLaterOnce() throws {
        let w = try MetadataLandingTests.World()
        let l = w.landing
        // A is approved (its try push starts); B changes other tests; C changes a support file of A's folder.
        let a = try l.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
        #expect(try w.approve(a) == 202)
        _ = try l.upstreamWorld.processUntilSettled()
        let revision = try #require(try w.tryPushes().first)
        let b = try l.openUpstreamPR(["dom/nodes/append.html": "<title>append</title>\n"], title: "Test append")
        let c = try l.openUpstreamPR(["css/css-grid/support/grid.js": "// helper\n"], title: "Grid helper")
        let before = try l.autolandTip
        let start = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        for pr in [a, b, c] { _ = try l.upstreamClient.merge(pr.number, method: .merge) }
        let heads = try l.upstreamWorld.git(["rev-list", "--first-parent", "--reverse", "\(start)..master"]).split(separator: "\n").map(String.init)
        try #require(heads.count == 3)
        try l.syncMirror()
        _ = try w.processUntilAutolandMoves(from: before)

        // B landed alone; the sync point stays before A and records B as landed past it.
        #expect(try l.autolandSummaries(after: before) == [
            "Bug \(l.bug) [wpt PR \(b.number)] - Test append, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(heads[1]), a=testonly",
        ])
        #expect(try l.autolandFile("testing/web-platform/meta/mozilla-sync")?.hasSuffix("upstream: \(start)\nlanded: \(heads[1])\n") == true)
        #expect(try l.autolandFile("testing/web-platform/tests/" + MetadataLandingTests.test) == nil)
        let listed = try l.world.wptsync(["landings"])
        #expect(listed.contains("held back: PR #\(a.number) (\(heads[0].prefix(12))): PR #\(a.number) waits for its metadata"), "\(listed)")
        #expect(listed.contains("held back: PR #\(c.number) (\(heads[2].prefix(12))): PR #\(c.number) touches the same tests as PR #\(a.number), which is held back"),
                "\(listed)")

        // Replaying master's move, or processing again, lands nothing more while A waits.
        let afterB = try l.autolandTip
        _ = try l.world.wptsync(["replay", "--wpt", "\(start)..\(heads[2])"])
        _ = try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandTip == afterB)

        // A's results arrive: a worker lands A with its metadata, then C, on top of B, and is killed
        // the moment autoland grows (pushed, not yet recorded); processing again adds nothing.
        try w.finishTryRun(revision)
        let changelog = l.world.autoland + "/.hg/store/00changelog.i"
        func size() -> Int { (try? FileManager.default.attributesOfItem(atPath: changelog)[.size] as? Int) ?? 0 }
        let pushedBefore = size()
        let killed = try runAndKill(builtProduct("wptsync"), ["worker", "--config", l.world.config], in: l.world.dir.path,
                                    extraEnvironment: testEnvironment.merging(l.world.environment) { $1 },
                                    when: { size() != pushedBefore }, limit: 120)
        #expect(size() != pushedBefore, "the worker landed within the limit: \(killed.output)")
        _ = try w.processUntilAutolandMoves(from: afterB)
        _ = try l.upstreamWorld.processUntilSettled()
        let bug = try #require(w.bugzilla.bugs.first).id
        #expect(try l.autolandSummaries(after: afterB) == [
            "Bug \(l.bug) [wpt PR \(a.number)] - Test grid gaps, a=testonly",
            "Bug \(bug) [wpt PR \(a.number)] - Update wpt metadata, a=testonly",
            "Bug \(l.bug) [wpt PR \(c.number)] - Grid helper, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(heads[2]), a=testonly",
        ])
        #expect(try l.autolandFile(MetadataLandingTests.metadataPath) == MetadataLandingTests.expectedMetadata)
        #expect(try l.autolandFile("testing/web-platform/meta/mozilla-sync")?.hasSuffix("upstream: \(heads[2])\n") == true)
        #expect(try l.world.wptsync(["landings"]).contains("held back") == false)

        // Once more, a replay of the whole range adds nothing: each PR landed once.
        let done = try l.autolandTip
        _ = try l.world.wptsync(["replay", "--wpt", "\(start)..\(heads[2])"])
        _ = try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandTip == done)
        for pr in [a, b, c] {
            let imports = try l.autolandSummaries(after: before).filter { $0.contains("[wpt PR \(pr.number)]") && !$0.contains("Update wpt metadata") }
            #expect(imports.count == 1, "PR #\(pr.number): \(imports)")
        }
    }
}
