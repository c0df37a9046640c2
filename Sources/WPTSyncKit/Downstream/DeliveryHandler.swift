import Foundation
import Store
import SyncCore

/// A GitHub webhook delivery recorded by `wptsync serve`: what it says of a PR, a review or a check
/// is merged into what wptsync has seen (`DownstreamStore`), never letting an older delivery
/// replace newer state.
struct DeliveryHandler: EventHandler {
    let store: any DownstreamStore
    /// The label of wptsync's own upstream PRs, which are not downstreamed.
    let syncLabel: String
    /// Files the bug and pushes the try run of a PR a delivery is about (`[downstream]`); nil: only record.
    var downstream: DownstreamRunner?
    var now: () -> Date = { Date() }

    func handle(_ event: JournalEvent) throws -> String {
        guard case .gitHubDelivery(let delivery) = event.payload else {
            throw HandlerError.wrongPayload(expected: .gitHubWebhook, got: event.kind)
        }
        let observation: WebhookObservation
        do { observation = try WebhookPayload.parse(event: delivery.event, body: delivery.body) } catch {
            throw HandlerError.unreadableDelivery(delivery: delivery.delivery, reason: error.description)
        }
        let head = "delivery \(delivery.delivery): \(delivery.summary)"
        switch observation {
        case .ping:
            return head
        case .pullRequest(let pr, _):
            return head + note(try store.observe(repository: delivery.repository, pullRequest: pr, review: nil,
                                                 delivery: delivery.delivery, syncLabel: syncLabel, at: now())) + (try sync(pr.number))
        case let .review(pr, review):
            return head + note(try store.observe(repository: delivery.repository, pullRequest: pr, review: review,
                                                 delivery: delivery.delivery, syncLabel: syncLabel, at: now())) + (try sync(pr.number))
        case .check(let check):
            guard try store.observe(check: check) else { return head + " (nothing newer than what was seen)" }
            // A status, or a fork's check, names no PR: those seen with this head are meant.
            let numbers = check.pullRequests.isEmpty
                ? try store.seenPullRequests(head: check.commit).map(\.record.pullRequest.number) : check.pullRequests
            return head + (try numbers.map { try sync($0) }.joined())
        }
    }

    /// Runs PR `number`'s downstream sync. Its failure does not fail the delivery, which is recorded:
    /// deliveries share one lane, so one PR's trouble (Bugzilla down) must not hold back the others.
    /// The failure stays on the sync and `DownstreamResults` retries it.
    private func sync(_ number: Int) throws -> String {
        guard let downstream else { return "" }
        do {
            return try downstream.run(pullRequest: number).map { "\n  " + $0 }.joined()
        } catch {
            return "\n  PR #\(number): downstream sync failed, retried every poll: \(downstream.syncer.redactor("\(error)"))"
        }
    }

    private func note(_ outcome: (record: SeenPullRequest, changed: Bool)) -> String {
        (outcome.changed ? "" : " (nothing newer than what was seen)") + (outcome.record.ignored.map { "; ignored: \($0)" } ?? "")
    }
}
