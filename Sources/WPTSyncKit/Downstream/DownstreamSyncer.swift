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
/// bug in the component owning most of its files, pushes its try run, comments the milestones,
/// resolves and reopens the bug with the PR. Each step is recorded as soon as it is done, and a
/// try push is recorded as planned before it is made, so a crash at any point repeats nothing.
struct DownstreamSyncer {
    let store: any DownstreamSyncStore
    /// The wpt mirror, holding the PR's head (`refs/pull/<n>/head`).
    let git: GitRepository
    /// The upstream master in the mirror.
    let master: String
    /// wptsync's clone of mozilla-central, where try commits are built; `central` is what it pulls.
    let clone: LandingClone
    let central: String
    let tryRepository: String
    let bugzilla: BugzillaClient
    /// Where try runs' tasks are found (the decision task by revision in the index, then its group).
    let taskcluster: TaskclusterClient
    let settings: DownstreamPlanner.Settings
    let exclude: [String]
    let upstreamLabel: String
    /// Task labels for `try_task_config.json`.
    let tasks: [String]
    let prefixes: PathPrefixes

    /// Reconciles the sync of `pr`, whose head the mirror has; returns what it did.
    func reconcile(_ pr: DownstreamPullRequestInfo, head: String) throws -> [String] {
        let changes = try PullRequestChanges.read(git: git, head: head, master: master, exclude: exclude)
        if case .skip(let reason) = DownstreamSelection.decide(pr.facts, changedPaths: changes.paths, label: upstreamLabel, exclude: exclude) {
            return [reason]
        }
        let planned = DownstreamPullRequest(number: pr.facts.number, state: pr.facts.state, head: changes.head.hex,
                                            approved: pr.approved, checksPassed: pr.checksPassed,
                                            treeChanges: changes.digest, mode: changes.affected.mode)
        var sync = try store.downstreamSync(pullRequest: pr.facts.number) ?? DownstreamSync(pullRequest: pr.facts.number)
        var notes = try followResults(&sync)
        // Each action changes the record, so the planner moves on; the bound only guards against a rule that would not.
        for _ in 0..<20 {
            let goals = DownstreamPlanner.plan(planned, sync, settings: settings)
            guard let goal = goals.first, !goal.isWait else {
                notes.append("PR #\(pr.facts.number): \(Self.describe(goals.first ?? .done(reason: "nothing to do")))")
                return notes
            }
            notes.append("PR #\(pr.facts.number): " + (try perform(goal, on: &sync, pr: pr, changes: changes)))
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
            if let existing = try bugzilla.bugs(url: pr.facts.url, fields: ["id"]).first {
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
            _ = try bugzilla.update(try bug(of: sync), BugUpdate(fields: ["status": "RESOLVED", "resolution": "INVALID"],
                                                                  comment: "The pull request was closed without being merged."))
            sync.bugResolved = true
            return "bug \(sync.bug ?? 0) resolved INVALID"
        case .reopenBug:
            _ = try bugzilla.update(try bug(of: sync), BugUpdate(fields: ["status": "REOPENED"], comment: "The pull request was reopened."))
            sync.bugResolved = false
            return "bug \(sync.bug ?? 0) reopened"
        case .setBlockedLabel(let on):
            sync.blockedLabel = on
            return on ? "blocked: waits for a person" : "no longer blocked"
        case .supersede(let index):
            sync.supersede(at: index)
            return "try push \(sync.tryPushes[index].revision ?? "(planned)") superseded"
        case .pushTry(let push):
            sync.plan(push)
            try store.saveDownstreamSync(sync)
            return try pushTry(push, sync: &sync, pr: pr, changes: changes)
        case .comment(let milestone):
            _ = try bugzilla.addComment(try bug(of: sync), DownstreamBug.comment(milestone))
            sync.commented.insert(milestone.key)
            return "commented on bug \(sync.bug ?? 0): \(milestone.key)"
        case .needinfo(let contact, let revision):
            _ = try bugzilla.setNeedinfo(try bug(of: sync), requestee: contact)
            sync.commented.insert(DownstreamGoal.needinfoKey(revision: revision))
            return "asked \(contact) for information on bug \(sync.bug ?? 0)"
        case .waitForApproval, .waitForMerge, .waitForResults, .waitForPerson, .done:
            return Self.describe(goal)
        }
    }

    private func pushTry(_ push: DownstreamTryPush, sync: inout DownstreamSync, pr: DownstreamPullRequestInfo,
                         changes current: PullRequestChanges) throws -> String {
        // A retry may test an earlier head than the PR's current one.
        let changes = push.head == current.head.hex ? current
            : try PullRequestChanges.read(git: git, head: push.head, master: master, exclude: exclude)
        let tip = try clone.refresh(from: central)
        let config = try TryTaskConfig(testPaths: changes.affected.paths, tasks: tasks)
        let message = "try: wpt PR \(pr.facts.number) at \(push.head.prefix(12)) (\(push.reason.rawValue))\n\nwpt-pr: \(pr.facts.number)\nwpt-head: \(push.head)\n"
        let built = try TryCommitBuilder(git: git, clone: clone, prefix: prefixes.wpt, excluded: exclude)
            .build(UpstreamChange(base: changes.base.hex, head: push.head), onto: tip, taskConfig: config.json(wpt: prefixes.wpt),
                   user: "wpt-sync <wpt-sync@mozilla.com>", date: (try git.commit(changes.head).committer.time, 0),
                   message: Array(message.utf8))
        switch built {
        case .built(let node):
            switch try clone.push(node, to: tryRepository, newHead: true) {
            case .pushed, .nothingToPush:
                sync.pushed(revision: node)
                return "pushed \(node.prefix(12)) to try (\(changes.affected.paths.count) test paths)"
            case .lostRace(let message), .failed(let message):
                throw DownstreamSyncError.tryPushRefused(pullRequest: pr.facts.number, message: message)
            }
        case .conflict(let paths):
            sync.blocked = .init(reason: "does not apply to mozilla-central: " + paths.joined(separator: ", "), treeChanges: push.treeChanges)
            sync.supersede(at: sync.tryPushes.count - 1)
            return "cannot push to try: \(sync.blocked?.reason ?? "")"
        case .noChanges:
            sync.supersede(at: sync.tryPushes.count - 1)
            return "nothing to push to try: mozilla-central already has these changes"
        }
    }

    /// Asks Taskcluster how the running try push stands, and records its end.
    private func followResults(_ sync: inout DownstreamSync) throws -> [String] {
        guard let run = sync.tryPushes.last, run.status == .running, let revision = run.revision,
              let decision = try taskcluster.decisionTaskID(project: "try", revision: revision) else { return [] }
        let tasks = try taskcluster.taskGroup(decision).map(\.tryTask)
        switch TryRunState.verdict(tasks) {
        case .running:
            return []
        case .infrastructureFailure(let reason):
            sync.finished(revision: revision, status: .infraFailure)
            try store.saveDownstreamSync(sync)
            return ["PR #\(sync.pullRequest): try push \(revision.prefix(12)) failed on infrastructure: \(reason)"]
        case .complete:
            let failed = TryRunState.wptTasks(tasks).contains { $0.state == .failed }
            sync.finished(revision: revision, status: .complete, failed: failed)
            try store.saveDownstreamSync(sync)
            return ["PR #\(sync.pullRequest): try push \(revision.prefix(12)) complete" + (failed ? ", with failures" : "")]
        }
    }

    private func component(for paths: [String]) throws -> BugComponent {
        let tip = try clone.refresh(from: central)
        let mozBuild = HgPath(MozBuildComponents.path)
        guard let file = try clone.hg.files(at: tip, paths: [mozBuild])[mozBuild] else { return .webPlatformTests }
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
        case .waitForPerson(let reason): "waits for a person: \(reason)"
        case .done(let reason): "nothing to do: \(reason)"
        default: "\(goal)"
        }
    }
}

/// Why a downstream sync could not go on.
enum DownstreamSyncError: Error, CustomStringConvertible {
    case noProgress(pullRequest: Int)
    case noBug(pullRequest: Int)
    case tryPushRefused(pullRequest: Int, message: String)

    var description: String {
        switch self {
        case .noProgress(let pr): "the downstream sync of PR #\(pr) did not settle after 20 steps"
        case .noBug(let pr): "the downstream sync of PR #\(pr) has no bug yet"
        case .tryPushRefused(let pr, let message): "the try push of PR #\(pr) was refused: \(message)"
        }
    }
}
