import Foundation

/// Why a downstream sync could not go on.
enum DownstreamSyncError: Error, CustomStringConvertible {
    case noProgress(pullRequest: Int)
    case noBug(pullRequest: Int)
    case tryPushRefused(message: String)
    /// Lando's try job ended without pushing.
    case landoTryJob(job: Int, status: String, error: String)
    /// Lando's try job says it landed, with a `commit_id` (redacted, shortened) that is not a git commit id.
    case landoBadCommit(job: Int, value: String)
    /// Lando's answer to a try submission was lost: it may have taken it.
    case landoAnswerLost(reason: String)
    /// A web-platform-tests task's `wptreport.json` is missing or not a report.
    case unreadableReport(revision: String, taskID: String, label: String, reason: String)
    /// A step of the sync of `pullRequest` failed.
    case step(pullRequest: Int, doing: String, reason: String)
    /// The configuration lacks what downstreaming needs.
    case notConfigured(String)
    case noSync(pullRequest: Int)

    var description: String {
        switch self {
        case .noProgress(let pr): "the downstream sync of PR #\(pr) did not settle after 20 steps"
        case .noBug(let pr): "the downstream sync of PR #\(pr) has no bug yet"
        case .notConfigured(let what): "downstreaming is not configured: \(what)"
        case .noSync(let pr): "no downstream sync for PR #\(pr) (see `wptsync downstreams`)"
        case .tryPushRefused(let message): "the try repository refused the push: \(message)"
        case let .landoTryJob(job, status, error): "Lando try job \(job) is \(status)" + (error.isEmpty ? "" : ": \(error)") + "; the try push is sent again"
        case let .landoBadCommit(job, value): "Lando try job \(job) landed with commit_id \(value), which is not a git commit id; the job is read again at the next pass"
        case .landoAnswerLost(let reason): "Lando's answer to the try submission was lost (\(reason)); try's tip is looked at for the commit"
        case let .unreadableReport(revision, taskID, label, reason):
            "the wptreport.json of task \(taskID) (\(label)) of try push \(revision.prefix(12)) cannot be read: \(reason)"
        case let .step(pr, doing, reason): "PR #\(pr): \(doing): \(reason)"
        }
    }
}
