import Foundation
import Testing
@testable import SyncCore

@Suite("Pull request reconciliation")
struct PullRequestReconciliationTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let head = String(repeating: "a", count: 40), moved = String(repeating: "c", count: 40)
    static let label = "mozilla:gecko-sync"
    let since = PullRequestReconciliation.listing(lastListing: t0, now: t0.addingTimeInterval(300))

    func pr(_ number: Int = 7, state: PullRequestObservation.State = .open, head: String = head, branch: String = "grid",
            labels: [String] = [], at minutes: Double = 0) -> PullRequestObservation {
        PullRequestObservation(number: number, url: "https://github.com/web-platform-tests/wpt/pull/\(number)", title: "Grid gap",
                               author: "alice", state: state, head: head, headBranch: branch, headRepository: "alice/wpt",
                               base: "master", labels: labels, updatedAt: Self.t0.addingTimeInterval(minutes * 60))
    }

    func seen(_ pr: PullRequestObservation, reviews: [ReviewObservation] = []) -> SeenPullRequest {
        var record = SeenPullRequest.merge(nil, pullRequest: pr, delivery: "webhook", syncLabel: Self.label)
        for review in reviews { record = SeenPullRequest.merge(record, pullRequest: pr, review: review, delivery: "webhook", syncLabel: Self.label) }
        return record
    }

    func change(_ listed: PullRequestObservation, _ seen: SeenPullRequest?,
                listing: PullRequestReconciliation.Listing? = nil) -> ReconciledDelivery.Change? {
        PullRequestReconciliation.pullRequestChange(listed, seen: seen, listing: listing ?? since, syncLabel: Self.label)?.change
    }

    @Test func aPullRequestNeverSeenIsOpenedOrMergedAndOnlyClosedOnesOfTheWindowCount() {
        #expect(change(pr(), nil) == .opened)
        #expect(change(pr(state: .merged, at: 1), nil) == .merged, "merged by an admin: its sync starts at the merge")
        #expect(change(pr(state: .closed, at: 1), nil) == .closed)
        #expect(change(pr(state: .merged, at: -11), nil) == nil, "closed before the window (last listing minus the margin)")
        let first = PullRequestReconciliation.listing(lastListing: nil, now: Self.t0.addingTimeInterval(3600))
        #expect(first.allOpen && change(pr(state: .merged, at: 1), nil, listing: first) == nil, "the first listing takes no PR closed before it")
        let merged = PullRequestReconciliation.pullRequestChange(pr(state: .merged, at: 1), seen: nil, listing: since, syncLabel: Self.label)
        #expect(merged?.action == "closed" && merged?.event == "pull_request")
    }

    @Test func aSeenPullRequestGetsADeliveryOnlyForWhatDiffers() {
        let known = seen(pr())
        #expect(change(pr(at: 5), known) == nil, "only updated_at moved (a comment)")
        #expect(change(pr(head: Self.moved, at: 5), known) == .synchronize)
        #expect(change(pr(state: .closed, at: 5), known) == .closed)
        #expect(change(pr(state: .merged, at: 5), known) == .merged)
        #expect(change(pr(labels: ["infra"], at: 5), known) == .edited)
        #expect(change(pr(at: 5), seen(pr(state: .closed))) == .reopened)
        #expect(change(pr(head: Self.moved, at: -5), known) == nil, "older than what a delivery showed")
    }

    @Test func wptsyncsOwnPullRequestsAreLeftAlone() {
        #expect(change(pr(branch: "gecko/1234"), nil) == nil)
        #expect(change(pr(labels: [Self.label]), nil) == nil)
        #expect(PullRequestReconciliation.needingReviewsAndChecks(listed: [pr(branch: "gecko/1234")], known: [:], now: Self.t0,
                                                                  tryAfter: .approval, syncLabel: Self.label).isEmpty)
    }

    @Test func theSameStateFoundTwiceIsTheSameDeliveryWhichTheWebhookPathReadsBack() throws {
        let first = try #require(PullRequestReconciliation.pullRequestChange(pr(), seen: nil, listing: since, syncLabel: Self.label))
        let again = try #require(PullRequestReconciliation.pullRequestChange(pr(), seen: nil, listing: since, syncLabel: Self.label))
        #expect(first.delivery == again.delivery, "the journal records it once")
        let other = PullRequestReconciliation.pullRequestChange(pr(head: Self.moved), seen: nil, listing: since, syncLabel: Self.label)
        #expect(other?.delivery != first.delivery)

        let review = ReviewObservation(reviewer: "bob", state: .approved, commit: Self.head, submittedAt: Self.t0)
        let check = CheckObservation(kind: .status, name: "ci", commit: Self.head, status: "success", updatedAt: Self.t0)
        let run = CheckObservation(kind: .checkRun, name: "lint", commit: Self.head, status: "completed", conclusion: "success",
                                   updatedAt: Self.t0)
        let suite = CheckObservation(kind: .checkSuite, name: "Taskcluster", commit: Self.head, status: "queued", updatedAt: Self.t0)
        let deliveries = [first] + PullRequestReconciliation.reviewChanges(pr(), reviews: [review], seen: nil)
            + PullRequestReconciliation.checkChanges(pr(), checks: [check, run, suite], seen: [])
        #expect(deliveries.map(\.change) == [.opened, .review, .check, .check, .check])
        for delivery in deliveries {
            let payload = delivery.payload(repository: "web-platform-tests/wpt")
            let read = try WebhookPayload.read(event: payload.event, body: payload.body)
            #expect(read.observation == delivery.observation && read.repository == "web-platform-tests/wpt", "\(String(decoding: payload.body, as: UTF8.self))")
        }
    }

    @Test func onceTheWebhooksStateIsSeenTheReconciliationOfTheSameStateRecordsNothing() throws {
        let delivered = pr(head: Self.moved, at: 3)
        let reconciled = try #require(PullRequestReconciliation.pullRequestChange(delivered, seen: seen(pr()), listing: since,
                                                                                  syncLabel: Self.label))
        guard case .pullRequest(let shown, _) = reconciled.observation else { Issue.record("not a PR"); return }
        let afterWebhook = SeenPullRequest.merge(seen(pr()), pullRequest: delivered, delivery: "webhook", syncLabel: Self.label)
        let afterBoth = SeenPullRequest.merge(afterWebhook, pullRequest: shown, delivery: reconciled.delivery, syncLabel: Self.label)
        #expect(afterBoth == afterWebhook, "a delivery and a reconciliation of one state: one change")
        #expect(change(delivered, afterWebhook) == nil)
    }

    @Test func pagingStopsBelowTheLastListingMinusTheMargin() {
        #expect(PullRequestReconciliation.readsNextPage(after: [pr(at: 3), pr(at: -9)], cutoff: since.cutoff))
        #expect(!PullRequestReconciliation.readsNextPage(after: [pr(at: 3), pr(at: -11)], cutoff: since.cutoff))
        #expect(!PullRequestReconciliation.readsNextPage(after: [], cutoff: since.cutoff))
        #expect(!since.allOpen)
    }

    @Test func reviewsAndChecksAreReadOnlyForOpenPullRequestsWaitingForThem() {
        let approval = ReviewObservation(reviewer: "bob", state: .approved, commit: Self.head, submittedAt: Self.t0)
        let passed = CheckObservation(kind: .status, name: "ci", commit: Self.head, status: "success", updatedAt: Self.t0)
        func needing(_ listed: [PullRequestObservation], _ known: [Int: PullRequestReconciliation.Known],
                     tryAfter: DownstreamPlanner.TryAfter = .approval, now: Date? = nil) -> [Int] {
            PullRequestReconciliation.needingReviewsAndChecks(listed: listed, known: known, now: now ?? Self.t0, tryAfter: tryAfter,
                                                              syncLabel: Self.label).map(\.number)
        }
        #expect(needing([pr()], [:]) == [7])
        #expect(needing([pr()], [:], tryAfter: .merge).isEmpty, "only a merge starts the try run")
        #expect(needing([pr(state: .closed)], [:]).isEmpty)
        #expect(needing([pr()], [7: .init(record: seen(pr(), reviews: [approval]), checks: [])]).isEmpty)
        #expect(needing([pr()], [7: .init(record: seen(pr()), checks: [passed])]).isEmpty)
        #expect(needing([pr(head: Self.moved)], [7: .init(record: seen(pr(), reviews: [approval]), checks: [passed])]) == [7],
                "the approval was of the old head")
        let unlisted = [9: PullRequestReconciliation.Known(record: seen(pr(9)), checks: [])]
        #expect(needing([], unlisted, now: Self.t0.addingTimeInterval(86_400)) == [9], "a missed status moves no updated_at")
        #expect(needing([], unlisted, now: Self.t0.addingTimeInterval(8 * 86_400)).isEmpty)
    }

    @Test func aReviewOrCheckIsDeliveredWhenNewerAndDifferent() {
        let approval = ReviewObservation(reviewer: "bob", state: .approved, commit: Self.head, submittedAt: Self.t0)
        let comment = ReviewObservation(reviewer: "bob", state: .commented, commit: Self.head, submittedAt: Self.t0.addingTimeInterval(-60))
        #expect(PullRequestReconciliation.reviewChanges(pr(), reviews: [comment, approval], seen: seen(pr())).map(\.change) == [.review])
        #expect(PullRequestReconciliation.reviewChanges(pr(), reviews: [comment, approval], seen: seen(pr(), reviews: [approval])).isEmpty)

        let delivered = CheckObservation(kind: .checkRun, name: "lint", commit: Self.head, status: "completed", conclusion: "success",
                                         pullRequests: [7], updatedAt: Self.t0)
        var listed = delivered
        listed.pullRequests = []
        #expect(PullRequestReconciliation.checkChanges(pr(), checks: [listed], seen: [delivered]).isEmpty, "which PRs it names does not count")
        var failed = listed
        failed.conclusion = "failure"
        failed.updatedAt = Self.t0.addingTimeInterval(60)
        #expect(PullRequestReconciliation.checkChanges(pr(), checks: [failed], seen: [delivered]).count == 1)
        #expect(PullRequestReconciliation.checkChanges(pr(head: Self.moved), checks: [failed], seen: []).isEmpty, "not on the head")
    }
}
