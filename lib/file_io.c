#include "file_io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int sys_open(const char *path, int flags, mode_t mode)
{
    return open(path, flags, mode);
}

const nj_file_ops nj_file_ops_system = {sys_open, read, write, fstat,
                                        fsync, close, rename, unlink};
const nj_file_ops *nj_file_ops_current = &nj_file_ops_system;

/* "<step> <path>: <reason>", with the reason from errno. */
static nj_status io_fail(nj_registry *reg, const char *step, const char *path,
                         int error)
{
    char reason[128] = "unknown error";
    strerror_r(error, reason, sizeof reason);
    return nj_fail(reg, NJ_E_IO, "%s %s: %s", step, path, reason);
}

/* ---- reading ------------------------------------------------------------- */

static nj_status read_all(nj_registry *reg, const char *path, int fd,
                          size_t max_bytes, char **data, size_t *len)
{
    const nj_file_ops *ops = nj_file_ops_current;
    size_t cap = 0, used = 0;
    char *buf = NULL;
    for (;;) {
        void *grown = buf;
        if (nj_alloc_grow(&reg->alloc, &grown, &cap, used + 65536, 1) != NJ_OK) {
            nj_alloc_free(&reg->alloc, buf);
            return nj_fail(reg, NJ_E_NOMEM, "reading %s: out of memory", path);
        }
        buf = grown;
        ssize_t n = ops->read(fd, buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            nj_alloc_free(&reg->alloc, buf);
            return io_fail(reg, "reading", path, errno);
        }
        used += (size_t)n;
        if (used > max_bytes) {
            nj_alloc_free(&reg->alloc, buf);
            return nj_fail(reg, NJ_E_RANGE,
                           "%s: larger than %zu bytes (NJ_OPT_IMPORT_MAX_BYTES)",
                           path, max_bytes);
        }
        if (n == 0)
            break;
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return NJ_OK;
}

nj_status nj_file_read(nj_registry *reg, const char *path, size_t max_bytes,
                       char **data, size_t *len)
{
    const nj_file_ops *ops = nj_file_ops_current;
    int fd = ops->open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return io_fail(reg, "opening", path, errno);
    struct stat info;
    nj_status st;
    if (ops->fstat(fd, &info) != 0)
        st = io_fail(reg, "reading", path, errno);
    else if (S_ISREG(info.st_mode) && (uintmax_t)info.st_size > max_bytes)
        st = nj_fail(reg, NJ_E_RANGE,
                     "%s: %jd bytes, larger than %zu (NJ_OPT_IMPORT_MAX_BYTES)", path,
                     (intmax_t)info.st_size, max_bytes);
    else
        st = read_all(reg, path, fd, max_bytes, data, len);
    ops->close(fd);
    return st;
}

/* ---- atomic writing ------------------------------------------------------ */

static unsigned next_tmp_number(void)
{
    static unsigned counter;
    return __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
}

nj_status nj_file_begin(nj_registry *reg, const char *path, nj_file_writer *w)
{
    size_t len = strlen(path) + 64;
    w->reg = reg;
    w->path = path;
    w->fd = -1;
    w->tmp_path = nj_alloc_malloc(&reg->alloc, len);
    if (!w->tmp_path)
        return nj_fail(reg, NJ_E_NOMEM, "writing %s: out of memory", path);
    /* A unique name next to the target, so the rename stays in one file
     * system; O_EXCL never reuses a file left by a crash. */
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(w->tmp_path, len, "%s.%ld.%u.tmp", path, (long)getpid(),
                 next_tmp_number());
        w->fd = nj_file_ops_current->open(w->tmp_path,
                                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (w->fd >= 0 || errno != EEXIST)
            break;
    }
    if (w->fd >= 0)
        return NJ_OK;
    nj_status st = io_fail(reg, "creating", w->tmp_path, errno);
    nj_alloc_free(&reg->alloc, w->tmp_path);
    w->tmp_path = NULL;
    return st;
}

nj_status nj_file_write(nj_file_writer *w, const char *bytes, size_t n)
{
    while (n > 0) {
        ssize_t done = nj_file_ops_current->write(w->fd, bytes, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0)
            return io_fail(w->reg, "writing", w->tmp_path, errno);
        if (done == 0)
            return io_fail(w->reg, "writing", w->tmp_path, EIO);
        bytes += done;
        n -= (size_t)done;
    }
    return NJ_OK;
}

void nj_file_abandon(nj_file_writer *w)
{
    if (!w->tmp_path)
        return;
    if (w->fd >= 0)
        nj_file_ops_current->close(w->fd);
    nj_file_ops_current->unlink(w->tmp_path);
    nj_alloc_free(&w->reg->alloc, w->tmp_path);
    w->tmp_path = NULL;
    w->fd = -1;
}

/* The folder holding `path`, written into `dir`. */
static void folder_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* After the rename: the new name must reach the disk too. */
static nj_status sync_folder(nj_file_writer *w)
{
    const nj_file_ops *ops = nj_file_ops_current;
    size_t size = strlen(w->path) + 2;
    char *dir = nj_alloc_malloc(&w->reg->alloc, size);
    if (!dir)
        return nj_fail(w->reg, NJ_E_NOMEM, "writing %s: out of memory", w->path);
    folder_of(w->path, dir, size);
    nj_status st = NJ_OK;
    int fd = ops->open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0 || ops->fsync(fd) != 0)
        st = io_fail(w->reg, "syncing the folder (the file is written but may not be durable)",
                     dir, errno);
    if (fd >= 0)
        ops->close(fd);
    nj_alloc_free(&w->reg->alloc, dir);
    return st;
}

nj_status nj_file_commit(nj_file_writer *w)
{
    const nj_file_ops *ops = nj_file_ops_current;
    nj_status st = NJ_OK;
    /* A failed fsync is final: the kernel may have dropped the pages. */
    if (ops->fsync(w->fd) != 0)
        st = io_fail(w->reg, "syncing", w->tmp_path, errno);
    int fd = w->fd;
    w->fd = -1;
    if (ops->close(fd) != 0 && st == NJ_OK)
        st = io_fail(w->reg, "closing", w->tmp_path, errno);
    if (st == NJ_OK && ops->rename(w->tmp_path, w->path) != 0)
        st = io_fail(w->reg, "renaming over", w->path, errno);
    if (st != NJ_OK) {
        nj_file_abandon(w);
        return st;
    }
    nj_alloc_free(&w->reg->alloc, w->tmp_path);
    w->tmp_path = NULL;
    return sync_folder(w);
}
