/*
 * Whole files for snapshots and CSV: the crash-safe save (reliability.md
 * §4) and the load, through a table of system calls that tests replace to
 * fail each call in turn, record their order, or stop between two of them.
 */
#ifndef NJ_FILE_IO_INTERNAL_H
#define NJ_FILE_IO_INTERNAL_H

#include <sys/stat.h>
#include <sys/types.h>

#include "alloc_internal.h"

/*
 * The system calls a save or load makes. Each follows its POSIX namesake
 * (-1 and errno on failure); `ctx` is passed through.
 */
typedef struct nj_file_ops {
    int (*open)(void *ctx, const char *path, int flags, mode_t mode);
    ssize_t (*write)(void *ctx, int fd, const void *buf, size_t n);
    ssize_t (*read)(void *ctx, int fd, void *buf, size_t n);
    int (*fstat)(void *ctx, int fd, struct stat *st);
    int (*fsync)(void *ctx, int fd);
    int (*close)(void *ctx, int fd);
    int (*rename)(void *ctx, const char *from, const char *to);
    int (*unlink)(void *ctx, const char *path);
    int (*lstat)(void *ctx, const char *path, struct stat *st);
    void *ctx;
} nj_file_ops;

/* The real system calls. */
extern const nj_file_ops nj_file_ops_posix;

/* Where a message goes and how it speaks: "<what>: <call>("<file>"):
 * <reason>; the old <noun> is untouched". `errmsg` may be NULL. */
typedef struct nj_file_report {
    const char *what;  /* "snapshot save", "CSV import" */
    const char *noun;  /* "snapshot", "file" */
    char *errmsg;
    size_t errmsg_size;
} nj_file_report;

/*
 * Replaces `path` with `size` bytes, crash-safely: path.tmp (O_EXCL, mode
 * 0600), every byte written (short writes and EINTR resumed), fsync,
 * checked close, rename, fsync of the folder. A failure before the rename
 * removes path.tmp and leaves the old file untouched; after it, the new
 * file is in place but may not be durable. A symbolic link at `path` is
 * followed (its file is replaced, the link kept); a path that is there but
 * is not a regular file is refused (NJ_E_IO) before anything is written.
 * @return NJ_OK, NJ_E_IO or NJ_E_NOMEM (with the message).
 */
nj_status nj_file_save(const nj_file_ops *ops, const nj_alloc *a, const char *path,
                       const void *data, size_t size, const nj_file_report *report);

/*
 * Reads a regular file whole into a buffer from `a` (anything else, a FIFO
 * or a device, is refused with NJ_E_IO without waiting on it). A file larger than
 * `max_bytes` is refused before it is read (NJ_E_RANGE naming `limit`).
 * @return NJ_OK, NJ_E_IO, NJ_E_RANGE or NJ_E_NOMEM (with the message).
 */
nj_status nj_file_load(const nj_file_ops *ops, const nj_alloc *a, const char *path,
                       size_t max_bytes, const char *limit, uint8_t **data,
                       size_t *size, const nj_file_report *report);

#endif
