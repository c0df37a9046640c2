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
        case .lostRace(let message), .failed(let message):
            throw DownstreamSyncError.tryPushRefused(message: message)
        }
    }

    func follow(_ sync: inout DownstreamSync) throws -> [String] { [] }
}

/// Sends the try commit to Lando's try API (`POST /api/try/patches`) as one `git format-patch`
/// patch on its mozilla-central base, and follows Lando's job until it pushed it: the try push is
/// then the commit Lando wrote (`commit_id`). The submission is recorded before it is sent and the
/// job id as soon as Lando answers, so it is sent once; an answer lost (a 5xx, a broken connection,
/// a crash before the job id was recorded) waits until the commit shows on the try repository, or
/// for `lando_wait_seconds`, before the patch is sent again.
struct LandoTryPush: TryDelivery {
    let client: LandoClient
    /// `repository` is Lando's name of the try repository (`repo_name`).
    let settings: LandoSettings
    let clone: any TryWorkspace
    /// Where a submission whose answer was lost is looked for.
    let tryRepository: String
    let tryBranch: String
    var now: @Sendable () -> Date = { Date() }

    func deliver(_ node: String, base: String, sync: inout DownstreamSync, save: (DownstreamSync) throws -> Void) throws -> String {
        let patch = try clone.tryPatch(node)
        let submission = LandoTrySubmission(submittedAt: now())
        sync.submittedToLando(submission)
        try save(sync)
        let job: Int
        do {
            job = try client.submitTry(repository: settings.repository, base: base, baseVCS: "git", patches: [patch])
        } catch {
            // Lando may have taken a submission whose answer was lost: it is looked for before being sent again.
            if case .outcomeUnknown = error { throw DownstreamSyncError.landoAnswerLost(reason: "\(error)") }
            sync.submittedToLando(nil)
            throw error
        }
        sync.submittedToLando(LandoTrySubmission(submittedAt: submission.submittedAt, job: job))
        return "sent \(node.prefix(12)) to Lando's try API (\(settings.repository)): job \(job)"
    }

    func follow(_ sync: inout DownstreamSync) throws -> [String] {
        guard let push = sync.tryPushes.last, push.awaitsLando, let submission = push.lando, let base = push.base else { return [] }
        let prefix = "PR #\(sync.pullRequest): "
        guard let id = submission.job else {
            let markers = DownstreamSyncer.tryMessageLines(pullRequest: sync.pullRequest, push: push)
            if let found = try clone.findOnTry(markers: markers, base: base, url: tryRepository, branch: tryBranch) {
                sync.pushed(revision: found)
                return [prefix + "Lando pushed \(found.prefix(12)) to try (its answer was lost)"]
            }
            guard now().timeIntervalSince(submission.submittedAt) >= settings.waitSeconds else {
                return [prefix + "waits for try to show whether Lando took the try push (its answer was lost)"]
            }
            sync.submittedToLando(nil)
            return [prefix + "Lando did not push the try commit within \(Int(settings.waitSeconds)) s: it is sent again"]
        }
        let job = try client.tryJob(id)
        switch job.status {
        case .landed:
            guard let commit = job.commitID, !commit.isEmpty else { throw DownstreamSyncError.landoTryJob(job: id, status: job.status.rawValue, error: "no commit_id") }
            sync.pushed(revision: commit)
            return [prefix + "Lando job \(id) pushed \(commit.prefix(12)) to try"]
        case .failed, .cancelled:
            sync.submittedToLando(nil)
            throw DownstreamSyncError.landoTryJob(job: id, status: job.status.rawValue, error: job.error ?? "")
        default:
            return [prefix + "Lando try job \(id) is \(job.status.rawValue)" + (job.error.map { $0.isEmpty ? "" : ": \($0)" } ?? "")]
        }
    }

    /// The Lando try push `[downstream]` asks for, or nil for a direct push.
    static func make(_ settings: DownstreamSettings, clone: any TryWorkspace, tryBranch: String,
                     environment: [String: String], http: HTTPClient) throws -> LandoTryPush? {
        guard settings.tryPush == .lando, let lando = settings.lando else { return nil }
        let client = LandoClient(url: lando.url, token: try GitHubSetup.token(lando.token, environment: environment), http: http)
        return LandoTryPush(client: client, settings: lando, clone: clone, tryRepository: settings.tryRepository, tryBranch: tryBranch)
    }
}
