/* realpath() is POSIX.1-2008, but glibc declares it only for X/Open. */
#define _XOPEN_SOURCE 700

#include "file_io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
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

static int posix_lstat(void *ctx, const char *path, struct stat *st)
{
    (void)ctx;
    return lstat(path, st);
}

const nj_file_ops nj_file_ops_posix = {
    posix_open, posix_write, posix_read, posix_fstat, posix_fsync,
    posix_close, posix_rename, posix_unlink, posix_lstat, NULL,
};

/* ---- messages ------------------------------------------------------------ */

static void message(const nj_file_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void message(const nj_file_report *r, const char *fmt, ...)
{
    if (!r->errmsg || r->errmsg_size == 0)
        return;
    int n = snprintf(r->errmsg, r->errmsg_size, "%s: ", r->what);
    if (n < 0 || (size_t)n >= r->errmsg_size)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(r->errmsg + n, r->errmsg_size - (size_t)n, fmt, args);
    va_end(args);
}

/* "<call>(\"<file>\"): <reason><consequence>" and NJ_E_IO. */
static nj_status io_failure(const nj_file_report *r, const char *call, const char *file,
                            int err, const char *consequence)
{
    char reason[128];
    if (strerror_r(err, reason, sizeof reason) != 0)
        reason[0] = '\0';
    message(r, "%s(\"%s\"): %s%s", call, file, reason, consequence);
    return NJ_E_IO;
}

/* ---- saving -------------------------------------------------------------- */

typedef struct saving {
    const nj_file_ops *ops;
    const nj_file_report *report;
    const char *path; /* the file replaced: the caller's path, or the file
                       * its symbolic link names (in `resolved`) */
    char *tmp;   /* path + ".tmp" */
    char *dir;   /* the folder holding path */
    char kept[64], not_durable[64];
    char resolved[PATH_MAX];
} saving;

/* "\"<file>\" is not a regular file ..." and NJ_E_IO. */
static nj_status not_regular(const nj_file_report *r, const char *file, const char *consequence)
{
    message(r, "\"%s\" is not a regular file%s", file, consequence);
    return NJ_E_IO;
}

/*
 * Where the save lands. Renaming over a symbolic link would replace the
 * link, so the file it names is replaced instead (a link that leads
 * nowhere is refused). A path that exists but is not a regular file (a
 * directory, a device, a FIFO) is refused: a file would be renamed over
 * it. The check and the rename are not atomic; the folder is the caller's.
 */
static nj_status resolve_target(saving *s)
{
    const nj_file_ops *ops = s->ops;
    struct stat st;
    if (ops->lstat(ops->ctx, s->path, &st) != 0)
        return errno == ENOENT ? NJ_OK : io_failure(s->report, "lstat", s->path, errno, s->kept);
    if (S_ISLNK(st.st_mode)) {
        if (!realpath(s->path, s->resolved))
            return io_failure(s->report, "realpath", s->path, errno, s->kept);
        if (ops->lstat(ops->ctx, s->resolved, &st) != 0)
            return io_failure(s->report, "lstat", s->resolved, errno, s->kept);
        s->path = s->resolved;
    }
    return S_ISREG(st.st_mode) ? NJ_OK : not_regular(s->report, s->path, s->kept);
}

/* The temporary file's name and the folder to sync. */
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

/* Writes and syncs the temporary file; on failure removes it. */
static nj_status write_tmp(const saving *s, const uint8_t *data, size_t size)
{
    const nj_file_ops *ops = s->ops;
    int fd = ops->open(ops->ctx, s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        char busy[160];
        snprintf(busy, sizeof busy,
                 " (another save is running, or one crashed: remove the file once none "
                 "is running)%s", s->kept);
        return io_failure(s->report, "open", s->tmp, errno, errno == EEXIST ? busy : s->kept);
    }
    const char *call = NULL;
    if (write_all(s, fd, data, size) != 0)
        call = "write";
    else if (ops->fsync(ops->ctx, fd) != 0)
        call = "fsync"; /* never retried: the kernel may have dropped the data */
    if (call) {
        int err = errno;
        ops->close(ops->ctx, fd);
        ops->unlink(ops->ctx, s->tmp);
        return io_failure(s->report, call, s->tmp, err, s->kept);
    }
    if (ops->close(ops->ctx, fd) != 0) {
        int err = errno;
        ops->unlink(ops->ctx, s->tmp);
        return io_failure(s->report, "close", s->tmp, err, s->kept);
    }
    return NJ_OK;
}

/* Makes the rename durable. */
static nj_status sync_dir(const saving *s)
{
    const nj_file_ops *ops = s->ops;
    int fd = ops->open(ops->ctx, s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return io_failure(s->report, "open", s->dir, errno, s->not_durable);
    if (ops->fsync(ops->ctx, fd) != 0) {
        int err = errno;
        ops->close(ops->ctx, fd);
        return io_failure(s->report, "fsync", s->dir, err, s->not_durable);
    }
    if (ops->close(ops->ctx, fd) != 0)
        return io_failure(s->report, "close", s->dir, errno, s->not_durable);
    return NJ_OK;
}

nj_status nj_file_save(const nj_file_ops *ops, const nj_alloc *a, const char *path,
                       const void *data, size_t size, const nj_file_report *report)
{
    saving s = {ops, report, path, NULL, NULL, "", "", ""};
    snprintf(s.kept, sizeof s.kept, "; the old %s is untouched", report->noun);
    snprintf(s.not_durable, sizeof s.not_durable, "; the new %s is in place but not durable",
             report->noun);
    nj_status st = resolve_target(&s);
    if (st != NJ_OK)
        return st;
    if ((st = make_names(&s, a)) != NJ_OK)
        message(report, "out of memory%s", s.kept);
    else if ((st = write_tmp(&s, data, size)) == NJ_OK) {
        if (ops->rename(ops->ctx, s.tmp, s.path) != 0) {
            int err = errno;
            ops->unlink(ops->ctx, s.tmp);
            st = io_failure(report, "rename", s.tmp, err, s.kept);
        } else {
            st = sync_dir(&s);
        }
    }
    nj_alloc_free(a, s.tmp);
    nj_alloc_free(a, s.dir);
    return st;
}

/* ---- loading ------------------------------------------------------------- */

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

nj_status nj_file_load(const nj_file_ops *ops, const nj_alloc *a, const char *path,
                       size_t max_bytes, const char *limit, uint8_t **data,
                       size_t *size, const nj_file_report *report)
{
    *data = NULL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is then
     * refused with every other file that is not regular, whose size fstat
     * does not give. */
    int fd = ops->open(ops->ctx, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd < 0)
        return io_failure(report, "open", path, errno, "");
    struct stat info;
    ssize_t got = 0;
    nj_status st = NJ_OK;
    if (ops->fstat(ops->ctx, fd, &info) != 0) {
        st = io_failure(report, "fstat", path, errno, "");
    } else if (!S_ISREG(info.st_mode)) {
        st = not_regular(report, path, "");
    } else if ((uintmax_t)info.st_size > max_bytes) {
        message(report, "\"%s\" has %jd bytes, over the limit of %zu (%s)", path,
                (intmax_t)info.st_size, max_bytes, limit);
        st = NJ_E_RANGE;
    } else if (!(*data = nj_alloc_malloc(a, (size_t)info.st_size))) {
        message(report, "out of memory");
        st = NJ_E_NOMEM;
    } else if ((got = read_all(ops, fd, *data, (size_t)info.st_size)) < 0) {
        st = io_failure(report, "read", path, errno, "");
    }
    if (ops->close(ops->ctx, fd) != 0 && st == NJ_OK)
        st = io_failure(report, "close", path, errno, "");
    if (st != NJ_OK) {
        nj_alloc_free(a, *data);
        *data = NULL;
        return st;
    }
    *size = (size_t)got;
    return NJ_OK;
}
