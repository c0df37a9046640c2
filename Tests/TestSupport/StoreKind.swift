import Foundation
import RepoOps

/// Which store a test runs against: the SQLite file (the default), or PostgreSQL (`[store] url`), a
/// database of its own in the shared throw-away cluster (`PostgresCluster.shared`).
public enum StoreKind: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite, postgres

    /// SQLite always, PostgreSQL when it is installed (CI installs it).
    public static var available: [StoreKind] { PostgresCluster.binaries == nil ? [.sqlite] : allCases }

    public var description: String { rawValue }

    /// For PostgreSQL, the URL of a new, empty database; nil for SQLite.
    public func newDatabaseURL() throws -> String? {
        guard self == .postgres else { return nil }
        guard let cluster = PostgresCluster.shared else { throw PostgresClusterError(PostgresCluster.unavailableReason ?? "the test cluster did not start") }
        return try cluster.createDatabase()
    }

    /// SQL that takes a store of this kind back to before the landed-metadata index (SQLite migration
    /// `landed-metadata-v1`, PostgreSQL schema versions 5 and later), so that opening or `migrate` migrates it again.
    public var undoingLandedMetadataIndex: String {
        let undo = self == .sqlite
            ? "DELETE FROM grdb_migrations WHERE identifier = 'landed-metadata-v1'"
            : "DELETE FROM schema_version WHERE version >= 5"
        return """
            DROP INDEX downstream_syncs_metadata_late; DROP TABLE landed_metadata;
            ALTER TABLE downstream_syncs DROP COLUMN metadata_late; ALTER TABLE downstream_syncs DROP COLUMN metadata_revision; \(undo);
            """
    }

    /// Runs `sql` on a store as an operator's client would (`sqlite3` on the file, `psql` on the
    /// URL); what it prints.
    @discardableResult
    public static func outside(path: String, url: String?, _ sql: String) throws -> String {
        guard let url else { return try sh("sqlite3", [path, sql]) }
        return try sh((PostgresCluster.binaries ?? "") + "/psql", ["-X", "-A", "-t", "-q", "-d", url, "-c", sql])
    }
}

extension SyncWorld {
    /// Runs `sql` on this world's store (SQLite file or PostgreSQL database); what it prints.
    @discardableResult
    public func storeSQL(_ sql: String) throws -> String { try StoreKind.outside(path: store, url: storeURL, sql) }
}
