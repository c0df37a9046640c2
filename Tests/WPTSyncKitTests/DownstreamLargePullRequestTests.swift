import Foundation
import LocalServices
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 12, bad input: a PR touching 10,000 files (a mass edit across two folders) is handled like
/// any other: one bug in the component owning most of its files, and once approved one try push
/// holding all 10,000 files whose `try_task_config.json` lists folders instead of more than
/// `max_test_paths` tests.
@Suite("A pull request touching 10,000 files")
struct DownstreamLargePullRequestTests {
    @Test func itGetsOneBugAndOneTryPushOfFoldersWithEveryFile() throws {
        let w = try DownstreamWorld()
        var edits: [String: [UInt8]?] = [:]
        for folder in 0..<1_000 {
            let root = folder < 800 ? "css/css-grid/g\(folder)" : "dom/nodes/n\(folder)"
            for file in 0..<10 { edits["\(root)/t\(file).html"] = Array("<title>\(folder)-\(file)</title>\n".utf8) }
        }
        let head = try w.pullRequest(11, changing: edits)
        let syncer = try w.syncer()

        _ = try syncer.reconcile(w.info(11), head: head)
        let bugID = try #require(try w.journal.downstreamSync(pullRequest: 11)?.bug)
        #expect(w.bugzilla.bugs.count == 1)
        #expect(w.bugzilla.bug(bugID)?.fields["component"] == "Layout: Grid", "8,000 of the 10,000 files are in css/css-grid")

        let notes = try syncer.reconcile(w.info(11, approved: true), head: head)
        let pushed = try w.tryHeads()
        #expect(pushed.count == 1, "\(notes)")
        let revision = try #require(pushed.first)
        let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: w.tryRepo)
        let paths = try LocalTaskcluster.testPaths(tryTaskConfig: Array(config.utf8))
        #expect(paths == ["testing/web-platform/tests/css/css-grid", "testing/web-platform/tests/dom/nodes"], "\(paths.prefix(5))")
        let changed = try sh("hg", ["log", "-r", revision, "-T", "{join(files, '\\n')}"], in: w.tryRepo).split(separator: "\n")
        #expect(changed.count == 10_001, "every file and try_task_config.json")
        #expect(try sh("hg", ["cat", "-r", revision, "testing/web-platform/tests/dom/nodes/n999/t9.html"], in: w.tryRepo)
                == "<title>999-9</title>\n")
        let push = try #require(try w.journal.downstreamSync(pullRequest: 11)?.tryPushes.first)
        #expect(push.mode == .tests && push.status == .running)

        // The same state again: nothing more.
        _ = try syncer.reconcile(w.info(11, approved: true), head: head)
        #expect(try w.tryHeads() == pushed && w.bugzilla.bugs.count == 1)
    }
}
