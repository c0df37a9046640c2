import Foundation
import SyncCore

/// A job of Lando's headless API, as `POST /api/repo/<name>` and `GET /api/job/<id>` answer it.
public struct LandoJob: Sendable, Equatable, Decodable {
    public var id: Int
    public var status: LandoJobStatus
    /// Why the job failed or was deferred; empty or nil otherwise.
    public var error: String?
    /// Lando's sentence about the status ("Job is in the LANDED state.").
    public var message: String?
    public var statusURL: String?
    /// ISO 8601, as Lando wrote it.
    public var createdAt: String?
    /// The commit Lando pushed (`commit_id` of a try job read from `/landing_jobs/<id>/`), once LANDED.
    public var commitID: String?

    public init(id: Int, status: LandoJobStatus, error: String? = nil) {
        self.id = id; self.status = status; self.error = error
    }

    private enum CodingKeys: String, CodingKey { case id, jobId, status, error, message, statusUrl, createdAt, commitId }

    /// Lando answers `job_id` (and, since bug 1983208 in some versions, `id`): either is read, as lando-cli does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int.self, forKey: .id) ?? container.decode(Int.self, forKey: .jobId)
        status = try container.decode(LandoJobStatus.self, forKey: .status)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        statusURL = try container.decodeIfPresent(String.self, forKey: .statusUrl)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        commitID = try container.decodeIfPresent(String.self, forKey: .commitId)
    }
}

/// `GET /api/repoinfo/<name>`.
public struct LandoRepoInfo: Sendable, Equatable, Decodable {
    public var repoUrl: String
    /// The branch the repository's jobs land on.
    public var branchName: String
    /// The landing permission, e.g. `scm_level_3`.
    public var scmLevel: String

    public init(repoUrl: String, branchName: String, scmLevel: String) {
        self.repoUrl = repoUrl; self.branchName = branchName; self.scmLevel = scmLevel
    }
}
