import Dispatch
import Synchronization
import SyncCore

/// Records deliveries off the server's threads, in batches: the deliveries that arrive while one
/// batch is being written (and fsynced) go into the next, one journal transaction each. Under load
/// a delivery waits for at most one write before its own, instead of for every one queued ahead.
final class DeliveryRecorder: Sendable {
    private struct Waiting {
        var deliveries: [(GitHubDelivery, CheckedContinuation<DeliveryAnswer, Never>)] = []
        var writing = false
    }

    private let intake: DeliveryIntake
    private let state = Mutex(Waiting())
    private let queue = DispatchQueue(label: "wptsync.serve.record")

    init(intake: DeliveryIntake) { self.intake = intake }

    /// Records `delivery` (durably, or says why not) and returns the answer for GitHub.
    func record(_ delivery: GitHubDelivery) async -> DeliveryAnswer {
        await withCheckedContinuation { continuation in
            let start = state.withLock { waiting in
                waiting.deliveries.append((delivery, continuation))
                defer { waiting.writing = true }
                return !waiting.writing
            }
            if start { queue.async { self.writeBatches() } }
        }
    }

    private func writeBatches() {
        while true {
            let batch = state.withLock { waiting in
                defer { waiting.deliveries = [] }
                if waiting.deliveries.isEmpty { waiting.writing = false }
                return waiting.deliveries
            }
            guard !batch.isEmpty else { return }
            for ((_, continuation), answer) in zip(batch, intake.record(batch.map(\.0))) {
                continuation.resume(returning: answer)
            }
        }
    }
}
