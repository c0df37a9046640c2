import Foundation
import Remote
import Store
import SyncCore

/// Moves autoland requests on through `AutolandMachine`, saving each step: the access check of
/// requests that wait for it; when Treeherder and Taskcluster are configured, their try run
/// (failed jobs retriggered before the step is saved, under task ids derived from the request, so
/// a rerun after a crash clones nothing twice; failed retriggers noted in Treeherder, best-effort:
/// what became of the note is kept on the request and logged, and the request moves on); then the landing (`AutolandLander`). Each decision's comment is then posted on the request's bugs once.
/// Every step is idempotent.
struct AutolandRunner {
    let settings: AutolandSettings
    let store: any AutolandStore
    let permission: any LandingPermission
    var watch: AutolandWatch?
    var lander: AutolandLander?
    var bugzilla: BugzillaClient?
    var now: () -> Date = { Date() }

    /// The runner `config` describes, or nil without `[autoland]`.
    /// `cancellation` stops its Lando, Treeherder, Taskcluster and Bugzilla requests (a worker asked
    /// to stop never waits for them).
    static func make(config: Config, store: any AutolandStore, redactor: Redactor, environment: [String: String],
                     cancellation: Cancellation? = nil) throws -> AutolandRunner? {
        guard let settings = config.autoland else { return nil }
        let key = try settings.bugzillaKey.map { try GitHubSetup.token($0, environment: environment) }
        // A git tree that `[landing]` lands through Lando gets its autoland landings through Lando too.
        let lando = try config.landing.flatMap { try LandoLanding.make($0, environment: environment, cancellation: cancellation) }
        return AutolandRunner(settings: settings, store: store, permission: try settings.permission(environment: environment),
                              watch: try AutolandWatch.make(settings, redactor: redactor, environment: environment, cancellation: cancellation),
                              lander: AutolandLander(config: config, settings: settings, redactor: redactor, lando: lando),
                              bugzilla: settings.bugzillaURL.map { BugzillaClient(restURL: $0, apiKey: key, http: .cancellable(by: cancellation)) })
    }

    /// Moves `request` on as far as what is known now allows; returns lines for the log.
    func advance(_ request: AutolandRequest) throws -> [String] {
        var current = request
        var notes: [String] = []
        while !current.state.phase.isFinal {
            if current.state.phase == .landing {
                guard let lander else { break }
                try lander.land(current) { input in
                    current = try apply(input, to: current, by: "autoland", notes: &notes)
                    return current
                }
                break
            }
            guard let input = try nextInput(current) else { break }
            let before = current.state.phase
            current = try apply(input, to: current, by: "autoland", notes: &notes)
            if current.state.phase == before { break }
        }
        return notes + postComments(current)
    }

    /// Feeds `input` to the rules, does what they ask (retriggers, Treeherder notes, whose failure is
    /// only logged) and saves the request when it changed; a change of phase enters the audit log as decided by `who`.
    func apply(_ input: AutolandInput, to request: AutolandRequest, by who: String, notes: inout [String]) throws -> AutolandRequest {
        let step = AutolandMachine.step(request.state, input, tree: request.tree ?? settings.defaultTree, settings: settings, at: now())
        var next = request
        next.state = step.state
        for effect in step.effects {
            switch effect {
            case .comment(let text): next.comments.append(text)
            case .retrigger(let retriggers):
                for retrigger in retriggers {
                    let ids = try watch?.retrigger(retrigger, issued: request.state.retriggers[retrigger.name] ?? 0, request: request) ?? []
                    notes.append("autoland request #\(request.id): retriggered \(retrigger.name) as \(ids.joined(separator: ", "))")
                }
            case let .annotate(failed, note):
                // Best-effort: what became of the note is kept on the record; the request moves on.
                guard let outcome = watch?.annotate(failed, note: note, request: request) else { break }
                next.treeherderNote = outcome
                notes.append("autoland request #\(request.id): Treeherder note \(outcome)")
            }
        }
        let moved = next.state.phase != request.state.phase
        if moved { next.audit = (next.audit ?? []) + [AutolandAudit(who: who, at: now(), phase: next.state.phase, why: next.state.reason)] }
        guard next != request else { return request }
        let saved = try store.save(next)
        if moved || next.state.reason != request.state.reason { notes.append(Self.note(saved)) }
        return saved
    }

    /// Posts the comments not yet on the request's bugs, each once: a comment already on a bug
    /// (posted before a crash) is not posted again. Bugzilla errors leave them for the next poll.
    func postComments(_ request: AutolandRequest) -> [String] {
        guard let bugzilla, !request.unpostedComments.isEmpty else { return [] }
        var current = request
        var notes: [String] = []
        var onBug: [Int: [BugComment]] = [:]
        do {
            for comment in request.unpostedComments {
                let text = AutolandLanding.bugComment(comment, request: current)
                for bug in current.bugs {
                    do throws(RemoteError) {
                        if onBug[bug] == nil { onBug[bug] = try bugzilla.comments(bug) }
                        let known = onBug[bug]
                        try bugzilla.addCommentOnce(bug, text, known: known)
                    } catch {
                        // A bug number that does not exist (or is hidden) would otherwise be retried forever.
                        guard case .bugzilla(_, _, _, let code, let message) = error, Self.missingBugCodes.contains(code) else { throw error }
                        notes.append("autoland request #\(request.id): bug \(bug) not commented: \(message)")
                    }
                }
                current.postedComments = (current.postedComments ?? 0) + 1
                current = try store.save(current)
            }
        } catch {
            return notes + ["autoland request #\(request.id): comments wait for the next poll: \(error)"]
        }
        return notes + (current.bugs.isEmpty ? [] : ["autoland request #\(request.id): commented on bug \(current.bugs.map(String.init).joined(separator: ", "))"])
    }

    /// Bugzilla's codes for a bug that does not exist (101) or that wptsync may not see (102).
    static let missingBugCodes: Set<Int> = [101, 102]

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
        case .landing where request.state.reason != nil: return "autoland request #\(request.id): waits to land: \(request.state.reason ?? "")"
        case .landing: return "autoland request #\(request.id): the try run passed; to land on \(request.tree ?? "?")"
        case .batched: return "autoland request #\(request.id): approved; lands on \(request.tree ?? "?") with the next batch"
        case .queued: return "autoland request #\(request.id): \(request.state.reason ?? ""); in the sheriff queue"
        case .landed: return "autoland request #\(request.id) landed on \(request.tree ?? "?") as \(request.state.landedNode ?? "?")"
        default: return "autoland request #\(request.id): \(request.state.phase.rawValue)" + (request.state.reason.map { ": \($0)" } ?? "")
        }
    }
}

/// Every `autoland.poll_seconds` (every `lando_poll_seconds` while a Lando job waits): moves on
/// the requests that wait (an access check that could not be made, a run, a landing, a batch's
/// Lando job) and posts the comments Bugzilla did not take. One request's error does not hold
/// back the others; the first is rethrown at the end.
struct AutolandPoll: PeriodicTask {
    let runner: AutolandRunner

    var name: String { PeriodicTaskNames.autoland }
    var interval: Double { runner.lander?.lando?.lando.interval(runner.settings.pollSeconds) ?? runner.settings.pollSeconds }

    func run() throws -> [String] {
        runner.lander?.lando?.lando.beginPass()
        var notes: [String] = []
        var firstError: (any Error)?
        for request in try runner.store.autolandRequests(phases: [.requested, .watching, .landing]).reversed() {
            do { notes += try runner.advance(request) } catch {
                notes.append("autoland request #\(request.id): \(error)")
                firstError = firstError ?? error
            }
        }
        // Requests batched before batching was switched off land at the next poll; a batch's Lando
        // job is read at each poll, not only with the next batch.
        let batched = try runner.store.autolandRequests(phases: [.batched])
        if !batched.isEmpty, !runner.settings.isBatching || batched.contains(where: { $0.state.lando != nil }) {
            do { notes += try AutolandBatchTask(runner: runner, submittedOnly: runner.settings.isBatching).run() } catch { firstError = firstError ?? error }
        }
        if runner.bugzilla != nil {
            notes += try runner.store.autolandRequestsWithUnpostedComments().flatMap(runner.postComments)
        }
        if let firstError { throw firstError }
        return notes
    }
}
