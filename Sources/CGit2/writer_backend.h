#ifndef WPTSYNC_CGIT2_WRITER_BACKEND_H
#define WPTSYNC_CGIT2_WRITER_BACKEND_H
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>
#include "stored_tree.h"

/*
 * An object database backend for writing new objects into a repository (GitRepository's writer).
 * git_odb_write first "freshens" the object in every backend and, when it is new, rescans every pack
 * folder (the repository's and its alternates') before writing; for an object that is new by
 * construction that is a dozen system calls. Through this backend, the only one of its own object
 * database, a write checks the repository's database once without rescanning, then writes a loose
 * object. Reads go to the repository's database, so tree builders and commits can check what they
 * refer to.
 *
 * Trees are written by this backend itself, stored in zlib's uncompressed blocks (level 0): a tree is
 * mostly object ids, which do not compress, and deflating a 700-entry directory again for each
 * change was a third of an export's instructions. Git reads a loose object at any zlib level, and
 * `git gc` or a push compresses it into a pack like any other.
 */
#define WPTSYNC_WRITER_RECENT 64

typedef struct {
    git_odb_backend parent;
    git_odb *source;          /* the repository's object database (a reference owned here) */
    git_odb_backend *loose;   /* writes: the repository's loose objects */
    char *objects_dir;        /* where trees are written, uncompressed */
    int do_fsync;
    /* The last objects written, whose headers a tree builder asks for right after (a subtree, a blob):
       answered without opening their files again. */
    struct { git_oid oid; size_t len; git_object_t type; } recent[WPTSYNC_WRITER_RECENT];
    size_t written;
} wptsync_writer_backend;

static inline int wptsync_writer_recent(wptsync_writer_backend *writer, const git_oid *oid) {
    size_t count = writer->written < WPTSYNC_WRITER_RECENT ? writer->written : WPTSYNC_WRITER_RECENT;
    for (size_t i = 0; i < count; i++) {
        if (git_oid_equal(&writer->recent[i].oid, oid)) return (int)i;
    }
    return -1;
}

static inline int wptsync_writer_read(void **out, size_t *len, git_object_t *type,
                                      git_odb_backend *backend, const git_oid *oid) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    git_odb_object *object;
    int error = git_odb_read(&object, writer->source, oid);
    if (error < 0) return error;
    *len = git_odb_object_size(object);
    *type = git_odb_object_type(object);
    char *data = (char *)git_odb_backend_data_alloc(backend, *len + 1);
    if (data == NULL) {
        git_odb_object_free(object);
        git_error_set_oom();
        return -1;
    }
    memcpy(data, git_odb_object_data(object), *len);
    data[*len] = 0;
    *out = data;
    git_odb_object_free(object);
    return 0;
}

static inline int wptsync_writer_read_header(size_t *len, git_object_t *type,
                                             git_odb_backend *backend, const git_oid *oid) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    int recent = wptsync_writer_recent(writer, oid);
    if (recent >= 0) {
        *len = writer->recent[recent].len;
        *type = writer->recent[recent].type;
        return 0;
    }
    return git_odb_read_header(len, type, writer->source, oid);
}

static inline int wptsync_writer_exists(git_odb_backend *backend, const git_oid *oid) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    /* Without a rescan: an object in a pack this process has not seen yet is written again, loose. */
    return wptsync_writer_recent(writer, oid) >= 0
        || git_odb_exists_ext(writer->source, oid, GIT_ODB_LOOKUP_NO_REFRESH);
}

/* What git_odb_write asks before writing: an object already there has its loose file's time touched,
   as libgit2's own backends do, so that a `git gc --prune` never removes an old unreachable object a
   new commit is about to refer to again. */
static inline int wptsync_writer_freshen(git_odb_backend *backend, const git_oid *oid) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    if (wptsync_writer_recent(writer, oid) >= 0) return 0;
    if (writer->loose->freshen != NULL && writer->loose->freshen(writer->loose, oid) == 0) return 0;
    return git_odb_exists_ext(writer->source, oid, GIT_ODB_LOOKUP_NO_REFRESH) ? 0 : GIT_ENOTFOUND;
}

static inline int wptsync_writer_write(git_odb_backend *backend, const git_oid *oid,
                                       const void *data, size_t len, git_object_t type) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    int error = type == GIT_OBJECT_TREE ? wptsync_writer_write_tree(writer->objects_dir, writer->do_fsync, oid, data, len)
                                        : writer->loose->write(writer->loose, oid, data, len, type);
    if (error == 0) {
        size_t slot = writer->written++ % WPTSYNC_WRITER_RECENT;
        git_oid_cpy(&writer->recent[slot].oid, oid);
        writer->recent[slot].len = len;
        writer->recent[slot].type = type;
    }
    return error;
}

static inline void wptsync_writer_free(git_odb_backend *backend) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)backend;
    writer->loose->free(writer->loose);
    git_odb_free(writer->source);
    free(writer->objects_dir);
    free(writer);
}

/*
 * A repository (no path, no references) whose object database is the writer backend over `source`,
 * writing loose objects into `objects_dir` at zlib `level`, trees uncompressed. Takes over the
 * reference to `source`, also on failure.
 */
static inline int wptsync_writer_repository(git_repository **out, git_odb *source, const char *objects_dir,
                                            int level, int do_fsync) {
    wptsync_writer_backend *writer = (wptsync_writer_backend *)calloc(1, sizeof(*writer));
    git_odb *odb = NULL;
    int error;
    if (writer == NULL) {
        git_odb_free(source);
        return -1;
    }
    writer->source = source;
    writer->do_fsync = do_fsync;
    if ((writer->objects_dir = strdup(objects_dir)) == NULL) {
        git_odb_free(source);
        free(writer);
        return -1;
    }
    if ((error = git_odb_init_backend(&writer->parent, GIT_ODB_BACKEND_VERSION)) < 0 ||
        (error = git_odb_backend_loose(&writer->loose, objects_dir, level, do_fsync, 0, 0)) < 0) {
        git_odb_free(source);
        free(writer->objects_dir);
        free(writer);
        return error;
    }
    writer->parent.read = wptsync_writer_read;
    writer->parent.read_header = wptsync_writer_read_header;
    writer->parent.exists = wptsync_writer_exists;
    writer->parent.write = wptsync_writer_write;
    writer->parent.freshen = wptsync_writer_freshen;
    writer->parent.free = wptsync_writer_free;
    if ((error = git_odb_new(&odb)) < 0) {
        wptsync_writer_free(&writer->parent);
        return error;
    }
    if ((error = git_odb_add_backend(odb, &writer->parent, 1)) < 0) {
        wptsync_writer_free(&writer->parent);
        git_odb_free(odb);
        return error;
    }
    error = git_repository_wrap_odb(out, odb);
    git_odb_free(odb);
    return error;
}
#endif
