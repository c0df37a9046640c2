import Foundation
import Logging
import Store
import SyncCore

/// One claimed event: its handler run under a renewed lease, then the event settled (done,
/// failed with a retry planned or for good, or given back).
extension Worker {
    enum Outcome { case done, failed, interrupted }

    func run(_ event: JournalEvent) throws(StoreError) -> Outcome {
        var metadata: Logger.Metadata = ["event": "\(event.id)", "kind": "\(event.kind.rawValue)",
                                         "repository": "\(event.repository)", "attempt": "\(event.attempts)"]
        guard let handler = handlers[event.kind] else {
            try retryingBusy { () throws(StoreError) in
                try journal.fail(id: event.id, worker: identity.name, error: "no handler for \(event.kind.rawValue) events", retryAt: nil, now: now())
            }
            logger.error("no handler for this kind of event", metadata: metadata)
            return .failed
        }
        logger.debug("processing", metadata: metadata)
        let heartbeat = LeaseHeartbeat(journal: journal, eventID: event.id, worker: identity.name,
                                       leaseSeconds: settings.leaseSeconds, cancellation: cancellation, logger: logger)
        let result: Result<String, any Error>
        do { result = .success(try handler.handle(event)) } catch { result = .failure(error) }
        heartbeat.stop()
        // Cleared here, so the periodic tasks and the next event run.
        if cancellation.takeLostLease() {
            logger.warning("stopped the event: another worker holds it now", metadata: metadata)
            return .interrupted
        }
        switch result {
        case .success(let summary):
            try retryingBusy { () throws(StoreError) in try journal.complete(id: event.id, worker: identity.name, now: now()) }
            logger.info("\(summary)", metadata: metadata)
            return .done
        case .failure(let error) where cancellation.isStopRequested:
            try retryingBusy { () throws(StoreError) in try journal.release(id: event.id, worker: identity.name, now: now()) }
            metadata["error"] = "\(redactor("\(error)"))"
            logger.notice("asked to stop: the event is pending again, this attempt not counted", metadata: metadata)
            return .interrupted
        case .failure(let error):
            try fail(event, error: error, metadata: metadata)
            return .failed
        }
    }

    /// Records a failed attempt: retried later with backoff, by hand once attempts are used up, and
    /// never automatically when the failure is permanent.
    private func fail(_ event: JournalEvent, error: any Error, metadata: Logger.Metadata) throws(StoreError) {
        var metadata = metadata
        let message = redactor("\(error)")
        metadata["error"] = "\(message)"
        if (error as? HandlerError)?.isPermanent == true {
            try retryingBusy { () throws(StoreError) in
                try journal.failPermanently(id: event.id, worker: identity.name, error: message, now: now())
            }
            metadata["retry"] = "never automatically: wptsync retry \(event.id), or wptsync events drop \(event.id) --reason …"
            logger.error("event failed for good; later events of its repository go ahead", metadata: metadata)
            return
        }
        let retryAt: Date? = event.attempts < settings.maxAttempts
            ? now().addingTimeInterval(settings.backoff.delay(afterAttempt: event.attempts, jitter: jitter()))
            : nil
        try retryingBusy { () throws(StoreError) in
            try journal.fail(id: event.id, worker: identity.name, error: message, retryAt: retryAt, now: now())
        }
        metadata["retry"] = "\(retryAt.map { "\($0)" } ?? "by hand: wptsync retry \(event.id)")"
        logger.warning("event failed", metadata: metadata)
    }
}
