import Foundation
import Remote
import RepoOps
import Store
import SyncCore

/// Runs `DownstreamSyncer` for the upstream PRs wptsync has seen through webhooks: after each
/// delivery about a PR, and periodically for PRs whose try run is still going.
final class DownstreamRunner {
    let syncer: DownstreamSyncer
    let seen: any DownstreamStore
    let syncs: any DownstreamSyncStore
    /// Where PR heads the mirror lacks are fetched from (`refs/pull/<n>/head`).
    let fetchURL: String?
    let pollSeconds: Double

    init(syncer: DownstreamSyncer, seen: any DownstreamStore, syncs: any DownstreamSyncStore, fetchURL: String?, pollSeconds: Double) {
        self.syncer = syncer; self.seen = seen; self.syncs = syncs; self.fetchURL = fetchURL; self.pollSeconds = pollSeconds
    }

    /// The runner `config` asks for (`[downstream]`, with `[wpt]` and mozilla-central), or nil.
    static func make(config: Config, store: any DownstreamStore & DownstreamSyncStore & LandingStore, redactor: Redactor,
                     environment: [String: String], cancellation: Cancellation? = nil) throws -> DownstreamRunner? {
        guard let settings = config.downstream, settings.enabled else { return nil }
        guard let mirror = config.wpt else { throw DownstreamSyncError.notConfigured("[downstream] needs the [wpt] mirror") }
        guard let central = config.gecko.first(where: { $0.role == .central }) else {
            throw DownstreamSyncError.notConfigured("[downstream] needs a [[gecko]] repository with role \"central\"")
        }
        let http = HTTPClient.cancellable(by: cancellation)
        let key = try settings.bugzillaKey.map { try GitHubSetup.token($0, environment: environment) }
        var syncer = DownstreamSyncer(
            store: store, git: try GitRepository.open(at: mirror.path, locks: .wptMirror), master: "refs/heads/master",
            clone: try tryWorkspace(settings, central: central),
            tryRepository: settings.tryRepository, bugzilla: BugzillaClient(restURL: settings.bugzillaURL, apiKey: key, http: http),
            taskcluster: TaskclusterClient(rootURL: settings.taskclusterURL, http: http),
            settings: settings.planner,
            exclude: config.landing?.exclude ?? LandingSettings.defaultExclude, upstreamLabel: config.upstream.label,
            tasks: settings.tasks, prefixes: config.paths)
        syncer.github = try GitHubSetup.client(config, environment: environment, cancellation: cancellation)
        syncer.redactor = redactor
        syncer.tryBranch = config.tryBranch
        syncer.lando = try LandoTryPush.make(settings, clone: syncer.clone, tryBranch: config.tryBranch, environment: environment, http: http,
                                         redactor: redactor)
        syncer.maxTestPaths = settings.maxTestPaths
        syncer.unstable = settings.unstable
        syncer.landings = store
        syncer.backoff = Backoff(baseSeconds: settings.pollSeconds, maxSeconds: max(settings.pollSeconds, 3600))
        return DownstreamRunner(syncer: syncer, seen: store, syncs: store, fetchURL: mirror.fetchURL ?? mirror.upstreamPushURL,
                                pollSeconds: settings.pollSeconds)
    }

    /// wptsync's clone of mozilla-central for try commits, of central's kind: the try repository
    /// is taken to be of that kind too (a Mercurial try commit cannot go to a git try, nor the reverse).
    static func tryWorkspace(_ settings: DownstreamSettings, central: GeckoRepository) throws -> any TryWorkspace {
        if let found = GeckoKind.ofRepository(at: settings.tryRepository), found != central.kind {
            throw DownstreamSyncError.notConfigured("[downstream] try_repository \(settings.tryRepository) is a \(found.name) repository,"
                                                    + " but mozilla-central (\(central.path)) is \(central.kind.name): try must be of central's kind")
        }
        return try central.workspace(at: settings.clone)
    }

    /// Brings PR `number`'s downstream sync up to date with what was seen of it. A failure is kept
    /// on the sync (`lastError`, a record made for it if need be) for the periodic pass to retry.
    func run(pullRequest number: Int) throws -> [String] {
        // Workers and commands share the clone and the records: one sync at a time, the record read under the lock.
        do { return try syncer.clone.whileLocked { try reconcile(number) } } catch {
            // Reconciling records its own failures; this covers what failed before it (fetching the head).
            if try syncs.downstreamSync(pullRequest: number) == nil, let pr = try seen.seenPullRequest(number), pr.record.ignored == nil {
                var sync = DownstreamSync(pullRequest: number)
                sync.failed(syncer.redactor("\(error)"), at: syncer.now(), backoff: syncer.backoff)
                try syncs.saveDownstreamSync(sync)
            }
            throw error
        }
    }

    private func reconcile(_ number: Int) throws -> [String] {
        guard let seen = try seen.seenPullRequest(number) else {
            return ["PR #\(number): not seen through a webhook yet"]
        }
        if let ignored = seen.record.ignored { return ["PR #\(number): \(ignored)"] }
        let pr = seen.record.pullRequest
        let head = try Oid(hex: pr.head)
        if !syncer.git.contains(head) {
            guard let fetchURL else { throw DownstreamSyncError.notConfigured("[wpt] fetch_url is needed to fetch PR heads") }
            try syncer.git.fetch(from: fetchURL, refspecs: ["+refs/pull/\(number)/head:refs/pull/\(number)/head"])
        }
        let facts = PullRequestFacts(number: number, url: pr.url, branch: pr.headBranch,
                                     state: PullRequestFacts.State(rawValue: pr.state.rawValue) ?? .open,
                                     body: pr.hasSyncMetadata ? "gecko-commits:" : "", labels: pr.labels, head: pr.head)
        let info = DownstreamPullRequestInfo(facts: facts, title: pr.title, author: pr.author, approved: seen.record.headApproved,
                                             checksPassed: CheckObservation.allPassed(seen.checks))
        return try syncer.reconcile(info, head: pr.head)
    }
}

/// Follows the try runs still going (`[downstream] poll_seconds`).
struct DownstreamResults: PeriodicTask {
    let runner: DownstreamRunner

    var name: String { PeriodicTaskNames.downstreamResults }
    var interval: Double { runner.pollSeconds }

    /// Each sync whose try run is going or whose last pass failed and waited its backoff; one failing
    /// does not stop the others.
    func run() throws -> [String] {
        let now = runner.syncer.now()
        return try runner.syncs.downstreamSyncs().filter { $0.isDue(at: now) }.flatMap { sync in
            do { return try runner.run(pullRequest: sync.pullRequest) } catch {
                return ["PR #\(sync.pullRequest): \(runner.syncer.redactor("\(error)"))"]
            }
        }
    }
}
