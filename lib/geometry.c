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

/* About this many edges per band: a test reads a handful of edges. */
#define EDGES_PER_BAND 4
#define MAX_BANDS_PER_RING 4096

static uint32_t band_of(const nj_ring_bands *rb, double lat)
{
    double band = floor((lat - rb->lat_min) * rb->scale);
    if (band < 0)
        return 0;
    if (band >= rb->band_count)
        return rb->band_count - 1;
    return (uint32_t)band;
}

static uint32_t previous_vertex(const nj_boundary *b, size_t ring, uint32_t v)
{
    return v == b->first_vertex[ring] ? b->first_vertex[ring + 1] - 1 : v - 1;
}

/* Band layout of each ring; returns the number of band_start entries. */
static size_t plan_bands(nj_boundary *b)
{
    size_t entries = 0;
    for (size_t r = 0; r < b->n_rings; r++) {
        nj_ring_bands *rb = &b->ring_bands[r];
        uint32_t first = b->first_vertex[r], end = b->first_vertex[r + 1];
        rb->lat_min = rb->lat_max = b->latlon[2 * first];
        for (uint32_t v = first + 1; v < end; v++) {
            rb->lat_min = fmin(rb->lat_min, b->latlon[2 * v]);
            rb->lat_max = fmax(rb->lat_max, b->latlon[2 * v]);
        }
        uint32_t bands = (end - first) / EDGES_PER_BAND;
        if (bands < 1)
            bands = 1;
        if (bands > MAX_BANDS_PER_RING)
            bands = MAX_BANDS_PER_RING;
        /* A ring only a denormal high overflows the scale to infinity, and
         * 0 x infinity is NaN: such a ring gets one band. */
        double height = rb->lat_max - rb->lat_min;
        double scale = height > 0 ? bands / height : 0;
        rb->band_count = isfinite(scale) && scale > 0 ? bands : 1;
        rb->scale = rb->band_count > 1 ? scale : 0;
        rb->first_band = (uint32_t)entries;
        entries += rb->band_count + 1;
    }
    return entries;
}

/*
 * Walks every (band, edge) pair of every ring. Counting adds one to
 * band_start[k] per edge in band k; filling writes the edge at the band's
 * cursor band_start[k] and advances it.
 */
static void walk_band_edges(nj_boundary *b, int fill)
{
    for (size_t r = 0; r < b->n_rings; r++) {
        const nj_ring_bands *rb = &b->ring_bands[r];
        uint32_t *cursor = &b->band_start[rb->first_band];
        for (uint32_t v = b->first_vertex[r]; v < b->first_vertex[r + 1]; v++) {
            double lat_a = b->latlon[2 * previous_vertex(b, r, v)];
            double lat_b = b->latlon[2 * v];
            uint32_t k1 = band_of(rb, fmax(lat_a, lat_b));
            for (uint32_t k = band_of(rb, fmin(lat_a, lat_b)); k <= k1; k++) {
                if (fill)
                    b->band_edges[cursor[k]++] = v;
                else
                    cursor[k]++;
            }
        }
    }
}

/* Turns per-band counts into offsets (exclusive prefix sums continuing
 * across rings, each ring closed by its end offset); returns the total. */
static size_t counts_to_offsets(nj_boundary *b)
{
    size_t total = 0;
    for (size_t r = 0; r < b->n_rings; r++) {
        uint32_t *offset = &b->band_start[b->ring_bands[r].first_band];
        for (uint32_t k = 0; k < b->ring_bands[r].band_count; k++) {
            uint32_t count = offset[k];
            offset[k] = (uint32_t)total;
            total += count;
        }
        offset[b->ring_bands[r].band_count] = (uint32_t)total;
    }
    return total;
}

static nj_status build_bands(const nj_alloc *a, nj_boundary *b)
{
    size_t entries = plan_bands(b);
    b->band_start = nj_alloc_array(a, entries, sizeof *b->band_start);
    if (!b->band_start)
        return NJ_E_NOMEM;
    memset(b->band_start, 0, entries * sizeof *b->band_start);
    walk_band_edges(b, 0);
    size_t total = counts_to_offsets(b);
    b->band_edges = nj_alloc_array(a, total, sizeof *b->band_edges);
    if (!b->band_edges)
        return NJ_E_NOMEM;
    walk_band_edges(b, 1);
    /* Filling moved each band's offset to the next band's: move them back. */
    for (size_t r = 0; r < b->n_rings; r++) {
        uint32_t *offset = &b->band_start[b->ring_bands[r].first_band];
        for (uint32_t k = b->ring_bands[r].band_count - 1; k > 0; k--)
            offset[k] = offset[k - 1];
        offset[0] = r == 0 ? 0 : b->band_start[b->ring_bands[r - 1].first_band +
                                                b->ring_bands[r - 1].band_count];
    }
    return NJ_OK;
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
    b->ring_bands = nj_alloc_array(a, n_rings, sizeof(nj_ring_bands));
    if (!b->rings_per_polygon || !b->vertices_per_ring || !b->first_ring ||
        !b->first_vertex || !b->latlon || !b->polygon_bbox || !b->ring_bands) {
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
    if (build_bands(a, b) != NJ_OK) {
        nj_boundary_destroy(a, b);
        *out = NULL;
        snprintf(why, why_size, "out of memory for %zu vertices", n_vertices);
        return NJ_E_NOMEM;
    }
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
    nj_alloc_free(a, b->ring_bands);
    nj_alloc_free(a, b->band_start);
    nj_alloc_free(a, b->band_edges);
    nj_alloc_free(a, b);
}

int nj_bbox_contains(const nj_bbox *box, double lat, double lon)
{
    return lat >= box->min_lat && lat <= box->max_lat &&
           lon >= box->min_lon && lon <= box->max_lon;
}

/*
 * Crossing number of a ray cast east from the point, over the edges of the
 * point's latitude band. Each edge is taken with its endpoints in a fixed
 * order, so an edge shared by two rings gives the same intersection in both
 * and a point on it falls in exactly one.
 */
static int ring_contains(const nj_boundary *b, size_t ring, double lat,
                         double lon)
{
    const nj_ring_bands *rb = &b->ring_bands[ring];
    if (lat < rb->lat_min || lat > rb->lat_max)
        return 0;
    uint32_t band = band_of(rb, lat);
    const uint32_t *offset = &b->band_start[rb->first_band];
    int inside = 0;
    for (uint32_t e = offset[band]; e < offset[band + 1]; e++) {
        uint32_t v = b->band_edges[e];
        const double *p = &b->latlon[2 * previous_vertex(b, ring, v)];
        const double *q = &b->latlon[2 * v];
        if ((p[0] > lat) == (q[0] > lat))
            continue;
        if (p[0] > q[0]) {
            const double *t = p;
            p = q;
            q = t;
        }
        double cross_lon = p[1] + (q[1] - p[1]) * (lat - p[0]) / (q[0] - p[0]);
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
    if (!ring_contains(b, outer, lat, lon))
        return 0;
    for (uint32_t hole = outer + 1; hole < b->first_ring[p + 1]; hole++)
        if (ring_contains(b, hole, lat, lon))
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
