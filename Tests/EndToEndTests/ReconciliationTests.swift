import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import Synchronization
import Testing
import TestSupport

/// Issue 12, nothing missed stays missed: PRs on the local GitHub whose deliveries never reached
/// `wptsync serve` are found by the worker's periodic reconciliation (run by `wptsync process`,
/// which drains, then runs the periodic tasks) and get their bug and try push; a reconciliation
/// with nothing changed is answered 304 and records nothing.
@Suite("Pull request reconciliation", .serialized)
struct ReconciliationTests {
    /// The downstream world of `WebhookDownstreamTests` plus a local GitHub serving a bare clone of
    /// its wpt mirror, configured as `[github]`.
    final class World {
        let downstream: WebhookDownstreamTests.World
        let github: LocalGitHub
        let person: GitHubClient

        init() throws {
            let made = Mutex<LocalGitHub?>(nil)
            downstream = try WebhookDownstreamTests.World { gecko, dir in
                let bare = dir.sub("upstream.git")
                _ = try sh("git", ["clone", "-q", "--bare", gecko.git.path, bare])
                let github = try LocalGitHub(repositoryPath: bare, users: ["bot-token": "wpt-sync-bot", "alice-token": "alice", "bob-token": "bob"])
                made.withLock { $0 = github }
                try writeFile(dir.sub("github-token"), "bot-token\n")
                return """

                    [github]
                    api = "\(github.baseURL)"
                    repo = "web-platform-tests/wpt"
                    token_file = "\(dir.sub("github-token"))"
                    """
            }
            github = try #require(made.withLock { $0 })
            person = GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!, token: Token("alice-token"))
        }

        deinit { github.stop() }

        /// Opens PR `number` as alice, adding `file` below css/css-grid (its head is in the mirror
        /// too); no delivery is sent. Its head.
        func open(_ number: Int, adding file: String) throws -> String {
            let head = try downstream.gecko.upstreamCommit(
                onto: downstream.master, ["css/css-grid/\(file)": Array("<title>\(file)</title>\n".utf8)]).hex
            _ = try sh("git", ["push", "-q", github.repositoryPath, "\(head):refs/heads/grid-\(number)"], in: downstream.gecko.git.path)
            let created = try person.createPullRequest(title: "Grid \(file)", head: BranchName("grid-\(number)")!).pullRequest
            #expect(created.number == number)
            return head
        }

        var serve: WebhookServeTests.World { downstream.serve }
    }

    @Test func aMissedApprovalAndAMissedStatusAreFoundOnTheirPullRequests() throws {
        let world = try World()
        let serve = world.serve
        let head = try world.open(1, adding: "grid-gap.html")
        _ = try serve.wptsync(["reconcile-prs"])
        _ = try serve.wptsync(["process"])
        #expect(world.downstream.bugzilla.bugs.count == 1)
        #expect(try world.downstream.tryPushes().isEmpty, "neither approved nor checked yet")

        // bob approves; the review's delivery is lost. A failing status is lost too.
        var bob = world.person
        bob.token = Token("bob-token")
        _ = try bob.approve(1, commitID: head, approverToken: Token("bob-token"))
        try world.person.setStatus(sha: head, state: .failure, context: "lint")
        let found = try serve.wptsync(["reconcile-prs"])
        #expect(found.contains("recorded #1 review, #1 check"), "\(found)")
        _ = try serve.wptsync(["process"])
        #expect(try world.downstream.tryPushes().count == 1, "approved: a try run, whatever the status says")
        let details = try serve.events().compactMap { $0["detail"] as? String }
        #expect(details.contains { $0.contains("pull_request_review #1 approved by bob (reconciled)") }, "\(details)")
        #expect(details.contains { $0.contains("status failure lint on") }, "\(details)")
    }

    /// With `[store] url`, what the reconciliation finds goes to the PostgreSQL journal, the one the worker claims from.
    @Test(.enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
    func withThePostgreSQLStoreAMissedPullRequestIsRecordedThereAndHandled() throws {
        let url = try #require(PostgresCluster.shared).createDatabase()
        let world = try World()
        let serve = world.serve
        let config = try String(contentsOfFile: serve.config, encoding: .utf8)
        try writeFile(serve.config, config.replacingOccurrences(of: "[store]\n", with: "[store]\nurl = \"\(url)\"\n"))
        _ = try serve.wptsync(["migrate"])
        _ = try world.open(1, adding: "grid-gap.html")
        let found = try serve.wptsync(["reconcile-prs"])
        #expect(found.contains("recorded #1"), "\(found)")
        let journal = try PostgresJournal(PostgresParameters(url: url))
        #expect(try journal.events(state: .pending, limit: 10).count == 1)
        _ = try serve.wptsync(["process"])
        #expect(world.downstream.bugzilla.bugs.count == 1)
        let events = try journal.events(state: nil, limit: 10)
        #expect(!events.isEmpty && events.allSatisfy { $0.state == .done }, "\(events.map { "\($0.id) \($0.state)" })")
    }

    /// A review whose commit id is no commit id: nothing of its PR is recorded, and the output names the PR and the field.
    @Test func aPullRequestWithAReviewOfNoCommitIsSkippedNamingTheField() throws {
        let world = try World()
        _ = try world.open(1, adding: "grid-gap.html")
        var bob = world.person
        bob.token = Token("bob-token")
        _ = try bob.approve(1, commitID: "HEAD; rm -rf /", approverToken: Token("bob-token"))
        let found = try world.serve.wptsync(["reconcile-prs"])
        #expect(found.contains("skipped #1 review ") && found.contains("commit_id is \"HEAD; rm -rf /\", not a commit id"), "\(found)")
        #expect(try world.serve.events().isEmpty)
    }

    @Test func pullRequestsWhoseDeliveriesNeverArrivedGetTheirBugAndTryPush() throws {
        let world = try World()
        let (bugzilla, serve) = (world.downstream.bugzilla, world.serve)
        let head = try world.open(1, adding: "grid-gap.html")
        world.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .success)

        // The first pass finds PR 1 (opened, its check passed); the second drains what it recorded.
        _ = try serve.wptsync(["process"])
        let found = try serve.events().compactMap { $0["detail"] as? String }
        #expect(found.contains { $0.contains("pull_request opened #1 (reconciled)") }, "\(found)")
        #expect(found.contains { $0.contains("check_run success wpt-chrome-stable on") }, "\(found)")
        world.github.clearRequests()
        _ = try serve.wptsync(["process"])
        let drained = try serve.events()
        let bug = try #require(bugzilla.bugs.first, "\(drained)")
        #expect(bug.fields["summary"] == "[wpt-sync] Sync PR 1 - Grid grid-gap.html" && bug.fields["component"] == "Layout: Grid")
        let pushed = try world.downstream.tryPushes()
        #expect(pushed.count == 1, "its check passed: a try run")

        // That pass's reconciliation, with nothing changed: conditional requests only, answered 304.
        let unchanged = world.github.requests
        #expect(!unchanged.isEmpty && unchanged.allSatisfy { $0.method == "GET" && $0.status == 304 },
                "\(unchanged.map { "\($0.path) \($0.status)" })")
        #expect(unchanged.allSatisfy { $0.headers["if-none-match"]?.hasPrefix("\"") == true })
        let events = try serve.events()
        #expect(events.count == found.count, "nothing new recorded: \(events.compactMap { $0["detail"] })")

        // An admin merges PR 2 without approval or CI, and no delivery arrives: its sync starts at the merge.
        let admin = try world.open(2, adding: "grid-area.html")
        _ = try world.person.merge(2, method: .merge)
        #expect(world.github.pullRequests.last?.isMerged == true)
        let found2 = try serve.wptsync(["reconcile-prs"])
        #expect(found2.contains("recorded #2 merged"), "\(found2)")
        let replayed = try serve.wptsync(["reconcile-prs"])
        #expect(replayed.contains("already recorded, not handled yet: #2 merged"), "the same state is recorded once: \(replayed)")
        _ = try serve.wptsync(["process"])
        let merged = try serve.events().compactMap { $0["detail"] as? String }
        #expect(merged.filter { $0.contains("pull_request closed #2 (reconciled)") }.count == 1, "\(merged)")
        #expect(bugzilla.bugs.map { $0.fields["summary"] ?? "" }.sorted()
                == ["[wpt-sync] Sync PR 1 - Grid grid-gap.html", "[wpt-sync] Sync PR 2 - Grid grid-area.html"])
        let after = try world.downstream.tryPushes()
        #expect(after.count == 2)
        let config = try sh("hg", ["cat", "-r", after.last ?? "tip", "try_task_config.json"], in: world.downstream.tryRepo)
        #expect(config.contains("css/css-grid/grid-area.html") && !config.contains("grid-gap.html"), "\(config), head \(admin)")

        // Everything handled: a reconciliation finds nothing.
        let again = try serve.wptsync(["reconcile-prs"])
        #expect(again.contains("nothing missed"), "\(again)")
        #expect(try serve.events().allSatisfy { $0["state"] as? String == "done" })
    }
}
