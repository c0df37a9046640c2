import Foundation
import Remote
import RepoOps
import Synchronization
import SyncCore

/// Lando's side of delivering commits built in a git landing clone (`[landing] lando_url`): one
/// job of `add-commit-base64` actions, then the job read once per pass (never waited for: a worker
/// is never held by Lando) and the landing looked for on the branch. Shared by the wpt landing and
/// autoland, which each record the submission before it is sent and the job id once Lando answers.
struct LandoLanding {
    let settings: LandoSettings
    let client: LandoClient
    /// Whether the last pass left a job (or a lost answer) waiting, shared by copies of this value.
    let following = FollowUp()

    final class FollowUp: Sendable {
        let waiting = Atomic<Bool>(false)
    }

    /// What a submission gave: Lando's job, or its answer lost (Lando may have taken the job).
    typealias Submission = LandoSubmission<LandoJob>

    /// What reading a job found.
    enum Outcome: Equatable {
        /// On the branch: the commits as Lando wrote them, oldest first.
        case landed([String])
        /// FAILED after the branch moved: to be built again on the new tip, as after a lost push race.
        case baseMoved(reason: String)
        /// FAILED otherwise or CANCELLED, or LANDED without the commits on the branch (`claimedLanded`).
        case stopped(reason: String, claimedLanded: Bool)
        /// Not finished yet (SUBMITTED, IN_PROGRESS, or DEFERRED: a closed tree): the job's status.
        case waiting(String)
    }

    /// Sends `patches` (`GitLandingClone.patches`, read before the submission is recorded) as one job.
    func submit(_ patches: [[UInt8]]) throws -> Submission {
        markWaiting()
        switch try Submission.send({ () throws(RemoteError) in try client.submit(repository: settings.repository, patches: patches) }) {
        case .job(let job): return .job(job)
        case .answerLost(let error): return .answerLost("submitting to Lando: " + error)
        }
    }

    /// Reads job `id` once, never waiting for it (the next pass reads it again while Lando has not
    /// finished it); a finished job is then looked for on the branch: the commits built as `nodes` on
    /// `base`, the last one carrying every line of `markers`.
    func check(_ id: Int, nodes: [String], markers: [String], base: String?, clone: GitLandingClone) throws -> Outcome {
        let job = try client.job(id)
        if !job.status.isFinal { markWaiting() }
        switch job.status {
        case .landed, .failed, .cancelled:
            let tip = try clone.refresh()
            if let landed = try clone.landed(nodes, markers: markers, base: base ?? tip, tip: tip) { return .landed(landed) }
            let reason = "Lando job \(id) \(job.status.rawValue)" + (job.errorText.map { ": " + $0 } ?? "")
            if job.status == .failed, tip != base { return .baseMoved(reason: reason) }
            return .stopped(reason: reason, claimedLanded: job.status == .landed)
        default:
            return .waiting(Self.status(job))
        }
    }

    /// How a job not finished yet is named while it is waited for, e.g. `Lando job 3 (DEFERRED: tree closed)`.
    static func status(_ job: LandoJob) -> String {
        "Lando job \(job.id) (\(job.status.rawValue)" + (job.errorText.map { ": " + $0 } ?? "") + ")"
    }

    /// Whether a submission made at `submittedAt` whose answer was lost must not be sent again yet:
    /// Lando may have taken it, and `lando_wait_seconds` have not passed.
    func waitsForLostSubmission(job: Int?, submittedAt: Date?, now: Date) -> Bool {
        guard job == nil, let submittedAt else { return false }
        let waits = settings.looksForLostAnswer(submittedAt: submittedAt, now: now)
        if waits { markWaiting() }
        return waits
    }

    /// Starts a pass over the submitted jobs: none is known to wait yet.
    func beginPass() { following.waiting.store(false, ordering: .relaxed) }

    private func markWaiting() { following.waiting.store(true, ordering: .relaxed) }

    /// How often a periodic task whose own interval is `interval` runs: every `lando_poll_seconds`
    /// while its last pass left a Lando job waiting, so that a landed job is seen soon.
    func interval(_ interval: Double) -> Double {
        following.waiting.load(ordering: .relaxed) ? min(interval, settings.pollSeconds) : interval
    }

    /// The Lando client `[landing]` describes, or nil for a direct push.
    static func make(_ settings: LandingSettings, environment: [String: String], cancellation: Cancellation?) throws -> LandoLanding? {
        guard settings.push == .lando, let lando = settings.lando else { return nil }
        return LandoLanding(settings: lando, client: try lando.client(environment: environment, http: .cancellable(by: cancellation)))
    }
}
