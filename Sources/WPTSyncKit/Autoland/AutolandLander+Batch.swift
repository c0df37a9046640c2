import Foundation
import RepoOps
import SyncCore

extension AutolandLander {
    /// Lands `plan`'s requests in one push: each rebased in memory onto the one before it (the
    /// first onto the tree's tip), in order. One the tree already has (an earlier attempt's tip,
    /// pushed before a crash) or that no longer applies to the tree's tip is decided on its own and
    /// the others go on (one that conflicts only with requests before it waits for the next batch); a closed tree leaves them all waiting; a lost race rebuilds the whole batch on the new
    /// tip. Each request's tip is recorded before the push. Every outcome goes to `record`, which
    /// steps the rules and saves, returning the saved request.
    func land(_ plan: AutolandBatchPlan, record: (AutolandRequest, AutolandInput) throws -> AutolandRequest) throws {
        guard let destination = trees[plan.tree] else {
            for request in plan.requests { _ = try record(request, .pushFailed(reason: "no [[gecko]] repository \(plan.tree) in the configuration")) }
            return
        }
        let clone = try workspace(plan.tree, destination)
        defer { close(clone) }
        if landoFor(plan.tree, clone) != nil {
            for request in plan.requests {
                _ = try record(request, .pushFailed(reason: "batches do not land through Lando yet: approve it with batch_seconds = 0"))
            }
            return
        }
        var opened: [String: any GeckoSource] = [:]
        defer { opened.values.forEach { ($0 as? HgRepository)?.close() } }
        try clone.whileLocked {
            var pending = plan.requests
            for number in 1...settings.maxPushAttempts {
                let tip = try clone.refresh()
                var base = tip
                pending = try pending.filter { request in
                    guard let node = request.state.attemptNode, clone.holds(node, reachableFrom: tip) else { return true }
                    _ = try record(request, AutolandLanding.decide(.alreadyLanded(node: node), number: 1, maxAttempts: 1).input)
                    return false
                }
                if let reason = try closedReason(plan.tree) {
                    for request in pending { _ = try record(request, .treeClosed(reason: reason)) }
                    return
                }
                var built: [(request: AutolandRequest, node: String)] = []
                for request in pending {
                    guard let sourceRepository = sources[request.repository] else {
                        _ = try record(request, .pushFailed(reason: "no [[gecko]] repository \(request.repository) in the configuration"))
                        continue
                    }
                    let source = try opened[sourceRepository.name] ?? Self.open(sourceRepository)
                    opened[sourceRepository.name] = source
                    switch try build(request, onto: base, clone: clone, source: source) {
                    case .decided(.conflict) where base != tip:
                        // It may conflict only with requests before it, which may still fail to land.
                        if case .decided(let attempt) = try build(request, onto: tip, clone: clone, source: source) {
                            _ = try record(request, AutolandLanding.decide(attempt, number: 1, maxAttempts: 1).input)
                        } else {
                            _ = try record(request, .pushFailed(reason: "it conflicts with requests landing before it in this batch: it waits for the next batch"))
                        }
                    case .decided(let attempt):
                        _ = try record(request, AutolandLanding.decide(attempt, number: 1, maxAttempts: 1).input)
                    case .built(let nodes):
                        let node = nodes.last ?? base
                        built.append((try record(request, .built(node: node)), node))
                        base = node
                    }
                }
                guard !built.isEmpty else { return }
                let attempt = try push(base, clone: clone)
                let (inputs, again) = AutolandBatch.decide(attempt, built: built.map(\.node), number: number, maxAttempts: settings.maxPushAttempts)
                pending = try zip(built, inputs).map { try record($0.request, $1) }
                if !again { return }
            }
        }
    }
}
