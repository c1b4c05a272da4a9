/**
 * @file nearjob/snapshot.h
 * @brief Snapshots: the whole registry as one checksummed binary file or
 *        memory buffer, saved atomically and loaded with full validation.
 *
 * A snapshot holds everything a registry holds: the options, regions with
 * their boundaries, facilities, postings, participants, applications with
 * their selections (method, seed, waitlist order) and the stipend ledger
 * with its voids. docs/snapshot-format.md describes the format byte by
 * byte: little-endian, versioned, every section with a CRC-32C.
 *
 * - Saving the same registry twice gives the same bytes, and so does
 *   saving a registry just loaded from a snapshot (save -> load -> save is
 *   byte-identical).
 * - nj_snapshot_save_file() replaces the file atomically: after a crash or
 *   power loss at any moment the path holds the complete old or the
 *   complete new snapshot, never a mix.
 * - Loading builds a new registry and validates everything before handing
 *   it back; a damaged or foreign file is NJ_E_CORRUPT, a file from a newer
 *   format version NJ_E_VERSION. Nothing is half-loaded.
 *
 * Messages. Loading creates the registry, so there is none to carry the
 * message of a failed load, and the save functions are read-only, so they
 * must not write the registry's message (docs/threading.md). These
 * functions therefore write their message into an optional caller buffer
 * `errmsg` of `errmsg_size` bytes (NULL / 0 for none; always
 * NUL-terminated, truncated to fit; 256 bytes is enough for every message).
 * It is "" on success. A corrupt snapshot's message names the section and
 * the byte offset, for example
 * "snapshot section 'participants' at byte 1234: participant 42: latitude
 * 91.5 outside [-90, 90]".
 *
 * Thread safety: the save functions are read-only (const registry); they
 * allocate through the registry's allocator hooks.
 */
#ifndef NEARJOB_SNAPSHOT_H
#define NEARJOB_SNAPSHOT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write a snapshot of the registry into a caller buffer. `size` always
 * receives the snapshot's size in bytes; call with buf NULL and capacity 0
 * to ask for it.
 *
 * @param[in]  reg       the registry
 * @param[out] buf       receives the snapshot (may be NULL when capacity is 0)
 * @param[in]  capacity  bytes available at buf
 * @param[out] size      the snapshot's size
 * @return NJ_OK; NJ_E_INVALID (NULL reg or size, or NULL buf with capacity
 *         > 0); NJ_E_BUFFER_TOO_SMALL (capacity < *size; nothing written);
 *         NJ_E_NOMEM; NJ_E_RANGE (a stipend total of the ledger overflows).
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_snapshot_save_mem(const nj_registry *reg, void *buf,
                                      size_t capacity, size_t *size);

/**
 * Save a snapshot to `path`, replacing any file there atomically: the
 * snapshot is written to `path` + ".tmp" (created exclusively, mode 0600),
 * flushed with fsync, renamed over `path`, and the folder is synced.
 *
 * If any step before the rename fails, the temporary file is removed and
 * the old file is untouched. A failure after the rename (syncing the
 * folder) is still NJ_E_IO: the new snapshot is in place but may not
 * survive a power loss. A failed fsync is never retried (Linux drops the
 * unwritten pages after reporting the error once).
 *
 * A leftover `path`.tmp (from a save that is running, or one that crashed)
 * makes the save fail with NJ_E_IO and a message naming it; remove it once
 * no save is running. Two processes saving to the same path at once thus
 * cannot mix their files.
 *
 * A symbolic link at `path` is followed: the file it names is replaced and
 * the link stays (a link that leads nowhere is NJ_E_IO). A path that exists
 * but is not a regular file (a directory, a device, a FIFO) is refused with
 * NJ_E_IO before anything is written, rather than having a file renamed
 * over it.
 *
 * @param reg    the registry
 * @param path   the file to replace (or create)
 * @param[out] errmsg       optional message buffer (see the file comment)
 * @param[in]  errmsg_size  its size in bytes
 * @return NJ_OK; NJ_E_INVALID (NULL reg or path); NJ_E_IO (the message
 *         names the call, the file and the system's reason); NJ_E_NOMEM;
 *         NJ_E_RANGE (as nj_snapshot_save_mem()). Read-only. @since 0.1
 */
NJ_API nj_status nj_snapshot_save_file(const nj_registry *reg,
                                       const char *path, char *errmsg,
                                       size_t errmsg_size);

/**
 * Load a snapshot from memory into a new registry that allocates with the C
 * library's malloc.
 *
 * @param[in]  buf   the snapshot
 * @param[in]  size  its size in bytes
 * @param[out] out   receives the new registry; NULL on failure
 * @param[out] errmsg       optional message buffer
 * @param[in]  errmsg_size  its size in bytes
 * @return NJ_OK; NJ_E_INVALID (NULL out, NULL buf with size > 0);
 *         NJ_E_CORRUPT (not a snapshot, truncated, a bad checksum, a value
 *         out of range, a reference to a missing object; the message names
 *         the section and byte offset); NJ_E_VERSION (written by a newer
 *         format version; the message names both versions); NJ_E_NOMEM.
 * @since 0.1
 */
NJ_API nj_status nj_snapshot_load_mem(const void *buf, size_t size,
                                      nj_registry **out, char *errmsg,
                                      size_t errmsg_size);

/**
 * nj_snapshot_load_mem() into a registry using the given allocator hooks
 * (see nj_registry_create_with_allocator()); the load itself allocates
 * through them too.
 * @return as nj_snapshot_load_mem(); NJ_E_INVALID also for a NULL hook.
 * @since 0.1
 */
NJ_API nj_status nj_snapshot_load_mem_with_allocator(
    const void *buf, size_t size, nj_malloc_fn malloc_fn,
    nj_realloc_fn realloc_fn, nj_free_fn free_fn, void *user,
    nj_registry **out, char *errmsg, size_t errmsg_size);

/**
 * Read the snapshot at `path` and load it into a new registry.
 * @return as nj_snapshot_load_mem(), or NJ_E_IO when the file cannot be
 *         opened or read (the message names the call and the reason) or
 *         is not a regular file (a FIFO or a device is refused at once,
 *         not waited on).
 *         NJ_E_INVALID for a NULL path. @since 0.1
 */
NJ_API nj_status nj_snapshot_load_file(const char *path, nj_registry **out,
                                       char *errmsg, size_t errmsg_size);

/**
 * nj_snapshot_load_file() with allocator hooks; the file buffer is
 * allocated through them too.
 * @return as nj_snapshot_load_file(); NJ_E_INVALID also for a NULL hook.
 * @since 0.1
 */
NJ_API nj_status nj_snapshot_load_file_with_allocator(
    const char *path, nj_malloc_fn malloc_fn, nj_realloc_fn realloc_fn,
    nj_free_fn free_fn, void *user, nj_registry **out, char *errmsg,
    size_t errmsg_size);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_SNAPSHOT_H */
