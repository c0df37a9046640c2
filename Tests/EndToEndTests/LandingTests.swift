import Foundation
import Testing
import SyncCore
import TestSupport

@Suite("Landing: upstream wpt imported into Gecko", .serialized)
struct LandingTests {
    @Test("a PR merged upstream lands in autoland: one commit with the upstream change, then the landing commit",
          arguments: GeckoKind.allCases)
    func onePullRequestLands(gecko: GeckoKind) throws {
        let l = try LandingWorld(geckoKind: gecko)
        let before = try l.autolandTip
        let pr = try l.mergeUpstreamPR(["css/new-test.html": "<p>new</p>\n", "README.md": "wpt, updated\n"], title: "Add a CSS test")
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()

        let head = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try l.autolandSummaries(after: before) == [
            "Bug \(l.bug) [wpt PR \(pr)] - Add a CSS test, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly",
        ])
        #expect(try l.autolandFile("testing/web-platform/tests/css/new-test.html") == "<p>new</p>\n")
        #expect(try l.autolandFile("testing/web-platform/tests/README.md") == "wpt, updated\n")
        #expect(try l.autolandFile("testing/web-platform/meta/mozilla-sync") == "local: \(before)\nupstream: \(head)\n")
        let imported = try l.autolandCommit(back: 1)
        let description = imported.description
        #expect(description.contains("Automatic update from web-platform-tests\nAdd a CSS test"), "\(description)")
        #expect(description.contains("wpt-pr: \(pr)"), "\(description)")
        #expect(description.contains("wpt-commits: "), "\(description)")
        #expect(imported.author == "Upstream Author <author@example.com>")
        let landing = try #require(try l.landings().first)
        #expect(landing["status"] as? String == "pushed")
        #expect(landing["upstream_head"] as? String == head && landing["waiting_for"] as? String == "mozilla-central", "snake_case, as README documents: \(landing)")
        #expect((landing["nodes"] as? [String])?.last == (try l.autolandTip))
        // The landing's own changesets went through autoland's hook: nothing was exported back.
        #expect(l.github.pullRequests.count == 1)
        #expect(l.github.pullRequests.allSatisfy { $0.isMerged })
    }
}
