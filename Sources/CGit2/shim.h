#ifndef WPTSYNC_CGIT2_SHIM_H
#define WPTSYNC_CGIT2_SHIM_H
#include <git2.h>
#include "writer_backend.h"

/* git_libgit2_opts is variadic, which Swift does not import: the one option wptsync sets. */
static inline int wptsync_set_cache_object_limit(git_object_t type, size_t limit) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (int)type, limit);
}
#endif
