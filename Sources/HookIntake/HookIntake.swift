import Foundation
import Logging
import Store
import SyncCore

/// What a hook run did, for its exit message and for tests.
public enum HookOutcome: Sendable, Equatable {
    case recorded(id: Int64)
    case duplicate(id: Int64)
    /// The journal could not be written; the event waits in the spool for the next run.
    case spooled(reason: String)
    case skipped(reason: String)
    /// The hook runs in a repository the configuration does not list (moved, copied, renamed):
    /// nothing was recorded. `reason` names only that repository's folder, never the configured ones.
    case unlisted(reason: String)
    /// The input was not usable; nothing was recorded.
    case rejected(reasons: [String])
    /// Neither the journal nor the spool could be written: `payload` must be replayed.
    case lost(EventPayload, reason: String)
}

/// The hook side of the journal: turns what Mercurial or git hand a hook into one durable event.
/// It never waits for the network or for processing, and never fails the push.
public struct HookIntake: Sendable {
    public let config: Config
    public var now: @Sendable () -> Date = { Date() }
    /// Whether a SQLite journal opened for an event is closed afterwards. A hook process, which exits
    /// right after, leaves it to the exit: the commit is already durable, and closing would cost
    /// GRDB's teardown (a dispatch thread and Foundation look-ups) on every push.
    public var closesJournal = true

    public init(config: Config) { self.config = config }

    /// What a hook's input means, before anything is written.
    enum Decision {
        case record(EventPayload, problems: [String])
        case skip(String)
        /// The hook runs in `repository`, which the configuration does not list: `reason` is for the
        /// pusher and names no other repository; `configured` says what the configuration lists.
        case unlisted(repository: String, reason: String, configured: String)
        case rejected([String])
    }

    /// Handles Mercurial's `changegroup` hook, run with the repository root as working directory.
    public func hgChangegroup(environment: [String: String], workingDirectory: String) -> HookOutcome {
        outcome(hgDecision(environment: environment, workingDirectory: workingDirectory))
    }

    /// Handles git's `post-receive` hook for the wpt mirror, given `GIT_DIR` and the hook's stdin.
    public func gitPostReceive(stdin: [UInt8], gitDirectory: String, user: String?) -> HookOutcome {
        outcome(gitDecision(stdin: stdin, gitDirectory: gitDirectory, user: user))
    }

    func hgDecision(environment: [String: String], workingDirectory: String) -> Decision {
        let here = Paths.canonical(workingDirectory)
        guard let repository = config.gecko.first(where: { Paths.canonical($0.path) == here }) else {
            let known = config.gecko.map { "\($0.name) at \($0.path)" }.joined(separator: ", ")
            let nodes = [environment["HG_NODE"], environment["HG_NODE_LAST"]].compactMap { $0 }.filter { Hex.isHex($0, length: 40) }
            return .unlisted(repository: here,
                             reason: "this hook runs in \(here), which is not a [[gecko]] repository in the configuration; the push"
                                + (nodes.isEmpty ? "" : " of \(nodes.joined(separator: " to "))")
                                + " was not recorded. Fix the repository's path in the configuration, then replay the push",
                             configured: known.isEmpty ? "no [[gecko]] repository configured" : "[[gecko]]: \(known)")
        }
        do {
            switch try HookInput.hgChangegroup(environment: environment, repository: repository) {
            case .record(let payload): return .record(payload, problems: [])
            case .skip(let reason): return .skip(reason)
            }
        } catch {
            return .rejected(["\(repository.name): \(error)"])
        }
    }

    func gitDecision(stdin: [UInt8], gitDirectory: String, user: String?) -> Decision {
        let here = Paths.canonical(gitDirectory)
        if let gecko = geckoGitDecision(stdin: stdin, gitDirectory: here, user: user) { return gecko }
        guard let mirror = config.wpt else {
            return .unlisted(repository: here, reason: "this hook runs in \(here), but the configuration has no [wpt] mirror; the push was not recorded",
                             configured: "no [wpt] mirror configured")
        }
        let mirrorPath = Paths.canonical(mirror.path)
        guard here == mirrorPath || here == Paths.canonical(mirrorPath + "/.git") else {
            return .unlisted(repository: here, reason: "this hook runs in \(here), which is not the configured wpt mirror; the push was not recorded."
                                + " Fix [wpt] path in the configuration, then replay the push",
                             configured: "[wpt] path: \(mirrorPath)")
        }
        let (decision, problems) = HookInput.gitPostReceive(stdin: stdin, mirror: mirror, repositoryName: "wpt", user: user)
        let rejected = problems.map(\.description)
        switch decision {
        case .record(let payload): return .record(payload, problems: rejected)
        case .skip(let reason): return rejected.isEmpty ? .skip(reason) : .rejected(rejected)
        }
    }

    func outcome(_ decision: Decision) -> HookOutcome {
        switch decision {
        case let .record(payload, problems):
            let outcome = record(payload)
            return problems.isEmpty ? outcome : .rejected(reasons: problems + ["other lines: \(outcome)"])
        case .skip(let reason): return .skipped(reason: reason)
        case .unlisted(_, let reason, _): return .unlisted(reason: reason)
        case .rejected(let reasons): return .rejected(reasons: reasons)
        }
    }

    /// The event a hook would have recorded from `raw`, the input a hook script saved in the spool
    /// when `wptsync-hook` could not run: the same checks, so the dedupe key is the same.
    public func importRaw(_ raw: RawHookInput) -> RawHookImport {
        guard let directory = raw.text("pwd"), directory.hasPrefix("/") else { return .unreadable("raw hook input without its directory") }
        let environment = raw.environment
        let decision: Decision
        switch raw.hook {
        case "hg-changegroup":
            decision = hgDecision(environment: environment, workingDirectory: directory)
        default:
            let gitDirectory = environment["GIT_DIR"].map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 } ?? directory
            decision = gitDecision(stdin: raw.fields["stdin"] ?? [], gitDirectory: gitDirectory,
                                   user: HookInput.user(environment: environment))
        }
        switch decision {
        case .record(let payload, let problems):
            // As the hook itself does: the valid lines are recorded, the others reported.
            for problem in problems { Self.logger.error("input rejected", metadata: ["reason": "\(problem)", "from": "\(config.store.spool)"]) }
            return .record(payload)
        case .skip(let reason): return .skip(reason)
        case let .unlisted(repository, _, configured):
            return .unreadable("repository \(repository) is not in the configuration (\(configured)); once it is, replay the push")
        case .rejected(let reasons): return .unreadable(reasons.joined(separator: "; "))
        }
    }

    static let logger = Logger(label: "wptsync.spool")

    /// The spool, able to import the raw hook inputs the hook scripts save there, and holding its
    /// events while `migrate-store` copies the store.
    public var spool: Spool {
        let (migration, store) = (migration, config.store.name)
        return Spool(path: config.store.spool, rawInput: { [self] raw in importRaw(raw) }, holdsBack: { migration.holdsBack(store: store) })
    }

    /// The marker of a `migrate-store` copying the store.
    public var migration: StoreMigrationMarker { StoreMigrationMarker(path: config.store.migrationMarkerPath) }

    /// Writes `payload` to the journal (`journal` when a long-running process holds it open, else
    /// opened for this event: through SQLite's C API when the spool is empty and the SQLite journal
    /// migrated), importing any spooled events first; falls back to the spool. While `migrate-store`
    /// copies the store, the event goes to the spool, and to both when the copy began meanwhile.
    public func record(_ payload: EventPayload, journal: (any EventJournal)? = nil) -> HookOutcome {
        record([payload], journal: journal)[0]
    }

    /// `record` for several events at once, in one journal transaction (`wptsync serve` writes the
    /// deliveries that arrived meanwhile together); one outcome per payload, in order.
    public func record(_ payloads: [EventPayload], journal open: (any EventJournal)? = nil) -> [HookOutcome] {
        let time = now()
        let spool = spool
        if spool.holdsBack() {
            return spooled(payloads, at: time, because: "`wptsync migrate-store` is copying the store (\(migration.path)): the store configured next imports it")
        }
        do {
            let outcomes: [RecordOutcome], imported: Int
            if open == nil, config.store.postgres == nil, spool.file.isEmpty,
               let written = try SQLiteEventWriter.record(payloads, at: time, path: config.store.path,
                                                          busyTimeoutMilliseconds: config.store.busyTimeoutMilliseconds) {
                outcomes = written
                imported = 0
            } else {
                let journal = if let open { open } else { try JournalOpening.open(config.store, role: .hook) }
                defer { if open == nil, !closesJournal, let kept = journal as? SQLiteJournal { _ = Unmanaged.passRetained(kept) } }
                imported = try spool.drain(into: journal)
                outcomes = try journal.record(payloads, at: time)
            }
            // A copy that began meanwhile may have read the journal before: the spool keeps them too.
            if spool.holdsBack() { _ = spooled(payloads, at: time, because: "`wptsync migrate-store` began copying the store") }
            return reported(outcomes, imported: imported)
        } catch let storeError {
            return spooled(payloads, at: time, because: storeError.description)
        }
    }

    /// Appends `payloads` to the spool, which the worker imports at each pass, and wakes it.
    private func spooled(_ payloads: [EventPayload], at time: Date, because reason: String) -> [HookOutcome] {
        let outcomes = payloads.map { payload -> HookOutcome in
            do {
                try spool.file.append(payload, at: time)
                return .spooled(reason: reason)
            } catch {
                return .lost(payload, reason: "\(reason); and \(error)")
            }
        }
        if outcomes.contains(where: { if case .spooled = $0 { true } else { false } }) { WakeBell.ring(config.store.wakePath) }
        return outcomes
    }

    /// The hook outcomes of `outcomes`, having woken the worker if anything is new to it.
    private func reported(_ outcomes: [RecordOutcome], imported: Int) -> [HookOutcome] {
        // Events imported from the spool are new to the worker all the same.
        if imported > 0 || outcomes.contains(where: \.isRecorded) {
            WakeBell.ring(config.store.wakePath)
        }
        return outcomes.map { outcome in
            switch outcome {
            case .recorded(let id): .recorded(id: id)
            case .duplicate(let id): .duplicate(id: id)
            }
        }
    }
}
