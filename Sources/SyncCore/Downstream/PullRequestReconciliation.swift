import Foundation

/// A delivery the reconciliation records for what GitHub shows of a PR and wptsync has not seen,
/// as if GitHub had sent it: it takes the webhook's path (journal, `DeliveryHandler`, the same
/// newest-state-wins merge), so a delivery and a reconciliation of one state have one effect.
public struct ReconciledDelivery: Sendable, Equatable {
    public enum Change: String, Sendable, Equatable {
        case opened, synchronize, reopened, closed, merged, edited, review, check
    }

    public var pullRequest: Int
    public var change: Change
    /// `X-GitHub-Event`: `pull_request`, `pull_request_review`, `check_run`, `check_suite` or `status`.
    public var event: String
    public var action: String?
    public var observation: WebhookObservation
    /// Derived from the state it shows: the same state found again has the same id, which the
    /// journal's dedupe key (`github-delivery:<id>`) records once.
    public var delivery: String

    /// The journal payload, for the GitHub repository `repository` (`owner/name`).
    public func payload(repository: String) -> GitHubDelivery {
        let body = WebhookPayload.body(event: event, action: action, observation: observation, repository: repository)
        return GitHubDelivery(repository: repository, event: event, delivery: delivery,
                              summary: WebhookPayload.summary(event: event, observation: observation) + " (reconciled)",
                              body: body)
    }

    init(pullRequest: Int, change: Change, event: String, action: String?, observation: WebhookObservation) {
        self.pullRequest = pullRequest; self.change = change; self.event = event; self.action = action; self.observation = observation
        let body = WebhookPayload.body(event: event, action: action, observation: observation, repository: "")
        delivery = "reconciled-pr\(pullRequest)-\(change.rawValue)-\(FNV1a.hex(Array(event.utf8) + [0] + body))"
    }
}

/// The periodic reconciliation's rules: which PRs GitHub lists, which need their reviews and
/// checks read, and which deliveries bring what wptsync has seen (`SeenPullRequest`, from webhooks)
/// up to what GitHub shows. Pure: the shell lists, reads and records.
public enum PullRequestReconciliation {
    /// How far before the last listing's start the next listing reads (clock skew, PRs updated
    /// while it was paging).
    public static let marginSeconds: TimeInterval = 600
    /// Open PRs not updated since the last listing still get their checks read (a missed status
    /// does not change a PR's `updated_at`) while their record is younger than this.
    public static let checksWindowSeconds: TimeInterval = 7 * 86_400

    /// What a reconciliation lists: the PRs updated since `cutoff` (`state=all&sort=updated&direction=desc`,
    /// paged down to it), and on the first one every open PR too (`state=open`).
    public struct Listing: Sendable, Equatable {
        public var cutoff: Date
        public var allOpen: Bool

        public init(cutoff: Date, allOpen: Bool) { self.cutoff = cutoff; self.allOpen = allOpen }
    }

    /// What to list at `now`, given when the last successful listing started (nil: never).
    public static func listing(lastListing: Date?, now: Date) -> Listing {
        Listing(cutoff: (lastListing ?? now).addingTimeInterval(-marginSeconds), allOpen: lastListing == nil)
    }

    /// Whether the page after `page` (most recently updated first) may hold PRs updated since `cutoff`.
    public static func readsNextPage(after page: [PullRequestObservation], cutoff: Date) -> Bool {
        page.last.map { $0.updatedAt >= cutoff } ?? false
    }

    /// The delivery that brings `seen` up to `listed`, or nil: nothing new, wptsync's own PR, or a
    /// PR closed before wptsync watched. A PR never seen becomes `opened`, or `merged`/`closed` when
    /// it was closed since the last listing (an admin's merge without approval or CI: its sync
    /// starts at the merge). Head, open/closed state, labels, base and title are compared.
    public static func pullRequestChange(_ listed: PullRequestObservation, seen: SeenPullRequest?, listing: Listing,
                                         syncLabel: String) -> ReconciledDelivery? {
        if DownstreamScope.ignoreReason(listed, syncLabel: syncLabel) != nil, seen.map({ $0.ignored != nil }) ?? true { return nil }
        let change: ReconciledDelivery.Change
        if let known = seen?.pullRequest {
            guard listed.updatedAt >= known.updatedAt else { return nil }
            if listed.state != known.state {
                change = listed.state == .open ? .reopened : (listed.state == .merged ? .merged : .closed)
            } else if listed.head != known.head {
                change = .synchronize
            } else if listed.labels.sorted() != known.labels.sorted() || listed.base != known.base || listed.title != known.title {
                change = .edited
            } else {
                return nil
            }
        } else if listed.state == .open {
            change = .opened
        } else {
            guard listed.updatedAt >= listing.cutoff else { return nil }
            change = listed.state == .merged ? .merged : .closed
        }
        let action = switch change {
        case .merged, .closed: "closed"
        default: change.rawValue
        }
        return ReconciledDelivery(pullRequest: listed.number, change: change, event: "pull_request", action: action,
                                  observation: .pullRequest(listed, action: action))
    }

    /// What is known of one PR for choosing which to read reviews and checks of.
    public struct Known: Sendable, Equatable {
        public var record: SeenPullRequest
        /// The checks seen on the record's head.
        public var checks: [CheckObservation]

        public init(record: SeenPullRequest, checks: [CheckObservation]) { self.record = record; self.checks = checks }
    }

    /// The PRs whose reviews and checks must be read, oldest number first: with `try_after =
    /// "approval"`, the open PRs in scope whose head wptsync has not seen approved or passing
    /// (`CheckObservation.allPassed`): those listed, and those seen open and not listed (their
    /// `updated_at` is older than the listing) whose record is younger than `checksWindowSeconds`.
    public static func needingReviewsAndChecks(listed: [PullRequestObservation], known: [Int: Known], now: Date,
                                               tryAfter: DownstreamPlanner.TryAfter, syncLabel: String) -> [PullRequestObservation] {
        guard tryAfter == .approval else { return [] }
        let listedNumbers = Set(listed.map(\.number))
        let unlisted = known.values.map(\.record.pullRequest).filter {
            !listedNumbers.contains($0.number) && now.timeIntervalSince($0.updatedAt) < checksWindowSeconds
        }
        return (listed + unlisted).filter { pr in
            guard pr.state == .open, DownstreamScope.ignoreReason(pr, syncLabel: syncLabel) == nil else { return false }
            guard let seen = known[pr.number], seen.record.pullRequest.head == pr.head else { return true }
            return !(seen.record.headApproved || CheckObservation.allPassed(seen.checks))
        }.sorted { $0.number < $1.number }
    }

    /// A delivery for each reviewer whose latest review (of `reviews`, as GitHub lists them) is
    /// newer than, and differs from, what was seen of that reviewer.
    public static func reviewChanges(_ pr: PullRequestObservation, reviews: [ReviewObservation], seen: SeenPullRequest?) -> [ReconciledDelivery] {
        var latest: [String: ReviewObservation] = [:]
        for review in reviews where latest[review.reviewer].map({ review.submittedAt >= $0.submittedAt }) ?? true {
            latest[review.reviewer] = review
        }
        return latest.values.sorted { $0.reviewer < $1.reviewer }.compactMap { review in
            let known = seen?.reviews[review.reviewer]
            guard known != review, known.map({ review.submittedAt >= $0.submittedAt }) ?? true else { return nil }
            return ReconciledDelivery(pullRequest: pr.number, change: .review, event: "pull_request_review", action: "submitted",
                                      observation: .review(pr, review))
        }
    }

    /// A delivery for each check or status on `pr`'s head whose state (status, conclusion) was not
    /// seen, and is not older than what was. Which PRs a check names does not count: GitHub names
    /// none for a status or a fork's checks.
    public static func checkChanges(_ pr: PullRequestObservation, checks: [CheckObservation], seen: [CheckObservation]) -> [ReconciledDelivery] {
        checks.filter { $0.commit == pr.head }.sorted { $0.key < $1.key }.compactMap { check in
            if let known = seen.first(where: { $0.commit == check.commit && $0.key == check.key }) {
                guard known.status != check.status || known.conclusion != check.conclusion, check.updatedAt >= known.updatedAt else { return nil }
            }
            let action: String? = check.kind == .status ? nil : (check.status == "completed" ? "completed" : "created")
            return ReconciledDelivery(pullRequest: pr.number, change: .check, event: check.kind.rawValue, action: action,
                                      observation: .check(check))
        }
    }
}

extension CheckObservation {
    /// Whether the checks on a head all passed (and there is at least one): statuses `success`,
    /// checks concluded `success`, `neutral` or `skipped`.
    public static func allPassed(_ checks: [CheckObservation]) -> Bool {
        !checks.isEmpty && checks.allSatisfy { check in
            check.kind == .status ? check.status == "success" : ["success", "neutral", "skipped"].contains(check.conclusion ?? "")
        }
    }
}
