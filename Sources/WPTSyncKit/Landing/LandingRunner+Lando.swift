import Foundation
import Remote
import RepoOps
import SyncCore

extension LandingRunner {
    /// Submits the built landing to Lando as one job of `add-commit-base64` actions, recording the
    /// submission before it is sent and the job id as soon as Lando answers. The landing is then
    /// deferred: the next pass (`landing-retry`) reads the job.
    func submit(_ landing: Landing, to lando: LandoLanding, from clone: GitLandingClone) throws -> Delivery {
        var landing = landing
        let patches = try clone.patches(landing.nodes)
        landing.landoSubmittedAt = Int64(now().timeIntervalSince1970)
        landing.waitingFor = "Lando to take the job"
        landing = try store.save(landing)
        switch try lando.submit(patches) {
        case .answerLost(let error):
            return .done(try deferForLostAnswer(landing, error: redactor(error), lando: lando) + metadataNotes)
        case .job(let job):
            landing.landoJob = job.id
            // What this build said about metadata is said now: the pass that reads the job builds nothing.
            return .done(try waiting(landing, for: LandoLanding.status(job)) + metadataNotes)
        }
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

    /// Reads a submitted job once: LANDED marks the landing pushed with the commits as Lando wrote
    /// them; not finished (submitted, in progress, or DEFERRED by a closed tree) defers it, and the
    /// next run reads the same job again; FAILED
    /// after the branch moved is built again on the new tip, as a lost push race is; any other
    /// failure or a cancellation waits for a person.
    func follow(_ landing: Landing, job id: Int, on lando: LandoLanding, clone: GitLandingClone) throws -> Delivery {
        var landing = landing
        switch try lando.check(id, nodes: landing.nodes, markers: landing.landingCommitMarkers, base: landing.geckoBase, clone: clone) {
        case .landed(let nodes):
            landing.status = .pushed
            landing.nodes = nodes
            landing.waitingFor = "mozilla-central"
            landing.lastError = nil
            landing = try store.save(landing)
            return .done(["landing \(landing.id) landed by Lando job \(id) on \(settings.repository): \(LandingFormat.line(landing))"] + metadataNotes)
        case .baseMoved(let reason):
            return .again(try store.save(failed(landing, reason)))
        case .stopped(let reason, let claimedLanded):
            landing = failed(landing, reason)
            landing.status = .needsFixup
            landing.waitingFor = claimedLanded
                ? "a person: Lando says job \(id) landed, but its landing commit is not on the branch"
                : "a person to look at Lando job \(id), then `wptsync continue landing`"
            landing = try store.save(landing)
            return .done(["landing \(landing.id) needs-fixup: \(landing.lastError ?? "")"])
        case .waiting(let status):
            return .done(try waiting(landing, for: status))
        }
    }

    /// `landing` deferred while Lando has job `status` (e.g. `Lando job 3 (SUBMITTED)`) to finish.
    private func waiting(_ landing: Landing, for status: String) throws -> [String] {
        var landing = landing
        landing.status = .deferred
        landing.waitingFor = status
        landing = try store.save(landing)
        return ["landing \(landing.id) deferred: waiting for \(redactor(status))"]
    }

    /// `landing` after its job failed: no job, the reason recorded, one attempt more.
    private func failed(_ landing: Landing, _ reason: String) -> Landing {
        var landing = landing
        landing.landoJob = nil
        landing.landoSubmittedAt = nil
        landing.lastError = redactor(reason)
        landing.attempts += 1
        return landing
    }

    /// A landing submitted whose answer was lost, not yet on the branch: submitting it again waits
    /// `lando_wait_seconds` after the submission, in case Lando took it. Even then a second job cannot
    /// land twice: its sync-point patch no longer applies once the first landed.
    func waitsForLostSubmission(_ landing: Landing, lando: LandoLanding) -> Bool {
        lando.waitsForLostSubmission(job: landing.landoJob, submittedAt: landing.landoSubmittedAt.map { Date(timeIntervalSince1970: Double($0)) },
                                     now: now())
    }
}
