#ifndef WPTSYNC_CSQLITE_SUPPORT_H
#define WPTSYNC_CSQLITE_SUPPORT_H
#include <sqlite3.h>
/// sqlite3_db_config is variadic: this sets SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, so a short-lived
/// connection (a hook) does not checkpoint and delete the WAL when it closes.
int wpts_sqlite_no_checkpoint_on_close(sqlite3 *db);
#endif
