import Foundation
import SyncCore

/// Every `autoland.batch_seconds`: lands the `batched` requests together, one push per tree in
/// approval order (`AutolandBatch`, `AutolandLander.land(_:record:)`), then posts their comments.
/// One tree's error does not hold back the others; the first is rethrown at the end.
struct AutolandBatchTask: PeriodicTask {
    let runner: AutolandRunner
    /// Only the requests submitted to Lando: their job is read (from `AutolandPoll`), and the others
    /// wait for the batch's own time.
    var submittedOnly = false

    var name: String { PeriodicTaskNames.autolandBatch }
    var interval: Double { runner.settings.batchSeconds }

    func run() throws -> [String] {
        guard let lander = runner.lander else { return [] }
        let batched = try runner.store.autolandRequests(phases: [.batched]).filter { !submittedOnly || $0.state.lando != nil }
        let plans = AutolandBatch.due(batched, defaultTree: runner.settings.defaultTree, at: runner.now())
        var notes: [String] = []
        var firstError: (any Error)?
        for plan in plans {
            notes.append("autoland batch on \(plan.tree): request(s) \(plan.requests.map { "#\($0.id)" }.joined(separator: ", ")), in approval order")
            do {
                try lander.land(plan) { request, input in try runner.apply(input, to: request, by: "autoland", notes: &notes) }
            } catch {
                notes.append("autoland batch on \(plan.tree): \(error)")
                firstError = firstError ?? error
            }
            for request in plan.requests {
                if let saved = try runner.store.autolandRequest(id: request.id) { notes += runner.postComments(saved) }
            }
        }
        if let firstError { throw firstError }
        return notes
    }
}
