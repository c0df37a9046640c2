import Foundation

/// The requests of one tree that land together in one push.
public struct AutolandBatchPlan: Sendable, Equatable {
    public var tree: String
    /// In approval order (then by id).
    public var requests: [AutolandRequest]

    public init(tree: String, requests: [AutolandRequest]) { self.tree = tree; self.requests = requests }
}

/// The rules of landing approved requests together (`batch_seconds`): which land now and in what
/// order, and what each learns from the batch's push.
public enum AutolandBatch {
    /// The `batched` requests approved by `time`, one plan per tree (sorted by name), each in
    /// approval order, ties by id.
    public static func due(_ requests: [AutolandRequest], defaultTree: String, at time: Date) -> [AutolandBatchPlan] {
        let due = requests.filter { $0.state.phase == .batched && ($0.state.approvedAt ?? .distantPast) <= time }
            .sorted { (($0.state.approvedAt ?? .distantPast), $0.id) < (($1.state.approvedAt ?? .distantPast), $1.id) }
        return Dictionary(grouping: due) { $0.tree ?? defaultTree }
            .sorted { $0.key < $1.key }
            .map { AutolandBatchPlan(tree: $0.key, requests: $0.value) }
    }

    /// The input for each request built into the batch (whose own last commit is `built[i]`) once
    /// the push of them all ended with `attempt` (the `number`th of at most `maxAttempts`), and
    /// whether to rebuild the whole batch on the new tip and push again at once.
    public static func decide(_ attempt: LandingAttempt, built: [String], number: Int, maxAttempts: Int) -> (inputs: [AutolandInput], again: Bool) {
        decide(built.map { node in
            if case .pushed = attempt { return .pushed(node: node) }
            return attempt
        }, number: number, maxAttempts: maxAttempts)
    }

    /// The input for each request built into the batch once its own part of the landing ended
    /// with `attempts[i]` (a Lando job is followed for each request's commits), and whether to
    /// rebuild the whole batch on the new tip and land it again at once.
    public static func decide(_ attempts: [LandingAttempt], number: Int, maxAttempts: Int) -> (inputs: [AutolandInput], again: Bool) {
        let decided = attempts.map { AutolandLanding.decide($0, number: number, maxAttempts: maxAttempts) }
        return (decided.map(\.input), decided.contains { $0.again })
    }
}
