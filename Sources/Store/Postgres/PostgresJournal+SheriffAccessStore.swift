import Foundation

extension PostgresSchema {
    /// Version 3: the sheriff page's tokens and sessions, as in SQLite (hashes only).
    static let sheriffAccessTables = """
        CREATE TABLE sheriff_tokens (
            "user" TEXT PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            issued_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE sheriff_sessions (
            hash TEXT PRIMARY KEY,
            "user" TEXT NOT NULL REFERENCES sheriff_tokens("user") ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            expires DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX sheriff_sessions_user ON sheriff_sessions("user");
        """
}

/// Personal tokens and sessions of the sheriff page, with the rules of `SQLiteJournal: SheriffAccessStore`.
extension PostgresJournal: SheriffAccessStore {
    public func issueToken(user: String, hash: String, at now: Date) throws(StoreError) -> Bool {
        try transaction { db throws(StoreError) in
            let replaced = try db.execute("DELETE FROM sheriff_tokens WHERE \"user\" = $1", [user]).affected > 0
            try db.execute("INSERT INTO sheriff_tokens (\"user\", hash, issued_at) VALUES ($1, $2, $3)", [user, hash, Self.time(now)])
            return replaced
        }
    }

    public func revokeToken(user: String) throws(StoreError) -> Bool {
        try run("DELETE FROM sheriff_tokens WHERE \"user\" = $1", [user]).affected > 0
    }

    public func tokenUser(hash: String) throws(StoreError) -> String? {
        try run("SELECT \"user\" FROM sheriff_tokens WHERE hash = $1", [hash]).rows.first?[0] ?? nil
    }

    public func startSession(hash: String, _ session: SheriffSession, now: Date) throws(StoreError) {
        try transaction { db throws(StoreError) in
            try db.execute("DELETE FROM sheriff_sessions WHERE expires <= $1", [Self.time(now)])
            try db.execute("INSERT INTO sheriff_sessions (hash, \"user\", csrf, expires) VALUES ($1, $2, $3, $4)",
                           [hash, session.user, session.csrf, Self.time(session.expires)])
        }
    }

    public func session(hash: String, now: Date) throws(StoreError) -> SheriffSession? {
        let rows = try run("""
            SELECT s."user", s.csrf, s.expires FROM sheriff_sessions s JOIN sheriff_tokens t ON t."user" = s."user"
            WHERE s.hash = $1 AND s.expires > $2
            """, [hash, Self.time(now)]).rows
        guard let row = rows.first, let user = row[0], let csrf = row[1], let expires = Self.date(row[2]) else { return nil }
        return SheriffSession(user: user, csrf: csrf, expires: expires)
    }

    public func endSession(hash: String) throws(StoreError) {
        try run("DELETE FROM sheriff_sessions WHERE hash = $1", [hash])
    }
}
