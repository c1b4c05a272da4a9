/*
 * The nightly notification run through the public API: nj_match_batch over
 * every open posting against every resident, with 1 and 2 threads, against
 * a baseline in the same run: one nj_query_radius per posting followed by
 * the same eligibility-free count (the batch adds eligibility checks and
 * the ordered concatenation on top of the raw queries).
 *
 * usage: bench_match [residents=1000000] [postings=100000] [radius_km=2]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_NAME "bench_match"
#include "bench_util.h"
#include "korea_points.h"

/* The Korea-like mix, seeded. */
static korea_rng rng = {42};
static korea_mix mix;

static nj_registry *build(size_t residents, size_t postings, double radius_m,
                          double *build_s)
{
    nj_registry *reg;
    double t0 = bench_now_s();
    bench_check(nj_registry_create(&reg), NULL, "create");
    for (size_t i = 0; i < residents; i++) {
        double lat, lon;
        korea_point(&rng, &mix, &lat, &lon);
        bench_check(nj_participant_add(reg, (int64_t)i + 1, 19600101 + (int32_t)(i % 40) * 10000,
                                       0, lat, lon, 20250101, 0, NULL), reg, "participant");
    }
    /* Five postings per facility, as libraries and centres post several. */
    for (size_t p = 0; p < postings; p++) {
        int64_t facility = (int64_t)(p / 5) + 1;
        if (p % 5 == 0) {
            double lat, lon;
            korea_point(&rng, &mix, &lat, &lon);
            bench_check(nj_facility_add(reg, facility, NJ_FACILITY_LIBRARY, "facility", lat, lon,
                                        0, NULL), reg, "facility");
        }
        nj_posting *posting;
        bench_check(nj_posting_add(reg, (int64_t)p + 1, facility, "job", 3, &posting), reg, "posting");
        bench_check(nj_posting_set_radius_m(reg, posting, radius_m), reg, "radius");
    }
    *build_s = bench_now_s() - t0;
    return reg;
}

/* Baseline: the raw radius query for every posting, rows counted only. */
static double raw_queries(const nj_registry *reg, size_t *pairs)
{
    double t0 = bench_now_s();
    *pairs = 0;
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        const nj_facility *f = nj_facility_get(reg, nj_posting_facility_id(p));
        nj_matches *m;
        bench_check(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, nj_facility_lat(f),
                                    nj_facility_lon(f), nj_posting_radius_m(p),
                                    NJ_ORDER_DISTANCE, 0, &m), reg, "query");
        *pairs += nj_matches_count(m);
        nj_matches_destroy(m);
    }
    return bench_now_s() - t0;
}

int main(int argc, char **argv)
{
    size_t residents = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t postings = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    double radius_km = argc > 3 ? atof(argv[3]) : 2.0;
    double build_s;
    korea_mix_init(&mix, &rng);
    nj_registry *reg = build(residents, postings, radius_km * 1000, &build_s);
    size_t raw_pairs;
    double raw_s = raw_queries(reg, &raw_pairs);
    double one_s = 0;
    for (uint32_t threads = 1; threads <= 2; threads++) {
        nj_matches *m;
        double t0 = bench_now_s();
        bench_check(nj_match_batch(reg, 20250301, 0, 0, 0, threads, &m), reg, "batch");
        double s = bench_now_s() - t0;
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
