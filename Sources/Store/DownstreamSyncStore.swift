import Foundation
import GRDB
import SyncCore

/// Where downstream syncs (one per upstream pull request) are kept. Implemented by the journal's database.
public protocol DownstreamSyncStore: DownstreamResultStore {
    /// The sync of pull request `number`, if there is one.
    func downstreamSync(pullRequest number: Int) throws(StoreError) -> DownstreamSync?
    /// Every downstream sync, by pull request number.
    func downstreamSyncs() throws(StoreError) -> [DownstreamSync]
    /// Inserts or replaces the sync of its pull request.
    func saveDownstreamSync(_ sync: DownstreamSync) throws(StoreError)
    /// The syncs whose metadata is not the one that landed with their PR's import (or after it), by
    /// pull request number: those whose metadata may land late. Read through an index.
    func downstreamSyncsWithLateMetadata() throws(StoreError) -> [DownstreamSync]
}

extension SQLiteJournal: DownstreamSyncStore {
    static func registerDownstreamSyncMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("downstream-syncs-v1") { db in
            try db.execute(sql: "CREATE TABLE downstream_syncs (pull_request INTEGER PRIMARY KEY, record TEXT NOT NULL)")
        }
    }

    public func downstreamSync(pullRequest number: Int) throws(StoreError) -> DownstreamSync? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT record FROM downstream_syncs WHERE pull_request = ?", arguments: [number])
                .map { try Self.decodeDownstream($0, pullRequest: number) }
        }
    }

    public func downstreamSyncs() throws(StoreError) -> [DownstreamSync] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pull_request, record FROM downstream_syncs ORDER BY pull_request")
                .map { try Self.decodeDownstream($0["record"], pullRequest: $0["pull_request"]) }
        }
    }

    public func saveDownstreamSync(_ sync: DownstreamSync) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO downstream_syncs (pull_request, record, metadata_revision) VALUES (?, ?, ?)",
                           arguments: [sync.pullRequest, try RecordCoding.encode(sync), LateMetadata.revision(of: sync)])
            try db.execute(sql: LandedMetadataSQL.markLate(where: "pull_request = ?"), arguments: [sync.pullRequest])
        }
    }

    static func decodeDownstream(_ text: String, pullRequest: Int) throws -> DownstreamSync {
        do { return try RecordCoding.decode(DownstreamSync.self, text) } catch {
            throw StoreError.corruptRecord(id: Int64(pullRequest), reason: "downstream_syncs: \(error)")
        }
    }
}
