import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 12: an upstream PR gets a bug in the component owning its files, then (once approved) one
/// try push of exactly its tests, built in memory on mozilla-central and pushed to a real try
/// repository; the results are followed through Taskcluster, stored with the sync and said on the
/// bug; closing the PR resolves the bug. Local Bugzilla and Taskcluster over loopback, real hg and
/// git repositories.
@Suite("Downstream sync of an upstream PR")
struct DownstreamSyncerTests {
    let w: DownstreamWorld
    init() throws { w = try DownstreamWorld() }

    @Test func aPullRequestGetsABugThenOneTryPushOfItsTestsThenItsResultsOnTheBug() throws {
        let head = try w.pullRequest(7, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8),
                                                   "css/css-grid/new.html": Array("<title>new</title>\n".utf8)])
        let syncer = try w.syncer()

        // Opened, not approved: a bug in the component owning its files, and no try push yet.
        let opened = try syncer.reconcile(w.info(7), head: head)
        let bugID = try #require(try w.journal.downstreamSync(pullRequest: 7)?.bug, "\(opened)")
        let bug = try #require(w.bugzilla.bug(bugID))
        #expect(bug.fields["product"] == "Core" && bug.fields["component"] == "Layout: Grid")
        #expect(bug.fields["summary"] == "[wpt-sync] Sync PR 7 - Fix grid gaps")
        #expect(bug.fields["url"] == "https://github.com/web-platform-tests/wpt/pull/7")
        #expect(opened.last?.contains("waits for approval") == true, "\(opened)")
        #expect(try w.tryHeads().isEmpty)

        // Approved: one try push, of exactly the PR's tests, on mozilla-central's tip.
        _ = try syncer.reconcile(w.info(7, approved: true), head: head)
        let pushed = try w.tryHeads()
        #expect(pushed.count == 1)
        let revision = try #require(pushed.first)
        let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: w.tryRepo)
        #expect(config.contains(#"testing/web-platform/tests/css/css-grid/grid.html"#))
        #expect(config.contains(#"testing/web-platform/tests/css/css-grid/new.html"#))
        #expect(!config.contains("dom/nodes"))
        #expect(try sh("hg", ["cat", "-r", revision, "testing/web-platform/tests/css/css-grid/new.html"], in: w.tryRepo) == "<title>new</title>\n")

        // The same state again (a redelivered webhook, a reconciliation pass): nothing new.
        let again = try syncer.reconcile(w.info(7, approved: true), head: head)
        #expect(try w.tryHeads() == pushed)
        #expect(again.last?.contains("waits for the results") == true, "\(again)")
        #expect(w.comments(bugID).filter { $0.contains(revision) }.count == 1)

        // The try run's tasks finish: the results are said on the bug, once.
        let run = try w.schedule(revision)
        w.taskcluster.resolveAll(group: run.decisionTaskID)
        _ = try syncer.reconcile(w.info(7, approved: true), head: head)
        _ = try syncer.reconcile(w.info(7, approved: true), head: head)
        #expect(try w.journal.downstreamSync(pullRequest: 7)?.tryPushes.map(\.status) == [.complete])
        #expect(w.comments(bugID).filter { $0.lowercased().contains("results") }.count == 1)

        // Closed unmerged: the bug is resolved INVALID.
        _ = try syncer.reconcile(w.info(7, state: .closed, approved: true), head: head)
        #expect(w.bugzilla.bug(bugID)?.fields["status"] == "RESOLVED" && w.bugzilla.bug(bugID)?.fields["resolution"] == "INVALID")
    }

    @Test func aPullRequestChangingOnlyExcludedPathsGetsNothing() throws {
        let head = try w.pullRequest(8, changing: ["resources/testdriver_vendor.js": Array("vendor\n".utf8)])
        let notes = try w.syncer().reconcile(w.info(8, approved: true), head: head)
        #expect(notes.first?.contains("changes nothing Gecko imports") == true, "\(notes)")
        #expect(try w.journal.downstreamSync(pullRequest: 8) == nil)
        #expect(w.bugzilla.bugs.isEmpty)
    }

    @Test func eachWptReportIsStoredWithTheSyncAndTheBugCountsUnexpectedResultsPerPlatform() throws {
        let head = try w.pullRequest(9, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let syncer = try w.syncer()
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        let revision = try #require(try w.tryHeads().first)
        let run = try w.schedule(revision)
        let linuxOpt = try #require(run.wptTasks.first { $0.label.contains("linux1804-64-qr/opt") })
        let linuxDebug = try #require(run.wptTasks.first { $0.label.contains("linux1804-64-qr/debug") })
        let windows = try #require(run.wptTasks.first { $0.label.contains("windows") })
        w.taskcluster.scriptResults(group: run.decisionTaskID, label: linuxOpt.label, runs: [[
            WPTTestResult(test: "/css/css-grid/grid.html", status: "TIMEOUT", expected: "OK", subtests: [
                WPTSubtestResult(name: "gap", status: "FAIL", expected: "PASS"),
                WPTSubtestResult(name: "row", status: "PASS"),
            ]),
        ]])
        w.taskcluster.breakArtifact(linuxDebug.taskID, .missing)
        w.taskcluster.resolveAll(group: run.decisionTaskID)
        let bug = try w.journal.downstreamSync(pullRequest: 9)?.bug

        // A report the task did not publish: an error on the sync naming the task; the run is
        // still followed, nothing is said on the bug.
        #expect(throws: (any Error).self) { try syncer.reconcile(w.info(9, approved: true), head: head) }
        var sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        #expect(sync.lastError?.contains("wptreport.json of task \(linuxDebug.taskID) (\(linuxDebug.label))") == true, "\(sync.lastError ?? "")")
        #expect(sync.lastError?.contains("published none (HTTP 404)") == true, "\(sync.lastError ?? "")")
        #expect(sync.tryPushes.map(\.status) == [.running])
        #expect(try w.journal.downstreamResults(pullRequest: 9).isEmpty)

        // Published, but not a report: the same, saying what is wrong.
        w.taskcluster.repairArtifact(linuxDebug.taskID)
        w.taskcluster.breakArtifact(windows.taskID, .wrongContent("<html>502 Bad Gateway</html>"))
        #expect(throws: (any Error).self) { try syncer.reconcile(w.info(9, approved: true), head: head) }
        sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        #expect(sync.lastError?.contains("task \(windows.taskID)") == true && sync.lastError?.contains("not a wptreport.json: not JSON") == true,
                "\(sync.lastError ?? "")")
        #expect(!w.comments(bug).contains { $0.contains("results are in") })

        // Repaired: the next pass stores the three reports as published, and says per platform what was unexpected.
        w.taskcluster.repairArtifact(windows.taskID)
        _ = try syncer.reconcile(w.info(9, approved: true), head: head)
        sync = try #require(try w.journal.downstreamSync(pullRequest: 9))
        #expect(sync.lastError == nil && sync.tryPushes.map(\.status) == [.complete])
        let stored = try w.journal.downstreamResults(pullRequest: 9)
        #expect(Set(stored.map(\.taskID)) == Set(run.wptTasks.map(\.taskID)) && stored.allSatisfy { $0.revision == revision })
        let client = TaskclusterClient(rootURL: w.taskcluster.rootURL)
        for result in stored {
            #expect(result.report == (try client.artifact(result.taskID, name: TaskclusterClient.wptReportArtifact)))
        }
        let comment = try #require(w.comments(bug).first { $0.contains("results are in") })
        #expect(comment.contains("- linux1804-64-qr/opt: 1 of 1 test, 1 of 2 subtests"), "\(comment)")
        #expect(comment.contains("- linux1804-64-qr/debug: 0 of 1 test, 0 of 0 subtests"), "\(comment)")
        #expect(comment.contains("- windows11-64-24h2/opt: 0 of 1 test"), "\(comment)")
    }

    @Test func twoRetriesOfOneHeadOnOneBaseAreTwoTryPushesAndTwoRuns() throws {
        let number = try w.openPullRequest(changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let head = "refs/pull/\(number)/head"
        let syncer = try w.syncer()
        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        _ = try w.schedule(try #require(try w.tryHeads().last))
        // A person asks twice for another run while central stays where it is: each gets its own try
        // commit, never the run of the one before (Taskcluster's index has a decision task at it).
        for expected in [2, 3] {
            var sync = try #require(try w.journal.downstreamSync(pullRequest: number))
            sync.requestedRetries += 1
            try w.journal.saveDownstreamSync(sync)
            let notes = try syncer.reconcile(w.info(number, approved: true), head: head)
            #expect(try w.tryHeads().count == expected, "\(notes)")
            _ = try w.schedule(try #require(try w.tryHeads().last))
        }
        let revisions = try #require(try w.journal.downstreamSync(pullRequest: number)).tryPushes.compactMap(\.revision)
        #expect(revisions == (try w.tryHeads()) && Set(revisions).count == 3, "\(revisions)")
        let messages = try revisions.map { try sh("hg", ["log", "-r", $0, "-T", "{desc}"], in: w.tryRepo) }
        #expect(messages.map { $0.contains("wpt-try-push: ") } == [true, true, true], "\(messages)")
    }
}
