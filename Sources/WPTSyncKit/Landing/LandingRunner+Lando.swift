import Foundation
import Remote
import RepoOps
import SyncCore

/// Lando's side of a landing (`[landing] push = "lando"`): its settings and the client.
struct LandoLanding {
    let settings: LandoSettings
    let client: LandoClient
}

extension LandingRunner {
    /// Submits the built landing to Lando as one job of `add-commit-base64` actions, recording the
    /// submission before it is sent and the job id as soon as Lando answers, then follows the job.
    func submit(_ landing: Landing, to lando: LandoLanding, from clone: GitLandingClone) throws -> Delivery {
        var landing = landing
        let patches = try clone.patches(landing.nodes)
        landing.landoSubmittedAt = Int64(now().timeIntervalSince1970)
        landing.waitingFor = "Lando to take the job"
        landing = try store.save(landing)
        let job: LandoJob
        do {
            job = try lando.client.submit(repository: lando.settings.repository, patches: patches)
        } catch {
            guard case .outcomeUnknown = error else { throw error }
            return .done(try deferForLostAnswer(landing, error: redactor("submitting to Lando: \(error)"), lando: lando))
        }
        landing.landoJob = job.id
        landing.waitingFor = "Lando job \(job.id) (\(job.status.rawValue))"
        landing = try store.save(landing)
        return try follow(landing, job: job.id, on: lando, clone: clone)
    }

    /// Lando may have taken the job whose answer was lost (an error, or a crash before the job id was
    /// saved): the landing is deferred until the branch says, or `lando_wait_seconds` pass.
    func deferForLostAnswer(_ landing: Landing, error: String?, lando: LandoLanding) throws -> [String] {
        var landing = landing
        let waitingFor = "the branch to show whether Lando took the job (its answer was lost); submitted again only after \(Int(lando.settings.waitSeconds)) s"
        if landing.status != .deferred || landing.waitingFor != waitingFor || landing.lastError != error {
            landing.status = .deferred
            landing.lastError = error
            landing.waitingFor = waitingFor
            landing = try store.save(landing)
        }
        return ["landing \(landing.id) deferred: waiting for \(landing.waitingFor ?? "Lando")"]
    }

    /// Follows a submitted job (for at most `lando_wait_seconds`): LANDED marks the landing pushed
    /// with the commits as Lando wrote them; DEFERRED (a closed tree) defers it, and the next run
    /// follows the same job; FAILED after the branch moved is built again on the new tip, as a lost
    /// push race is; any other failure or a cancellation waits for a person.
    func follow(_ landing: Landing, job id: Int, on lando: LandoLanding, clone: GitLandingClone) throws -> Delivery {
        var landing = landing
        let job = try lando.client.follow(id, deadline: now().addingTimeInterval(lando.settings.waitSeconds), untilDeferred: true)
        switch job.status {
        case .landed, .failed, .cancelled:
            let tip = try clone.refresh()
            if let nodes = try clone.landed(landing.nodes, markers: landing.landingCommitMarkers, base: landing.geckoBase ?? tip, tip: tip) {
                landing.status = .pushed
                landing.nodes = nodes
                landing.waitingFor = "mozilla-central"
                landing.lastError = nil
                landing = try store.save(landing)
                return .done(["landing \(landing.id) landed by Lando job \(id) on \(settings.repository): \(LandingFormat.line(landing))"] + metadataNotes)
            }
            let reason = redactor("Lando job \(id) \(job.status.rawValue)" + (job.error.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))
            landing.landoJob = nil
            landing.landoSubmittedAt = nil
            landing.lastError = reason
            landing.attempts += 1
            if job.status == .failed, tip != landing.geckoBase {
                landing = try store.save(landing)
                return .again(landing)
            }
            landing.status = .needsFixup
            landing.waitingFor = job.status == .landed
                ? "a person: Lando says job \(id) landed, but its landing commit is not on the branch"
                : "a person to look at Lando job \(id), then `wptsync continue landing`"
            landing = try store.save(landing)
            return .done(["landing \(landing.id) needs-fixup: \(reason)"])
        default:
            landing.status = .deferred
            landing.waitingFor = "Lando job \(id) (\(job.status.rawValue)" + (job.error.map { $0.isEmpty ? ")" : ": \($0))" } ?? ")")
            landing = try store.save(landing)
            return .done(["landing \(landing.id) deferred: waiting for \(redactor(landing.waitingFor ?? ""))"])
        }
    }

    /// A landing submitted whose answer was lost, not yet on the branch: submitting it again waits
    /// `lando_wait_seconds` after the submission, in case Lando took it. Even then a second job cannot
    /// land twice: its sync-point patch no longer applies once the first landed.
    func waitsForLostSubmission(_ landing: Landing, lando: LandoLanding) -> Bool {
        guard landing.landoJob == nil, let at = landing.landoSubmittedAt else { return false }
        return now().timeIntervalSince1970 < Double(at) + lando.settings.waitSeconds
    }

    /// The Lando client `[landing]` describes, or nil for a direct push.
    static func lando(_ settings: LandingSettings, environment: [String: String], cancellation: Cancellation?) throws -> LandoLanding? {
        guard settings.push == .lando, let lando = settings.lando else { return nil }
        var client = LandoClient(url: lando.url, token: try GitHubSetup.token(lando.token, environment: environment),
                                 http: .cancellable(by: cancellation))
        client.pollInterval = .milliseconds(Int64(lando.pollSeconds * 1000))
        client.deferredInterval = client.pollInterval
        return LandoLanding(settings: lando, client: client)
    }
}
