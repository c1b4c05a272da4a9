/*
 * Whole-file reads and atomic whole-file writes, through a table of system
 * calls that tests replace to inject short writes, EINTR and failures.
 */
#ifndef NJ_FILE_IO_INTERNAL_H
#define NJ_FILE_IO_INTERNAL_H

#include <sys/stat.h>
#include <sys/types.h>

#include "registry_internal.h"

typedef struct nj_file_ops {
    int (*open)(const char *path, int flags, mode_t mode);
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*fstat)(int fd, struct stat *st);
    int (*fsync)(int fd);
    int (*close)(int fd);
    int (*rename)(const char *from, const char *to);
    int (*unlink)(const char *path);
} nj_file_ops;

/* The C library's calls. */
extern const nj_file_ops nj_file_ops_system;
/* What the library uses; tests point it elsewhere (never in production). */
extern const nj_file_ops *nj_file_ops_current;

/*
 * Reads a whole file into a NUL-terminated buffer from the registry's
 * allocator. Files larger than `max_bytes` are refused before reading.
 * @return NJ_OK, NJ_E_IO, NJ_E_RANGE or NJ_E_NOMEM, with the message
 *         naming the path.
 */
nj_status nj_file_read(nj_registry *reg, const char *path, size_t max_bytes,
                       char **data, size_t *len);

/* An atomic write in progress: the bytes go to a new temporary file in
 * the target's folder, which nj_file_commit() renames over the target. */
typedef struct nj_file_writer {
    nj_registry *reg;
    const char *path;
    char *tmp_path;
    int fd;
} nj_file_writer;

/* Creates the temporary file (O_EXCL, mode 0600). */
nj_status nj_file_begin(nj_registry *reg, const char *path, nj_file_writer *w);
/* Writes everything, retrying short writes and EINTR. */
nj_status nj_file_write(nj_file_writer *w, const char *bytes, size_t n);
/* fsync, close, rename, then fsync of the folder. On failure before the
 * rename the temporary file is removed and the target is untouched. */
nj_status nj_file_commit(nj_file_writer *w);
/* Gives up: closes and removes the temporary file. */
void nj_file_abandon(nj_file_writer *w);

#endif
