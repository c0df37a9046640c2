import Foundation
import LocalServices
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 13, end to end: a PR's approval (a signed webhook to `wptsync serve`) makes its try push;
/// the PR merges upstream while the run goes on, and the landing waits for it
/// (`wait_for_metadata`); the run's results become the PR's metadata, stored with its sync and shown;
/// the landing then puts that metadata file into autoland right after the PR's import commit.
/// With Gecko as Mercurial, or as git (try pushes to a git try's branch `try`; landing pushed or through Lando).
@Suite("Downstream metadata lands with its PR", .serialized)
struct MetadataLandingTests {
    /// Gecko's kind, and for git whether the landing goes through Lando.
    enum Gecko: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case hg, git, gitLando
        var kind: GeckoKind { self == .hg ? .hg : .git }
        var testDescription: String { rawValue }
    }

    final class World {
        let landing: LandingWorld
        let bugzilla: LocalBugzilla
        let taskcluster: LocalTaskcluster
        let dir = TempDir("metadata-landing")
        let tryRepo: TryRepository
        let serve: WebhookServeTests.World

        /// Serves a git try over `git://` when `remoteTry`.
        let daemon: TestServer?

        /// `tryBranch`: a git try declared as a `[[gecko]]` try entry whose branch try pushes move;
        /// `remoteTry`: a git try reached over `git://` (`git daemon`), as a remote one is.
        /// `extraDownstream`: more `[downstream]` keys (e.g. `try_push = "lando"` and Lando's).
        init(waitSeconds: Double = 86_400, gecko: Gecko = .hg, tryBranch: String? = nil, remoteTry: Bool = false,
             extraDownstream: String = "") throws {
            bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs"])
            taskcluster = try LocalTaskcluster()
            let tryPath = dir.sub(gecko == .hg ? "try" : "try.git")
            let served = remoteTry ? try startGitDaemon(basePath: dir.path) : nil
            daemon = served?.server
            let tryEntry = tryBranch.map { "\n[[gecko]]\nname = \"try\"\npath = \"\(tryPath)\"\nrole = \"try\"\nkind = \"git\"\nbranch = \"\($0)\"\n" } ?? ""
            try writeFile(dir.sub("bugzilla-key"), "bot-key\n")
            try writeFile(dir.sub("webhook-secret"), "metadata secret\n")
            landing = try LandingWorld(extraLandingConfig: "wait_for_metadata = true\nmetadata_wait_seconds = \(waitSeconds)", extraConfig: """
                [serve]
                listen = "127.0.0.1:0"
                secret_file = "\(dir.sub("webhook-secret"))"

                [downstream]
                bugzilla_url = "\(bugzilla.restURL)"
                bugzilla_api_key_file = "\(dir.sub("bugzilla-key"))"
                taskcluster_url = "\(taskcluster.rootURL)"
                try_repository = "\(served.map { $0.url + "/try.git" } ?? tryPath)"
                clone = "\(dir.sub("try-clone"))"
                tasks = ["test-linux1804-64-qr/opt-web-platform-tests"]
                poll_seconds = 0.001
                # The first run's metadata lands here; StabilityDownstreamTests covers the stability run.
                rebuild = 0
                \(extraDownstream)
                \(tryEntry)
                """, geckoKind: gecko.kind, lando: gecko == .gitLando)
            tryRepo = try TryRepository(path: tryPath, central: landing.world.central, kind: gecko.kind,
                                        branch: tryBranch.map { "refs/heads/" + $0 } ?? "refs/heads/try")
            serve = try WebhookServeTests.World(config: landing.world.config, secretFile: dir.sub("webhook-secret"),
                                                environment: landing.world.environment)
        }

        /// A delivery saying `bob` approved the PR's head.
        func approve(_ pr: (number: Int, head: String, branch: String)) throws -> Int {
            let body = WebhookBodies.event("submitted", WebhookBodies.pullRequest(number: pr.number, head: pr.head, branch: pr.branch,
                                                                                  updatedAt: "2026-11-20T10:05:00Z"), extra: """
                , "review": {"user": {"login": "bob"}, "state": "approved", "commit_id": "\(pr.head)", "submitted_at": "2026-11-20T10:05:00Z"}
                """)
            return try serve.post("pull_request_review", body).status
        }

        func tryPushes() throws -> [String] { try tryRepo.pushes() }

        /// A crash right after PR `number`'s first try push (`revision`), before it was recorded:
        /// the sync is put back as it was then, and the review delivered again.
        func forgetFirstTryPush(of pr: (number: Int, head: String, branch: String), revision: String) throws {
            let journal = try SQLiteJournal(path: landing.world.store)
            var crashed = try #require(try journal.downstreamSync(pullRequest: pr.number))
            crashed.tryPushes[0].status = .planned
            crashed.tryPushes[0].revision = nil
            crashed.commented.remove(DownstreamComment.tryPushed(revision: revision).key)
            try journal.saveDownstreamSync(crashed)
            #expect(try approve(pr) == 202)
            _ = try landing.upstreamWorld.processUntilSettled()
        }

        /// mozilla-central's tip.
        func centralTip() throws -> String {
            let central = landing.world.central
            return landing.geckoKind == .git ? try sh("git", ["--git-dir", central, "rev-parse", "main"]).trimmingCharacters(in: .whitespacesAndNewlines)
                : try landing.hg(["log", "-r", "tip", "-T", "{node}"], in: central)
        }

        /// Ends the try run of `revision`: Windows fails the subtest `gap` of `test`, Linux passes it.
        func finishTryRun(_ revision: String, test: String = MetadataLandingTests.test) throws {
            let config = try tryRepo.file("try_task_config.json", at: revision)
            let run = try taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(config.utf8))
            for task in run.wptTasks {
                let status = task.label.contains("windows") ? "FAIL" : "PASS"
                taskcluster.scriptResults(group: run.decisionTaskID, label: task.label, runs: [[
                    WPTTestResult(test: "/" + test, status: "OK", subtests: [WPTSubtestResult(name: "gap", status: status)]),
                ]])
            }
            taskcluster.resolveAll(group: run.decisionTaskID)
        }

        /// `wptsync process` until autoland's tip moves from `tip`, at most `passes` times; the outputs.
        func processUntilAutolandMoves(from tip: String, passes: Int = 4) throws -> [String] {
            var outputs: [String] = []
            for _ in 0..<passes where try landing.autolandTip == tip {
                outputs += try landing.upstreamWorld.processUntilSettled()
            }
            return outputs
        }
    }

    static let test = "css/css-grid/metadata.html"
    static let metadataPath = "testing/web-platform/meta/css/css-grid/metadata.html.ini"
    /// What the results below give: the subtest fails on Windows only.
    static let expectedMetadata = """
        [metadata.html]
          [gap]
            expected:
              if os == "win": FAIL

        """

    @Test(arguments: Gecko.allCases)
    func aPullRequestsTryResultsLandAsItsMetadataCommitRightAfterItsImport(gecko: Gecko) throws {
        let w = try World(gecko: gecko)
        #expect(w.serve.port != 0, "\(w.serve.serve.output)")
        let pr = try w.landing.openUpstreamPR([Self.test: "<title>gap</title>\n"], title: "Test grid gaps")
        #expect(try w.approve(pr) == 202)
        _ = try w.landing.upstreamWorld.processUntilSettled()
        let shownFirst = try w.landing.world.wptsync(["show", "downstream", "\(pr.number)"])
        let revision = try #require(try w.tryPushes().first, "\(shownFirst)")
        let bug = try #require(w.bugzilla.bugs.first).id
        #expect(try w.tryRepo.file("try_task_config.json", at: revision).contains("testing/web-platform/tests/" + Self.test))
        #expect(try w.tryRepo.parent(of: revision) == w.centralTip())

        // A crash right after the try push, before it was recorded, and someone else's try push
        // meanwhile: the rebuild is the same commit, which try has already; nothing is pushed again.
        if gecko != .hg { try w.tryRepo.someoneElsePushes(try w.tryRepo.parent(of: revision)) }
        try w.forgetFirstTryPush(of: pr, revision: revision)
        let journal = try SQLiteJournal(path: w.landing.world.store)
        #expect(try w.tryPushes() == [revision])
        #expect(try journal.downstreamSync(pullRequest: pr.number)?.tryPushes.map(\.revision) == [revision])

        // The PR merges while its try run goes on: the landing waits for its metadata and says so.
        let before = try w.landing.autolandTip
        _ = try w.landing.upstreamClient.merge(pr.number, method: .merge)
        try w.landing.syncMirror()
        let waiting = try w.landing.upstreamWorld.processUntilSettled().joined(separator: "\n")
        #expect(try w.landing.autolandTip == before)
        let log = try String(contentsOfFile: w.landing.world.log, encoding: .utf8)
        #expect(log.contains("PR #\(pr.number) waits for its metadata (try push \(revision.prefix(12)) is still going)"), "\(waiting)")

        // The run ends: Windows fails the subtest, Linux passes it.
        try w.finishTryRun(revision)
        _ = try w.processUntilAutolandMoves(from: before)

        // Stored with the sync, shown as a diff and in `downstreams --json`.
        let shown = try w.landing.world.wptsync(["show", "downstream", "\(pr.number)"])
        #expect(shown.contains("metadata from try push \(revision.prefix(12))") && shown.contains("+++ b/\(Self.metadataPath)")
                && shown.contains(#"+      if os == "win": FAIL"#), "\(shown)")
        let listed = try w.serve.downstreams().first { $0["pull_request"] as? Int == pr.number }
        let state = try #require(listed?["metadata"] as? [String: Any], "\(listed ?? [:])")
        #expect(state["revision"] as? String == revision && state["files"] as? [String] == [Self.metadataPath], "\(state)")

        // Landed: the import, then the metadata commit with exactly that file, then the landing commit.
        let head = try w.landing.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try w.landing.autolandSummaries(after: before) == [
            "Bug \(w.landing.bug) [wpt PR \(pr.number)] - Test grid gaps, a=testonly",
            "Bug \(bug) [wpt PR \(pr.number)] - Update wpt metadata, a=testonly",
            "Bug \(w.landing.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly",
        ])
        let metadataCommit = try w.landing.autolandCommit(back: 1)
        #expect(metadataCommit.files == Self.metadataPath)
        #expect(metadataCommit.description.contains("wpt-pr: \(pr.number)\nwpt-type: metadata"))
        #expect(try w.landing.autolandFile(Self.metadataPath) == Self.expectedMetadata)
        #expect(try w.landing.autolandFile("testing/web-platform/tests/" + Self.test) == "<title>gap</title>\n")
    }

    @Test func aPersonCanLetAWaitingPullRequestLandAndPastTheLimitItLandsWithoutItsMetadata() throws {
        for waitSeconds in [86_400, 0.001] {
            let w = try World(waitSeconds: waitSeconds)
            let pr = try w.landing.openUpstreamPR([Self.test: "<title>gap</title>\n"], title: "Test grid gaps")
            #expect(try w.approve(pr) == 202)
            _ = try w.landing.upstreamWorld.processUntilSettled()
            #expect(try w.tryPushes().count == 1)
            let before = try w.landing.autolandTip
            _ = try w.landing.upstreamClient.merge(pr.number, method: .merge)
            try w.landing.syncMirror()
            _ = try w.landing.upstreamWorld.processUntilSettled()
            if waitSeconds > 1 {
                #expect(try w.landing.autolandTip == before, "waits for the try run")
                #expect(try w.landing.world.wptsync(["metadata", "\(pr.number)", "--ready"])
                        == "PR #\(pr.number): lands with no metadata; landings no longer wait for its try run\n")
                _ = try w.processUntilAutolandMoves(from: before)
            } else {
                let log = try String(contentsOfFile: w.landing.world.log, encoding: .utf8)
                #expect(log.contains("PR #\(pr.number) lands without its metadata"), "past the limit, it says so")
            }
            // Landed without metadata: the import and the landing commit only.
            #expect(try w.landing.autolandSummaries(after: before).count == 2)
            #expect(try w.landing.autolandSummaries(after: before).first == "Bug \(w.landing.bug) [wpt PR \(pr.number)] - Test grid gaps, a=testonly")
            #expect(try w.landing.autolandFile(Self.metadataPath) == nil)
        }
    }
}
