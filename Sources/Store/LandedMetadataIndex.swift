import Foundation
import GRDB
import SyncCore

// `landed_metadata` indexes, by PR, what each landing in Gecko carried (`LateMetadata.entries`),
// rewritten in the transaction that saves the landing. `downstream_syncs.metadata_revision` is the
// sync's metadata revision (`LateMetadata.revision`) and `metadata_late` is 1 while it differs
// from what landed with the PR's import, kept by both saves; a partial index holds those rows, so
// a landing build reads the syncs whose metadata may land late and nothing else.

/// The SQL both stores share.
enum LandedMetadataSQL {
    static let lateSyncs = "SELECT pull_request, record FROM downstream_syncs WHERE metadata_late = 1 ORDER BY pull_request"
    /// SQLite's: the index rows of the PRs in the JSON array `?`, newest landing first.
    static let landedSQLite = """
        SELECT pull_request, landing_id, record FROM landed_metadata WHERE pull_request IN (SELECT value FROM json_each(?))
        ORDER BY landing_id DESC, pull_request
        """

    /// Recomputes `metadata_late` of the syncs `filter` selects.
    static func markLate(where filter: String) -> String {
        """
        UPDATE downstream_syncs SET metadata_late = CASE WHEN metadata_revision IS NOT NULL
            AND EXISTS (SELECT 1 FROM landed_metadata l WHERE l.pull_request = downstream_syncs.pull_request)
            AND (SELECT l.revision FROM landed_metadata l WHERE l.pull_request = downstream_syncs.pull_request
                 ORDER BY l.landing_id DESC LIMIT 1) IS DISTINCT FROM metadata_revision THEN 1 ELSE 0 END
        WHERE \(filter)
        """
    }

    /// The index's row for `entry`: PR, landing, revision, `LandedMetadata` JSON.
    static func row(_ entry: LandedMetadataEntry) throws -> [String?] {
        [String(entry.pullRequest), String(entry.landing), entry.carried?.metadata.revision, try entry.carried.map(RecordCoding.encode)]
    }

    /// SQLite's migration; PostgreSQL's is schema version 5.
    static let migration = "landed-metadata-v1"
    /// What the migration derives the index from: landings and syncs recorded before it.
    static let backfilledLandings = "SELECT id, record FROM landings WHERE status IN ('pushed', 'landed') ORDER BY id"
    static let backfilledSyncs = "SELECT pull_request, record FROM downstream_syncs ORDER BY pull_request"

    /// Landing `id` as the migration reads it; nil when it cannot be read (added to `skipped`).
    static func landing(id: Int64, json: String?, skipped: inout [SkippedRecord], migration: String = migration) -> Landing? {
        var landing = SkippedRecord.decode(Landing.self, json, table: "landings", key: id, migration: migration, skipped: &skipped)
        landing?.id = id
        return landing
    }

    /// PR `pullRequest`'s downstream sync as the migration reads it; nil when it cannot be read.
    static func sync(pullRequest: Int64, json: String?, skipped: inout [SkippedRecord], migration: String = migration) -> DownstreamSync? {
        SkippedRecord.decode(DownstreamSync.self, json, table: "downstream_syncs", key: pullRequest, migration: migration, skipped: &skipped)
    }

    static func entry(pullRequest: Int, landing: Int64, record: String?) throws(StoreError) -> LandedMetadataEntry {
        do { return LandedMetadataEntry(landing: landing, pullRequest: pullRequest, carried: try record.map { try RecordCoding.decode(LandedMetadata.self, $0) }) } catch {
            throw .corruptRecord(id: landing, reason: "landed_metadata of PR #\(pullRequest): \(error)")
        }
    }
}

extension SQLiteJournal {
    static func registerLandedMetadataMigrations(_ migrator: inout DatabaseMigrator, skipped: SkippedRecords) {
        migrator.registerMigration(LandedMetadataSQL.migration) { db in
            try db.execute(sql: """
                CREATE TABLE landed_metadata (
                    pull_request INTEGER NOT NULL,
                    landing_id INTEGER NOT NULL,
                    revision TEXT,
                    record TEXT,
                    PRIMARY KEY (pull_request, landing_id)
                );
                CREATE INDEX landed_metadata_landing ON landed_metadata(landing_id);
                ALTER TABLE downstream_syncs ADD COLUMN metadata_revision TEXT;
                ALTER TABLE downstream_syncs ADD COLUMN metadata_late INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX downstream_syncs_metadata_late ON downstream_syncs(pull_request) WHERE metadata_late = 1;
                """)
            var unreadable: [SkippedRecord] = []
            for row in try Row.fetchAll(db, sql: LandedMetadataSQL.backfilledLandings) {
                let id: Int64 = row[0]
                guard let landing = LandedMetadataSQL.landing(id: id, json: row[1], skipped: &unreadable) else { continue }
                try indexLanding(db, landing)
            }
            for row in try Row.fetchAll(db, sql: LandedMetadataSQL.backfilledSyncs) {
                let pr: Int64 = row[0]
                guard let sync = LandedMetadataSQL.sync(pullRequest: pr, json: row[1], skipped: &unreadable) else { continue }
                try db.execute(sql: "UPDATE downstream_syncs SET metadata_revision = ? WHERE pull_request = ?",
                               arguments: [LateMetadata.revision(of: sync), pr])
            }
            try db.execute(sql: LandedMetadataSQL.markLate(where: "1"))
            try keep(unreadable, db)
            skipped.set(unreadable, for: LandedMetadataSQL.migration)
        }
        // For stores that ran `landed-metadata-v1` before its left-out records were kept.
        migrator.registerMigration("skipped-records-v1") { db in
            try db.execute(sql: SkippedRecordSQL.create(postgres: false))
        }
    }

    /// Rewrites `landing`'s index rows and the late marks of the PRs they name or named.
    static func indexLanding(_ db: Database, _ landing: Landing) throws {
        let before = try Int.fetchAll(db, sql: "SELECT pull_request FROM landed_metadata WHERE landing_id = ?", arguments: [landing.id])
        try db.execute(sql: "DELETE FROM landed_metadata WHERE landing_id = ?", arguments: [landing.id])
        let entries = LateMetadata.entries(of: landing)
        for entry in entries {
            try db.execute(sql: "INSERT INTO landed_metadata (pull_request, landing_id, revision, record) VALUES (?, ?, ?, ?)",
                           arguments: StatementArguments(try LandedMetadataSQL.row(entry)))
        }
        let touched = Set(before).union(entries.map(\.pullRequest))
        guard !touched.isEmpty else { return }
        try db.execute(sql: LandedMetadataSQL.markLate(where: "pull_request IN (SELECT value FROM json_each(?))"),
                       arguments: [RecordCoding.encode(touched.sorted())])
    }

    public func landedMetadata(pullRequests: [Int]) throws(StoreError) -> [LandedMetadataEntry] {
        guard !pullRequests.isEmpty else { return [] }
        let rows = try read { db in
            try Row.fetchAll(db, sql: LandedMetadataSQL.landedSQLite, arguments: [RecordCoding.encode(pullRequests)])
        }
        return try rows.map { row throws(StoreError) in try LandedMetadataSQL.entry(pullRequest: row["pull_request"], landing: row["landing_id"], record: row["record"]) }
    }

    public func downstreamSyncsWithLateMetadata() throws(StoreError) -> [DownstreamSync] {
        try read { db in
            try Row.fetchAll(db, sql: LandedMetadataSQL.lateSyncs).map { try Self.decodeDownstream($0["record"], pullRequest: $0["pull_request"]) }
        }
    }
}
