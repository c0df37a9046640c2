import Foundation
import SyncCore

/// A sheriff's decision on a queued autoland request.
public enum SheriffDecision: Sendable, Equatable {
    case land
    case reject(reason: String)
}

/// Why a sheriff's decision was not taken. Nothing changed.
public enum AutolandCommandError: Error, CustomStringConvertible {
    case notConfigured
    case noSuchRequest(Int64)
    case notQueued(id: Int64, phase: AutolandPhase)
    case notASheriff(user: String, group: String, why: String)
    case emptyReason

    public var description: String {
        switch self {
        case .notConfigured: "autoland is not configured ([autoland])"
        case .noSuchRequest(let id): "no autoland request \(id)"
        case let .notQueued(id, phase): "autoland request \(id) is \(phase.rawValue), not queued for a sheriff"
        case let .notASheriff(user, group, why): "\(user) may not decide on autoland requests: \(why) (needs the group \(group))"
        case .emptyReason: "a rejection needs a reason (--reason TEXT)"
        }
    }
}

extension Application {
    /// Lands or rejects queued request `id` as `user`, who must be in the sheriff group of the
    /// access backend; a landing is attempted at once. Returns the request as saved and lines for the log.
    public func decideAutoland(id: Int64, _ decision: SheriffDecision, as user: String) throws -> (AutolandRequest, [String]) {
        guard let runner = try AutolandRunner.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw AutolandCommandError.notConfigured
        }
        if case .reject(let reason) = decision, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AutolandCommandError.emptyReason
        }
        let groups: Set<String>?
        do { groups = try runner.permission.groups(of: user) } catch {
            throw AutolandCommandError.notASheriff(user: user, group: runner.settings.sheriffGroup, why: "the access backend cannot answer: \(error)")
        }
        guard let groups, groups.contains(runner.settings.sheriffGroup) else {
            throw AutolandCommandError.notASheriff(user: user, group: runner.settings.sheriffGroup,
                                                   why: groups == nil ? "unknown to the access backend" : "not a member")
        }
        guard let request = try journal.autolandRequest(id: id) else { throw AutolandCommandError.noSuchRequest(id) }
        guard request.state.phase == .queued else { throw AutolandCommandError.notQueued(id: id, phase: request.state.phase) }
        let input: AutolandInput = switch decision {
        case .land: .sheriffLand(by: user)
        case .reject(let reason): .sheriffReject(by: user, reason: reason)
        }
        var notes: [String] = []
        let decided = try runner.apply(input, to: request, by: user, notes: &notes)
        notes += try runner.advance(decided)
        return (try journal.autolandRequest(id: id) ?? decided, notes)
    }
}
