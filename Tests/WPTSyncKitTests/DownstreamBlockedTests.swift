import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 12: what makes a downstream sync wait for a person (try infrastructure failing twice, a
/// conflict with mozilla-central, a PR that breaks the test runner) is said on the bug, and the PR
/// carries `mozilla:gecko-blocked` until it clears.
@Suite("Downstream syncs waiting for a person")
struct DownstreamBlockedTests {
    let w: DownstreamWorld
    init() throws { w = try DownstreamWorld() }

    @Test func anInfrastructureFailureIsRetriedOnceThenSaidOnTheBugAndThePRIsLabelledUntilARetry() throws {
        let number = try w.openPullRequest(changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let head = "refs/pull/\(number)/head"
        let syncer = try w.syncer()
        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        let first = try #require(try w.tryHeads().first)

        // A build fails: an infrastructure failure, retried once by itself.
        let run = try w.schedule(first)
        #expect(w.taskcluster.setState(run.builds[0].taskID, .failed))
        w.taskcluster.resolveAll(group: run.decisionTaskID)
        let retried = try syncer.reconcile(w.info(number, approved: true), head: head)
        let heads = try w.tryHeads()
        #expect(heads.count == 2, "\(retried)")
        let central = try w.world.hgFixture.hg(["log", "-r", "tip", "-T", "{node}"])
        for head in heads {
            #expect(try sh("hg", ["log", "-r", "p1(\(head))", "-T", "{node}"], in: w.tryRepo) == central, "each try push is on central's tip")
        }
        #expect(try w.journal.downstreamSync(pullRequest: number)?.tryPushes.map(\.reason) == [.changes, .infraRetry])
        #expect(w.labels(number).isEmpty)

        // The retry has most of its wpt tasks in exception: the bug hears of it, the PR is labelled.
        let second = try w.schedule(heads[1])
        for task in second.wptTasks.prefix(2) { #expect(w.taskcluster.setState(task.taskID, .exception)) }
        w.taskcluster.resolveAll(group: second.decisionTaskID)
        let notes = try syncer.reconcile(w.info(number, approved: true), head: head)
        #expect(notes.last?.contains("waits for a person: try infrastructure failed twice") == true, "\(notes)")
        let bug = try w.journal.downstreamSync(pullRequest: number)?.bug
        #expect(w.comments(bug).filter { $0.contains("failed for infrastructure reasons twice") }.count == 1)
        #expect(w.labels(number) == ["mozilla:gecko-blocked"])

        // Again: nothing new.
        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        #expect(try w.tryHeads().count == 2)
        #expect(w.comments(bug).filter { $0.contains("failed for infrastructure reasons twice") }.count == 1)

        // A person asks for a new try push (as `wptsync retry-try` records it): the label goes.
        var sync = try #require(try w.journal.downstreamSync(pullRequest: number))
        sync.requestedRetries += 1
        try w.journal.saveDownstreamSync(sync)
        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        #expect(try w.tryHeads().count == 3)
        #expect(w.labels(number).isEmpty)
    }

    @Test func aConflictWithCentralIsSaidOnTheBugNamingTheFilesAndLabelsThePRUntilThePRChanges() throws {
        let number = try w.openPullRequest(changing: ["css/css-grid/grid.html": Array("<title>grid</title>\n<p>two</p>\n".utf8)])
        // Gecko changed the same line meanwhile (not upstream yet).
        try w.world.write("css/css-grid/grid.html", "<title>grid</title>\n<p>three</p>\n")
        try w.world.commit("Bug 1 - Gecko's own change to grid.html")
        let syncer = try w.syncer()

        let notes = try syncer.reconcile(w.info(number, approved: true), head: "refs/pull/\(number)/head")
        #expect(notes.last?.contains("waits for a person: does not apply to mozilla-central: css/css-grid/grid.html") == true, "\(notes)")
        #expect(try w.tryHeads().isEmpty)
        let bug = try w.journal.downstreamSync(pullRequest: number)?.bug
        let said = w.comments(bug).filter { $0.contains("cannot be tried") }
        #expect(said.count == 1 && said.first?.contains("css/css-grid/grid.html") == true, "\(said)")
        #expect(w.labels(number) == ["mozilla:gecko-blocked"])

        _ = try syncer.reconcile(w.info(number, approved: true), head: "refs/pull/\(number)/head")
        #expect(w.comments(bug).filter { $0.contains("cannot be tried") }.count == 1)

        // The PR changes: it no longer touches grid.html. The label goes and its tests are tried.
        try w.pullRequest(number, changing: ["css/css-grid/gap.html": Array("<title>gap</title>\n".utf8)])
        let moved = try syncer.reconcile(w.info(number, approved: true), head: "refs/pull/\(number)/head")
        #expect(w.labels(number).isEmpty, "\(moved)")
        #expect(try w.tryHeads().count == 1)
        #expect(try w.journal.downstreamSync(pullRequest: number)?.blockedLabel == false)
    }

    @Test func aHarnessOnlyPRWhoseInfrastructureTestsFailAsksTheRunnerContact() throws {
        let number = try w.openPullRequest(changing: ["resources/testharness.js": Array("// harness v2\n".utf8)])
        let head = "refs/pull/\(number)/head"
        let syncer = try w.syncer(settings: .init(runnerContact: DownstreamWorld.contact))
        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        let revision = try #require(try w.tryHeads().first)
        let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: w.tryRepo)
        #expect(config.contains("testing/web-platform/tests/infrastructure"), "\(config)")

        let run = try w.schedule(revision)
        for task in run.wptTasks { #expect(w.taskcluster.setState(task.taskID, .failed)) }
        w.taskcluster.resolveAll(group: run.decisionTaskID)
        let notes = try syncer.reconcile(w.info(number, approved: true), head: head)
        #expect(notes.last?.contains("waits for a person: breaks the test runner") == true, "\(notes)")
        let bugID = try #require(try w.journal.downstreamSync(pullRequest: number)?.bug)
        let bug = try #require(w.bugzilla.bug(bugID))
        #expect(bug.flags == ["needinfo?(\(DownstreamWorld.contact))"])
        #expect(bug.comments.filter { $0.contains("breaks the test runner") }.count == 1)
        #expect(w.labels(number) == ["mozilla:gecko-blocked"])

        _ = try syncer.reconcile(w.info(number, approved: true), head: head)
        #expect(w.bugzilla.bug(bugID)?.flags == ["needinfo?(\(DownstreamWorld.contact))"])
        #expect(w.bugzilla.requests.filter { $0.method == "PUT" }.count == 1, "asked once")
    }
}
