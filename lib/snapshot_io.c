/*
 * Snapshot files: the crash-safe save (reliability.md §4) and the load,
 * through file_io.c's table of system calls that tests replace.
 */
#include "snapshot_internal.h"

#include <stdint.h>

nj_status nj_snapshot_save_file_ops(const nj_registry *reg, const char *path,
                                    const nj_file_ops *ops, char *errmsg,
                                    size_t errmsg_size)
{
    nj_buf_message(errmsg, errmsg_size, "%s", "");
    if (!reg || !path) {
        nj_buf_message(errmsg, errmsg_size, "snapshot save: NULL argument");
        return NJ_E_INVALID;
    }
    const nj_file_report report = {"snapshot save", "snapshot", errmsg, errmsg_size};
    uint8_t *data = NULL;
    size_t size = 0;
    nj_status st = nj_snapshot_encode(reg, &data, &size);
    if (st == NJ_OK)
        st = nj_file_save(ops, &reg->alloc, path, data, size, &report);
    else
        nj_buf_message(errmsg, errmsg_size, "snapshot save: %s; the old snapshot is untouched",
                       st == NJ_E_NOMEM ? "out of memory" : "a stipend total overflows");
    nj_alloc_free(&reg->alloc, data);
    return st;
}

nj_status nj_snapshot_save_file(const nj_registry *reg, const char *path,
                                char *errmsg, size_t errmsg_size)
{
    return nj_snapshot_save_file_ops(reg, path, &nj_file_ops_posix, errmsg,
                                     errmsg_size);
}

/* ---- loading ------------------------------------------------------------- */

nj_status nj_snapshot_load_file_ops(const char *path, const nj_alloc *alloc,
                                    const nj_file_ops *ops, nj_registry **out,
                                    char *errmsg, size_t errmsg_size)
{
    const nj_file_report report = {"snapshot load", "snapshot", errmsg, errmsg_size};
    uint8_t *data;
    size_t size;
    nj_status st = nj_file_load(ops, alloc, path, SIZE_MAX, "", &data, &size, &report);
    if (st != NJ_OK)
        return st;
    st = nj_snapshot_decode(data, size, alloc, out, errmsg, errmsg_size);
    nj_alloc_free(alloc, data);
    return st;
}

nj_status nj_snapshot_load_file_with_allocator(const char *path,
                                               nj_malloc_fn malloc_fn,
                                               nj_realloc_fn realloc_fn,
                                               nj_free_fn free_fn, void *user,
                                               nj_registry **out, char *errmsg,
                                               size_t errmsg_size)
{
    nj_buf_message(errmsg, errmsg_size, "%s", "");
    if (out)
        *out = NULL;
    if (!path || !out || !malloc_fn || !realloc_fn || !free_fn) {
        nj_buf_message(errmsg, errmsg_size, "snapshot load: NULL argument");
        return NJ_E_INVALID;
    }
    nj_alloc alloc = {malloc_fn, realloc_fn, free_fn, user};
    return nj_snapshot_load_file_ops(path, &alloc, &nj_file_ops_posix, out, errmsg,
                                     errmsg_size);
}

nj_status nj_snapshot_load_file(const char *path, nj_registry **out, char *errmsg,
                                size_t errmsg_size)
{
    const nj_alloc *a = &nj_alloc_default;
    return nj_snapshot_load_file_with_allocator(path, a->malloc_fn, a->realloc_fn,
                                                a->free_fn, a->user, out, errmsg,
                                                errmsg_size);
}
