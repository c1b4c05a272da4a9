/*
 * Index over region bounding boxes for nj_region_locate: a hierarchy of
 * lat/lon grids, level L having cells of 360 / 2^L degrees. A box is filed
 * at the finest level where it spans at most 2 x 2 cells, so it sits in at
 * most four cells and a point query looks at one cell per occupied level.
 * Cells live in a hash keyed by (level, row, column); each holds a linked
 * list of the nodes embedded in the regions, so adding or removing a region
 * touches only its own cells.
 */
#ifndef NJ_REGION_INDEX_INTERNAL_H
#define NJ_REGION_INDEX_INTERNAL_H

#include "alloc_internal.h"
#include "geometry_internal.h"

#define NJ_REGION_INDEX_MAX_CELLS 4
#define NJ_REGION_INDEX_LEVELS 25

typedef struct nj_region_index_node {
    struct nj_region_index_node *next;
    void *owner;        /* the region */
    const nj_bbox *bbox;
    uint64_t key;       /* the cell, or 0 when the node is unused */
} nj_region_index_node;

typedef struct nj_region_index_cell {
    uint64_t key;       /* 0: empty slot */
    nj_region_index_node *head;
} nj_region_index_cell;

typedef struct nj_region_index {
    nj_region_index_cell *cells; /* open addressing, power-of-two size */
    size_t slot_count;
    size_t used;
    size_t level_population[NJ_REGION_INDEX_LEVELS];
} nj_region_index;

void nj_region_index_init(nj_region_index *ix);
void nj_region_index_free(nj_region_index *ix, const nj_alloc *a);
/* Makes room for one more box, so the insert that follows cannot fail. */
nj_status nj_region_index_reserve(nj_region_index *ix, const nj_alloc *a);
/* Files `owner`'s box using its node array (NJ_REGION_INDEX_MAX_CELLS). */
void nj_region_index_insert(nj_region_index *ix, nj_region_index_node *nodes,
                            void *owner, const nj_bbox *bbox);
void nj_region_index_remove(nj_region_index *ix, nj_region_index_node *nodes);

/* Calls visit(owner, user) for every box containing the point. */
void nj_region_index_query(const nj_region_index *ix, double lat, double lon,
                           void (*visit)(void *owner, void *user), void *user);

#endif
