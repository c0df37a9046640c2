import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 13: with `unstable = "intermittent"`, what flips between statuses in one configuration of the
/// stability run is recorded as an intermittent list (most frequent first) from both runs' results,
/// and nobody is asked to triage.
@Suite("Downstream stability runs, intermittent")
struct DownstreamStabilitySyncTests {
    let w: DownstreamWorld
    init() throws { w = try DownstreamWorld() }

    @Test func theFlippingSubtestBecomesAnIntermittentListFromBothRuns() throws {
        let head = try w.pullRequest(9, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        var syncer = try w.syncer(settings: .init(rebuild: 4, triageDefault: DownstreamWorld.contact))
        syncer.unstable = .intermittent
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        /// Resolves try push `revision`, the subtest giving `statuses` on successive runs of each task.
        func finish(_ revision: String, _ statuses: [String]) throws -> ScheduledTryPush {
            let run = try w.schedule(revision)
            for label in Set(run.wptTasks.map(\.label)) {
                w.taskcluster.scriptResults(group: run.decisionTaskID, label: label, runs: statuses.map {
                    [WPTTestResult(test: "/css/css-grid/grid.html", status: "OK", subtests: [WPTSubtestResult(name: "gap", status: $0)])]
                })
            }
            w.taskcluster.resolveAll(group: run.decisionTaskID)
            return run
        }
        let first = try #require(try w.tryHeads().first)
        _ = try finish(first, ["FAIL"])
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        let stability = try #require(try w.tryHeads().last)
        #expect(try w.tryHeads().count == 2 && stability != first)
        #expect(try finish(stability, ["PASS"]).wptTasks.count == 4 * 3)
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)

        let sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        #expect(sync.tryPushes.map(\.status) == [.complete, .complete] && sync.tryPushes.map(\.rebuild) == [nil, 4])
        // The stability run passes 4 times out of 4, but with the first run's FAIL the subtest is intermittent everywhere.
        #expect(sync.metadata?.revision == stability)
        #expect(sync.metadata?.files == ["testing/web-platform/meta/css/css-grid/grid.html.ini": .init(
            before: nil, after: "[grid.html]\n  [gap]\n    expected: [PASS, FAIL]\n")], "\(String(describing: sync.metadata))")
        #expect(sync.metadata?.disabled == [] && w.bugzilla.bug(sync.bug ?? 0)?.flags == [], "nothing disabled: nobody asked")
    }
}
