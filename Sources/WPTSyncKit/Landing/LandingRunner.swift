import Foundation
import Logging
import Remote
import RepoOps
import Store
import SyncCore

/// Imports upstream wpt into Gecko: from the sync point recorded in Gecko
/// (`testing/web-platform/meta/mozilla-sync`) to upstream master, one Gecko commit per applied
/// PR plus a landing commit, built in wptsync's own clone (Mercurial or git) and pushed to the
/// integration repository, or submitted to Lando. Level-triggered: every run recomputes what to do from Gecko, the mirror and the
/// store, so running twice, or after a crash anywhere, does no more than one clean run.
final class LandingRunner {
    let settings: LandingSettings
    let prefixes: PathPrefixes
    let store: any LandingStore & SyncStore
    let mirror: GitRepository
    let units: UpstreamUnits
    let treestatus: TreestatusClient?
    let pushURL: String
    /// What a stored error passes through.
    let redactor: Redactor
    /// Opens wptsync's own clone of the integration repository (Mercurial or git).
    let openWorkspace: () throws -> any LandingWorkspace
    private var openedWorkspace: (any LandingWorkspace)?
    /// Lando, when the landing is submitted there rather than pushed.
    var lando: LandoLanding?
    var now: () -> Date = { Date() }
    /// The downstream syncs, whose stored metadata lands with each PR's import.
    var downstream: (any DownstreamSyncStore)?
    /// What this run said about metadata (a PR landing without its metadata, a file that conflicted).
    var metadataNotes: [String] = []
    /// Landings this run found already in the integration repository (pushed or landed before a crash).
    private var foundNotes: [String] = []
    /// The most tests a unit's footprint lists before folders stand for them (`[downstream] max_test_paths`).
    var maxTestPaths = AffectedTests.defaultMaxTestPaths
    /// Whether a PR's first complete run is followed by a stability run (`[downstream] rebuild`).
    var stabilityRuns = false
    /// Where the units held back are remembered, so the periodic retry runs the landing again while it lasts.
    var marks: (any RecheckMarkStore)?

    /// Builds the runner from the configuration, or nil when landing is not configured or disabled.
    static func make(config: Config, store: any LandingStore & ServiceStore & DownstreamSyncStore, redactor: Redactor,
                     environment: [String: String], cancellation: Cancellation? = nil) throws -> LandingRunner? {
        guard config.isLanding, let settings = config.landing else { return nil }
        guard let mirror = config.wpt else { throw LandingError.notConfigured("[landing] needs the [wpt] mirror") }
        guard let repository = config.geckoRepository(named: settings.repository) else {
            throw LandingError.notConfigured("no [[gecko]] repository \(settings.repository)")
        }
        let git = try GitRepository.open(at: mirror.path)
        let units = UpstreamUnits(mirror: git, store: store, github: try GitHubSetup.client(config, environment: environment, cancellation: cancellation),
                                  skipReason: { pr in try store.skip(for: .pullRequest(pr))?.note.reason },
                                  commitMap: GeckoCommitMap.make(config, cancellation: cancellation))
        let pushURL = settings.pushURL ?? repository.path
        let runner = LandingRunner(settings: settings, prefixes: config.paths, store: store, mirror: git, units: units,
                                   treestatus: settings.treestatusURL.map { TreestatusClient(url: $0, http: .cancellable(by: cancellation)) },
                                   pushURL: pushURL, redactor: redactor) {
            try repository.workspace(at: settings.clone, url: pushURL)
        }
        runner.lando = try LandoLanding.make(settings, environment: environment, cancellation: cancellation)
        runner.downstream = store
        runner.marks = store
        runner.maxTestPaths = config.downstream?.maxTestPaths ?? AffectedTests.defaultMaxTestPaths
        runner.stabilityRuns = config.downstream?.rebuild != nil
        return runner
    }

    init(settings: LandingSettings, prefixes: PathPrefixes, store: any LandingStore & SyncStore, mirror: GitRepository,
         units: UpstreamUnits, treestatus: TreestatusClient?, pushURL: String, redactor: Redactor,
         workspace: @escaping () throws -> any LandingWorkspace) {
        self.settings = settings; self.prefixes = prefixes; self.store = store; self.mirror = mirror
        self.units = units; self.treestatus = treestatus; self.pushURL = pushURL
        self.redactor = redactor; openWorkspace = workspace
    }

    func workspace() throws -> any LandingWorkspace {
        if let openedWorkspace { return openedWorkspace }
        let opened = try openWorkspace()
        openedWorkspace = opened
        return opened
    }

    var syncPointPath: HgPath { HgPath(stringLiteral: prefixes.meta + "/mozilla-sync") }

    /// Does what can be done now; `resuming` also retries a landing waiting for a fix. Returns lines
    /// for the log. Holds the clone's lock throughout. An error is also recorded on the unpushed
    /// landing (deferred, so the periodic task tries again) before it is rethrown.
    func run(resuming: Bool = false) throws -> [String] {
        if units.github == nil { Logger(label: "wptsync.landing").warning("\(ConfigReport.noGitHubForLanding)") }
        return try workspace().whileLocked {
            do {
                foundNotes = []
                lando?.beginPass()
                let lines = try runLocked(resuming: resuming)
                return foundNotes + lines
            } catch {
                if var landing = try? store.landings(statuses: [.open, .deferred]).first {
                    landing.status = .deferred
                    landing.lastError = redactor("\(error)")
                    landing.waitingFor = "another try after an error"
                    _ = try? store.save(landing)
                }
                throw error
            }
        }
    }

    private func runLocked(resuming: Bool) throws -> [String] {
        if !resuming, let latest = try store.landings(statuses: nil, limit: 1).first, latest.status == .backedOut {
            // Importing again at once could fight the sheriffs who backed it out: a person decides.
            return ["landing \(latest.id) was backed out; `wptsync continue landing` imports again"]
        }
        var current = try store.landings(statuses: [.open, .deferred, .needsFixup]).first
        if let waiting = current, waiting.status == .needsFixup, !resuming {
            return ["landing \(waiting.id) needs a fix first (`wptsync continue landing`): \(LandingFormat.why(waiting))"]
        }
        for _ in 1...settings.maxPushAttempts {
            let clone = try workspace()
            let base = try clone.refresh()
            if var done = current,
               let nodes = try clone.landed(done.nodes, markers: done.landingCommitMarkers, base: done.geckoBase ?? base, tip: base) {
                // Pushed or landed by Lando before a crash, or before its answer was lost.
                done.status = .pushed; done.waitingFor = "mozilla-central"; done.nodes = nodes
                current = nil
                foundNotes.append("landing \(done.id) found on \(settings.repository): \(LandingFormat.line(try store.save(done)))")
            }
            if let lando, let gitClone = clone as? GitLandingClone, let submitted = current {
                if let job = submitted.landoJob {
                    // A submitted job is read, never submitted again.
                    switch try follow(submitted, job: job, on: lando, clone: gitClone) {
                    case .done(let lines): return lines
                    case .again(let failed): current = failed; continue
                    }
                }
                if waitsForLostSubmission(submitted, lando: lando) {
                    // Deferred, so that the periodic retry comes back after a crash left it open.
                    return try deferForLostAnswer(submitted, error: submitted.lastError, lando: lando)
                }
            }
            let (syncPoint, landedBeyond) = try readSyncPoint(clone, at: base)
            let head = try mirror.resolve("refs/heads/master").hex
            let all = syncPoint == head ? [] : try units.units(from: syncPoint, to: head)
            metadataNotes = []
            let plan = try ImportPlanner.plan(all, after: syncPoint, landed: Set(landedBeyond)) { unit in
                let verdict = try units.rule(unit, geckoHas: clone.source.holds)
                return verdict == .ready(.apply) ? try metadataWait(unit) : verdict
            } footprint: { try footprint($0) }
            try rememberHeld(plan.held)
            metadataNotes = plan.held.map(\.reason) + metadataNotes
            guard let last = plan.ready.last else {
                if var stale = current {
                    stale.status = .superseded
                    stale.waitingFor = nil
                    _ = try store.save(stale)
                }
                return plan.held.isEmpty ? ["Gecko is up to date with upstream \(head.prefix(12))"] : metadataNotes
            }
            var landing = current ?? Landing(upstreamBase: syncPoint, upstreamHead: last.head, units: plan.ready)
            landing.upstreamBase = syncPoint; landing.upstreamHead = last.head; landing.units = plan.ready
            landing.syncPoint = plan.syncPoint == last.head ? nil : plan.syncPoint
            landing.landedBeyond = plan.landedBeyond.isEmpty ? nil : plan.landedBeyond
            landing.geckoBase = base; landing.conflict = nil; landing.lastError = nil

            if let treestatus {
                let tree = try treestatus.status()
                guard tree.isOpen else {
                    landing.status = .deferred
                    landing.waitingFor = "the tree to reopen (\(tree.status)\(tree.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))"
                    landing = try store.save(landing)
                    return ["landing \(landing.id) deferred: \(landing.waitingFor ?? "")"]
                }
            }
            // Recorded before building, so an error while building is recorded on it.
            landing.status = .open
            landing.waitingFor = "its commits to be built"
            landing = try store.save(landing)
            switch try build(&landing, clone: clone, base: base) {
            case .conflict:
                landing = try store.save(landing)
                return ["landing \(landing.id) needs-fixup: \(LandingFormat.conflict(landing))"]
            case .built:
                landing.status = .open
                landing.waitingFor = "push to \(settings.repository)"
                landing = try store.save(landing)
            }
            switch try deliver(landing, from: clone) {
            case .done(let lines): return lines
            case .again(let retried): current = retried
            }
        }
        return try deferAfterLostRaces(current)
    }

    private enum BuildResult { case built, conflict }

    /// Builds the landing's commits on `base` in the clone (drafts until pushed).
    private func build(_ landing: inout Landing, clone: any LandingWorkspace, base: String) throws -> BuildResult {
        let applying = landing.units.filter { $0.disposition == .apply }
        let builder = ImportBuilder(git: mirror, gecko: clone.source, prefix: prefixes.wpt, excluded: settings.exclude,
                                    resolutions: landing.resolutions ?? [:])
        let applied = try builder.apply(applying.map { UpstreamChange(base: $0.base, head: $0.head) }, geckoBase: base)
        var (planned, carried) = try lateMetadataCommits(excluding: Set(applying.compactMap(\.pullRequest)), base: base)
        for (unit, result) in zip(applying, applied) {
            let imported: PlannedCommit?
            switch result {
            case .conflict(let files):
                landing.status = .needsFixup
                landing.conflict = LandingConflict(pullRequest: unit.pullRequest, commit: unit.head, files: files)
                landing.waitingFor = "a person to fix the import, then `wptsync continue landing`"
                return .conflict
            case .files(let files):
                // Empty: Gecko had the change already; its metadata still follows.
                imported = try files.isEmpty ? nil : commit(for: unit, files: files)
            }
            planned += imported.map { [$0] } ?? []
            let metadata = try metadataCommit(for: unit, after: imported, base: base, landed: planned)
            planned += metadata.commits
            carried += metadata.carried.map { [$0] } ?? []
        }
        // Recorded with the landing before it is pushed: once it is in Gecko, this metadata has landed.
        landing.metadata = carried
        var nodes = try clone.commit(planned, onto: base)
        var final: [HgPath: PlannedCommit.FileChange] = [
            syncPointPath: .write(HgFile(data: LandingText.syncPointFile(local: base, upstream: landing.syncPoint ?? landing.upstreamHead,
                                                              landed: landing.landedBeyond ?? []), flags: .regular)),
        ]
        if let command = settings.command {
            final.merge(try clone.runInCheckout(nodes.last ?? base, command: command, timeout: settings.commandTimeoutSeconds)) { _, syncPoint in syncPoint }
        }
        let landingCommit = PlannedCommit(user: settings.user, date: (Int64(now().timeIntervalSince1970), 0),
                                          message: LandingText.landingCommit(bug: settings.bug, head: landing.upstreamHead), files: final)
        nodes += try clone.commit([landingCommit], onto: nodes.last ?? base)
        landing.nodes = nodes
        return .built
    }
}
