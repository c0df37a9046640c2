import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 13: try results that come in after their PR's import landed (`metadata --ready` here) are
/// not dropped: the metadata lands as its own commit with the next landing, rebased onto Gecko's
/// metadata as it then stands, once, and the bug says so. A file Gecko changed since in an overlapping
/// way is left as Gecko has it and shown on the sync; a PR closed unmerged gets nothing.
@Suite("Late try results", .serialized)
struct LateMetadataTests {
    static let other = "css/css-grid/other.html"
    static let otherPath = "testing/web-platform/meta/css/css-grid/other.html.ini"
    static let geckoOther = "[other.html]\n  expected: TIMEOUT\n"

    @Test(arguments: MetadataLandingTests.Gecko.allCases)
    func resultsAfterThePullRequestLandedLandAsItsOwnMetadataCommitWithTheNextLandingOnce(gecko: MetadataLandingTests.Gecko) throws {
        let w = try MetadataLandingTests.World(gecko: gecko)
        let journal = try SQLiteJournal(path: w.landing.world.store)
        let late = try w.landing.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
        let conflicting = try w.landing.openUpstreamPR([Self.other: "<title>other</title>\n"], title: "Test other gaps")
        let closed = try w.landing.openUpstreamPR(["css/css-grid/closed.html": "<title>closed</title>\n"], title: "Closed unmerged")
        for pr in [late, conflicting, closed] { #expect(try w.approve(pr) == 202) }
        _ = try w.landing.upstreamWorld.processUntilSettled()
        func revision(_ pr: Int) throws -> String { try #require(try journal.downstreamSync(pullRequest: pr)?.tryPushes.last?.revision) }

        // Two PRs merge while their try runs go on, and a person lets them land now; the third is closed.
        let start = try w.landing.autolandTip
        _ = try w.landing.upstreamClient.merge(late.number, method: .merge)
        _ = try w.landing.upstreamClient.merge(conflicting.number, method: .merge)
        _ = try w.landing.upstreamClient.close(closed.number)
        try w.landing.syncMirror()
        _ = try w.landing.upstreamWorld.processUntilSettled()
        for pr in [late, conflicting] { _ = try w.landing.world.wptsync(["metadata", "\(pr.number)", "--ready"]) }
        _ = try w.processUntilAutolandMoves(from: start)
        #expect(try w.landing.autolandSummaries(after: start).count == 3, "two imports and the landing commit, no metadata")

        // Gecko writes its own metadata for the second PR's test; then every try run ends.
        try w.landing.landInGecko([Self.otherPath: Self.geckoOther], message: "Bug 3 - Gecko's own expectation. r=me")
        let landed = try w.landing.autolandTip
        try w.finishTryRun(try revision(late.number))
        try w.finishTryRun(try revision(conflicting.number), test: Self.other)
        try w.finishTryRun(try revision(closed.number), test: "css/css-grid/closed.html")
        _ = try w.landing.upstreamWorld.processUntilSettled()
        #expect(try w.landing.autolandTip == landed, "no landing of its own: it waits for the next one")
        let bug = try #require(try journal.downstreamSync(pullRequest: late.number)?.bug)
        let told = w.bugzilla.bug(bug)?.comments.filter { $0.contains("landed in Gecko before the results of try push") } ?? []
        #expect(told.count == 1 && told.first?.contains("its metadata lands as its own commit (Bug \(bug) [wpt PR \(late.number)] - Update wpt metadata)") == true,
                "\(w.bugzilla.bug(bug)?.comments ?? [])")

        // The next landing carries it first, as its own commit, then the new PR's import.
        let unrelated = try w.landing.mergeUpstreamPR(["css/unrelated.html": "<p>u</p>\n"], title: "Unrelated")
        try w.landing.syncMirror()
        _ = try w.processUntilAutolandMoves(from: landed)
        let head = try w.landing.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try w.landing.autolandSummaries(after: landed) == [
            "Bug \(bug) [wpt PR \(late.number)] - Update wpt metadata, a=testonly",
            "Bug \(w.landing.bug) [wpt PR \(unrelated)] - Unrelated, a=testonly",
            "Bug \(w.landing.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly",
        ])
        let metadataCommit = try w.landing.autolandCommit(back: 2)
        #expect(metadataCommit.files == MetadataLandingTests.metadataPath)
        #expect(metadataCommit.description.trimmingCharacters(in: .newlines).hasSuffix("wpt-pr: \(late.number)\nwpt-type: metadata"))
        #expect(try w.landing.autolandFile(MetadataLandingTests.metadataPath) == MetadataLandingTests.expectedMetadata)

        // The overlapping file stays as Gecko has it, said in the log and on the sync.
        #expect(try w.landing.autolandFile(Self.otherPath) == Self.geckoOther)
        let log = try String(contentsOfFile: w.landing.world.log, encoding: .utf8)
        #expect(log.contains("PR #\(conflicting.number): metadata left as Gecko has it, changed there since: \(Self.otherPath)"), "\(log)")
        let shown = try w.landing.world.wptsync(["show", "downstream", "\(conflicting.number)"])
        #expect(shown.contains("(late: its own commit, after the PR's import); left as Gecko has it, changed there since: \(Self.otherPath)"), "\(shown)")
        #expect(try w.landing.world.wptsync(["show", "downstream", "\(late.number)"])
            .contains("metadata from try push \(try revision(late.number).prefix(12)) landed with landing"))

        // A crash after the push, before it was recorded: the landing is found in Gecko, and the
        // next one carries no metadata again.
        var crashed = try #require(try journal.landings(statuses: [.pushed], limit: 1).first)
        crashed.status = .open
        crashed.waitingFor = "push to autoland"
        _ = try journal.save(crashed)
        let again = try w.landing.autolandTip
        let last = try w.landing.mergeUpstreamPR(["css/last.html": "<p>l</p>\n"], title: "Last")
        try w.landing.syncMirror()
        _ = try w.processUntilAutolandMoves(from: again)
        let summaries = try w.landing.autolandSummaries(after: again)
        #expect(summaries.count == 2 && summaries.first == "Bug \(w.landing.bug) [wpt PR \(last)] - Last, a=testonly", "\(summaries)")
        #expect(try journal.landing(id: crashed.id)?.status == .pushed)
        let metadataCommits = gecko == .hg ? try w.landing.hg(["log", "-r", "desc('wpt-type: metadata')", "-T", "{node}\n"])
            : try w.landing.git(["log", "--format=%H", "--grep=^wpt-type: metadata$", "autoland"])
        #expect(metadataCommits.split(separator: "\n").count == 1,
                "one metadata commit in all: none for the closed PR, none twice")
    }
}
