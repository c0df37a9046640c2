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
    var now: () -> Date = { Date() }

    func handle(_ event: JournalEvent) throws -> String {
        guard case .gitHubDelivery(let delivery) = event.payload else {
            throw HandlerError.wrongPayload(expected: .gitHubWebhook, got: event.kind)
        }
        let observation: WebhookObservation
        do { observation = try WebhookPayload.parse(event: delivery.event, body: Array(delivery.body.utf8)) } catch {
            throw HandlerError.unreadableDelivery(delivery: delivery.delivery, reason: error.description)
        }
        let head = "delivery \(delivery.delivery): \(delivery.summary)"
        switch observation {
        case .ping:
            return head
        case .pullRequest(let pr, _):
            return head + note(try store.observe(repository: delivery.repository, pullRequest: pr, review: nil,
                                                 delivery: delivery.delivery, syncLabel: syncLabel, at: now()))
        case let .review(pr, review):
            return head + note(try store.observe(repository: delivery.repository, pullRequest: pr, review: review,
                                                 delivery: delivery.delivery, syncLabel: syncLabel, at: now()))
        case .check(let check):
            return head + (try store.observe(check: check) ? "" : " (nothing newer than what was seen)")
        }
    }

    private func note(_ outcome: (record: SeenPullRequest, changed: Bool)) -> String {
        (outcome.changed ? "" : " (nothing newer than what was seen)") + (outcome.record.ignored.map { "; ignored: \($0)" } ?? "")
    }
}
