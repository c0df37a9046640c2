import Foundation
import LocalServices
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 13: when a downstream sync's try run completes, its results become the PR's metadata,
/// stored with the sync; the next push's run recomputes it on top of what the previous one found.
@Suite("Downstream metadata from try runs")
struct DownstreamMetadataSyncTests {
    let w: DownstreamWorld
    init() throws { w = try DownstreamWorld() }

    static let grid = "testing/web-platform/meta/css/css-grid/grid.html.ini"
    static let other = "testing/web-platform/meta/css/css-grid/other.html.ini"

    /// Schedules try push `revision` with `results(label)` per wpt task and resolves it.
    func finish(_ revision: String, _ results: (String) -> [WPTTestResult]) throws {
        let run = try w.schedule(revision)
        for task in run.wptTasks { w.taskcluster.scriptResults(group: run.decisionTaskID, label: task.label, runs: [results(task.label)]) }
        w.taskcluster.resolveAll(group: run.decisionTaskID)
    }

    @Test func aCompleteRunStoresTheMetadataAndTheNextPushRecomputesItOnTopOfIt() throws {
        let head = try w.pullRequest(9, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let syncer = try w.syncer()
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        let first = try #require(try w.tryHeads().first)
        try finish(first) { label in [
            WPTTestResult(test: "/css/css-grid/grid.html", status: "OK",
                          subtests: [WPTSubtestResult(name: "gap", status: label.contains("windows") ? "FAIL" : "PASS")]),
            WPTTestResult(test: "/css/css-grid/other.html", status: "CRASH"),
        ] }
        let notes = try syncer.reconcile(w.info(9, approved: true), head: head)
        var sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        let metadata = try #require(sync.metadata, "\(notes)")
        #expect(metadata.revision == first && metadata.error == nil)
        #expect(metadata.files == [
            Self.grid: .init(before: nil, after: "[grid.html]\n  [gap]\n    expected:\n      if os == \"win\": FAIL\n"),
            Self.other: .init(before: nil, after: "[other.html]\n  expected: CRASH\n"),
        ])
        #expect(notes.contains { $0.contains("metadata from try push \(first.prefix(12))") }, "\(notes)")
        // The bug hears of the crash now expected, once.
        let told = w.comments(sync.bug).filter { $0.contains("now expects these to CRASH:\n- /css/css-grid/other.html") }
        #expect(told.count == 1, "\(w.comments(sync.bug))")
        // Another pass changes nothing.
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        #expect(try w.journal.downstreamSync(pullRequest: 9)?.metadata == metadata)

        // A second run (asked for by a person) where the subtest passes everywhere and other.html is not run:
        // grid.html needs no metadata any more, other.html keeps what the first run found.
        sync.requestedRetries += 1
        try w.journal.saveDownstreamSync(sync)
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        let second = try #require(try w.tryHeads().last)
        #expect(second != first)
        try finish(second) { _ in [WPTTestResult(test: "/css/css-grid/grid.html", status: "OK", subtests: [WPTSubtestResult(name: "gap", status: "PASS")])] }
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        #expect(sync.metadata?.revision == second)
        #expect(sync.metadata?.files == [Self.other: .init(before: nil, after: "[other.html]\n  expected: CRASH\n")])
        #expect(sync.tryPushes.map(\.status) == [.complete, .complete])
        #expect(w.comments(sync.bug).filter { $0.contains("now expects these to CRASH") }.count == 1)
    }

    @Test func aRenamedTestTakesItsMetadataAlongAndARemovedOneDropsIt() throws {
        try w.world.hgFixture.write(Self.grid, "[grid.html]\n  [gap]\n    expected: FAIL\n")
        try w.world.hgFixture.write("testing/web-platform/meta/dom/nodes/node.html.ini", "[node.html]\n  expected: TIMEOUT\n")
        try w.world.commit("Bug 3 - metadata")
        let head = try w.pullRequest(9, changing: ["css/css-grid/grid.html": nil, "dom/nodes/node.html": nil,
                                                   "css/css-grid/renamed.html": Array("<title>grid</title>\n<p>one</p>\n".utf8)])
        let syncer = try w.syncer()
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        try finish(try #require(try w.tryHeads().first)) { _ in
            [WPTTestResult(test: "/css/css-grid/renamed.html", status: "OK", subtests: [WPTSubtestResult(name: "gap", status: "FAIL")])]
        }
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        let metadata = try #require(try w.journal.downstreamSync(pullRequest: 9)?.metadata)
        #expect(metadata.files == [
            Self.grid: .init(before: "[grid.html]\n  [gap]\n    expected: FAIL\n", after: nil),
            "testing/web-platform/meta/css/css-grid/renamed.html.ini": .init(before: nil, after: "[renamed.html]\n  [gap]\n    expected: FAIL\n"),
            "testing/web-platform/meta/dom/nodes/node.html.ini": .init(before: "[node.html]\n  expected: TIMEOUT\n", after: nil),
        ], "\(metadata)")
    }
}
