import Foundation
import GRDB
import SyncCore

/// What an operator told the service not to sync.
public enum SkipTarget: Sendable, Hashable, CustomStringConvertible {
    /// A Gecko changeset (full node): never exported upstream.
    case changeset(String)
    /// An upstream pull request: never imported into Gecko.
    case pullRequest(Int)

    public var description: String {
        switch self {
        case .changeset(let node): "changeset \(node.prefix(12))"
        case .pullRequest(let number): "PR #\(number)"
        }
    }

    var kind: String { if case .changeset = self { "changeset" } else { "pr" } }
    var key: String {
        switch self {
        case .changeset(let node): node
        case .pullRequest(let number): String(number)
        }
    }
}

/// Who said what, when: for a skip or a pause.
public struct OperatorNote: Sendable, Equatable {
    public var by: String
    public var reason: String
    public var since: Date

    public init(by: String, reason: String, since: Date) { self.by = by; self.reason = reason; self.since = since }

    /// `by alice since 2025-01-02T03:04:05Z: reason`.
    public var text: String { "by \(by) since \(ISO8601DateFormatter().string(from: since)): \(reason)" }
}

/// One skip entry.
public struct Skip: Sendable, Equatable {
    public var target: SkipTarget
    public var note: OperatorNote
}

/// The operators' switches: skipped changesets and pull requests, and the pause flag.
public protocol OperationsStore: Sendable {
    /// Records a skip; an existing one is kept as it was and returned with `added` false.
    func skip(_ target: SkipTarget, note: OperatorNote) throws(StoreError) -> (skip: Skip, added: Bool)
    /// Removes a skip and returns it; nil when there was none.
    func unskip(_ target: SkipTarget) throws(StoreError) -> Skip?
    /// Every skip, oldest first.
    func skips() throws(StoreError) -> [Skip]
    /// The skipped changesets (full nodes).
    func skippedChangesets() throws(StoreError) -> Set<String>
    /// The skip of `target`, if an operator recorded one (a primary-key lookup).
    func skip(for target: SkipTarget) throws(StoreError) -> Skip?
    /// Pauses work that talks to GitHub; an existing pause is kept and returned with `added` false.
    func pause(_ note: OperatorNote) throws(StoreError) -> (pause: OperatorNote, added: Bool)
    /// Lifts the pause and returns it; nil when the service was not paused.
    func resume() throws(StoreError) -> OperatorNote?
    /// The pause in force, if any.
    func currentPause() throws(StoreError) -> OperatorNote?
    /// Records the outcome of a periodic task's run: a success, or a failure with its error
    /// (`wptsync status` shows them).
    func recordPeriodicRun(_ name: String, at now: Date, error: String?) throws(StoreError)
}

extension SQLiteJournal: OperationsStore {
    static func registerOperationsMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("operations-v1") { db in
            try db.execute(sql: """
                CREATE TABLE skips (
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    by TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    since REAL NOT NULL,
                    PRIMARY KEY (kind, key)
                );
                CREATE TABLE pauses (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    by TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    since REAL NOT NULL
                );
                """)
        }
    }

    public func skip(_ target: SkipTarget, note: OperatorNote) throws(StoreError) -> (skip: Skip, added: Bool) {
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM skips WHERE kind = ? AND key = ?", arguments: [target.kind, target.key]) {
                return (Skip(target: target, note: Self.note(row)), false)
            }
            try db.execute(sql: "INSERT INTO skips (kind, key, by, reason, since) VALUES (?, ?, ?, ?, ?)",
                           arguments: [target.kind, target.key, note.by, note.reason, note.since.timeIntervalSince1970])
            return (Skip(target: target, note: note), true)
        }
    }

    public func unskip(_ target: SkipTarget) throws(StoreError) -> Skip? {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM skips WHERE kind = ? AND key = ?", arguments: [target.kind, target.key])
            else { return nil }
            try db.execute(sql: "DELETE FROM skips WHERE kind = ? AND key = ?", arguments: [target.kind, target.key])
            return Skip(target: target, note: Self.note(row))
        }
    }

    public func skips() throws(StoreError) -> [Skip] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM skips ORDER BY since, kind, key").compactMap { row in
                let key: String = row["key"]
                let target: SkipTarget? = row["kind"] == "pr" ? Int(key).map(SkipTarget.pullRequest) : .changeset(key)
                return target.map { Skip(target: $0, note: Self.note(row)) }
            }
        }
    }

    public func skippedChangesets() throws(StoreError) -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT key FROM skips WHERE kind = 'changeset'")) }
    }

    public func skip(for target: SkipTarget) throws(StoreError) -> Skip? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM skips WHERE kind = ? AND key = ?", arguments: [target.kind, target.key])
                .map { Skip(target: target, note: Self.note($0)) }
        }
    }

    public func pause(_ note: OperatorNote) throws(StoreError) -> (pause: OperatorNote, added: Bool) {
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM pauses WHERE id = 1") { return (Self.note(row), false) }
            try db.execute(sql: "INSERT INTO pauses (id, by, reason, since) VALUES (1, ?, ?, ?)",
                           arguments: [note.by, note.reason, note.since.timeIntervalSince1970])
            return (note, true)
        }
    }

    public func resume() throws(StoreError) -> OperatorNote? {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM pauses WHERE id = 1") else { return nil }
            try db.execute(sql: "DELETE FROM pauses WHERE id = 1")
            return Self.note(row)
        }
    }

    public func currentPause() throws(StoreError) -> OperatorNote? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM pauses WHERE id = 1").map(Self.note) }
    }

    private static func note(_ row: Row) -> OperatorNote {
        OperatorNote(by: row["by"], reason: row["reason"], since: Date(timeIntervalSince1970: row["since"]))
    }
}

/// Sync records, the operators' switches and the re-check marks together, as the worker needs them.
public typealias ServiceStore = SyncStore & OperationsStore & RecheckMarkStore
