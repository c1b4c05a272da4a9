#include "shape_internal.h"

#include <string.h>

void nj_shape_clear(nj_shape *s)
{
    s->n_polygons = s->n_rings = s->n_vertices = 0;
}

void nj_shape_free(nj_shape *s, const nj_alloc *a)
{
    nj_alloc_free(a, s->rings_per_polygon);
    nj_alloc_free(a, s->vertices_per_ring);
    nj_alloc_free(a, s->latlon);
    memset(s, 0, sizeof *s);
}

nj_status nj_shape_add_vertex(nj_shape *s, const nj_alloc *a, double lat,
                              double lon)
{
    void *latlon = s->latlon;
    nj_status st = nj_alloc_grow(a, &latlon, &s->vertices_cap, s->n_vertices + 1,
                                 2 * sizeof *s->latlon);
    s->latlon = latlon;
    if (st != NJ_OK)
        return st;
    s->latlon[2 * s->n_vertices] = lat;
    s->latlon[2 * s->n_vertices + 1] = lon;
    s->n_vertices++;
    return NJ_OK;
}

static nj_status push_count(const nj_alloc *a, uint32_t **items, size_t *count,
                            size_t *cap, size_t value)
{
    if (value > UINT32_MAX)
        return NJ_E_RANGE;
    void *grown = *items;
    nj_status st = nj_alloc_grow(a, &grown, cap, *count + 1, sizeof **items);
    *items = grown;
    if (st == NJ_OK)
        (*items)[(*count)++] = (uint32_t)value;
    return st;
}

nj_status nj_shape_add_ring(nj_shape *s, const nj_alloc *a, size_t vertices)
{
    return push_count(a, &s->vertices_per_ring, &s->n_rings, &s->rings_cap,
                      vertices);
}

nj_status nj_shape_add_polygon(nj_shape *s, const nj_alloc *a, size_t rings)
{
    return push_count(a, &s->rings_per_polygon, &s->n_polygons,
                      &s->polygons_cap, rings);
}
