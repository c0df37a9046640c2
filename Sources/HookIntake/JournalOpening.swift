import Foundation
import Logging
import Store
import SyncCore

/// Opens the event journal the configuration names: PostgreSQL when `[store] url` is set, else the
/// SQLite file.
public enum JournalOpening {
    /// Who connects: a hook uses the short timeouts of `[store]` so that a push never waits long.
    public enum Role: Sendable { case hook, worker }

    /// The journal of `store`; for PostgreSQL the schema is not checked here (`migrate`). The
    /// environment (the process's when nil) is read only for a PostgreSQL password.
    public static func open(_ store: StoreSettings, role: Role,
                            environment: [String: String]? = nil) throws(StoreError) -> any EventJournal {
        if let postgres = store.postgres {
            return try PostgresJournal(parameters(postgres, role: role, environment: environment ?? ProcessInfo.processInfo.environment))
        }
        let timeout = role == .hook ? store.busyTimeoutMilliseconds : 5000
        let journal = try SQLiteJournal(path: store.path, busyTimeoutMilliseconds: timeout)
        warn(journal.skippedByMigration)
        return journal
    }

    /// Logs each record a migration this process ran left out, as a warning.
    public static func warn(_ skipped: [SkippedRecord]) {
        guard !skipped.isEmpty else { return }
        let logger = Logger(label: "wptsync.store")
        for record in skipped { logger.warning("\(record)") }
    }

    /// How to connect to `settings`' server, with the password read from where `[store]` says.
    /// A password file that cannot be read is an error; an unset password variable means none.
    public static func parameters(_ settings: PostgresStoreSettings, role: Role,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> PostgresParameters {
        var password: String?
        switch settings.password {
        case .environment(let name):
            password = environment[name].flatMap { $0.isEmpty ? nil : $0 }
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .open(path: settings.url, reason: "the password file \(path) cannot be read")
            }
            password = text.trimmingCharacters(in: .newlines)
        }
        return PostgresParameters(url: settings.url, password: password,
                                  connectTimeoutSeconds: role == .hook ? settings.connectTimeoutSeconds : 10,
                                  statementTimeoutMilliseconds: role == .hook ? settings.statementTimeoutMilliseconds : settings.workerStatementTimeoutMilliseconds)
    }
}
