/* Pieces shared by the open-addressing hashes: the id hash (table.c,
 * id_map.c, region_index.c) and the backward-shift deletion test (table.c,
 * region_index.c). */
#ifndef NJ_HASH_INTERNAL_H
#define NJ_HASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Caller ids usually come in runs or with a fixed stride (10-digit region
 * codes, entry ids of an import): folding the high bits onto the low ones
 * keeps a run in neighbouring slots, so lookups of nearby ids share cache
 * lines, and still spreads ids that differ only above bit 20. The fold is a
 * bijection below 2^40, so such ids never collide before masking.
 */
static inline size_t nj_hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id;
    return (size_t)(x ^ (x >> 20) ^ (x >> 40));
}

/*
 * Backward-shift deletion with linear probing: the entry at slot `i`, whose
 * home slot is `home`, may move back into the hole at `hole` unless its home
 * lies cyclically in (hole, i].
 */
static inline int nj_hash_can_fill_hole(size_t hole, size_t i, size_t home)
{
    int home_in_range = hole <= i ? (home > hole && home <= i)
                                  : (home > hole || home <= i);
    return !home_in_range;
}

#endif
