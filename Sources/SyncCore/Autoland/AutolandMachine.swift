import Foundation

/// Where an autoland request stands.
public enum AutolandPhase: String, Sendable, Equatable, Codable, CaseIterable {
    /// Recorded from the try push; the requester's access is not checked yet.
    case requested
    /// The requester may land: the try run is watched, failed jobs retriggered.
    case watching
    /// To be landed on the target tree (deferred while it is closed).
    case landing
    /// A retrigger failed again (or the tree refused the push, or Lando did not land it): a sheriff lands or rejects it.
    case queued
    /// Approved (or passed, with `batch = true`): lands with the next batch (`batch_seconds`), in
    /// the order of `approvedAt`.
    case batched
    /// Final: landed; `landedNode` says where.
    case landed
    /// Final: no longer applies, or a sheriff rejected it.
    case rejected
    /// Final: the requester may not land, or the request could not be read.
    case refused

    public var isFinal: Bool { self == .landed || self == .rejected || self == .refused }
}

/// What the access check said about the requester.
public enum AccessVerdict: Sendable, Equatable {
    case granted
    case refused(reason: String)
    /// The directory could not be asked: fail closed, the request waits.
    case unavailable(reason: String)
}

/// The state of one request that the rules read and write.
public struct AutolandState: Sendable, Equatable, Codable {
    public var phase: AutolandPhase
    /// Clones issued per job label, so a job Treeherder does not list yet is not retriggered twice.
    public var retriggers: [String: Int]
    /// The retriggers that failed again (`queued`).
    public var failedJobs: [FailedJob]
    /// Why it was refused or rejected, or what it waits for.
    public var reason: String?
    public var landedNode: String?
    /// The tip built for the last push attempt, recorded before pushing: landed once the tree has it.
    public var attemptNode: String?
    /// When it was approved for a batch (`batched`): batches land in this order.
    public var approvedAt: Date?
    /// The landing submitted to Lando and not yet decided.
    public var lando: AutolandLandoSubmission?
    /// When the push attempts that have failed for a passing reason since the last other outcome
    /// began failing: past `push_failure_seconds`, the sheriffs are asked.
    public var pushFailingSince: Date?

    public init(phase: AutolandPhase = .requested, retriggers: [String: Int] = [:], failedJobs: [FailedJob] = [],
                reason: String? = nil, landedNode: String? = nil, attemptNode: String? = nil, approvedAt: Date? = nil) {
        self.phase = phase; self.retriggers = retriggers; self.failedJobs = failedJobs; self.reason = reason; self.landedNode = landedNode
        self.attemptNode = attemptNode; self.approvedAt = approvedAt
    }
}

/// What happened that the rules must take into account.
public enum AutolandInput: Sendable, Equatable {
    case access(AccessVerdict)
    /// The try push's jobs as Treeherder lists them now.
    case jobs([AutolandJob])
    /// The changesets were rebased onto the tree's tip as these commits, ending at `node`, about to be pushed.
    case built(node: String)
    /// The push did not go through (a lost race, a tree missing from the configuration): the request stays to be landed.
    case pushFailed(reason: String)
    /// The tree refused the push (a hook, a permission; anything but a lost race), with its text: a
    /// sheriff lands it again or rejects it.
    case pushRefused(reason: String)
    /// The push failed for a passing reason (unreachable, a lock): tried again at the next poll
    /// until pushes have failed for `push_failure_seconds`, then a sheriff lands it again or rejects it.
    case pushInterrupted(reason: String)
    /// Lando's job ended without landing (FAILED while the branch had not moved, or CANCELLED): a
    /// sheriff lands it again or rejects it.
    case landoStopped(reason: String)
    /// The built commits are about to be submitted to Lando (recorded first), or Lando answered with the job's id.
    case landoSubmitted(AutolandLandoSubmission)
    /// Lando has not landed the job yet (deferred, still running, or its answer was lost): what it waits for.
    case landoWaiting(reason: String)
    case landed(node: String)
    /// The changesets no longer apply to the target tree: these files conflict.
    case conflict(files: [String])
    /// The try repository no longer has these changesets to land.
    case stripped(nodes: [String])
    case treeClosed(reason: String)
    case sheriffLand(by: String)
    case sheriffReject(by: String, reason: String)
}

/// What the shell must do after a step. Each is safe to repeat (a retrigger's task id is derived
/// from the request, the label and the run).
public enum AutolandEffect: Sendable, Equatable {
    case retrigger([Retrigger])
    /// A Treeherder note on the failed jobs.
    case annotate([FailedJob], note: String)
    /// A comment on the request's bugs.
    case comment(String)
}

/// The outcome of one step: the new state, what to do, and why an input changed nothing.
public struct AutolandStep: Sendable, Equatable {
    public var state: AutolandState
    public var effects: [AutolandEffect]
    /// Set when the input does not apply to the phase (e.g. a sheriff landing a request not queued).
    public var ignored: String?

    public init(state: AutolandState, effects: [AutolandEffect], ignored: String? = nil) {
        self.state = state; self.effects = effects; self.ignored = ignored
    }
}

/// The autoland rules as one pure function: requested → (access) → watching → (jobs: retrigger
/// failed jobs `max_retriggers` times) → landing → landed | rejected (conflict), or queued
/// (a retrigger failed again, the tree refused the push, or a Lando job did not land) → landing | rejected (sheriff). With `batch_seconds`, an approved
/// request (and, with `batch = true`, a passed one) is `batched` instead of `landing`: it lands
/// with the next batch, which feeds it the same inputs. Final phases take no input.
public enum AutolandMachine {
    /// `time` is when `input` arrived: a batched request's approval time.
    public static func step(_ state: AutolandState, _ input: AutolandInput, tree: String,
                            settings: AutolandSettings, at time: Date) -> AutolandStep {
        var next = state
        func done(_ effects: [AutolandEffect] = []) -> AutolandStep {
            if next.phase != .landing, next.phase != .batched { next.pushFailingSince = nil }  // no push pending
            return AutolandStep(state: next, effects: effects)
        }
        func ignore() -> AutolandStep {
            AutolandStep(state: state, effects: [], ignored: "\(describe(input)) does not apply to a request that is \(state.phase.rawValue)")
        }
        switch (state.phase, input) {
        case (.requested, .access(.granted)):
            next.phase = .watching; next.reason = nil
            return done()
        case (.requested, .access(.refused(let reason))):
            next.phase = .refused; next.reason = reason
            return done([.comment("Autoland refused this request: \(reason).")])
        case (.requested, .access(.unavailable(let reason))):
            next.reason = "waiting for the access check: \(reason)"
            return done()
        case (.watching, .jobs(let jobs)):
            switch AutolandRun.verdict(jobs, issued: state.retriggers, settings) {
            case .waiting:
                return done()
            case .retrigger(let retriggers):
                for retrigger in retriggers { next.retriggers[retrigger.name, default: 0] += retrigger.count }
                return done([.retrigger(retriggers)])
            case .passed:
                next.phase = .landing; next.reason = nil
                if settings.isBatching, settings.batchPassed { next.phase = .batched; next.approvedAt = time }
                return done()
            case .failed(let failed):
                next.phase = .queued; next.failedJobs = failed
                next.reason = "\(failed.count) job(s) failed again after retrigger"
                let names = failed.map(\.name).joined(separator: ", ")
                return done([.annotate(failed, note: "autoland held this push for the sheriffs: failed again after retrigger"),
                             .comment("Autoland: \(names) failed again after retrigger; the request waits for a sheriff.")])
            }
        case (.landing, .built(let node)), (.batched, .built(let node)):
            next.attemptNode = node; next.lando = nil
            return done()
        case (.landing, .pushFailed(let reason)), (.batched, .pushFailed(let reason)):
            next.reason = "push to \(tree) failed: \(reason)"; next.lando = nil; next.pushFailingSince = nil
            return done()
        case (.landing, .pushInterrupted(let reason)), (.batched, .pushInterrupted(let reason)):
            return pushInterrupted(state, reason, tree: tree, settings: settings, at: time)
        case (.landing, .landoSubmitted(let submission)), (.batched, .landoSubmitted(let submission)):
            next.lando = submission; next.attemptNode = submission.nodes.last
            next.reason = submission.job.map { "submitted to Lando as job \($0)" } ?? "being submitted to Lando"
            return done()
        case (.landing, .landoWaiting(let reason)), (.batched, .landoWaiting(let reason)):
            next.reason = "waits for Lando: \(reason)"
            return done()
        case (.landing, .pushRefused(let reason)), (.batched, .pushRefused(let reason)):
            next.phase = .queued; next.failedJobs = []; next.lando = nil; next.attemptNode = nil
            next.reason = "\(tree) refused the push: \(reason)"
            return done([.comment("Autoland: \(tree) refused the push of this (\(reason)); the request waits for a sheriff, "
                                  + "who lands it again or rejects it.")])
        case (.landing, .landoStopped(let reason)), (.batched, .landoStopped(let reason)):
            next.phase = .queued; next.failedJobs = []; next.lando = nil; next.attemptNode = nil
            next.reason = "Lando did not land it: \(reason)"
            return done([.comment("Autoland: Lando did not land this on \(tree) (\(reason)); the request waits for a sheriff, "
                                  + "who lands it again or rejects it.")])
        case (.landing, .landed(let node)), (.batched, .landed(let node)):
            next.phase = .landed; next.landedNode = node; next.reason = nil; next.attemptNode = nil; next.lando = nil
            return done([.comment("Autoland landed this on \(tree) as \(node).")])
        case (.landing, .conflict(let files)), (.batched, .conflict(let files)):
            next.phase = .rejected
            next.reason = "no longer applies to \(tree): conflicts in \(files.joined(separator: ", "))"
            return done([.comment("Autoland could not land this: it no longer applies to \(tree) (conflicting files: \(files.joined(separator: ", "))).")])
        case (.landing, .stripped(let nodes)), (.batched, .stripped(let nodes)):
            let short = nodes.map { String($0.prefix(12)) }.joined(separator: ", ")
            next.phase = .rejected
            next.reason = "its changesets are no longer in the try repository: \(short)"
            return done([.comment("Autoland could not land this: the try repository no longer has its changesets (\(short)); "
                                  + "push them to try again with --autoland.")])
        case (.landing, .treeClosed(let reason)), (.batched, .treeClosed(let reason)):
            next.reason = "\(tree) is closed: \(reason)"; next.pushFailingSince = nil
            return done()
        case (.queued, .sheriffLand(let by)):
            next.phase = .landing; next.reason = nil
            guard settings.isBatching else { return done([.comment("A sheriff (\(by)) approved this autoland request: it lands on \(tree).")]) }
            next.phase = .batched; next.approvedAt = time
            return done([.comment("A sheriff (\(by)) approved this autoland request: it lands on \(tree) with the next batch.")])
        case (.queued, .sheriffReject(let by, let reason)):
            next.phase = .rejected; next.reason = "rejected by \(by): \(reason)"
            return done([.comment("A sheriff (\(by)) rejected this autoland request: \(reason)")])
        default:
            return ignore()
        }
    }

    /// A push failed for a passing reason: the request waits for the next poll, or, once pushes have
    /// failed since `push_failure_seconds` ago, for a sheriff with the last message. The time the
    /// failures began is kept as it was, so the same failure recorded again changes nothing; the
    /// attempt's node too, as the push may have reached the tree before the connection broke.
    static func pushInterrupted(_ state: AutolandState, _ reason: String, tree: String, settings: AutolandSettings, at time: Date) -> AutolandStep {
        var next = state
        let since = state.pushFailingSince ?? time
        next.pushFailingSince = since; next.lando = nil
        let until = since.addingTimeInterval(settings.pushFailureSeconds)
        guard time >= until else {
            next.reason = "push to \(tree) failed, tried again at the next poll (for a sheriff if pushes still fail after "
                + "\(until.ISO8601Format())): \(reason)"
            return AutolandStep(state: next, effects: [])
        }
        next.phase = .queued; next.failedJobs = []; next.pushFailingSince = nil
        next.reason = "pushes to \(tree) failed since \(since.ISO8601Format()): \(reason)"
        return AutolandStep(state: next, effects: [.comment("Autoland: pushes of this to \(tree) have failed since \(since.ISO8601Format()) (last: \(reason)); "
                                                            + "the request waits for a sheriff, who lands it again or rejects it.")])
    }

    static func describe(_ input: AutolandInput) -> String {
        switch input {
        case .access: "an access check"
        case .jobs: "a job list"
        case .built: "a built landing"
        case .pushFailed: "a failed push"
        case .pushRefused: "a refused push"
        case .pushInterrupted: "a push that failed for a passing reason"
        case .landoSubmitted: "a Lando submission"
        case .landoWaiting: "a Lando job not landed yet"
        case .landoStopped: "a Lando job that did not land"
        case .landed: "a landing"
        case .conflict: "a conflict"
        case .stripped: "changesets gone from try"
        case .treeClosed: "a closed tree"
        case .sheriffLand: "landing by a sheriff"
        case .sheriffReject: "rejection by a sheriff"
        }
    }
}
