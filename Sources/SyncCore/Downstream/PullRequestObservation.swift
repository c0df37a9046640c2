import Foundation

/// What one webhook delivery says, in the terms the downstream sync needs.
public enum WebhookObservation: Sendable, Equatable {
    /// `pull_request`: the PR as it is after `action` (opened, synchronize, closed, labeled…).
    case pullRequest(PullRequestObservation, action: String)
    /// `pull_request_review`: a review, and the PR as the delivery shows it.
    case review(PullRequestObservation, ReviewObservation)
    /// `check_run`, `check_suite` or `status`: a result on a commit.
    case check(CheckObservation)
    /// `ping`: GitHub checking the hook; nothing to do.
    case ping
}

/// A pull request as a delivery shows it.
public struct PullRequestObservation: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case open, closed, merged }

    public var number: Int
    public var url: String
    public var title: String
    /// The login of the PR's author.
    public var author: String
    public var state: State
    /// Who merged it, when the delivery says (`pull_request_review` deliveries do not).
    public var mergedBy: String?
    /// The head commit, 40 hex digits.
    public var head: String
    /// The head branch's name (`head.ref`), in the repository `headRepository` names.
    public var headBranch: String
    public var headRepository: String?
    /// The branch it is to merge into (`base.ref`).
    public var base: String
    public var labels: [String]
    /// Whether the body carries wptsync's `gecko-commits:` metadata (an upstream sync's PR).
    public var hasSyncMetadata: Bool
    /// GitHub's `updated_at`: a delivery never replaces what a later one showed.
    public var updatedAt: Date

    public init(number: Int, url: String, title: String, author: String, state: State, mergedBy: String? = nil,
                head: String, headBranch: String, headRepository: String? = nil, base: String, labels: [String] = [],
                hasSyncMetadata: Bool = false, updatedAt: Date) {
        self.number = number; self.url = url; self.title = title; self.author = author; self.state = state
        self.mergedBy = mergedBy; self.head = head; self.headBranch = headBranch; self.headRepository = headRepository
        self.base = base; self.labels = labels; self.hasSyncMetadata = hasSyncMetadata; self.updatedAt = updatedAt
    }
}

/// One review of a pull request.
public struct ReviewObservation: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case approved, commented, dismissed
        case changesRequested = "changes_requested"
    }

    public var reviewer: String
    public var state: State
    /// The commit the review was given on.
    public var commit: String
    public var submittedAt: Date

    public init(reviewer: String, state: State, commit: String, submittedAt: Date) {
        self.reviewer = reviewer; self.state = state; self.commit = commit; self.submittedAt = submittedAt
    }
}

/// A check run, a check suite or a commit status on one commit.
public struct CheckObservation: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case checkRun = "check_run", checkSuite = "check_suite", status
    }

    public var kind: Kind
    /// The check run's name, the suite's app, or the status context.
    public var name: String
    public var commit: String
    /// `queued`, `in_progress` or `completed` for checks; `pending`, `success`, `failure` or `error` for a status.
    public var status: String
    /// A completed check's conclusion (`success`, `failure`, `neutral`, `cancelled`, `timed_out`…).
    public var conclusion: String?
    /// The PRs GitHub names (checks on a fork's PR name none; a status never does).
    public var pullRequests: [Int]
    public var updatedAt: Date

    public init(kind: Kind, name: String, commit: String, status: String, conclusion: String? = nil,
                pullRequests: [Int] = [], updatedAt: Date) {
        self.kind = kind; self.name = name; self.commit = commit; self.status = status
        self.conclusion = conclusion; self.pullRequests = pullRequests; self.updatedAt = updatedAt
    }

    /// Identifies the check on its commit: a later observation of the same key replaces it.
    public var key: String { "\(kind.rawValue):\(name)" }
}

/// What wptsync has seen of one pull request: the newest state any delivery showed, and each
/// reviewer's latest review.
public struct SeenPullRequest: Sendable, Equatable, Codable {
    public var pullRequest: PullRequestObservation
    /// Each reviewer's latest review.
    public var reviews: [String: ReviewObservation]
    /// Why the downstream sync leaves this PR alone (one of wptsync's own upstream syncs), or nil.
    public var ignored: String?
    /// The delivery that last changed this record.
    public var lastDelivery: String

    public init(pullRequest: PullRequestObservation, reviews: [String: ReviewObservation] = [:], ignored: String? = nil,
                lastDelivery: String) {
        self.pullRequest = pullRequest; self.reviews = reviews; self.ignored = ignored; self.lastDelivery = lastDelivery
    }

    /// The reviewers whose latest review approves, sorted.
    public var approvedBy: [String] { reviews.values.filter { $0.state == .approved }.map(\.reviewer).sorted() }

    /// Whether an approval standing now was given on the current head.
    public var headApproved: Bool {
        reviews.values.contains { $0.state == .approved && $0.commit == pullRequest.head }
    }

    /// `seen` updated with what a delivery shows: the PR's fields only when the delivery is not older
    /// than what was seen (`updated_at`), a review only when it is not older than that reviewer's
    /// last one. The same delivery twice, or an old one after a newer, changes nothing.
    public static func merge(_ seen: SeenPullRequest?, pullRequest: PullRequestObservation, review: ReviewObservation? = nil,
                             delivery: String, syncLabel: String) -> SeenPullRequest {
        var record = seen ?? SeenPullRequest(pullRequest: pullRequest, lastDelivery: delivery)
        if pullRequest.updatedAt >= record.pullRequest.updatedAt, pullRequest != record.pullRequest {
            record.pullRequest = pullRequest
            record.lastDelivery = delivery
        }
        if let review, record.reviews[review.reviewer].map({ review.submittedAt >= $0.submittedAt }) ?? true,
           record.reviews[review.reviewer] != review {
            record.reviews[review.reviewer] = review
            record.lastDelivery = delivery
        }
        record.ignored = DownstreamScope.ignoreReason(record.pullRequest, syncLabel: syncLabel)
        return record
    }
}

/// Which upstream PRs the downstream sync takes.
public enum DownstreamScope {
    /// Why `pullRequest` is not downstreamed, or nil: wptsync's own upstream syncs (a `gecko/`
    /// branch, the sync label, or `gecko-commits:` metadata in the body) came from Gecko already.
    public static func ignoreReason(_ pullRequest: PullRequestObservation, syncLabel: String) -> String? {
        if pullRequest.headBranch.hasPrefix("gecko/") {
            return "opened by wptsync's upstream sync (branch \(pullRequest.headBranch))"
        }
        if pullRequest.labels.contains(syncLabel) { return "opened by wptsync's upstream sync (label \(syncLabel))" }
        if pullRequest.hasSyncMetadata { return "opened by wptsync's upstream sync (gecko-commits metadata)" }
        return nil
    }
}

extension CheckObservation {
    /// Whether this observation changes what was seen of the same check on the same commit: it is
    /// new, or not older and different.
    public func replaces(_ seen: CheckObservation?) -> Bool {
        seen.map { updatedAt >= $0.updatedAt && self != $0 } ?? true
    }
}
