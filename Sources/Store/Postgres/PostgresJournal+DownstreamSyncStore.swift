import Foundation
import SyncCore

/// Downstream syncs and their try results, with the rules of `SQLiteJournal: DownstreamSyncStore`
/// and `DownstreamResultStore` (reports gzip-compressed in `bytea`).
extension PostgresJournal: DownstreamSyncStore {
    public func downstreamSync(pullRequest number: Int) throws(StoreError) -> DownstreamSync? {
        try run("SELECT pull_request, record FROM downstream_syncs WHERE pull_request = $1", [String(number)]).rows.first
            .map(Self.downstreamSync(row:))
    }

    public func downstreamSyncs() throws(StoreError) -> [DownstreamSync] {
        try run("SELECT pull_request, record FROM downstream_syncs ORDER BY pull_request").rows.map(Self.downstreamSync(row:))
    }

    public func saveDownstreamSync(_ sync: DownstreamSync) throws(StoreError) {
        let pr = String(sync.pullRequest)
        try transaction { db throws(StoreError) in
            try Self.lock(db, "landed_metadata \(sync.pullRequest)")
            try db.execute("""
                INSERT INTO downstream_syncs (pull_request, record, metadata_revision) VALUES ($1, $2, $3)
                ON CONFLICT (pull_request) DO UPDATE SET record = excluded.record, metadata_revision = excluded.metadata_revision
                """, [pr, try Self.encoded(sync, in: db), LateMetadata.revision(of: sync)])
            try db.execute(LandedMetadataSQL.markLate(where: "pull_request = $1::bigint"), [pr])
        }
    }

    static func downstreamSync(row: [String?]) throws(StoreError) -> DownstreamSync {
        let number = Int64(row[0] ?? "") ?? 0
        do { return try RecordCoding.decode(DownstreamSync.self, row[1] ?? "") } catch {
            throw .corruptRecord(id: number, reason: "downstream_syncs: \(error)")
        }
    }

    public func saveDownstreamResults(pullRequest: Int, revision: String, _ results: [DownstreamResult],
                                      keepingRuns keep: Int) throws(StoreError) {
        let pr = String(pullRequest)
        try transaction { db throws(StoreError) in
            // Two saves for one PR numbering runs at once would both take the same next run.
            try Self.lock(db, "downstream_results \(pullRequest)")
            let run = try db.execute("""
                SELECT COALESCE((SELECT run FROM downstream_results WHERE pull_request = $1 AND revision = $2 LIMIT 1),
                                (SELECT COALESCE(MAX(run), 0) + 1 FROM downstream_results WHERE pull_request = $1))
                """, [pr, revision]).rows[0][0]
            try db.execute("DELETE FROM downstream_results WHERE pull_request = $1 AND revision = $2", [pr, revision])
            for result in results {
                try db.execute("""
                    INSERT INTO downstream_results (pull_request, run, revision, task_id, label, report) VALUES ($1, $2, $3, $4, $5, $6)
                    """, [pr, run, revision, result.taskID, result.label, Self.bytea(Gzip.compress(result.report))])
            }
            try db.execute("""
                DELETE FROM downstream_results WHERE pull_request = $1 AND run NOT IN (
                    SELECT DISTINCT run FROM downstream_results WHERE pull_request = $1 ORDER BY run DESC LIMIT $2)
                """, [pr, String(max(1, keep))])
        }
    }

    public func downstreamResults(pullRequest: Int) throws(StoreError) -> [DownstreamResult] {
        try run("""
            SELECT revision, task_id, label, report FROM downstream_results WHERE pull_request = $1 ORDER BY run, position
            """, [String(pullRequest)]).rows.map { row throws(StoreError) in
            let revision = row[0] ?? "", taskID = row[1] ?? ""
            let what = "the stored wptreport.json of task \(taskID) (PR #\(pullRequest), try push \(revision))"
            guard let compressed = Self.bytes(bytea: row[3] ?? "") else { throw .corruptBlob(what: what, reason: "not a bytea value") }
            switch Gzip.decompress(compressed) {
            case .success(let report): return DownstreamResult(revision: revision, taskID: taskID, label: row[2] ?? "", report: report)
            case .failure(let failure): throw .corruptBlob(what: what, reason: failure.reason)
            }
        }
    }
}
