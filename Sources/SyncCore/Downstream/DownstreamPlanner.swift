/// What the downstream planner knows of an upstream pull request.
public struct DownstreamPullRequest: Sendable, Equatable {
    public var number: Int
    public var state: PullRequestFacts.State
    public var head: String
    public var approved: Bool
    /// Whether its required checks passed.
    public var checksPassed: Bool
    /// A digest of its changes to the imported tree (changed paths and their new blobs, from the
    /// merge base); equal digests mean the same changes whatever the head.
    public var treeChanges: String
    /// What a try run of those changes runs (`AffectedTests.of`).
    public var mode: AffectedTests.Mode

    public init(number: Int, state: PullRequestFacts.State, head: String, approved: Bool, checksPassed: Bool,
                treeChanges: String, mode: AffectedTests.Mode) {
        self.number = number; self.state = state; self.head = head; self.approved = approved
        self.checksPassed = checksPassed; self.treeChanges = treeChanges; self.mode = mode
    }
}

/// A milestone the bug gets a comment for, once.
public enum DownstreamComment: Sendable, Equatable {
    case tryPushed(revision: String)
    case results(revision: String)
    case infraFailure(revision: String)
    case breaksRunner(revision: String)
    /// The PR's changes (`treeChanges`) cannot be tried: `reason` names the files that do not apply.
    case blocked(reason: String, treeChanges: String)

    /// Its entry in `DownstreamSync.commented`.
    public var key: String {
        switch self {
        case .tryPushed(let revision): "try-pushed \(revision)"
        case .results(let revision): "results \(revision)"
        case .infraFailure(let revision): "infra-failure \(revision)"
        case .breaksRunner(let revision): "breaks-runner \(revision)"
        case .blocked(_, let treeChanges): "blocked \(treeChanges)"
        }
    }
}

/// The next thing a downstream sync does, or what it waits for.
public enum DownstreamGoal: Sendable, Equatable {
    case fileBug
    /// The PR was closed unmerged.
    case resolveBugInvalid
    /// The PR was reopened after wptsync resolved its bug.
    case reopenBug
    /// Put (true) or remove the blocked label on the PR.
    case setBlockedLabel(Bool)
    /// Stop waiting for the pending push at this index of `tryPushes`.
    case supersede(index: Int)
    /// Record `push` as planned (`DownstreamSync.plan`), push it unless the try repository already
    /// has it, then record its revision.
    case pushTry(DownstreamTryPush)
    case comment(DownstreamComment)
    /// Ask `contact` for information on the bug (recorded in `commented` as `needinfoKey`).
    case needinfo(contact: String, revision: String)
    case waitForApproval
    case waitForMerge
    case waitForResults(revision: String)
    /// The try push was sent to Lando's try API: Lando's job `job` (nil: its answer was lost) pushes it.
    case waitForLando(job: Int?)
    case waitForPerson(reason: String)
    /// Nothing left to do until the PR changes.
    case done(reason: String)

    public var isWait: Bool {
        switch self {
        case .waitForApproval, .waitForMerge, .waitForResults, .waitForLando, .waitForPerson, .done: true
        default: false
        }
    }

    public static func needinfoKey(revision: String) -> String { "needinfo \(revision)" }
}

/// The downstream state machine, as a pure function of the PR, the sync record and the settings.
public enum DownstreamPlanner {
    public enum TryAfter: String, Sendable, Equatable, CaseIterable {
        /// Once the PR is approved or its required checks passed (so results are ready by the merge).
        case approval
        /// Once the PR is merged (the production service's cost-saving mode).
        case merge
    }

    public struct Settings: Sendable, Equatable {
        public var tryAfter: TryAfter
        /// Who is asked (needinfo) when a PR breaks the test runner; nobody when nil.
        public var runnerContact: String?
        /// After the first complete run of a PR's tests, a stability run of them, each task this many
        /// times (`TryTaskConfig.rebuildRange`); none when nil.
        public var rebuild: Int?
        /// Who triages what a stability run disabled, by bug component (`Core :: DOM`).
        public var triage: [String: String]
        /// Who triages it for a component `triage` does not name; nobody when nil.
        public var triageDefault: String?

        public init(tryAfter: TryAfter = .approval, runnerContact: String? = nil, rebuild: Int? = nil,
                    triage: [String: String] = [:], triageDefault: String? = nil) {
            self.tryAfter = tryAfter; self.runnerContact = runnerContact; self.rebuild = rebuild
            self.triage = triage; self.triageDefault = triageDefault
        }

        /// The triage contact of `component` (its own, else the default).
        public func triageContact(for component: BugComponent?) -> String? {
            component.flatMap { triage[$0.description] } ?? triageDefault
        }
    }

    /// The actions due now, in order, or, when none is, the one thing the sync waits for.
    /// Planning again after doing them (and recording that) moves on; planning without doing them
    /// gives the same goals, so a try push is never planned twice for one run.
    public static func plan(_ pr: DownstreamPullRequest, _ sync: DownstreamSync, settings: Settings = .init()) -> [DownstreamGoal] {
        var goals = lifecycle(pr, sync, settings)
        let actions = goals.filter { !$0.isWait }
        goals = actions.isEmpty ? [goals.last ?? .done(reason: "nothing to do")] : actions
        let waitsForPerson = if case .waitForPerson = goals[0] { true } else { false }
        if waitsForPerson != sync.blockedLabel {
            return waitsForPerson || goals[0].isWait ? [.setBlockedLabel(waitsForPerson)] : [.setBlockedLabel(false)] + goals
        }
        return goals
    }

    private static func lifecycle(_ pr: DownstreamPullRequest, _ sync: DownstreamSync, _ settings: Settings) -> [DownstreamGoal] {
        guard sync.bug != nil else {
            return pr.state == .closed ? [.done(reason: "closed unmerged before its bug was filed")] : [.fileBug]
        }
        if pr.state == .closed {
            return sync.bugResolved ? [.done(reason: "closed unmerged; bug resolved INVALID")] : [.resolveBugInvalid]
        }
        return (sync.bugResolved ? [.reopenBug] : []) + tryGoals(pr, sync, settings)
    }

    private static func tryGoals(_ pr: DownstreamPullRequest, _ sync: DownstreamSync, _ settings: Settings) -> [DownstreamGoal] {
        if let blocked = sync.blocked, blocked.treeChanges == pr.treeChanges {
            let comment = DownstreamComment.blocked(reason: blocked.reason, treeChanges: blocked.treeChanges)
            return sync.commented.contains(comment.key) ? [.waitForPerson(reason: blocked.reason)] : [.comment(comment)]
        }
        let pushes = sync.tryPushes
        let pending = pushes.indices.last.flatMap { pushes[$0].isPending ? [DownstreamGoal.supersede(index: $0)] : nil } ?? []
        if sync.requestedRetries > pushes.filter({ $0.reason == .requested }).count {
            return pending + [.pushTry(DownstreamTryPush(head: pr.head, treeChanges: pr.treeChanges, mode: pr.mode, reason: .requested))]
        }
        let changed = pushes.last.map { $0.treeChanges != pr.treeChanges && !pushes.contains { $0.head == pr.head } } ?? true
        guard let latest = pushes.last, !changed else {
            if pr.mode == .none { return pending + [.done(reason: "the PR changes no test to run")] }
            let triggered = pr.state == .merged || (settings.tryAfter == .approval && (pr.approved || pr.checksPassed))
            guard triggered else { return pending + [settings.tryAfter == .merge ? .waitForMerge : .waitForApproval] }
            return pending + [.pushTry(DownstreamTryPush(head: pr.head, treeChanges: pr.treeChanges, mode: pr.mode, reason: .changes))]
        }
        return runGoals(latest, sync, settings)
    }

    /// The goals of the run that stands for the PR's current changes.
    private static func runGoals(_ run: DownstreamTryPush, _ sync: DownstreamSync, _ settings: Settings) -> [DownstreamGoal] {
        guard let revision = run.revision else {
            if run.awaitsLando {
                if let stopped = run.lando?.stopped { return [.waitForPerson(reason: stopped)] }
                return [.waitForLando(job: run.lando?.job)]
            }
            return run.status == .planned ? [.pushTry(run)] : [.waitForPerson(reason: "the try push of these changes was superseded before it was made")]
        }
        func once(_ comment: DownstreamComment, then next: [DownstreamGoal]) -> [DownstreamGoal] {
            sync.commented.contains(comment.key) ? next : [.comment(comment)]
        }
        return once(.tryPushed(revision: revision), then: {
            switch run.status {
            case .planned, .running:
                return [.waitForResults(revision: revision)]
            case .superseded:
                return [.waitForPerson(reason: "try push \(revision) was superseded; `wptsync retry-try` pushes again")]
            case .infraFailure where run.reason != .infraRetry:
                // A stability run's retry is one too, on the same base.
                return [.pushTry(DownstreamTryPush(head: run.head, treeChanges: run.treeChanges, mode: run.mode, reason: .infraRetry,
                                                   base: run.isStability ? run.base : nil, rebuild: run.rebuild))]
            case .infraFailure:
                return once(.infraFailure(revision: revision), then: [.waitForPerson(reason: "try infrastructure failed twice (\(revision))")])
            case .complete where run.mode == .infrastructure && run.failed:
                let ask: [DownstreamGoal] = settings.runnerContact.map { contact in
                    sync.commented.contains(DownstreamGoal.needinfoKey(revision: revision)) ? [] : [.needinfo(contact: contact, revision: revision)]
                } ?? []
                return once(.breaksRunner(revision: revision), then: ask.isEmpty ? [.waitForPerson(reason: "breaks the test runner")] : ask)
            case .complete:
                return once(.results(revision: revision), then: afterResults(run, revision: revision, sync, settings))
            }
        }())
    }

    /// Once a complete run's results are said: the first run of the PR's tests is followed by a
    /// stability run on the same base (once per change: a requested rerun is not); a stability run that disabled tests asks the triage contact.
    private static func afterResults(_ run: DownstreamTryPush, revision: String, _ sync: DownstreamSync, _ settings: Settings) -> [DownstreamGoal] {
        if !run.isStability, run.mode == .tests, let rebuild = settings.rebuild, !sync.hasStabilityRun(of: run) {
            return [.pushTry(DownstreamTryPush(head: run.head, treeChanges: run.treeChanges, mode: run.mode, reason: .stability,
                                               base: run.base, rebuild: rebuild))]
        }
        guard run.isStability else { return [.done(reason: "results of \(revision) are in")] }
        let done = DownstreamGoal.done(reason: "results of the stability run \(revision) are in")
        guard let metadata = sync.metadata, metadata.revision == revision, !metadata.disabled.isEmpty,
              let contact = settings.triageContact(for: sync.component),
              !sync.commented.contains(DownstreamGoal.needinfoKey(revision: revision)) else { return [done] }
        return [.needinfo(contact: contact, revision: revision)]
    }
}
