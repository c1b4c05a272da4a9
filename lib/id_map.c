#include "id_map_internal.h"

#include <string.h>

#include "hash_internal.h"


void nj_id_map_init(nj_id_map *m)
{
    memset(m, 0, sizeof *m);
}

void nj_id_map_free(nj_id_map *m, const nj_alloc *a)
{
    nj_alloc_free(a, m->slots);
    nj_id_map_init(m);
}

static size_t probe(const nj_id_slot *slots, size_t slot_count, int64_t id)
{
    size_t mask = slot_count - 1;
    size_t i = nj_hash_id(id) & mask;
    while (slots[i].id != 0 && slots[i].id != id)
        i = (i + 1) & mask;
    return i;
}

nj_status nj_id_map_reserve(nj_id_map *m, const nj_alloc *a, size_t extra)
{
    size_t needed;
    if (__builtin_add_overflow(m->used, extra, &needed) || needed > SIZE_MAX / 4)
        return NJ_E_NOMEM;
    if (needed * 2 <= m->slot_count)
        return NJ_OK;
    size_t slot_count = m->slot_count ? m->slot_count : 16;
    while (needed * 2 > slot_count)
        slot_count *= 2;
    nj_id_slot *slots = nj_alloc_array(a, slot_count, sizeof *slots);
    if (!slots)
        return NJ_E_NOMEM;
    memset(slots, 0, slot_count * sizeof *slots);
    for (size_t i = 0; i < m->slot_count; i++)
        if (m->slots[i].id != 0)
            slots[probe(slots, slot_count, m->slots[i].id)] = m->slots[i];
    nj_alloc_free(a, m->slots);
    m->slots = slots;
    m->slot_count = slot_count;
    return NJ_OK;
}

void nj_id_map_insert(nj_id_map *m, int64_t id, size_t position)
{
    size_t i = probe(m->slots, m->slot_count, id);
    m->slots[i].id = id;
    m->slots[i].position = position;
    m->used++;
}

void nj_id_map_erase(nj_id_map *m, int64_t id)
{
    size_t mask = m->slot_count - 1;
    size_t hole = probe(m->slots, m->slot_count, id);
    for (size_t i = (hole + 1) & mask; m->slots[i].id != 0; i = (i + 1) & mask) {
        size_t home = nj_hash_id(m->slots[i].id) & mask;
        if (nj_hash_can_fill_hole(hole, i, home)) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    m->slots[hole].id = 0;
    m->used--;
}

size_t nj_id_map_find(const nj_id_map *m, int64_t id)
{
    if (m->slot_count == 0)
        return SIZE_MAX;
    const nj_id_slot *slot = &m->slots[probe(m->slots, m->slot_count, id)];
    return slot->id == id ? slot->position : SIZE_MAX;
}
