import Foundation
import GRDB

/// A response kept for conditional GETs across runs: the `ETag` and what came with it.
public struct StoredResponse: Sendable, Equatable {
    public var etag: String
    public var status: Int
    /// Header fields in order (names as received).
    public var headers: [[String]]
    public var body: [UInt8]
    public var storedAt: Date

    public init(etag: String, status: Int, headers: [[String]], body: [UInt8], storedAt: Date) {
        self.etag = etag; self.status = status; self.headers = headers; self.body = body; self.storedAt = storedAt
    }
}

/// Responses kept by URL for conditional requests (`http_cache`; bodies gzip-compressed), so that a
/// new worker's first reconciliation is answered 304 too. Implemented by the journal's database.
public protocol HTTPCacheStore: Sendable {
    func cachedResponse(url: String) throws(StoreError) -> StoredResponse?
    func saveCachedResponse(_ response: StoredResponse, url: String) throws(StoreError)
    /// Forgets the responses stored before `date`; how many.
    @discardableResult
    func pruneCachedResponses(storedBefore date: Date) throws(StoreError) -> Int
}

extension SQLiteJournal: HTTPCacheStore {
    static func registerHTTPCacheMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("http-cache-v1") { db in
            try db.execute(sql: """
                CREATE TABLE http_cache (
                    url TEXT PRIMARY KEY, etag TEXT NOT NULL, status INTEGER NOT NULL, headers TEXT NOT NULL,
                    body BLOB NOT NULL, stored_at REAL NOT NULL
                )
                """)
        }
    }

    public func cachedResponse(url: String) throws(StoreError) -> StoredResponse? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM http_cache WHERE url = ?", arguments: [url]) else { return nil }
            let headers = try JSONDecoder().decode([[String]].self, from: Data((row["headers"] as String).utf8))
            let compressed: Data = row["body"]
            guard case .success(let body) = Gzip.decompress(Array(compressed)) else { return nil }
            return StoredResponse(etag: row["etag"], status: row["status"], headers: headers, body: body,
                                  storedAt: Date(timeIntervalSince1970: row["stored_at"]))
        }
    }

    public func saveCachedResponse(_ response: StoredResponse, url: String) throws(StoreError) {
        try write { db in
            let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
            try db.execute(sql: "INSERT OR REPLACE INTO http_cache (url, etag, status, headers, body, stored_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [url, response.etag, response.status, headers, Data(Gzip.compress(response.body)),
                                       response.storedAt.timeIntervalSince1970])
        }
    }

    public func pruneCachedResponses(storedBefore date: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM http_cache WHERE stored_at < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
