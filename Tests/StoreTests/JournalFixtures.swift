import Foundation
import Store
import SyncCore
import TestSupport

/// A one-changeset hg push to `repository` whose node is `n` in hex.
func push(_ repository: String, _ n: Int) -> EventPayload {
    let node = String(format: "%040x", n)
    return .hgPush(HgPush(repository: repository, firstNode: node, lastNode: node, source: "push"))
}

/// The journal tests' clock starts here.
let t0 = Date(timeIntervalSince1970: 1_700_000_000)

/// The journal implementations the shared journal tests run against: SQLite always, PostgreSQL
/// when it is installed (`PostgresCluster`; CI installs it), each test in a database of its own.
typealias JournalBackend = StoreKind

extension StoreKind {
    /// A new, empty journal with every record: a file in `dir`, or a fresh database of the shared
    /// cluster, migrated.
    func journal(in dir: TempDir) throws -> any EventJournal & RecordStore {
        switch self {
        case .sqlite: return try SQLiteJournal(path: dir.sub("state/j.sqlite"))
        case .postgres: return try PostgresJournal.fresh()
        }
    }

    /// The database of `store` opened again, as another process would.
    func reopen(_ store: any EventJournal & RecordStore) throws -> any EventJournal & RecordStore {
        switch store {
        case let sqlite as SQLiteJournal: return try SQLiteJournal(path: sqlite.path)
        case let postgres as PostgresJournal: return try PostgresJournal(postgres.parameters)
        default: throw PostgresClusterError("not a journal of this backend: \(store)")
        }
    }

    /// Runs `sql` on the database of `store` as an operator's client would (`sqlite3`, `psql`);
    /// what it prints.
    @discardableResult
    func outside(_ store: any EventJournal & RecordStore, _ sql: String) throws -> String {
        switch store {
        case let sqlite as SQLiteJournal: return try StoreKind.outside(path: sqlite.path, url: nil, sql)
        case let postgres as PostgresJournal: return try StoreKind.outside(path: "", url: postgres.url, sql)
        default: throw PostgresClusterError("not a journal of this backend: \(store)")
        }
    }
}

extension PostgresJournal {
    /// A migrated journal in a new database of the shared test cluster.
    static func fresh() throws -> PostgresJournal {
        guard let cluster = PostgresCluster.shared else { throw PostgresClusterError(PostgresCluster.unavailableReason ?? "the test cluster did not start") }
        let journal = try PostgresJournal(PostgresParameters(url: try cluster.createDatabase()))
        try journal.migrate()
        return journal
    }
}
