/* Target-attainment statistics: inputs, computed figures against the real
 * programme's published numbers and an independent recount, merging, and
 * publication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nearjob.h"
#include "test_support.h"

enum { SEOUL = 11, GWANGJU = 29, GYEONGGI = 41, DONGJAK = 11590,
       GWANGSAN = 29200, GWANGMYEONG = 41210 };

static void add_real_regions(nj_registry *reg)
{
    assert_int_equal(nj_region_add(reg, SEOUL, NJ_REGION_PROVINCE, 0, "서울특별시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGJU, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, GYEONGGI, NJ_REGION_PROVINCE, 0, "경기도", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, DONGJAK, NJ_REGION_DISTRICT, SEOUL, "동작구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGSAN, NJ_REGION_DISTRICT, GWANGJU, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGMYEONG, NJ_REGION_DISTRICT, GYEONGGI, "광명시", NULL), NJ_OK);
}

static int64_t value_of(const nj_stats *s, int32_t year, int64_t region,
                        int32_t type, int32_t measure)
{
    size_t row;
    int64_t v;
    assert_int_equal(nj_stats_row_find(s, year, region, type, &row), NJ_OK);
    assert_int_equal(nj_stats_row_value(s, row, measure, &v), NJ_OK);
    return v;
}

/* ---- the real programme figures (../shared/data/targets_known.csv) ---- */

typedef struct published_figure {
    int64_t region;
    int32_t year, type, date;
    int64_t target, achieved;
    int64_t tenths_of_percent; /* the "attainment_pct_computed" column */
} published_figure;

/* Districts' target disclosures. Gwangmyeong 2024 is recorded by type; its
 * total comes from the roll-up (the district reported 100.4 %, truncated;
 * the half-up rule gives 100.5 %). */
static const published_figure figures[] = {
    {DONGJAK, 2019, NJ_PROGRAMME_ALL, 20191231, 14918, 16933, 1135},
    {DONGJAK, 2020, NJ_PROGRAMME_ALL, 20201231, 17100, 21028, 1230},
    {DONGJAK, 2021, NJ_PROGRAMME_ALL, 20211231, 17310, 22976, 1327},
    {DONGJAK, 2022, NJ_PROGRAMME_ALL, 20221231, 17450, 21665, 1242},
    {GWANGSAN, 2023, NJ_PROGRAMME_ALL, 20231231, 18032, 19833, 1100},
    {GWANGSAN, 2024, NJ_PROGRAMME_ALL, 20241231, 14707, 17400, 1183},
    {GWANGMYEONG, 2024, NJ_PROGRAMME_DIRECT_JOBS, 20240930, 6027, 6267, 1040},
    {GWANGMYEONG, 2024, NJ_PROGRAMME_VOCATIONAL_TRAINING, 20240930, 2495, 3049, 1222},
    {GWANGMYEONG, 2024, NJ_PROGRAMME_EMPLOYMENT_SERVICES, 20240930, 5224, 4464, 855},
    {GWANGMYEONG, 2024, NJ_PROGRAMME_OTHER, 20240930, 335, 369, 1101},
    {GWANGMYEONG, 2025, NJ_PROGRAMME_ALL, 20250630, 14724, 12199, 829},
};

static nj_registry *real_figures(void)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    add_real_regions(reg);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        const published_figure *f = &figures[i];
        assert_int_equal(nj_target_set(reg, f->year, f->region, f->type, f->target), NJ_OK);
        assert_int_equal(nj_actual_record(reg, (int64_t)i + 1, f->date, f->region,
                                          f->type, f->achieved), NJ_OK);
    }
    assert_int_equal(nj_target_set(reg, 2024, GWANGMYEONG, NJ_PROGRAMME_ALL, 14081), NJ_OK);
    return reg;
}

static void real_programme_figures(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20190101, 20251231, &s), NJ_OK);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        const published_figure *f = &figures[i];
        size_t row;
        int64_t num, den, tenths;
        assert_int_equal(nj_stats_row_find(s, f->year, f->region, f->type, &row), NJ_OK);
        assert_int_equal(nj_stats_row_ratio(s, row, NJ_RATIO_ATTAINMENT, &num, &den,
                                            &tenths), NJ_OK);
        assert_int_equal(num, f->achieved);
        assert_int_equal(den, f->target);
        assert_int_equal(tenths, f->tenths_of_percent);
        assert_int_equal(value_of(s, f->year, f->region, f->type, NJ_MEASURE_SURPLUS),
                         f->achieved - f->target);
    }
    /* Gwangmyeong's 2024 total: 6,267 + 3,049 + 4,464 + 369 = 14,149 of
     * 14,081 -> 100.48 % -> 100.5 %. */
    size_t row;
    int64_t tenths;
    assert_int_equal(nj_stats_row_find(s, 2024, GWANGMYEONG, NJ_PROGRAMME_ALL, &row), NJ_OK);
    assert_int_equal(nj_stats_row_ratio(s, row, NJ_RATIO_ATTAINMENT, NULL, NULL, &tenths), NJ_OK);
    assert_int_equal(tenths, 1005);
    assert_int_equal(value_of(s, 2024, GWANGMYEONG, NJ_PROGRAMME_ALL, NJ_MEASURE_ACHIEVED), 14149);
    /* Employment services fell short: 4,464 of 5,224. */
    assert_int_equal(value_of(s, 2024, GWANGMYEONG, NJ_PROGRAMME_EMPLOYMENT_SERVICES,
                              NJ_MEASURE_SURPLUS), -760);
    /* Provinces roll the districts up but have no target of their own. */
    assert_int_equal(value_of(s, 2022, SEOUL, NJ_PROGRAMME_ALL, NJ_MEASURE_ACHIEVED), 21665);
    assert_int_equal(value_of(s, 2022, SEOUL, NJ_PROGRAMME_ALL, NJ_MEASURE_HAS_TARGET), 0);
    assert_int_equal(nj_stats_row_find(s, 2022, SEOUL, NJ_PROGRAMME_ALL, &row), NJ_OK);
    assert_int_equal(nj_stats_row_ratio(s, row, NJ_RATIO_ATTAINMENT, NULL, NULL, &tenths),
                     NJ_E_RANGE);
    nj_stats_destroy(s);

    /* One year only: Gwangsan 2023, 110.0 %; 2024's rows are absent. */
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    assert_int_equal(value_of(s, 2023, GWANGSAN, NJ_PROGRAMME_ALL, NJ_MEASURE_ACHIEVED), 19833);
    assert_int_equal(nj_stats_row_find(s, 2024, GWANGSAN, NJ_PROGRAMME_ALL, &row), NJ_E_NOT_FOUND);
    assert_string_equal(nj_stats_region_name(s, GWANGSAN), "광산구");
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

/* ---- inputs ------------------------------------------------------------ */

static void targets_and_actuals_reject_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_target_set(reg, 0, DONGJAK, 0, 1), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "target: year 0 outside [1, 9999]");
    assert_int_equal(nj_target_set(reg, 2023, DONGJAK, 9, 1), NJ_E_INVALID);
    assert_int_equal(nj_target_set(reg, 2023, DONGJAK, 0, -1), NJ_E_RANGE);
    assert_int_equal(nj_target_set(reg, 2023, DONGJAK, 0, NJ_STATS_COUNT_MAX + 1), NJ_E_RANGE);
    assert_int_equal(nj_target_set(reg, 2023, 99999, 0, 1), NJ_E_NOT_FOUND);
    assert_int_equal(nj_target_remove(reg, 2023, DONGJAK, 0), NJ_E_NOT_FOUND);
    assert_int_equal(nj_actual_record(reg, 1, 20230101, DONGJAK, 0, 5), NJ_E_EXISTS);
    assert_string_equal(nj_registry_errmsg(reg), "recorded actual 1 exists");
    assert_int_equal(nj_actual_record(reg, 0, 20230101, DONGJAK, 0, 5), NJ_E_RANGE);
    assert_int_equal(nj_actual_record(reg, 100, 20230230, DONGJAK, 0, 5), NJ_E_INVALID);
    assert_int_equal(nj_actual_record(reg, 100, 20230101, DONGJAK, 0, 0), NJ_E_RANGE);
    assert_int_equal(nj_actual_record(reg, 100, 20230101, 4242, 0, 5), NJ_E_NOT_FOUND);
    assert_int_equal(nj_actual_remove(reg, 100), NJ_E_NOT_FOUND);
    /* A region with targets or recorded actuals cannot go. */
    assert_int_equal(nj_region_remove(reg, GWANGSAN), NJ_E_IN_USE);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* Exactly the cap is fine; a target is replaced in place. */
    assert_int_equal(nj_target_set(reg, 2023, DONGJAK, 0, NJ_STATS_COUNT_MAX), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2023, DONGJAK, 0, 17000), NJ_OK);
    int64_t target;
    assert_int_equal(nj_target_get(reg, 2023, DONGJAK, 0, &target), NJ_OK);
    assert_int_equal(target, 17000);
    assert_int_equal(nj_target_count(reg), 13);
    /* Listing order is (year, region, type). */
    int32_t year, type;
    int64_t region;
    assert_int_equal(nj_target_at(reg, 0, &year, &region, &type, &target), NJ_OK);
    assert_int_equal(year, 2019);
    assert_int_equal(region, DONGJAK);
    assert_int_equal(nj_target_at(reg, 13, NULL, NULL, NULL, NULL), NJ_E_NOT_FOUND);
    /* Removing every reference frees the region. */
    for (int64_t id = 1; id <= 11; id++)
        assert_int_equal(nj_actual_remove(reg, id), NJ_OK);
    assert_int_equal(nj_actual_count(reg), 0);
    assert_int_equal(nj_target_remove(reg, 2023, GWANGSAN, 0), NJ_OK);
    assert_int_equal(nj_target_remove(reg, 2024, GWANGSAN, 0), NJ_OK);
    assert_int_equal(nj_region_remove(reg, GWANGSAN), NJ_OK);
    nj_registry_destroy(reg);
}

/* ---- a first round shaped like the real one ----------------------------- */

static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

enum { NEIGHBOURHOODS = 21, FACILITIES = 37, POSTINGS = 110, RESIDENTS = 2300,
       FIRST_DAY = 20230301 };

/* Gwangsan-gu's 21 neighbourhoods, 37 facilities, 110 postings with 363
 * slots (77 x 3 + 33 x 4), residents applying on the first morning. */
static nj_registry *first_round(test_allocator *a, uint64_t seed)
{
    nj_registry *reg = a ? test_registry_new(a) : NULL;
    if (!a)
        assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGJU, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGSAN, NJ_REGION_DISTRICT, GWANGJU, "광산구", NULL), NJ_OK);
    for (int64_t n = 1; n <= NEIGHBOURHOODS; n++)
        assert_int_equal(nj_region_add(reg, 2920000000 + n * 1000, NJ_REGION_NEIGHBOURHOOD,
                                       GWANGSAN, "동", NULL), NJ_OK);
    for (int64_t f = 1; f <= FACILITIES; f++)
        assert_int_equal(nj_facility_add(reg, f, (int32_t)(1 + f % 7), "시설",
                                         35.1 + (double)f * 0.001, 126.8,
                                         2920000000 + (1 + f % NEIGHBOURHOODS) * 1000,
                                         NULL), NJ_OK);
    for (int64_t p = 0; p < POSTINGS; p++) {
        nj_posting *posting;
        assert_int_equal(nj_posting_add(reg, p + 1, 1 + p % FACILITIES, "일자리",
                                        p % 10 < 3 ? 4 : 3, &posting), NJ_OK);
        assert_int_equal(nj_posting_set_work_period(reg, posting, 20230315, 20230630), NJ_OK);
        assert_int_equal(nj_posting_set_application_window(reg, posting, FIRST_DAY, 20230310), NJ_OK);
        assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, posting, 11930), NJ_OK);
        if (p % 5 == 0)
            assert_int_equal(nj_posting_set_programme_type(
                reg, posting, NJ_PROGRAMME_EMPLOYMENT_SERVICES), NJ_OK);
    }
    for (int64_t r = 1; r <= RESIDENTS; r++) {
        int32_t born = (int32_t)(19400101 + (int64_t)(next_random(&seed) % 65) * 10000);
        int foreign = next_random(&seed) % 100 < 8;
        assert_int_equal(nj_participant_add(reg, r, born, foreign, 35.15, 126.8,
                                            20230201, GWANGSAN, NULL), NJ_OK);
        /* Everyone applies once; a fifth apply to a second posting. */
        int64_t first = 1 + (int64_t)(next_random(&seed) % POSTINGS);
        assert_int_equal(nj_application_submit(reg, r, first, FIRST_DAY), NJ_OK);
        if (r % 5 == 0)
            assert_int_equal(nj_application_submit(reg, r, 1 + first % POSTINGS, FIRST_DAY), NJ_OK);
    }
    for (int64_t p = 1; p <= POSTINGS; p++)
        assert_int_equal(nj_posting_select(reg, p, NJ_SELECT_LOTTERY, 20230311 + (uint64_t)p,
                                           20230311), NJ_OK);
    return reg;
}

/* Three hours of work per placement; a fifth of the placed applied to a
 * private job in July, a tenth were hired. */
static void work_and_follow_on(nj_registry *reg)
{
    int64_t entry = 1;
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        for (size_t k = 0; k < nj_posting_application_count(p); k++) {
            int64_t who;
            int32_t status;
            assert_int_equal(nj_posting_application_at(p, k, &who, &status, NULL, NULL), NJ_OK);
            if (status != NJ_APPLICATION_SELECTED)
                continue;
            assert_int_equal(nj_work_record(reg, entry++, who, nj_posting_id(p),
                                            20230320, 180), NJ_OK);
            if (who % 5 == 0 && nj_participant_follow_on(nj_participant_get(reg, who),
                                                         NJ_FOLLOW_ON_APPLIED) == 0)
                assert_int_equal(nj_follow_on_record(reg, who, NJ_FOLLOW_ON_APPLIED,
                                                     20230715), NJ_OK);
            if (who % 10 == 3 && nj_participant_follow_on(nj_participant_get(reg, who),
                                                          NJ_FOLLOW_ON_HIRED) == 0)
                assert_int_equal(nj_follow_on_record(reg, who, NJ_FOLLOW_ON_HIRED,
                                                     20230801), NJ_OK);
        }
    }
}

/* The figures of one region, counted straight from the registry. */
typedef struct recount {
    int64_t postings, slots, applicants, placements, persons, foreign;
    int64_t decade[10], youth, middle, senior, other, kind[8];
    int64_t follow_applied, follow_hired, amount;
} recount;

static int posting_in(const nj_registry *reg, const nj_posting *p, int64_t region)
{
    int64_t r = nj_facility_region_id(nj_facility_get(reg, nj_posting_facility_id(p)));
    while (r && r != region)
        r = nj_region_parent_id(nj_region_get(reg, r));
    return r == region;
}

static void recount_placement(recount *c, const nj_registry *reg,
                              const nj_posting *p, int64_t who, char *seen)
{
    const nj_participant *person = nj_participant_get(reg, who);
    int32_t age;
    assert_int_equal(nj_participant_age_on(person, nj_posting_work_start(p), &age), NJ_OK);
    c->placements++;
    c->foreign += nj_participant_is_foreign(person);
    c->decade[age >= 90 ? 9 : age / 10]++;
    if (age >= 19 && age <= 34) c->youth++;
    else if (age >= 50 && age <= 64) c->middle++;
    else if (age >= 65) c->senior++;
    else c->other++;
    c->kind[nj_facility_kind(nj_facility_get(reg, nj_posting_facility_id(p)))]++;
    c->amount += 180 * 11930 / 60;
    if (!seen[who]) {
        seen[who] = 1;
        c->persons++;
        c->follow_applied += nj_participant_follow_on(person, NJ_FOLLOW_ON_APPLIED) ||
                             nj_participant_follow_on(person, NJ_FOLLOW_ON_HIRED);
        c->follow_hired += nj_participant_follow_on(person, NJ_FOLLOW_ON_HIRED) != 0;
    }
}

static recount recount_region(const nj_registry *reg, int64_t region)
{
    recount c = {0};
    char *seen = calloc(RESIDENTS + 1, 1);
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        if (!posting_in(reg, p, region))
            continue;
        c.postings++;
        c.slots += nj_posting_slots(p);
        c.applicants += (int64_t)nj_posting_application_count(p);
        for (size_t k = 0; k < nj_posting_application_count(p); k++) {
            int64_t who;
            int32_t status;
            assert_int_equal(nj_posting_application_at(p, k, &who, &status, NULL, NULL), NJ_OK);
            if (status == NJ_APPLICATION_SELECTED)
                recount_placement(&c, reg, p, who, seen);
        }
    }
    free(seen);
    return c;
}

static void assert_matches_recount(const nj_stats *s, const nj_registry *reg,
                                   int64_t region)
{
    recount c = recount_region(reg, region);
    const struct { int32_t measure; int64_t expected; } checks[] = {
        {NJ_MEASURE_POSTINGS, c.postings}, {NJ_MEASURE_SLOTS, c.slots},
        {NJ_MEASURE_APPLICANTS, c.applicants}, {NJ_MEASURE_PLACEMENTS, c.placements},
        {NJ_MEASURE_ACHIEVED, c.placements}, {NJ_MEASURE_PERSONS, c.persons},
        {NJ_MEASURE_FOREIGN_PLACEMENTS, c.foreign}, {NJ_MEASURE_AGE_YOUTH, c.youth},
        {NJ_MEASURE_AGE_MIDDLE, c.middle}, {NJ_MEASURE_AGE_SENIOR, c.senior},
        {NJ_MEASURE_AGE_OTHER, c.other}, {NJ_MEASURE_AMOUNT_KRW, c.amount},
        {NJ_MEASURE_PAID_PERSONS, c.persons},
        {NJ_MEASURE_FOLLOW_ON_APPLIED, c.follow_applied},
        {NJ_MEASURE_FOLLOW_ON_HIRED, c.follow_hired},
        {NJ_MEASURE_PAID_MINUTES, 180 * c.placements},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        assert_int_equal(value_of(s, 2023, region, NJ_PROGRAMME_ALL, checks[i].measure),
                         checks[i].expected);
    for (int d = 0; d < 10; d++)
        assert_int_equal(value_of(s, 2023, region, NJ_PROGRAMME_ALL,
                                  NJ_MEASURE_AGE_DECADE_BASE + d), c.decade[d]);
    for (int k = 1; k <= 7; k++)
        assert_int_equal(value_of(s, 2023, region, NJ_PROGRAMME_ALL,
                                  NJ_MEASURE_FACILITY_KIND_BASE + k), c.kind[k]);
}

static void first_round_matches_an_independent_recount(void **state)
{
    (void)state;
    nj_registry *reg = first_round(NULL, 20230301);
    work_and_follow_on(reg);
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    /* The real round's shape: 363 placed from 110 postings, more than 7
     * applicants per slot on the first day (2,300 + 460 = 2,760). */
    assert_int_equal(value_of(s, 2023, GWANGSAN, NJ_PROGRAMME_ALL, NJ_MEASURE_PLACEMENTS), 363);
    assert_int_equal(value_of(s, 2023, GWANGSAN, NJ_PROGRAMME_ALL, NJ_MEASURE_APPLICANTS), 2760);
    size_t row;
    int64_t hundredths, tenths;
    assert_int_equal(nj_stats_row_find(s, 2023, GWANGSAN, NJ_PROGRAMME_ALL, &row), NJ_OK);
    assert_int_equal(nj_stats_row_ratio(s, row, NJ_RATIO_COMPETITION, NULL, NULL,
                                        &hundredths), NJ_OK);
    assert_int_equal(hundredths, 760); /* 2,760 / 363 = 7.603 */
    assert_int_equal(nj_stats_row_ratio(s, row, NJ_RATIO_FILL_RATE, NULL, NULL, &tenths), NJ_OK);
    assert_int_equal(tenths, 1000);
    assert_matches_recount(s, reg, GWANGSAN);
    assert_matches_recount(s, reg, GWANGJU);
    for (int64_t n = 1; n <= NEIGHBOURHOODS; n++)
        assert_matches_recount(s, reg, 2920000000 + n * 1000);
    /* Employment-services postings (every fifth: 22 of them) keep a row. */
    assert_int_equal(value_of(s, 2023, GWANGSAN, NJ_PROGRAMME_EMPLOYMENT_SERVICES,
                              NJ_MEASURE_POSTINGS), 22);
    nj_stats_destroy(s);
    /* A range without the round has no rows. */
    assert_int_equal(nj_stats_compute(reg, 20240101, 20241231, &s), NJ_OK);
    assert_int_equal(nj_stats_row_count(s), 0);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

static void follow_on_records(void **state)
{
    (void)state;
    nj_registry *reg = first_round(NULL, 7);
    int64_t placed = 0, not_placed = 0;
    for (int64_t who = 1; who <= RESIDENTS && (!placed || !not_placed); who++) {
        int selected = 0;
        const nj_participant *p = nj_participant_get(reg, who);
        for (size_t k = 0; k < nj_participant_application_count(p); k++) {
            int32_t status;
            assert_int_equal(nj_participant_application_at(p, k, NULL, &status, NULL), NJ_OK);
            selected |= status == NJ_APPLICATION_SELECTED;
        }
        if (selected && !placed) placed = who;
        if (!selected && !not_placed) not_placed = who;
    }
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_follow_on_record(reg, not_placed, NJ_FOLLOW_ON_APPLIED, 20230701),
                     NJ_E_INELIGIBLE);
    assert_int_equal(nj_follow_on_record(reg, placed, 3, 20230701), NJ_E_INVALID);
    assert_int_equal(nj_follow_on_record(reg, placed, NJ_FOLLOW_ON_HIRED, 20230732),
                     NJ_E_INVALID);
    assert_int_equal(nj_follow_on_record(reg, 999999, NJ_FOLLOW_ON_HIRED, 20230701),
                     NJ_E_NOT_FOUND);
    assert_int_equal(nj_follow_on_clear(reg, placed, NJ_FOLLOW_ON_HIRED), NJ_E_NOT_FOUND);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(nj_follow_on_record(reg, placed, NJ_FOLLOW_ON_HIRED, 20230701), NJ_OK);
    assert_int_equal(nj_follow_on_record(reg, placed, NJ_FOLLOW_ON_HIRED, 20230702),
                     NJ_E_EXISTS);
    assert_int_equal(nj_participant_follow_on(nj_participant_get(reg, placed),
                                              NJ_FOLLOW_ON_HIRED), 20230701);
    /* Hired implies applied: one person, both rates 1 / persons. */
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    assert_int_equal(value_of(s, 2023, GWANGSAN, 0, NJ_MEASURE_FOLLOW_ON_APPLIED), 1);
    assert_int_equal(value_of(s, 2023, GWANGSAN, 0, NJ_MEASURE_FOLLOW_ON_HIRED), 1);
    nj_stats_destroy(s);
    assert_int_equal(nj_follow_on_clear(reg, placed, NJ_FOLLOW_ON_HIRED), NJ_OK);
    assert_int_equal(nj_participant_follow_on(nj_participant_get(reg, placed),
                                              NJ_FOLLOW_ON_HIRED), 0);
    nj_registry_destroy(reg);
}

static void compute_rejects_bad_arguments(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    nj_stats *s = (nj_stats *)reg; /* must be reset to NULL */
    assert_int_equal(nj_stats_compute(reg, 20230101, 20221231, &s), NJ_E_INVALID);
    assert_null(s);
    assert_int_equal(nj_stats_compute(reg, 20230229, 20231231, &s), NJ_E_INVALID);
    assert_int_equal(nj_stats_compute(NULL, 20230101, 20231231, &s), NJ_E_INVALID);
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, NULL), NJ_E_INVALID);
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    int64_t v;
    assert_int_equal(nj_stats_row_value(s, 0, 99, &v), NJ_E_UNSUPPORTED);
    assert_int_equal(nj_stats_row_value(s, nj_stats_row_count(s), NJ_MEASURE_TARGET, &v),
                     NJ_E_NOT_FOUND);
    assert_int_equal(nj_stats_row_ratio(s, 0, 6, NULL, NULL, NULL), NJ_E_UNSUPPORTED);
    nj_stats_table *t = (nj_stats_table *)reg;
    assert_int_equal(nj_stats_publish(s, 2023, 2, 7, 3, &t), NJ_E_UNSUPPORTED);
    assert_null(t);
    assert_int_equal(nj_stats_publish(s, 2023, 4, 1, 3, &t), NJ_E_RANGE);
    assert_int_equal(nj_stats_publish(s, 2023, 2, 1, 0, &t), NJ_E_RANGE);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

/* ---- merging ------------------------------------------------------------ */

/* A random world of clusters (a facility, its postings and the residents
 * applying to them), targets and recorded actuals; each piece belongs to
 * one of `shards`. Builds the pieces of `shard`, or all of them for -1.
 * Each cluster draws from its own generator, so skipping one changes
 * nothing in the others. */
static void random_cluster(nj_registry *reg, uint64_t seed, int64_t c)
{
    uint64_t rng = seed ^ (uint64_t)c * UINT64_C(0x2545F4914F6CDD1D);
    int64_t district = GWANGJU * 1000 + 1 + (int64_t)(next_random(&rng) % 3);
    int64_t hood = district * 100 + 1 + (int64_t)(next_random(&rng) % 4);
    int postings = 1 + (int)(next_random(&rng) % 4);
    int residents = 1 + (int)(next_random(&rng) % 12);
    assert_int_equal(nj_facility_add(reg, c, (int32_t)(1 + next_random(&rng) % 7), "시설",
                                     35.1, 126.8, hood, NULL), NJ_OK);
    for (int64_t p = 0; p < postings; p++) {
        nj_posting *posting;
        int32_t month = (int32_t)(1 + next_random(&rng) % 12);
        assert_int_equal(nj_posting_add(reg, c * 10 + p, c, "일",
                                        (int32_t)(1 + next_random(&rng) % 4), &posting), NJ_OK);
        assert_int_equal(nj_posting_set_work_period(reg, posting, 20230001 + month * 100,
                                                    20230028 + month * 100), NJ_OK);
        assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, posting, 10030), NJ_OK);
        if (next_random(&rng) % 3 == 0)
            assert_int_equal(nj_posting_set_programme_type(reg, posting, 3), NJ_OK);
    }
    for (int64_t r = 0; r < residents; r++) {
        int64_t who = c * 100 + r;
        int32_t born = (int32_t)(19500101 + (int64_t)(next_random(&rng) % 55) * 10000);
        assert_int_equal(nj_participant_add(reg, who, born, next_random(&rng) % 10 == 0,
                                            35.1, 126.8, 20221101, hood, NULL), NJ_OK);
        int64_t first = (int64_t)(next_random(&rng) % (uint64_t)postings);
        assert_int_equal(nj_application_submit(reg, who, c * 10 + first, 20221215), NJ_OK);
        if (postings > 1 && next_random(&rng) % 2)
            assert_int_equal(nj_application_submit(reg, who, c * 10 + (first + 1) % postings, 20221215), NJ_OK);
    }
    int64_t entry = c * 100000;
    for (int64_t p = 0; p < postings; p++) {
        const nj_posting *posting = nj_posting_get(reg, c * 10 + p);
        assert_int_equal(nj_posting_select(reg, c * 10 + p, NJ_SELECT_LOTTERY, (uint64_t)(c * 10 + p),
                                           20221231), NJ_OK);
        for (size_t k = 0; k < nj_posting_application_count(posting); k++) {
            int64_t who;
            int32_t status;
            nj_posting_application_at(posting, k, &who, &status, NULL, NULL);
            if (status != NJ_APPLICATION_SELECTED)
                continue;
            for (int day = 0; day < 3; day++)
                assert_int_equal(nj_work_record(reg, ++entry, who, c * 10 + p,
                                                nj_posting_work_start(posting) + day,
                                                (int32_t)(60 + next_random(&rng) % 1381)), NJ_OK);
            if (next_random(&rng) % 4 == 0 &&
                !nj_participant_follow_on(nj_participant_get(reg, who), NJ_FOLLOW_ON_APPLIED))
                assert_int_equal(nj_follow_on_record(reg, who, NJ_FOLLOW_ON_APPLIED,
                                                     20231215), NJ_OK);
        }
    }
}

static nj_registry *random_world(uint64_t seed, int shards, int shard)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, GWANGJU, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    for (int64_t d = GWANGJU * 1000 + 1; d <= GWANGJU * 1000 + 3; d++) {
        assert_int_equal(nj_region_add(reg, d, NJ_REGION_DISTRICT, GWANGJU, "구", NULL), NJ_OK);
        for (int64_t n = 1; n <= 4; n++)
            assert_int_equal(nj_region_add(reg, d * 100 + n, NJ_REGION_NEIGHBOURHOOD, d,
                                           "동", NULL), NJ_OK);
    }
    uint64_t rng = seed;
    int64_t clusters = 4 + (int64_t)(next_random(&rng) % 20);
    for (int64_t c = 1; c <= clusters; c++)
        if ((int)(next_random(&rng) % (uint64_t)shards) == shard || shard < 0)
            random_cluster(reg, seed, c);
    /* Targets on districts and the province, each kept by one shard. */
    for (int64_t region = GWANGJU * 1000; region <= GWANGJU * 1000 + 3; region++) {
        int64_t id = region == GWANGJU * 1000 ? GWANGJU : region;
        for (int32_t type = 0; type <= 3; type += 3) {
            int owner = (int)(next_random(&rng) % (uint64_t)shards);
            int64_t target = (int64_t)(next_random(&rng) % 40);
            if (owner == shard || shard < 0)
                assert_int_equal(nj_target_set(reg, 2023, id, type, target), NJ_OK);
        }
    }
    for (int64_t a = 1; a <= 6; a++) {
        int owner = (int)(next_random(&rng) % (uint64_t)shards);
        int64_t district = GWANGJU * 1000 + 1 + (int64_t)(next_random(&rng) % 3);
        int64_t jobs = 1 + (int64_t)(next_random(&rng) % 50);
        if (owner == shard || shard < 0)
            assert_int_equal(nj_actual_record(reg, a, 20230601, district,
                                              (int32_t)(a % 2), jobs), NJ_OK);
    }
    return reg;
}

static void assert_stats_equal(const nj_stats *a, const nj_stats *b)
{
    assert_int_equal(nj_stats_row_count(a), nj_stats_row_count(b));
    for (size_t i = 0; i < nj_stats_row_count(a); i++) {
        int32_t ya, yb, ta, tb;
        int64_t ra, rb;
        nj_stats_row_key(a, i, &ya, &ra, &ta);
        nj_stats_row_key(b, i, &yb, &rb, &tb);
        assert_int_equal(ya, yb);
        assert_int_equal(ra, rb);
        assert_int_equal(ta, tb);
        for (int32_t m = 1; m <= 209; m++) {
            int64_t va, vb;
            nj_status sa = nj_stats_row_value(a, i, m, &va);
            assert_int_equal(sa, nj_stats_row_value(b, i, m, &vb));
            if (sa == NJ_OK)
                assert_int_equal(va, vb);
        }
    }
    assert_int_equal(nj_stats_region_count(a), nj_stats_region_count(b));
    for (size_t i = 0; i < nj_stats_region_count(a); i++) {
        int64_t ida, idb, pa, pb;
        int32_t la, lb;
        nj_stats_region_at(a, i, &ida, &la, &pa);
        nj_stats_region_at(b, i, &idb, &lb, &pb);
        assert_int_equal(ida, idb);
        assert_int_equal(la, lb);
        assert_int_equal(pa, pb);
        assert_string_equal(nj_stats_region_name(a, ida), nj_stats_region_name(b, idb));
    }
}

static unsigned char *bytes_of(const nj_stats *s, size_t *size)
{
    assert_int_equal(nj_stats_save(s, NULL, 0, size), NJ_E_BUFFER_TOO_SMALL);
    unsigned char *buf = malloc(*size);
    size_t written;
    assert_int_equal(nj_stats_save(s, buf, *size, &written), NJ_OK);
    assert_int_equal(written, *size);
    return buf;
}

static void assert_same_bytes(const nj_stats *a, const nj_stats *b)
{
    size_t na, nb;
    unsigned char *x = bytes_of(a, &na), *y = bytes_of(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

static nj_stats *stats_of(const nj_registry *reg)
{
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    return s;
}

static void merged_shards_equal_the_whole(void **state)
{
    (void)state;
    uint64_t rng = 5;
    for (int round = 0; round < 40; round++) {
        uint64_t seed = next_random(&rng);
        int shards = 2 + (int)(next_random(&rng) % 15);
        nj_registry *whole = random_world(seed, shards, -1);
        nj_stats *expected = stats_of(whole);
        nj_stats *forward = NULL, *backward = NULL;
        for (int s = 0; s < shards; s++) {
            nj_registry *part = random_world(seed, shards, s);
            nj_stats *a = stats_of(part), *b = stats_of(part);
            if (!forward)
                forward = a;
            else {
                assert_int_equal(nj_stats_merge(forward, a), NJ_OK);
                nj_stats_destroy(a);
            }
            if (backward)
                assert_int_equal(nj_stats_merge(b, backward), NJ_OK);
            nj_stats_destroy(backward);
            backward = b;
            nj_registry_destroy(part);
        }
        assert_stats_equal(expected, forward);
        assert_stats_equal(expected, backward);
        assert_same_bytes(expected, forward);
        assert_same_bytes(expected, backward);
        nj_stats_destroy(expected);
        nj_stats_destroy(forward);
        nj_stats_destroy(backward);
        nj_registry_destroy(whole);
    }
}

static void merge_rejects_mismatches(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    nj_stats *a, *b, *c;
    assert_int_equal(nj_stats_compute(reg, 20220101, 20221231, &a), NJ_OK);
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &b), NJ_OK);
    assert_int_equal(nj_stats_merge(a, b), NJ_E_INVALID);
    assert_string_equal(nj_stats_errmsg(a),
                        "merge: dates 20230101-20231231 differ from 20220101-20221231");
    assert_int_equal(nj_stats_merge(a, a), NJ_E_INVALID);
    nj_registry *other;
    assert_int_equal(nj_registry_create(&other), NJ_OK);
    assert_int_equal(nj_region_add(other, SEOUL, NJ_REGION_PROVINCE, 0, "서울", NULL), NJ_OK);
    assert_int_equal(nj_region_add(other, DONGJAK, NJ_REGION_DISTRICT, SEOUL, "동작구", NULL), NJ_OK);
    assert_int_equal(nj_actual_record(other, 1, 20220505, DONGJAK, 0, 10), NJ_OK);
    assert_int_equal(nj_stats_compute(other, 20220101, 20221231, &c), NJ_OK);
    nj_stats *copy;
    assert_int_equal(nj_stats_compute(reg, 20220101, 20221231, &copy), NJ_OK);
    assert_int_equal(nj_stats_merge(a, c), NJ_E_INVALID);
    assert_string_equal(nj_stats_errmsg(a), "merge: region 11 differs in level, parent or name");
    assert_stats_equal(a, copy);
    nj_stats_destroy(a);
    nj_stats_destroy(b);
    nj_stats_destroy(c);
    nj_stats_destroy(copy);
    nj_registry_destroy(other);
    nj_registry_destroy(reg);
}

/* ---- publication --------------------------------------------------------- */

static void attainment_table_of_the_real_figures(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    nj_stats *s;
    nj_stats_table *t;
    assert_int_equal(nj_stats_compute(reg, 20220101, 20221231, &s), NJ_OK);
    assert_int_equal(nj_stats_publish(s, 2022, NJ_REGION_DISTRICT, NJ_TABLE_ATTAINMENT, 3, &t),
                     NJ_OK);
    assert_int_equal(nj_stats_table_row_count(t), 1);
    assert_int_equal(nj_stats_table_column_count(t), 14);
    int64_t region, value;
    int32_t type, cell_state;
    const char *label;
    assert_int_equal(nj_stats_table_row(t, 0, &region, &type, &label), NJ_OK);
    assert_int_equal(region, DONGJAK);
    assert_int_equal(type, NJ_PROGRAMME_ALL);
    assert_string_equal(label, "동작구");
    const struct { const char *name; int32_t scale; int64_t value; int32_t state; } cells[] = {
        {"target", 1, 17450, NJ_CELL_PUBLISHED},
        {"achieved", 1, 21665, NJ_CELL_PUBLISHED},
        {"attainment_pct", 10, 1242, NJ_CELL_PUBLISHED},
        {"surplus", 1, 4215, NJ_CELL_PUBLISHED},
        {"placements", 1, 0, NJ_CELL_PUBLISHED},
        {"recorded_jobs", 1, 21665, NJ_CELL_PUBLISHED},
        {"persons", 1, 0, NJ_CELL_PUBLISHED},
        {"applicants", 1, 0, NJ_CELL_PUBLISHED},
        {"slots", 1, 0, NJ_CELL_PUBLISHED},
        {"competition_ratio", 100, 0, NJ_CELL_UNDEFINED},
        {"fill_rate_pct", 10, 0, NJ_CELL_UNDEFINED},
        {"paid_minutes", 1, 0, NJ_CELL_PUBLISHED},
        {"amount_krw", 1, 0, NJ_CELL_PUBLISHED},
        {"follow_on_applied_pct", 10, 0, NJ_CELL_UNDEFINED},
    };
    for (size_t c = 0; c < 14; c++) {
        assert_string_equal(nj_stats_table_column_name(t, c), cells[c].name);
        assert_int_equal(nj_stats_table_column_scale(t, c), cells[c].scale);
        assert_int_equal(nj_stats_table_cell(t, 0, c, &value, &cell_state), NJ_OK);
        assert_int_equal(value, cells[c].value);
        assert_int_equal(cell_state, cells[c].state);
    }
    assert_null(nj_stats_table_column_name(t, 14));
    assert_int_equal(nj_stats_table_cell(t, 1, 0, &value, &cell_state), NJ_E_NOT_FOUND);
    nj_stats_table_destroy(t);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

/* Necessary conditions of protection, checked on a published cross table:
 * no small count shows, and a hidden cell never stands alone in its row or
 * column (the exact audit of the suppression is in test_suppress.c). */
static void assert_protected(const nj_stats_table *t, int64_t k)
{
    size_t rows = nj_stats_table_row_count(t), columns = nj_stats_table_column_count(t);
    size_t *hidden_in_column = calloc(columns, sizeof *hidden_in_column);
    for (size_t r = 0; r < rows; r++) {
        size_t hidden_in_row = 0;
        for (size_t c = 0; c < columns; c++) {
            int64_t v;
            int32_t st;
            assert_int_equal(nj_stats_table_cell(t, r, c, &v, &st), NJ_OK);
            if (st == NJ_CELL_PUBLISHED) {
                assert_false(v >= 1 && v < k);
            } else {
                assert_true(st == NJ_CELL_SUPPRESSED || st == NJ_CELL_SUPPRESSED_SECONDARY);
                assert_int_equal(v, 0);
                hidden_in_row++;
                hidden_in_column[c]++;
            }
        }
        assert_true(hidden_in_row != 1);
    }
    for (size_t c = 0; c < columns; c++)
        assert_true(hidden_in_column[c] != 1);
    free(hidden_in_column);
}

static void cross_tables_hide_small_cells(void **state)
{
    (void)state;
    nj_registry *reg = first_round(NULL, 20230301);
    work_and_follow_on(reg);
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20230101, 20231231, &s), NJ_OK);
    size_t suppressed = 0;
    for (int32_t kind = NJ_TABLE_PLACEMENTS_BY_PROGRAMME;
         kind <= NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND; kind++) {
        for (int32_t k = 3; k <= 5; k += 2) {
            nj_stats_table *t;
            assert_int_equal(nj_stats_publish(s, 2023, NJ_REGION_NEIGHBOURHOOD, kind, k, &t),
                             NJ_OK);
            /* 21 neighbourhoods and the totals row. */
            assert_int_equal(nj_stats_table_row_count(t), 22);
            const char *label;
            int64_t region, total;
            int32_t st;
            assert_int_equal(nj_stats_table_row(t, 21, &region, NULL, &label), NJ_OK);
            assert_int_equal(region, 0);
            assert_string_equal(label, "total");
            size_t last = nj_stats_table_column_count(t) - 1;
            assert_string_equal(nj_stats_table_column_name(t, last), "total");
            assert_int_equal(nj_stats_table_cell(t, 21, last, &total, &st), NJ_OK);
            assert_int_equal(total, 363);
            assert_int_equal(st, NJ_CELL_PUBLISHED);
            assert_protected(t, k);
            for (size_t r = 0; r < 22; r++)
                for (size_t c = 0; c <= last; c++) {
                    int64_t v;
                    nj_stats_table_cell(t, r, c, &v, &st);
                    suppressed += st != NJ_CELL_PUBLISHED;
                }
            nj_stats_table_destroy(t);
        }
    }
    assert_true(suppressed > 0);
    /* Residency by district: 363 placements split national / foreign. */
    nj_stats_table *t;
    assert_int_equal(nj_stats_publish(s, 2023, NJ_REGION_DISTRICT,
                                      NJ_TABLE_PLACEMENTS_BY_RESIDENCY, 3, &t), NJ_OK);
    int64_t national, foreign;
    int32_t st;
    assert_int_equal(nj_stats_table_cell(t, 0, 0, &national, &st), NJ_OK);
    assert_int_equal(nj_stats_table_cell(t, 0, 1, &foreign, &st), NJ_OK);
    assert_int_equal(national + foreign, 363);
    assert_int_equal(foreign, value_of(s, 2023, GWANGSAN, 0, NJ_MEASURE_FOREIGN_PLACEMENTS));
    nj_stats_table_destroy(t);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

/* ---- bytes and exports ------------------------------------------------------ */

static void bytes_round_trip_and_reject_damage(void **state)
{
    (void)state;
    /* Small enough that every bit can be flipped: the real figures, with
     * regions, typed and all-programme rows. */
    nj_registry *reg = real_figures();
    nj_stats *s;
    assert_int_equal(nj_stats_compute(reg, 20240101, 20241231, &s), NJ_OK);
    size_t size;
    unsigned char *bytes = bytes_of(s, &size);
    assert_memory_equal(bytes, "NJST\x01\0\0\0", 8);
    nj_stats *copy;
    char msg[200];
    assert_int_equal(nj_stats_load(bytes, size, &copy, msg, sizeof msg), NJ_OK);
    assert_string_equal(msg, "");
    assert_stats_equal(s, copy);
    assert_same_bytes(s, copy);
    nj_stats_destroy(copy);
    /* Every truncation is corrupt. */
    for (size_t n = 0; n < size; n++) {
        copy = (nj_stats *)reg;
        assert_int_equal(nj_stats_load(bytes, n, &copy, msg, sizeof msg), NJ_E_CORRUPT);
        assert_null(copy);
    }
    /* Every single-bit flip is caught (a flip in the version field may
     * claim a newer format instead). */
    size_t versions = 0;
    for (size_t bit = 0; bit < size * 8; bit++) {
        bytes[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        nj_status st = nj_stats_load(bytes, size, &copy, NULL, 0);
        bytes[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        assert_true(st == NJ_E_CORRUPT || st == NJ_E_VERSION);
        versions += st == NJ_E_VERSION;
    }
    assert_int_equal(versions, 31); /* bits 1..31 of the version field */
    bytes[4] = 2;
    assert_int_equal(nj_stats_load(bytes, size, &copy, msg, sizeof msg), NJ_E_VERSION);
    assert_string_equal(msg, "statistics at byte 8: format version 2 is newer than this library's 1");
    bytes[4] = 1;
    bytes[size - 1] ^= 0x80;
    assert_int_equal(nj_stats_load(bytes, size, &copy, msg, sizeof msg), NJ_E_CORRUPT);
    assert_int_equal(strstr(msg, "checksum mismatch") != NULL, 1);
    free(bytes);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

static char *export_of(const nj_stats_table *t, int json)
{
    size_t size;
    nj_status (*fn)(const nj_stats_table *, void *, size_t, size_t *) =
        json ? nj_stats_table_json : nj_stats_table_csv;
    assert_int_equal(fn(t, NULL, 0, &size), NJ_E_BUFFER_TOO_SMALL);
    char *text = malloc(size + 1);
    assert_int_equal(fn(t, text, size, &size), NJ_OK);
    text[size] = '\0';
    return text;
}

static void tables_as_csv_and_json(void **state)
{
    (void)state;
    nj_registry *reg = real_figures();
    /* A region name that would be a spreadsheet formula is neutralised. */
    assert_int_equal(nj_region_set_name(reg, nj_region_get(reg, DONGJAK), "=동작구,\"A\""),
                     NJ_OK);
    nj_stats *s;
    nj_stats_table *t;
    assert_int_equal(nj_stats_compute(reg, 20240101, 20241231, &s), NJ_OK);
    assert_int_equal(nj_stats_publish(s, 2024, NJ_REGION_DISTRICT, NJ_TABLE_ATTAINMENT, 3, &t),
                     NJ_OK);
    char *csv = export_of(t, 0);
    const char *header = "\xEF\xBB\xBFregion_id,programme_type,region,target,achieved,"
        "attainment_pct,surplus,placements,recorded_jobs,persons,applicants,slots,"
        "competition_ratio,fill_rate_pct,paid_minutes,amount_krw,follow_on_applied_pct\r\n";
    assert_memory_equal(csv, header, strlen(header));
    assert_non_null(strstr(csv, "\r\n29200,0,광산구,14707,17400,118.3,2693,0,17400,0,0,0,,,0,0,\r\n"));
    assert_non_null(strstr(csv, "\r\n41210,3,광명시,5224,4464,85.5,-760,0,4464,0,0,0,,,0,0,\r\n"));
    free(csv);
    char *json = export_of(t, 1);
    assert_non_null(strstr(json, "{\"region_id\":29200,\"programme_type\":0,\"region\":\"광산구\","
                                 "\"cells\":[14707,17400,118.3,2693,0,17400,0,0,0,null,null,0,0,null]}"));
    free(json);
    nj_stats_table_destroy(t);
    nj_stats_destroy(s);

    assert_int_equal(nj_stats_compute(reg, 20220101, 20221231, &s), NJ_OK);
    assert_int_equal(nj_stats_publish(s, 2022, NJ_REGION_DISTRICT, NJ_TABLE_ATTAINMENT, 3, &t),
                     NJ_OK);
    csv = export_of(t, 0);
    assert_non_null(strstr(csv, "\r\n11590,0,\"'=동작구,\"\"A\"\"\",17450,21665,124.2,4215,"));
    free(csv);
    json = export_of(t, 1);
    assert_non_null(strstr(json, "\"region\":\"=동작구,\\\"A\\\"\""));
    free(json);
    nj_stats_table_destroy(t);
    nj_stats_destroy(s);
    nj_registry_destroy(reg);
}

/* ---- allocation failures -------------------------------------------------- */

static nj_registry *small_round(test_allocator *a)
{
    nj_registry *reg = test_registry_new(a);
    add_real_regions(reg);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "도서관", 35.18, 126.82,
                                     GWANGSAN, NULL), NJ_OK);
    for (int64_t p = 1; p <= 3; p++) {
        nj_posting *posting;
        assert_int_equal(nj_posting_add(reg, p, 1, "일", 2, &posting), NJ_OK);
        assert_int_equal(nj_posting_set_work_period(reg, posting, 20230301, 20230331), NJ_OK);
        assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, posting, 11930), NJ_OK);
    }
    for (int64_t who = 1; who <= 8; who++) {
        assert_int_equal(nj_participant_add(reg, who, 19600101 + (int32_t)who * 50000,
                                            who == 3, 35.18, 126.82, 20230101, 0, NULL), NJ_OK);
        assert_int_equal(nj_application_submit(reg, who, 1 + who % 3, 20230201), NJ_OK);
    }
    for (int64_t p = 1; p <= 3; p++)
        assert_int_equal(nj_posting_select(reg, p, NJ_SELECT_FIRST_COME, 0, 20230228), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1, 3, 1, 20230305, 300), NJ_OK);
    assert_int_equal(nj_follow_on_record(reg, 3, NJ_FOLLOW_ON_APPLIED, 20230601), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2023, GWANGSAN, 0, 10), NJ_OK);
    assert_int_equal(nj_actual_record(reg, 1, 20230601, GWANGSAN, 1, 4), NJ_OK);
    a->calls = 0;
    return reg;
}

static nj_status compute_step(nj_registry *reg)
{
    nj_stats *s;
    nj_status st = nj_stats_compute(reg, 20230101, 20231231, &s);
    nj_stats_destroy(s);
    return st;
}

static nj_status merge_step(nj_registry *reg)
{
    nj_stats *a = NULL, *b = NULL;
    nj_status st = nj_stats_compute(reg, 20230101, 20231231, &a);
    if (st == NJ_OK)
        st = nj_stats_compute(reg, 20230101, 20231231, &b);
    if (st == NJ_OK)
        st = nj_stats_merge(a, b);
    nj_stats_destroy(a);
    nj_stats_destroy(b);
    return st;
}

static nj_status publish_step(nj_registry *reg)
{
    nj_stats *s;
    nj_status st = nj_stats_compute(reg, 20230101, 20231231, &s);
    for (int32_t kind = 1; st == NJ_OK && kind <= 6; kind++) {
        nj_stats_table *t;
        st = nj_stats_publish(s, 2023, NJ_REGION_DISTRICT, kind, 3, &t);
        nj_stats_table_destroy(t);
    }
    nj_stats_destroy(s);
    return st;
}

static nj_registry *regions_only(test_allocator *a)
{
    nj_registry *reg = test_registry_new(a);
    add_real_regions(reg);
    a->calls = 0;
    return reg;
}

static nj_status target_step(nj_registry *reg)
{
    return nj_target_set(reg, 2024, DONGJAK, 0, 5);
}

static nj_status actual_step(nj_registry *reg)
{
    return nj_actual_record(reg, 2, 20240101, DONGJAK, 0, 5);
}

/* Loading allocates through the registry's hooks here, so the loop fails
 * the computation's and then the load's allocations in turn. */
static test_allocator *load_allocator;

static nj_registry *small_round_for_load(test_allocator *a)
{
    load_allocator = a;
    return small_round(a);
}

static nj_status load_step(nj_registry *reg)
{
    nj_stats *s, *copy = NULL;
    unsigned char buf[4096];
    size_t size;
    nj_status st = nj_stats_compute(reg, 20230101, 20231231, &s);
    if (st != NJ_OK)
        return st;
    assert_int_equal(nj_stats_save(s, buf, sizeof buf, &size), NJ_OK);
    nj_stats_destroy(s);
    st = nj_stats_load_with_allocator(buf, size, test_malloc_hook, test_realloc_hook,
                                      test_free_hook, load_allocator, &copy, NULL, 0);
    if (st == NJ_OK)
        assert_non_null(copy);
    nj_stats_destroy(copy);
    return st;
}

static void allocation_failures(void **state)
{
    (void)state;
    assert_true(test_count_oom_failures(small_round, compute_step) > 10);
    assert_true(test_count_oom_failures(small_round, merge_step) > 10);
    assert_true(test_count_oom_failures(small_round, publish_step) > 10);
    assert_int_equal(test_count_oom_failures(regions_only, target_step), 1);
    assert_int_equal(test_count_oom_failures(regions_only, actual_step), 1);
    assert_true(test_count_oom_failures(small_round_for_load, load_step) > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_programme_figures),
        cmocka_unit_test(targets_and_actuals_reject_bad_input),
        cmocka_unit_test(first_round_matches_an_independent_recount),
        cmocka_unit_test(follow_on_records),
        cmocka_unit_test(compute_rejects_bad_arguments),
        cmocka_unit_test(merged_shards_equal_the_whole),
        cmocka_unit_test(merge_rejects_mismatches),
        cmocka_unit_test(attainment_table_of_the_real_figures),
        cmocka_unit_test(cross_tables_hide_small_cells),
        cmocka_unit_test(bytes_round_trip_and_reject_damage),
        cmocka_unit_test(tables_as_csv_and_json),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
