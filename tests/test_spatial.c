/*
 * Tests of the spatial index (lib/spatial.c) against a brute-force oracle:
 * every query's answer must equal a haversine scan over the same points.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "korea_points.h"
#include "spatial_internal.h"

#define PI 3.14159265358979323846
#define HALF_TURN_M (PI * NJ_EARTH_RADIUS_M)
/* Reported distances may differ from the reference formula by rounding. */
#define DIST_TOL_M 1e-6

/* ---- helpers ----------------------------------------------------------- */

/* Counts live allocations and fails the fail_at-th call (1-based, 0: never). */
typedef struct counting_alloc {
    size_t calls, fail_at, live;
} counting_alloc;

static int should_fail(counting_alloc *c)
{
    return ++c->calls == c->fail_at;
}

static void *ca_malloc(size_t size, void *user)
{
    counting_alloc *c = user;
    void *p;
    if (should_fail(c))
        return NULL;
    p = malloc(size);
    c->live += p != NULL;
    return p;
}

static void *ca_realloc(void *ptr, size_t size, void *user)
{
    counting_alloc *c = user;
    void *p;
    if (should_fail(c))
        return NULL;
    p = realloc(ptr, size);
    c->live += p != NULL && ptr == NULL;
    return p;
}

static void ca_free(void *ptr, void *user)
{
    counting_alloc *c = user;
    c->live -= ptr != NULL;
    free(ptr);
}

typedef struct point {
    int64_t id;
    double lat, lon;
} point;

typedef struct points {
    point *v;
    size_t n, cap;
} points;

static void points_add(points *p, int64_t id, double lat, double lon)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        assert_non_null(p->v);
    }
    p->v[p->n].id = id;
    p->v[p->n].lat = nj_spatial_snap_deg(lat);
    p->v[p->n].lon = nj_spatial_snap_deg(lon);
    p->n++;
}

static void load(nj_spatial *s, const points *p)
{
    int64_t *ids = malloc((p->n + 1) * sizeof *ids);
    double *lat = malloc((p->n + 1) * sizeof *lat), *lon = malloc((p->n + 1) * sizeof *lon);
    assert_true(ids && lat && lon);
    for (size_t i = 0; i < p->n; i++) {
        ids[i] = p->v[i].id;
        lat[i] = p->v[i].lat;
        lon[i] = p->v[i].lon;
    }
    assert_int_equal(nj_spatial_bulk_load(s, p->n, ids, lat, lon, NULL), NJ_OK);
    free(ids);
    free(lat);
    free(lon);
}

static int hit_cmp(const void *pa, const void *pb)
{
    const nj_hit *a = pa, *b = pb;
    if (a->distance_m != b->distance_m)
        return a->distance_m < b->distance_m ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int id_cmp(const void *pa, const void *pb)
{
    const nj_hit *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

/* The oracle: every point within r by the reference formula, sorted. */
static nj_hit *brute(const points *p, double lat, double lon, double r, size_t *n)
{
    nj_hit *v = malloc((p->n + 1) * sizeof *v);
    assert_non_null(v);
    *n = 0;
    for (size_t i = 0; i < p->n; i++) {
        double d = nj_distance_m(lat, lon, p->v[i].lat, p->v[i].lon);
        if (d <= r) {
            v[*n].id = p->v[i].id;
            v[(*n)++].distance_m = d;
        }
    }
    qsort(v, *n, sizeof *v, hit_cmp);
    return v;
}

/* Same ids; distances equal within tolerance. */
static void expect_same_set(nj_hit *got, size_t n_got, nj_hit *want, size_t n_want)
{
    assert_int_equal(n_got, n_want);
    if (n_got == 0)
        return;
    qsort(got, n_got, sizeof *got, id_cmp);
    qsort(want, n_want, sizeof *want, id_cmp);
    for (size_t i = 0; i < n_got; i++) {
        assert_true(got[i].id == want[i].id);
        assert_true(fabs(got[i].distance_m - want[i].distance_m) <= DIST_TOL_M);
    }
}

/* Same sequence, except that ids whose distances agree within the
 * tolerance may come in either order; and got is sorted by (distance, id). */
static void expect_same_list(const nj_hit *got, size_t n_got, const nj_hit *want,
                             size_t n_want)
{
    assert_int_equal(n_got, n_want);
    for (size_t i = 0; i < n_got; i++) {
        assert_true(fabs(got[i].distance_m - want[i].distance_m) <= DIST_TOL_M);
        if (i > 0)
            assert_true(hit_cmp(&got[i - 1], &got[i]) < 0);
    }
}

/* Oracle queries run so far (issue 3 asks for 100 000 in all). */
static size_t oracle_queries;

/* Checks within (unsorted, sorted) and nearest against the oracle. */
static void check_query(const nj_spatial *s, const points *p, double lat,
                        double lon, double r, size_t k)
{
    nj_hits out;
    size_t n_want;
    nj_hit *want = brute(p, lat, lon, r, &n_want);
    nj_hits_init(&out, &nj_alloc_default);
    oracle_queries++;

    assert_int_equal(nj_spatial_within(s, lat, lon, r, 1, &out), NJ_OK);
    expect_same_list(out.items, out.count, want, n_want);
    assert_int_equal(nj_spatial_nearest(s, lat, lon, r, k, &out), NJ_OK);
    expect_same_list(out.items, out.count, want, n_want < k ? n_want : k);
    assert_int_equal(nj_spatial_within(s, lat, lon, r, 0, &out), NJ_OK);
    expect_same_set(out.items, out.count, want, n_want);

    nj_hits_free(&out);
    free(want);
}

/* ---- data sets and queries ------------------------------------------------ */

/* Korea-like: dense clusters plus a uniform background, some duplicates. */
static void make_clustered(points *p, korea_rng *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double u = korea_rng_unit(r);
        if (u < 0.1 && p->n > 0) {
            const point *dup = &p->v[korea_rng_below(r, p->n)];
            points_add(p, (int64_t)i, dup->lat, dup->lon);
        } else if (u < 0.7) {
            double c = (double)korea_rng_below(r, 3);
            points_add(p, (int64_t)i, 35.0 + c + korea_rng_range(r, -0.03, 0.03),
                       127.0 + c + korea_rng_range(r, -0.03, 0.03));
        } else {
            points_add(p, (int64_t)i, korea_rng_range(r, 33, 39), korea_rng_range(r, 124, 132));
        }
    }
}

/* The whole sphere, with extra weight at the poles and the antimeridian. */
static void make_global(points *p, korea_rng *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double u = korea_rng_unit(r), lat, lon;
        lat = asin(korea_rng_range(r, -1, 1)) * 180.0 / PI;
        lon = korea_rng_range(r, -180, 180);
        if (u < 0.15)
            lat = (u < 0.075 ? 1 : -1) * korea_rng_range(r, 89.9, 90.0);
        else if (u < 0.3)
            lon = (u < 0.225 ? 1 : -1) * korea_rng_range(r, 179.9, 180.0);
        else if (u < 0.33)
            lat = u < 0.315 ? 90.0 : -90.0;
        else if (u < 0.36)
            lon = u < 0.345 ? 180.0 : -180.0;
        points_add(p, (int64_t)(korea_rng_next(r) >> 2) - (int64_t)(1ull << 60), lat, lon);
    }
}

static double random_radius(korea_rng *r)
{
    static const double radii[] = {0.0, 0.5, 10.0, 150.0, 1e3, 5e3, 3e4, 3e5,
                                   3e6, 1.5e7, HALF_TURN_M - 1.0, HALF_TURN_M,
                                   3e7, INFINITY};
    double base = radii[korea_rng_below(r, sizeof radii / sizeof radii[0])];
    return korea_rng_unit(r) < 0.5 || !isfinite(base) ? base : base * korea_rng_range(r, 0.5, 2.0);
}

/*
 * A random query: a random centre, or a stored point, or a point placed
 * exactly at the radius, a millimetre inside or outside it.
 */
static void random_query(const nj_spatial *s, const points *p, korea_rng *r,
                         double lat0, double lat1, double lon0, double lon1)
{
    double lat = korea_rng_range(r, lat0, lat1), lon = korea_rng_range(r, lon0, lon1);
    double radius = random_radius(r), u = korea_rng_unit(r);
    const point *pt = &p->v[korea_rng_below(r, p->n)];
    size_t k = 1 + korea_rng_below(r, 20);
    if (u < 0.2) {
        lat = pt->lat;
        lon = pt->lon;
    } else if (u < 0.6) {
        radius = nj_distance_m(lat, lon, pt->lat, pt->lon);
        radius += u < 0.3 ? 0.0 : (u < 0.45 ? 1e-3 : -1e-3);
        radius = radius < 0.0 ? 0.0 : radius;
    }
    check_query(s, p, lat, lon, radius, k);
}

static void run_random_queries(const points *p, korea_rng *r, size_t count, double lat0,
                               double lat1, double lon0, double lon1)
{
    nj_spatial s;
    nj_spatial_init(&s, &nj_alloc_default);
    load(&s, p);
    assert_int_equal(nj_spatial_count(&s), p->n);
    for (size_t q = 0; q < count; q++)
        random_query(&s, p, r, lat0, lat1, lon0, lon1);
    nj_spatial_free(&s);
}

/* ---- tests -------------------------------------------------------------- */

static void test_distance(void **state)
{
    (void)state;
    assert_true(nj_distance_m(10, 20, 10, 20) == 0.0);
    assert_true(fabs(nj_distance_m(0, 0, 1, 0) - NJ_EARTH_RADIUS_M * PI / 180) < 1e-6);
    assert_true(fabs(nj_distance_m(0, 0, 0, 180) - HALF_TURN_M) < 1e-6);
    assert_true(fabs(nj_distance_m(90, 0, -90, 0) - HALF_TURN_M) < 1e-6);
    assert_true(fabs(nj_distance_m(0, 179.5, 0, -179.5) -
                     nj_distance_m(0, 0, 0, 1)) < 1e-6);
    assert_true(nj_spatial_snap_deg(37.123456789) == 371234568 / 1e7);
}

/*
 * Many small data sets rather than one big one: the brute-force oracle costs
 * O(points) a query, and 100 000 queries must stay fast under sanitizers.
 */
#define ORACLE_POINTS 300

static void test_clustered_oracle(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 10; seed++) {
        points p = {0};
        korea_rng r = {100 + seed};
        make_clustered(&p, &r, ORACLE_POINTS);
        run_random_queries(&p, &r, 5000, 34.9, 37.1, 126.9, 129.1);
        free(p.v);
    }
}

static void test_global_oracle(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 8; seed++) {
        points p = {0};
        korea_rng r = {200 + seed};
        make_global(&p, &r, ORACLE_POINTS);
        run_random_queries(&p, &r, 2000, -90, 90, -180, 180);
        run_random_queries(&p, &r, 1000, 89.5, 90, -180, 180);
        run_random_queries(&p, &r, 1000, -90, -89.5, -180, 180);
        run_random_queries(&p, &r, 1000, -60, 60, 179.5, 180);
        run_random_queries(&p, &r, 1000, -60, 60, -180, -179.5);
        free(p.v);
    }
}

/* Exact duplicates and r = 0: only identical coordinates match. */
static void test_duplicates_radius_zero(void **state)
{
    points p = {0};
    (void)state;
    for (int64_t i = 0; i < 50; i++)
        points_add(&p, i, 37.5, 127.0 + (double)(i % 2) * 1e-7);
    run_random_queries(&p, &(korea_rng){3}, 5000, 37.4999, 37.5001, 126.9999, 127.0001);
    nj_spatial s;
    nj_hits out;
    nj_spatial_init(&s, &nj_alloc_default);
    nj_hits_init(&out, &nj_alloc_default);
    load(&s, &p);
    assert_int_equal(nj_spatial_within(&s, 37.5, 127.0, 0.0, 1, &out), NJ_OK);
    assert_int_equal(out.count, 25);
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.items[i].id == (int64_t)(2 * i) && out.items[i].distance_m == 0.0);
    nj_hits_free(&out);
    nj_spatial_free(&s);
    free(p.v);
}

/*
 * Sorting paths the small oracle sets do not reach: over 65 535 hits (the
 * wide radix key) and thousands of equal distances that come out of the
 * scan far from id order (the heapsort fallback): the core holds one
 * location's points by id, and the delta, scanned after it, holds more
 * there with smaller ids.
 */
static void test_large_sorts(void **state)
{
    points p = {0};
    korea_rng r = {7};
    nj_spatial s;
    (void)state;
    make_clustered(&p, &r, 70000);
    for (int64_t i = 0; i < 3000; i++)
        points_add(&p, 1003000 - i, 36.5, 128.5);
    nj_spatial_init(&s, &nj_alloc_default);
    load(&s, &p);
    for (int64_t i = 0; i < 1000; i++) {
        assert_int_equal(nj_spatial_insert(&s, 900000 + i, 36.5, 128.5), NJ_OK);
        points_add(&p, 900000 + i, 36.5, 128.5);
    }
    assert_int_equal(s.delta.count, 1000);
    check_query(&s, &p, 36.5, 128.5, 3e6, 50);
    check_query(&s, &p, 36.5, 128.5, 0.0, 5);
    check_query(&s, &p, 36.5, 128.5, 2000.0, 4000);
    nj_spatial_free(&s);
    free(p.v);
}

/*
 * Points inserted below the core's lowest row and above its highest: a
 * query reaching across must find them (a search for the next row with
 * points once returned the core's first row and skipped the delta's rows
 * before it).
 */
static void test_delta_outside_core_rows(void **state)
{
    points p = {0};
    nj_spatial s;
    (void)state;
    for (int64_t i = 0; i < 40; i++)
        points_add(&p, i, 36.0 + 1e-5 * (double)i, 127.0 + 1e-4 * (double)i);
    nj_spatial_init(&s, &nj_alloc_default);
    load(&s, &p);
    /* 1.1 km and 2.2 km south: three and six rows below; 1.1 km north. */
    assert_int_equal(nj_spatial_insert(&s, 100, 35.99, 127.0), NJ_OK);
    assert_int_equal(nj_spatial_insert(&s, 101, 35.98, 127.001), NJ_OK);
    assert_int_equal(nj_spatial_insert(&s, 102, 36.0104, 127.002), NJ_OK);
    points_add(&p, 100, 35.99, 127.0);
    points_add(&p, 101, 35.98, 127.001);
    points_add(&p, 102, 36.0104, 127.002);
    check_query(&s, &p, 36.0, 127.0, 5000.0, 5);
    check_query(&s, &p, 35.985, 127.0, 1000.0, 3);
    check_query(&s, &p, 35.97, 127.0, 1500.0, 50);
    nj_spatial_free(&s);
    free(p.v);
}

/* The k nearest equal the first k of the sorted radius query exactly,
 * ids and distances (a and b: scratch). */
static void expect_sorted_prefix(const nj_spatial *s, double lat, double lon, double r,
                                 size_t k, nj_hits *a, nj_hits *b)
{
    size_t want;
    assert_int_equal(nj_spatial_within(s, lat, lon, r, 1, a), NJ_OK);
    assert_int_equal(nj_spatial_nearest(s, lat, lon, r, k, b), NJ_OK);
    want = a->count < k ? a->count : k;
    assert_int_equal(b->count, want);
    for (size_t i = 0; i < want; i++) {
        assert_true(b->items[i].id == a->items[i].id);
        assert_true(b->items[i].distance_m == a->items[i].distance_m);
    }
}

/* Dense data: four clusters 1-3 km wide, a background that gives every
 * 364 m row a directory, 10 % exact duplicates (ties at the k-th place
 * are decided by id), and a decoy: 60 points within 50 m, 1-3 km east of
 * queries in the same row, whose directory cell then promises a density
 * the query's surroundings do not have (the first reach is short). */
static void make_dense(points *p, korea_rng *r, size_t n)
{
    static const double centres[4][2] = {{36.0, 127.0}, {36.2, 127.3}, {35.9, 127.2}, {36.3, 126.9}};
    for (size_t i = 0; i < n; i++) {
        double u = korea_rng_unit(r);
        if (u < 0.1 && p->n > 0) {
            const point *dup = &p->v[korea_rng_below(r, p->n)];
            points_add(p, (int64_t)i, dup->lat, dup->lon);
        } else if (u < 0.6) {
            const double *c = centres[korea_rng_below(r, 4)];
            double sigma = 0.01 * (double)(1 + korea_rng_below(r, 3));
            double lat = c[0] + sigma * korea_rng_gauss(r);
            points_add(p, (int64_t)i, lat, c[1] + sigma * korea_rng_gauss(r));
        } else {
            double lat = korea_rng_range(r, 35.8, 36.4);
            points_add(p, (int64_t)i, lat, korea_rng_range(r, 126.8, 127.6));
        }
    }
    for (int64_t i = 0; i < 60; i++) {
        double lat = 35.9 + korea_rng_range(r, 0, 3e-4);
        points_add(p, 1000000 + i, lat, 127.5 + korea_rng_range(r, 0, 4e-4));
    }
}

static void dense_queries(const nj_spatial *s, const points *p, korea_rng *r, size_t count,
                          size_t oracle_every)
{
    static const double radii[] = {50.0, 300.0, 1000.0, 3000.0, 20000.0};
    static const size_t ks[] = {1, 2, 10, 10, 33, 300};
    nj_hits a, b;
    nj_hits_init(&a, &nj_alloc_default);
    nj_hits_init(&b, &nj_alloc_default);
    for (size_t q = 0; q < count; q++) {
        double u = korea_rng_unit(r), lat, lon;
        double radius = radii[korea_rng_below(r, sizeof radii / sizeof *radii)];
        size_t k = ks[korea_rng_below(r, sizeof ks / sizeof *ks)];
        if (u < 0.3) {
            const point *pt = &p->v[korea_rng_below(r, p->n)];
            lat = pt->lat;
            lon = pt->lon;
        } else if (u < 0.45) { /* west of the decoy, in its row */
            lat = 35.9 + korea_rng_range(r, 0, 3e-4);
            lon = 127.5 - korea_rng_range(r, 0.01, 0.03);
        } else {
            lat = korea_rng_range(r, 35.8, 36.4);
            lon = korea_rng_range(r, 126.8, 127.6);
        }
        expect_sorted_prefix(s, lat, lon, radius, k, &a, &b);
        if (q % oracle_every == 0)
            check_query(s, p, lat, lon, radius, k);
    }
    nj_hits_free(&a);
    nj_hits_free(&b);
}

/*
 * k nearest over rows with directories (the oracle sets are too small to
 * have any): the first reach guessed from the centre's directory cell,
 * reaches too short for k, ties at the k-th distance, k beyond the points
 * within the radius, k beyond the insertion selection's; then the same
 * after inserts (the delta), removals and moves.
 */
static void test_nearest_dense(void **state)
{
    points p = {0};
    korea_rng r = {11};
    nj_spatial s;
    (void)state;
    make_dense(&p, &r, 20000);
    nj_spatial_init(&s, &nj_alloc_default);
    load(&s, &p);
    dense_queries(&s, &p, &r, 1500, 10);
    for (int64_t i = 0; i < 1000; i++) {
        double lat = korea_rng_range(&r, 35.8, 36.4);
        double lon = korea_rng_range(&r, 126.8, 127.6);
        assert_int_equal(nj_spatial_insert(&s, 2000000 + i, lat, lon), NJ_OK);
        points_add(&p, 2000000 + i, lat, lon);
    }
    for (size_t i = 0; i < 600; i++) {
        size_t at = korea_rng_below(&r, p.n);
        point *pt = &p.v[at];
        if (i % 2) {
            assert_int_equal(nj_spatial_remove(&s, pt->id, pt->lat, pt->lon), NJ_OK);
            *pt = p.v[--p.n];
        } else {
            double lat = pt->lat + korea_rng_range(&r, -0.01, 0.01);
            assert_int_equal(nj_spatial_move(&s, pt->id, pt->lat, pt->lon, lat, pt->lon), NJ_OK);
            pt->lat = nj_spatial_snap_deg(lat);
        }
    }
    assert_true(s.delta.count > 0 && s.core_removed > 0);
    dense_queries(&s, &p, &r, 700, 10);
    nj_spatial_free(&s);
    free(p.v);
}

/* Runs last: the oracle tests together asked at least 100 000 queries. */
static void test_oracle_total(void **state)
{
    (void)state;
    assert_true(oracle_queries >= 100000);
}

static void test_bad_input(void **state)
{
    static const double bad_lat[] = {NAN, INFINITY, -INFINITY, 90.000001, -91.0};
    static const double bad_lon[] = {NAN, INFINITY, 180.0000001, -181.0};
    counting_alloc ca = {0, 0, 0};
    nj_alloc a = {ca_malloc, ca_realloc, ca_free, &ca};
    nj_spatial s;
    nj_hits out;
    int64_t id = 7;
    double lat = 37.0, lon = 127.0, nan_v = NAN;
    (void)state;
    nj_spatial_init(&s, &a);
    nj_hits_init(&out, &a);
    out.count = 99;
    for (size_t i = 0; i < sizeof bad_lat / sizeof *bad_lat; i++) {
        assert_int_equal(nj_spatial_within(&s, bad_lat[i], 0, 1, 0, &out), NJ_E_RANGE);
        assert_int_equal(nj_spatial_nearest(&s, bad_lat[i], 0, 1, 3, &out), NJ_E_RANGE);
        assert_int_equal(nj_spatial_insert(&s, 1, bad_lat[i], 0), NJ_E_RANGE);
        assert_int_equal(nj_spatial_bulk_load(&s, 1, &id, &bad_lat[i], &lon, NULL), NJ_E_RANGE);
    }
    for (size_t i = 0; i < sizeof bad_lon / sizeof *bad_lon; i++) {
        assert_int_equal(nj_spatial_within(&s, 0, bad_lon[i], 1, 1, &out), NJ_E_RANGE);
        assert_int_equal(nj_spatial_remove(&s, 1, 0, bad_lon[i]), NJ_E_RANGE);
        assert_int_equal(nj_spatial_move(&s, 1, 0, 0, 0, bad_lon[i]), NJ_E_RANGE);
    }
    assert_int_equal(nj_spatial_within(&s, 0, 0, -1.0, 0, &out), NJ_E_RANGE);
    assert_int_equal(nj_spatial_within(&s, 0, 0, nan_v, 0, &out), NJ_E_RANGE);
    assert_int_equal(nj_spatial_nearest(&s, 0, 0, -INFINITY, 1, &out), NJ_E_RANGE);
    assert_int_equal(nj_spatial_bulk_load(&s, 1, NULL, &lat, &lon, NULL), NJ_E_INVALID);
    /* Nothing was allocated and out was left alone. */
    assert_int_equal(ca.calls, 0);
    assert_int_equal(out.count, 99);
    assert_null(out.items);

    assert_int_equal(nj_spatial_insert(&s, 1, lat, lon), NJ_OK);
    assert_int_equal(nj_spatial_insert(&s, 1, lat, lon), NJ_E_EXISTS);
    assert_int_equal(nj_spatial_remove(&s, 2, lat, lon), NJ_E_NOT_FOUND);
    assert_int_equal(nj_spatial_remove(&s, 1, lat, lon + 1e-6), NJ_E_NOT_FOUND);
    assert_int_equal(nj_spatial_move(&s, 2, lat, lon, 0, 0), NJ_E_NOT_FOUND);
    assert_int_equal(nj_spatial_move(&s, 1, lat, lon, lat, lon), NJ_OK);
    assert_int_equal(nj_spatial_count(&s), 1);
    assert_int_equal(nj_spatial_remove(&s, 1, lat, lon), NJ_OK);
    assert_int_equal(nj_spatial_count(&s), 0);
    nj_spatial_free(&s);
    assert_int_equal(ca.live, 0);
}

/* A random walk of updates applied to the index and to a plain list. */
typedef struct model {
    nj_spatial s;
    points p;
    int64_t next_id;
} model;

static void model_step(model *m, korea_rng *r)
{
    double u = korea_rng_unit(r), lat = korea_rng_range(r, 36, 36.2), lon = korea_rng_range(r, 127, 127.2);
    if (u < 0.45 || m->p.n == 0) {
        assert_int_equal(nj_spatial_insert(&m->s, m->next_id, lat, lon), NJ_OK);
        points_add(&m->p, m->next_id++, lat, lon);
        return;
    }
    size_t i = korea_rng_below(r, m->p.n);
    point *pt = &m->p.v[i];
    if (u < 0.75) {
        assert_int_equal(nj_spatial_move(&m->s, pt->id, pt->lat, pt->lon, lat, lon), NJ_OK);
        pt->lat = nj_spatial_snap_deg(lat);
        pt->lon = nj_spatial_snap_deg(lon);
    } else {
        assert_int_equal(nj_spatial_remove(&m->s, pt->id, pt->lat, pt->lon), NJ_OK);
        *pt = m->p.v[--m->p.n];
    }
}

static void test_incremental_equals_rebuilt(void **state)
{
    model m = {.next_id = 0};
    korea_rng r = {4};
    (void)state;
    nj_spatial_init(&m.s, &nj_alloc_default);
    make_clustered(&m.p, &r, 0);
    for (int i = 0; i < 800; i++)
        points_add(&m.p, m.next_id++, korea_rng_range(&r, 36, 36.2), korea_rng_range(&r, 127, 127.2));
    load(&m.s, &m.p);
    /* Enough steps to merge the delta into the core a few times. */
    for (int step = 0; step < 6000; step++) {
        model_step(&m, &r);
        if (step % 500 == 0)
            random_query(&m.s, &m.p, &r, 36, 36.2, 127, 127.2);
    }
    assert_int_equal(nj_spatial_count(&m.s), m.p.n);
    nj_spatial fresh;
    nj_spatial_init(&fresh, &nj_alloc_default);
    load(&fresh, &m.p);
    for (int q = 0; q < 300; q++) {
        double lat = korea_rng_range(&r, 36, 36.2), lon = korea_rng_range(&r, 127, 127.2);
        double radius = korea_rng_range(&r, 0, 20000);
        check_query(&m.s, &m.p, lat, lon, radius, 10);
        check_query(&fresh, &m.p, lat, lon, radius, 10);
    }
    nj_spatial_free(&fresh);
    nj_spatial_free(&m.s);
    free(m.p.v);
}

/*
 * Many points at one location: the index orders them by id, so finding,
 * removing or moving one is a binary search, not a scan of the others
 * (20 000 inserts at one spot would otherwise cost O(n^2)). Inserts, then
 * removals and moves, across several merges of the delta into the core.
 */
static void test_many_at_one_location(void **state)
{
    const double lat = 35.15, lon = 126.85, lon2 = 126.8501;
    const int64_t n = 20000;
    nj_spatial s;
    nj_hits out;
    (void)state;
    nj_spatial_init(&s, &nj_alloc_default);
    nj_hits_init(&out, &nj_alloc_default);
    for (int64_t i = 0; i < n; i++) /* ids interleaved: 0, 19999, 1, 19998 */
        assert_int_equal(nj_spatial_insert(&s, i % 2 ? n - 1 - i / 2 : i / 2, lat, lon), NJ_OK);
    assert_int_equal(nj_spatial_insert(&s, 777, lat, lon), NJ_E_EXISTS);
    assert_true(s.core.count > 0); /* merges happened */
    for (int64_t id = 0; id < n; id += 3)
        assert_int_equal(nj_spatial_remove(&s, id, lat, lon), NJ_OK);
    assert_int_equal(nj_spatial_remove(&s, 3, lat, lon), NJ_E_NOT_FOUND);
    for (int64_t id = 1; id < n; id += 3)
        assert_int_equal(nj_spatial_move(&s, id, lat, lon, lat, lon2), NJ_OK);
    assert_int_equal(nj_spatial_move(&s, 1, lat, lon, lat, lon2), NJ_E_NOT_FOUND);
    /* ids 2, 5, 8, ... stayed; 1, 4, 7, ... moved; 0, 3, 6, ... are gone. */
    assert_int_equal(nj_spatial_count(&s), (size_t)(n - (n + 2) / 3));
    assert_int_equal(nj_spatial_within(&s, lat, lon, 0.0, 1, &out), NJ_OK);
    assert_int_equal(out.count, (size_t)(n / 3));
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.items[i].id == (int64_t)(3 * i + 2) && out.items[i].distance_m == 0.0);
    assert_int_equal(nj_spatial_nearest(&s, lat, lon2, 5.0, 4, &out), NJ_OK);
    assert_int_equal(out.count, 4);
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.items[i].id == (int64_t)(3 * i + 1) && out.items[i].distance_m == 0.0);
    nj_hits_free(&out);
    nj_spatial_free(&s);
}

/* Point i of a points list, as a bulk-load source; point `bad` (if any)
 * gets latitude 91. */
typedef struct point_source {
    const points *p;
    size_t bad;
} point_source;

static void source_point(const void *ctx, size_t i, nj_spatial_point *pt)
{
    const point_source *src = ctx;
    pt->id = src->p->v[i].id;
    pt->lat = i == src->bad ? 91.0 : src->p->v[i].lat;
    pt->lon = src->p->v[i].lon;
    pt->tag = (uint64_t)src->p->v[i].id * 3u;
}

/* A bulk load from a point source gives the index the array load gives,
 * tags included; a bad point anywhere in the source is NJ_E_RANGE and
 * leaves the index as it was. */
static void test_bulk_load_from(void **state)
{
    points p = {0};
    korea_rng r = {8};
    nj_spatial s;
    nj_hits out;
    (void)state;
    make_clustered(&p, &r, 2000);
    nj_spatial_init_tagged(&s, &nj_alloc_default);
    nj_hits_init(&out, &nj_alloc_default);
    assert_int_equal(nj_spatial_insert_tagged(&s, -5, 36.0, 127.0, 77), NJ_OK);
    point_source bad = {&p, 1999};
    assert_int_equal(nj_spatial_bulk_load_from(&s, p.n, source_point, &bad), NJ_E_RANGE);
    assert_int_equal(nj_spatial_count(&s), 1);
    assert_int_equal(nj_spatial_bulk_load_from(&s, 3, NULL, NULL), NJ_E_INVALID);
    point_source good = {&p, SIZE_MAX};
    assert_int_equal(nj_spatial_bulk_load_from(&s, p.n, source_point, &good), NJ_OK);
    assert_int_equal(nj_spatial_count(&s), p.n + 1);
    points_add(&p, -5, 36.0, 127.0);
    for (int q = 0; q < 50; q++) {
        double lat = korea_rng_range(&r, 34.9, 37.1), lon = korea_rng_range(&r, 126.9, 129.1);
        check_query(&s, &p, lat, lon, korea_rng_range(&r, 0, 40000), 10);
    }
    assert_int_equal(nj_spatial_within_tagged(&s, 36.0, 127.0, 0.0, &out), NJ_OK);
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.tags[i] == (out.items[i].id == -5 ? 77u : (uint64_t)out.items[i].id * 3u));
    nj_hits_free(&out);
    nj_spatial_free(&s);
    free(p.v);
}

/* A tagged index returns each point's tag beside it, through inserts,
 * bulk loads, moves, tag changes and merges. */
static void test_tags(void **state)
{
    const int64_t ids[3] = {10, 11, 12};
    const double lats[3] = {37.0, 37.0005, 37.001}, lons[3] = {127.0, 127.0, 127.0};
    const uint64_t tags[3] = {0xa0, 0xa1, 0xa2};
    uint64_t want[1500];
    nj_spatial s;
    nj_hits out;
    (void)state;
    nj_spatial_init_tagged(&s, &nj_alloc_default);
    nj_hits_init(&out, &nj_alloc_default);
    assert_int_equal(nj_spatial_bulk_load(&s, 3, ids, lats, lons, tags), NJ_OK);
    for (int64_t i = 0; i < 1500; i++) { /* past a merge */
        want[i] = (uint64_t)i * 7919u;
        assert_int_equal(nj_spatial_insert_tagged(&s, 100 + i, 36.0, 128.0 + 1e-5 * (double)i,
                                                  want[i]), NJ_OK);
    }
    assert_int_equal(nj_spatial_set_tag(&s, 11, lats[1], lons[1], 0xbeef), NJ_OK);
    assert_int_equal(nj_spatial_set_tag(&s, 11, lats[0], lons[0], 1), NJ_E_NOT_FOUND);
    assert_int_equal(nj_spatial_move(&s, 12, lats[2], lons[2], 37.0002, 127.0), NJ_OK);
    assert_int_equal(nj_spatial_set_tag(&s, 1099, 36.0, 128.0 + 1e-5 * 999, 5), NJ_OK);
    want[999] = 5;
    assert_int_equal(nj_spatial_within_tagged(&s, 37.0, 127.0, 100.0, &out), NJ_OK);
    assert_int_equal(out.count, 3);
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.tags[i] == (out.items[i].id == 10 ? 0xa0u
                                    : out.items[i].id == 11 ? 0xbeefu : 0xa2u));
    assert_int_equal(nj_spatial_within_tagged(&s, 36.0, 128.0, 2e4, &out), NJ_OK);
    assert_int_equal(out.count, 1500);
    for (size_t i = 0; i < out.count; i++)
        assert_true(out.tags[i] == want[out.items[i].id - 100]);
    assert_true(nj_spatial_tag_bytes(&s) >= 1503 * sizeof(uint64_t));
    /* A sorted query drops the tags. */
    assert_int_equal(nj_spatial_within(&s, 36.0, 128.0, 2e4, 1, &out), NJ_OK);
    assert_null(out.tags);
    nj_hits_free(&out);
    nj_spatial_free(&s);
}

/* Answers of a fixed set of queries must match the oracle over p. */
static void check_answers(const nj_spatial *s, const points *p)
{
    korea_rng r = {5};
    for (int q = 0; q < 20; q++)
        check_query(s, p, korea_rng_range(&r, 36, 36.2), korea_rng_range(&r, 127, 127.2),
                    korea_rng_range(&r, 0, 15000), 5);
}

typedef enum op { OP_INSERT, OP_MOVE, OP_REMOVE, OP_BULK, OP_WITHIN, OP_NEAREST } op;

/* Runs one operation on s; the model p is updated only on success. */
static nj_status apply(nj_spatial *s, points *p, op o, nj_hits *out)
{
    static const int64_t ids[2] = {900001, 900002};
    static const double lats[2] = {36.1, 36.05}, lons[2] = {127.1, 127.15};
    nj_status st = NJ_OK;
    switch (o) {
    case OP_INSERT:
        st = nj_spatial_insert(s, ids[0], lats[0], lons[0]);
        if (st == NJ_OK)
            points_add(p, ids[0], lats[0], lons[0]);
        break;
    case OP_MOVE:
        st = nj_spatial_move(s, p->v[0].id, p->v[0].lat, p->v[0].lon, lats[1], lons[1]);
        if (st == NJ_OK) {
            p->v[0].lat = nj_spatial_snap_deg(lats[1]);
            p->v[0].lon = nj_spatial_snap_deg(lons[1]);
        }
        break;
    case OP_REMOVE:
        st = nj_spatial_remove(s, p->v[0].id, p->v[0].lat, p->v[0].lon);
        if (st == NJ_OK)
            p->v[0] = p->v[--p->n];
        break;
    case OP_BULK:
        st = nj_spatial_bulk_load(s, 2, ids, lats, lons, NULL);
        if (st == NJ_OK) {
            points_add(p, ids[0], lats[0], lons[0]);
            points_add(p, ids[1], lats[1], lons[1]);
        }
        break;
    case OP_WITHIN:
        st = nj_spatial_within(s, 36.1, 127.1, 20000, 1, out);
        break;
    case OP_NEAREST:
        st = nj_spatial_nearest(s, 36.1, 127.1, 20000, 7, out);
        break;
    }
    return st;
}

/* Fails allocation 1, 2, ... of each operation until it succeeds; every
 * failure must leave the index answering exactly as before, and nothing
 * may leak. */
static void test_allocation_failure(void **state)
{
    counting_alloc ca = {0, 0, 0};
    nj_alloc a = {ca_malloc, ca_realloc, ca_free, &ca};
    (void)state;
    for (op o = OP_INSERT; o <= OP_NEAREST; o++) {
        for (size_t fail_at = 1;; fail_at++) {
            nj_spatial s;
            nj_hits out;
            points p = {0};
            korea_rng r = {6};
            nj_status st;
            ca.calls = 0;
            ca.fail_at = 0;
            nj_spatial_init(&s, &a);
            nj_hits_init(&out, &a);
            for (int64_t i = 0; i < 1500; i++)
                points_add(&p, i, korea_rng_range(&r, 36, 36.2), korea_rng_range(&r, 127, 127.2));
            load(&s, &p);
            /* A non-empty delta, one point short of a merge. */
            for (int64_t i = 0; i < 1024; i++) {
                double lat = korea_rng_range(&r, 36, 36.2), lon = korea_rng_range(&r, 127, 127.2);
                assert_int_equal(nj_spatial_insert(&s, 5000 + i, lat, lon), NJ_OK);
                points_add(&p, 5000 + i, lat, lon);
            }
            ca.calls = 0;
            ca.fail_at = fail_at;
            st = apply(&s, &p, o, &out);
            ca.fail_at = 0;
            assert_true(st == NJ_OK || st == NJ_E_NOMEM);
            if (st == NJ_E_NOMEM)
                assert_int_equal(out.count, 0);
            assert_int_equal(nj_spatial_count(&s), p.n);
            check_answers(&s, &p);
            nj_hits_free(&out);
            nj_spatial_free(&s);
            free(p.v);
            assert_int_equal(ca.live, 0);
            if (st == NJ_OK)
                break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_duplicates_radius_zero),
        cmocka_unit_test(test_clustered_oracle),
        cmocka_unit_test(test_global_oracle),
        cmocka_unit_test(test_incremental_equals_rebuilt),
        cmocka_unit_test(test_allocation_failure),
        cmocka_unit_test(test_large_sorts),
        cmocka_unit_test(test_many_at_one_location),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_delta_outside_core_rows),
        cmocka_unit_test(test_nearest_dense),
        cmocka_unit_test(test_bulk_load_from),
        cmocka_unit_test(test_oracle_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
