import Foundation
import RepoOps
import SyncCore

extension AutolandLander {
    /// Lands `plan`'s requests in one push (or one Lando job): each rebased in memory onto the one
    /// before it (the first onto the tree's tip), in order. One the tree already has (an earlier
    /// attempt's tip, pushed before a crash) or that no longer applies to the tree's tip is decided
    /// on its own and the others go on (one that conflicts only with requests before it waits for
    /// the next batch); a closed tree leaves them all waiting; a lost race (or a job failed on a
    /// moved base) rebuilds the whole batch on the new tip. Each request's tip (and its part of a
    /// Lando submission, then the job) is recorded before it is sent; a batch whose job Lando has
    /// not landed yet is followed, and the requests approved since wait for the next batch. Every
    /// outcome goes to `record`, which steps the rules and saves, returning the saved request.
    func land(_ plan: AutolandBatchPlan, record: (AutolandRequest, AutolandInput) throws -> AutolandRequest) throws {
        guard let destination = trees[plan.tree] else {
            for request in plan.requests { _ = try record(request, .pushFailed(reason: "no [[gecko]] repository \(plan.tree) in the configuration")) }
            return
        }
        let clone = try workspace(plan.tree, destination)
        defer { clone.close() }
        let lando = landoFor(plan.tree, clone)
        var opened: [String: any GeckoSource] = [:]
        defer { opened.values.forEach { $0.close() } }
        try clone.whileLocked {
            var pending = plan.requests
            for number in 1...settings.maxPushAttempts {
                let tip = try clone.refresh()
                pending = try pending.filter { request in
                    guard let node = request.state.attemptNode, clone.holds(node, reachableFrom: tip) else { return true }
                    _ = try record(request, AutolandLanding.decide(.alreadyLanded(node: node), number: 1, maxAttempts: 1).input)
                    return false
                }
                if let lando {
                    guard let unsent = try followSubmitted(pending, lando: lando, tip: tip, record: record) else { return }
                    pending = unsent
                }
                if let reason = try closedReason(plan.tree) {
                    for request in pending { _ = try record(request, .treeClosed(reason: reason)) }
                    return
                }
                let built = try build(pending, onto: tip, clone: clone, opened: &opened, record: record)
                guard let base = built.last?.nodes.last else { return }
                var landed = built.map(\.request)
                let decided: (inputs: [AutolandInput], again: Bool)
                if let lando {
                    let attempts = try submit(built.map(\.nodes), base: tip, lando: lando) { index, input in landed[index] = try record(landed[index], input) }
                    decided = AutolandBatch.decide(attempts, number: number, maxAttempts: settings.maxPushAttempts)
                } else {
                    let tips = built.map { $0.nodes.last ?? base }
                    decided = AutolandBatch.decide(try push(base, clone: clone), built: tips, number: number, maxAttempts: settings.maxPushAttempts)
                }
                let (inputs, again) = decided
                pending = try zip(landed, inputs).map { try record($0, $1) }
                if !again { return }
            }
        }
    }

    /// Decides the requests whose part of a Lando job was submitted: landed, stopped (for a
    /// sheriff), or failed on a moved base (rebuilt with the others). The requests to build now,
    /// or nil while the job (or a lost answer) is waited for: the others wait for the next batch.
    private func followSubmitted(_ requests: [AutolandRequest], lando: (lando: LandoLanding, clone: GitLandingClone), tip: String,
                                 record: (AutolandRequest, AutolandInput) throws -> AutolandRequest) throws -> [AutolandRequest]? {
        var unsent: [AutolandRequest] = []
        var waits = false
        var followed = Followed()
        for request in requests {
            guard let submitted = request.state.lando,
                  let attempt = try followed(submitted, { try follow($0, lando: lando, tip: tip) }) else { unsent.append(request); continue }
            let (input, again) = AutolandLanding.decide(attempt, number: 1, maxAttempts: settings.maxPushAttempts)
            let saved = try record(request, input)
            if case .landoWaiting = attempt { waits = true }
            if again { unsent.append(saved) }
        }
        return waits ? nil : unsent
    }

    /// Builds `requests` one onto the other from `tip` in the clone, recording each one built
    /// (`built`) or decided without a landing: the requests built, each with its own commits.
    private func build(_ requests: [AutolandRequest], onto tip: String, clone: any LandingWorkspace, opened: inout [String: any GeckoSource],
                       record: (AutolandRequest, AutolandInput) throws -> AutolandRequest) throws -> [(request: AutolandRequest, nodes: [String])] {
        var base = tip
        var built: [(request: AutolandRequest, nodes: [String])] = []
        for request in requests {
            guard let sourceRepository = sources[request.repository] else {
                _ = try record(request, .pushFailed(reason: "no [[gecko]] repository \(request.repository) in the configuration"))
                continue
            }
            let source = try opened[sourceRepository.name] ?? sourceRepository.openSource()
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
                built.append((try record(request, .built(node: nodes.last ?? base)), nodes))
                base = nodes.last ?? base
            }
        }
        return built
    }
}
