#include "region_index_internal.h"

#include <math.h>
#include <string.h>

#include "hash_internal.h"

#define MIN_SLOTS 64

void nj_region_index_init(nj_region_index *ix)
{
    memset(ix, 0, sizeof *ix);
}

void nj_region_index_free(nj_region_index *ix, const nj_alloc *a)
{
    nj_alloc_free(a, ix->cells);
    nj_region_index_init(ix);
}

#define FINEST_LEVEL (NJ_REGION_INDEX_LEVELS - 1)

/*
 * Row or column of `value` in [lo, lo + span] at the finest level, clamped
 * so the top edge (lon 180, lat 90) falls in the last cell. The cell at a
 * coarser level L is this shifted right by FINEST_LEVEL - L: scaling by a
 * power of two is exact, so floor(x * 2^L) == floor(x * 2^24) >> (24 - L).
 */
static uint64_t finest_coordinate(double value, double lo, double span)
{
    double cells = (double)((uint64_t)1 << FINEST_LEVEL);
    double c = floor((value - lo) / span * cells);
    if (c < 0)
        c = 0;
    if (c > cells - 1)
        c = cells - 1;
    return (uint64_t)c;
}

static uint64_t finest_row(double lat)
{
    return finest_coordinate(lat, -90.0, 180.0);
}

static uint64_t finest_column(double lon)
{
    return finest_coordinate(lon, -180.0, 360.0);
}

/* Level in the top 5 bits, row and column in 29 bits each (2^24 < 2^29);
 * +1 keeps every key non-zero. */
static uint64_t cell_key(int level, uint64_t row, uint64_t column)
{
    return ((uint64_t)level << 58 | row << 29 | column) + 1;
}

static size_t hash_key(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key;
}

static size_t find_slot(const nj_region_index_cell *cells, size_t slot_count,
                        uint64_t key)
{
    size_t mask = slot_count - 1;
    size_t i = hash_key(key) & mask;
    while (cells[i].key != 0 && cells[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static nj_status grow(nj_region_index *ix, const nj_alloc *a, size_t slot_count)
{
    nj_region_index_cell *cells =
        nj_alloc_array(a, slot_count, sizeof *cells);
    if (!cells)
        return NJ_E_NOMEM;
    memset(cells, 0, slot_count * sizeof *cells);
    for (size_t i = 0; i < ix->slot_count; i++)
        if (ix->cells[i].key != 0)
            cells[find_slot(cells, slot_count, ix->cells[i].key)] = ix->cells[i];
    nj_alloc_free(a, ix->cells);
    ix->cells = cells;
    ix->slot_count = slot_count;
    return NJ_OK;
}

nj_status nj_region_index_reserve(nj_region_index *ix, const nj_alloc *a)
{
    size_t needed = ix->used + NJ_REGION_INDEX_MAX_CELLS;
    if (needed * 2 <= ix->slot_count)
        return NJ_OK;
    size_t slot_count = ix->slot_count ? ix->slot_count : MIN_SLOTS;
    while (needed * 2 > slot_count)
        slot_count *= 2;
    return grow(ix, a, slot_count);
}

static int level_for_box(const nj_bbox *box)
{
    double lat_extent = box->max_lat - box->min_lat;
    double lon_extent = box->max_lon - box->min_lon;
    int level = NJ_REGION_INDEX_LEVELS - 1;
    /* A box no wider than one cell spans at most two cells per axis; rows
     * are 180 / 2^L degrees high, columns 360 / 2^L wide. */
    while (level > 0 && (ldexp(180.0, -level) < lat_extent ||
                         ldexp(360.0, -level) < lon_extent))
        level--;
    return level;
}

static void link_node(nj_region_index *ix, nj_region_index_node *node)
{
    size_t i = find_slot(ix->cells, ix->slot_count, node->key);
    if (ix->cells[i].key == 0) {
        ix->cells[i].key = node->key;
        ix->cells[i].head = NULL;
        ix->used++;
    }
    node->next = ix->cells[i].head;
    ix->cells[i].head = node;
}

void nj_region_index_insert(nj_region_index *ix, nj_region_index_node *nodes,
                            void *owner, const nj_bbox *bbox)
{
    int level = level_for_box(bbox);
    int shift = FINEST_LEVEL - level;
    uint64_t row0 = finest_row(bbox->min_lat) >> shift;
    uint64_t row1 = finest_row(bbox->max_lat) >> shift;
    uint64_t col0 = finest_column(bbox->min_lon) >> shift;
    uint64_t col1 = finest_column(bbox->max_lon) >> shift;
    size_t n = 0;
    for (uint64_t row = row0; row <= row1; row++) {
        for (uint64_t col = col0; col <= col1; col++) {
            nodes[n].owner = owner;
            nodes[n].bbox = bbox;
            nodes[n].key = cell_key(level, row, col);
            link_node(ix, &nodes[n]);
            n++;
        }
    }
    ix->level_population[level]++;
}

/* Backward-shift deletion of an emptied cell keeps probing tombstone-free. */
static void delete_cell(nj_region_index *ix, size_t hole)
{
    size_t mask = ix->slot_count - 1;
    size_t i = hole;
    for (;;) {
        i = (i + 1) & mask;
        if (ix->cells[i].key == 0)
            break;
        size_t home = hash_key(ix->cells[i].key) & mask;
        if (nj_hash_can_fill_hole(hole, i, home)) {
            ix->cells[hole] = ix->cells[i];
            hole = i;
        }
    }
    ix->cells[hole].key = 0;
    ix->cells[hole].head = NULL;
    ix->used--;
}

static void unlink_node(nj_region_index *ix, nj_region_index_node *node)
{
    size_t i = find_slot(ix->cells, ix->slot_count, node->key);
    nj_region_index_node **link = &ix->cells[i].head;
    while (*link != node)
        link = &(*link)->next;
    *link = node->next;
    if (ix->cells[i].head == NULL)
        delete_cell(ix, i);
    node->key = 0;
}

void nj_region_index_remove(nj_region_index *ix, nj_region_index_node *nodes)
{
    if (nodes[0].key == 0)
        return;
    int level = (int)((nodes[0].key - 1) >> 58);
    for (size_t n = 0; n < NJ_REGION_INDEX_MAX_CELLS && nodes[n].key != 0; n++)
        unlink_node(ix, &nodes[n]);
    for (size_t n = 0; n < NJ_REGION_INDEX_MAX_CELLS; n++)
        nodes[n].key = 0;
    ix->level_population[level]--;
}

void nj_region_index_query(const nj_region_index *ix, double lat, double lon,
                           void (*visit)(void *owner, void *user), void *user)
{
    uint64_t row = finest_row(lat), column = finest_column(lon);
    for (int level = 0; level < NJ_REGION_INDEX_LEVELS; level++) {
        if (ix->level_population[level] == 0)
            continue;
        int shift = FINEST_LEVEL - level;
        uint64_t key = cell_key(level, row >> shift, column >> shift);
        const nj_region_index_cell *cell =
            &ix->cells[find_slot(ix->cells, ix->slot_count, key)];
        if (cell->key == 0)
            continue;
        for (const nj_region_index_node *node = cell->head; node; node = node->next)
            if (nj_bbox_contains(node->bbox, lat, lon))
                visit(node->owner, user);
    }
}
