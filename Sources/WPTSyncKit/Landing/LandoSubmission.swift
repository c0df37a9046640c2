import Foundation
import Remote
import SyncCore

/// What sending a submission to Lando gave: Lando's answer (a job, or a try job's id), or the
/// answer lost after the request was sent (a 5xx or a broken connection: Lando may have taken it,
/// so it is looked for before being sent again, never resent here).
enum LandoSubmission<Answer> {
    case job(Answer)
    case answerLost(String)

    /// Runs `send` (one POST to Lando); an outcome-unknown failure is `answerLost` with its text,
    /// any other failure (a refusal before Lando acted) is thrown.
    static func send(_ send: () throws(RemoteError) -> Answer) throws(RemoteError) -> LandoSubmission {
        do {
            return .job(try send())
        } catch {
            guard case .outcomeUnknown = error else { throw error }
            return .answerLost("\(error)")
        }
    }
}

extension LandoSettings {
    /// The client of this Lando, with its token read from `token` now.
    func client(environment: [String: String], http: HTTPClient) throws -> LandoClient {
        LandoClient(url: url, token: try GitHubSetup.token(token, environment: environment), http: http)
    }

    /// Whether a submission made at `submittedAt` whose answer was lost is still looked for, not
    /// yet given up on: `lando_wait_seconds` have not passed (Lando may have taken it).
    func looksForLostAnswer(submittedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(submittedAt) < waitSeconds
    }
}

extension LandoJob {
    /// Lando's error text, or nil when it has none.
    var errorText: String? { error.flatMap { $0.isEmpty ? nil : $0 } }
}
