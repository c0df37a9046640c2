import Foundation
import SyncCore

/// The landed-metadata index (`LandedMetadataSQL`), with the rules of the SQLite store. A landing's
/// save and a sync's save take the PR's advisory lock before they read or write its late mark, so
/// neither misses the other's rows.
extension PostgresJournal {
    /// Schema version 5: the index and the late marks (the statements may run again: a store whose
    /// version row was removed by hand migrates again).
    static let landedMetadataSchema = """
        CREATE TABLE IF NOT EXISTS landed_metadata (
            pull_request BIGINT NOT NULL,
            landing_id BIGINT NOT NULL,
            revision TEXT,
            record TEXT,
            PRIMARY KEY (pull_request, landing_id)
        );
        CREATE INDEX IF NOT EXISTS landed_metadata_landing ON landed_metadata(landing_id);
        ALTER TABLE downstream_syncs ADD COLUMN IF NOT EXISTS metadata_revision TEXT;
        ALTER TABLE downstream_syncs ADD COLUMN IF NOT EXISTS metadata_late INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS downstream_syncs_metadata_late ON downstream_syncs(pull_request) WHERE metadata_late = 1;
        """

    /// Fills the index from the landings and syncs recorded before it, in the migration's
    /// transaction; returns those it cannot read, which it leaves out and as they are.
    static func backfillLandedMetadata(_ db: PostgresConnection) throws(StoreError) -> [SkippedRecord] {
        var skipped: [SkippedRecord] = []
        for row in try db.execute(LandedMetadataSQL.backfilledLandings).rows {
            guard let id = row[0].flatMap({ Int64($0) }),
                  let landing = LandedMetadataSQL.landing(id: id, json: row[1], skipped: &skipped, migration: "schema version 5") else { continue }
            try indexLanding(db, landing)
        }
        for row in try db.execute(LandedMetadataSQL.backfilledSyncs).rows {
            guard let pr = row[0], let number = Int64(pr),
                  let sync = LandedMetadataSQL.sync(pullRequest: number, json: row[1], skipped: &skipped, migration: "schema version 5") else { continue }
            try db.execute("UPDATE downstream_syncs SET metadata_revision = $1 WHERE pull_request = $2", [LateMetadata.revision(of: sync), pr])
        }
        try db.execute(LandedMetadataSQL.markLate(where: "TRUE"))
        try keep(skipped, db)
        return skipped
    }

    /// Takes the lock a sync's save takes (`lock(db, "landed_metadata <PR>")`) for each PR in `$1`,
    /// in one statement and in the order of the lock keys (evaluated after the sort), not of the PR
    /// numbers, whose keys may collide: two landings' saves cannot deadlock.
    static let lockPullRequests = """
        SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('landed_metadata ' || p) AS k FROM unnest($1::bigint[]) AS p) keys
        ORDER BY k
        """

    /// Rewrites `landing`'s index rows and the late marks of the PRs they name or named.
    static func indexLanding(_ db: PostgresConnection, _ landing: Landing) throws(StoreError) {
        let id = String(landing.id)
        let before = try db.execute("SELECT pull_request FROM landed_metadata WHERE landing_id = $1", [id]).rows.compactMap { $0[0].flatMap { Int($0) } }
        let entries = LateMetadata.entries(of: landing)
        let touched = Set(before).union(entries.map(\.pullRequest)).sorted()
        try db.execute(lockPullRequests, [integerArray(touched)])
        try db.execute("DELETE FROM landed_metadata WHERE landing_id = $1", [id])
        for entry in entries {
            let row: [String?]
            do { row = try LandedMetadataSQL.row(entry) } catch { throw .query(path: db.parameters.url, reason: "\(error)") }
            try db.execute("INSERT INTO landed_metadata (pull_request, landing_id, revision, record) VALUES ($1, $2, $3, $4)", row)
        }
        guard !touched.isEmpty else { return }
        try db.execute(LandedMetadataSQL.markLate(where: "pull_request = ANY($1::bigint[])"), [integerArray(touched)])
    }

    public func landedMetadata(pullRequests: [Int]) throws(StoreError) -> [LandedMetadataEntry] {
        guard !pullRequests.isEmpty else { return [] }
        return try run("""
            SELECT pull_request, landing_id, record FROM landed_metadata WHERE pull_request = ANY($1::bigint[])
            ORDER BY landing_id DESC, pull_request
            """, [Self.integerArray(pullRequests)]).rows.map { row throws(StoreError) in
            try LandedMetadataSQL.entry(pullRequest: Int(row[0] ?? "") ?? 0, landing: Int64(row[1] ?? "") ?? 0, record: row[2])
        }
    }

    public func downstreamSyncsWithLateMetadata() throws(StoreError) -> [DownstreamSync] {
        try run(LandedMetadataSQL.lateSyncs).rows.map(Self.downstreamSync(row:))
    }
}
