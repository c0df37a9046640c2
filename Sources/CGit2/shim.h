#ifndef WPTSYNC_CGIT2_SHIM_H
#define WPTSYNC_CGIT2_SHIM_H
#include <git2.h>
#include "writer_backend.h"
#include "tree_splice.h"
#endif
