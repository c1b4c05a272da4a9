/*
 * An index from caller ids (>= 1) to positions in a dense array of records
 * that each begin with their int64_t id (work entries).
 *
 * Open addressing with linear probing, at most half full, over 32-bit
 * slots holding position + 1 (0: empty). A probe compares ids through the
 * records, so a slot costs 4 bytes instead of an (id, position) pair's 16,
 * and growing the index zeroes and touches a quarter of the memory.
 *
 * Records are only appended, and only the last one is ever unmapped (to
 * undo an append): positions 0 .. used - 1 are exactly the mapped ones, so
 * a rebuild reads the records in order rather than the old slots.
 */
#ifndef NJ_ID_MAP_INTERNAL_H
#define NJ_ID_MAP_INTERNAL_H

#include "alloc_internal.h"

/* Positions fit in 32 bits with 0 kept for "empty". */
#define NJ_ID_MAP_MAX_RECORDS ((size_t)UINT32_MAX - 1)

typedef struct nj_id_map {
    uint32_t *slots;
    size_t slot_count; /* a power of two, or 0 */
    size_t used;       /* records 0 .. used - 1 are mapped */
} nj_id_map;

/* The records a map indexes: `size` bytes apart from `base`. They move when
 * their array grows, so every call is given them afresh. */
typedef struct nj_id_records {
    const void *base;
    size_t size;
} nj_id_records;

void nj_id_map_init(nj_id_map *m);
void nj_id_map_free(nj_id_map *m, const nj_alloc *a);
/* Room for `extra` more records (at most NJ_ID_MAP_MAX_RECORDS in all);
 * NJ_E_NOMEM leaves the map as it was. */
nj_status nj_id_map_reserve(nj_id_map *m, const nj_alloc *a, nj_id_records r,
                            size_t extra);
/* Maps record `used`, whose id must be absent; requires a reserve. */
void nj_id_map_insert_next(nj_id_map *m, nj_id_records r);
/* Unmaps record `used - 1`. */
void nj_id_map_erase_last(nj_id_map *m, nj_id_records r);
/* The position of the record with `id`, or SIZE_MAX. */
size_t nj_id_map_find(const nj_id_map *m, nj_id_records r, int64_t id);

#endif
