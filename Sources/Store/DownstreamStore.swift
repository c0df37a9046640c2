import Foundation
import GRDB
import SyncCore

/// One upstream PR as wptsync has seen it, with the checks on its head.
public struct SeenDownstream: Sendable, Equatable {
    public var repository: String
    public var record: SeenPullRequest
    /// When a delivery last changed the record.
    public var seenAt: Date
    /// The checks and statuses seen on the record's head.
    public var checks: [CheckObservation]
}

/// What wptsync has seen of upstream PRs, from webhook deliveries (and the reconciliation that
/// catches missed ones). Implemented by the journal's database.
public protocol DownstreamStore: Sendable {
    /// Applies what a delivery shows of a PR (and a review) through `SeenPullRequest.merge`, in one
    /// transaction; returns the record and whether it changed.
    func observe(repository: String, pullRequest: PullRequestObservation, review: ReviewObservation?,
                 delivery: String, syncLabel: String, at now: Date) throws(StoreError) -> (record: SeenPullRequest, changed: Bool)
    /// Records a check or status on its commit unless an observation at least as new is stored;
    /// whether it changed anything.
    func observe(check: CheckObservation) throws(StoreError) -> Bool
    /// The PRs seen, by number (highest first), each with the checks on its head.
    func seenPullRequests() throws(StoreError) -> [SeenDownstream]
    /// PR `number` as seen (through its primary key, not a scan), or nil.
    func seenPullRequest(_ number: Int) throws(StoreError) -> SeenDownstream?
    /// The PRs seen whose head is `sha` (a status names no PR).
    func seenPullRequests(head sha: String) throws(StoreError) -> [SeenDownstream]
    /// The PRs of `repository` seen that are among `numbers` or were seen at or after `since`.
    func seenPullRequests(repository: String, numbers: Set<Int>, seenSince since: Date) throws(StoreError) -> [SeenDownstream]
}

extension SQLiteJournal: DownstreamStore {
    static func registerDownstreamMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("downstream-seen-v1") { db in
            try db.execute(sql: """
                CREATE TABLE downstream_prs (
                    repository TEXT NOT NULL,
                    number INTEGER NOT NULL,
                    head TEXT NOT NULL,
                    seen_at REAL NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (repository, number)
                );
                CREATE INDEX downstream_prs_head ON downstream_prs(head);
                CREATE TABLE commit_checks (
                    sha TEXT NOT NULL,
                    key TEXT NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (sha, key)
                );
                """)
        }
        registerHTTPCacheMigrations(&migrator)
        migrator.registerMigration("downstream-seen-v2") { db in
            try db.execute(sql: "CREATE INDEX downstream_prs_number ON downstream_prs(number, repository)")
        }
    }

    public func observe(repository: String, pullRequest: PullRequestObservation, review: ReviewObservation?,
                        delivery: String, syncLabel: String, at now: Date) throws(StoreError) -> (record: SeenPullRequest, changed: Bool) {
        try write { db in
            let json = try String.fetchOne(db, sql: "SELECT record FROM downstream_prs WHERE repository = ? AND number = ?",
                                           arguments: [repository, pullRequest.number])
            let seen = try json.map { try decode(SeenPullRequest.self, $0, what: "downstream PR \(pullRequest.number)") }
            let merged = SeenPullRequest.merge(seen, pullRequest: pullRequest, review: review, delivery: delivery, syncLabel: syncLabel)
            guard merged != seen else { return (merged, false) }
            try db.execute(sql: """
                INSERT INTO downstream_prs (repository, number, head, seen_at, record) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (repository, number) DO UPDATE SET head = excluded.head, seen_at = excluded.seen_at, record = excluded.record
                """, arguments: [repository, pullRequest.number, merged.pullRequest.head, now.timeIntervalSince1970, try RecordCoding.encode(merged)])
            return (merged, true)
        }
    }

    public func observe(check: CheckObservation) throws(StoreError) -> Bool {
        try write { db in
            let json = try String.fetchOne(db, sql: "SELECT record FROM commit_checks WHERE sha = ? AND key = ?", arguments: [check.commit, check.key])
            let seen = try json.map { try decode(CheckObservation.self, $0, what: "check \(check.key) on \(check.commit)") }
            guard check.replaces(seen) else { return false }
            try db.execute(sql: "INSERT OR REPLACE INTO commit_checks (sha, key, record) VALUES (?, ?, ?)",
                           arguments: [check.commit, check.key, try RecordCoding.encode(check)])
            return true
        }
    }

    public func seenPullRequests() throws(StoreError) -> [SeenDownstream] {
        try seen("ORDER BY number DESC, repository")
    }

    public func seenPullRequest(_ number: Int) throws(StoreError) -> SeenDownstream? {
        try seen("WHERE number = ? ORDER BY repository LIMIT 1", [number]).first
    }

    public func seenPullRequests(head sha: String) throws(StoreError) -> [SeenDownstream] {
        try seen("WHERE head = ? ORDER BY number DESC, repository", [sha])
    }

    public func seenPullRequests(repository: String, numbers: Set<Int>, seenSince since: Date) throws(StoreError) -> [SeenDownstream] {
        let list = "[" + numbers.sorted().map(String.init).joined(separator: ",") + "]"
        return try seen("WHERE repository = ? AND (number IN (SELECT value FROM json_each(?)) OR seen_at >= ?) ORDER BY number DESC",
                        [repository, list, since.timeIntervalSince1970])
    }

    private func seen(_ clause: String, _ arguments: StatementArguments = []) throws(StoreError) -> [SeenDownstream] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM downstream_prs \(clause)", arguments: arguments).map { row in
                let number: Int = row["number"]
                let record = try decode(SeenPullRequest.self, row["record"], what: "downstream PR \(number)")
                let checks = try String.fetchAll(db, sql: "SELECT record FROM commit_checks WHERE sha = ? ORDER BY key", arguments: [record.pullRequest.head])
                    .map { try decode(CheckObservation.self, $0, what: "a check on \(record.pullRequest.head)") }
                return SeenDownstream(repository: row["repository"], record: record,
                                      seenAt: Date(timeIntervalSince1970: row["seen_at"]), checks: checks)
            }
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String, what: String) throws -> T {
        do { return try RecordCoding.decode(type, json) } catch {
            throw StoreError.query(path: path, reason: "\(what) cannot be read: \(error)")
        }
    }
}
