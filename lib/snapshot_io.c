/*
 * Snapshot files: the crash-safe save (reliability.md §4) and the load,
 * through a table of system calls that tests replace.
 */
#include "snapshot_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- the real system calls ---------------------------------------------- */

static int posix_open(void *ctx, const char *path, int flags, mode_t mode)
{
    (void)ctx;
    return open(path, flags, mode);
}

static ssize_t posix_write(void *ctx, int fd, const void *buf, size_t n)
{
    (void)ctx;
    return write(fd, buf, n);
}

static ssize_t posix_read(void *ctx, int fd, void *buf, size_t n)
{
    (void)ctx;
    return read(fd, buf, n);
}

static int posix_fstat(void *ctx, int fd, struct stat *st)
{
    (void)ctx;
    return fstat(fd, st);
}

static int posix_fsync(void *ctx, int fd)
{
    (void)ctx;
    return fsync(fd);
}

static int posix_close(void *ctx, int fd)
{
    (void)ctx;
    return close(fd);
}

static int posix_rename(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    return rename(from, to);
}

static int posix_unlink(void *ctx, const char *path)
{
    (void)ctx;
    return unlink(path);
}

const nj_file_ops nj_file_ops_posix = {
    posix_open, posix_write, posix_read, posix_fstat, posix_fsync,
    posix_close, posix_rename, posix_unlink, NULL,
};

/* ---- saving -------------------------------------------------------------- */

typedef struct saving {
    const nj_file_ops *ops;
    const char *path;
    char *tmp;   /* path + ".tmp" */
    char *dir;   /* the folder holding path */
    char *errmsg;
    size_t errmsg_size;
} saving;

/* "<call>(\"<file>\"): <reason><consequence>" and NJ_E_IO. */
static nj_status io_failure(const saving *s, const char *call, const char *file,
                            int err, const char *consequence)
{
    char reason[128];
    if (strerror_r(err, reason, sizeof reason) != 0)
        reason[0] = '\0';
    nj_snapshot_message(s->errmsg, s->errmsg_size,
                        "snapshot save: %s(\"%s\"): %s%s", call, file, reason,
                        consequence);
    return NJ_E_IO;
}

/* The temporary file's name and the folder to sync, from the registry's
 * allocator. */
static nj_status make_names(saving *s, const nj_alloc *a)
{
    size_t len = strlen(s->path);
    const char *slash = strrchr(s->path, '/');
    size_t dir_len = !slash ? 1 : (slash == s->path ? 1 : (size_t)(slash - s->path));
    s->tmp = nj_alloc_malloc(a, len + 5);
    s->dir = nj_alloc_malloc(a, dir_len + 1);
    if (!s->tmp || !s->dir)
        return NJ_E_NOMEM;
    memcpy(s->tmp, s->path, len);
    memcpy(s->tmp + len, ".tmp", 5);
    memcpy(s->dir, slash ? s->path : ".", dir_len);
    s->dir[dir_len] = '\0';
    return NJ_OK;
}

/* Every byte, resuming after short writes and EINTR. */
static int write_all(const saving *s, int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = s->ops->write(s->ops->ctx, fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO; /* a regular file never takes 0 bytes */
            return -1;
        }
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

static const char KEPT[] = "; the old snapshot is untouched";
static const char NOT_DURABLE[] = "; the new snapshot is in place but not durable";

/* Writes and syncs the temporary file; on failure removes it. */
static nj_status write_tmp(const saving *s, const uint8_t *data, size_t size)
{
    const nj_file_ops *ops = s->ops;
    int fd = ops->open(ops->ctx, s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_failure(s, "open", s->tmp, errno,
                          errno == EEXIST
                              ? " (another save is running, or one crashed: remove the "
                                "file once none is running); the old snapshot is untouched"
                              : KEPT);
    const char *call = NULL;
    if (write_all(s, fd, data, size) != 0)
        call = "write";
    else if (ops->fsync(ops->ctx, fd) != 0)
        call = "fsync"; /* never retried: the kernel may have dropped the data */
    if (call) {
        int err = errno;
        ops->close(ops->ctx, fd);
        ops->unlink(ops->ctx, s->tmp);
        return io_failure(s, call, s->tmp, err, KEPT);
    }
    if (ops->close(ops->ctx, fd) != 0) {
        int err = errno;
        ops->unlink(ops->ctx, s->tmp);
        return io_failure(s, "close", s->tmp, err, KEPT);
    }
    return NJ_OK;
}

/* Makes the rename durable. */
static nj_status sync_dir(const saving *s)
{
    const nj_file_ops *ops = s->ops;
    int fd = ops->open(ops->ctx, s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return io_failure(s, "open", s->dir, errno, NOT_DURABLE);
    if (ops->fsync(ops->ctx, fd) != 0) {
        int err = errno;
        ops->close(ops->ctx, fd);
        return io_failure(s, "fsync", s->dir, err, NOT_DURABLE);
    }
    if (ops->close(ops->ctx, fd) != 0)
        return io_failure(s, "close", s->dir, errno, NOT_DURABLE);
    return NJ_OK;
}

static nj_status save_file(saving *s, const uint8_t *data, size_t size)
{
    nj_status st = write_tmp(s, data, size);
    if (st != NJ_OK)
        return st;
    if (s->ops->rename(s->ops->ctx, s->tmp, s->path) != 0) {
        int err = errno;
        s->ops->unlink(s->ops->ctx, s->tmp);
        return io_failure(s, "rename", s->tmp, err, KEPT);
    }
    return sync_dir(s);
}

nj_status nj_snapshot_save_file_ops(const nj_registry *reg, const char *path,
                                    const nj_file_ops *ops, char *errmsg,
                                    size_t errmsg_size)
{
    nj_snapshot_message(errmsg, errmsg_size, "%s", "");
    if (!reg || !path) {
        nj_snapshot_message(errmsg, errmsg_size, "snapshot save: NULL argument");
        return NJ_E_INVALID;
    }
    saving s = {ops, path, NULL, NULL, errmsg, errmsg_size};
    uint8_t *data = NULL;
    size_t size = 0;
    nj_status st = make_names(&s, &reg->alloc);
    if (st == NJ_OK)
        st = nj_snapshot_encode(reg, &data, &size);
    if (st == NJ_OK)
        st = save_file(&s, data, size);
    else
        nj_snapshot_message(errmsg, errmsg_size, "snapshot save: %s%s",
                            st == NJ_E_NOMEM ? "out of memory"
                                             : "a stipend total overflows",
                            KEPT);
    nj_alloc_free(&reg->alloc, data);
    nj_alloc_free(&reg->alloc, s.tmp);
    nj_alloc_free(&reg->alloc, s.dir);
    return st;
}

nj_status nj_snapshot_save_file(const nj_registry *reg, const char *path,
                                char *errmsg, size_t errmsg_size)
{
    return nj_snapshot_save_file_ops(reg, path, &nj_file_ops_posix, errmsg,
                                     errmsg_size);
}

/* ---- loading ------------------------------------------------------------- */

static nj_status read_failure(const char *call, const char *path, int err,
                              char *errmsg, size_t errmsg_size)
{
    char reason[128];
    if (strerror_r(err, reason, sizeof reason) != 0)
        reason[0] = '\0';
    nj_snapshot_message(errmsg, errmsg_size, "snapshot load: %s(\"%s\"): %s", call,
                        path, reason);
    return NJ_E_IO;
}

/* Reads up to `size` bytes (fewer if the file shrank), resuming after
 * short reads and EINTR. */
static ssize_t read_all(const nj_file_ops *ops, int fd, uint8_t *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = ops->read(ops->ctx, fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* The whole file in a buffer from `alloc`. */
static nj_status read_file(const char *path, const nj_alloc *alloc,
                           const nj_file_ops *ops, uint8_t **data, size_t *size,
                           char *errmsg, size_t errmsg_size)
{
    *data = NULL;
    int fd = ops->open(ops->ctx, path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return read_failure("open", path, errno, errmsg, errmsg_size);
    struct stat info;
    ssize_t got = 0;
    nj_status st = NJ_OK;
    if (ops->fstat(ops->ctx, fd, &info) != 0) {
        st = read_failure("fstat", path, errno, errmsg, errmsg_size);
    } else if (!(*data = nj_alloc_malloc(alloc, (size_t)info.st_size))) {
        nj_snapshot_message(errmsg, errmsg_size, "snapshot load: out of memory");
        st = NJ_E_NOMEM;
    } else if ((got = read_all(ops, fd, *data, (size_t)info.st_size)) < 0) {
        st = read_failure("read", path, errno, errmsg, errmsg_size);
    }
    if (ops->close(ops->ctx, fd) != 0 && st == NJ_OK)
        st = read_failure("close", path, errno, errmsg, errmsg_size);
    if (st != NJ_OK) {
        nj_alloc_free(alloc, *data);
        *data = NULL;
        return st;
    }
    *size = (size_t)got;
    return NJ_OK;
}

nj_status nj_snapshot_load_file_ops(const char *path, const nj_alloc *alloc,
                                    const nj_file_ops *ops, nj_registry **out,
                                    char *errmsg, size_t errmsg_size)
{
    uint8_t *data;
    size_t size;
    nj_status st = read_file(path, alloc, ops, &data, &size, errmsg, errmsg_size);
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
    nj_snapshot_message(errmsg, errmsg_size, "%s", "");
    if (out)
        *out = NULL;
    if (!path || !out || !malloc_fn || !realloc_fn || !free_fn) {
        nj_snapshot_message(errmsg, errmsg_size, "snapshot load: NULL argument");
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
