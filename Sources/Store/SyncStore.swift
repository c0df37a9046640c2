import Foundation
import GRDB
import SyncCore

/// Where upstream sync records live. Implemented by the journal's database.
public protocol SyncStore: Sendable {
    /// The syncs a push may touch: those of `bugs`, and those holding a node that starts with one of
    /// `nodePrefixes` (both through indexes).
    func syncs(relevantToBugs bugs: [Int], nodePrefixes: [String]) throws(StoreError) -> [UpstreamSync]
    /// Inserts (id 0) or updates a sync and returns it with its id and new version. An update based
    /// on a version another process has replaced meanwhile fails with `StoreError.staleRecord`.
    func save(_ sync: UpstreamSync) throws(StoreError) -> UpstreamSync
    func sync(id: Int64) throws(StoreError) -> UpstreamSync?
    /// Syncs, newest first, optionally only those of a bug or in a state.
    func syncs(bug: Int?, status: SyncStatus?) throws(StoreError) -> [UpstreamSync]
    /// Forgets a sync; the next event rebuilds it.
    func deleteSync(id: Int64) throws(StoreError)
}

extension SQLiteJournal: SyncStore {
    static func registerSyncMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("upstream-syncs-v1") { db in
            try db.execute(sql: """
                CREATE TABLE upstream_syncs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    bug INTEGER,
                    sequence INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX upstream_syncs_bug ON upstream_syncs(bug, sequence);
                CREATE INDEX upstream_syncs_status ON upstream_syncs(status);
                CREATE TABLE upstream_sync_nodes (
                    node TEXT PRIMARY KEY,
                    sync_id INTEGER NOT NULL REFERENCES upstream_syncs(id) ON DELETE CASCADE
                );
                """)
        }
        migrator.registerMigration("upstream-syncs-v2-unique-branch") { db in
            // Two workers racing to start a bug's sync cannot both succeed: one gets a constraint error and retries.
            try db.execute(sql: "CREATE UNIQUE INDEX upstream_syncs_branch ON upstream_syncs(bug, sequence) WHERE bug IS NOT NULL")
        }
    }

    public func syncs(relevantToBugs bugs: [Int], nodePrefixes: [String]) throws(StoreError) -> [UpstreamSync] {
        try read { db in
            var ids = Set<Int64>()
            for bug in bugs {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM upstream_syncs WHERE bug = ?", arguments: [bug]))
            }
            for prefix in nodePrefixes where prefix.allSatisfy(\.isHexDigit) {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT sync_id FROM upstream_sync_nodes WHERE node >= ? AND node < ?",
                                                 arguments: [prefix, prefix + "g"]))
            }
            return try ids.sorted().compactMap { try Self.fetchSync(db, id: $0) }
        }
    }

    public func save(_ sync: UpstreamSync) throws(StoreError) -> UpstreamSync {
        try write { db in
            let stored = try Self.saveVersioned(db, sync, table: "upstream_syncs",
                                                columns: ["bug": sync.bug, "sequence": sync.sequence, "status": sync.status.rawValue])
            try db.execute(sql: "DELETE FROM upstream_sync_nodes WHERE sync_id = ?", arguments: [stored.id])
            for changeset in stored.changesets {
                try db.execute(sql: "INSERT OR REPLACE INTO upstream_sync_nodes (node, sync_id) VALUES (?, ?)",
                               arguments: [changeset.node, stored.id])
            }
            return stored
        }
    }

    public func sync(id: Int64) throws(StoreError) -> UpstreamSync? {
        try read { db in try Self.fetchSync(db, id: id) }
    }

    public func syncs(bug: Int?, status: SyncStatus?) throws(StoreError) -> [UpstreamSync] {
        try read { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let bug { clauses.append("bug = ?"); _ = arguments.append(contentsOf: [bug]) }
            if let status { clauses.append("status = ?"); _ = arguments.append(contentsOf: [status.rawValue]) }
            let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM upstream_syncs\(filter) ORDER BY id DESC", arguments: arguments)
            return try ids.compactMap { try Self.fetchSync(db, id: $0) }
        }
    }

    public func deleteSync(id: Int64) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM upstream_sync_nodes WHERE sync_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM upstream_syncs WHERE id = ?", arguments: [id])
        }
    }

    private static func fetchSync(_ db: Database, id: Int64) throws -> UpstreamSync? {
        try fetchRecord(db, table: "upstream_syncs", id: id)
    }
}
