/*
 * Benchmark: nj_region_locate on the 96 administrative dongs of Gwangju,
 * against a brute-force scan in the same run (nj_region_contains on every
 * region with a boundary, keeping the deepest, smaller id on a tie, which is
 * nj_region_locate's contract). Both must give the same answer for every
 * point, or the benchmark fails.
 *
 * usage: bench_locate [POINTS]   (default 1000000)
 *
 * The points are uniform in the bounding box of all dongs, from a fixed
 * seed, so about 60 % fall in a dong and the rest in the countryside around.
 * Prints one line:
 *   BENCH locate regions=96 points=N ns_per_point=.. brute_ns_per_point=..
 *         speedup=.. found=..
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <nearjob.h>

#ifndef NJ_TEST_DATA_DIR
#error "NJ_TEST_DATA_DIR must name the tests/data folder"
#endif

#define REGIONS_PATH NJ_TEST_DATA_DIR "/admdong_gwangju_all.geojson"
#define DEFAULT_POINTS 1000000
#define SEED UINT64_C(0x6e6561726a6f62) /* "nearjob" */

typedef struct bench {
    nj_registry *reg;
    nj_region **bounded; /* the regions that have a boundary */
    size_t n_bounded;
    double *latlon;      /* the points, as (lat, lon) pairs */
    size_t n_points;
    int64_t *located;    /* nj_region_locate's answer per point, 0 for none */
    int64_t *scanned;    /* the brute-force answer per point */
} bench;

/* splitmix64: small, fast and good enough to scatter test points. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double random_between(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(next_random(state) >> 11) * 0x1.0p-53);
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int collect_bounded(bench *b)
{
    size_t n = nj_region_count(b->reg);

    b->bounded = malloc(n * sizeof *b->bounded);
    if (!b->bounded)
        return -1;
    for (size_t i = 0; i < n; i++) {
        nj_region *region = nj_region_at(b->reg, i);
        size_t n_polygons = 0;
        if (nj_region_boundary_counts(region, &n_polygons, NULL, NULL) ==
                NJ_OK &&
            n_polygons > 0)
            b->bounded[b->n_bounded++] = region;
    }
    return b->n_bounded > 0 ? 0 : -1;
}

/* Scatter the points over the union of the regions' bounding boxes. */
static int make_points(bench *b)
{
    double lo_lat = 90, lo_lon = 180, hi_lat = -90, hi_lon = -180;
    uint64_t state = SEED;

    for (size_t i = 0; i < b->n_bounded; i++) {
        double a, o, z, e;
        if (nj_region_bbox(b->bounded[i], &a, &o, &z, &e) != NJ_OK)
            return -1;
        lo_lat = a < lo_lat ? a : lo_lat;
        lo_lon = o < lo_lon ? o : lo_lon;
        hi_lat = z > hi_lat ? z : hi_lat;
        hi_lon = e > hi_lon ? e : hi_lon;
    }
    b->latlon = malloc(b->n_points * 2 * sizeof *b->latlon);
    b->located = malloc(b->n_points * sizeof *b->located);
    b->scanned = malloc(b->n_points * sizeof *b->scanned);
    if (!b->latlon || !b->located || !b->scanned)
        return -1;
    for (size_t i = 0; i < b->n_points; i++) {
        b->latlon[2 * i] = random_between(&state, lo_lat, hi_lat);
        b->latlon[2 * i + 1] = random_between(&state, lo_lon, hi_lon);
    }
    return 0;
}

static int locate_all(bench *b)
{
    for (size_t i = 0; i < b->n_points; i++) {
        nj_region *found = NULL;
        nj_status rc = nj_region_locate(b->reg, b->latlon[2 * i],
                                        b->latlon[2 * i + 1], &found);
        if (rc != NJ_OK && rc != NJ_E_NOT_FOUND)
            return -1;
        b->located[i] = nj_region_id(found);
    }
    return 0;
}

/* The deepest region containing the point, the smaller id on a tie. */
static int64_t scan_one(const bench *b, double lat, double lon)
{
    const nj_region *best = NULL;

    for (size_t r = 0; r < b->n_bounded; r++) {
        const nj_region *region = b->bounded[r];
        int inside = 0;
        if (nj_region_contains(region, lat, lon, &inside) != NJ_OK || !inside)
            continue;
        if (!best || nj_region_level(region) > nj_region_level(best) ||
            (nj_region_level(region) == nj_region_level(best) &&
             nj_region_id(region) < nj_region_id(best)))
            best = region;
    }
    return nj_region_id(best);
}

static void scan_all(bench *b)
{
    for (size_t i = 0; i < b->n_points; i++)
        b->scanned[i] = scan_one(b, b->latlon[2 * i], b->latlon[2 * i + 1]);
}

/* Count the points in a region; report any disagreement. */
static size_t compare(const bench *b, size_t *mismatches)
{
    size_t found = 0;

    *mismatches = 0;
    for (size_t i = 0; i < b->n_points; i++) {
        found += b->located[i] != 0;
        if (b->located[i] == b->scanned[i])
            continue;
        if (++*mismatches <= 10)
            fprintf(stderr,
                    "bench_locate: (%.15g, %.15g): locate %lld, scan %lld\n",
                    b->latlon[2 * i], b->latlon[2 * i + 1],
                    (long long)b->located[i], (long long)b->scanned[i]);
    }
    return found;
}

static int parse_points(int argc, char **argv, size_t *n_points)
{
    char *end;
    unsigned long long n;

    *n_points = DEFAULT_POINTS;
    if (argc < 2)
        return 0;
    errno = 0;
    n = strtoull(argv[1], &end, 10);
    if (argc > 2 || errno || *end || n == 0 || n > SIZE_MAX / 16) {
        fprintf(stderr, "usage: bench_locate [POINTS]\n");
        return -1;
    }
    *n_points = (size_t)n;
    return 0;
}

static int run(bench *b)
{
    double t0, t1, t2;
    size_t found, mismatches;

    if (nj_registry_create(&b->reg) != NJ_OK ||
        nj_geojson_import_regions_file(b->reg, REGIONS_PATH, NULL) != NJ_OK) {
        fprintf(stderr, "bench_locate: cannot load %s: %s\n", REGIONS_PATH,
                nj_registry_errmsg(b->reg));
        return -1;
    }
    if (collect_bounded(b) != 0 || make_points(b) != 0) {
        fprintf(stderr, "bench_locate: out of memory or no boundaries\n");
        return -1;
    }
    t0 = now_ns();
    if (locate_all(b) != 0) {
        fprintf(stderr, "bench_locate: nj_region_locate failed\n");
        return -1;
    }
    t1 = now_ns();
    scan_all(b);
    t2 = now_ns();

    found = compare(b, &mismatches);
    printf("BENCH locate regions=%zu points=%zu ns_per_point=%.1f "
           "brute_ns_per_point=%.1f speedup=%.2f found=%zu\n",
           b->n_bounded, b->n_points, (t1 - t0) / (double)b->n_points,
           (t2 - t1) / (double)b->n_points, (t2 - t1) / (t1 - t0), found);
    if (mismatches) {
        fprintf(stderr, "bench_locate: %zu points disagree\n", mismatches);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench b = {NULL, NULL, 0, NULL, 0, NULL, NULL};
    int rc = 1;

    if (parse_points(argc, argv, &b.n_points) == 0)
        rc = run(&b) == 0 ? 0 : 1;
    free(b.scanned);
    free(b.located);
    free(b.latlon);
    free(b.bounded);
    nj_registry_destroy(b.reg);
    return rc;
}
