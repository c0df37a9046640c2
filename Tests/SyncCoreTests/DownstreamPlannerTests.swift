import Foundation
import SyncCore
import Testing

@Suite("Downstream: the planner (pure)")
struct DownstreamPlannerTests {
    typealias Push = DownstreamTryPush

    static func pr(_ state: PullRequestFacts.State = .open, head: String = "h1", approved: Bool = false, checks: Bool = false,
                   changes: String = "c1", mode: AffectedTests.Mode = .tests) -> DownstreamPullRequest {
        DownstreamPullRequest(number: 7, state: state, head: head, approved: approved, checksPassed: checks, treeChanges: changes, mode: mode)
    }

    static func sync(bug: Int? = 100, pushes: [Push] = [], commented: Set<String> = [], resolved: Bool = false,
                     label: Bool = false, retries: Int = 0, blocked: DownstreamSync.Blocked? = nil) -> DownstreamSync {
        var sync = DownstreamSync(pullRequest: 7)
        sync.bug = bug; sync.tryPushes = pushes; sync.commented = commented; sync.bugResolved = resolved
        sync.blockedLabel = label; sync.requestedRetries = retries; sync.blocked = blocked
        return sync
    }

    static func push(_ status: Push.Status = .running, head: String = "h1", changes: String = "c1", mode: AffectedTests.Mode = .tests,
                     reason: Push.Reason = .changes, revision: String? = "r1", failed: Bool = false) -> Push {
        Push(head: head, treeChanges: changes, mode: mode, reason: reason, status: status, revision: revision, failed: failed)
    }

    static let pushed: Set<String> = [DownstreamComment.tryPushed(revision: "r1").key]
    static let approved = pr(approved: true)
    static let merge = DownstreamPlanner.Settings(tryAfter: .merge)
    static let contact = DownstreamPlanner.Settings(runnerContact: "wpt-owner@example.org")

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var pr: DownstreamPullRequest
        var sync: DownstreamSync
        var settings = DownstreamPlanner.Settings()
        var goals: [DownstreamGoal]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "a new PR gets its bug first", pr: pr(), sync: sync(bug: nil), goals: [.fileBug]),
        Row(name: "a PR merged before anything was seen gets its bug", pr: pr(.merged), sync: sync(bug: nil), goals: [.fileBug]),
        Row(name: "a PR closed unmerged before its bug needs none", pr: pr(.closed), sync: sync(bug: nil),
            goals: [.done(reason: "closed unmerged before its bug was filed")]),
        Row(name: "try_after approval: waits for approval", pr: pr(), sync: sync(), goals: [.waitForApproval]),
        Row(name: "approved: a try push of its head and changes", pr: approved, sync: sync(),
            goals: [.pushTry(push(.planned, revision: nil))]),
        Row(name: "checks passed count as approval", pr: pr(checks: true), sync: sync(), goals: [.pushTry(push(.planned, revision: nil))]),
        Row(name: "merged by an admin without approval or CI: the sync starts at the merge", pr: pr(.merged), sync: sync(),
            goals: [.pushTry(push(.planned, revision: nil))]),
        Row(name: "try_after merge: approval is not enough", pr: approved, sync: sync(), settings: merge, goals: [.waitForMerge]),
        Row(name: "try_after merge: merged", pr: pr(.merged), sync: sync(), settings: merge, goals: [.pushTry(push(.planned, revision: nil))]),
        Row(name: "a PR changing no test gets no try push", pr: pr(approved: true, mode: .none), sync: sync(),
            goals: [.done(reason: "the PR changes no test to run")]),
        Row(name: "a harness-only PR gets an infrastructure run", pr: pr(approved: true, mode: .infrastructure), sync: sync(),
            goals: [.pushTry(push(.planned, mode: .infrastructure, revision: nil))]),
        Row(name: "a planned push not known to be made is made (once: the shell finds it in try)", pr: approved,
            sync: sync(pushes: [push(.planned, revision: nil)]), goals: [.pushTry(push(.planned, revision: nil))]),
        Row(name: "pushed: the bug hears of it", pr: approved, sync: sync(pushes: [push()]), goals: [.comment(.tryPushed(revision: "r1"))]),
        Row(name: "pushed and said: waits for results", pr: approved, sync: sync(pushes: [push()], commented: pushed),
            goals: [.waitForResults(revision: "r1")]),
        Row(name: "the head moved but the changes did not: the run stands", pr: pr(head: "h2", approved: true),
            sync: sync(pushes: [push()], commented: pushed), goals: [.waitForResults(revision: "r1")]),
        Row(name: "the head moved with new changes: the pending run is superseded, a new one pushed",
            pr: pr(head: "h2", approved: true, changes: "c2"), sync: sync(pushes: [push()], commented: pushed),
            goals: [.supersede(index: 0), .pushTry(push(.planned, head: "h2", changes: "c2", revision: nil))]),
        Row(name: "new changes after approval was dismissed: superseded, then wait", pr: pr(head: "h2", changes: "c2"),
            sync: sync(pushes: [push()], commented: pushed), goals: [.supersede(index: 0)]),
        Row(name: "new changes at a head already pushed (the base moved): never a second push for one head",
            pr: pr(approved: true, changes: "c2"), sync: sync(pushes: [push()], commented: pushed), goals: [.waitForResults(revision: "r1")]),
        Row(name: "results in: the bug hears of it", pr: approved, sync: sync(pushes: [push(.complete)], commented: pushed),
            goals: [.comment(.results(revision: "r1"))]),
        Row(name: "results in and said: done", pr: approved,
            sync: sync(pushes: [push(.complete)], commented: pushed.union([DownstreamComment.results(revision: "r1").key])),
            goals: [.done(reason: "results of r1 are in")]),
        Row(name: "an infrastructure failure is retried once, on the run's own head", pr: pr(head: "h2", approved: true),
            sync: sync(pushes: [push(.infraFailure)], commented: pushed),
            goals: [.pushTry(push(.planned, reason: .infraRetry, revision: nil))]),
        Row(name: "a second infrastructure failure is commented", pr: approved,
            sync: sync(pushes: [push(.infraFailure, revision: "r0"), push(.infraFailure, reason: .infraRetry)],
                       commented: pushed.union([DownstreamComment.tryPushed(revision: "r0").key])),
            goals: [.comment(.infraFailure(revision: "r1"))]),
        Row(name: "then the PR is labelled blocked", pr: approved,
            sync: sync(pushes: [push(.infraFailure, reason: .infraRetry)], commented: pushed.union(["infra-failure r1"])),
            goals: [.setBlockedLabel(true)]),
        Row(name: "then it waits for a person", pr: approved,
            sync: sync(pushes: [push(.infraFailure, reason: .infraRetry)], commented: pushed.union(["infra-failure r1"]), label: true),
            goals: [.waitForPerson(reason: "try infrastructure failed twice (r1)")]),
        Row(name: "failing infrastructure tests: breaks the test runner", pr: approved,
            sync: sync(pushes: [push(.complete, mode: .infrastructure, failed: true)], commented: pushed),
            settings: contact, goals: [.comment(.breaksRunner(revision: "r1"))]),
        Row(name: "then the contact is asked", pr: approved,
            sync: sync(pushes: [push(.complete, mode: .infrastructure, failed: true)], commented: pushed.union(["breaks-runner r1"])),
            settings: contact, goals: [.needinfo(contact: "wpt-owner@example.org", revision: "r1")]),
        Row(name: "then it waits for a person, labelled", pr: approved,
            sync: sync(pushes: [push(.complete, mode: .infrastructure, failed: true)],
                       commented: pushed.union(["breaks-runner r1", "needinfo r1"]), label: true),
            settings: contact, goals: [.waitForPerson(reason: "breaks the test runner")]),
        Row(name: "passing infrastructure tests are plain results", pr: approved,
            sync: sync(pushes: [push(.complete, mode: .infrastructure)], commented: pushed), goals: [.comment(.results(revision: "r1"))]),
        Row(name: "a fix for the runner (new changes) is tried again, and the label goes", pr: pr(head: "h2", approved: true, changes: "c2"),
            sync: sync(pushes: [push(.complete, mode: .infrastructure, failed: true)],
                       commented: pushed.union(["breaks-runner r1", "needinfo r1"]), label: true),
            settings: contact, goals: [.setBlockedLabel(false), .pushTry(push(.planned, head: "h2", changes: "c2", revision: nil))]),
        Row(name: "closed unmerged: the bug is resolved INVALID", pr: pr(.closed), sync: sync(pushes: [push()], commented: pushed),
            goals: [.resolveBugInvalid]),
        Row(name: "closed and resolved: done", pr: pr(.closed), sync: sync(resolved: true),
            goals: [.done(reason: "closed unmerged; bug resolved INVALID")]),
        Row(name: "reopened: the bug is reopened", pr: approved, sync: sync(pushes: [push()], commented: pushed, resolved: true),
            goals: [.reopenBug]),
        Row(name: "retry-try: one more push of the current head, the pending one superseded", pr: approved,
            sync: sync(pushes: [push()], commented: pushed, retries: 1),
            goals: [.supersede(index: 0), .pushTry(push(.planned, reason: .requested, revision: nil))]),
        Row(name: "retry-try already made", pr: approved,
            sync: sync(pushes: [push(.superseded), push(reason: .requested, revision: "r2")],
                       commented: pushed.union(["try-pushed r2"]), retries: 1),
            goals: [.waitForResults(revision: "r2")]),
        Row(name: "a conflict is said on the bug, naming the files", pr: approved,
            sync: sync(blocked: .init(reason: "conflict in dom/a.html", treeChanges: "c1")),
            goals: [.comment(.blocked(reason: "conflict in dom/a.html", treeChanges: "c1"))]),
        Row(name: "then the PR is labelled blocked (conflict)", pr: approved,
            sync: sync(commented: ["blocked c1"], blocked: .init(reason: "conflict in dom/a.html", treeChanges: "c1")),
            goals: [.setBlockedLabel(true)]),
        Row(name: "a conflict waits for a person while the changes are those it hit", pr: approved,
            sync: sync(commented: ["blocked c1"], label: true, blocked: .init(reason: "conflict in dom/a.html", treeChanges: "c1")),
            goals: [.waitForPerson(reason: "conflict in dom/a.html")]),
        Row(name: "new changes not approved yet: the label goes, then the sync waits for approval", pr: pr(head: "h2", changes: "c2"),
            sync: sync(commented: ["blocked c1"], label: true, blocked: .init(reason: "conflict in dom/a.html", treeChanges: "c1")),
            goals: [.setBlockedLabel(false)]),
        Row(name: "new changes may apply: the conflict no longer holds", pr: pr(head: "h2", approved: true, changes: "c2"),
            sync: sync(blocked: .init(reason: "conflict in dom/a.html", treeChanges: "c1")),
            goals: [.pushTry(push(.planned, head: "h2", changes: "c2", revision: nil))]),
    ]

    @Test("each state leads to its goals, and the same state to the same goals", arguments: rows)
    func transitions(row: Row) {
        #expect(DownstreamPlanner.plan(row.pr, row.sync, settings: row.settings) == row.goals)
        #expect(DownstreamPlanner.plan(row.pr, row.sync, settings: row.settings) == row.goals)
    }

    /// Does what `goal` asks, as the shell would, with the try repository's revisions numbered.
    static func perform(_ goal: DownstreamGoal, on sync: inout DownstreamSync) {
        switch goal {
        case .fileBug: sync.bug = 100
        case .resolveBugInvalid: sync.bugResolved = true
        case .reopenBug: sync.bugResolved = false
        case .setBlockedLabel(let on): sync.blockedLabel = on
        case .supersede(let index): sync.supersede(at: index)
        case .pushTry(let push):
            sync.plan(push)
            sync.pushed(revision: "r\(sync.tryPushes.count)")
        case .comment(let comment): sync.commented.insert(comment.key)
        case .needinfo(_, let revision): sync.commented.insert(DownstreamGoal.needinfoKey(revision: revision))
        case .waitForApproval, .waitForMerge, .waitForResults, .waitForLando, .waitForPerson, .done: break
        }
    }

    /// Plans and performs until the sync waits; returns what it waits for.
    static func settle(_ pr: DownstreamPullRequest, _ sync: inout DownstreamSync, settings: DownstreamPlanner.Settings = .init()) -> DownstreamGoal {
        for _ in 0..<20 {
            let goals = DownstreamPlanner.plan(pr, sync, settings: settings)
            if goals.count == 1, goals[0].isWait { return goals[0] }
            for goal in goals { perform(goal, on: &sync) }
        }
        Issue.record("the sync never settled")
        return .done(reason: "")
    }

    @Test("a PR's life: one push per change of its tree, never two for one head, whatever is replayed")
    func lifecycle() {
        var sync = DownstreamSync(pullRequest: 7)
        #expect(Self.settle(Self.pr(), &sync) == .waitForApproval)
        #expect(sync.bug == 100 && sync.tryPushes.isEmpty)
        #expect(Self.settle(Self.approved, &sync) == .waitForResults(revision: "r1"))
        #expect(Self.settle(Self.approved, &sync) == .waitForResults(revision: "r1"), "the same event again pushes nothing")
        #expect(Self.settle(Self.pr(head: "h2", approved: true), &sync) == .waitForResults(revision: "r1"), "a rebase with the same changes")
        let moved = Self.pr(head: "h3", approved: true, changes: "c3")
        #expect(Self.settle(moved, &sync) == .waitForResults(revision: "r2"))
        #expect(sync.tryPushes.map(\.status) == [.superseded, .running])
        sync.finished(revision: "r2", status: .infraFailure)
        #expect(Self.settle(moved, &sync) == .waitForResults(revision: "r3"), "retried once by itself")
        sync.finished(revision: "r3", status: .infraFailure)
        #expect(Self.settle(moved, &sync) == .waitForPerson(reason: "try infrastructure failed twice (r3)"))
        #expect(sync.blockedLabel && sync.commented.contains("infra-failure r3"))
        sync.requestedRetries += 1
        #expect(Self.settle(moved, &sync) == .waitForResults(revision: "r4"))
        #expect(!sync.blockedLabel, "the label goes once nobody needs to act")
        sync.finished(revision: "r4", status: .complete, failed: true)
        #expect(Self.settle(Self.pr(.merged, head: "h3", approved: true, changes: "c3"), &sync) == .done(reason: "results of r4 are in"))
        #expect(sync.commented.contains("results r4"))
        #expect(sync.tryPushes.map(\.reason) == [.changes, .changes, .infraRetry, .requested])
        #expect(sync.tryPushes.filter { $0.reason == .changes }.map(\.head) == ["h1", "h3"])
    }

    @Test("a crash after the push was planned, before its revision was recorded, leaves one push")
    func crashBetweenPlanAndPush() {
        var sync = Self.sync()
        let goals = DownstreamPlanner.plan(Self.approved, sync)
        guard case .pushTry(let push) = goals.first else { Issue.record("expected a push, got \(goals)"); return }
        sync.plan(push)
        #expect(DownstreamPlanner.plan(Self.approved, sync) == goals, "the rerun is asked for the same push")
        #expect(Self.settle(Self.approved, &sync) == .waitForResults(revision: "r1"))
        #expect(sync.tryPushes.count == 1)
    }

    @Test("closed unmerged, then reopened: the bug follows, and results of the pending run still arrive")
    func closeAndReopen() {
        var sync = Self.sync(pushes: [Self.push()], commented: Self.pushed)
        #expect(Self.settle(Self.pr(.closed), &sync) == .done(reason: "closed unmerged; bug resolved INVALID"))
        #expect(sync.bugResolved)
        #expect(Self.settle(Self.approved, &sync) == .waitForResults(revision: "r1"))
        #expect(!sync.bugResolved && sync.tryPushes.count == 1)
    }

    @Test("a push sent to Lando waits for Lando's job, is followed periodically, and is sent again once its job failed")
    func sentToLando() {
        var sync = Self.sync()
        guard case .pushTry(let push) = DownstreamPlanner.plan(Self.approved, sync).first else { Issue.record("expected a push"); return }
        sync.plan(push)
        sync.submittedToLando(LandoTrySubmission(submittedAt: Date(timeIntervalSince1970: 0)))
        #expect(DownstreamPlanner.plan(Self.approved, sync) == [.waitForLando(job: nil)], "its answer lost: never sent again here")
        #expect(sync.isDue(at: Date()), "the periodic pass looks on try")
        sync.submittedToLando(LandoTrySubmission(submittedAt: Date(timeIntervalSince1970: 0), job: 5))
        #expect(DownstreamPlanner.plan(Self.approved, sync) == [.waitForLando(job: 5)])
        sync.submittedToLando(nil)
        #expect(DownstreamPlanner.plan(Self.approved, sync) == [.pushTry(push)], "Lando's job failed: the same push again")
        sync.submittedToLando(LandoTrySubmission(submittedAt: Date(timeIntervalSince1970: 0), job: 6))
        sync.pushed(revision: "r1")
        #expect(Self.settle(Self.approved, &sync) == .waitForResults(revision: "r1"))
        #expect(sync.tryPushes.count == 1)
    }

    @Test("a Lando submission a person must decide on waits for them, is not followed, and retry-try pushes again")
    func stoppedLandoSubmission() {
        var sync = Self.sync()
        guard case .pushTry(let push) = DownstreamPlanner.plan(Self.approved, sync).first else { Issue.record("expected a push"); return }
        sync.plan(push)
        sync.submittedToLando(LandoTrySubmission(submittedAt: Date(timeIntervalSince1970: 0), job: 5))
        sync.landoJobFailed()
        #expect(sync.tryPushes.last?.landoFailures == 1 && DownstreamPlanner.plan(Self.approved, sync) == [.pushTry(sync.tryPushes[0])])
        sync.submittedToLando(LandoTrySubmission(submittedAt: Date(timeIntervalSince1970: 0), job: 6))
        sync.stopLando("Lando try job 6 was cancelled")
        #expect(DownstreamPlanner.plan(Self.approved, sync) == [.setBlockedLabel(true)])
        sync.blockedLabel = true
        #expect(DownstreamPlanner.plan(Self.approved, sync) == [.waitForPerson(reason: "Lando try job 6 was cancelled")])
        #expect(!sync.isDue(at: Date()), "the periodic pass leaves it")
        sync.requestedRetries = 1
        let goals = DownstreamPlanner.plan(Self.approved, sync)
        #expect(goals.contains(.supersede(index: 0)) && goals.contains { if case .pushTry = $0 { true } else { false } }, "\(goals)")
    }
}
