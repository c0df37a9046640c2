import RepoOps
import SyncCore

extension LandingRunner {
    /// What delivering a built landing gave: lines for the log, or a new attempt on the integration
    /// repository's new tip (a lost push race, or a Lando job that failed because the base moved).
    enum Delivery {
        case done([String])
        case again(Landing)
    }

    /// Pushes the built landing to the integration repository, or submits it to Lando.
    func deliver(_ landing: Landing, from clone: any LandingWorkspace) throws -> Delivery {
        if let lando, let gitClone = clone as? GitLandingClone { return try submit(landing, to: lando, from: gitClone) }
        var landing = landing
        switch try clone.push(landing.landingNode ?? landing.geckoBase ?? "") {
        case .pushed, .nothingToPush:
            landing.status = .pushed
            landing.waitingFor = "mozilla-central"
            landing = try store.save(landing)
            return .done(["landing \(landing.id) pushed to \(settings.repository): \(LandingFormat.line(landing))"] + metadataNotes)
        case .lostRace(let message):
            landing.attempts += 1
            landing.lastError = redactor(message)
            return .again(try store.save(landing))
        case .refused(let output):
            // The same push would be refused again: said once, then a person decides.
            landing.status = .needsFixup
            landing.attempts += 1
            landing.lastError = "\(settings.repository) refused the push: \(redactor(output))"
            landing.waitingFor = "a person: \(settings.repository) refused the push; once it would accept it, `wptsync continue landing` pushes again"
            landing = try store.save(landing)
            return .done(["landing \(landing.id) needs-fixup: \(landing.lastError ?? "")"])
        case .failed(let output), .treeClosed(let output):
            // Unreachable, a lock, a closed tree: the periodic retry tries again.
            let message = redactor(output)
            landing.status = .deferred
            landing.attempts += 1
            landing.lastError = message
            landing.waitingFor = "another try (the push failed)"
            landing = try store.save(landing)
            return .done(["landing \(landing.id) deferred: push failed: \(message)"])
        }
    }

    /// After `max_push_attempts` lost races (or Lando jobs failed on a moved base), the landing waits for the periodic retry.
    func deferAfterLostRaces(_ current: Landing?) throws -> [String] {
        guard var landing = current else { return [] }
        landing.status = .deferred
        landing.waitingFor = "another try after \(settings.maxPushAttempts) lost push races"
        landing = try store.save(landing)
        return ["landing \(landing.id) deferred: \(settings.maxPushAttempts) lost push races"]
    }
}
