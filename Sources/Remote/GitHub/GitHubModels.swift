import Foundation

// The parts of GitHub's JSON that wptsync reads. Property names are the camelCase form of
// GitHub's snake_case keys (`JSONCoding` converts them); unknown keys are ignored.

/// A pull request from `GET /pulls`, `GET /pulls/{n}`, create or update.
///
/// The list endpoints leave out `merged`, `mergeable` and `mergeable_state`: they are nil there.
/// GitHub computes `mergeable` in the background, so it may be nil right after a push as well.
public struct PullRequest: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case open, closed }

    /// One end of the pull request: `head` (the branch with the changes) or `base`.
    public struct End: Codable, Sendable, Equatable {
        public var ref: String
        public var sha: String
        /// `owner:ref`.
        public var label: String?
        /// The repository the branch is in (nil when it was deleted).
        public var repo: RepositoryRef?

        /// `ref` as a validated branch name, nil when it is not one.
        public var branch: BranchName? { BranchName(ref) }
    }

    public var number: Int
    public var state: State
    public var title: String
    public var body: String?
    public var head: End
    public var base: End
    public var htmlURL: String
    public var labels: [Label]
    public var merged: Bool?
    public var mergedAt: Date?
    public var mergeable: Bool?
    /// `clean`, `unstable` (checks not green), `dirty` (conflicts), `blocked`, `behind`, `unknown`…
    public var mergeableState: String?
    public var mergeCommitSha: String?
    /// Who opened it.
    public var user: User?
    public var updatedAt: Date?
    /// Who merged it (only `GET /pulls/{n}` says).
    public var mergedBy: User?

    /// Merged, judging by `merged` when present and by `merged_at` otherwise.
    public var isMerged: Bool { merged ?? (mergedAt != nil) }
    public var labelNames: [String] { labels.map(\.name) }

    enum CodingKeys: String, CodingKey {
        case number, state, title, body, head, base, labels, merged, mergedAt, mergeable, mergeableState, mergeCommitSha, user, updatedAt, mergedBy
        case htmlURL = "htmlUrl"
    }
}

/// A repository as a pull request's end names it.
public struct RepositoryRef: Codable, Sendable, Equatable {
    public var fullName: String
}

public struct Label: Codable, Sendable, Equatable {
    public var name: String
}

public struct User: Codable, Sendable, Equatable {
    public var login: String
}

/// A commit status (`POST /statuses/{sha}`).
public struct CommitStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case error, failure, pending, success }

    public var id: Int?
    public var state: State
    public var context: String
    public var description: String?
    public var targetURL: String?
    public var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, state, context, description, updatedAt
        case targetURL = "targetUrl"
    }
}

/// `GET /commits/{ref}/status`: the latest status of each context and their combination.
public struct CombinedStatus: Codable, Sendable, Equatable {
    /// `failure` if any is error or failure, `pending` if any is pending or there are none.
    public var state: CommitStatus.State
    public var sha: String
    public var totalCount: Int
    public var statuses: [CommitStatus]
}

/// A check run (GitHub Actions and other apps).
public struct CheckRun: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var headSha: String
    /// `queued`, `in_progress`, `completed` (also `waiting`, `requested`, `pending`).
    public var status: String
    /// Set once completed: `success`, `failure`, `neutral`, `cancelled`, `skipped`, `timed_out`,
    /// `action_required`, `stale`.
    public var conclusion: String?
    public var startedAt: Date?
    public var completedAt: Date?

    public var isCompleted: Bool { status == "completed" }
    /// Completed with a conclusion that does not block a merge.
    public var passed: Bool { isCompleted && ["success", "neutral", "skipped"].contains(conclusion ?? "") }
}

/// `GET /commits/{ref}/check-runs`, one page.
struct CheckRunPage: Codable, Sendable {
    var totalCount: Int
    var checkRuns: [CheckRun]
}

/// A pull request review.
public struct Review: Codable, Sendable, Equatable {
    public var id: Int
    /// `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`.
    public var state: String
    public var body: String?
    public var commitId: String?
    public var user: User?
    /// Nil for a pending review.
    public var submittedAt: Date?
}

/// Whether a pull request's checks allow merging, from its check runs and commit statuses.
public enum ChecksVerdict: Sendable, Equatable {
    case success
    /// Names of the checks or status contexts not finished yet (required ones never reported included).
    case pending([String])
    /// Names of the failed checks or status contexts.
    case failure([String])
}

/// How `merge` combines the pull request into its base.
public enum MergeMethod: String, Codable, Sendable {
    case merge, squash, rebase
}

/// What `merge` achieved.
public enum MergeResult: Sendable, Equatable {
    /// Merged; `sha` is the new tip of the base branch (the last rebased commit for `rebase`).
    case merged(sha: String)
    /// 405: not mergeable now (conflicts, checks or reviews required, closed); `message` is GitHub's.
    case notMergeable(message: String)
    /// 409: the head is no longer the commit given as `expectedHeadSHA`.
    case headMoved(message: String)
}

/// A created pull request, or the existing one for the same head that `createPullRequest` adopted.
public struct CreatedPullRequest: Sendable, Equatable {
    public var pullRequest: PullRequest
    /// True when GitHub already had an open pull request for the head and no new one was made.
    public var adopted: Bool
}

/// What `deleteBranch` found.
public enum BranchDeletion: Sendable, Equatable {
    case deleted
    /// There was no such branch (GitHub answers 422 or 404): nothing to do.
    case alreadyGone
}
