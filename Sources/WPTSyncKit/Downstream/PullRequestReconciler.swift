import Foundation
import Remote
import Store
import SyncCore

/// Nothing missed stays missed: lists the upstream PRs GitHub shows (conditional requests, ETags
/// kept in the store) and records, in the journal the webhook deliveries go to, a delivery for
/// each state wptsync has not seen (`PullRequestReconciliation`). The worker handles them as
/// deliveries (`DeliveryHandler`): the same merge, the same downstream sync. A PR with a value no
/// delivery could carry (a sha that is no commit id, a head that is no branch name) is skipped.
public struct PullRequestReconciler {
    typealias Store = DownstreamStore & RecheckMarkStore & HTTPCacheStore

    /// Conditional on `StoredETagCache`.
    let github: GitHubClient
    let store: any Store
    /// The journal the worker claims from (`Application.events`), where the deliveries go.
    let events: any EventJournal
    let tryAfter: DownstreamPlanner.TryAfter
    let syncLabel: String
    var now: () -> Date = { Date() }

    /// How long a conditional response is kept unused.
    static let cacheDays = 7.0

    /// Builds it from `[github]` and `[downstream]`; nil when either is missing.
    static func make(config: Config, store: any Store, events: any EventJournal, environment: [String: String],
                     cancellation: Cancellation? = nil) throws -> Self? {
        guard let settings = config.downstream, settings.enabled,
              var github = try GitHubSetup.client(config, environment: environment, cancellation: cancellation) else { return nil }
        github.http.etagCache = StoredETagCache(store: store)
        return Self(github: github, store: store, events: events, tryAfter: settings.tryAfter, syncLabel: config.upstream.label)
    }

    var repository: String { github.repository.description }
    private var markName: String { "pull-request-reconciliation \(repository)" }

    /// One reconciliation; lines for the log. The listing's start is remembered only when all went
    /// well, so a failed run's PRs are listed again next time.
    func run() throws -> [String] {
        let started = now()
        let last = try store.recheckMark(markName).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        let listing = PullRequestReconciliation.listing(lastListing: last, now: started)
        var (pulls, notModified) = try github.pullRequestsByUpdate(state: "all") { page in
            PullRequestReconciliation.readsNextPage(after: page.compactMap(Self.observation), cutoff: listing.cutoff)
        }
        if listing.allOpen {
            let open = try github.pullRequestsByUpdate(state: "open") { _ in true }
            let numbers = Set(pulls.map(\.number))
            pulls += open.pulls.filter { !numbers.contains($0.number) }
            notModified += open.notModified
        }
        var skipped = pulls.compactMap { pr in Self.invalidField(pr).map { "#\(pr.number) \($0)" } }
        let listed = pulls.compactMap(Self.observation)
        var known: [Int: PullRequestReconciliation.Known] = [:]
        let window = started.addingTimeInterval(-PullRequestReconciliation.checksWindowSeconds)
        for seen in try store.seenPullRequests(repository: repository, numbers: Set(listed.map(\.number)), seenSince: window) {
            known[seen.record.pullRequest.number] = .init(record: seen.record, checks: seen.checks)
        }
        var deliveries = listed.compactMap {
            PullRequestReconciliation.pullRequestChange($0, seen: known[$0.number]?.record, listing: listing, syncLabel: syncLabel)
        }
        let probed = PullRequestReconciliation.needingReviewsAndChecks(listed: listed, known: known, now: started,
                                                                       tryAfter: tryAfter, syncLabel: syncLabel)
        for pr in probed {
            let (reviewed, runs) = (try github.reviews(pr.number), try github.checkRuns(ref: pr.head))
            if let field = reviewed.lazy.compactMap(Self.invalidField).first ?? runs.lazy.compactMap(Self.invalidField).first {
                skipped.append("#\(pr.number) \(field)")
                deliveries.removeAll { $0.pullRequest == pr.number }
                continue
            }
            let reviews = reviewed.compactMap(Self.review)
            deliveries += PullRequestReconciliation.reviewChanges(pr, reviews: reviews, seen: known[pr.number]?.record)
            let checks = runs.compactMap(Self.check)
                + (try github.combinedStatus(ref: pr.head).statuses.compactMap { Self.status($0, on: pr.head) })
            deliveries += PullRequestReconciliation.checkChanges(pr, checks: checks, seen: known[pr.number]?.checks ?? [])
        }
        var recorded: [String] = [], already: [String] = []
        for delivery in deliveries {
            let name = "#\(delivery.pullRequest) \(delivery.change.rawValue)"
            switch try events.record(.gitHubDelivery(delivery.payload(repository: repository)), at: started) {
            case .recorded: recorded.append(name)
            case .duplicate: already.append(name)
            }
        }
        try store.setRecheckMark(markName, to: String(started.timeIntervalSince1970))
        try store.pruneCachedResponses(storedBefore: started.addingTimeInterval(-Self.cacheDays * 86_400))
        let pages = "\(listed.count) PR(s) listed (\(notModified) page(s) not modified), \(probed.count) with reviews and checks read"
        let found = (recorded.isEmpty ? [] : ["recorded " + recorded.joined(separator: ", ")])
            + (already.isEmpty ? [] : ["already recorded, not handled yet: " + already.joined(separator: ", ")])
            + (skipped.isEmpty ? [] : ["skipped " + skipped.joined(separator: ", ")])
        return ["reconciled \(repository): \(pages); " + (found.isEmpty ? ["nothing missed"] : found).joined(separator: "; ")]
    }

    /// A listed PR as a delivery would show it; nil for a PR whose head branch and commit are gone,
    /// or with a value no delivery could carry (`invalidField`).
    public static func observation(_ pr: PullRequest) -> PullRequestObservation? {
        guard let updated = pr.updatedAt, Hex.isCommitID(pr.head.sha), RefName.isBranch(pr.head.ref) else { return nil }
        return PullRequestObservation(
            number: pr.number, url: pr.htmlURL, title: pr.title, author: pr.user?.login ?? "ghost",
            state: pr.state == .open ? .open : (pr.isMerged ? .merged : .closed), mergedBy: pr.mergedBy?.login,
            head: pr.head.sha, headBranch: pr.head.ref, headRepository: pr.head.repo?.fullName, base: pr.base.ref, labels: pr.labelNames,
            hasSyncMetadata: !SyncRebuild.nodes(inBody: pr.body ?? "").isEmpty, updatedAt: updated)
    }

    /// What makes a listed PR unusable, for the log: its head commit is there but its sha is no
    /// commit id, or its head is no branch name. Nil when it is fine, or gone (no head sha).
    static func invalidField(_ pr: PullRequest) -> String? {
        if !pr.head.sha.isEmpty, !Hex.isCommitID(pr.head.sha) { return invalid("head.sha", pr.head.sha, "a commit id") }
        return RefName.isBranch(pr.head.ref) ? nil : invalid("head.ref", pr.head.ref, "a branch name")
    }

    static func invalidField(_ review: Review) -> String? {
        review.commitId.flatMap { Hex.isCommitID($0) ? nil : invalid("review \(review.id) commit_id", $0, "a commit id") }
    }

    static func invalidField(_ run: CheckRun) -> String? {
        Hex.isCommitID(run.headSha) ? nil : invalid("check run \(run.id) head_sha", run.headSha, "a commit id")
    }

    private static func invalid(_ field: String, _ value: String, _ expected: String) -> String {
        "\(field) is \(value.prefix(80).debugDescription), not \(expected)"
    }

    /// A review as a `pull_request_review` delivery would show it; nil without a submission time,
    /// reviewer, commit or known state.
    public static func review(_ review: Review) -> ReviewObservation? {
        guard let submitted = review.submittedAt, let login = review.user?.login, let commit = review.commitId,
              let state = ReviewObservation.State(rawValue: review.state.lowercased()) else { return nil }
        return ReviewObservation(reviewer: login, state: state, commit: commit, submittedAt: submitted)
    }

    static func check(_ run: CheckRun) -> CheckObservation? {
        guard let updated = run.completedAt ?? run.startedAt else { return nil }
        return CheckObservation(kind: .checkRun, name: run.name, commit: run.headSha, status: run.status, conclusion: run.conclusion,
                                updatedAt: updated)
    }

    static func status(_ status: CommitStatus, on sha: String) -> CheckObservation? {
        status.updatedAt.map { CheckObservation(kind: .status, name: status.context, commit: sha, status: status.state.rawValue, updatedAt: $0) }
    }
}

/// The reconciliation's periodic task (`[downstream] reconcile_seconds`).
struct PullRequestReconciliationTask: PeriodicTask {
    let reconciler: PullRequestReconciler
    let interval: Double

    /// The task `config` asks for, or none (`reconcile_seconds = 0`, or no `[github]`).
    static func make(config: Config, store: any PullRequestReconciler.Store, events: any EventJournal, environment: [String: String],
                     cancellation: Cancellation?) throws -> [any PeriodicTask] {
        guard let seconds = config.downstream?.reconcileSeconds, seconds > 0,
              let reconciler = try PullRequestReconciler.make(config: config, store: store, events: events, environment: environment,
                                                              cancellation: cancellation) else { return [] }
        return [Self(reconciler: reconciler, interval: seconds)]
    }

    var name: String { PeriodicTaskNames.pullRequestReconciliation }
    func run() throws -> [String] { try reconciler.run() }
}

/// `HTTPClient`'s ETag cache in the store (`http_cache`), kept across worker runs. A store error
/// only costs a full answer.
struct StoredETagCache: ETagCache {
    let store: any HTTPCacheStore

    func lookup(_ url: String) -> CachedResponse? {
        guard let stored = try? store.cachedResponse(url: url) else { return nil }
        var headers: HTTPHeaders = [:]
        for field in stored.headers where field.count == 2 { headers.add(field[0], field[1]) }
        return CachedResponse(etag: stored.etag, response: HTTPResponse(status: stored.status, headers: headers, body: stored.body))
    }

    func store(_ entry: CachedResponse, for url: String) {
        let headers = entry.response.headers.map { [$0.name, $0.value] }
        try? store.saveCachedResponse(StoredResponse(etag: entry.etag, status: entry.response.status, headers: headers,
                                                     body: entry.response.body, storedAt: Date()), url: url)
    }
}
