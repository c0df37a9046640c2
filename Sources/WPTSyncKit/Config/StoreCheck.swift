import Foundation
import HookIntake
import Store
import SyncCore

/// `wptsync check-config` and `wptsync migrate` on the store: which one is used and, for
/// PostgreSQL, whether it answers and is at this wptsync's schema version.
public enum StoreCheck {
    /// One line about the store, and whether it is usable as it is.
    public static func check(_ config: Config, environment: [String: String] = ProcessInfo.processInfo.environment) -> (line: String, ok: Bool) {
        guard let postgres = config.store.postgres else { return ("store: SQLite \(config.store.path)", true) }
        let name = "store: PostgreSQL \(postgres.url)"
        do {
            let journal = try PostgresJournal(JournalOpening.parameters(postgres, role: .hook, environment: environment))
            let version = try journal.schemaVersion()
            if version == PostgresJournal.schemaVersion { return ("\(name): reachable, schema version \(version)", true) }
            let advice = version < PostgresJournal.schemaVersion ? "run `wptsync migrate`" : "it was migrated by a newer wptsync: upgrade this one"
            return ("\(name): reachable, but at schema version \(version), not \(PostgresJournal.schemaVersion): \(advice)", false)
        } catch {
            return ("\(name): \(error)", false)
        }
    }

    /// Brings the store's schema up to date; what was done, for the operator, with a warning line
    /// for each record a migration left out (this run or an earlier one) that still cannot be read.
    /// A SQLite file is migrated by opening it (none is created).
    public static func migrate(_ config: Config, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> String {
        guard let postgres = config.store.postgres else {
            let path = config.store.path
            guard FileManager.default.fileExists(atPath: path) else { return "store: SQLite \(path): migrated when it is created; nothing to do" }
            return lines("store: SQLite \(path): up to date (migrated when it is opened)", warning: try SQLiteJournal(path: path).unreadableRecords())
        }
        let journal = try PostgresJournal(JournalOpening.parameters(postgres, role: .worker, environment: environment))
        let applied = try journal.migrate()
        return lines(applied.isEmpty
            ? "\(postgres.url): already at schema version \(PostgresJournal.schemaVersion)"
            : "\(postgres.url): applied migration(s) \(applied.map(String.init).joined(separator: ", ")); now at schema version \(PostgresJournal.schemaVersion)",
            warning: try journal.unreadableRecords())
    }

    private static func lines(_ done: String, warning skipped: [SkippedRecord]) -> String {
        ([done] + skipped.map { "warning: \($0)" }).joined(separator: "\n")
    }
}
