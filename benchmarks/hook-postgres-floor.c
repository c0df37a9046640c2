/* The floor of any libpq-based hook: connect as the hook does, one pipeline (repository lock +
   insert of a new dedupe key with NOTIFY), sync, exit. argv[1]: conninfo URL. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *lock_sql = "SELECT pg_advisory_xact_lock(hashtext(r)) FROM unnest($1::text[]) AS r";
static const char *insert_sql =
"WITH input AS (\n"
"    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])\n"
"        WITH ORDINALITY AS i(kind, repository, dedupe_key, payload, position)\n"
"), fresh AS (\n"
"    SELECT DISTINCT ON (dedupe_key) * FROM input\n"
"    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.dedupe_key = input.dedupe_key)\n"
"    ORDER BY dedupe_key, position\n"
"), inserted AS (\n"
"    INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at)\n"
"    SELECT kind, repository, dedupe_key, payload, $5, $5 FROM fresh ORDER BY position\n"
"    RETURNING id, dedupe_key\n"
")\n"
"SELECT COALESCE(new.id, old.id) AS id, COALESCE(fresh.position = input.position, FALSE) AS recorded,\n"
"       (SELECT count(*) FROM (SELECT pg_notify('wptsync_events', '') FROM inserted LIMIT 1) announced) AS announced\n"
"FROM input\n"
"LEFT JOIN fresh ON fresh.dedupe_key = input.dedupe_key\n"
"LEFT JOIN inserted new ON new.dedupe_key = input.dedupe_key\n"
"LEFT JOIN events old ON old.dedupe_key = input.dedupe_key\n"
"ORDER BY input.position";

int main(int argc, char **argv) {
    const char *pw = getenv("WPTSYNC_STORE_PASSWORD");
    const char *keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding", "options", "sslmode", "gssencmode", pw ? "password" : NULL, NULL};
    const char *vals[] = {argv[1], "2", "wptsync", "UTF8", "-c statement_timeout=5000", "allow", "disable", pw, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(c)); return 1; }
    if (argc > 2 && strcmp(argv[2], "connect-only") == 0) { PQfinish(c); return 0; }
    struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
    char key[128], node[64], payload[256], now[32];
    snprintf(node, sizeof node, "%ld%09ld", (long)t.tv_sec, t.tv_nsec);
    snprintf(key, sizeof key, "{\"hg-push:autoland:c%d-%s\"}", getpid(), node);
    snprintf(payload, sizeof payload, "{\"{\\\"firstNode\\\":\\\"%s\\\",\\\"repository\\\":\\\"autoland\\\",\\\"source\\\":\\\"push\\\"}\"}", node);
    snprintf(now, sizeof now, "%ld.%03ld", (long)t.tv_sec, t.tv_nsec / 1000000);
    const char *lock_args[] = {"{autoland}"};
    const char *ins_args[] = {"{hg-push}", "{autoland}", key, payload, now};
    PQenterPipelineMode(c);
    PQsendQueryParams(c, lock_sql, 1, NULL, lock_args, NULL, NULL, 0);
    PQsendQueryParams(c, insert_sql, 5, NULL, ins_args, NULL, NULL, 0);
    PQpipelineSync(c);
    int bad = 0;
    for (int i = 0; i < 2; i++) {
        PGresult *r;
        while ((r = PQgetResult(c))) {
            if (PQresultStatus(r) != PGRES_TUPLES_OK) { fprintf(stderr, "%s", PQresultErrorMessage(r)); bad = 1; }
            else if (i == 1 && strcmp(PQgetvalue(r, 0, 1), "t") != 0) { fprintf(stderr, "not recorded\n"); bad = 1; }
            PQclear(r);
        }
    }
    PGresult *r = PQgetResult(c);  /* the sync */
    if (PQresultStatus(r) != PGRES_PIPELINE_SYNC) bad = 1;
    PQclear(r);
    PQfinish(c);
    return bad;
}
