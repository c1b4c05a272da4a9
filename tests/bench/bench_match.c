/*
 * The nightly notification run through the public API: nj_match_batch over
 * every open posting against every resident, with 1 and 2 threads, against
 * a baseline in the same run: one nj_query_radius per posting followed by
 * the same eligibility-free count (the batch adds eligibility checks and
 * the ordered concatenation on top of the raw queries).
 *
 * usage: bench_match [residents=1000000] [postings=100000] [radius_km=2]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nearjob.h"

#define PI 3.14159265358979323846

static uint64_t rng_state = 42;

static double unit(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

static const double cities[20][2] = {
    {37.5665, 126.9780}, {35.1796, 129.0756}, {37.4563, 126.7052},
    {35.8714, 128.6014}, {36.3504, 127.3845}, {35.1595, 126.8526},
    {35.5384, 129.3114}, {37.2636, 127.0286}, {35.2281, 128.6811},
    {37.6584, 126.8320}, {37.4200, 127.1267}, {37.2411, 127.1776},
    {37.5034, 126.7660}, {36.6424, 127.4890}, {37.3219, 126.8309},
    {35.8242, 127.1480}, {36.8151, 127.1139}, {36.0190, 129.3435},
    {33.4996, 126.5312}, {35.2285, 128.8894},
};

/* The Korea-like mix: 70 % in clusters (sigma 3-9 km) around 20
 * cities, 30 % uniform over lat 33-39, lon 124-132. */
static void korea_point(double *lat, double *lon)
{
    if (unit() < 0.3) {
        *lat = 33.0 + 6.0 * unit();
        *lon = 124.0 + 8.0 * unit();
        return;
    }
    size_t c = (size_t)(unit() * 20.0);
    double sigma_deg = (3.0 + 0.3 * (double)c) / 111.195;
    double u = unit(), v = unit();
    double g1 = sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(2 * PI * v);
    double g2 = sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * sin(2 * PI * v);
    *lat = fmin(90, fmax(-90, cities[c][0] + sigma_deg * g1));
    *lon = cities[c][1] + sigma_deg * g2 / cos(cities[c][0] * PI / 180);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check(nj_status st, const char *what)
{
    if (st != NJ_OK) {
        fprintf(stderr, "bench_match: %s: %s\n", what, nj_status_str(st));
        exit(1);
    }
}

static nj_registry *build(size_t residents, size_t postings, double radius_m,
                          double *build_s)
{
    nj_registry *reg;
    double t0 = now_s();
    check(nj_registry_create(&reg), "create");
    for (size_t i = 0; i < residents; i++) {
        double lat, lon;
        korea_point(&lat, &lon);
        check(nj_participant_add(reg, (int64_t)i + 1, 19600101 + (int32_t)(i % 40) * 10000,
                                 0, lat, lon, 20250101, 0, NULL), "participant");
    }
    /* Five postings per facility, as libraries and centres post several. */
    for (size_t p = 0; p < postings; p++) {
        int64_t facility = (int64_t)(p / 5) + 1;
        if (p % 5 == 0) {
            double lat, lon;
            korea_point(&lat, &lon);
            check(nj_facility_add(reg, facility, NJ_FACILITY_LIBRARY, "facility", lat, lon,
                                  0, NULL), "facility");
        }
        nj_posting *posting;
        check(nj_posting_add(reg, (int64_t)p + 1, facility, "job", 3, &posting), "posting");
        check(nj_posting_set_radius_m(reg, posting, radius_m), "radius");
    }
    *build_s = now_s() - t0;
    return reg;
}

/* Baseline: the raw radius query for every posting, rows counted only. */
static double raw_queries(const nj_registry *reg, size_t *pairs)
{
    double t0 = now_s();
    *pairs = 0;
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        const nj_facility *f = nj_facility_get(reg, nj_posting_facility_id(p));
        nj_matches *m;
        check(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, nj_facility_lat(f),
                              nj_facility_lon(f), nj_posting_radius_m(p),
                              NJ_ORDER_DISTANCE, 0, &m), "query");
        *pairs += nj_matches_count(m);
        nj_matches_destroy(m);
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    size_t residents = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t postings = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    double radius_km = argc > 3 ? atof(argv[3]) : 2.0;
    double build_s;
    nj_registry *reg = build(residents, postings, radius_km * 1000, &build_s);
    size_t raw_pairs;
    double raw_s = raw_queries(reg, &raw_pairs);
    double one_s = 0;
    for (uint32_t threads = 1; threads <= 2; threads++) {
        nj_matches *m;
        double t0 = now_s();
        check(nj_match_batch(reg, 20250301, 0, 0, 0, threads, &m), "batch");
        double s = now_s() - t0;
        if (threads == 1)
            one_s = s;
        printf("BENCH batch postings=%zu n=%zu r_km=%g threads=%u seconds=%.3f "
               "pairs=%zu vs_raw_queries=%.2f vs_1_thread=%.2f build_s=%.2f\n",
               postings, residents, radius_km, threads, s, nj_matches_count(m),
               raw_s / s, one_s / s, build_s);
        if (nj_matches_count(m) != raw_pairs) {
            fprintf(stderr, "bench_match: batch found %zu pairs, raw queries %zu\n",
                    nj_matches_count(m), raw_pairs);
            return 1;
        }
        nj_matches_destroy(m);
    }
    nj_registry_destroy(reg);
    return 0;
}
