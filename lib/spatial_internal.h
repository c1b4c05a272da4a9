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
 * Points sorted by (row, lon) in flat arrays. A row is a band of latitude
 * 2^14 E7 units (about 182 m) high; row_start[i] .. row_start[i + 1] are the
 * points of row row_min + i, sorted by longitude.
 */
typedef struct nj_spatial_run {
    int64_t *ids;
    int32_t *lon;       /* E7 longitude */
    uint16_t *lat_off;  /* E7 latitude minus the row's base; top bit = removed */
    uint32_t *row_start;
    int32_t row_min;
    uint32_t row_count;
    size_t count;       /* points stored, removed ones included */
} nj_spatial_run;

/* Recent inserts, sorted by (row, lon), merged into the core when it grows. */
typedef struct nj_spatial_delta {
    int64_t *ids;
    int32_t *lon;
    int32_t *row;
    uint16_t *lat_off;
    size_t count;
    size_t cap;
} nj_spatial_delta;

typedef struct nj_spatial {
    const nj_alloc *alloc;
    nj_spatial_run core;
    size_t core_removed;  /* core points marked removed */
    nj_spatial_delta delta;
} nj_spatial;

/* One result: an id and its great-circle distance from the query centre. */
typedef struct nj_hit {
    int64_t id;
    double distance_m;
} nj_hit;

/* A growable result vector owned by the caller, allocated through alloc. */
typedef struct nj_hits {
    nj_hit *items;
    size_t count;
    size_t cap;
    const nj_alloc *alloc;
} nj_hits;

void nj_spatial_init(nj_spatial *s, const nj_alloc *a);
void nj_spatial_free(nj_spatial *s);

/*
 * Adds a point. NJ_E_RANGE for a NaN/infinite/out-of-range coordinate,
 * NJ_E_EXISTS if the same id is already stored at the same snapped location,
 * NJ_E_NOMEM. Amortised O(sqrt(n)); never rebuilds on every call.
 */
nj_status nj_spatial_insert(nj_spatial *s, int64_t id, double lat, double lon);
/* Removes the point id stored at (lat, lon). NJ_E_NOT_FOUND, NJ_E_RANGE. */
nj_status nj_spatial_remove(nj_spatial *s, int64_t id, double lat, double lon);
/* Moves id from its current location to a new one, atomically. */
nj_status nj_spatial_move(nj_spatial *s, int64_t id, double old_lat,
                          double old_lon, double new_lat, double new_lon);
/* Adds n points at once and rebuilds the index: O((count + n) log). */
nj_status nj_spatial_bulk_load(nj_spatial *s, size_t n, const int64_t *ids,
                               const double *lat, const double *lon);
size_t nj_spatial_count(const nj_spatial *s);
/* Bytes the index holds allocated. */
size_t nj_spatial_memory_bytes(const nj_spatial *s);

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
/*
 * The k nearest points within radius_m, by distance then id: the first k of
 * nj_spatial_within(..., sorted = 1, ...). Errors as nj_spatial_within.
 */
nj_status nj_spatial_nearest(const nj_spatial *s, double lat, double lon,
                             double radius_m, size_t k, nj_hits *out);

#endif
