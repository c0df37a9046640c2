import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Synchronization
import Testing
import TestSupport
@testable import WPTSyncKit

/// The journal, except that it dies (every save fails, as after a crash) at the first save of a
/// sync that `dies` accepts.
final class DyingStore: DownstreamSyncStore {
    let journal: SQLiteJournal
    let dies: @Sendable (DownstreamSync) -> Bool
    let dead = Mutex(false)

    init(_ journal: SQLiteJournal, dies: @escaping @Sendable (DownstreamSync) -> Bool) {
        self.journal = journal
        self.dies = dies
    }

    func downstreamSync(pullRequest number: Int) throws(StoreError) -> DownstreamSync? { try journal.downstreamSync(pullRequest: number) }
    func downstreamSyncs() throws(StoreError) -> [DownstreamSync] { try journal.downstreamSyncs() }
    func downstreamSyncsWithLateMetadata() throws(StoreError) -> [DownstreamSync] { try journal.downstreamSyncsWithLateMetadata() }
    func saveDownstreamSync(_ sync: DownstreamSync) throws(StoreError) {
        let isDead = dead.withLock { dead in
            dead = dead || dies(sync)
            return dead
        }
        if isDead { throw .query(path: journal.path, reason: "simulated crash") }
        try journal.saveDownstreamSync(sync)
    }
    func saveDownstreamResults(pullRequest: Int, revision: String, _ results: [DownstreamResult], keepingRuns keep: Int) throws(StoreError) {
        try journal.saveDownstreamResults(pullRequest: pullRequest, revision: revision, results, keepingRuns: keep)
    }
    func downstreamResults(pullRequest: Int) throws(StoreError) -> [DownstreamResult] { try journal.downstreamResults(pullRequest: pullRequest) }
}

/// Issue 12, faults: Bugzilla down or slow, and a crash between the try push and its record.
/// Each leaves a clear error on the sync, and the next pass converges: one bug, one try push.
@Suite("Downstream syncs under faults")
struct DownstreamFaultTests {
    let w: DownstreamWorld
    init() throws { w = try DownstreamWorld() }

    @Test func bugzillaFailingOrHangingIsAnErrorOnTheSyncRetriedWithoutADuplicateBug() throws {
        let head = try w.pullRequest(7, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let syncer = try w.syncer(bugzillaTimeout: .milliseconds(500))

        // The bug is filed, but the answer is a 502: the outcome is unknown to wptsync.
        w.bugzilla.injectFault(.serverErrorAfterActing(status: 502), method: "POST", pathPrefix: "/rest/bug")
        #expect(throws: (any Error).self) { try syncer.reconcile(w.info(7), head: head) }
        var sync = try #require(try w.journal.downstreamSync(pullRequest: 7))
        #expect(sync.bug == nil)
        #expect(sync.lastError?.hasPrefix("PR #7: filing its bug: ") == true, "\(sync.lastError ?? "")")
        #expect(sync.lastError?.contains("502") == true, "\(sync.lastError ?? "")")
        #expect(!(sync.lastError ?? "").contains("bot-key"))
        #expect(w.bugzilla.bugs.count == 1)

        // Next pass: Bugzilla hangs (every attempt times out).
        w.bugzilla.injectFault(.hang, count: 2, method: "GET", pathPrefix: "/rest/bug")
        #expect(throws: (any Error).self) { try syncer.reconcile(w.info(7), head: head) }
        sync = try #require(try w.journal.downstreamSync(pullRequest: 7))
        #expect(sync.lastError?.contains("timed out") == true || sync.lastError?.contains("timeout") == true, "\(sync.lastError ?? "")")

        // Back: the bug filed by the first POST is found by the PR's URL, not filed again.
        let notes = try syncer.reconcile(w.info(7), head: head)
        sync = try #require(try w.journal.downstreamSync(pullRequest: 7))
        #expect(w.bugzilla.bugs.count == 1, "\(notes)")
        #expect(sync.bug == w.bugzilla.bugs.first?.id && sync.lastError == nil)
    }

    @Test func aCrashBetweenTheTryPushAndItsRecordLeavesOneTryPush() throws {
        let head = try w.pullRequest(7, changing: ["css/css-grid/grid.html": Array("<title>grid v2</title>\n".utf8)])
        let dying = DyingStore(w.journal) { $0.tryPushes.contains { $0.revision != nil } }
        #expect(throws: (any Error).self) { try w.syncer(store: dying).reconcile(w.info(7, approved: true), head: head) }
        let pushed = try w.tryHeads()
        #expect(pushed.count == 1, "pushed before the crash")
        let recorded = try #require(try w.journal.downstreamSync(pullRequest: 7))
        #expect(recorded.tryPushes.map(\.status) == [.planned] && recorded.tryPushes.first?.revision == nil, "recorded as planned first")

        // mozilla-central moves meanwhile; a fresh process still builds on the recorded base: the
        // same commit, which try already has.
        try w.world.hgFixture.write("dom/other.cpp", "int y;\n")
        _ = try w.world.hgFixture.commit("Bug 2 - central moves")
        let notes = try w.syncer().reconcile(w.info(7, approved: true), head: head)
        #expect(try w.tryHeads() == pushed, "\(notes)")
        let sync = try #require(try w.journal.downstreamSync(pullRequest: 7))
        #expect(sync.tryPushes.map(\.revision) == [pushed[0]] && sync.tryPushes.map(\.status) == [.running])
        #expect(w.comments(sync.bug).filter { $0.contains(pushed[0]) }.count == 1)
        #expect(sync.lastError == nil)
    }
}
