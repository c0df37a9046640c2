import GRDB

extension SQLiteJournal {
    /// Every migration, in order; those that derive rows from records add what they cannot read to `skipped`.
    static func migrator(skipped: SkippedRecords = SkippedRecords()) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("events-v1") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    repository TEXT NOT NULL,
                    dedupe_key TEXT NOT NULL UNIQUE,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    received_at REAL NOT NULL,
                    next_attempt_at REAL,
                    last_error TEXT,
                    lease_owner TEXT,
                    lease_until REAL,
                    finished_at REAL
                );
                CREATE INDEX events_due ON events(state, next_attempt_at);
                CREATE INDEX events_repository ON events(repository, state);
                """)
        }
        migrator.registerMigration("events-v2-permanent-and-dropped") { db in
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE events ADD COLUMN dropped_by TEXT;
                ALTER TABLE events ADD COLUMN dropped_at REAL;
                ALTER TABLE events ADD COLUMN drop_reason TEXT;
                """)
        }
        migrator.registerMigration("events-v3-unfinished-index") { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS events_unfinished ON events(repository, id) WHERE \(unfinished)")
        }
        registerSyncMigrations(&migrator)
        registerLandingMigrations(&migrator)
        registerOperationsMigrations(&migrator)
        registerStatusMigrations(&migrator)
        registerRecheckMigrations(&migrator)
        registerDownstreamSyncMigrations(&migrator)
        registerDownstreamResultMigrations(&migrator)
        registerDownstreamMigrations(&migrator)
        registerAutolandMigrations(&migrator)
        // A GitHub delivery's body, as received (`PayloadCoding.journalColumns`); NULL in older rows,
        // whose payload JSON holds it.
        migrator.registerMigration("events-v4-delivery-body") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN body BLOB")
        }
        registerLandedMetadataMigrations(&migrator, skipped: skipped)
        return migrator
    }
}
