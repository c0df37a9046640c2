import Foundation
import HookIntake
import LocalServices
import Logging
import Remote
import RepoOps
import Store
import SyncCore
import WPTSyncKit

/// `wptsync demo`: builds a small world in a folder — Gecko's autoland, mozilla-central and try with
/// a wpt tree, a wpt mirror, and on loopback a local GitHub serving upstream wpt, Treestatus,
/// Bugzilla, Taskcluster and `wptsync serve` — installs the real hooks, makes real pushes and
/// webhook deliveries, lets the real worker act, and checks that each step happened. With `gecko`
/// git, autoland and mozilla-central are git repositories and the landing goes through a local Lando.
public struct Demo {
    public let folder: String
    /// Mercurial (the default) or git Gecko.
    public let gecko: GeckoKind
    /// The `wptsync-hook` executable the installed hooks run.
    public let hookBinary: String
    /// The project folder holding `hooks/` and `vcs-config/`.
    public let share: String
    public var say: (String) -> Void = { print($0) }

    public init(folder: String, hookBinary: String, share: String, gecko: GeckoKind = .hg) {
        self.folder = folder; self.hookBinary = hookBinary; self.share = share; self.gecko = gecko
    }

    /// Why the demo stopped: a step that did not happen.
    public struct StepFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs every step; throws at the first one that did not happen.
    public func run() throws {
        let world = DemoWorld(folder: folder, kind: gecko)
        try world.create()
        let github = try LocalGitHub(repositoryPath: world.upstream, users: [
            "demo-token": "wpt-sync-bot", DemoDownstreamAct.contributorToken: "alice", DemoDownstreamAct.reviewerToken: "bob",
        ])
        defer { github.stop() }
        let treestatus = try LocalTreestatus(trees: ["autoland"])
        defer { treestatus.stop() }
        let bugzilla = try LocalBugzilla(users: [Self.bugzillaKey: "wptsync@mozilla.bugs"])
        defer { bugzilla.stop() }
        let taskcluster = try LocalTaskcluster()
        defer { taskcluster.stop() }
        let treeherder = try LocalTreeherder(taskcluster: taskcluster, users: [Self.treeherderAccessToken: Self.treeherderUser])
        defer { treeherder.stop() }
        let lando = try gecko == .git ? LocalLando(repositories: [
            LandoRepository(name: DemoWorld.landoRepository, path: world.autoland, branch: "autoland", tree: "autoland"),
            Self.landoTry(world),
        ], tokens: [Self.landoToken: LandoUser(email: "wptsync@mozilla.com")]) : nil
        defer { lando?.stop() }
        try world.writeConfig(apiURL: github.baseURL, treestatusURL: treestatus.url(tree: "autoland"), treestatusTreesURL: treestatus.treesURL,
                              bugzillaURL: bugzilla.restURL, taskclusterURL: taskcluster.rootURL, treeherderURL: treeherder.baseURL,
                              landoURL: lando?.url)
        try world.write(folder + "/autoland-groups", DemoAutolandAct.groups)
        try world.write(folder + "/state/bugzilla-key", Self.bugzillaKey + "\n")
        if lando != nil { try world.write(folder + "/" + DemoWorld.landoTokenFile, Self.landoToken + "\n") }
        try world.write(folder + "/state/treeherder-access-token", Self.treeherderAccessToken + "\n")
        try world.write(folder + "/state/treeherder-id-token",
                        LocalTreeherder.idToken(email: Self.treeherderUser, expires: Date().addingTimeInterval(10 * 3600)) + "\n")
        var environment = ProcessInfo.processInfo.environment
        environment[DemoWorld.tokenVariable] = "demo-token"
        environment[DemoWorld.bugzillaKeyVariable] = Self.bugzillaKey
        environment[DemoWorld.webhookSecretVariable] = Self.webhookSecret
        let config = try ConfigLoader.load(file: world.configFile)
        let webhooks = try DemoWebhooks(config: config, secret: Application.webhookSecret(config, environment: environment))
        defer { webhooks.stop() }
        say("1. Built autoland, mozilla-central, try" + (lando == nil ? "" : " (git, branches autoland, main and try)")
            + ", the wpt mirror, and on loopback a local GitHub at \(github.baseURL),"
            + (lando.map { " Lando at \($0.url)," } ?? "")
            + " Treestatus, Bugzilla at \(bugzilla.restURL), Taskcluster and wptsync serve, in \(folder)")

        let installer = try HookInstaller(share: share, hookBinary: hookBinary, config: world.configFile, spool: config.store.spool,
                                          hookDirectory: HookInstaller.defaultHookDirectory(config: world.configFile))
        _ = try installer.installFiles()
        let hooked = [world.autoland, world.central, world.tryRepository, world.mirror]
        for repository in hooked { _ = try installer.install(repository: repository) }
        say("2. Installed the hooks: autoland, mozilla-central and try" + (gecko == .git ? " hooks/post-receive" : " .hg/hgrc")
            + ", wpt.git/hooks/post-receive")

        let application = try Application(config: config, environment: environment)
        let journal = application.journal
        let log = LineCollector()
        let worker = try application.worker(logger: Logger(label: "wptsync.demo") { _ in log })
        // The worker reads a Lando job once per pass and never waits for it: each drain first waits
        // for Lando to run the jobs submitted (by the worker or the sheriff page), and a drain that
        // submitted one is followed by another that reads it.
        let drain = { (step: String) throws in
            var submitted: Int
            repeat {
                if let lando { try Self.waitForJobs(of: lando, step: step) }
                submitted = lando?.jobs.count ?? 0
                let report = try worker.drain()
                guard report.failed.isEmpty else { throw StepFailed(description: "\(step): the worker failed: \(log.take().joined(separator: "; "))") }
                for line in log.take().flatMap({ $0.split(separator: "\n") }) {
                    self.say("     " + line.trimmingCharacters(in: .whitespaces))
                }
            } while (lando?.jobs.count ?? 0) != submitted
        }

        let test = "testing/web-platform/tests/dom/frobnicate.html"
        let node = try world.landInGecko(path: test, contents: "<!doctype html>\n<title>frobnicate</title>\n",
                                         message: "Bug 1000001 - Test frobnication. r=reviewer")
        say("3. Pushed \(node.prefix(12)) \"Bug 1000001 - Test frobnication\" to autoland (\(gecko.rawValue)); the worker:")
        try drain("the wpt change")
        guard let pr = github.pullRequests.first, pr.isOpen, pr.headRef == "gecko/1000001",
              world.upstreamFile("dom/frobnicate.html", on: "gecko/1000001") != nil else {
            throw StepFailed(description: "no open PR with the test on branch gecko/1000001")
        }
        say("   → PR #\(pr.number) \"\(pr.title)\" is open: \(github.baseURL)/repos/web-platform-tests/wpt/pulls/\(pr.number)")

        let backout = try world.backOut(node, bug: 1000001)
        say("4. Backed out \(node.prefix(12)) with \(backout.prefix(12)) (\(gecko == .git ? "git revert" : "hg backout")); the worker:")
        try drain("the backout")
        guard github.pullRequests.first?.isOpen == false else { throw StepFailed(description: "the backout did not close PR #\(pr.number)") }
        say("   → PR #\(pr.number) is closed")

        let reland = try world.landInGecko(path: test, contents: "<!doctype html>\n<title>frobnicate, fixed</title>\n",
                                           message: "Bug 1000001 - Test frobnication, relanded. r=reviewer")
        say("5. Relanded as \(reland.prefix(12)); the worker:")
        try drain("the reland")
        guard let reopened = github.pullRequests.first, reopened.isOpen, github.pullRequests.count == 1 else {
            throw StepFailed(description: "the reland did not reopen PR #\(pr.number)")
        }
        say("   → PR #\(pr.number) is open again, its branch holds the relanded change")
        if let head = reopened.headSHA { github.setCheckRun(sha: head, name: "wpt-firefox-stable", .success) }
        say("   → upstream CI reports wpt-firefox-stable: success on its head")

        try world.mergeToCentral()
        say("6. Merged autoland to mozilla-central; the worker:")
        try drain("the landing")
        guard github.pullRequests.first?.isMerged == true,
              world.upstreamFile("dom/frobnicate.html", on: "master")?.contains("fixed") == true else {
            throw StepFailed(description: "PR #\(pr.number) was not merged into upstream master")
        }
        say("   → PR #\(pr.number) is merged: upstream master has dom/frobnicate.html, branch gecko/1000001 is deleted")

        let before = try world.autolandLog().count
        try world.pushUpstreamBranch("add-frob", path: "css/frob.html", contents: "<!doctype html>\n<title>frob</title>\n",
                                     message: "Add a frob test")
        let client = GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!, token: Token("demo-token"))
        let upstreamPR = try client.createPullRequest(title: "Add a frob test", head: BranchName("add-frob")!).pullRequest
        _ = try client.merge(upstreamPR.number, method: .squash)
        let head = try world.updateMirror()
        say("7. Upstream merged PR #\(upstreamPR.number) \"Add a frob test\"; the mirror's master moved to \(head.prefix(12)); the worker:")
        try drain("the upstream push")
        let imported = try world.autolandLog().dropFirst(before)
        guard imported.count == 2, imported.first?.contains("[wpt PR \(upstreamPR.number)] - Add a frob test") == true,
              world.autolandFile("testing/web-platform/tests/css/frob.html") != nil,
              world.autolandFile("testing/web-platform/meta/mozilla-sync")?.contains(head) == true else {
            throw StepFailed(description: "PR #\(upstreamPR.number) did not land in autoland (autoland has: \(imported.joined(separator: "; ")))")
        }
        say("   → autoland has the import" + (lando.map { ", landed by Lando job \($0.jobs.last?.id ?? 0)" } ?? "")
            + " (PR #\(pr.number), exported from Gecko, was recognised and passed over):")
        for line in imported { say("       \(line)") }
        try drain("the landing's own push")

        var step = 8
        try DemoDownstreamAct(world: world, github: github, bugzilla: bugzilla, taskcluster: taskcluster, webhooks: webhooks,
                              journal: journal, say: say, drain: drain).run(first: step)
        step += 5
        try DemoAutolandAct(world: world, taskcluster: taskcluster, treeherder: treeherder, bugzilla: bugzilla, webhooks: webhooks,
                            journal: journal, say: say, drain: drain).run(first: step)
        step += 5
        let counts = try journal.counts()
        guard (counts[.failed] ?? 0) == 0, (counts[.pending] ?? 0) == 0 else { throw StepFailed(description: "the journal holds \(counts)") }
        say("\(step). The journal holds \(counts[.done] ?? 0) processed events and no failed ones: \(config.store.path)")
    }
}

extension Demo {
    static let bugzillaKey = "demo-bugzilla-key"
    static let webhookSecret = "demo-webhook-secret"
    static let landoToken = "demo-lando-token"

    /// Lando's try repository (`try`, as `lando_repo` defaults to in `[downstream]`): the demo's git
    /// try, whose branch `try` each try job is force-pushed to, with bases fetched from mozilla-central.
    static func landoTry(_ world: DemoWorld) -> LandoRepository {
        var repository = LandoRepository(name: "try", path: world.tryRepository, branch: "try")
        repository.isTry = true
        repository.requiredPermission = "main.scm_level_1"
        repository.pullPath = world.central
        return repository
    }

    /// Waits until `lando` has run every job submitted to it, checking every 50 ms (more than the
    /// demo's `lando_poll_seconds`, so the next drain reads the jobs again), for at most a minute.
    static func waitForJobs(of lando: LocalLando, step: String) throws {
        for _ in 0..<1_200 {
            Thread.sleep(forTimeInterval: 0.05)
            if !lando.jobs.contains(where: { $0.status == .submitted || $0.status == .inProgress }) { return }
        }
        throw StepFailed(description: "\(step): Lando did not run its jobs within a minute")
    }
    static let treeherderAccessToken = "demo-treeherder-access-token"
    static let treeherderUser = "wptsync@mozilla.com"
}

/// Collects log messages for the demo's timeline.
private final class LineCollector: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { lines.append("\(event.message)") }
    }

    func take() -> [String] {
        lock.withLock { defer { lines.removeAll() }; return lines }
    }
}
