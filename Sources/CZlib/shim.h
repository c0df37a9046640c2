#ifndef WPTSYNC_CZLIB_SHIM_H
#define WPTSYNC_CZLIB_SHIM_H
#include <zlib.h>
#endif
