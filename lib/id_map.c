#include "id_map_internal.h"

#include <string.h>

#include "hash_internal.h"

#define MIN_SLOTS 16

void nj_id_map_init(nj_id_map *m)
{
    memset(m, 0, sizeof *m);
}

void nj_id_map_free(nj_id_map *m, const nj_alloc *a)
{
    nj_alloc_free(a, m->slots);
    nj_id_map_init(m);
}

static int64_t record_id(nj_id_records r, size_t position)
{
    int64_t id;
    memcpy(&id, (const char *)r.base + position * r.size, sizeof id);
    return id;
}

/* The slot holding `id`, or the empty slot where it would go. */
static size_t probe(const nj_id_map *m, nj_id_records r, int64_t id)
{
    size_t mask = m->slot_count - 1;
    size_t i = nj_hash_id(id) & mask;
    while (m->slots[i] != 0 && record_id(r, m->slots[i] - 1) != id)
        i = (i + 1) & mask;
    return i;
}

/* Files record `position` (its id absent) in slots known to have room. */
static void place(nj_id_map *m, nj_id_records r, size_t position)
{
    size_t mask = m->slot_count - 1;
    size_t i = nj_hash_id(record_id(r, position)) & mask;
    while (m->slots[i] != 0)
        i = (i + 1) & mask;
    m->slots[i] = (uint32_t)(position + 1);
}

nj_status nj_id_map_reserve(nj_id_map *m, const nj_alloc *a, nj_id_records r,
                            size_t extra)
{
    size_t needed;
    if (__builtin_add_overflow(m->used, extra, &needed) ||
        needed > NJ_ID_MAP_MAX_RECORDS || needed > SIZE_MAX / 4)
        return NJ_E_NOMEM;
    if (needed <= m->slot_count / 2)
        return NJ_OK;
    size_t slot_count = m->slot_count ? m->slot_count : MIN_SLOTS;
    while (needed > slot_count / 2)
        slot_count *= 2;
    /* Growing in place keeps the old slots' pages, already mapped and
     * zeroed by the kernel once; their contents are not needed, as the
     * records say where every id goes. */
    uint32_t *slots = nj_alloc_realloc_array(a, m->slots, slot_count, sizeof *slots);
    if (!slots)
        return NJ_E_NOMEM;
    memset(slots, 0, slot_count * sizeof *slots);
    m->slots = slots;
    m->slot_count = slot_count;
    for (size_t position = 0; position < m->used; position++)
        place(m, r, position);
    return NJ_OK;
}

void nj_id_map_insert_next(nj_id_map *m, nj_id_records r)
{
    place(m, r, m->used);
    m->used++;
}

/*
 * Linear probing without deletions lays out slots by insertion order alone,
 * and a rebuild re-inserts in position order, which is insertion order. So
 * the last record's insertion only filled one empty slot, and emptying it
 * gives back the exact earlier layout: no entry needs shifting.
 */
void nj_id_map_erase_last(nj_id_map *m, nj_id_records r)
{
    m->slots[probe(m, r, record_id(r, m->used - 1))] = 0;
    m->used--;
}

size_t nj_id_map_find(const nj_id_map *m, nj_id_records r, int64_t id)
{
    if (m->slot_count == 0)
        return SIZE_MAX;
    uint32_t slot = m->slots[probe(m, r, id)];
    return slot != 0 ? (size_t)slot - 1 : SIZE_MAX;
}
