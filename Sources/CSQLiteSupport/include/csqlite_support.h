#ifndef WPTSYNC_CSQLITE_SUPPORT_H
#define WPTSYNC_CSQLITE_SUPPORT_H
#include <sqlite3.h>
/// sqlite3_db_config is variadic: this sets SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, so a short-lived
/// connection (a hook) does not checkpoint and delete the WAL when it closes.
int wpts_sqlite_no_checkpoint_on_close(sqlite3 *db);
/// Replaces `db`'s automatic WAL checkpoint with a hook that only stores in `*pages` the WAL's size
/// in pages after each commit, for a caller that checkpoints on another connection.
int wpts_sqlite_count_wal_pages(sqlite3 *db, int *pages);
#endif
