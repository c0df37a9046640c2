import Foundation
import HookIntake
import RepoOps
import Remote
import Logging
import Store
import SyncCore

/// The pieces a long-running command needs, built from the configuration.
public struct Application {
    public let config: Config
    /// Every record and the event journal: the SQLite file, or the PostgreSQL store when
    /// `[store] url` is set.
    public let journal: any EventJournal & RecordStore
    /// The event journal (the same store as `journal`).
    public var events: any EventJournal { journal }
    /// Every configured secret (`secretRedactor`): what the worker and its handlers store or print
    /// passes through it.
    public let redactor: Redactor
    /// Where tokens are read from (this process's environment by default).
    let environment: [String: String]

    /// Opens the journal named by the configuration and reads the secrets from `environment` once,
    /// installing them for the log handlers too (`SecretRedaction`). With `journalMustExist` (the
    /// read-only commands) a missing journal is an error and none is created.
    public init(config: Config, environment: [String: String] = ProcessInfo.processInfo.environment,
                journalMustExist: Bool = false) throws(StoreError) {
        if journalMustExist, config.store.postgres == nil, !FileManager.default.fileExists(atPath: config.store.path) {
            throw .noJournal(path: config.store.path)
        }
        self.config = config; self.environment = environment
        redactor = Self.secretRedactor(for: config, environment: environment)
        SecretRedaction.install(redactor)
        journal = try Self.openStore(config, environment: environment)
    }

    /// The store `config` names, as a worker or command opens it (the SQLite file is created if needed).
    public static func openStore(_ config: Config, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StoreError) -> any EventJournal & RecordStore {
        if let postgres = config.store.postgres {
            let store = try PostgresJournal(JournalOpening.parameters(postgres, role: .worker, environment: environment))
            // An unmigrated database cannot answer: it holds nothing yet either.
            if FileManager.default.fileExists(atPath: config.store.path), (try? store.holdsRecords()) != true,
               try SQLiteJournal(path: config.store.path).holdsRecords() {
                throw .recordsLeftInSQLite(path: config.store.path, store: postgres.url)
            }
            return store
        }
        let store = try SQLiteJournal(path: config.store.path)
        JournalOpening.warn(store.skippedByMigration)
        return store
    }

    /// A worker with the handlers for every kind of event; cancelling `cancellation` stops it and
    /// ends the handlers' waits.
    /// Brings a PostgreSQL journal's schema up to date first.
    public func worker(logger: Logger = Logger(label: "wptsync.worker"), cancellation: Cancellation = Cancellation()) throws -> Worker {
        if let postgres = journal as? PostgresJournal, !(try postgres.migrate()).isEmpty {
            logger.notice("migrated the PostgreSQL store", metadata: ["store": "\(postgres.url)"])
            JournalOpening.warn(postgres.skippedByMigration)
        }
        let handlers = try Handlers.make(config: config, store: journal, events: events, redactor: redactor, environment: environment,
                                         cancellation: cancellation)
        return Worker(journal: events, settings: config.worker, spool: HookIntake(config: config).spool,
                      handlers: handlers.byKind, periodic: handlers.periodic, logger: logger, redactor: redactor,
                      operations: journal, cancellation: cancellation, store: config.store)
    }
}

extension Application {
    /// The webhook secret `wptsync serve` checks signatures with (`[serve] secret_env` or `secret_file`).
    public static func webhookSecret(_ config: Config, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        Array(try GitHubSetup.token(config.serve.secret, environment: environment).revealedValue.utf8)
    }

    /// The redactor for every secret `config` names, read once at startup: the GitHub, approver and webhook
    /// tokens (those that can be read; a client that needs a missing one reports it) and the
    /// passwords in configured URLs (`https://user:password@…`) and in the proxy variables.
    public static func secretRedactor(for config: Config,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) -> Redactor {
        var ldapPassword: SecretSource?
        if case .ldap(let ldap) = config.autoland?.access { ldapPassword = ldap.password }
        let tokens = [config.github?.token, config.github?.approverToken, config.serve.secret, ldapPassword, config.downstream?.bugzillaKey,
                      config.autoland?.bugzillaKey, config.autoland?.taskclusterToken, config.autoland?.treeherderAccessToken,
                      config.autoland?.treeherderIDToken, config.landing?.lando?.token, config.downstream?.lando?.token].compactMap { source in
            source.flatMap { try? GitHubSetup.token($0, environment: environment).revealedValue }
        }
        let storePassword = config.store.postgres.flatMap { try? JournalOpening.parameters($0, role: .worker, environment: environment).password }
        let urls = [config.wpt?.upstreamPushURL, config.wpt?.fetchURL, config.landing?.pushURL, config.downstream?.bugzillaURL,
                    config.downstream?.taskclusterURL, config.downstream?.tryRepository,
                    config.autoland?.bugzillaURL, config.autoland?.treestatusURL, config.landing?.lando?.url, config.downstream?.lando?.url, config.commitMap?.landoURL]
            + config.gecko.map(\.url)
        let proxies = ProcessRunner.proxyNames.compactMap { environment[$0] }.map { $0.contains("://") ? $0 : "http://" + $0 }
        let passwords = (urls + proxies).compactMap { $0.flatMap { URLComponents(string: $0)?.password } }
        return Redactor(tokens + passwords + [storePassword].compactMap { $0 })
    }

    /// Resumes a sync after a person fixed its branch upstream by hand; returns the new record.
    public func resume(syncID: Int64) throws -> UpstreamSync {
        guard let sync = try journal.sync(id: syncID) else { throw ApplicationError.noSuchSync(syncID) }
        guard let syncer = try UpstreamSyncer.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw UpstreamError.notConfigured("[github] and [wpt] upstream_push_url")
        }
        let hg = try HgServers(config: config).source(containing: sync.changesets.first?.node ?? "")
        return try syncer.reconciler.resume(sync, hg: hg)
    }
}

/// Errors of the application's own commands.
public enum ApplicationError: Error, CustomStringConvertible {
    case noSuchSync(Int64)
    case invalidNode(String)
    case unknownNode(String)
    case paused(OperatorNote)
    /// A command-line value that is not what the option takes.
    case badArgument(option: String, value: String, expected: String)
    case unknownRepository(name: String, configured: [String])
    case noPushlogURL(repository: String)
    case pushNotInPushlog(id: Int, url: String, lastPushID: Int)
    case pushNotLocal(id: Int, node: String, path: String)
    case noMirror
    /// No `[[gecko]]` repository has the role `central`.
    case noCentral
    /// A file named on the command line that cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A pull request whose bug is needed but not known.
    case noBugForPullRequest(Int)
    /// Results to disable (`[downstream] unstable = "disable"`) with no bug to name in `disabled:`.
    case unstableWithoutBug(pullRequest: Int, tests: [String])
    /// One end of a replayed range names no changeset of the repository.
    case unknownRangeEnd(option: String, range: String, end: String, revision: String, repository: String, path: String)
    /// Reading what to replay failed; `context` names the option and value.
    case replaySource(context: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchSync(let id): "there is no sync \(id) (see `wptsync list`)"
        case .invalidNode(let node): "\(node) is not a changeset id: give 12 to 40 hex digits"
        case .unknownNode(let node): "changeset \(node) is in no configured Gecko repository"
        case .paused(let note): "the service is paused \(note.text); run `wptsync resume` first"
        case let .badArgument(option, value, expected): "\(option) \"\(value)\": expected \(expected)"
        case let .unknownRepository(name, configured):
            "no [[gecko]] repository is named \(name) (configured: \(configured.joined(separator: ", ")))"
        case .noPushlogURL(let name): "gecko repository \(name) has no url: --pushes reads the pushlog at <url>/json-pushes"
        case let .pushNotInPushlog(id, url, last): "push \(id) is not in the pushlog at \(url) (its last push is \(last))"
        case let .pushNotLocal(id, node, path): "push \(id) holds changeset \(node.prefix(12)), which is not in \(path): pull it first"
        case .noMirror: "no [wpt] mirror is configured"
        case .noCentral: "no [[gecko]] repository has role = \"central\""
        case let .unreadableFile(path, reason): "\(path): cannot read it: \(reason)"
        case .noBugForPullRequest(let pr): "PR #\(pr) has no downstream sync with a bug: give --bug N"
        case let .unstableWithoutBug(pr, tests):
            "PR #\(pr): several statuses in one configuration for \(tests.joined(separator: ", ")); [downstream] unstable = \"disable\" "
                + "disables them with the bug's URL, and PR #\(pr) has no downstream sync with a bug: give --bug N"
        case let .unknownRangeEnd(option, range, end, revision, repository, path):
            "\(option) \(range): its \(end), \(revision), is not a changeset of \(repository) (\(path)); nothing was recorded"
        case let .replaySource(context, reason): "\(context): \(reason)"
        }
    }
}
