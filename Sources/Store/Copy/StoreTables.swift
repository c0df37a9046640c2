import Foundation

/// One column as `wptsync migrate-store` copies it: its SQLite and PostgreSQL types differ for
/// reals, blobs and booleans, so every value passes through one text form, the same on both sides.
struct CopiedColumn: Sendable {
    enum Kind: Sendable { case text, integer, real, blob, boolean }
    let name: String
    let kind: Kind
    /// The column's name in SQLite when it differs (the implicit `rowid` PostgreSQL keeps as a column).
    let sqliteName: String?

    init(_ name: String, _ kind: Kind = .text, sqlite: String? = nil) { self.name = name; self.kind = kind; sqliteName = sqlite }
}

/// A table both stores have, with its key (the order rows are compared in) and its serial column.
struct CopiedTable: Sendable {
    let name: String
    let columns: [CopiedColumn]
    let key: [String]
    /// The column a PostgreSQL sequence numbers, set past the highest copied value.
    let serial: String?
    /// Filled by the schema itself (a row per counter): replaced rather than required empty.
    var seeded = false

    /// Every table of the current schema, parents before children; `table_generations` last, since
    /// copying `upstream_syncs` moves its counter.
    static let all: [CopiedTable] = [
        CopiedTable(name: "events", columns: [
            .init("id", .integer), .init("kind"), .init("repository"), .init("dedupe_key"), .init("payload"), .init("state"),
            .init("attempts", .integer), .init("received_at", .real), .init("next_attempt_at", .real), .init("last_error"),
            .init("lease_owner"), .init("lease_until", .real), .init("finished_at", .real), .init("permanent", .boolean),
            .init("dropped_by"), .init("dropped_at", .real), .init("drop_reason"), .init("body", .blob),
        ], key: ["id"], serial: "id"),
        CopiedTable(name: "upstream_syncs", columns: [
            .init("id", .integer), .init("bug", .integer), .init("sequence", .integer), .init("status"),
            .init("status_since", .real), .init("record"),
        ], key: ["id"], serial: "id"),
        CopiedTable(name: "upstream_sync_nodes", columns: [.init("node"), .init("sync_id", .integer)], key: ["node"], serial: nil),
        CopiedTable(name: "recheck_marks", columns: [.init("task"), .init("mark")], key: ["task"], serial: nil),
        CopiedTable(name: "landings", columns: [.init("id", .integer), .init("status"), .init("status_since", .real), .init("record")],
                    key: ["id"], serial: "id"),
        CopiedTable(name: "upstream_commit_prs", columns: [.init("sha"), .init("pr", .integer), .init("source"), .init("title")],
                    key: ["sha"], serial: nil),
        CopiedTable(name: "skips", columns: [.init("kind"), .init("key"), .init("by"), .init("reason"), .init("since", .real)],
                    key: ["kind", "key"], serial: nil),
        CopiedTable(name: "pauses", columns: [.init("id", .integer), .init("by"), .init("reason"), .init("since", .real)],
                    key: ["id"], serial: nil),
        CopiedTable(name: "periodic_runs", columns: [
            .init("name"), .init("last_success", .real), .init("failing_since", .real), .init("last_error"),
        ], key: ["name"], serial: nil),
        CopiedTable(name: "downstream_syncs", columns: [
            .init("pull_request", .integer), .init("record"), .init("metadata_revision"), .init("metadata_late", .integer),
        ], key: ["pull_request"], serial: nil),
        CopiedTable(name: "landed_metadata", columns: [
            .init("pull_request", .integer), .init("landing_id", .integer), .init("revision"), .init("record"),
        ], key: ["pull_request", "landing_id"], serial: nil),
        CopiedTable(name: "skipped_records", columns: [
            .init("table_name"), .init("record_key", .integer), .init("migration"), .init("reason"),
        ], key: ["table_name", "record_key", "migration"], serial: nil),
        CopiedTable(name: "downstream_results", columns: [
            .init("pull_request", .integer), .init("run", .integer), .init("revision"), .init("task_id"), .init("label"),
            .init("report", .blob), .init("position", .integer, sqlite: "rowid"),
        ], key: ["position"], serial: "position"),
        CopiedTable(name: "downstream_prs", columns: [
            .init("repository"), .init("number", .integer), .init("head"), .init("seen_at", .real), .init("record"),
        ], key: ["repository", "number"], serial: nil),
        CopiedTable(name: "commit_checks", columns: [.init("sha"), .init("key"), .init("record")], key: ["sha", "key"], serial: nil),
        CopiedTable(name: "http_cache", columns: [
            .init("url"), .init("etag"), .init("status", .integer), .init("headers"), .init("body", .blob), .init("stored_at", .real),
        ], key: ["url"], serial: nil),
        CopiedTable(name: "autoland_requests", columns: [
            .init("id", .integer), .init("repository"), .init("tip"), .init("status"), .init("status_since", .real),
            .init("unposted", .integer), .init("record"),
        ], key: ["id"], serial: "id"),
        CopiedTable(name: "sheriff_tokens", columns: [.init("user"), .init("hash"), .init("issued_at", .real)], key: ["user"], serial: nil),
        CopiedTable(name: "sheriff_sessions", columns: [.init("hash"), .init("user"), .init("csrf"), .init("expires", .real)],
                    key: ["hash"], serial: nil),
        CopiedTable(name: "table_generations", columns: [.init("name"), .init("generation", .integer)], key: ["name"], serial: nil,
                    seeded: true),
    ]
}

/// A table's rows in key order, each value in the common text form (nil for NULL).
struct CopiedRows: Equatable {
    var rows: [[String?]]

    /// SHA-256 over every value, length-prefixed, so that two tables match only if every row does.
    var digest: String {
        var hasher = RowDigest()
        for row in rows { for value in row { hasher.add(value) } }
        return hasher.finish()
    }
}

extension CopiedColumn {
    /// The text form of a real: Swift's shortest round-trip spelling, whatever the store printed.
    static func canonicalReal(_ value: Double) -> String { "\(value)" }
}
