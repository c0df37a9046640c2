#ifndef WPTSYNC_CPOSTGRES_SHIM_H
#define WPTSYNC_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
