/*
 * A boundary being read from text (WKT or GeoJSON), in the layout
 * nj_region_set_boundary() takes: polygons of rings of (lat, lon) vertices.
 */
#ifndef NJ_SHAPE_INTERNAL_H
#define NJ_SHAPE_INTERNAL_H

#include "alloc_internal.h"

typedef struct nj_shape {
    uint32_t *rings_per_polygon;
    size_t n_polygons, polygons_cap;
    uint32_t *vertices_per_ring;
    size_t n_rings, rings_cap;
    double *latlon;
    size_t n_vertices, vertices_cap;
} nj_shape;

/* Empties the shape, keeping its arrays for reuse. */
void nj_shape_clear(nj_shape *s);
void nj_shape_free(nj_shape *s, const nj_alloc *a);

/* Appends a vertex, closes a ring of `vertices` vertices, or closes a
 * polygon of `rings` rings. NJ_E_NOMEM, or NJ_E_RANGE when a count does
 * not fit 32 bits; the shape is unchanged on failure. */
nj_status nj_shape_add_vertex(nj_shape *s, const nj_alloc *a, double lat,
                              double lon);
nj_status nj_shape_add_ring(nj_shape *s, const nj_alloc *a, size_t vertices);
nj_status nj_shape_add_polygon(nj_shape *s, const nj_alloc *a, size_t rings);

#endif
