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
/// repository; the results are followed through Taskcluster and said on the bug; closing the PR
/// resolves the bug. Local Bugzilla and Taskcluster over loopback, real hg and git repositories.
@Suite("Downstream sync of an upstream PR")
struct DownstreamSyncerTests {
    let dir = TempDir("downstream")
    let world: ExportWorld
    let master: Oid
    let bugzilla: LocalBugzilla
    let taskcluster: LocalTaskcluster
    let journal: SQLiteJournal
    let tryRepo: String

    init() throws {
        world = try ExportWorld()
        try world.write("css/css-grid/grid.html", "<title>grid</title>\n")
        try world.write("css/css-grid/support/grid.css", "div {}\n")
        try world.write("dom/nodes/node.html", "<title>node</title>\n")
        try world.hgFixture.write("testing/web-platform/moz.build", """
            with Files("**"):
                BUG_COMPONENT = ("Testing", "web-platform-tests")

            with Files("tests/css/css-grid/**"):
                BUG_COMPONENT = ("Core", "Layout: Grid")

            """)
        let central = try world.commit("Initial")
        master = try world.mirror(central)
        try world.git.updateReference("refs/heads/master", to: master, expecting: .any)
        bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs"])
        taskcluster = try LocalTaskcluster()
        journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
        tryRepo = dir.sub("try")
        _ = try sh("hg", ["clone", "-q", "-U", world.hgFixture.root, tryRepo])
    }

    func syncer() throws -> DownstreamSyncer {
        DownstreamSyncer(
            store: journal, git: world.git, master: "refs/heads/master",
            clone: try LandingClone(path: dir.sub("central-clone"), source: world.hgFixture.root),
            central: world.hgFixture.root, tryRepository: tryRepo,
            bugzilla: BugzillaClient(restURL: bugzilla.restURL, apiKey: Token("bot-key")),
            taskcluster: TaskclusterClient(rootURL: taskcluster.rootURL),
            settings: .init(), exclude: LandingSettings.defaultExclude, upstreamLabel: "mozilla:gecko-sync",
            tasks: ["test-linux1804-64-qr/opt-web-platform-tests-1"], prefixes: PathPrefixes())
    }

    func pullRequest(_ number: Int, changing edits: [String: [UInt8]?]) throws -> String {
        let head = try world.upstreamCommit(onto: master, edits)
        try world.git.updateReference("refs/pull/\(number)/head", to: head, expecting: .any)
        return "refs/pull/\(number)/head"
    }

    func info(_ number: Int, state: PullRequestFacts.State = .open, approved: Bool = false) -> DownstreamPullRequestInfo {
        DownstreamPullRequestInfo(
            facts: PullRequestFacts(number: number, url: "https://github.com/web-platform-tests/wpt/pull/\(number)",
                                    branch: "fix-grid", state: state, body: "Fixes the grid test.", labels: [], head: nil),
            title: "Fix grid gaps", author: "someone", approved: approved, checksPassed: false)
    }

    func tryHeads() throws -> [String] {
        try sh("hg", ["log", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"], in: tryRepo)
            .split(separator: "\n").map(String.init)
    }

    @Test func aPullRequestGetsABugThenOneTryPushOfItsTestsThenItsResultsOnTheBug() throws {
        let head = try pullRequest(7, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8),
                                                 "css/css-grid/new.html": Array("<title>new</title>\n".utf8)])
        let syncer = try syncer()

        // Opened, not approved: a bug in the component owning its files, and no try push yet.
        let opened = try syncer.reconcile(info(7), head: head)
        let bugID = try #require(try journal.downstreamSync(pullRequest: 7)?.bug, "\(opened)")
        let bug = try #require(bugzilla.bug(bugID))
        #expect(bug.fields["product"] == "Core" && bug.fields["component"] == "Layout: Grid")
        #expect(bug.fields["summary"] == "[wpt-sync] Sync PR 7 - Fix grid gaps")
        #expect(bug.fields["url"] == "https://github.com/web-platform-tests/wpt/pull/7")
        #expect(opened.last?.contains("waits for approval") == true, "\(opened)")
        #expect(try tryHeads().isEmpty)

        // Approved: one try push, of exactly the PR's tests, on mozilla-central's tip.
        _ = try syncer.reconcile(info(7, approved: true), head: head)
        let pushed = try tryHeads()
        #expect(pushed.count == 1)
        let revision = try #require(pushed.first)
        let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: tryRepo)
        #expect(config.contains(#"testing/web-platform/tests/css/css-grid/grid.html"#))
        #expect(config.contains(#"testing/web-platform/tests/css/css-grid/new.html"#))
        #expect(!config.contains("dom/nodes"))
        #expect(try sh("hg", ["cat", "-r", revision, "testing/web-platform/tests/css/css-grid/new.html"], in: tryRepo) == "<title>new</title>\n")

        // The same state again (a redelivered webhook, a reconciliation pass): nothing new.
        let again = try syncer.reconcile(info(7, approved: true), head: head)
        #expect(try tryHeads() == pushed)
        #expect(again.last?.contains("waits for the results") == true, "\(again)")
        #expect((bugzilla.bug(bugID)?.comments ?? []).filter { $0.contains(revision) }.count == 1)

        // The try run's tasks finish: the results are said on the bug, once.
        let run = try taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(config.utf8))
        taskcluster.resolveAll(group: run.decisionTaskID)
        _ = try syncer.reconcile(info(7, approved: true), head: head)
        _ = try syncer.reconcile(info(7, approved: true), head: head)
        #expect(try journal.downstreamSync(pullRequest: 7)?.tryPushes.map(\.status) == [.complete])
        #expect((bugzilla.bug(bugID)?.comments ?? []).filter { $0.lowercased().contains("results") }.count == 1)

        // Closed unmerged: the bug is resolved INVALID.
        _ = try syncer.reconcile(info(7, state: .closed, approved: true), head: head)
        #expect(bugzilla.bug(bugID)?.fields["status"] == "RESOLVED" && bugzilla.bug(bugID)?.fields["resolution"] == "INVALID")
    }

    @Test func aPullRequestChangingOnlyExcludedPathsGetsNothing() throws {
        let head = try pullRequest(8, changing: ["resources/testdriver_vendor.js": Array("vendor\n".utf8)])
        let notes = try syncer().reconcile(info(8, approved: true), head: head)
        #expect(notes.first?.contains("changes nothing Gecko imports") == true, "\(notes)")
        #expect(try journal.downstreamSync(pullRequest: 8) == nil)
        #expect(bugzilla.bugs.isEmpty)
    }
}
