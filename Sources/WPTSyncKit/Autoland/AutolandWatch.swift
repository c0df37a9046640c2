import Foundation
import Remote
import SyncCore

/// The try run of a request, through Treeherder (its push and jobs) and Taskcluster (retriggers).
struct AutolandWatch {
    let treeherder: TreeherderClient
    let taskcluster: TaskclusterClient
    /// Applied to what is kept on a request's record.
    var redactor = Redactor.none

    /// `cancellation` ends its requests and their retry waits (a stopping worker never waits for
    /// Treeherder or Taskcluster).
    static func make(_ settings: AutolandSettings, redactor: Redactor, environment: [String: String],
                     cancellation: Cancellation? = nil) throws -> AutolandWatch? {
        guard let treeherderURL = settings.treeherderURL, let taskclusterURL = settings.taskclusterURL else { return nil }
        let token = try settings.taskclusterToken.map { try GitHubSetup.token($0, environment: environment) }
        return AutolandWatch(treeherder: TreeherderClient(baseURL: treeherderURL, http: .cancellable(by: cancellation),
                                                          session: try session(settings, environment: environment)),
                             taskcluster: TaskclusterClient(rootURL: taskclusterURL, token: token, http: .cancellable(by: cancellation)),
                             redactor: redactor)
    }

    /// Treeherder's sign-in tokens, or nil when none are configured.
    static func credentials(_ settings: AutolandSettings, environment: [String: String]) throws -> TreeherderCredentials? {
        try session(settings, environment: environment)?.credentials()
    }

    /// The session notes are added in, or nil when no tokens are configured: token files are read
    /// now (a missing one fails here) and again at each sign-in; tokens from the environment stay as read.
    static func session(_ settings: AutolandSettings, environment: [String: String]) throws -> TreeherderSession? {
        guard let access = settings.treeherderAccessToken, let id = settings.treeherderIDToken else { return nil }
        let (readAccess, readID) = (try GitHubSetup.reader(access, environment: environment), try GitHubSetup.reader(id, environment: environment))
        return TreeherderSession { () throws(RemoteError) in TreeherderCredentials(accessToken: try readAccess(), idToken: try readID()) }
    }

    /// The jobs of `request`'s push (Treeherder's project is the try repository's name); none while
    /// Treeherder has no push for its tip yet.
    func jobs(_ request: AutolandRequest) throws -> [AutolandJob] {
        guard let push = try treeherder.push(repository: request.repository, revision: request.tip) else { return [] }
        return try treeherder.jobs(pushID: push.id).map {
            AutolandJob(id: $0.id, name: $0.jobTypeName, state: $0.state, result: $0.result, taskID: $0.taskID, tier: $0.tier)
        }
    }

    /// Clones the failed task `count` times, as retriggers `issued..<issued+count` of its label;
    /// a clone the queue already has (409) was made by an earlier attempt.
    func retrigger(_ retrigger: Retrigger, issued: Int, request: AutolandRequest) throws -> [String] {
        try (issued..<issued + retrigger.count).map { index in
            let id = AutolandRun.retriggerTaskID(request: request.id, tip: request.tip, label: retrigger.name, index: index)
            do { return try taskcluster.retrigger(retrigger.taskID, as: id) } catch let error as RemoteError where error.httpStatus == 409 { return id }
        }
    }

    /// Adds `note` to each failed job of `request`'s push, unless the job already has it (an
    /// earlier attempt that did not get to save). Returns what became of it, for the request's
    /// record: skipped without Treeherder credentials (nothing is sent), or why Treeherder refused.
    func annotate(_ failed: [FailedJob], note: String, request: AutolandRequest) -> String {
        guard treeherder.session != nil else { return Self.noCredentials }
        do {
            for job in failed where try !treeherder.notes(repository: request.repository, jobID: job.jobID).contains(where: { $0.text == note }) {
                try treeherder.addNote(repository: request.repository, jobID: job.jobID, text: note)
            }
        } catch {
            return redactor("not added: \(error)")
        }
        return "added to job \(failed.map { String($0.jobID) }.joined(separator: ", "))"
    }

    static let noCredentials = "skipped: no Treeherder credentials configured (`autoland.treeherder_access_token_env` or `_file`"
        + " and `autoland.treeherder_id_token_env` or `_file`); Treeherder takes notes only from a signed-in session"
}
