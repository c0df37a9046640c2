import Foundation

/// The PostgreSQL store's versioned schema. Each migration runs once, recorded in
/// `schema_version`; all of them run in one transaction under an advisory lock, so that two
/// machines migrating at once apply each migration once and the second finds nothing to do.
enum PostgresSchema {
    /// The migrations in order; a migration's version is its position, from 1. Append only.
    static let migrations: [String] = [
        """
        CREATE TABLE events (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            repository TEXT NOT NULL,
            dedupe_key TEXT NOT NULL UNIQUE,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            received_at DOUBLE PRECISION NOT NULL,
            next_attempt_at DOUBLE PRECISION,
            last_error TEXT,
            lease_owner TEXT,
            lease_until DOUBLE PRECISION,
            finished_at DOUBLE PRECISION,
            permanent BOOLEAN NOT NULL DEFAULT FALSE,
            dropped_by TEXT,
            dropped_at DOUBLE PRECISION,
            drop_reason TEXT
        );
        CREATE INDEX events_due ON events(state, next_attempt_at);
        CREATE INDEX events_unfinished ON events(repository, id) WHERE \(SQLiteJournal.unfinished);
        """,
        recordTables,
        sheriffAccessTables,
        // A GitHub delivery's body, as received; NULL in older rows, whose payload JSON holds it.
        "ALTER TABLE events ADD COLUMN body BYTEA",
        PostgresJournal.landedMetadataSchema,
        // The records a migration left out (`SkippedRecordSQL`); version 5 makes it too, for its own.
        SkippedRecordSQL.create(postgres: true),
    ]

    /// What a migration computes in Swift after its statements, in the same transaction: rows
    /// derived from records kept as JSON; it returns the records it could not read and left out.
    static let backfills: [Int: @Sendable (PostgresConnection) throws(StoreError) -> [SkippedRecord]] = [
        5: PostgresJournal.backfillLandedMetadata,
    ]

    /// The version this wptsync's schema is at.
    static var latest: Int { migrations.count }

    /// Any number, the same on every machine: the key of the advisory lock migrations hold.
    static let lockKey = 0x7770_7473_796e_63  // "wptsync"

    static func version(_ db: PostgresConnection) throws(StoreError) -> Int {
        let exists = try db.execute("SELECT to_regclass('schema_version') IS NOT NULL").rows.first?[0] == "t"
        guard exists else { return 0 }
        return Int(try db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").rows.first?[0] ?? "") ?? 0
    }

    /// Applies the missing migrations (up to `target`); returns their versions and the records
    /// they left out. A database at a later version than this wptsync knows is an error: it was
    /// migrated by a newer wptsync.
    static func migrate(_ db: PostgresConnection, upTo target: Int = latest) throws(StoreError) -> (applied: [Int], skipped: [SkippedRecord]) {
        var skipped: [SkippedRecord] = []
        let applied = try db.transaction { () throws(StoreError) in
            try db.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
            try db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let current = try version(db)
            if current > latest { throw .schema(store: db.parameters.url, reason: tooNew(current)) }
            let missing = Array((current + 1)..<max(current + 1, target + 1))
            for version in missing {
                try db.execute(migrations[version - 1])
                skipped += try backfills[version]?(db) ?? []
                try db.execute("INSERT INTO schema_version (version) VALUES ($1)", [String(version)])
            }
            return missing
        }
        return (applied, skipped)
    }

    static func tooNew(_ version: Int) -> String {
        "its schema is at version \(version), newer than this wptsync's \(latest): upgrade wptsync"
    }

    static func tooOld(_ version: Int) -> String {
        "its schema is at version \(version), this wptsync needs \(latest): run `wptsync migrate`"
    }
}
