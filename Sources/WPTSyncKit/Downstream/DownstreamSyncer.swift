import Foundation
import Remote
import RepoOps
import Store
import SyncCore

/// What the downstream reconciler is told of an upstream pull request (from a webhook delivery or
/// a reconciliation pass).
struct DownstreamPullRequestInfo: Equatable {
    var facts: PullRequestFacts
    var title: String
    var author: String?
    var approved: Bool
    var checksPassed: Bool
}

/// Brings one upstream pull request's downstream sync to what `DownstreamPlanner` decides: files its
/// bug in the component owning most of its files, pushes its try run, stores its results and
/// comments the milestones, labels the PR while a person is needed, resolves and reopens the bug
/// with the PR. Each step is recorded as soon as it is done, and a try push is recorded as planned
/// before it is made, so a crash at any point repeats nothing. An error is recorded on the sync
/// (`lastError`, cleared by the next pass that goes through) and thrown, so the event is retried.
struct DownstreamSyncer {
    let store: any DownstreamSyncStore
    /// The wpt mirror, holding the PR's head (`refs/pull/<n>/head`).
    let git: GitRepository
    /// The upstream master in the mirror.
    let master: String
    /// wptsync's clone of mozilla-central (Mercurial or git, as central is), where try commits are
    /// built; its `refresh` fetches central.
    let clone: any TryWorkspace
    /// Where try commits are pushed: with Mercurial a new head (try is non-publishing, so a try
    /// commit stays a draft in `clone` and is stripped before the next build); with git `tryBranch`.
    let tryRepository: String
    /// The branch a git try push moves (`Config.tryBranch`).
    var tryBranch = "refs/heads/try"
    /// Lando's try API, when try commits go through it (`[downstream] try_push = "lando"`).
    var lando: LandoTryPush? = nil
    let bugzilla: BugzillaClient
    /// Where try runs' tasks are found (the decision task by revision in the index, then its group).
    let taskcluster: TaskclusterClient
    let settings: DownstreamPlanner.Settings
    let exclude: [String]
    let upstreamLabel: String
    /// Task labels for `try_task_config.json`.
    let tasks: [String]
    /// More affected tests than this run their folders instead.
    var maxTestPaths = AffectedTests.defaultMaxTestPaths
    /// What unstable results of a stability run become in the metadata.
    var unstable = DownstreamSettings.Unstable.disable
    /// The landings, which say whether a PR's import already landed (its metadata then lands late).
    var landings: (any LandingStore)? = nil
    let prefixes: PathPrefixes
    /// Upstream's repository, where the blocked label is put and removed; without it the label
    /// is only recorded.
    var github: GitHubClient? = nil
    /// On a PR while its sync waits for a person.
    var blockedLabel = "mozilla:gecko-blocked"
    /// Applied to errors before they are stored on the sync.
    var redactor = Redactor.none
    /// How long the periodic pass waits after failed passes (doubling from `poll_seconds`, at most an hour).
    var backoff = Backoff(baseSeconds: 300, maxSeconds: 3600)
    var now: @Sendable () -> Date = { Date() }

    /// Try pushes whose results are kept per PR; older ones are pruned.
    static let resultRunsKept = 3

    /// Reconciles the sync of `pr`, whose head the mirror has; returns what it did.
    func reconcile(_ pr: DownstreamPullRequestInfo, head: String) throws -> [String] {
        let number = pr.facts.number
        var reached: DownstreamSync?
        do {
            let changes = try PullRequestChanges.read(git: git, head: head, master: master, exclude: exclude, maxTestPaths: maxTestPaths)
            let stored = try store.downstreamSync(pullRequest: number)
            // A sync already started goes on (its bug, its running try push) even if the PR no longer qualifies.
            if stored == nil, case .skip(let reason) = DownstreamSelection.decide(pr.facts, changedPaths: changes.paths, label: upstreamLabel, exclude: exclude) {
                return [reason]
            }
            var sync = stored ?? DownstreamSync(pullRequest: number)
            // Whatever happens below, the error is recorded on the sync as far as it got.
            defer { reached = sync }
            let notes = try advance(&sync, pr: pr, changes: changes)
            if sync.lastError != nil || sync.failures != nil {
                sync.lastError = nil
                sync.failures = nil
                sync.retryAt = nil
                try store.saveDownstreamSync(sync)
            }
            return notes
        } catch {
            if var failed = reached ?? (try? store.downstreamSync(pullRequest: number)) {
                failed.failed(redactor("\(error)"), at: now(), backoff: backoff)
                try? store.saveDownstreamSync(failed)
            }
            throw error
        }
    }

    private func advance(_ sync: inout DownstreamSync, pr: DownstreamPullRequestInfo, changes: PullRequestChanges) throws -> [String] {
        let planned = DownstreamPullRequest(number: pr.facts.number, state: pr.facts.state, head: changes.head.hex,
                                            approved: pr.approved, checksPassed: pr.checksPassed,
                                            treeChanges: changes.digest, mode: changes.affected.mode)
        let followed = try delivery.follow(&sync)
        if !followed.isEmpty { try store.saveDownstreamSync(sync) }
        var notes = try followed + followResults(&sync)
        // Each action changes the record, so the planner moves on; the bound only guards against a rule that would not.
        for _ in 0..<20 {
            let goals = DownstreamPlanner.plan(planned, sync, settings: settings)
            guard let goal = goals.first, !goal.isWait else {
                notes.append("PR #\(pr.facts.number): \(Self.describe(goals.first ?? .done(reason: "nothing to do")))")
                return notes
            }
            do {
                notes.append("PR #\(pr.facts.number): " + (try perform(goal, on: &sync, pr: pr, changes: changes)))
            } catch {
                throw DownstreamSyncError.step(pullRequest: pr.facts.number, doing: Self.doing(goal), reason: "\(error)")
            }
            try store.saveDownstreamSync(sync)
        }
        throw DownstreamSyncError.noProgress(pullRequest: pr.facts.number)
    }

    private func perform(_ goal: DownstreamGoal, on sync: inout DownstreamSync, pr: DownstreamPullRequestInfo,
                         changes: PullRequestChanges) throws -> String {
        switch goal {
        case .fileBug:
            let component = try component(for: changes.paths)
            // A bug filed before a crash (or by a POST whose answer was lost) is found by the PR's URL.
            if let existing = try bugzilla.bugs(url: pr.facts.url, fields: ["id", "url", "whiteboard"]).first(where: {
                $0.url == pr.facts.url && ($0.whiteboard ?? "").contains(DownstreamBug.whiteboardTag)
            }) {
                sync.bug = existing.id
            } else {
                let bug = DownstreamBug(number: pr.facts.number, title: pr.title, url: pr.facts.url, body: pr.facts.body,
                                        author: pr.author, component: component)
                sync.bug = try bugzilla.createBug(NewBug(product: component.product, component: component.component,
                                                         summary: bug.summary, type: bug.type, description: bug.description,
                                                         whiteboard: bug.whiteboard, url: bug.url))
            }
            sync.component = component
            return "filed bug \(sync.bug ?? 0) in \(component)"
        case .resolveBugInvalid:
            if try bugzilla.bug(try bug(of: sync), fields: ["status"]).status != "RESOLVED" {
                _ = try bugzilla.update(try bug(of: sync), BugUpdate(fields: ["status": "RESOLVED", "resolution": "INVALID"],
                                                                      comment: "The pull request was closed without being merged."))
            }
            sync.bugResolved = true
            return "bug \(sync.bug ?? 0) resolved INVALID"
        case .reopenBug:
            if try bugzilla.bug(try bug(of: sync), fields: ["status"]).status == "RESOLVED" {
                _ = try bugzilla.update(try bug(of: sync), BugUpdate(fields: ["status": "REOPENED"], comment: "The pull request was reopened."))
            }
            sync.bugResolved = false
            return "bug \(sync.bug ?? 0) reopened"
        case .setBlockedLabel(let on):
            if let github {
                if on { _ = try github.addLabels([blockedLabel], to: pr.facts.number) } else { try github.removeLabel(blockedLabel, from: pr.facts.number) }
            }
            sync.blockedLabel = on
            return on ? "blocked: waits for a person" : "no longer blocked"
        case .supersede(let index):
            sync.supersede(at: index)
            return "try push \(sync.tryPushes[index].revision ?? "(planned)") superseded"
        case .pushTry(var push):
            let tip = try clone.refresh()
            let base = push.base ?? tip
            push.base = base
            sync.plan(push)
            try store.saveDownstreamSync(sync)
            return try pushTry(push, base: base, sync: &sync, pr: pr, changes: changes)
        case .comment(let milestone):
            let results = if case .results(let revision) = milestone { try resultsSummary(of: sync.pullRequest, revision: revision) } else { TryResultsSummary?.none }
            let text = DownstreamBug.comment(milestone, results: results)
            try bugzilla.addCommentOnce(try bug(of: sync), text)
            sync.commented.insert(milestone.key)
            return "commented on bug \(sync.bug ?? 0): \(milestone.key)"
        case .needinfo(let contact, let revision):
            // A needinfo set before a crash, or by a request whose answer was lost, is there already.
            let flags = try bugzilla.bug(try bug(of: sync), fields: ["flags"]).flags ?? []
            if !flags.contains(where: { $0.name == "needinfo" && $0.status == "?" && $0.requestee == contact }) {
                _ = try bugzilla.setNeedinfo(try bug(of: sync), requestee: contact)
            }
            sync.commented.insert(DownstreamGoal.needinfoKey(revision: revision))
            return "asked \(contact) for information on bug \(sync.bug ?? 0)"
        case .waitForApproval, .waitForMerge, .waitForResults, .waitForLando, .waitForPerson, .done:
            return Self.describe(goal)
        }
    }

    private func component(for paths: [String]) throws -> BugComponent {
        let tip = try clone.refresh()
        let mozBuild = HgPath(MozBuildComponents.path)
        guard let file = try clone.source.files(at: tip, paths: [mozBuild])[mozBuild] else { return .webPlatformTests }
        return try MozBuildComponents.parse(file.data).choose(wptPaths: paths, wpt: prefixes.wpt)
    }

    private func bug(of sync: DownstreamSync) throws -> Int {
        guard let bug = sync.bug else { throw DownstreamSyncError.noBug(pullRequest: sync.pullRequest) }
        return bug
    }

    static func describe(_ goal: DownstreamGoal) -> String {
        switch goal {
        case .waitForApproval: "waits for approval or passing checks"
        case .waitForMerge: "waits for the merge"
        case .waitForResults(let revision): "waits for the results of try push \(revision.prefix(12))"
        case .waitForLando(let job): job.map { "waits for Lando try job \($0) to push to try" } ?? "waits for try to show whether Lando took the try push (its answer was lost)"
        case .waitForPerson(let reason): "waits for a person: \(reason)"
        case .done(let reason): "nothing to do: \(reason)"
        default: "\(goal)"
        }
    }

    /// What doing `goal` is, for an error.
    static func doing(_ goal: DownstreamGoal) -> String {
        switch goal {
        case .fileBug: "filing its bug"
        case .resolveBugInvalid: "resolving its bug"
        case .reopenBug: "reopening its bug"
        case .setBlockedLabel(let on): on ? "labelling the PR blocked" : "removing the PR's blocked label"
        case .supersede: "superseding a try push"
        case .pushTry: "pushing to try"
        case .comment(let milestone): "commenting on its bug (\(milestone.key))"
        case .needinfo(let contact, _): "asking \(contact) for information"
        default: describe(goal)
        }
    }
}
