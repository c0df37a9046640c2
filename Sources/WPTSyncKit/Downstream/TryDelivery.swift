import Foundation
import Remote
import RepoOps
import SyncCore

/// How a built try commit reaches try (`[downstream] try_push`): pushed to the try repository, or
/// sent to Lando's try API, which pushes it.
protocol TryDelivery {
    /// Delivers `node`, the try commit of the planned push (the last of `sync.tryPushes`) built on
    /// `base`, and records on `sync` what it did; `save` stores the record before anything is sent.
    func deliver(_ node: String, base: String, sync: inout DownstreamSync, save: (DownstreamSync) throws -> Void) throws -> String
    /// Follows what an earlier delivery left going and records on `sync` what came of it.
    func follow(_ sync: inout DownstreamSync) throws -> [String]
}

/// Pushes the try commit to the try repository: a new head with Mercurial, the try branch with git.
struct DirectTryPush: TryDelivery {
    let clone: any TryWorkspace
    let url: String
    let branch: String

    func deliver(_ node: String, base: String, sync: inout DownstreamSync, save: (DownstreamSync) throws -> Void) throws -> String {
        switch try clone.pushToTry(node, url: url, branch: branch) {
        case .pushed, .nothingToPush:
            sync.pushed(revision: node)
            return "pushed \(node.prefix(12)) to try"
        case .lostRace(let message), .refused(let message), .treeClosed(let message), .failed(let message):
            throw DownstreamSyncError.tryPushRefused(message: message)
        }
    }

    func follow(_ sync: inout DownstreamSync) throws -> [String] { [] }
}

/// Sends the try commit to Lando's try API (`POST /api/try/patches`) as one `git format-patch`
/// patch on its mozilla-central base, and follows Lando's job until it pushed it: the try push is
/// then the commit Lando wrote (`commit_id`). The submission is recorded before it is sent and the
/// job id as soon as Lando answers, so it is sent once; an answer lost (a 5xx, a broken connection,
/// a crash before the job id was recorded) is looked for at try's tip for `lando_wait_seconds`, then
/// waits for a person. A FAILED job is sent again once, then waits for a person; a CANCELLED one waits.
struct LandoTryPush: TryDelivery {
    let client: LandoClient
    /// `repository` is Lando's name of the try repository (`repo_name`).
    let settings: LandoSettings
    let clone: any TryWorkspace
    /// Where a submission whose answer was lost is looked for.
    let tryRepository: String
    let tryBranch: String
    /// Applied to Lando's error text before it is stored on the sync or said.
    var redactor = Redactor.none
    var now: @Sendable () -> Date = { Date() }

    func deliver(_ node: String, base: String, sync: inout DownstreamSync, save: (DownstreamSync) throws -> Void) throws -> String {
        let patch = try clone.tryPatch(node)
        let submission = LandoTrySubmission(submittedAt: now())
        sync.submittedToLando(submission)
        try save(sync)
        let job: Int
        do {
            switch try LandoSubmission.send({ () throws(RemoteError) in
                try client.submitTry(repository: settings.repository, base: base, baseVCS: "git", patches: [patch])
            }) {
            case .job(let id): job = id
            // Lando may have taken a submission whose answer was lost: it is looked for before being sent again.
            case .answerLost(let reason): throw DownstreamSyncError.landoAnswerLost(reason: reason)
            }
        } catch let error as RemoteError {
            sync.submittedToLando(nil)
            throw error
        }
        sync.submittedToLando(LandoTrySubmission(submittedAt: submission.submittedAt, job: job))
        return "sent \(node.prefix(12)) to Lando's try API (\(settings.repository)): job \(job)"
    }

    func follow(_ sync: inout DownstreamSync) throws -> [String] {
        guard let push = sync.tryPushes.last, push.awaitsLando, let submission = push.lando, submission.stopped == nil,
              let base = push.base else { return [] }
        let prefix = "PR #\(sync.pullRequest): "
        func stop(_ reason: String) -> [String] {
            sync.stopLando(reason)
            return [prefix + "waits for a person: " + reason]
        }
        let retry = "`wptsync retry-try \(sync.pullRequest)`"
        guard let id = submission.job else {
            // Only try's tip on this push's base, never the commit of an earlier push of the same head.
            let markers = DownstreamSyncer.tryMessageLines(pullRequest: sync.pullRequest, push: push, attempt: sync.tryPushes.count)
            let earlier = Set(sync.tryPushes.dropLast().compactMap(\.revision))
            if let found = try clone.findOnTry(markers: markers, base: base, url: tryRepository, branch: tryBranch), !earlier.contains(found) {
                sync.pushed(revision: found)
                return [prefix + "Lando pushed \(found.prefix(12)) to try (its answer was lost)"]
            }
            guard !settings.looksForLostAnswer(submittedAt: submission.submittedAt, now: now()) else {
                return [prefix + "waits for try to show whether Lando took the try push (its answer was lost)"]
            }
            // Lando may still have it (a slow or deferred job, or a tip another job replaced): never a second run by itself.
            return stop("Lando's answer to the try submission was lost and try does not show the commit: check try, then \(retry)")
        }
        let job = try client.tryJob(id)
        // Redacted before it is cut, so that no part of a secret is left at the cut.
        let error = job.errorText.map { String(redactor($0).prefix(Self.errorLimit)) } ?? ""
        switch job.status {
        case .landed:
            guard let commit = job.commitID, Hex.isCommitID(commit) else {
                let shown = job.commitID.map { "\"\(Redactor.url(String($0.prefix(Self.errorLimit))))\"" } ?? "none"
                throw DownstreamSyncError.landoBadCommit(job: id, value: shown)
            }
            sync.pushed(revision: commit)
            return [prefix + "Lando job \(id) pushed \(commit.prefix(12)) to try"]
        case .cancelled:
            return stop("Lando try job \(id) was cancelled" + (error.isEmpty ? "" : " (\(error))") + "; \(retry) sends it again")
        case .failed where (push.landoFailures ?? 0) > 0:
            return stop("Lando try job \(id) failed again" + (error.isEmpty ? "" : ": \(error)") + "; \(retry) sends it again")
        case .failed:
            sync.landoJobFailed()
            throw DownstreamSyncError.landoTryJob(job: id, status: job.status.rawValue, error: error)
        default:
            return [prefix + "Lando try job \(id) is \(job.status.rawValue)" + (error.isEmpty ? "" : ": \(error)")]
        }
    }

    /// How much of Lando's error text (or of a bad `commit_id`) a message keeps.
    static let errorLimit = 500

    /// The Lando try push `[downstream]` asks for, or nil for a direct push.
    static func make(_ settings: DownstreamSettings, clone: any TryWorkspace, tryBranch: String,
                     environment: [String: String], http: HTTPClient, redactor: Redactor) throws -> LandoTryPush? {
        guard settings.tryPush == .lando, let lando = settings.lando else { return nil }
        return LandoTryPush(client: try lando.client(environment: environment, http: http), settings: lando, clone: clone,
                            tryRepository: settings.tryRepository, tryBranch: tryBranch, redactor: redactor)
    }
}
