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
    case unknownAccount(uid: UInt32)

    public var description: String {
        switch self {
        case .notConfigured: "autoland is not configured ([autoland])"
        case .noSuchRequest(let id): "no autoland request \(id)"
        case let .notQueued(id, phase): "autoland request \(id) is \(phase.rawValue), not queued for a sheriff"
        case let .notASheriff(user, group, why): "\(user) may not decide on autoland requests: \(why) (needs the group \(group))"
        case .emptyReason: "a rejection needs a reason (--reason TEXT)"
        case .unknownAccount(let uid): "cannot tell who runs this command: uid \(uid) has no account (getpwuid)"
        }
    }
}

extension Application {
    /// Who runs an autoland decision: the account of the real uid (`getpwuid(getuid())`), never
    /// `$USER`, which anyone can set; under sudo (real uid 0, `SUDO_UID` the uid of `SUDO_USER`'s
    /// account) the user who ran sudo.
    public static func realUser(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let uid = getuid()
        if uid == 0, let name = environment["SUDO_USER"], let sudoUID = environment["SUDO_UID"].flatMap(uid_t.init),
           let account = getpwnam(name), account.pointee.pw_uid == sudoUID {
            return name
        }
        guard let account = getpwuid(uid) else { throw AutolandCommandError.unknownAccount(uid: uid) }
        return String(cString: account.pointee.pw_name)
    }

    /// Lands or rejects queued request `id` as `user`, who must be in the sheriff group of the
    /// access backend; a landing is attempted at once. Returns the request as saved and lines for the log.
    public func decideAutoland(id: Int64, _ decision: SheriffDecision, as user: String) throws -> (AutolandRequest, [String]) {
        guard let runner = try AutolandRunner.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw AutolandCommandError.notConfigured
        }
        if case .reject(let reason) = decision, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AutolandCommandError.emptyReason
        }
        try Self.checkSheriff(user, runner)
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

    /// Throws `notASheriff` unless `user` is in the sheriff group of the access backend (which
    /// must answer: fail closed), `notConfigured` without `[autoland]`.
    public func checkSheriff(_ user: String) throws {
        guard let runner = try AutolandRunner.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw AutolandCommandError.notConfigured
        }
        try Self.checkSheriff(user, runner)
    }

    private static func checkSheriff(_ user: String, _ runner: AutolandRunner) throws {
        let groups: Set<String>?
        do { groups = try runner.permission.groups(of: user) } catch {
            throw AutolandCommandError.notASheriff(user: user, group: runner.settings.sheriffGroup, why: "the access backend cannot answer: \(error)")
        }
        guard let groups, groups.contains(runner.settings.sheriffGroup) else {
            throw AutolandCommandError.notASheriff(user: user, group: runner.settings.sheriffGroup,
                                                   why: groups == nil ? "unknown to the access backend" : "not a member")
        }
    }
}
