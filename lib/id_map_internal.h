/* A map from caller ids to array positions, for records kept in flat
 * arrays (work entries): open addressing, no deletion. */
#ifndef NJ_ID_MAP_INTERNAL_H
#define NJ_ID_MAP_INTERNAL_H

#include "alloc_internal.h"

typedef struct nj_id_slot {
    int64_t id;      /* 0: empty (ids are >= 1) */
    size_t position;
} nj_id_slot;

typedef struct nj_id_map {
    nj_id_slot *slots;
    size_t slot_count; /* a power of two, or 0 */
    size_t used;
} nj_id_map;

void nj_id_map_init(nj_id_map *m);
void nj_id_map_free(nj_id_map *m, const nj_alloc *a);
/* Room for `extra` more ids; NJ_E_NOMEM leaves the map as it was. */
nj_status nj_id_map_reserve(nj_id_map *m, const nj_alloc *a, size_t extra);
/* Adds an absent id; requires a successful reserve. */
void nj_id_map_insert(nj_id_map *m, int64_t id, size_t position);
/* Removes a present id (to undo an insert). */
void nj_id_map_erase(nj_id_map *m, int64_t id);
/* The position of `id`, or SIZE_MAX. */
size_t nj_id_map_find(const nj_id_map *m, int64_t id);

#endif
