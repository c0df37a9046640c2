import Foundation
import GRDB
import SyncCore

/// How an upstream commit was mapped to its PR, stored so it is looked up once and can be corrected.
public struct CommitMapping: Sendable, Equatable {
    public var sha: String
    /// nil: the commit came from no PR.
    public var pullRequest: Int?
    /// Where the answer came from: `message`, `gecko-sync`, `github` or `manual`.
    public var source: String
    public var title: String?

    public init(sha: String, pullRequest: Int?, source: String, title: String? = nil) {
        self.sha = sha; self.pullRequest = pullRequest; self.source = source; self.title = title
    }
}

/// Where landing records and the upstream commit → PR map live. Implemented by the journal's database.
public protocol LandingStore: Sendable {
    /// Inserts (id 0) or updates a landing and returns it with its id and new version; a stale
    /// version fails with `StoreError.staleRecord`, and so does a second unpushed landing.
    func save(_ landing: Landing) throws(StoreError) -> Landing
    func landing(id: Int64) throws(StoreError) -> Landing?
    /// Landings, newest first, optionally only those in one of `statuses`, at most `limit`.
    func landings(statuses: [LandingStatus]?, limit: Int?) throws(StoreError) -> [Landing]
    func commitMapping(sha: String) throws(StoreError) -> CommitMapping?
    /// Stores a mapping; a `manual` one is only replaced by another `manual` one.
    func setCommitMapping(_ mapping: CommitMapping) throws(StoreError)
    /// What the landings in Gecko carried for `pullRequests` (`LateMetadata.entries`), newest landing
    /// first; read from an index kept with each landing's save.
    func landedMetadata(pullRequests: [Int]) throws(StoreError) -> [LandedMetadataEntry]
}

extension LandingStore {
    /// Every landing in one of `statuses` (all when nil), newest first.
    public func landings(statuses: [LandingStatus]?) throws(StoreError) -> [Landing] {
        try landings(statuses: statuses, limit: nil)
    }
}

extension SQLiteJournal: LandingStore {
    static func registerLandingMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("landings-v1") { db in
            try db.execute(sql: """
                CREATE TABLE landings (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    status TEXT NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX landings_status ON landings(status);
                CREATE UNIQUE INDEX landings_one_unpushed ON landings((1)) WHERE status IN ('open', 'deferred', 'needs-fixup');
                CREATE TABLE upstream_commit_prs (
                    sha TEXT PRIMARY KEY,
                    pr INTEGER,
                    source TEXT NOT NULL,
                    title TEXT
                );
                """)
        }
    }

    public func save(_ landing: Landing) throws(StoreError) -> Landing {
        try write { db in
            let saved = try Self.saveVersioned(db, landing, table: "landings", columns: ["status": landing.status.rawValue])
            try Self.indexLanding(db, saved)
            return saved
        }
    }

    public func landing(id: Int64) throws(StoreError) -> Landing? {
        try read { db in try Self.fetchRecord(db, table: "landings", id: id) }
    }

    public func landings(statuses: [LandingStatus]?, limit: Int?) throws(StoreError) -> [Landing] {
        try read { db in
            let filter = statuses.map { " WHERE status IN (\($0.map { _ in "?" }.joined(separator: ", ")))" } ?? ""
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM landings\(filter) ORDER BY id DESC LIMIT ?",
                                         arguments: StatementArguments((statuses ?? []).map(\.rawValue)) + [limit ?? -1])
            return try ids.compactMap { try Self.fetchRecord(db, table: "landings", id: $0) }
        }
    }

    public func commitMapping(sha: String) throws(StoreError) -> CommitMapping? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM upstream_commit_prs WHERE sha = ?", arguments: [sha]).map {
                CommitMapping(sha: $0["sha"], pullRequest: $0["pr"], source: $0["source"], title: $0["title"])
            }
        }
    }

    public func setCommitMapping(_ mapping: CommitMapping) throws(StoreError) {
        try write { db in
            if mapping.source != "manual",
               try String.fetchOne(db, sql: "SELECT source FROM upstream_commit_prs WHERE sha = ?", arguments: [mapping.sha]) == "manual" {
                return
            }
            try db.execute(sql: "INSERT OR REPLACE INTO upstream_commit_prs (sha, pr, source, title) VALUES (?, ?, ?, ?)",
                           arguments: [mapping.sha, mapping.pullRequest, mapping.source, mapping.title])
        }
    }
}

/// Records kept as JSON in a `record` column, with their id in the `id` column and a version
/// bumped on every save.
protocol StoredRecord: Codable {
    var id: Int64 { get set }
    var version: Int { get set }
}
extension UpstreamSync: StoredRecord {}
extension Landing: StoredRecord {}

extension SQLiteJournal {
    static func fetchRecord<Record: StoredRecord>(_ db: Database, table: String, id: Int64) throws -> Record? {
        guard let json = try String.fetchOne(db, sql: "SELECT record FROM \(table) WHERE id = ?", arguments: [id]) else { return nil }
        return try Record.decoded(json, id: id, table: table)
    }

    /// Inserts (id 0) or updates `record` with `columns` beside its JSON; an update based on a
    /// version another writer has replaced (or a deleted record) throws `StoreError.staleRecord`.
    static func saveVersioned<Record: StoredRecord>(_ db: Database, _ record: Record, table: String,
                                                    columns: RecordColumns) throws -> Record {
        var stored = record
        let names = columns.keys.sorted()
        let values = StatementArguments(names.map { columns[$0] ?? nil })
        let previous = stored.id == 0 ? nil : try String.fetchOne(db, sql: "SELECT status FROM \(table) WHERE id = ?", arguments: [stored.id])
        if stored.id == 0 {
            try db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ", ")), record) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")), '{}')",
                           arguments: values)
            stored.id = db.lastInsertedRowID
        } else {
            let current: Record? = try fetchRecord(db, table: table, id: stored.id)
            guard current?.version == record.version else { throw StoreError.staleRecord(id: stored.id) }
        }
        stored.version = record.version + 1
        try db.execute(sql: "UPDATE \(table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")), record = ? WHERE id = ?",
                       arguments: values + [try RecordCoding.encode(stored), stored.id])
        try markStatusChange(db, table: table, id: stored.id, previous: previous)
        return stored
    }

    typealias RecordColumns = [String: (any DatabaseValueConvertible)?]
}
