/*
 * Spatial index of points on the sphere: exact radius and k-nearest queries.
 *
 * Points are (id, lat, lon) with lat/lon snapped to 1e-7 degree (about 1 cm,
 * the "E7" fixed point). Every distance is the great-circle distance on the
 * sphere of radius NJ_EARTH_RADIUS_M, and the membership test of a query is
 * exactly nj_distance_m(centre, snapped point) <= radius. See
 * docs/spatial-index.md for the layout and the exactness argument.
 *
 * The index stores no id -> location map (it would cost more than the index
 * itself): remove and move take the point's current location, which the
 * registry keeps anyway, and the uniqueness of ids is the caller's invariant.
 *
 * Thread safety: the const functions only read the index and may run from
 * many threads at once on an index nobody modifies.
 */
#ifndef NJ_SPATIAL_INTERNAL_H
#define NJ_SPATIAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alloc_internal.h"
#include "nearjob/common.h"

/* IUGG mean Earth radius, the sphere every distance is measured on. */
#define NJ_EARTH_RADIUS_M 6371008.8

/*
 * One latitude row of the core: its points are start .. next row's start,
 * sorted by (lon, lat_off, id). Rows of at least a few dozen points carry a
 * longitude directory: cells[cell + c] is the first point of the row whose
 * (lon - lon_lo) * mult >> 32 is >= c, for the row's cell count (next row's
 * cell - cell - 1), and the last entry is the row's end. A lookup then
 * starts within a few points of its target instead of binary-searching the
 * whole row.
 */
typedef struct nj_spatial_row {
    uint32_t start;
    uint32_t cell;
    int32_t lon_lo;   /* the row's smallest longitude */
    uint32_t mult;    /* cells per E7 unit, times 2^32 */
} nj_spatial_row;

/*
 * Points sorted by (row, lon, lat_off, id) in flat arrays. A row is a band
 * of latitude 2^15 E7 units (about 364 m) high; rows[i] describes row
 * row_min + i, and rows[row_count] closes the last one.
 */
typedef struct nj_spatial_run {
    int64_t *ids;
    uint64_t *tags;     /* per point, only in a tagged index */
    int32_t *lon;       /* E7 longitude */
    uint16_t *lat_off;  /* E7 latitude minus the row's base; top bit = removed */
    nj_spatial_row *rows;
    uint32_t *cells;
    int32_t row_min;
    uint32_t row_count;
    size_t cell_count;
    size_t count;       /* points stored, removed ones included */
} nj_spatial_run;

/* Recent inserts, sorted by (row, lon, lat_off, id), merged into the core
 * when it grows. */
typedef struct nj_spatial_delta {
    int64_t *ids;
    uint64_t *tags;
    int32_t *lon;
    int32_t *row;
    uint16_t *lat_off;
    size_t count;
    size_t cap;
} nj_spatial_delta;

typedef struct nj_spatial {
    const nj_alloc *alloc;
    int tagged;           /* points carry a 64-bit tag */
    nj_spatial_run core;
    size_t core_removed;  /* core points marked removed */
    nj_spatial_delta delta;
} nj_spatial;

/* One result: an id and its great-circle distance from the query centre. */
typedef struct nj_hit {
    int64_t id;
    double distance_m;
} nj_hit;

/* A growable result vector owned by the caller, allocated through alloc.
 * tags[i] is the tag of items[i] after nj_spatial_within_tagged() (and
 * NULL until a tagged query fills it). */
typedef struct nj_hits {
    nj_hit *items;
    uint64_t *tags;
    size_t count;
    size_t cap;
    const nj_alloc *alloc;
    /* Scratch kept between sorts: a sort writes the sorted hits to spare
     * (spare_cap hits) and swaps it with items; words holds its keys. */
    nj_hit *spare;
    size_t spare_cap;
    void *words;
    size_t words_bytes;
} nj_hits;

/* An index of plain points, or (tagged) of points that each carry a 64-bit
 * tag the caller defines, returned beside the hits of tagged queries. */
void nj_spatial_init(nj_spatial *s, const nj_alloc *a);
void nj_spatial_init_tagged(nj_spatial *s, const nj_alloc *a);
void nj_spatial_free(nj_spatial *s);

/*
 * Adds a point. NJ_E_RANGE for a NaN/infinite/out-of-range coordinate,
 * NJ_E_EXISTS if the same id is already stored at the same snapped location,
 * NJ_E_NOMEM. Amortised O(sqrt(n)); never rebuilds on every call.
 */
nj_status nj_spatial_insert(nj_spatial *s, int64_t id, double lat, double lon);
/* The same with the point's tag (ignored by an untagged index). */
nj_status nj_spatial_insert_tagged(nj_spatial *s, int64_t id, double lat,
                                   double lon, uint64_t tag);
/* Replaces the tag of the point id stored at (lat, lon): O(log n), never
 * allocates. NJ_E_NOT_FOUND, NJ_E_RANGE. */
nj_status nj_spatial_set_tag(nj_spatial *s, int64_t id, double lat, double lon,
                             uint64_t tag);
/* Removes the point id stored at (lat, lon). NJ_E_NOT_FOUND, NJ_E_RANGE. */
nj_status nj_spatial_remove(nj_spatial *s, int64_t id, double lat, double lon);
/* Moves id from its current location to a new one, atomically; the tag
 * moves with it. */
nj_status nj_spatial_move(nj_spatial *s, int64_t id, double old_lat,
                          double old_lon, double new_lat, double new_lon);
/* Adds n points at once and rebuilds the index: O(count + n), plus
 * O(m log m) for every m points sharing one location. tags may be NULL
 * (all 0). NJ_E_RANGE (nothing changed) for a point out of range. */
nj_status nj_spatial_bulk_load(nj_spatial *s, size_t n, const int64_t *ids,
                               const double *lat, const double *lon,
                               const uint64_t *tags);

/* A point of a bulk load, and the function that gives point i of a
 * source: a load reads each point two or three times, in order, so a
 * caller's objects need not be copied into arrays first. */
typedef struct nj_spatial_point {
    int64_t id;
    double lat, lon;
    uint64_t tag;
} nj_spatial_point;
typedef void (*nj_spatial_point_fn)(const void *ctx, size_t i, nj_spatial_point *p);

/* nj_spatial_bulk_load() of the points point(ctx, 0 .. n - 1). */
nj_status nj_spatial_bulk_load_from(nj_spatial *s, size_t n,
                                    nj_spatial_point_fn point, const void *ctx);
size_t nj_spatial_count(const nj_spatial *s);
/* Bytes the index holds allocated, tags excluded. */
size_t nj_spatial_memory_bytes(const nj_spatial *s);
/* Bytes of the tags (0 for an untagged index). */
size_t nj_spatial_tag_bytes(const nj_spatial *s);

/* The degree value a coordinate is stored as: round(deg * 1e7) / 1e7. */
double nj_spatial_snap_deg(double deg);

/*
 * Great-circle distance in metres on the sphere of NJ_EARTH_RADIUS_M, by the
 * haversine formula with the intermediate clamped to [0, 1]. This is the
 * reference every query is exact against.
 */
double nj_distance_m(double lat1, double lon1, double lat2, double lon2);

void nj_hits_init(nj_hits *h, const nj_alloc *a);
void nj_hits_free(nj_hits *h);

/*
 * Replaces out's contents with every point at distance <= radius_m from
 * (lat, lon), unsorted or, if sorted, by distance then id. A radius of half
 * the Earth's circumference or more matches every point. NJ_E_RANGE (out
 * untouched) for a bad centre or a NaN/negative radius; NJ_E_NOMEM (out
 * emptied).
 */
nj_status nj_spatial_within(const nj_spatial *s, double lat, double lon,
                            double radius_m, int sorted, nj_hits *out);
/* Unsorted nj_spatial_within() that also fills out->tags (a tagged index's
 * tags; zeros otherwise). */
nj_status nj_spatial_within_tagged(const nj_spatial *s, double lat, double lon,
                                   double radius_m, nj_hits *out);
/*
 * Sorts hits by (distance, id) in linear time (a radix sort on a quantised
 * distance; tags are dropped). max_d bounds the distances, < 0 if unknown.
 * NJ_E_NOMEM leaves the hits as they were.
 */
nj_status nj_hits_sort(nj_hits *h, double max_d);
/*
 * The k nearest points within radius_m, by distance then id: the first k of
 * nj_spatial_within(..., sorted = 1, ...), distances included. Touches only
 * the rows and points near the k-th distance. Errors as nj_spatial_within.
 */
nj_status nj_spatial_nearest(const nj_spatial *s, double lat, double lon,
                             double radius_m, size_t k, nj_hits *out);

#endif
