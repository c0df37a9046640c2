import Foundation
import SyncCore

/// Autoland requests, with the rules of `SQLiteJournal: AutolandStore`: one per repository and
/// tip (a second insert, even a concurrent one, returns the stored request).
extension PostgresJournal: AutolandStore {
    public func save(_ request: AutolandRequest) throws(StoreError) -> AutolandRequest {
        try transaction { db throws(StoreError) in
            if request.id == 0 {
                try Self.lock(db, "autoland_requests \(request.repository) \(request.tip)")
                if let stored = try Self.records(db, table: "autoland_requests", """
                    SELECT id, record FROM autoland_requests WHERE repository = $1 AND tip = $2
                    """, [request.repository, request.tip], as: AutolandRequest.self).first {
                    return stored
                }
            }
            return try Self.saveVersioned(db, request, table: "autoland_requests",
                                          columns: ["status": request.state.phase.rawValue, "repository": request.repository, "tip": request.tip,
                                                    "unposted": String(request.unpostedComments.count)])
        }
    }

    public func autolandRequest(id: Int64) throws(StoreError) -> AutolandRequest? {
        try read { db throws(StoreError) in try Self.record(db, table: "autoland_requests", id: id) }
    }

    public func autolandRequest(repository: String, tip: String) throws(StoreError) -> AutolandRequest? {
        try read { db throws(StoreError) in
            try Self.records(db, table: "autoland_requests", "SELECT id, record FROM autoland_requests WHERE repository = $1 AND tip = $2",
                             [repository, tip], as: AutolandRequest.self).first
        }
    }

    public func autolandRequests(phases: [AutolandPhase]?) throws(StoreError) -> [AutolandRequest] {
        try read { db throws(StoreError) in
            try Self.records(db, table: "autoland_requests", """
                SELECT id, record FROM autoland_requests WHERE $1::text[] IS NULL OR status = ANY($1::text[]) ORDER BY id DESC
                """, [phases.map { Self.textArray($0.map(\.rawValue)) }])
        }
    }

    public func latestAutolandRequests(limit: Int) throws(StoreError) -> [AutolandRequest] {
        try read { db throws(StoreError) in
            try Self.records(db, table: "autoland_requests", "SELECT id, record FROM autoland_requests ORDER BY id DESC LIMIT $1", [String(limit)])
        }
    }

    public func autolandRequestsWithUnpostedComments() throws(StoreError) -> [AutolandRequest] {
        try read { db throws(StoreError) in
            try Self.records(db, table: "autoland_requests", "SELECT id, record FROM autoland_requests WHERE unposted > 0 ORDER BY id")
        }
    }
}
