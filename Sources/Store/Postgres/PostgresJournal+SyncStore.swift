import Foundation
import SyncCore

/// Upstream sync records, with the rules of `SQLiteJournal: SyncStore`.
extension PostgresJournal: SyncStore {
    public func syncs(relevantToBugs bugs: [Int], nodePrefixes: [String]) throws(StoreError) -> [UpstreamSync] {
        let prefixes = nodePrefixes.filter { $0.allSatisfy(\.isHexDigit) }
        guard !bugs.isEmpty || !prefixes.isEmpty else { return [] }
        return try read { db throws(StoreError) in
            try Self.records(db, table: "upstream_syncs", """
                SELECT id, record FROM upstream_syncs WHERE id IN (
                    SELECT id FROM upstream_syncs WHERE bug = ANY($1::bigint[])
                    UNION SELECT n.sync_id FROM unnest($2::text[]) p(prefix)
                          JOIN upstream_sync_nodes n ON n.node >= p.prefix AND n.node < p.prefix || 'g')
                ORDER BY id
                """, [Self.integerArray(bugs), Self.textArray(prefixes)])
        }
    }

    public func save(_ sync: UpstreamSync) throws(StoreError) -> UpstreamSync {
        try transaction { db throws(StoreError) in
            let stored = try Self.saveVersioned(db, sync, table: "upstream_syncs",
                                                columns: ["bug": sync.bug.map(String.init), "sequence": String(sync.sequence), "status": sync.status.rawValue])
            try db.execute("DELETE FROM upstream_sync_nodes WHERE sync_id = $1", [String(stored.id)])
            try db.execute("""
                INSERT INTO upstream_sync_nodes (node, sync_id) SELECT DISTINCT unnest($1::text[]), $2::bigint
                ON CONFLICT (node) DO UPDATE SET sync_id = excluded.sync_id
                """, [Self.textArray(stored.changesets.map(\.node)), String(stored.id)])
            return stored
        }
    }

    public func sync(id: Int64) throws(StoreError) -> UpstreamSync? {
        try read { db throws(StoreError) in try Self.record(db, table: "upstream_syncs", id: id) }
    }

    public func syncs(bug: Int?, status: SyncStatus?) throws(StoreError) -> [UpstreamSync] {
        try read { db throws(StoreError) in
            try Self.records(db, table: "upstream_syncs", """
                SELECT id, record FROM upstream_syncs WHERE ($1::bigint IS NULL OR bug = $1) AND ($2::text IS NULL OR status = $2)
                ORDER BY id DESC
                """, [bug.map(String.init), status?.rawValue])
        }
    }

    public func deleteSync(id: Int64) throws(StoreError) {
        try run("DELETE FROM upstream_syncs WHERE id = $1", [String(id)])
    }
}

/// The re-check marks, with the rules of `SQLiteJournal: RecheckMarkStore`; the syncs' generation
/// is kept by a trigger, so writes from outside wptsync count too.
extension PostgresJournal: RecheckMarkStore {
    public func recheckMark(_ task: String) throws(StoreError) -> String? {
        try run("SELECT mark FROM recheck_marks WHERE task = $1", [task]).rows.first?[0]
    }

    public func setRecheckMark(_ task: String, to mark: String) throws(StoreError) {
        try run("INSERT INTO recheck_marks (task, mark) VALUES ($1, $2) ON CONFLICT (task) DO UPDATE SET mark = excluded.mark", [task, mark])
    }

    public func syncsGeneration() throws(StoreError) -> Int64 {
        Int64(try run("SELECT generation FROM table_generations WHERE name = 'upstream_syncs'").rows.first?[0] ?? "") ?? 0
    }
}
