import Foundation
import Logging
import Remote
import Store

/// Keeps a worker's lease on the event in hand: every third of the lease it extends the lease by a
/// whole lease, provided the worker still holds it. When another worker holds the event now (the
/// lease ran out meanwhile, e.g. the machine was suspended), it cancels the work in hand.
final class LeaseHeartbeat {
    private let stopped = Cancellation()
    private let finished = DispatchSemaphore(value: 0)
    private let thread: Thread

    init(journal: any EventJournal, eventID: Int64, worker: String, leaseSeconds: Double,
         cancellation: Cancellation, logger: Logger) {
        let (stopped, finished) = (stopped, finished)
        thread = Thread {
            defer { finished.signal() }
            while stopped.wait(for: leaseSeconds / 3) {
                do {
                    guard try journal.renewLease(id: eventID, worker: worker, until: Date().addingTimeInterval(leaseSeconds)) else {
                        logger.warning("lost the lease on the event: another worker holds it now, so its work here stops",
                                       metadata: ["event": "\(eventID)"])
                        cancellation.cancel(.leaseLost)
                        return
                    }
                } catch {
                    // Tried again at the next beat; the lease lasts three beats.
                    logger.warning("could not renew the lease", metadata: ["event": "\(eventID)", "error": "\(error)"])
                }
            }
        }
        thread.name = "wptsync-lease-\(eventID)"
        thread.start()
    }

    /// Stops renewing and waits for a renewal in progress, so none can cancel the worker's next
    /// event; the lease is left as it is for the worker to settle.
    func stop() {
        stopped.cancel(.stopRequested)
        finished.wait()
    }
}
