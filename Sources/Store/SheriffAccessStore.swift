import Foundation
import GRDB
import SyncCore

/// A signed-in person on the sheriff page, as stored: the session id is kept only as its hash.
public struct SheriffSession: Sendable, Equatable {
    public var user: String
    /// The token every form of the session carries (CSRF), compared with what a POST sends.
    public var csrf: String
    public var expires: Date

    public init(user: String, csrf: String, expires: Date) { self.user = user; self.csrf = csrf; self.expires = expires }
}

/// Personal tokens (`wptsync token issue`) and the page's sessions. Only hashes of tokens and
/// session ids are kept, so reading the database signs nobody in.
public protocol SheriffAccessStore: Sendable {
    /// Stores `user`'s token hash, replacing an earlier token and ending its sessions; true when one was replaced.
    func issueToken(user: String, hash: String, at now: Date) throws(StoreError) -> Bool
    /// Forgets `user`'s token and ends their sessions; false when they had none.
    func revokeToken(user: String) throws(StoreError) -> Bool
    /// Whose token hashes to `hash`, if anyone's.
    func tokenUser(hash: String) throws(StoreError) -> String?
    /// Starts a session (`hash` is the hash of its id) and forgets expired ones.
    func startSession(hash: String, _ session: SheriffSession, now: Date) throws(StoreError)
    /// The session whose id hashes to `hash`, unless it expired by `now` or its token was revoked.
    func session(hash: String, now: Date) throws(StoreError) -> SheriffSession?
    /// Ends the session whose id hashes to `hash` (signing out); nothing when there is none.
    func endSession(hash: String) throws(StoreError)
}

extension SQLiteJournal: SheriffAccessStore {
    static func registerSheriffAccessMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("sheriff-access-v1") { db in
            try db.execute(sql: """
                CREATE TABLE sheriff_tokens (
                    user TEXT PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,
                    issued_at REAL NOT NULL
                );
                CREATE TABLE sheriff_sessions (
                    hash TEXT PRIMARY KEY,
                    user TEXT NOT NULL REFERENCES sheriff_tokens(user) ON DELETE CASCADE,
                    csrf TEXT NOT NULL,
                    expires REAL NOT NULL
                );
                CREATE INDEX sheriff_sessions_user ON sheriff_sessions(user);
                """)
        }
    }

    public func issueToken(user: String, hash: String, at now: Date) throws(StoreError) -> Bool {
        try write { db in
            let replaced = try Bool.fetchOne(db, sql: "SELECT 1 FROM sheriff_tokens WHERE user = ?", arguments: [user]) ?? false
            try db.execute(sql: "DELETE FROM sheriff_sessions WHERE user = ?", arguments: [user])
            try db.execute(sql: "INSERT OR REPLACE INTO sheriff_tokens (user, hash, issued_at) VALUES (?, ?, ?)",
                           arguments: [user, hash, now.timeIntervalSince1970])
            return replaced
        }
    }

    public func revokeToken(user: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM sheriff_sessions WHERE user = ?", arguments: [user])
            try db.execute(sql: "DELETE FROM sheriff_tokens WHERE user = ?", arguments: [user])
            return db.changesCount > 0
        }
    }

    public func tokenUser(hash: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT user FROM sheriff_tokens WHERE hash = ?", arguments: [hash]) }
    }

    public func startSession(hash: String, _ session: SheriffSession, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM sheriff_sessions WHERE expires <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO sheriff_sessions (hash, user, csrf, expires) VALUES (?, ?, ?, ?)",
                           arguments: [hash, session.user, session.csrf, session.expires.timeIntervalSince1970])
        }
    }

    public func session(hash: String, now: Date) throws(StoreError) -> SheriffSession? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.user, s.csrf, s.expires FROM sheriff_sessions s JOIN sheriff_tokens t ON t.user = s.user
                WHERE s.hash = ? AND s.expires > ?
                """, arguments: [hash, now.timeIntervalSince1970])
                .map { SheriffSession(user: $0["user"], csrf: $0["csrf"], expires: Date(timeIntervalSince1970: $0["expires"])) }
        }
    }

    public func endSession(hash: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM sheriff_sessions WHERE hash = ?", arguments: [hash]) }
    }
}
