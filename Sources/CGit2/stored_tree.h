#ifndef WPTSYNC_CGIT2_STORED_TREE_H
#define WPTSYNC_CGIT2_STORED_TREE_H
#include <git2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/*
 * Loose tree objects stored in zlib's uncompressed blocks (level 0), for the writer backend
 * (writer_backend.h): a tree is mostly object ids, which do not compress. Git reads a loose object
 * at any zlib level.
 */

/* `header` then `data` as one zlib stream at level 0 (stored blocks), in `*out` (malloc'd). A
   memory level of 1 keeps zlib's set-up to a 1 KB hash table, which level 0 never reads. */
static inline int wptsync_writer_store(unsigned char **out, size_t *out_len,
                                       const char *header, size_t header_len, const void *data, size_t len) {
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (len > 0x7fffffffu || deflateInit2(&z, Z_NO_COMPRESSION, Z_DEFLATED, 15, 1, Z_DEFAULT_STRATEGY) != Z_OK) {
        return -1;
    }
    uLong bound = deflateBound(&z, (uLong)(header_len + len));
    int status = Z_MEM_ERROR;
    if ((*out = (unsigned char *)malloc(bound)) != NULL) {
        z.next_out = *out;
        z.avail_out = (uInt)bound;
        z.next_in = (Bytef *)header;
        z.avail_in = (uInt)header_len;
        status = deflate(&z, Z_NO_FLUSH);
        if (status == Z_OK) {
            z.next_in = (Bytef *)data;
            z.avail_in = (uInt)len;
            status = deflate(&z, Z_FINISH);
        }
    }
    *out_len = z.total_out;
    deflateEnd(&z);
    return status == Z_STREAM_END ? 0 : -1;
}

/* Writes `bytes` to a new read-only file `final` through the temporary file `path` (a mkstemp
   template beside it, named as git names those its `prune` clears). */
static inline int wptsync_writer_file(char *path, const char *final, const unsigned char *bytes, size_t count,
                                      int do_fsync) {
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    size_t written = 0;
    while (written < count) {
        ssize_t wrote = write(fd, bytes + written, count - written);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) break;
        written += (size_t)wrote;
    }
    int ok = written == count && fchmod(fd, 0444) == 0 && (!do_fsync || fsync(fd) == 0);
    if (close(fd) < 0) ok = 0;
    if (ok && rename(path, final) == 0) return 0;
    int saved = errno;
    unlink(path);
    errno = saved;
    return -1;
}

/* Writes a tree as a loose object into `objects_dir`, stored uncompressed. */
static inline int wptsync_writer_write_tree(const char *objects_dir, int do_fsync, const git_oid *oid,
                                            const void *data, size_t len) {
    char header[64];
    int header_len = snprintf(header, sizeof(header), "tree %zu", len) + 1;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), oid);
    unsigned char *stored = NULL;
    size_t stored_len = 0;
    if (wptsync_writer_store(&stored, &stored_len, header, (size_t)header_len, data, len) < 0) {
        free(stored);
        git_error_set(GIT_ERROR_ZLIB, "failed to deflate tree %s", hex);
        return -1;
    }
    size_t room = strlen(objects_dir) + GIT_OID_HEXSZ + 32;
    char *final = (char *)malloc(room), *path = (char *)malloc(room);
    int error = -1;
    if (final == NULL || path == NULL) {
        git_error_set_oom();
    } else {
        sprintf(final, "%s/%.2s", objects_dir, hex);
        if (mkdir(final, 0777) < 0 && errno != EEXIST) {
            git_error_set(GIT_ERROR_OS, "failed to create '%s': %s", final, strerror(errno));
        } else {
            sprintf(final, "%s/%.2s/%s", objects_dir, hex, hex + 2);
            sprintf(path, "%s/%.2s/tmp_obj_XXXXXX", objects_dir, hex);
            if ((error = wptsync_writer_file(path, final, stored, stored_len, do_fsync)) < 0) {
                git_error_set(GIT_ERROR_OS, "failed to write '%s': %s", final, strerror(errno));
            }
        }
    }
    free(final);
    free(path);
    free(stored);
    return error;
}
#endif
