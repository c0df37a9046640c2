#include "csqlite_support.h"

int wpts_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

static int wpts_store_wal_pages(void *pages, sqlite3 *db, const char *name, int count) {
    (void)db; (void)name;
    *(int *)pages = count;
    return SQLITE_OK;
}

int wpts_sqlite_count_wal_pages(sqlite3 *db, int *pages) {
    sqlite3_wal_hook(db, wpts_store_wal_pages, pages);
    return SQLITE_OK;
}
