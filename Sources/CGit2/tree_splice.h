#ifndef WPTSYNC_CGIT2_TREE_SPLICE_H
#define WPTSYNC_CGIT2_TREE_SPLICE_H
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Editing a tree object's bytes directly (TreeEditor). A tree is a run of entries
 * `<octal mode> <name>\0<20-byte id>`, sorted by name as if a subtree's name ended in '/'. Copying
 * the unchanged entries and splicing in the changed ones costs a copy of the base, where a tree
 * builder parses every entry into a map, sorts them again and prints each one back.
 */

/* One change to a tree: `mode` 0 deletes the entry named `name`, any other mode puts `id` there. */
typedef struct {
    const unsigned char *name;
    size_t name_len;
    uint32_t mode;
    git_oid id;
} wptsync_tree_edit;

/* One parsed entry, pointing into the tree's bytes. */
typedef struct {
    const unsigned char *name;
    size_t name_len;
    size_t size;             /* of the whole entry */
    uint32_t mode;
    const unsigned char *id;
} wptsync_tree_entry;

/* Parses the entry at `at`: 1, or 0 at `end`, or -1 (with a git error) when the bytes are not an entry. */
static inline int wptsync_tree_next(wptsync_tree_entry *entry, const unsigned char *at, const unsigned char *end) {
    if (at == end) return 0;
    const unsigned char *cursor = at;
    uint32_t mode = 0;
    while (cursor < end && *cursor >= '0' && *cursor <= '7' && cursor - at < 7) mode = mode * 8 + (uint32_t)(*cursor++ - '0');
    const unsigned char *name = cursor + 1;
    const unsigned char *nul = cursor < end && *cursor == ' ' && cursor > at
        ? (const unsigned char *)memchr(name, 0, (size_t)(end - name)) : NULL;
    if (nul == NULL || nul == name || (size_t)(end - nul - 1) < GIT_OID_RAWSZ) {
        git_error_set_str(GIT_ERROR_TREE, "malformed tree entry");
        return -1;
    }
    entry->name = name;
    entry->name_len = (size_t)(nul - name);
    entry->mode = mode;
    entry->id = nul + 1;
    entry->size = (size_t)(nul + 1 + GIT_OID_RAWSZ - at);
    return 1;
}

static inline int wptsync_tree_is_subtree(uint32_t mode) { return (mode & 0170000) == 0040000; }

/* git's tree order: names compared bytewise, a subtree's name as if it ended in '/'. */
static inline int wptsync_tree_order(const unsigned char *a, size_t a_len, uint32_t a_mode,
                                     const unsigned char *b, size_t b_len, uint32_t b_mode) {
    size_t common = a_len < b_len ? a_len : b_len;
    int compared = memcmp(a, b, common);
    if (compared != 0) return compared;
    unsigned next_a = a_len > common ? a[common] : (wptsync_tree_is_subtree(a_mode) ? '/' : 0);
    unsigned next_b = b_len > common ? b[common] : (wptsync_tree_is_subtree(b_mode) ? '/' : 0);
    return next_a < next_b ? -1 : next_a > next_b;
}

static inline int wptsync_tree_name_order(const void *a, const void *b) {
    const wptsync_tree_edit *x = (const wptsync_tree_edit *)a, *y = (const wptsync_tree_edit *)b;
    size_t common = x->name_len < y->name_len ? x->name_len : y->name_len;
    int compared = memcmp(x->name, y->name, common);
    if (compared != 0) return compared;
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static inline int wptsync_tree_edit_order(const void *a, const void *b) {
    const wptsync_tree_edit *x = *(const wptsync_tree_edit *const *)a, *y = *(const wptsync_tree_edit *const *)b;
    return wptsync_tree_order(x->name, x->name_len, x->mode, y->name, y->name_len, y->mode);
}

/* Finds the entry named `name` in the tree `base`: 1 with its mode and id, 0 when there is none, -1
   (with a git error) when `base` is malformed. */
static inline int wptsync_tree_find(uint32_t *mode, git_oid *id, const unsigned char *base, size_t base_len,
                                    const unsigned char *name, size_t name_len) {
    const unsigned char *at = base, *end = base + base_len;
    wptsync_tree_entry entry;
    int found;
    while ((found = wptsync_tree_next(&entry, at, end)) > 0) {
        if (entry.name_len == name_len && memcmp(entry.name, name, name_len) == 0) {
            *mode = entry.mode;
            git_oid_fromraw(id, entry.id);
            return 1;
        }
        at += entry.size;
    }
    return found;
}

static inline size_t wptsync_tree_put(unsigned char *out, const wptsync_tree_edit *edit) {
    size_t written = (size_t)sprintf((char *)out, "%o ", (unsigned)edit->mode);
    memcpy(out + written, edit->name, edit->name_len);
    written += edit->name_len;
    out[written++] = 0;
    memcpy(out + written, edit->id.id, GIT_OID_RAWSZ);
    return written + GIT_OID_RAWSZ;
}

/*
 * The tree `base` (`base_len` bytes, 0 for none) with `edits` applied, in `*out` (malloc'd, to free;
 * never NULL on success). Names are unique across `edits`; an edit replaces the entry of that name
 * whatever its mode, and deleting a missing name does nothing. Reorders `edits`. Entries left as they
 * were are copied byte for byte. 0, or -1 with a git error (malformed base, out of memory).
 */
static inline int wptsync_tree_splice(unsigned char **out, size_t *out_len, const unsigned char *base, size_t base_len,
                                      wptsync_tree_edit *edits, size_t count) {
    *out = NULL;
    *out_len = 0;
    qsort(edits, count, sizeof(*edits), wptsync_tree_name_order);
    wptsync_tree_edit **upserts = (wptsync_tree_edit **)malloc((count ? count : 1) * sizeof(*upserts));
    size_t upsert_count = 0, room = base_len + 1;
    if (upserts == NULL) {
        git_error_set_oom();
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        if (edits[i].mode == 0) continue;
        upserts[upsert_count++] = &edits[i];
        room += 13 + edits[i].name_len + GIT_OID_RAWSZ;  /* "%o " of 32 bits and sprintf's NUL */
    }
    qsort(upserts, upsert_count, sizeof(*upserts), wptsync_tree_edit_order);
    unsigned char *result = (unsigned char *)malloc(room);
    if (result == NULL) {
        free(upserts);
        git_error_set_oom();
        return -1;
    }
    size_t length = 0, next = 0;
    const unsigned char *at = base, *end = base + base_len;
    wptsync_tree_entry entry;
    int found;
    while ((found = wptsync_tree_next(&entry, at, end)) > 0) {
        while (next < upsert_count && wptsync_tree_order(upserts[next]->name, upserts[next]->name_len, upserts[next]->mode,
                                                         entry.name, entry.name_len, entry.mode) < 0) {
            length += wptsync_tree_put(result + length, upserts[next++]);
        }
        wptsync_tree_edit key = { entry.name, entry.name_len, 0, { { 0 } } };
        if (count == 0 || bsearch(&key, edits, count, sizeof(*edits), wptsync_tree_name_order) == NULL) {
            memcpy(result + length, at, entry.size);
            length += entry.size;
        }
        at += entry.size;
    }
    if (found < 0) {
        free(upserts);
        free(result);
        return -1;
    }
    while (next < upsert_count) length += wptsync_tree_put(result + length, upserts[next++]);
    free(upserts);
    *out = result;
    *out_len = length;
    return 0;
}
/* Frees what wptsync_tree_splice returned. */
static inline void wptsync_tree_splice_free(unsigned char *bytes) { free(bytes); }
#endif
