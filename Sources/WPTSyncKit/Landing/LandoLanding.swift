import Foundation
import Remote
import RepoOps
import SyncCore

/// Lando's side of delivering commits built in a git landing clone (`[landing] lando_url`): one
/// job of `add-commit-base64` actions, followed on the branch. Shared by the wpt landing and
/// autoland, which each record the submission before it is sent and the job id once Lando answers.
struct LandoLanding {
    let settings: LandoSettings
    let client: LandoClient

    /// What a submission gave: Lando's job, or its answer lost (Lando may have taken the job).
    enum Submission {
        case job(LandoJob)
        case answerLost(String)
    }

    /// What following a job found.
    enum Outcome: Equatable {
        /// On the branch: the commits as Lando wrote them, oldest first.
        case landed([String])
        /// FAILED after the branch moved: to be built again on the new tip, as after a lost push race.
        case baseMoved(reason: String)
        /// FAILED otherwise or CANCELLED, or LANDED without the commits on the branch (`claimedLanded`).
        case stopped(reason: String, claimedLanded: Bool)
        /// Not final within `lando_wait_seconds`, or DEFERRED (a closed tree): the job's status.
        case waiting(String)
    }

    /// Sends `patches` (`GitLandingClone.patches`, read before the submission is recorded) as one job.
    func submit(_ patches: [[UInt8]]) throws -> Submission {
        do {
            return .job(try client.submit(repository: settings.repository, patches: patches))
        } catch {
            guard case .outcomeUnknown = error else { throw error }
            return .answerLost("submitting to Lando: \(error)")
        }
    }

    /// Follows job `id` (for at most `lando_wait_seconds`), then looks on the branch for the commits
    /// built as `nodes` on `base` (the last one carrying every line of `markers`).
    func follow(_ id: Int, nodes: [String], markers: [String], base: String?, clone: GitLandingClone, now: Date) throws -> Outcome {
        let job = try client.follow(id, deadline: now.addingTimeInterval(settings.waitSeconds), untilDeferred: true)
        switch job.status {
        case .landed, .failed, .cancelled:
            let tip = try clone.refresh()
            if let landed = try clone.landed(nodes, markers: markers, base: base ?? tip, tip: tip) { return .landed(landed) }
            let reason = "Lando job \(id) \(job.status.rawValue)" + (job.error.map { $0.isEmpty ? "" : ": \($0)" } ?? "")
            if job.status == .failed, tip != base { return .baseMoved(reason: reason) }
            return .stopped(reason: reason, claimedLanded: job.status == .landed)
        default:
            return .waiting("Lando job \(id) (\(job.status.rawValue)" + (job.error.map { $0.isEmpty ? ")" : ": \($0))" } ?? ")"))
        }
    }

    /// Whether a submission made at `submittedAt` whose answer was lost must not be sent again yet:
    /// Lando may have taken it, and `lando_wait_seconds` have not passed.
    func waitsForLostSubmission(job: Int?, submittedAt: Date?, now: Date) -> Bool {
        guard job == nil, let submittedAt else { return false }
        return now.timeIntervalSince(submittedAt) < settings.waitSeconds
    }

    /// The Lando client `[landing]` describes, or nil for a direct push.
    static func make(_ settings: LandingSettings, environment: [String: String], cancellation: Cancellation?) throws -> LandoLanding? {
        guard settings.push == .lando, let lando = settings.lando else { return nil }
        var client = LandoClient(url: lando.url, token: try GitHubSetup.token(lando.token, environment: environment),
                                 http: .cancellable(by: cancellation))
        client.pollInterval = .milliseconds(Int64(lando.pollSeconds * 1000))
        client.deferredInterval = client.pollInterval
        return LandoLanding(settings: lando, client: client)
    }
}
