/*
 * The programme round of `nearjob demo` (docs/demo.md): postings at the 37
 * facilities, a seeded synthetic population, applications on the first
 * morning until the postings close early, the lottery, the work and its
 * stipend, and the year's targets.
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "demo_round.h"

/* The round's calendar (2023, the year of the real round). */
#define ROUND_YEAR 2023
#define VERIFIED_DAY 20230201
#define APPLY_DAY 20230301
#define APPLY_CLOSE 20230310
#define SELECT_DAY 20230311
#define WORK_START 20230315
#define WORK_END 20230630

/* 110 postings: 33 with 4 slots and 77 with 3, 363 in all. */
#define POSTINGS 110
#define HOURLY_KRW 11930  /* Gwangsan-gu's 2023 living wage per hour */
#define RADIUS_M 3000.0
#define EARLY_CLOSE_RATIO 7.0
#define WORK_DAY_MINUTES 240

/* Residents per neighbourhood of the district: a seeded number from
 * RESIDENTS_MIN to RESIDENTS_MAX; per other Gwangju neighbourhood, a few
 * (they can be in range of a posting but are not eligible). */
#define RESIDENTS_MIN 40
#define RESIDENTS_MAX 240
#define RESIDENTS_PER_OTHER_DONG 8
/* A resident applies to one of the nearest few open postings; one in
 * SECOND_APPLICATION_ODDS also applies to a second. */
#define CHOICES 5
#define SECOND_APPLICATION_ODDS 5
#define FOREIGN_PERCENT 8
#define POINT_TRIES 10000

static const int32_t minutes_per_person[] = {2400, 3600, 4800}; /* 40-80 h */

/* splitmix64: small, seedable, the same on every platform. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double next_unit(uint64_t *state)
{
    return (double)(next_random(state) >> 11) * 0x1.0p-53;
}

static int failed(const nj_registry *reg, const char *what, nj_status rc)
{
    fprintf(stderr, "nearjob: demo: %s: %s (%s)\n", what,
            nj_registry_errmsg(reg), nj_status_str(rc));
    return CLI_FAILED;
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ---- postings --------------------------------------------------------- */

static const char *posting_title(int32_t kind, int32_t type)
{
    if (type == NJ_PROGRAMME_EMPLOYMENT_SERVICES)
        return "구직 상담 안내 보조";
    switch (kind) {
    case NJ_FACILITY_LIBRARY: return "도서 정리·대출 보조";
    case NJ_FACILITY_WELFARE_CENTRE: return "급식·행사 지원";
    case NJ_FACILITY_CHILDRENS_CENTRE: return "아동 학습·돌봄 보조";
    default: return "시설 운영 보조";
    }
}

static nj_status configure_posting(nj_registry *reg, nj_posting *posting,
                                   int p, int32_t type)
{
    nj_status rc = nj_posting_set_programme_type(reg, posting, type);
    if (rc == NJ_OK)
        rc = nj_posting_set_minutes_per_person(reg, posting,
                                               minutes_per_person[p % 3]);
    if (rc == NJ_OK)
        rc = nj_posting_set_hourly_stipend_krw(reg, posting, HOURLY_KRW);
    if (rc == NJ_OK)
        rc = nj_posting_set_work_period(reg, posting, WORK_START, WORK_END);
    if (rc == NJ_OK)
        rc = nj_posting_set_application_window(reg, posting, APPLY_DAY, APPLY_CLOSE);
    if (rc == NJ_OK)
        rc = nj_posting_set_residency_region(reg, posting, DEMO_DISTRICT_ID);
    if (rc == NJ_OK)
        rc = nj_posting_set_radius_m(reg, posting, RADIUS_M);
    if (rc == NJ_OK)
        rc = nj_posting_set_early_close_ratio(reg, posting, EARLY_CLOSE_RATIO);
    return rc;
}

/* Posting p + 1 goes to the (p mod facilities)-th facility in id order. */
static int add_postings(nj_registry *reg)
{
    size_t n = nj_facility_count(reg);
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    int code = CLI_OK;

    if (!ids)
        return failed(reg, "postings", NJ_E_NOMEM);
    for (size_t i = 0; i < n; i++)
        ids[i] = nj_facility_id(nj_facility_at(reg, i));
    qsort(ids, n, sizeof *ids, compare_ids);
    for (int p = 0; p < POSTINGS && n > 0 && code == CLI_OK; p++) {
        const nj_facility *facility = nj_facility_get(reg, ids[(size_t)p % n]);
        int32_t type = p % 5 == 4 ? NJ_PROGRAMME_EMPLOYMENT_SERVICES
                                  : NJ_PROGRAMME_DIRECT_JOBS;
        nj_posting *posting = NULL;
        nj_status rc = nj_posting_add(reg, p + 1, nj_facility_id(facility),
                                      posting_title(nj_facility_kind(facility), type),
                                      p % 10 < 3 ? 4 : 3, &posting);
        if (rc == NJ_OK)
            rc = configure_posting(reg, posting, p, type);
        if (rc != NJ_OK)
            code = failed(reg, "adding a posting", rc);
    }
    free(ids);
    return code;
}

/* The round's own targets: the slots it plans, per programme type. */
static int set_round_targets(nj_registry *reg)
{
    int64_t planned[NJ_PROGRAMME_OTHER + 1] = {0};

    for (int64_t id = 1; id <= POSTINGS; id++) {
        const nj_posting *p = nj_posting_get(reg, id);
        planned[nj_posting_programme_type(p)] += nj_posting_slots(p);
    }
    for (int32_t type = 1; type <= NJ_PROGRAMME_OTHER; type++) {
        nj_status rc = planned[type] == 0 ? NJ_OK
                       : nj_target_set(reg, ROUND_YEAR, DEMO_DISTRICT_ID, type,
                                       planned[type]);
        if (rc != NJ_OK)
            return failed(reg, "setting the round's targets", rc);
    }
    return CLI_OK;
}

/* ---- residents -------------------------------------------------------- */

typedef struct population {
    int64_t *inside;  /* resident ids living in the district */
    size_t n_inside;
    int64_t *outside; /* elsewhere in the province */
    size_t n_outside;
} population;

/* A uniform random point of the region: rejection from its bounding box. */
static int random_point_in(const nj_region *region, uint64_t *rng,
                           double *lat, double *lon)
{
    double min_lat, min_lon, max_lat, max_lon;

    if (nj_region_bbox(region, &min_lat, &min_lon, &max_lat, &max_lon) != NJ_OK)
        return 0;
    for (int i = 0; i < POINT_TRIES; i++) {
        int inside = 0;
        *lat = min_lat + next_unit(rng) * (max_lat - min_lat);
        *lon = min_lon + next_unit(rng) * (max_lon - min_lon);
        if (nj_region_contains(region, *lat, *lon, &inside) == NJ_OK && inside)
            return 1;
    }
    return 0;
}

static nj_status add_resident(nj_registry *reg, int64_t id,
                              const nj_region *dong, uint64_t *rng)
{
    double lat, lon;
    int32_t born = (int32_t)(1940 + next_random(rng) % 64) * 10000 +
                   (int32_t)(1 + next_random(rng) % 12) * 100 +
                   (int32_t)(1 + next_random(rng) % 28);
    int foreign = next_random(rng) % 100 < FOREIGN_PERCENT;

    if (!random_point_in(dong, rng, &lat, &lon))
        return NJ_E_NOT_FOUND;
    return nj_participant_add(reg, id, born, foreign, lat, lon, VERIFIED_DAY,
                              nj_region_id(dong), NULL);
}

/* Sorted ids of the neighbourhoods with a boundary. */
static int64_t *neighbourhood_ids(const nj_registry *reg, size_t *n)
{
    int64_t *ids = malloc((nj_region_count(reg) + 1) * sizeof *ids);

    *n = 0;
    for (size_t i = 0; ids && i < nj_region_count(reg); i++) {
        const nj_region *r = nj_region_at(reg, i);
        size_t polygons = 0;
        if (nj_region_level(r) == NJ_REGION_NEIGHBOURHOOD &&
            nj_region_boundary_counts(r, &polygons, NULL, NULL) == NJ_OK &&
            polygons > 0)
            ids[(*n)++] = nj_region_id(r);
    }
    if (ids)
        qsort(ids, *n, sizeof *ids, compare_ids);
    return ids;
}

static int add_population(nj_registry *reg, uint64_t *rng, population *pop)
{
    size_t n_dongs;
    int64_t *dongs = neighbourhood_ids(reg, &n_dongs);
    const nj_region *district = nj_region_get(reg, DEMO_DISTRICT_ID);
    int64_t next_id = 1;
    int code = CLI_OK;

    pop->inside = malloc((n_dongs * RESIDENTS_MAX + 1) * sizeof *pop->inside);
    pop->outside = malloc((n_dongs * RESIDENTS_PER_OTHER_DONG + 1) * sizeof *pop->outside);
    if (!dongs || !pop->inside || !pop->outside)
        code = failed(reg, "residents", NJ_E_NOMEM);
    for (size_t d = 0; code == CLI_OK && d < n_dongs; d++) {
        const nj_region *dong = nj_region_get(reg, dongs[d]);
        int home = nj_region_is_within(dong, district);
        int count = RESIDENTS_PER_OTHER_DONG;
        if (home)
            count = RESIDENTS_MIN +
                    (int)(next_random(rng) % (RESIDENTS_MAX - RESIDENTS_MIN + 1));
        for (int k = 0; k < count && code == CLI_OK; k++, next_id++) {
            nj_status rc = add_resident(reg, next_id, dong, rng);
            if (rc != NJ_OK)
                code = failed(reg, "adding a resident", rc);
            else if (home)
                pop->inside[pop->n_inside++] = next_id;
            else
                pop->outside[pop->n_outside++] = next_id;
        }
    }
    free(dongs);
    return code;
}

/* Residents outside the district who live within a posting's radius. */
static size_t count_in_range(const nj_registry *reg, const population *pop)
{
    size_t found = 0;

    for (size_t i = 0; i < pop->n_outside; i++) {
        const nj_participant *p = nj_participant_get(reg, pop->outside[i]);
        size_t count = 0;
        nj_status rc = nj_query_radius_into(reg, NJ_MATCH_POSTINGS,
                                            nj_participant_lat(p),
                                            nj_participant_lon(p), RADIUS_M,
                                            NJ_ORDER_NONE, 1, NULL, NULL, 0,
                                            &count);
        /* capacity 0: a hit is reported as "buffer too small" */
        found += (rc == NJ_OK || rc == NJ_E_BUFFER_TOO_SMALL) && count > 0;
    }
    return found;
}

/* ---- the first morning ------------------------------------------------ */

static void shuffle(int64_t *ids, size_t n, uint64_t *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_random(rng) % i);
        int64_t t = ids[i - 1];
        ids[i - 1] = ids[j];
        ids[j] = t;
    }
}

/* The resident looks at the nearest open postings they may apply to and
 * picks one, sometimes two. */
static int apply_one(nj_registry *reg, int64_t who, uint64_t *rng)
{
    nj_matches *m = NULL;
    nj_status rc = nj_match_for_participant(reg, who, RADIUS_M, APPLY_DAY,
                                            CHOICES, &m);
    size_t n = nj_matches_count(m), first;

    if (rc != NJ_OK)
        return failed(reg, "matching", rc);
    if (n > 0) {
        first = (size_t)(next_random(rng) % n);
        rc = nj_application_submit(reg, who, nj_matches_id(m, first), APPLY_DAY);
        if (rc == NJ_OK && n > 1 && next_random(rng) % SECOND_APPLICATION_ODDS == 0)
            rc = nj_application_submit(reg, who,
                                       nj_matches_id(m, (first + 1 + next_random(rng) % (n - 1)) % n),
                                       APPLY_DAY);
    }
    nj_matches_destroy(m);
    return rc == NJ_OK ? CLI_OK : failed(reg, "applying", rc);
}

static int apply_day_one(nj_registry *reg, population *pop, uint64_t *rng)
{
    int code = CLI_OK;

    shuffle(pop->inside, pop->n_inside, rng);
    for (size_t i = 0; i < pop->n_inside && code == CLI_OK; i++)
        code = apply_one(reg, pop->inside[i], rng);
    return code;
}

static int select_all(nj_registry *reg, uint64_t seed)
{
    for (int64_t id = 1; id <= POSTINGS; id++) {
        uint64_t draw = seed ^ (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
        nj_status rc = nj_posting_select(reg, id, NJ_SELECT_LOTTERY, next_random(&draw),
                                         SELECT_DAY);
        if (rc != NJ_OK)
            return failed(reg, "selecting", rc);
    }
    return CLI_OK;
}

/* ---- work and stipend ------------------------------------------------- */

/* Days since 1970-01-01 of a YYYYMMDD date (H. Hinnant's algorithm). */
static int64_t days_from_date(int32_t date)
{
    int64_t y = date / 10000, m = date / 100 % 100, d = date % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int32_t date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return (int32_t)((yoe + era * 400 + (m <= 2)) * 10000 + m * 100 + d);
}

/* Four hours on each weekday from the work start until the posting's
 * hours per person are worked. */
static int record_placement(nj_registry *reg, const nj_posting *p, int64_t who,
                            int64_t *entry)
{
    int32_t left = nj_posting_minutes_per_person(p);
    int64_t day = days_from_date(nj_posting_work_start(p));

    for (; left > 0; day++) {
        if ((day + 3) % 7 >= 5) /* 1970-01-01 was a Thursday: skip Sat, Sun */
            continue;
        int32_t minutes = left < WORK_DAY_MINUTES ? left : WORK_DAY_MINUTES;
        nj_status rc = nj_work_record(reg, (*entry)++, who, nj_posting_id(p),
                                      date_from_days(day), minutes);
        if (rc != NJ_OK)
            return failed(reg, "recording work", rc);
        left -= minutes;
    }
    return CLI_OK;
}

static int record_work(nj_registry *reg, int64_t *entry, int64_t *placed)
{
    *placed = 0;
    for (int64_t id = 1; id <= POSTINGS; id++) {
        const nj_posting *p = nj_posting_get(reg, id);
        for (size_t k = 0; k < nj_posting_application_count(p); k++) {
            int64_t who;
            int32_t status;
            int code;
            nj_posting_application_at(p, k, &who, &status, NULL, NULL);
            if (status != NJ_APPLICATION_SELECTED)
                continue;
            ++*placed;
            if ((code = record_placement(reg, p, who, entry)) != CLI_OK)
                return code;
        }
    }
    return CLI_OK;
}

/* A posting the participant holds, or 0. */
static int64_t selected_posting(const nj_participant *who)
{
    for (size_t k = 0; k < nj_participant_application_count(who); k++) {
        int64_t posting;
        int32_t status;
        if (nj_participant_application_at(who, k, &posting, &status, NULL) == NJ_OK &&
            status == NJ_APPLICATION_SELECTED)
            return posting;
    }
    return 0;
}

/* The first resident (by id) whose paid hours reached the cap logs one more
 * minute on the last day of work: the ledger keeps it, unpaid. */
static int record_minute_past_cap(nj_registry *reg, int64_t entry,
                                  demo_round_info *info)
{
    for (int64_t id = 1; id <= (int64_t)nj_participant_count(reg); id++) {
        int64_t remaining = 1, worked = 0;
        int32_t paid_minutes;
        if (nj_stipend_statement(reg, id, WORK_START, &worked, NULL, NULL,
                                 &remaining, NULL) != NJ_OK ||
            worked == 0 || remaining > 0)
            continue;
        nj_status rc = nj_work_record(reg, entry, id,
                                      selected_posting(nj_participant_get(reg, id)),
                                      WORK_END, 1);
        if (rc == NJ_OK)
            rc = nj_work_entry(reg, entry, NULL, NULL, NULL, NULL, &paid_minutes,
                               &info->extra_paid_krw, NULL);
        if (rc != NJ_OK)
            return failed(reg, "recording a minute past the cap", rc);
        info->extra_participant = id;
        info->extra_over_cap = 1 - paid_minutes;
        return CLI_OK;
    }
    return CLI_OK;
}

int demo_round_run(nj_registry *reg, const char *dir, uint64_t seed,
                   demo_round_info *info)
{
    population pop = {0};
    uint64_t rng = seed;
    int64_t entry = 1, placed = 0;
    int code;

    memset(info, 0, sizeof *info);
    code = demo_load_regions(reg, dir);
    if (code == CLI_OK)
        code = demo_load_facilities(reg, dir, info);
    if (code == CLI_OK)
        code = add_postings(reg);
    if (code == CLI_OK)
        code = set_round_targets(reg);
    if (code == CLI_OK)
        code = add_population(reg, &rng, &pop);
    if (code == CLI_OK)
        code = apply_day_one(reg, &pop, &rng);
    if (code == CLI_OK)
        code = select_all(reg, seed);
    if (code == CLI_OK)
        code = record_work(reg, &entry, &placed);
    if (code == CLI_OK)
        code = record_minute_past_cap(reg, entry, info);
    if (code == CLI_OK)
        code = demo_load_targets(reg, dir, ROUND_YEAR, placed);
    info->residents_inside = pop.n_inside;
    info->residents_outside = pop.n_outside;
    if (code == CLI_OK)
        info->in_range_outside = count_in_range(reg, &pop);
    free(pop.inside);
    free(pop.outside);
    return code;
}
