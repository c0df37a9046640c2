import Foundation
import Store
import SyncCore

/// What a hook run did, for its exit message and for tests.
public enum HookOutcome: Sendable, Equatable {
    case recorded(id: Int64)
    case duplicate(id: Int64)
    /// The journal could not be written; the event waits in the spool for the next run.
    case spooled(reason: String)
    case skipped(reason: String)
    /// The input was not usable; nothing was recorded.
    case rejected(reasons: [String])
    /// Neither the journal nor the spool could be written: the push must be replayed.
    case lost(reason: String)
}

/// The hook side of the journal: turns what Mercurial or git hand a hook into one durable event.
/// It never waits for the network or for processing, and never fails the push.
public struct HookIntake {
    public let config: Config
    public var now: @Sendable () -> Date = { Date() }

    public init(config: Config) { self.config = config }

    /// Handles Mercurial's `changegroup` hook, run with the repository root as working directory.
    public func hgChangegroup(environment: [String: String], workingDirectory: String) -> HookOutcome {
        let here = Paths.canonical(workingDirectory)
        guard let repository = config.gecko.first(where: { Paths.canonical($0.path) == here }) else {
            return .skipped(reason: "\(here) is not a Gecko repository in the configuration")
        }
        do {
            switch try HookInput.hgChangegroup(environment: environment, repository: repository) {
            case .record(let payload): return record(payload)
            case .skip(let reason): return .skipped(reason: reason)
            }
        } catch {
            return .rejected(reasons: ["\(repository.name): \(error)"])
        }
    }

    /// Handles git's `post-receive` hook for the wpt mirror, given `GIT_DIR` and the hook's stdin.
    public func gitPostReceive(stdin: [UInt8], gitDirectory: String, user: String?) -> HookOutcome {
        guard let mirror = config.wpt else { return .skipped(reason: "no [wpt] mirror in the configuration") }
        let here = Paths.canonical(gitDirectory)
        let mirrorPath = Paths.canonical(mirror.path)
        guard here == mirrorPath || here == Paths.canonical(mirrorPath + "/.git") else {
            return .skipped(reason: "\(here) is not the configured wpt mirror \(mirrorPath)")
        }
        let (decision, problems) = HookInput.gitPostReceive(stdin: stdin, mirror: mirror, repositoryName: "wpt", user: user)
        let rejected = problems.map(\.description)
        switch decision {
        case .record(let payload):
            let outcome = record(payload)
            return rejected.isEmpty ? outcome : .rejected(reasons: rejected + ["other lines: \(outcome)"])
        case .skip(let reason):
            return rejected.isEmpty ? .skipped(reason: reason) : .rejected(reasons: rejected)
        }
    }

    /// Writes `payload` to the journal, importing any spooled events first; falls back to the spool.
    public func record(_ payload: EventPayload) -> HookOutcome {
        let time = now()
        let spool = Spool(path: config.store.spool)
        do {
            let journal = try SQLiteJournal(path: config.store.path, busyTimeoutMilliseconds: config.store.busyTimeoutMilliseconds)
            try spool.drain(into: journal)
            switch try journal.record(payload, at: time) {
            case .recorded(let id): return .recorded(id: id)
            case .duplicate(let id): return .duplicate(id: id)
            }
        } catch let storeError {
            do {
                try spool.append(payload, at: time)
                return .spooled(reason: storeError.description)
            } catch {
                return .lost(reason: "\(storeError); and \(error)")
            }
        }
    }
}
