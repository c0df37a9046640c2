import Foundation
import Store
import SyncCore

/// Moves autoland requests on through `AutolandMachine`, saving each step: the access check of
/// requests that wait for it, then, when Treeherder and Taskcluster are configured, their try run
/// (failed jobs retriggered before the step is saved, under task ids derived from the request, so
/// a rerun after a crash clones nothing twice). Every step is idempotent.
struct AutolandRunner {
    let settings: AutolandSettings
    let store: any AutolandStore
    let permission: any LandingPermission
    var watch: AutolandWatch?

    /// Moves `request` on as far as what is known now allows; returns lines for the log.
    func advance(_ request: AutolandRequest) throws -> [String] {
        var current = request
        var notes: [String] = []
        while let input = try nextInput(current) {
            let step = AutolandMachine.step(current.state, input, tree: current.tree ?? settings.defaultTree, settings: settings)
            var next = current
            next.state = step.state
            for effect in step.effects {
                switch effect {
                case .comment(let text): next.comments.append(text)
                case .retrigger(let retriggers):
                    for retrigger in retriggers {
                        let ids = try watch?.retrigger(retrigger, issued: current.state.retriggers[retrigger.name] ?? 0, request: current) ?? []
                        notes.append("autoland request #\(current.id): retriggered \(retrigger.name) as \(ids.joined(separator: ", "))")
                    }
                case .annotate: break
                }
            }
            guard next != current else { break }
            let moved = next.state.phase != current.state.phase
            current = try store.save(next)
            guard moved else { break }
            notes.append(Self.note(current))
        }
        return notes
    }

    /// What to feed the machine next: the access check, or the run's jobs.
    private func nextInput(_ request: AutolandRequest) throws -> AutolandInput? {
        switch request.state.phase {
        case .requested:
            return .access(request.requester.map(permission.level3) ?? .refused(reason: "the push names no valid user (REMOTE_USER or USER)"))
        case .watching:
            return try watch.map { .jobs(try $0.jobs(request)) }
        default:
            return nil
        }
    }

    private static func note(_ request: AutolandRequest) -> String {
        let who = request.requester ?? "an unknown user"
        switch request.state.phase {
        case .refused: return "autoland request #\(request.id) from \(who) refused: \(request.state.reason ?? "")"
        case .watching: return "autoland request #\(request.id) from \(who): level 3, watching the try run"
        case .landing: return "autoland request #\(request.id): the try run passed; to land on \(request.tree ?? "?")"
        case .queued: return "autoland request #\(request.id): \(request.state.reason ?? ""); in the sheriff queue"
        default: return "autoland request #\(request.id): \(request.state.phase.rawValue)"
        }
    }
}

/// Every `autoland.poll_seconds`: moves on the requests that wait (an access check that could not be made, a try run).
struct AutolandPoll: PeriodicTask {
    let runner: AutolandRunner

    var name: String { PeriodicTaskNames.autoland }
    var interval: Double { runner.settings.pollSeconds }

    func run() throws -> [String] {
        try runner.store.autolandRequests(phases: [.requested, .watching]).reversed().flatMap { try runner.advance($0) }
    }
}
