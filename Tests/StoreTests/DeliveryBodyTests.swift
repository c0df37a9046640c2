import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 12: a GitHub delivery's body is kept byte for byte in its own column (a BLOB, `bytea` in
/// PostgreSQL) instead of escaped into the payload's JSON; rows written before that still read.
@Suite("Delivery bodies in the journal (SQLite; PostgreSQL when installed)")
struct DeliveryBodyTests {
    let dir = TempDir("delivery-body")

    /// Not valid UTF-8 at the end: a string column could not keep it.
    static let body = Array(#"{"zen": "caf\u00e9 \"é\"\n", "hook_id": 1}"#.utf8) + [0xFF, 0x00]

    static func delivery(_ id: String, body: [UInt8] = body) -> EventPayload {
        .gitHubDelivery(GitHubDelivery(repository: "web-platform-tests/wpt", event: "ping", delivery: id, summary: "ping", body: body))
    }

    @Test(arguments: JournalBackend.available) func aBodyIsStoredAsReceivedApartFromThePayload(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        #expect(try journal.record(Self.delivery("d1"), at: t0) == .recorded(id: 1))
        #expect(try backend.reopen(journal).event(id: 1)?.payload == Self.delivery("d1"))
        let stored = try backend.outside(journal, "SELECT payload FROM events WHERE id = 1")
        #expect(!stored.contains("body") && stored.contains("\"delivery\":\"d1\""), "\(stored)")
        let length = backend == .sqlite ? "length(body)" : "octet_length(body)"
        #expect(try backend.outside(journal, "SELECT \(length) FROM events WHERE id = 1").trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(Self.body.count)")
    }

    @Test func theHooksWriterStoresTheBodyTheSameWay() throws {
        let path = try SQLiteJournal(path: dir.sub("state/j.sqlite")).path
        let outcomes = try SQLiteEventWriter.record([Self.delivery("d1"), push("autoland", 1)], at: t0, path: path, busyTimeoutMilliseconds: 1000)
        #expect(outcomes == [.recorded(id: 1), .recorded(id: 2)])
        let journal = try SQLiteJournal(path: path)
        #expect(try journal.event(id: 1)?.payload == Self.delivery("d1"))
        #expect(try journal.event(id: 2)?.payload == push("autoland", 1))
    }

    /// A journal from before the body had its column: the migration adds it, and the delivery the
    /// old version recorded (its body inside the payload's JSON) reads as it did.
    @Test(arguments: JournalBackend.available) func aDeliveryRecordedBeforeTheMigrationStillReads(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        let undo = backend == .sqlite
            ? "DELETE FROM grdb_migrations WHERE identifier = 'events-v4-delivery-body'"
            : "DELETE FROM schema_version WHERE version >= 4"
        try backend.outside(journal, "ALTER TABLE events DROP COLUMN body; \(undo)")
        let old = #"{"body":"{\"zen\": \"caf\u00e9\\n\"}","delivery":"d0","event":"ping","repository":"web-platform-tests/wpt","summary":"ping"}"#
        try backend.outside(journal, """
            INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at)
            VALUES ('github-webhook', 'web-platform-tests/wpt', 'github-delivery:d0', '\(old)', 1700000000, 1700000000)
            """)
        let migrated = try backend.reopen(journal)
        if let postgres = migrated as? PostgresJournal { #expect(try postgres.migrate() == Array(4...PostgresJournal.schemaVersion)) }
        #expect(try migrated.event(id: 1)?.payload == Self.delivery("d0", body: Array(#"{"zen": "café\n"}"#.utf8)))
        // Redelivered after the upgrade: still the same delivery, recorded once.
        #expect(try migrated.record(Self.delivery("d0"), at: t0) == .duplicate(id: 1))
        #expect(try migrated.record(Self.delivery("d1"), at: t0) == .recorded(id: 2))
        #expect(try backend.reopen(journal).event(id: 2)?.payload == Self.delivery("d1"))
    }

    /// A new hook meets a PostgreSQL store `wptsync migrate` has not brought to the body's schema
    /// version yet: pushes are still recorded, in the order given; a delivery is refused (and
    /// spooled by its caller), not recorded without its body.
    @Test(arguments: JournalBackend.available.filter { $0 != .sqlite })
    func aPushIsRecordedByAPostgreSQLStoreNotMigratedForBodies(_ backend: JournalBackend) throws {
        let journal = try backend.journal(in: dir)
        _ = try backend.outside(journal, "ALTER TABLE events DROP COLUMN body; DELETE FROM schema_version WHERE version >= 4")
        let hook = try backend.reopen(journal)
        #expect(try hook.record([push("central", 2), push("autoland", 1)], at: t0) == [.recorded(id: 1), .recorded(id: 2)])
        #expect { try hook.record(Self.delivery("d1"), at: t0) } throws: { "\($0)".contains("run `wptsync migrate`") }
        #expect(try hook.counts() == [.pending: 2])
    }
}
