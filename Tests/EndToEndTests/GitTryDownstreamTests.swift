import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// A git try repository as users configure it: the branch its `[[gecko]]` try entry names (which
/// the hook and autoland watch) is the one downstream's try pushes move, and a remote git try is
/// not pushed to a second time after a crash between the push and its record.
@Suite("Downstream with a git try repository", .serialized)
struct GitTryDownstreamTests {
    typealias World = MetadataLandingTests.World

    /// Approves a new PR and processes until its try push is made; returns the PR.
    func approvedPullRequest(_ w: World) throws -> (number: Int, head: String, branch: String) {
        let pr = try w.landing.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
        #expect(try w.approve(pr) == 202)
        _ = try w.landing.upstreamWorld.processUntilSettled()
        return pr
    }

    @Test func tryPushesMoveTheBranchOfTheTryEntryAtTheTryRepository() throws {
        let w = try World(gecko: .git, tryBranch: "wpt-try")
        let pr = try approvedPullRequest(w)
        let shown = try w.landing.world.wptsync(["show", "downstream", "\(pr.number)"])
        let revision = try #require(try w.tryPushes().first, "no push to refs/heads/wpt-try: \(shown)")
        #expect(try w.tryRepo.file("try_task_config.json", at: revision).contains("testing/web-platform/tests/" + MetadataLandingTests.test))
        let branches = try sh("git", ["--git-dir", w.tryRepo.path, "for-each-ref", "--format=%(refname)", "refs/heads/"])
        #expect(branches == "refs/heads/main\nrefs/heads/wpt-try\n", "no branch try made beside it")
    }

    @Test func aRemoteGitTryIsNotPushedAgainAfterACrashOnceTryMovedOn() throws {
        let w = try World(gecko: .git, remoteTry: true)
        let pr = try approvedPullRequest(w)
        let shown = try w.landing.world.wptsync(["show", "downstream", "\(pr.number)"])
        let revision = try #require(try w.tryPushes().first, "pushed over git://: \(shown)")

        // A crash right after the push, before its record; meanwhile try's decision task ran for
        // it and someone else pushed to try.
        _ = try w.taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(try w.tryRepo.file("try_task_config.json", at: revision).utf8))
        let theirs = try w.tryRepo.parent(of: revision)
        try w.tryRepo.someoneElsePushes(theirs)
        try w.forgetFirstTryPush(of: pr, revision: revision)
        let journal = try SQLiteJournal(path: w.landing.world.store)
        #expect(try w.tryPushes() == [revision], "one try run")
        #expect(try sh("git", ["--git-dir", w.tryRepo.path, "rev-parse", "try"]).trimmingCharacters(in: .whitespacesAndNewlines) == theirs)
        #expect(try journal.downstreamSync(pullRequest: pr.number)?.tryPushes.map(\.revision) == [revision])
    }
}
