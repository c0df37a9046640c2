import Foundation

/// The conditional responses kept by URL, with the rules of `SQLiteJournal: HTTPCacheStore`
/// (bodies gzip-compressed in `bytea`).
extension PostgresJournal: HTTPCacheStore {
    public func cachedResponse(url: String) throws(StoreError) -> StoredResponse? {
        guard let row = try run("SELECT etag, status, headers, body, stored_at FROM http_cache WHERE url = $1", [url]).rows.first else { return nil }
        let headers: [[String]]
        do { headers = try RecordCoding.decode([[String]].self, row[2] ?? "") } catch { throw .query(path: parameters.url, reason: "\(error)") }
        // A body that cannot be expanded is a miss: the next response replaces it.
        guard let compressed = Self.bytes(bytea: row[3] ?? ""), case .success(let body) = Gzip.decompress(compressed) else { return nil }
        return StoredResponse(etag: row[0] ?? "", status: Int(row[1] ?? "") ?? 0, headers: headers, body: body,
                              storedAt: Self.date(row[4]) ?? Date(timeIntervalSince1970: 0))
    }

    public func saveCachedResponse(_ response: StoredResponse, url: String) throws(StoreError) {
        try read { db throws(StoreError) in
            try db.execute("""
                INSERT INTO http_cache (url, etag, status, headers, body, stored_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, status = excluded.status, headers = excluded.headers,
                                                body = excluded.body, stored_at = excluded.stored_at
                """, [url, response.etag, String(response.status), try Self.encoded(response.headers, in: db),
                      Self.bytea(Gzip.compress(response.body)), Self.time(response.storedAt)])
        }
    }

    @discardableResult
    public func pruneCachedResponses(storedBefore date: Date) throws(StoreError) -> Int {
        try run("DELETE FROM http_cache WHERE stored_at < $1", [Self.time(date)]).affected
    }
}
