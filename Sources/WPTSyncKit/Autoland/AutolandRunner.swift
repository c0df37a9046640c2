import Foundation
import Store
import SyncCore

/// Moves autoland requests on through `AutolandMachine`, saving each step: for now the access
/// check of requests that wait for it. Every step is idempotent, so a rerun changes nothing more.
struct AutolandRunner {
    let settings: AutolandSettings
    let store: any AutolandStore
    let permission: any LandingPermission

    /// Checks `request`'s requester if it waits for that, and saves what changed; returns a line for the log.
    func advance(_ request: AutolandRequest) throws -> String? {
        guard request.state.phase == .requested else { return nil }
        let verdict: AccessVerdict = request.requester.map(permission.level3)
            ?? .refused(reason: "the push names no valid user (REMOTE_USER or USER)")
        let step = AutolandMachine.step(request.state, .access(verdict), tree: request.tree ?? settings.defaultTree, settings: settings)
        var next = request
        next.state = step.state
        for case .comment(let text) in step.effects { next.comments.append(text) }
        guard next != request else { return nil }
        let saved = try store.save(next)
        let who = saved.requester ?? "an unknown user"
        switch saved.state.phase {
        case .refused: return "autoland request #\(saved.id) from \(who) refused: \(saved.state.reason ?? "")"
        case .watching: return "autoland request #\(saved.id) from \(who): level 3, watching the try run"
        default: return "autoland request #\(saved.id): \(saved.state.reason ?? saved.state.phase.rawValue)"
        }
    }
}

/// Every `autoland.poll_seconds`: moves on the requests that wait (an access check that could not be made).
struct AutolandPoll: PeriodicTask {
    let runner: AutolandRunner

    var name: String { PeriodicTaskNames.autoland }
    var interval: Double { runner.settings.pollSeconds }

    func run() throws -> [String] {
        try runner.store.autolandRequests(phases: [.requested]).reversed().compactMap { try runner.advance($0) }
    }
}
