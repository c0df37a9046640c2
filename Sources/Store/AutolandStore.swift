import Foundation
import GRDB
import SyncCore

/// Where autoland requests are kept, one per try push tip. Implemented by the journal's database.
public protocol AutolandStore: Sendable {
    /// Inserts (id 0) or updates a request, returning it with its id and new version; a stale
    /// version fails with `StoreError.staleRecord`. Inserting a second request for the same
    /// repository and tip returns the stored one unchanged.
    func save(_ request: AutolandRequest) throws(StoreError) -> AutolandRequest
    func autolandRequest(id: Int64) throws(StoreError) -> AutolandRequest?
    func autolandRequest(repository: String, tip: String) throws(StoreError) -> AutolandRequest?
    /// Requests, newest first, optionally only those in one of `phases`.
    func autolandRequests(phases: [AutolandPhase]?) throws(StoreError) -> [AutolandRequest]
    /// The `limit` newest requests, whatever their phase.
    func latestAutolandRequests(limit: Int) throws(StoreError) -> [AutolandRequest]
    /// Requests with comments not yet on their bugs, oldest first.
    func autolandRequestsWithUnpostedComments() throws(StoreError) -> [AutolandRequest]
}

extension AutolandRequest: StoredRecord {}

extension SQLiteJournal: AutolandStore {
    static func registerAutolandMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("autoland-requests-v1") { db in
            try db.execute(sql: """
                CREATE TABLE autoland_requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository TEXT NOT NULL,
                    tip TEXT NOT NULL,
                    status TEXT NOT NULL,
                    status_since REAL,
                    record TEXT NOT NULL,
                    UNIQUE (repository, tip)
                );
                CREATE INDEX autoland_requests_status ON autoland_requests(status);
                """)
        }
        migrator.registerMigration("autoland-requests-v2-unposted") { db in
            try db.execute(sql: """
                ALTER TABLE autoland_requests ADD COLUMN unposted INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX autoland_requests_unposted ON autoland_requests(id) WHERE unposted > 0;
                """)
        }
        registerSheriffAccessMigrations(&migrator)
    }

    public func save(_ request: AutolandRequest) throws(StoreError) -> AutolandRequest {
        try write { db in
            if request.id == 0, let id = try Int64.fetchOne(db, sql: "SELECT id FROM autoland_requests WHERE repository = ? AND tip = ?",
                                                          arguments: [request.repository, request.tip]) {
                return try Self.fetchRecord(db, table: "autoland_requests", id: id) ?? request
            }
            return try Self.saveVersioned(db, request, table: "autoland_requests",
                                          columns: ["status": request.state.phase.rawValue, "repository": request.repository, "tip": request.tip,
                                                   "unposted": request.unpostedComments.count])
        }
    }

    public func autolandRequest(id: Int64) throws(StoreError) -> AutolandRequest? {
        try read { db in try Self.fetchRecord(db, table: "autoland_requests", id: id) }
    }

    public func autolandRequest(repository: String, tip: String) throws(StoreError) -> AutolandRequest? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM autoland_requests WHERE repository = ? AND tip = ?", arguments: [repository, tip])
                .flatMap { try Self.fetchRecord(db, table: "autoland_requests", id: $0) }
        }
    }

    public func autolandRequests(phases: [AutolandPhase]?) throws(StoreError) -> [AutolandRequest] {
        try read { db in
            let filter = phases.map { " WHERE status IN (\($0.map { _ in "?" }.joined(separator: ", ")))" } ?? ""
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM autoland_requests\(filter) ORDER BY id DESC",
                                         arguments: StatementArguments((phases ?? []).map(\.rawValue)))
            return try ids.compactMap { try Self.fetchRecord(db, table: "autoland_requests", id: $0) }
        }
    }

    public func latestAutolandRequests(limit: Int) throws(StoreError) -> [AutolandRequest] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM autoland_requests ORDER BY id DESC LIMIT ?", arguments: [limit])
                .compactMap { try Self.fetchRecord(db, table: "autoland_requests", id: $0) }
        }
    }

    public func autolandRequestsWithUnpostedComments() throws(StoreError) -> [AutolandRequest] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM autoland_requests WHERE unposted > 0 ORDER BY id")
                .compactMap { try Self.fetchRecord(db, table: "autoland_requests", id: $0) }
        }
    }
}
