extension PostgresSchema {
    /// Version 2: every record besides the events, with SQLite's tables, uniqueness rules and
    /// indexes. Keys that are ordered or searched by range compare bytes (`COLLATE "C"`), as SQLite does.
    static let recordTables = """
        CREATE TABLE upstream_syncs (
            id BIGSERIAL PRIMARY KEY,
            bug BIGINT,
            sequence BIGINT NOT NULL,
            status TEXT NOT NULL,
            status_since DOUBLE PRECISION,
            record TEXT NOT NULL
        );
        CREATE INDEX upstream_syncs_status ON upstream_syncs(status);
        CREATE UNIQUE INDEX upstream_syncs_branch ON upstream_syncs(bug, sequence) WHERE bug IS NOT NULL;
        CREATE TABLE upstream_sync_nodes (
            node TEXT COLLATE "C" PRIMARY KEY,
            sync_id BIGINT NOT NULL REFERENCES upstream_syncs(id) ON DELETE CASCADE
        );
        CREATE INDEX upstream_sync_nodes_sync ON upstream_sync_nodes(sync_id);
        CREATE TABLE table_generations (name TEXT PRIMARY KEY, generation BIGINT NOT NULL);
        INSERT INTO table_generations VALUES ('upstream_syncs', 0);
        CREATE FUNCTION wptsync_upstream_syncs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE table_generations SET generation = generation + 1 WHERE name = 'upstream_syncs'; RETURN NULL; END $$;
        CREATE TRIGGER upstream_syncs_changed AFTER INSERT OR UPDATE OR DELETE ON upstream_syncs
            FOR EACH ROW EXECUTE FUNCTION wptsync_upstream_syncs_changed();
        CREATE TABLE recheck_marks (task TEXT PRIMARY KEY, mark TEXT NOT NULL);

        CREATE TABLE landings (
            id BIGSERIAL PRIMARY KEY,
            status TEXT NOT NULL,
            status_since DOUBLE PRECISION,
            record TEXT NOT NULL
        );
        CREATE INDEX landings_status ON landings(status);
        CREATE UNIQUE INDEX landings_one_unpushed ON landings((1)) WHERE status IN ('open', 'deferred', 'needs-fixup');
        CREATE TABLE upstream_commit_prs (sha TEXT PRIMARY KEY, pr BIGINT, source TEXT NOT NULL, title TEXT);

        CREATE TABLE skips (
            kind TEXT COLLATE "C" NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            "by" TEXT NOT NULL,
            reason TEXT NOT NULL,
            since DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE TABLE pauses (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            "by" TEXT NOT NULL,
            reason TEXT NOT NULL,
            since DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE periodic_runs (
            name TEXT COLLATE "C" PRIMARY KEY,
            last_success DOUBLE PRECISION,
            failing_since DOUBLE PRECISION,
            last_error TEXT
        );

        CREATE TABLE downstream_syncs (pull_request BIGINT PRIMARY KEY, record TEXT NOT NULL);
        CREATE TABLE downstream_results (
            pull_request BIGINT NOT NULL, run INTEGER NOT NULL, revision TEXT NOT NULL,
            task_id TEXT NOT NULL, label TEXT NOT NULL, report BYTEA NOT NULL,
            position BIGSERIAL,
            PRIMARY KEY (pull_request, revision, task_id)
        );
        CREATE TABLE downstream_prs (
            repository TEXT COLLATE "C" NOT NULL,
            number BIGINT NOT NULL,
            head TEXT NOT NULL,
            seen_at DOUBLE PRECISION NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (repository, number)
        );
        CREATE INDEX downstream_prs_head ON downstream_prs(head);
        CREATE INDEX downstream_prs_number ON downstream_prs(number, repository);
        CREATE TABLE commit_checks (
            sha TEXT NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (sha, key)
        );
        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY, etag TEXT NOT NULL, status INTEGER NOT NULL, headers TEXT NOT NULL,
            body BYTEA NOT NULL, stored_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX http_cache_stored_at ON http_cache(stored_at);

        CREATE TABLE autoland_requests (
            id BIGSERIAL PRIMARY KEY,
            repository TEXT NOT NULL,
            tip TEXT NOT NULL,
            status TEXT NOT NULL,
            status_since DOUBLE PRECISION,
            unposted INTEGER NOT NULL DEFAULT 0,
            record TEXT NOT NULL,
            UNIQUE (repository, tip)
        );
        CREATE INDEX autoland_requests_status ON autoland_requests(status);
        CREATE INDEX autoland_requests_unposted ON autoland_requests(id) WHERE unposted > 0;
        """
}
