import Foundation
import SyncCore

/// What `wptsync status` reads, with the rules of `SQLiteJournal: StatusStore` (`pendingSummary`
/// is with the events), and the periodic tasks' outcomes.
extension PostgresJournal: StatusStore {
    public func syncsWithStatusTime(_ statuses: [SyncStatus]) throws(StoreError) -> [(sync: UpstreamSync, since: Date?)] {
        let rows: [(UpstreamSync, Date?)] = try recordsWithStatusTime(table: "upstream_syncs", statuses: statuses.map(\.rawValue))
        return rows.map { (sync: $0.0, since: $0.1) }
    }

    public func landingsWithStatusTime(_ statuses: [LandingStatus]) throws(StoreError) -> [(landing: Landing, since: Date?)] {
        let rows: [(Landing, Date?)] = try recordsWithStatusTime(table: "landings", statuses: statuses.map(\.rawValue))
        return rows.map { (landing: $0.0, since: $0.1) }
    }

    private func recordsWithStatusTime<Record: StoredRecord>(table: String, statuses: [String]) throws(StoreError) -> [(Record, Date?)] {
        try run("SELECT id, record, status_since FROM \(table) WHERE status = ANY($1::text[]) ORDER BY id DESC", [Self.textArray(statuses)])
            .rows.map { row throws(StoreError) in
                (try Record.decoded(row[1] ?? "", id: Int64(row[0] ?? "") ?? 0, table: table), Self.date(row[2]))
            }
    }

    public func recordPeriodicRun(_ name: String, at now: Date, error: String?) throws(StoreError) {
        if let error {
            try run("""
                INSERT INTO periodic_runs (name, failing_since, last_error) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO UPDATE SET failing_since = COALESCE(periodic_runs.failing_since, excluded.failing_since), last_error = excluded.last_error
                """, [name, Self.time(now), error])
        } else {
            try run("""
                INSERT INTO periodic_runs (name, last_success) VALUES ($1, $2)
                ON CONFLICT (name) DO UPDATE SET last_success = excluded.last_success, failing_since = NULL, last_error = NULL
                """, [name, Self.time(now)])
        }
    }

    public func periodicRuns() throws(StoreError) -> [PeriodicRun] {
        try run("SELECT name, last_success, failing_since, last_error FROM periodic_runs ORDER BY name").rows.map { row in
            PeriodicRun(name: row[0] ?? "", lastSuccess: Self.date(row[1]), failingSince: Self.date(row[2]), lastError: row[3])
        }
    }

    public func holdsRecords() throws(StoreError) -> Bool {
        try run(holdsRecordsQuery).rows.first?[0] == "1"
    }
}
