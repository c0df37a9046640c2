import Foundation

/// One try push of a downstream sync, recorded before it is made (`planned`) so that a crash
/// between the push and its record never leads to a second push of the same run.
public struct DownstreamTryPush: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable {
        /// The PR's changes to the tree are new.
        case changes
        /// The run before it ended in an infrastructure failure: retried once, automatically.
        case infraRetry = "infra-retry"
        /// A person asked for it (`wptsync retry-try`).
        case requested
        /// The stability run after the first complete run of these changes: its tests `rebuild` times.
        case stability
    }

    public enum Status: String, Sendable, Codable {
        /// Decided and recorded; not known to be pushed.
        case planned
        /// Pushed; results pending.
        case running
        case complete
        /// A failed build, or too many wpt tasks in exception.
        case infraFailure = "infra-failure"
        /// Replaced by a later push before its results came in.
        case superseded
    }

    /// The PR head it tests.
    public var head: String
    /// The digest of the PR's changes to the tree at that head (`DownstreamPullRequest.treeChanges`).
    public var treeChanges: String
    public var mode: AffectedTests.Mode
    public var reason: Reason
    public var status: Status
    /// The mozilla-central revision the try commit is built on, recorded before the push, so that
    /// a rebuild after a crash or a lost answer gives the same commit even if central moved.
    public var base: String?
    /// The try changeset, once pushed.
    public var revision: String?
    /// For a complete run: whether any test (in `infrastructure` mode: any infrastructure test) failed.
    public var failed: Bool
    /// How many times each task runs (`try_task_config.json`'s `rebuild`): set for a stability run
    /// (and its infrastructure retry), nil for a run of each task once.
    public var rebuild: Int?
    /// Its submission to Lando's try API (`[downstream] try_push = "lando"`), recorded before it is sent.
    public var lando: LandoTrySubmission?
    /// How many of its Lando try jobs ended FAILED: the first is sent again, the second waits for a person.
    public var landoFailures: Int?

    public init(head: String, treeChanges: String, mode: AffectedTests.Mode, reason: Reason,
                status: Status = .planned, revision: String? = nil, failed: Bool = false, base: String? = nil, rebuild: Int? = nil) {
        self.head = head; self.treeChanges = treeChanges; self.mode = mode; self.reason = reason
        self.status = status; self.revision = revision; self.failed = failed; self.base = base; self.rebuild = rebuild
    }

    /// Planned or running: its results are still to come.
    public var isPending: Bool { status == .planned || status == .running }

    /// A stability run: each task `rebuild` times.
    public var isStability: Bool { rebuild != nil }

    /// Planned and sent to Lando: Lando pushes it, and its revision comes from Lando's job.
    public var awaitsLando: Bool { status == .planned && revision == nil && lando != nil }
}

/// A try push sent to Lando's try API: when it was sent, and Lando's job once Lando answered.
public struct LandoTrySubmission: Sendable, Equatable, Codable {
    /// When it was sent: a lost answer is looked for on try for `lando_wait_seconds` from then.
    public var submittedAt: Date
    /// Lando's job id; nil while the answer is not known (lost, or a crash before it was recorded).
    public var job: Int?
    /// Why a person decides what comes next (the job was cancelled, failed twice, or its lost answer
    /// does not show on try): nothing is sent again until `wptsync retry-try`.
    public var stopped: String?

    /// A submission sent at `submittedAt`, with Lando's `job` once it answered.
    public init(submittedAt: Date, job: Int? = nil) { self.submittedAt = submittedAt; self.job = job }
}

/// The state of one upstream PR's downstream sync, as stored. The shell changes it only through
/// the methods below, after doing what a `DownstreamGoal` asked.
public struct DownstreamSync: Sendable, Equatable, Codable {
    public var pullRequest: Int
    public var bug: Int?
    public var component: BugComponent?
    /// Oldest first.
    public var tryPushes: [DownstreamTryPush]
    /// The milestones already commented on the bug (`DownstreamComment.key`), and needinfos asked.
    public var commented: Set<String>
    /// Whether wptsync resolved the bug INVALID (the PR was closed unmerged) and has not reopened it.
    public var bugResolved: Bool
    /// Whether the PR carries the blocked label wptsync put there.
    public var blockedLabel: Bool
    /// How many try pushes people asked for (`retry-try`); each is made once.
    public var requestedRetries: Int
    /// Something only a person can fix (a conflict applying the PR onto mozilla-central), for the
    /// PR's changes with this `treeChanges`; cleared by `continue downstream`.
    public var blocked: Blocked?
    /// The last error, shown by `show downstream`; rules do not depend on it.
    public var lastError: String?
    /// Passes that failed in a row, and when the periodic pass tries again (a delivery about the
    /// PR always does): a service that is down is not asked again at every poll.
    public var failures: Int?
    public var retryAt: Date?
    /// The PR's expectation metadata from its latest complete try run, landed with its import.
    public var metadata: DownstreamMetadata?
    /// A person said the PR lands with the metadata it has (`wptsync metadata <PR> --ready`): the
    /// landing does not wait for its try run.
    public var metadataReady: Bool?

    public struct Blocked: Sendable, Equatable, Codable {
        public var reason: String
        public var treeChanges: String
        public init(reason: String, treeChanges: String) { self.reason = reason; self.treeChanges = treeChanges }
    }

    public init(pullRequest: Int) {
        self.pullRequest = pullRequest; bug = nil; component = nil; tryPushes = []; commented = []
        bugResolved = false; blockedLabel = false; requestedRetries = 0; blocked = nil; lastError = nil
        failures = nil; retryAt = nil; metadata = nil; metadataReady = nil
    }

    /// Whether a landing carrying this PR should wait for its metadata: a try run of its changes
    /// is still to come and no person said it is ready. With `stability` (`[downstream] rebuild`),
    /// a complete run of the PR's tests not yet followed by its stability run counts as to come.
    public func awaitsMetadata(stability: Bool) -> Bool {
        guard metadataReady != true, let last = tryPushes.last else { return false }
        return last.isPending || stability && last.mode == .tests && !last.isStability && last.status == .complete
            && !hasStabilityRun(of: last)
    }

    /// Whether `run`'s changes already had a complete stability run.
    public func hasStabilityRun(of run: DownstreamTryPush) -> Bool {
        tryPushes.contains { $0.isStability && $0.status == .complete && $0.head == run.head && $0.treeChanges == run.treeChanges }
    }

    /// Records a failed pass at `now`: the periodic pass waits `backoff`'s delay before the next one.
    public mutating func failed(_ error: String, at now: Date, backoff: Backoff) {
        lastError = error
        failures = (failures ?? 0) + 1
        retryAt = now.addingTimeInterval(backoff.delay(afterAttempt: failures ?? 1))
    }

    /// Whether the periodic pass should look at this sync at `now`: its try run is going, or its last
    /// pass failed and the wait is over.
    public func isDue(at now: Date) -> Bool {
        if let retryAt, retryAt > now { return false }
        return tryPushes.last?.status == .running || tryPushes.last.map { $0.awaitsLando && $0.lando?.stopped == nil } == true || lastError != nil
    }

    /// The try pushes whose results make the metadata of the complete run at `index`: a stability run's
    /// with those of the last complete run of the same changes before it (its first results); any
    /// other run's alone.
    public func resultRevisions(ofRunAt index: Int) -> [String] {
        guard tryPushes.indices.contains(index), let revision = tryPushes[index].revision else { return [] }
        let run = tryPushes[index]
        guard run.isStability, let first = tryPushes[..<index].last(where: {
            $0.status == .complete && !$0.isStability && $0.head == run.head && $0.treeChanges == run.treeChanges
        })?.revision else { return [revision] }
        return [first, revision]
    }

    /// Records `push` as planned, unless it is the last push already (a rerun after a crash).
    public mutating func plan(_ push: DownstreamTryPush) {
        if tryPushes.last == push { return }
        tryPushes.append(push)
    }

    /// The planned push was made: it is now `revision`, running.
    public mutating func pushed(revision: String) {
        guard let last = tryPushes.indices.last, tryPushes[last].status == .planned else { return }
        tryPushes[last].status = .running
        tryPushes[last].revision = revision
    }

    /// The planned push's submission to Lando: recorded before it is sent, then with Lando's job;
    /// nil once Lando's job failed, so that it is sent again.
    public mutating func submittedToLando(_ submission: LandoTrySubmission?) {
        guard let last = tryPushes.indices.last, tryPushes[last].status == .planned else { return }
        tryPushes[last].lando = submission
    }

    /// The planned push's Lando submission stops: a person decides (`reason`), nothing is sent again.
    public mutating func stopLando(_ reason: String) {
        guard let last = tryPushes.indices.last, tryPushes[last].status == .planned, tryPushes[last].lando != nil else { return }
        tryPushes[last].lando?.stopped = reason
    }

    /// The planned push's Lando job ended FAILED: counted, and sent again.
    public mutating func landoJobFailed() {
        guard let last = tryPushes.indices.last, tryPushes[last].status == .planned else { return }
        tryPushes[last].landoFailures = (tryPushes[last].landoFailures ?? 0) + 1
        tryPushes[last].lando = nil
    }

    /// The results of the push `revision`: complete (with or without failures) or an infrastructure failure.
    public mutating func finished(revision: String, status: DownstreamTryPush.Status, failed: Bool = false) {
        guard let index = tryPushes.lastIndex(where: { $0.revision == revision }), tryPushes[index].status == .running else { return }
        tryPushes[index].status = status
        tryPushes[index].failed = failed
    }

    /// The pending push at `index` will not be waited for.
    public mutating func supersede(at index: Int) {
        guard tryPushes.indices.contains(index), tryPushes[index].isPending else { return }
        tryPushes[index].status = .superseded
    }
}
