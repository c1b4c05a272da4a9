/*
 * Radius queries and the matcher through the public API: exactness against
 * a brute-force scan, eligibility rules, batch determinism across thread
 * counts, concurrent readers, and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static double next_unit(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*seed >> 11) / 9007199254740992.0;
}

static void distance_is_haversine_on_the_iugg_sphere(void **state)
{
    (void)state;
    double d;
    /* One degree of the equator: 6 371 008.8 m * pi / 180. */
    assert_int_equal(nj_distance(0, 0, 0, 1, &d), NJ_OK);
    assert_float_equal(d, 111195.0802335329, 1e-6);
    /* Across the antimeridian, the same. */
    assert_int_equal(nj_distance(0, 179.5, 0, -179.5, &d), NJ_OK);
    assert_float_equal(d, 111195.0802335332, 1e-6);
    /* Seoul City Hall to Gwangju City Hall. */
    assert_int_equal(nj_distance(37.5663, 126.9779, 35.1601, 126.8514, &d), NJ_OK);
    assert_float_equal(d, 267797.17124472954, 1e-5);
    /* Pole to pole: half the circumference. */
    assert_int_equal(nj_distance(90, 0, -90, 0, &d), NJ_OK);
    assert_float_equal(d, 20015114.442035925, 1e-4);
    assert_int_equal(nj_distance(35, 126, 35, 126, &d), NJ_OK);
    assert_true(d == 0.0);
    assert_int_equal(nj_distance(NAN, 0, 0, 0, &d), NJ_E_RANGE);
    assert_int_equal(nj_distance(0, 0, 0, 180.5, &d), NJ_E_RANGE);
    assert_int_equal(nj_distance(0, 0, 0, 0, NULL), NJ_E_INVALID);
}

/* N seeded participants around Gwangsan-gu, some sharing a home. */
static nj_registry *residents(size_t n, uint64_t seed)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    for (size_t i = 0; i < n; i++) {
        double lat = 35.10 + 0.12 * next_unit(&seed);
        double lon = 126.70 + 0.15 * next_unit(&seed);
        if (i % 17 == 5) { /* a duplicate home */
            const nj_participant *prev = nj_participant_at(reg, i - 1);
            lat = nj_participant_lat(prev);
            lon = nj_participant_lon(prev);
        }
        assert_int_equal(nj_participant_add(reg, (int64_t)(i + 1), 19700101, 0,
                                            lat, lon, 20230101, 0, NULL), NJ_OK);
    }
    return reg;
}

/* Brute force: every participant within r, as a sorted id list. */
static size_t brute_within(const nj_registry *reg, double lat, double lon,
                           double r, int64_t *ids)
{
    size_t n = 0;
    for (size_t i = 0; i < nj_participant_count(reg); i++) {
        const nj_participant *p = nj_participant_at(reg, i);
        double d;
        assert_int_equal(nj_distance(lat, lon, nj_participant_lat(p),
                                     nj_participant_lon(p), &d), NJ_OK);
        if (d <= r)
            ids[n++] = nj_participant_id(p);
    }
    return n;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void assert_matches_brute(const nj_registry *reg, double lat, double lon,
                                 double r)
{
    size_t n = nj_participant_count(reg);
    int64_t *expected = malloc((n + 1) * sizeof *expected);
    int64_t *got = malloc((n + 1) * sizeof *got);
    assert_non_null(expected);
    assert_non_null(got);
    size_t n_expected = brute_within(reg, lat, lon, r, expected);
    nj_matches *m;
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                     NJ_ORDER_NONE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), n_expected);
    for (size_t i = 0; i < n_expected; i++) {
        got[i] = nj_matches_id(m, i);
        const nj_participant *p = nj_participant_get(reg, got[i]);
        double d;
        nj_distance(lat, lon, nj_participant_lat(p), nj_participant_lon(p), &d);
        assert_float_equal(nj_matches_distance_m(m, i), d, 1e-6);
        assert_int_equal(nj_matches_source_id(m, i), 0);
    }
    qsort(expected, n_expected, sizeof *expected, compare_i64);
    qsort(got, n_expected, sizeof *got, compare_i64);
    assert_memory_equal(expected, got, n_expected * sizeof *got);
    nj_matches_destroy(m);
    free(expected);
    free(got);
}

static void radius_query_equals_brute_force(void **state)
{
    (void)state;
    nj_registry *reg = residents(3000, 7);
    uint64_t seed = 11;
    for (int q = 0; q < 400; q++) {
        double lat = 35.08 + 0.16 * next_unit(&seed);
        double lon = 126.68 + 0.19 * next_unit(&seed);
        double r = 3000 * next_unit(&seed);
        if (q % 4 == 0) {
            /* Exactly at the distance of some resident, and 1 mm either side. */
            const nj_participant *p = nj_participant_at(reg, (size_t)q % 3000);
            nj_distance(lat, lon, nj_participant_lat(p), nj_participant_lon(p), &r);
            assert_matches_brute(reg, lat, lon, r + 0.001);
            assert_matches_brute(reg, lat, lon, r - 0.001);
        }
        assert_matches_brute(reg, lat, lon, r);
    }
    /* r = 0 at a shared home finds both residents. */
    const nj_participant *dup = nj_participant_get(reg, 6);
    assert_matches_brute(reg, nj_participant_lat(dup), nj_participant_lon(dup), 0.0);
    nj_matches *m;
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, nj_participant_lat(dup),
                                     nj_participant_lon(dup), 0.0, NJ_ORDER_DISTANCE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 2);
    assert_int_equal(nj_matches_id(m, 0), 5);
    assert_int_equal(nj_matches_id(m, 1), 6);
    nj_matches_destroy(m);
    /* A radius larger than the Earth finds everyone, from anywhere. */
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, -35.0, -53.0, 3e7,
                                     NJ_ORDER_NONE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 3000);
    nj_matches_destroy(m);
    nj_registry_destroy(reg);
}

static void sorted_limited_and_buffered_queries(void **state)
{
    (void)state;
    nj_registry *reg = residents(2000, 3);
    double lat = 35.16, lon = 126.78, r = 2500;
    nj_matches *all, *near;
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                     NJ_ORDER_DISTANCE, 0, &all), NJ_OK);
    size_t n = nj_matches_count(all);
    assert_true(n > 100);
    for (size_t i = 1; i < n; i++) {
        double a = nj_matches_distance_m(all, i - 1), b = nj_matches_distance_m(all, i);
        assert_true(a < b || (a == b && nj_matches_id(all, i - 1) < nj_matches_id(all, i)));
    }
    /* The 10 nearest are the first 10 of the sorted list. */
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                     NJ_ORDER_NONE, 10, &near), NJ_OK);
    assert_int_equal(nj_matches_count(near), 10);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(nj_matches_id(near, i), nj_matches_id(all, i));
    nj_matches_destroy(near);

    int64_t ids[4096];
    double dist[4096];
    size_t count = 0;
    assert_int_equal(nj_query_radius_into(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                          NJ_ORDER_DISTANCE, 0, ids, dist, 5, &count),
                     NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(count, n);
    assert_int_equal(nj_query_radius_into(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                          NJ_ORDER_DISTANCE, 0, NULL, NULL, 0, &count),
                     NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(count, n);
    assert_int_equal(nj_query_radius_into(reg, NJ_MATCH_PARTICIPANTS, lat, lon, r,
                                          NJ_ORDER_DISTANCE, 0, ids, dist, 4096, &count),
                     NJ_OK);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ids[i], nj_matches_id(all, i));
        assert_true(dist[i] == nj_matches_distance_m(all, i));
    }
    /* Out-of-range accessors. */
    assert_int_equal(nj_matches_id(all, n), 0);
    assert_true(isnan(nj_matches_distance_m(all, n)));
    assert_int_equal(nj_matches_source_id(all, n), 0);
    assert_int_equal(nj_matches_count(NULL), 0);
    nj_matches_destroy(NULL);
    /* The handle owns its rows: it outlives the registry. */
    nj_registry_destroy(reg);
    assert_int_equal(nj_matches_count(all), n);
    assert_true(nj_matches_distance_m(all, 0) <= r);
    nj_matches_destroy(all);
}

static void query_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = residents(10, 1);
    nj_matches *m = (nj_matches *)reg;
    size_t count;
    assert_int_equal(nj_query_radius(reg, 3, 35, 126, 1, 0, 0, &m), NJ_E_INVALID);
    assert_null(m);
    assert_int_equal(nj_query_radius(reg, 1, 35, 126, 1, 2, 0, &m), NJ_E_INVALID);
    assert_int_equal(nj_query_radius(reg, 1, NAN, 126, 1, 0, 0, &m), NJ_E_RANGE);
    assert_int_equal(nj_query_radius(reg, 1, 35, INFINITY, 1, 0, 0, &m), NJ_E_RANGE);
    assert_int_equal(nj_query_radius(reg, 1, 90.5, 126, 1, 0, 0, &m), NJ_E_RANGE);
    assert_int_equal(nj_query_radius(reg, 1, 35, 126, -1, 0, 0, &m), NJ_E_RANGE);
    assert_int_equal(nj_query_radius(reg, 1, 35, 126, NAN, 0, 0, &m), NJ_E_RANGE);
    assert_null(m);
    assert_int_equal(nj_query_radius(NULL, 1, 35, 126, 1, 0, 0, &m), NJ_E_INVALID);
    assert_int_equal(nj_query_radius(reg, 1, 35, 126, 1, 0, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_query_radius_into(reg, 1, 35, 126, 1, 0, 0, NULL, NULL, 3, &count),
                     NJ_E_INVALID);
    assert_int_equal(nj_query_radius_into(reg, 1, 35, 126, -2, 0, 0, NULL, NULL, 0, &count),
                     NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "");
    nj_registry_destroy(reg);
}

/* The index follows interleaved adds, moves and removes. */
static void index_follows_updates(void **state)
{
    (void)state;
    nj_registry *reg = residents(1500, 5);
    uint64_t seed = 17;
    int64_t next_id = 1501;
    for (int round = 0; round < 30; round++) {
        for (int k = 0; k < 60; k++) {
            double pick = next_unit(&seed);
            size_t n = nj_participant_count(reg);
            nj_participant *p = nj_participant_at(reg, (size_t)(next_unit(&seed) * (double)n));
            double lat = 35.10 + 0.12 * next_unit(&seed);
            double lon = 126.70 + 0.15 * next_unit(&seed);
            if (pick < 0.4)
                assert_int_equal(nj_participant_add(reg, next_id++, 19800101, 0, lat, lon,
                                                    20230101, 0, NULL), NJ_OK);
            else if (pick < 0.7)
                assert_int_equal(nj_participant_set_home(reg, p, lat, lon, 20230601), NJ_OK);
            else
                assert_int_equal(nj_participant_remove(reg, nj_participant_id(p)), NJ_OK);
        }
        double lat = 35.10 + 0.12 * next_unit(&seed);
        double lon = 126.70 + 0.15 * next_unit(&seed);
        assert_matches_brute(reg, lat, lon, 1500 + 2000 * next_unit(&seed));
    }
    nj_registry_destroy(reg);
}

/* Two libraries with postings; residents at known places. */
typedef struct scene {
    nj_registry *reg;
} scene;

static nj_registry *library_scene(void)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    /* 신가도서관 and 운남어린이도서관 (real coordinates). */
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 2, NJ_FACILITY_LIBRARY, "운남어린이도서관",
                                     35.1732666, 126.8218974, 0, NULL), NJ_OK);
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 10, 1, "도서 정리", 2, &p), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 11, 1, "북스타트 도우미", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 20, 2, "어린이 열람실", 3, &p), NJ_OK);
    /* Resident 1 lives at 광산구청; resident 2 beside 신가도서관. */
    assert_int_equal(nj_participant_add(reg, 1, 19630515, 0, 35.1395, 126.7937,
                                        20230301, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 2, 19990101, 0, 35.1830, 126.8280,
                                        20230301, 0, NULL), NJ_OK);
    return reg;
}

static void postings_share_their_facility_location(void **state)
{
    (void)state;
    nj_registry *reg = library_scene();
    nj_matches *m;
    /* 광산구청 -> 신가도서관 is 5 716.3 m (hand-checked haversine). */
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_POSTINGS, 35.1395, 126.7937, 5716.33,
                                     NJ_ORDER_DISTANCE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 3);
    assert_int_equal(nj_matches_id(m, 0), 20); /* 운남 is nearer */
    assert_int_equal(nj_matches_id(m, 1), 10);
    assert_int_equal(nj_matches_id(m, 2), 11);
    assert_float_equal(nj_matches_distance_m(m, 1), 5716.3249259520835, 1e-6);
    assert_true(nj_matches_distance_m(m, 1) == nj_matches_distance_m(m, 2));
    nj_matches_destroy(m);
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_POSTINGS, 35.1395, 126.7937, 5716.32,
                                     NJ_ORDER_DISTANCE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 1);
    nj_matches_destroy(m);
    /* Moving a facility moves its postings; removing postings drops them. */
    assert_int_equal(nj_facility_set_location(reg, nj_facility_get(reg, 2), 35.0, 126.0), NJ_OK);
    assert_int_equal(nj_posting_remove(reg, 10), NJ_OK);
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_POSTINGS, 35.1395, 126.7937, 6000,
                                     NJ_ORDER_DISTANCE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 1);
    assert_int_equal(nj_matches_id(m, 0), 11);
    nj_matches_destroy(m);
    nj_registry_destroy(reg);
}

static int64_t single_match(const nj_registry *reg, int64_t participant, int32_t date)
{
    nj_matches *m;
    assert_int_equal(nj_match_for_participant(reg, participant, 10000, date, 0, &m), NJ_OK);
    int64_t found = 0;
    for (size_t i = 0; i < nj_matches_count(m); i++)
        if (nj_matches_id(m, i) == 10)
            found = 10;
    assert_true(nj_matches_count(m) == 0 || nj_matches_source_id(m, 0) == participant);
    nj_matches_destroy(m);
    return found;
}

static void eligibility_rules(void **state)
{
    (void)state;
    nj_registry *reg = library_scene();
    nj_posting *p = nj_posting_get(reg, 10);
    /* Age on the work start date: resident 1 turns 60 on 2023-05-15. */
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230515, 20230731), NJ_OK);
    assert_int_equal(nj_posting_set_age_range(reg, p, 60, 64), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230301), 10);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230514, 20230731), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230301), 0);
    /* Without a work period the query date counts. */
    assert_int_equal(nj_posting_set_work_period(reg, p, 0, 0), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230514), 0);
    assert_int_equal(single_match(reg, 1, 20230515), 10);
    assert_int_equal(nj_posting_set_age_range(reg, p, 0, 150), NJ_OK);
    /* The application window is inclusive. */
    assert_int_equal(nj_posting_set_application_window(reg, p, 20230220, 20230224), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230219), 0);
    assert_int_equal(single_match(reg, 1, 20230220), 10);
    assert_int_equal(single_match(reg, 1, 20230224), 10);
    assert_int_equal(single_match(reg, 1, 20230225), 0);
    assert_int_equal(nj_posting_set_application_window(reg, p, 0, 0), NJ_OK);
    /* Foreign residents. */
    assert_int_equal(nj_participant_set_foreign(reg, nj_participant_get(reg, 1), 1), NJ_OK);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 0), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230301), 0);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 1), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230301), 10);
    /* Closed postings match nobody. */
    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_CLOSED), NJ_OK);
    assert_int_equal(single_match(reg, 1, 20230301), 0);
    nj_matches *m;
    assert_int_equal(nj_match_for_posting(reg, 10, 20230301, 0, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 0);
    nj_matches_destroy(m);
    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_OPEN), NJ_OK);
    /* The participant's radius is the participant's choice. */
    assert_int_equal(nj_match_for_participant(reg, 1, 5716.32, 20230301, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 1);
    assert_int_equal(nj_matches_id(m, 0), 20);
    nj_matches_destroy(m);
    /* No posting at all within the radius: an empty result (nothing to
     * sort; UBSan once caught qsort(NULL, 0) here). */
    assert_int_equal(nj_match_for_participant(reg, 1, 1.0, 20230301, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 0);
    nj_matches_destroy(m);
    const nj_participant *home = nj_participant_get(reg, 1);
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_POSTINGS, nj_participant_lat(home),
                                     nj_participant_lon(home), 1.0, NJ_ORDER_DISTANCE,
                                     0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 0);
    nj_matches_destroy(m);
    nj_registry_destroy(reg);
}

/* The rules of docs/matching.md, from the public getters alone. */
static int oracle_eligible(const nj_registry *reg, const nj_participant *p,
                           const nj_posting *posting, int32_t date)
{
    int32_t on = nj_posting_work_start(posting) ? nj_posting_work_start(posting) : date;
    int32_t age;
    if (nj_participant_age_on(p, on, &age) != NJ_OK || age < nj_posting_min_age(posting) ||
        age > nj_posting_max_age(posting))
        return 0;
    if (nj_participant_is_foreign(p) && !nj_posting_foreign_allowed(posting))
        return 0;
    int64_t want = nj_posting_residency_region_id(posting);
    if (want == 0)
        return 1;
    for (int64_t r = nj_participant_region_id(p); r != 0;
         r = nj_region_parent_id(nj_region_get(reg, r)))
        if (r == want)
            return 1;
    return 0;
}

/* Every open posting's matches equal the oracle's: within the radius and
 * eligible, nearest first. */
static void expect_postings_match_oracle(const nj_registry *reg, int32_t date)
{
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *posting = nj_posting_at(reg, i);
        const nj_facility *f = nj_facility_get(reg, nj_posting_facility_id(posting));
        nj_matches *m;
        size_t want = 0;
        assert_int_equal(nj_match_for_posting(reg, nj_posting_id(posting), date, 0, 0, &m), NJ_OK);
        for (size_t k = 0; k < nj_participant_count(reg); k++) {
            const nj_participant *p = nj_participant_at(reg, k);
            double d;
            assert_int_equal(nj_distance(nj_facility_lat(f), nj_facility_lon(f),
                                         nj_participant_lat(p), nj_participant_lon(p), &d), NJ_OK);
            want += d <= nj_posting_radius_m(posting) && oracle_eligible(reg, p, posting, date);
        }
        assert_int_equal(nj_matches_count(m), want);
        for (size_t k = 0; k < nj_matches_count(m); k++) {
            const nj_participant *p = nj_participant_get(reg, nj_matches_id(m, k));
            assert_non_null(p);
            assert_true(oracle_eligible(reg, p, posting, date));
            if (k > 0)
                assert_true(nj_matches_distance_m(m, k - 1) <= nj_matches_distance_m(m, k));
        }
        nj_matches_destroy(m);
    }
}

/*
 * The matcher reads eligibility from compact copies kept in the spatial
 * index (birth date, foreign flag, region code). Against the rules on the
 * objects: random residents and postings, birthdays on 29 February and on
 * the work start's day, regions three levels deep, and the copies after
 * every kind of change (birth date, flag, region, home, a removed region
 * whose code a new one reuses).
 */
static void eligibility_copies_follow_the_objects(void **state)
{
    (void)state;
    nj_registry *reg;
    uint64_t seed = 77;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 1, 1, 0, "도", NULL), NJ_OK);
    for (int64_t d = 0; d < 3; d++) {
        assert_int_equal(nj_region_add(reg, 10 + d, 2, 1, "구", NULL), NJ_OK);
        for (int64_t n = 0; n < 3; n++)
            assert_int_equal(nj_region_add(reg, 100 + 10 * d + n, 3, 10 + d, "동", NULL), NJ_OK);
    }
    static const int32_t births[] = {19600229, 19600301, 19630515, 19630514, 19630516,
                                     19620515, 19620516, 19590228, 19590301};
    static const int64_t homes[] = {0, 1, 10, 11, 12, 100, 101, 112, 122};
    for (int64_t i = 1; i <= 600; i++) {
        double lat = 35.15 + 0.01 * next_unit(&seed), lon = 126.85 + 0.01 * next_unit(&seed);
        int32_t birth = births[(size_t)(next_unit(&seed) * 9)];
        assert_int_equal(nj_participant_add(reg, i, birth, next_unit(&seed) < 0.2, lat, lon,
                                            20230101, homes[(size_t)(next_unit(&seed) * 9)],
                                            NULL), NJ_OK);
    }
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "도서관", 35.155, 126.855,
                                     0, NULL), NJ_OK);
    static const int32_t starts[] = {0, 20230515, 20240229, 20230301};
    /* Postings 1-4: work start, age range with birthdays on the bounds. */
    static const int32_t bounds[4][3] = {{20230515, 60, 60}, {20240229, 64, 64},
                                         {20230301, 63, 63}, {0, 59, 61}};
    static const int64_t residency[] = {0, 1, 10, 11, 101, 122};
    for (int64_t i = 1; i <= 24; i++) {
        nj_posting *p;
        int32_t lo = (int32_t)(next_unit(&seed) * 65);
        assert_int_equal(nj_posting_add(reg, i, 1, "일", 1, &p), NJ_OK);
        assert_int_equal(nj_posting_set_radius_m(reg, p, 300 + 600 * next_unit(&seed)), NJ_OK);
        int32_t start = i <= 4 ? bounds[i - 1][0] : starts[i % 4];
        assert_int_equal(nj_posting_set_work_period(reg, p, start, start ? start + 100 : 0), NJ_OK);
        assert_int_equal(nj_posting_set_age_range(reg, p, i <= 4 ? bounds[i - 1][1] : lo,
                                                  i <= 4 ? bounds[i - 1][2]
                                                         : lo + (int32_t)(next_unit(&seed) * 10)),
                         NJ_OK);
        assert_int_equal(nj_posting_set_residency_region(reg, p, residency[i % 6]), NJ_OK);
        assert_int_equal(nj_posting_set_foreign_allowed(reg, p, (i / 6) % 2), NJ_OK);
    }
    expect_postings_match_oracle(reg, 20230301);
    expect_postings_match_oracle(reg, 20240229);
    for (int64_t i = 1; i <= 600; i += 5) {
        nj_participant *p = nj_participant_get(reg, i);
        assert_int_equal(nj_participant_set_birth_date(reg, p, births[(size_t)i % 9]), NJ_OK);
        assert_int_equal(nj_participant_set_foreign(reg, p, !nj_participant_is_foreign(p)), NJ_OK);
        assert_int_equal(nj_participant_set_region(reg, p, homes[(size_t)i % 9]), NJ_OK);
        assert_int_equal(nj_participant_set_home(reg, p, 35.15 + 0.01 * next_unit(&seed),
                                                 126.85 + 0.01 * next_unit(&seed), 20230201),
                         NJ_OK);
    }
    /* A new district takes the code of a removed one: residents of the
     * old one have moved out first. */
    assert_int_equal(nj_region_add(reg, 13, 2, 1, "새 구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 130, 3, 13, "새 동", NULL), NJ_OK);
    for (int64_t i = 1; i <= 600; i++) {
        nj_participant *p = nj_participant_get(reg, i);
        if (nj_participant_region_id(p) == 112)
            assert_int_equal(nj_participant_set_region(reg, p, 130), NJ_OK);
    }
    for (int64_t i = 1; i <= 24; i++)
        if (nj_posting_residency_region_id(nj_posting_get(reg, i)) == 122)
            assert_int_equal(nj_posting_set_residency_region(reg, nj_posting_get(reg, i), 13),
                             NJ_OK);
    assert_int_equal(nj_region_remove(reg, 112), NJ_OK);
    assert_int_equal(nj_region_add(reg, 131, 3, 10, "다른 동", NULL), NJ_OK);
    for (int64_t i = 3; i <= 600; i += 7)
        assert_int_equal(nj_participant_set_region(reg, nj_participant_get(reg, i), 131), NJ_OK);
    expect_postings_match_oracle(reg, 20230301);
    nj_registry_destroy(reg);
}

/* Residency on the real Gwangsan-gu neighbourhoods: a posting for
 * Gwangsan-gu residents (29200) takes a resident of 송정1동 and not one of
 * 치평동 (서구), though both live within its radius. */
static void residency_on_real_neighbourhoods(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    size_t regions = 0;
    assert_int_equal(nj_geojson_import_regions_file(reg, NJ_TEST_DATA_DIR "/admdong_gwangju_all.geojson",
                                                    &regions), NJ_OK);
    /* The city, its 5 districts and 96 dongs. */
    assert_int_equal(regions, 1 + 5 + 96);
    /* 광산구청, on the Gwangsan side; the posting restricted to 광산구. */
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_COMMUNITY_SERVICE_CENTRE, "광산구청",
                                     35.1395, 126.7937, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_region_id(nj_facility_get(reg, 1)), 2920052500);
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 1, 1, "민원 안내", 5, &p), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 8000), NJ_OK);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 29200), NJ_OK);
    /* 송정공원로 (어룡동, 광산구) and 광주광역시청 (치평동, 서구): 5.9 km away. */
    assert_int_equal(nj_participant_add(reg, 1, 19700101, 0, 35.1450, 126.7995, 20230301, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 2, 19700101, 0, 35.1601, 126.8514, 20230301, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_region_id(nj_participant_get(reg, 1)), 2920056500);
    assert_int_equal(nj_participant_region_id(nj_participant_get(reg, 2)), 2914074500);
    nj_matches *m;
    assert_int_equal(nj_query_radius(reg, NJ_MATCH_PARTICIPANTS, 35.1395, 126.7937, 8000,
                                     NJ_ORDER_DISTANCE, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 2);
    nj_matches_destroy(m);
    assert_int_equal(nj_match_for_posting(reg, 1, 20230301, 0, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 1);
    assert_int_equal(nj_matches_id(m, 0), 1);
    assert_int_equal(nj_matches_source_id(m, 0), 1);
    nj_matches_destroy(m);
    /* Restricting to the province admits both. */
    assert_int_equal(nj_posting_set_residency_region(reg, p, 29), NJ_OK);
    assert_int_equal(nj_match_for_posting(reg, 1, 20230301, 0, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 2);
    nj_matches_destroy(m);
    /* A region the caller set explicitly counts like a derived one. */
    assert_int_equal(nj_participant_add(reg, 3, 19700101, 0, 35.1400, 126.7940, 20230301, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_set_region(reg, nj_participant_get(reg, 3), 29200), NJ_OK);
    assert_int_equal(nj_match_for_posting(reg, 1, 20230301, 0, 0, &m), NJ_OK);
    assert_int_equal(nj_matches_count(m), 3);
    nj_matches_destroy(m);
    nj_registry_destroy(reg);
}

static void match_for_posting_nearest_first(void **state)
{
    (void)state;
    nj_registry *reg = residents(2000, 9);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 0, NULL), NJ_OK);
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 7, 1, "도서 정리", 3, &p), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 1500), NJ_OK);
    nj_matches *m, *top;
    assert_int_equal(nj_match_for_posting(reg, 7, 20230301, 0, 0, &m), NJ_OK);
    assert_int_equal(nj_match_for_posting(reg, 7, 20230301, 5, 0, &top), NJ_OK);
    assert_true(nj_matches_count(m) > 5);
    assert_int_equal(nj_matches_count(top), 5);
    for (size_t i = 0; i < nj_matches_count(m); i++) {
        assert_true(nj_matches_distance_m(m, i) <= 1500);
        if (i > 0)
            assert_true(nj_matches_distance_m(m, i - 1) <= nj_matches_distance_m(m, i));
        if (i < 5)
            assert_int_equal(nj_matches_id(top, i), nj_matches_id(m, i));
    }
    nj_matches_destroy(m);
    nj_matches_destroy(top);
    assert_int_equal(nj_match_for_posting(reg, 8, 20230301, 0, 0, &m), NJ_E_NOT_FOUND);
    assert_int_equal(nj_match_for_posting(reg, 7, 20230230, 0, 0, &m), NJ_E_INVALID);
    assert_int_equal(nj_match_for_posting(reg, 7, 20230301, 0, 2, &m), NJ_E_UNSUPPORTED);
    assert_int_equal(nj_match_for_posting(NULL, 7, 20230301, 0, 0, &m), NJ_E_INVALID);
    assert_int_equal(nj_match_for_participant(reg, 99999, 100, 20230301, 0, &m), NJ_E_NOT_FOUND);
    assert_int_equal(nj_match_for_participant(reg, 1, -1, 20230301, 0, &m), NJ_E_RANGE);
    assert_int_equal(nj_match_for_participant(reg, 1, 100, 2023, 0, &m), NJ_E_INVALID);
    assert_null(m);
    nj_registry_destroy(reg);
}

/* A city: residents and postings at random facilities. */
static nj_registry *city(size_t residents_n, size_t facilities_n)
{
    nj_registry *reg = residents(residents_n, 21);
    uint64_t seed = 23;
    int64_t posting_id = 1;
    for (size_t f = 1; f <= facilities_n; f++) {
        double lat = 35.10 + 0.12 * next_unit(&seed);
        double lon = 126.70 + 0.15 * next_unit(&seed);
        assert_int_equal(nj_facility_add(reg, (int64_t)f, 1 + (int32_t)(f % 7), "시설",
                                         lat, lon, 0, NULL), NJ_OK);
        for (int k = 0; k < 3; k++) {
            nj_posting *p;
            assert_int_equal(nj_posting_add(reg, posting_id++, (int64_t)f, "일자리", 2, &p), NJ_OK);
            assert_int_equal(nj_posting_set_radius_m(reg, p, 500 + 500 * k), NJ_OK);
            if (k == 2)
                assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_CLOSED), NJ_OK);
        }
    }
    return reg;
}

static void assert_same_matches(const nj_matches *a, const nj_matches *b)
{
    assert_int_equal(nj_matches_count(a), nj_matches_count(b));
    for (size_t i = 0; i < nj_matches_count(a); i++) {
        assert_int_equal(nj_matches_id(a, i), nj_matches_id(b, i));
        assert_int_equal(nj_matches_source_id(a, i), nj_matches_source_id(b, i));
        assert_true(nj_matches_distance_m(a, i) == nj_matches_distance_m(b, i));
    }
}

static void batch_equals_per_posting_and_any_thread_count(void **state)
{
    (void)state;
    nj_registry *reg = city(4000, 150);
    nj_matches *one, *two, *many;
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 1, &one), NJ_OK);
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 2, &two), NJ_OK);
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 7, &many), NJ_OK);
    assert_same_matches(one, two);
    assert_same_matches(one, many);
    /* Row by row, the batch is nj_match_for_posting over postings in order. */
    size_t row = 0;
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        nj_matches *m;
        int64_t id = nj_posting_id(nj_posting_at(reg, i));
        assert_int_equal(nj_match_for_posting(reg, id, 20230301, 0, 0, &m), NJ_OK);
        if (nj_posting_status(nj_posting_at(reg, i)) == NJ_POSTING_CLOSED)
            assert_int_equal(nj_matches_count(m), 0);
        for (size_t k = 0; k < nj_matches_count(m); k++, row++) {
            assert_int_equal(nj_matches_source_id(one, row), id);
            assert_int_equal(nj_matches_id(one, row), nj_matches_id(m, k));
        }
        nj_matches_destroy(m);
    }
    assert_int_equal(row, nj_matches_count(one));
    assert_true(row > 1000);
    /* Chunks of postings concatenate to the whole. */
    nj_matches *first, *rest;
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 200, 0, 2, &first), NJ_OK);
    assert_int_equal(nj_match_batch(reg, 20230301, 200, 0, 0, 2, &rest), NJ_OK);
    assert_int_equal(nj_matches_count(first) + nj_matches_count(rest), nj_matches_count(one));
    for (size_t i = 0; i < nj_matches_count(rest); i++)
        assert_int_equal(nj_matches_id(rest, i), nj_matches_id(one, nj_matches_count(first) + i));
    nj_matches_destroy(first);
    nj_matches_destroy(rest);
    /* Past the end: empty. Bad arguments: refused. */
    assert_int_equal(nj_match_batch(reg, 20230301, 100000, 0, 0, 1, &first), NJ_OK);
    assert_int_equal(nj_matches_count(first), 0);
    nj_matches_destroy(first);
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 65, &first), NJ_E_RANGE);
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 2, 1, &first), NJ_E_UNSUPPORTED);
    assert_int_equal(nj_match_batch(reg, 20231301, 0, 0, 0, 1, &first), NJ_E_INVALID);
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 1, NULL), NJ_E_INVALID);
    nj_matches_destroy(one);
    nj_matches_destroy(two);
    nj_matches_destroy(many);
    nj_registry_destroy(reg);
}

/* Read-only queries from several threads on an unchanged registry (run
 * under ThreadSanitizer in CI). */
typedef struct reader {
    const nj_registry *reg;
    const nj_matches *expected_batch;
    int failures;
} reader;

static void *read_concurrently(void *arg)
{
    reader *r = arg;
    for (int round = 0; round < 3; round++) {
        nj_matches *m;
        if (nj_match_batch(r->reg, 20230301, 0, 0, 0, 2, &m) != NJ_OK) {
            r->failures++;
            continue;
        }
        if (nj_matches_count(m) != nj_matches_count(r->expected_batch))
            r->failures++;
        nj_matches_destroy(m);
        nj_region *region;
        if (nj_region_locate(r->reg, 35.15, 126.8, &region) != NJ_E_NOT_FOUND)
            r->failures++;
        if (nj_query_radius(r->reg, NJ_MATCH_POSTINGS, 35.15, 126.78, 3000,
                            NJ_ORDER_DISTANCE, 5, &m) != NJ_OK)
            r->failures++;
        nj_matches_destroy(m);
    }
    return NULL;
}

static void concurrent_readers_agree(void **state)
{
    (void)state;
    nj_registry *reg = city(3000, 60);
    nj_matches *expected;
    assert_int_equal(nj_match_batch(reg, 20230301, 0, 0, 0, 1, &expected), NJ_OK);
    pthread_t threads[4];
    reader readers[4];
    for (int t = 0; t < 4; t++) {
        readers[t] = (reader){reg, expected, 0};
        assert_int_equal(pthread_create(&threads[t], NULL, read_concurrently, &readers[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        assert_int_equal(readers[t].failures, 0);
    }
    nj_matches_destroy(expected);
    nj_registry_destroy(reg);
}

/* Forty residents, a facility and a posting. */
static nj_registry *small_town(test_allocator *a)
{
    nj_registry *reg = test_registry_new(a);
    for (int64_t i = 1; i <= 40; i++)
        assert_int_equal(nj_participant_add(reg, i, 19800101, 0, 35.1 + 0.001 * (double)i,
                                            126.8, 20230101, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 1, 1, "f", 35.12, 126.8, 0, NULL), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 1, 1, "p", 1, NULL), NJ_OK);
    return reg;
}

static nj_status add_resident(nj_registry *reg)
{
    return nj_participant_add(reg, 99, 19800101, 0, 35.2, 126.9, 20230101, 0, NULL);
}

static nj_status move_resident(nj_registry *reg)
{
    return nj_participant_set_home(reg, nj_participant_get(reg, 3), 35.3, 126.9, 20230201);
}

static nj_status add_facility(nj_registry *reg)
{
    return nj_facility_add(reg, 2, 1, "g", 35.13, 126.8, 0, NULL);
}

static nj_status run_batch(nj_registry *reg)
{
    nj_matches *m = NULL;
    nj_status st = nj_match_batch(reg, 20230301, 0, 0, 0, 2, &m);
    if (st != NJ_OK)
        assert_null(m);
    nj_matches_destroy(m);
    return st;
}

/* Allocation failures in index updates change nothing and leak nothing;
 * in queries they return NJ_E_NOMEM and leak nothing. */
static void allocation_failures(void **state)
{
    (void)state;
    size_t injected = test_count_oom_failures(small_town, add_resident) +
                      test_count_oom_failures(small_town, move_resident) +
                      test_count_oom_failures(small_town, add_facility) +
                      test_count_oom_failures(small_town, run_batch);
    assert_true(injected >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distance_is_haversine_on_the_iugg_sphere),
        cmocka_unit_test(radius_query_equals_brute_force),
        cmocka_unit_test(sorted_limited_and_buffered_queries),
        cmocka_unit_test(query_rejects_bad_input),
        cmocka_unit_test(index_follows_updates),
        cmocka_unit_test(postings_share_their_facility_location),
        cmocka_unit_test(eligibility_rules),
        cmocka_unit_test(eligibility_copies_follow_the_objects),
        cmocka_unit_test(residency_on_real_neighbourhoods),
        cmocka_unit_test(match_for_posting_nearest_first),
        cmocka_unit_test(batch_equals_per_posting_and_any_thread_count),
        cmocka_unit_test(concurrent_readers_agree),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
