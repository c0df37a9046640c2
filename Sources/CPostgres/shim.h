#ifndef WPTSYNC_CPOSTGRES_SHIM_H
#define WPTSYNC_CPOSTGRES_SHIM_H
// Types and constants only: the functions are looked up in libpq.so.5 at run time (Store's LibPQ).
#include <postgresql/libpq-fe.h>
#endif
