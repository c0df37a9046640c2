import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import TestSupport
@testable import WPTSyncKit

/// The world of the downstream tests: Gecko's mozilla-central (hg) with a moz.build owning
/// `css/css-grid` and its wpt mirror (git), a non-publishing try repository (as Mozilla's is),
/// and over loopback a local Bugzilla, Taskcluster and GitHub serving upstream wpt.
final class DownstreamWorld {
    static let contact = "wpt-owner@example.org"
    let dir = TempDir("downstream")
    let world: ExportWorld
    let master: Oid
    let bugzilla: LocalBugzilla
    let taskcluster: LocalTaskcluster
    let github: LocalGitHub
    let journal: SQLiteJournal
    let tryRepo: String

    init() throws {
        world = try ExportWorld()
        try world.write("css/css-grid/grid.html", "<title>grid</title>\n<p>one</p>\n")
        try world.write("css/css-grid/support/grid.css", "div {}\n")
        try world.write("dom/nodes/node.html", "<title>node</title>\n")
        try world.write("resources/testharness.js", "// harness\n")
        try world.hgFixture.write("testing/web-platform/moz.build", """
            with Files("**"):
                BUG_COMPONENT = ("Testing", "web-platform-tests")

            with Files("tests/css/css-grid/**"):
                BUG_COMPONENT = ("Core", "Layout: Grid")

            """)
        let central = try world.commit("Initial")
        master = try world.mirror(central)
        try world.git.updateReference("refs/heads/master", to: master, expecting: .any)
        bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs", "owner-key": Self.contact])
        taskcluster = try LocalTaskcluster()
        github = try LocalGitHub(repositoryPath: dir.sub("github/wpt.git"))
        try world.git.push(to: github.repositoryPath, refspecs: ["refs/heads/master:refs/heads/master"])
        journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
        tryRepo = dir.sub("try")
        _ = try sh("hg", ["clone", "-q", "-U", world.hgFixture.root, tryRepo])
        try writeFile(tryRepo + "/.hg/hgrc", "[phases]\npublish = False\n")
    }

    var gitHubClient: GitHubClient {
        GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName(owner: "web-platform-tests", name: "wpt")!,
                     token: Token("test-token"))
    }

    func syncer(store: (any DownstreamSyncStore)? = nil, settings: DownstreamPlanner.Settings = .init(),
                bugzillaTimeout: Duration = .seconds(30)) throws -> DownstreamSyncer {
        var bugzillaClient = BugzillaClient(restURL: bugzilla.restURL, apiKey: Token("bot-key"),
                                            http: HTTPClient(retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))))
        bugzillaClient.timeout = bugzillaTimeout
        return DownstreamSyncer(
            store: store ?? journal, git: world.git, master: "refs/heads/master",
            clone: HgLandingWorkspace(clone: try LandingClone(path: dir.sub("central-clone"), source: world.hgFixture.root), url: world.hgFixture.root),
            tryRepository: tryRepo,
            bugzilla: bugzillaClient,
            taskcluster: TaskclusterClient(rootURL: taskcluster.rootURL),
            settings: settings, exclude: LandingSettings.defaultExclude, upstreamLabel: "mozilla:gecko-sync",
            tasks: ["test-linux1804-64-qr/opt-web-platform-tests-1"], prefixes: PathPrefixes(), github: gitHubClient)
    }

    /// A PR head on the mirror's master with `edits`, at `refs/pull/<number>/head`.
    @discardableResult
    func pullRequest(_ number: Int, changing edits: [String: [UInt8]?]) throws -> String {
        let head = try world.upstreamCommit(onto: master, edits)
        try world.git.updateReference("refs/pull/\(number)/head", to: head, expecting: .any)
        return "refs/pull/\(number)/head"
    }

    /// Opens a PR on the local GitHub from a branch holding `edits`; returns its number, with its
    /// head at `refs/pull/<number>/head` in the mirror.
    func openPullRequest(changing edits: [String: [UInt8]?]) throws -> Int {
        let head = try world.upstreamCommit(onto: master, edits)
        try world.git.updateReference("refs/heads/fix-grid", to: head, expecting: .any)
        try world.git.push(to: github.repositoryPath, refspecs: ["refs/heads/fix-grid:refs/heads/fix-grid"])
        let number = try gitHubClient.createPullRequest(title: "Fix grid gaps", head: BranchName("fix-grid")!).pullRequest.number
        try world.git.updateReference("refs/pull/\(number)/head", to: head, expecting: .any)
        return number
    }

    func info(_ number: Int, state: PullRequestFacts.State = .open, approved: Bool = false) -> DownstreamPullRequestInfo {
        DownstreamPullRequestInfo(
            facts: PullRequestFacts(number: number, url: "https://github.com/web-platform-tests/wpt/pull/\(number)",
                                    branch: "fix-grid", state: state, body: "Fixes the grid test.", labels: [], head: nil),
            title: "Fix grid gaps", author: "someone", approved: approved, checksPassed: false)
    }

    /// The try repository's try commits, oldest first.
    func tryHeads() throws -> [String] {
        try sh("hg", ["log", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"], in: tryRepo)
            .split(separator: "\n").map(String.init)
    }

    /// What Gecko's decision task does for the try commit `revision`.
    func schedule(_ revision: String) throws -> ScheduledTryPush {
        let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: tryRepo)
        return try taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(config.utf8))
    }

    func comments(_ bug: Int?) -> [String] { bug.flatMap { bugzilla.bug($0)?.comments } ?? [] }

    func labels(_ number: Int) -> [String] { github.pullRequests.first { $0.number == number }?.labels ?? [] }
}
