#include "table_internal.h"

#include <string.h>

#include "hash_internal.h"

/* The hash is kept at most half full, so probes stay short. */
#define NJ_TABLE_MIN_SLOTS 16


void nj_table_init(nj_table *t)
{
    memset(t, 0, sizeof *t);
}

void nj_table_free(nj_table *t, const nj_alloc *a)
{
    nj_alloc_free(a, t->items);
    nj_alloc_free(a, t->slots);
    nj_table_init(t);
}

static void place(uint32_t *slots, size_t slot_count, int64_t id, size_t value)
{
    size_t mask = slot_count - 1;
    size_t i = nj_hash_id(id) & mask;
    while (slots[i] != 0)
        i = (i + 1) & mask;
    slots[i] = (uint32_t)value;
}

static nj_status rehash(nj_table *t, const nj_alloc *a, size_t slot_count)
{
    uint32_t *slots = nj_alloc_array(a, slot_count, sizeof *slots);
    if (!slots)
        return NJ_E_NOMEM;
    memset(slots, 0, slot_count * sizeof *slots);
    for (size_t p = 0; p < t->count; p++)
        place(slots, slot_count, t->items[p]->id, p + 1);
    nj_alloc_free(a, t->slots);
    t->slots = slots;
    t->slot_count = slot_count;
    return NJ_OK;
}

nj_status nj_table_reserve(nj_table *t, const nj_alloc *a, size_t extra)
{
    size_t needed;
    if (__builtin_add_overflow(t->count, extra, &needed) ||
        needed > NJ_TABLE_MAX_OBJECTS || needed > SIZE_MAX / 4)
        return NJ_E_NOMEM;
    if (needed > t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 8;
        while (capacity < needed)
            capacity *= 2;
        nj_object_head **items =
            nj_alloc_realloc_array(a, t->items, capacity, sizeof *items);
        if (!items)
            return NJ_E_NOMEM;
        t->items = items;
        t->capacity = capacity;
    }
    if (needed * 2 > t->slot_count) {
        size_t slot_count = t->slot_count ? t->slot_count : NJ_TABLE_MIN_SLOTS;
        while (needed * 2 > slot_count)
            slot_count *= 2;
        return rehash(t, a, slot_count);
    }
    return NJ_OK;
}

void nj_table_insert(nj_table *t, nj_object_head *obj)
{
    obj->position = t->count;
    t->items[t->count++] = obj;
    place(t->slots, t->slot_count, obj->id, obj->position + 1);
}

static size_t find_slot(const nj_table *t, int64_t id)
{
    size_t mask = t->slot_count - 1;
    size_t i = nj_hash_id(id) & mask;
    while (t->slots[i] != 0) {
        if (t->items[t->slots[i] - 1]->id == id)
            return i;
        i = (i + 1) & mask;
    }
    return SIZE_MAX;
}

/* Backward-shift deletion keeps linear probing free of tombstones. */
static void delete_slot(nj_table *t, size_t hole)
{
    size_t mask = t->slot_count - 1;
    size_t i = hole;
    for (;;) {
        i = (i + 1) & mask;
        if (t->slots[i] == 0)
            break;
        size_t home = nj_hash_id(t->items[t->slots[i] - 1]->id) & mask;
        if (nj_hash_can_fill_hole(hole, i, home)) {
            t->slots[hole] = t->slots[i];
            hole = i;
        }
    }
    t->slots[hole] = 0;
}

void nj_table_remove(nj_table *t, nj_object_head *obj)
{
    size_t position = obj->position;
    delete_slot(t, find_slot(t, obj->id));
    size_t last = t->count - 1;
    if (position != last) {
        nj_object_head *moved = t->items[last];
        t->slots[find_slot(t, moved->id)] = (uint32_t)(position + 1);
        moved->position = position;
        t->items[position] = moved;
    }
    t->count = last;
}

nj_object_head *nj_table_find(const nj_table *t, int64_t id)
{
    if (t->slot_count == 0)
        return NULL;
    size_t slot = find_slot(t, id);
    return slot == SIZE_MAX ? NULL : t->items[t->slots[slot] - 1];
}

nj_object_head *nj_table_at(const nj_table *t, size_t position)
{
    return position < t->count ? t->items[position] : NULL;
}
