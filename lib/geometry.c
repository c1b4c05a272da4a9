#include "geometry_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int nj_lat_is_valid(double lat)
{
    return isfinite(lat) && lat >= -90.0 && lat <= 90.0;
}

int nj_lon_is_valid(double lon)
{
    return isfinite(lon) && lon >= -180.0 && lon <= 180.0;
}

const char *nj_format_double(char buf[32], double x)
{
    snprintf(buf, 32, "%.10g", x);
    /* A host may have set a locale whose decimal point is a comma. */
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
    return buf;
}

static nj_status check_counts(size_t n_polygons,
                              const uint32_t *rings_per_polygon,
                              size_t n_rings, const uint32_t *vertices_per_ring,
                              size_t n_vertices, char *why, size_t why_size)
{
    size_t ring_sum = 0, vertex_sum = 0;
    for (size_t p = 0; p < n_polygons; p++) {
        if (rings_per_polygon[p] == 0) {
            snprintf(why, why_size, "polygon %zu has no rings", p);
            return NJ_E_INVALID;
        }
        ring_sum += rings_per_polygon[p];
        if (ring_sum > n_rings) {
            snprintf(why, why_size,
                     "rings_per_polygon adds up to more than n_rings %zu",
                     n_rings);
            return NJ_E_INVALID;
        }
    }
    if (ring_sum != n_rings) {
        snprintf(why, why_size, "rings_per_polygon adds up to %zu, not n_rings %zu",
                 ring_sum, n_rings);
        return NJ_E_INVALID;
    }
    if (n_vertices > NJ_BOUNDARY_MAX_VERTICES) {
        snprintf(why, why_size, "%zu vertices, more than the limit %zu",
                 n_vertices, NJ_BOUNDARY_MAX_VERTICES);
        return NJ_E_RANGE;
    }
    for (size_t r = 0; r < n_rings; r++) {
        if (vertices_per_ring[r] < 3) {
            snprintf(why, why_size, "ring %zu has %u vertices, fewer than 3", r,
                     (unsigned)vertices_per_ring[r]);
            return NJ_E_INVALID;
        }
        vertex_sum += vertices_per_ring[r];
        if (vertex_sum > n_vertices) {
            snprintf(why, why_size,
                     "vertices_per_ring adds up to more than n_vertices %zu",
                     n_vertices);
            return NJ_E_INVALID;
        }
    }
    if (vertex_sum != n_vertices) {
        snprintf(why, why_size,
                 "vertices_per_ring adds up to %zu, not n_vertices %zu",
                 vertex_sum, n_vertices);
        return NJ_E_INVALID;
    }
    return NJ_OK;
}

static nj_status check_coordinates(size_t n_vertices, const double *latlon,
                                   char *why, size_t why_size)
{
    char num[32];
    for (size_t v = 0; v < n_vertices; v++) {
        double lat = latlon[2 * v], lon = latlon[2 * v + 1];
        if (!nj_lat_is_valid(lat)) {
            snprintf(why, why_size, "vertex %zu: latitude %s outside [-90, 90]",
                     v, nj_format_double(num, lat));
            return NJ_E_RANGE;
        }
        if (!nj_lon_is_valid(lon)) {
            snprintf(why, why_size,
                     "vertex %zu: longitude %s outside [-180, 180]", v,
                     nj_format_double(num, lon));
            return NJ_E_RANGE;
        }
    }
    return NJ_OK;
}

static void bbox_of_vertices(const double *latlon, size_t first, size_t end,
                             nj_bbox *box)
{
    box->min_lat = box->max_lat = latlon[2 * first];
    box->min_lon = box->max_lon = latlon[2 * first + 1];
    for (size_t v = first + 1; v < end; v++) {
        double lat = latlon[2 * v], lon = latlon[2 * v + 1];
        box->min_lat = fmin(box->min_lat, lat);
        box->max_lat = fmax(box->max_lat, lat);
        box->min_lon = fmin(box->min_lon, lon);
        box->max_lon = fmax(box->max_lon, lon);
    }
}

static void bbox_extend(nj_bbox *box, const nj_bbox *other)
{
    box->min_lat = fmin(box->min_lat, other->min_lat);
    box->max_lat = fmax(box->max_lat, other->max_lat);
    box->min_lon = fmin(box->min_lon, other->min_lon);
    box->max_lon = fmax(box->max_lon, other->max_lon);
}

static void fill_offsets(nj_boundary *b)
{
    b->first_ring[0] = 0;
    for (size_t p = 0; p < b->n_polygons; p++)
        b->first_ring[p + 1] = b->first_ring[p] + b->rings_per_polygon[p];
    b->first_vertex[0] = 0;
    for (size_t r = 0; r < b->n_rings; r++)
        b->first_vertex[r + 1] = b->first_vertex[r] + b->vertices_per_ring[r];
    for (size_t p = 0; p < b->n_polygons; p++) {
        uint32_t outer = b->first_ring[p];
        bbox_of_vertices(b->latlon, b->first_vertex[outer],
                         b->first_vertex[outer + 1], &b->polygon_bbox[p]);
        if (p == 0)
            b->bbox = b->polygon_bbox[0];
        else
            bbox_extend(&b->bbox, &b->polygon_bbox[p]);
    }
}

static nj_status allocate_boundary(const nj_alloc *a, size_t n_polygons,
                                   size_t n_rings, size_t n_vertices,
                                   nj_boundary **out)
{
    nj_boundary *b = nj_alloc_malloc(a, sizeof *b);
    if (!b)
        return NJ_E_NOMEM;
    memset(b, 0, sizeof *b);
    b->n_polygons = n_polygons;
    b->n_rings = n_rings;
    b->n_vertices = n_vertices;
    b->rings_per_polygon = nj_alloc_array(a, n_polygons, sizeof(uint32_t));
    b->vertices_per_ring = nj_alloc_array(a, n_rings, sizeof(uint32_t));
    b->first_ring = nj_alloc_array(a, n_polygons + 1, sizeof(uint32_t));
    b->first_vertex = nj_alloc_array(a, n_rings + 1, sizeof(uint32_t));
    b->latlon = nj_alloc_array(a, n_vertices, 2 * sizeof(double));
    b->polygon_bbox = nj_alloc_array(a, n_polygons, sizeof(nj_bbox));
    if (!b->rings_per_polygon || !b->vertices_per_ring || !b->first_ring ||
        !b->first_vertex || !b->latlon || !b->polygon_bbox) {
        nj_boundary_destroy(a, b);
        return NJ_E_NOMEM;
    }
    *out = b;
    return NJ_OK;
}

nj_status nj_boundary_create(const nj_alloc *a, size_t n_polygons,
                             const uint32_t *rings_per_polygon, size_t n_rings,
                             const uint32_t *vertices_per_ring,
                             size_t n_vertices, const double *latlon,
                             char *why, size_t why_size, nj_boundary **out)
{
    nj_status st = check_counts(n_polygons, rings_per_polygon, n_rings,
                                vertices_per_ring, n_vertices, why, why_size);
    if (st == NJ_OK)
        st = check_coordinates(n_vertices, latlon, why, why_size);
    if (st == NJ_OK)
        st = allocate_boundary(a, n_polygons, n_rings, n_vertices, out);
    if (st == NJ_E_NOMEM)
        snprintf(why, why_size, "out of memory for %zu vertices", n_vertices);
    if (st != NJ_OK)
        return st;
    nj_boundary *b = *out;
    memcpy(b->rings_per_polygon, rings_per_polygon, n_polygons * sizeof(uint32_t));
    memcpy(b->vertices_per_ring, vertices_per_ring, n_rings * sizeof(uint32_t));
    memcpy(b->latlon, latlon, n_vertices * 2 * sizeof(double));
    fill_offsets(b);
    return NJ_OK;
}

void nj_boundary_destroy(const nj_alloc *a, nj_boundary *b)
{
    if (!b)
        return;
    nj_alloc_free(a, b->rings_per_polygon);
    nj_alloc_free(a, b->vertices_per_ring);
    nj_alloc_free(a, b->first_ring);
    nj_alloc_free(a, b->first_vertex);
    nj_alloc_free(a, b->latlon);
    nj_alloc_free(a, b->polygon_bbox);
    nj_alloc_free(a, b);
}

int nj_bbox_contains(const nj_bbox *box, double lat, double lon)
{
    return lat >= box->min_lat && lat <= box->max_lat &&
           lon >= box->min_lon && lon <= box->max_lon;
}

/*
 * Crossing number of a ray cast east from the point. Each edge is taken
 * with its endpoints in a fixed order, so an edge shared by two rings gives
 * the same intersection in both and a point on it falls in exactly one.
 */
static int ring_contains(const double *latlon, uint32_t first, uint32_t end,
                         double lat, double lon)
{
    int inside = 0;
    uint32_t prev = end - 1;
    for (uint32_t v = first; v < end; prev = v, v++) {
        const double *a = &latlon[2 * prev], *b = &latlon[2 * v];
        if ((a[0] > lat) == (b[0] > lat))
            continue;
        if (a[0] > b[0]) {
            const double *t = a;
            a = b;
            b = t;
        }
        double cross_lon = a[1] + (b[1] - a[1]) * (lat - a[0]) / (b[0] - a[0]);
        if (lon < cross_lon)
            inside = !inside;
    }
    return inside;
}

static int polygon_contains(const nj_boundary *b, size_t p, double lat,
                            double lon)
{
    if (!nj_bbox_contains(&b->polygon_bbox[p], lat, lon))
        return 0;
    uint32_t outer = b->first_ring[p];
    if (!ring_contains(b->latlon, b->first_vertex[outer],
                       b->first_vertex[outer + 1], lat, lon))
        return 0;
    for (uint32_t hole = outer + 1; hole < b->first_ring[p + 1]; hole++)
        if (ring_contains(b->latlon, b->first_vertex[hole],
                          b->first_vertex[hole + 1], lat, lon))
            return 0;
    return 1;
}

int nj_boundary_contains(const nj_boundary *b, double lat, double lon)
{
    if (!nj_bbox_contains(&b->bbox, lat, lon))
        return 0;
    for (size_t p = 0; p < b->n_polygons; p++)
        if (polygon_contains(b, p, lat, lon))
            return 1;
    return 0;
}
