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
    /// sent and the job id once Lando answers; the next poll reads the job.
    func submit(_ nodes: [String], base: String, lando: (lando: LandoLanding, clone: GitLandingClone),
                record: (AutolandInput) throws -> Void) throws -> LandingAttempt {
        try submit([nodes], base: base, lando: lando) { _, input in try record(input) }.first ?? .alreadyLanded(node: base)
    }

    /// Submits the commits of `parts` (each request's own, built on `base` one after the other) as
    /// one Lando job. Part `i`'s submission (every commit up to its own last one, recognised on the
    /// branch by their messages, order and changes) goes to `record(i, _)` before the job is sent and
    /// again with the job id once Lando answers; every part then waits for the job, which the next
    /// poll reads.
    func submit(_ parts: [[String]], base: String, lando: (lando: LandoLanding, clone: GitLandingClone),
                record: (Int, AutolandInput) throws -> Void) throws -> [LandingAttempt] {
        let all = parts.flatMap { $0 }
        let patches = try lando.clone.patches(all)
        var submissions: [AutolandLandoSubmission] = []
        var count = 0
        for part in parts {
            count += part.count
            let message = try part.last.map { String(decoding: try lando.clone.gecko.changeset($0).description, as: UTF8.self) } ?? ""
            submissions.append(AutolandLandoSubmission(submittedAt: now(), base: base, nodes: Array(all.prefix(count)),
                                                       markers: AutolandLandoSubmission.markers(of: message)))
        }
        for (index, submission) in submissions.enumerated() { try record(index, .landoSubmitted(submission)) }
        switch try lando.lando.submit(patches) {
        case .answerLost(let error):
            return parts.map { _ in .landoWaiting(reason: redactor(error) + "; " + Self.lostAnswerWait(lando.lando)) }
        case .job(let job):
            for index in submissions.indices {
                submissions[index].job = job.id
                try record(index, .landoSubmitted(submissions[index]))
            }
            return parts.map { _ in .landoWaiting(reason: redactor(LandoLanding.status(job))) }
        }
    }

    /// Reads each job once per pass while it waits: a batch's requests share one job.
    struct Followed {
        var waiting: [Int: LandingAttempt] = [:]

        mutating func callAsFunction(_ submission: AutolandLandoSubmission, _ follow: (AutolandLandoSubmission) throws -> LandingAttempt?) rethrows -> LandingAttempt? {
            if let job = submission.job, let attempt = waiting[job] { return attempt }
            let attempt = try follow(submission)
            if let job = submission.job, case .landoWaiting? = attempt { waiting[job] = attempt }
            return attempt
        }
    }

    /// What a submission already made gives: the job read once (landed, failed on a moved base:
    /// rebuilt, stopped: for a sheriff, still waiting); without a job id (the answer was lost), the landing found
    /// on the branch, or a wait of `lando_wait_seconds`; nil once it may be submitted again.
    func follow(_ submission: AutolandLandoSubmission, lando: (lando: LandoLanding, clone: GitLandingClone), tip: String) throws -> LandingAttempt? {
        guard let job = submission.job else {
            if let landed = try lando.clone.landed(submission.nodes, markers: submission.markers, base: submission.base, tip: tip), let node = landed.last {
                return .pushed(node: node)
            }
            guard lando.lando.waitsForLostSubmission(job: nil, submittedAt: submission.submittedAt, now: now()) else { return nil }
            return .landoWaiting(reason: Self.lostAnswerWait(lando.lando))
        }
        switch try lando.lando.check(job, nodes: submission.nodes, markers: submission.markers, base: submission.base, clone: lando.clone) {
        case .landed(let nodes): return .pushed(node: nodes.last ?? tip)
        case .baseMoved(let reason): return .lostRace(message: redactor(reason))
        case .stopped(let reason, _): return .landoStopped(reason: redactor(reason))
        case .waiting(let status): return .landoWaiting(reason: redactor(status))
        }
    }

    static func lostAnswerWait(_ lando: LandoLanding) -> String {
        "the branch to show whether Lando took the job (its answer was lost); submitted again only after \(Int(lando.settings.waitSeconds)) s"
    }
}
