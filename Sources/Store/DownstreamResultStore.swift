import Foundation
import GRDB

/// One `wptreport.json` of a try push's web-platform-tests task, as stored with its downstream sync.
public struct DownstreamResult: Sendable, Equatable {
    /// The try push (its changeset).
    public var revision: String
    public var taskID: String
    /// The task's label (`metadata.name`), e.g. `test-linux1804-64-qr/opt-web-platform-tests-1`.
    public var label: String
    /// The report as the task published it (JSON); kept gzip-compressed.
    public var report: [UInt8]

    public init(revision: String, taskID: String, label: String, report: [UInt8]) {
        self.revision = revision; self.taskID = taskID; self.label = label; self.report = report
    }
}

/// Where the reports of downstream try pushes are kept, per pull request. Implemented by the
/// journal's database.
public protocol DownstreamResultStore: Sendable {
    /// Stores the reports of try push `revision` of pull request `pullRequest` (compressed),
    /// replacing those stored for it before, then keeps only the newest `keep` try pushes' reports
    /// of that pull request; in one transaction.
    func saveDownstreamResults(pullRequest: Int, revision: String, _ results: [DownstreamResult], keepingRuns keep: Int) throws(StoreError)
    /// The stored reports of pull request `pullRequest`, oldest try push first.
    func downstreamResults(pullRequest: Int) throws(StoreError) -> [DownstreamResult]
}

extension SQLiteJournal: DownstreamResultStore {
    static func registerDownstreamResultMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("downstream-results-v1") { db in
            try db.execute(sql: """
                CREATE TABLE downstream_results (
                    pull_request INTEGER NOT NULL, run INTEGER NOT NULL, revision TEXT NOT NULL,
                    task_id TEXT NOT NULL, label TEXT NOT NULL, report BLOB NOT NULL,
                    PRIMARY KEY (pull_request, revision, task_id))
                """)
        }
    }

    public func saveDownstreamResults(pullRequest: Int, revision: String, _ results: [DownstreamResult],
                                      keepingRuns keep: Int) throws(StoreError) {
        try write { db in
            let existing = try Int.fetchOne(db, sql: "SELECT run FROM downstream_results WHERE pull_request = ? AND revision = ?",
                                            arguments: [pullRequest, revision])
            let next = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(run), 0) + 1 FROM downstream_results WHERE pull_request = ?",
                                        arguments: [pullRequest]) ?? 1
            try db.execute(sql: "DELETE FROM downstream_results WHERE pull_request = ? AND revision = ?", arguments: [pullRequest, revision])
            for result in results {
                try db.execute(sql: """
                    INSERT INTO downstream_results (pull_request, run, revision, task_id, label, report) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [pullRequest, existing ?? next, revision, result.taskID, result.label, Data(Gzip.compress(result.report))])
            }
            try db.execute(sql: """
                DELETE FROM downstream_results WHERE pull_request = ? AND run NOT IN (
                    SELECT DISTINCT run FROM downstream_results WHERE pull_request = ? ORDER BY run DESC LIMIT ?)
                """, arguments: [pullRequest, pullRequest, max(1, keep)])
        }
    }

    public func downstreamResults(pullRequest: Int) throws(StoreError) -> [DownstreamResult] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT revision, task_id, label, report FROM downstream_results WHERE pull_request = ? ORDER BY run, rowid
                """, arguments: [pullRequest]).map { row in
                let revision: String = row["revision"], taskID: String = row["task_id"]
                let blob: Data = row["report"]
                switch Gzip.decompress(Array(blob)) {
                case .success(let report):
                    return DownstreamResult(revision: revision, taskID: taskID, label: row["label"], report: report)
                case .failure(let failure):
                    throw StoreError.corruptBlob(what: "the stored wptreport.json of task \(taskID) (PR #\(pullRequest), try push \(revision))",
                                                 reason: failure.reason)
                }
            }
        }
    }
}
