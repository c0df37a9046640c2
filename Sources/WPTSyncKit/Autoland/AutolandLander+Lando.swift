import Foundation
import RepoOps
import SyncCore

extension AutolandLander {
    /// Lando, when `tree` is the git tree `[landing]` submits to Lando.
    func landoFor(_ tree: String, _ clone: any LandingWorkspace) -> (lando: LandoLanding, clone: GitLandingClone)? {
        guard let lando, lando.tree == tree, let git = clone as? GitLandingClone else { return nil }
        return (lando.lando, git)
    }

    /// Submits the commits built on `base` as one Lando job, recording the submission before it is
    /// sent and the job id once Lando answers, then follows the job.
    func submit(_ nodes: [String], base: String, lando: (lando: LandoLanding, clone: GitLandingClone),
                record: (AutolandInput) throws -> Void) throws -> LandingAttempt {
        let message = try nodes.last.map { String(decoding: try lando.clone.gecko.changeset($0).description, as: UTF8.self) } ?? ""
        let patches = try lando.clone.patches(nodes)
        var submission = AutolandLandoSubmission(submittedAt: now(), base: base, nodes: nodes, markers: AutolandLandoSubmission.markers(of: message))
        try record(.landoSubmitted(submission))
        switch try lando.lando.submit(patches) {
        case .answerLost(let error):
            return .landoWaiting(reason: redactor(error) + "; " + Self.lostAnswerWait(lando.lando))
        case .job(let job):
            submission.job = job.id
            try record(.landoSubmitted(submission))
            return try follow(submission, lando: lando, tip: base) ?? .landoWaiting(reason: "Lando job \(job.id)")
        }
    }

    /// What a submission already made gives: the job followed (landed, failed on a moved base:
    /// rebuilt, stopped, still waiting); without a job id (the answer was lost), the landing found
    /// on the branch, or a wait of `lando_wait_seconds`; nil once it may be submitted again.
    func follow(_ submission: AutolandLandoSubmission, lando: (lando: LandoLanding, clone: GitLandingClone), tip: String) throws -> LandingAttempt? {
        guard let job = submission.job else {
            if let landed = try lando.clone.landed(submission.nodes, markers: submission.markers, base: submission.base, tip: tip), let node = landed.last {
                return .pushed(node: node)
            }
            guard lando.lando.waitsForLostSubmission(job: nil, submittedAt: submission.submittedAt, now: now()) else { return nil }
            return .landoWaiting(reason: Self.lostAnswerWait(lando.lando))
        }
        switch try lando.lando.follow(job, nodes: submission.nodes, markers: submission.markers, base: submission.base, clone: lando.clone, now: now()) {
        case .landed(let nodes): return .pushed(node: nodes.last ?? tip)
        case .baseMoved(let reason): return .lostRace(message: redactor(reason))
        case .stopped(let reason, _): return .pushFailed(message: redactor(reason))
        case .waiting(let status): return .landoWaiting(reason: redactor(status))
        }
    }

    static func lostAnswerWait(_ lando: LandoLanding) -> String {
        "the branch to show whether Lando took the job (its answer was lost); submitted again only after \(Int(lando.settings.waitSeconds)) s"
    }
}
