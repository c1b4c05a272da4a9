/* The stipend ledger: the 100-hour cap, hand-computed statements, voids,
 * budgets, options, batches and allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* Resident 1 selected for a library posting (11 930 KRW/h, Gwangsan-gu's
 * 2023 living wage) and a welfare-centre posting (10 030 KRW/h, the 2025
 * minimum wage), both in 2023. */
static nj_registry *two_jobs(test_allocator *a)
{
    nj_registry *reg = a ? test_registry_new(a) : NULL;
    if (!a)
        assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 2, NJ_FACILITY_WELFARE_CENTRE, "복지관",
                                     35.1732666, 126.8218974, 0, NULL), NJ_OK);
    nj_posting *library, *welfare;
    assert_int_equal(nj_posting_add(reg, 10, 1, "도서 정리", 2, &library), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 20, 2, "급식 보조", 2, &welfare), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, library, 11930), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, welfare, 10030), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, library, 20230301, 20230331), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, welfare, 20230401, 20231231), NJ_OK);
    for (int64_t who = 1; who <= 2; who++) {
        assert_int_equal(nj_participant_add(reg, who, 19630515, 0, 35.18, 126.82,
                                            20230101, 0, NULL), NJ_OK);
        assert_int_equal(nj_application_submit(reg, who, 10, 20230220), NJ_OK);
        assert_int_equal(nj_application_submit(reg, who, 20, 20230320), NJ_OK);
    }
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_FIRST_COME, 0, 20230225), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 20, NJ_SELECT_FIRST_COME, 0, 20230325), NJ_OK);
    return reg;
}

typedef struct statement {
    int64_t worked, paid, over, remaining, amount;
} statement;

static statement statement_of(const nj_registry *reg, int64_t who)
{
    statement s;
    assert_int_equal(nj_stipend_statement(reg, who, 20230615, &s.worked, &s.paid, &s.over,
                                          &s.remaining, &s.amount), NJ_OK);
    return s;
}

/* 40 h at the library (10 days x 4 h), then 70 h at the welfare centre
 * (14 days x 5 h): 40 h + 60 h paid, 10 h over the cap. */
static void record_forty_and_seventy_hours(nj_registry *reg)
{
    int64_t id = 100;
    for (int32_t day = 1; day <= 10; day++)
        assert_int_equal(nj_work_record(reg, id++, 1, 10, 20230300 + day, 240), NJ_OK);
    for (int32_t day = 1; day <= 14; day++)
        assert_int_equal(nj_work_record(reg, id++, 1, 20, 20230400 + day, 300), NJ_OK);
}

static void the_hundred_hour_cap_by_hand(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    record_forty_and_seventy_hours(reg);
    statement s = statement_of(reg, 1);
    assert_int_equal(s.worked, 6600);  /* 110 h */
    assert_int_equal(s.paid, 6000);    /* 100 h */
    assert_int_equal(s.over, 600);     /* 10 h */
    assert_int_equal(s.remaining, 0);
    /* 2 400 min x 11 930 / 60 = 477 200; 3 600 min x 10 030 / 60 = 601 800. */
    assert_int_equal(s.amount, 477200 + 601800);
    assert_int_equal(s.amount, 1079000);
    /* Entry by entry: a library day is 240 min = 47 720 KRW; welfare days
     * 1..12 are paid 300 min = 50 150 KRW; days 13 and 14 nothing. */
    int32_t paid;
    int64_t amount;
    assert_int_equal(nj_work_entry(reg, 100, NULL, NULL, NULL, NULL, &paid, &amount, NULL), NJ_OK);
    assert_int_equal(paid, 240);
    assert_int_equal(amount, 47720);
    assert_int_equal(nj_work_entry(reg, 121, NULL, NULL, NULL, NULL, &paid, &amount, NULL), NJ_OK);
    assert_int_equal(paid, 300);
    assert_int_equal(amount, 50150);
    assert_int_equal(nj_work_entry(reg, 122, NULL, NULL, NULL, NULL, &paid, &amount, NULL), NJ_OK);
    assert_int_equal(paid, 0);
    assert_int_equal(amount, 0);
    /* Per posting and programme. */
    int64_t worked, p, over, krw;
    int over_budget;
    assert_int_equal(nj_stipend_posting_totals(reg, 20, 20230101, &worked, &p, &over, &krw), NJ_OK);
    assert_int_equal(worked, 4200);
    assert_int_equal(p, 3600);
    assert_int_equal(over, 600);
    assert_int_equal(krw, 601800);
    assert_int_equal(nj_stipend_programme_totals(reg, 20231231, &worked, &p, &over, &krw,
                                                 &over_budget), NJ_OK);
    assert_int_equal(krw, 1079000);
    assert_int_equal(over_budget, 0);
    /* The next year is a new period. */
    assert_int_equal(nj_stipend_statement(reg, 1, 20240101, &worked, NULL, NULL, NULL, NULL), NJ_OK);
    assert_int_equal(worked, 0);
    nj_registry_destroy(reg);
}

/* Amounts already paid never change: the rate is fixed by the first entry. */
static void rate_is_fixed_once_paid(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    nj_posting *library = nj_posting_get(reg, 10);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, library, 12000), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1, 1, 10, 20230302, 60), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, library, 6000), NJ_E_IN_USE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "posting 10: hourly stipend cannot change after 1 work entries");
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, library, 12000), NJ_OK);
    int64_t statement_amount, programme_amount;
    assert_int_equal(nj_stipend_statement(reg, 1, 20230302, NULL, NULL, NULL, NULL,
                                          &statement_amount), NJ_OK);
    assert_int_equal(nj_stipend_programme_totals(reg, 20230302, NULL, NULL, NULL,
                                                 &programme_amount, NULL), NJ_OK);
    assert_int_equal(statement_amount, 12000);
    assert_int_equal(programme_amount, 12000);
    /* The other posting has no entries yet. */
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, nj_posting_get(reg, 20), 9000),
                     NJ_OK);
    nj_registry_destroy(reg);
}

static void boundaries_of_the_cap(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    /* Exactly 6 000 minutes: all paid, nothing left. */
    int64_t id = 1;
    for (int32_t day = 1; day <= 25; day++)
        assert_int_equal(nj_work_record(reg, id++, 1, 20, 20230400 + day, 240), NJ_OK);
    statement s = statement_of(reg, 1);
    assert_int_equal(s.paid, 6000);
    assert_int_equal(s.over, 0);
    assert_int_equal(s.remaining, 0);
    /* One minute over: unpaid. */
    assert_int_equal(nj_work_record(reg, id++, 1, 20, 20230426, 1), NJ_OK);
    s = statement_of(reg, 1);
    assert_int_equal(s.paid, 6000);
    assert_int_equal(s.over, 1);
    /* 5 999 + 2: one minute paid, one over; 10 030 / 60 = 167.17 -> 167. */
    assert_int_equal(nj_work_record(reg, 500, 2, 20, 20230401, 1440), NJ_OK);
    assert_int_equal(nj_work_record(reg, 501, 2, 20, 20230402, 1440), NJ_OK);
    assert_int_equal(nj_work_record(reg, 502, 2, 20, 20230403, 1440), NJ_OK);
    assert_int_equal(nj_work_record(reg, 503, 2, 20, 20230404, 1440), NJ_OK);
    assert_int_equal(nj_work_record(reg, 504, 2, 20, 20230405, 239), NJ_OK);
    s = statement_of(reg, 2);
    assert_int_equal(s.paid, 5999);
    assert_int_equal(s.remaining, 1);
    assert_int_equal(nj_work_record(reg, 505, 2, 20, 20230406, 2), NJ_OK);
    int32_t paid;
    int64_t amount;
    assert_int_equal(nj_work_entry(reg, 505, NULL, NULL, NULL, NULL, &paid, &amount, NULL), NJ_OK);
    assert_int_equal(paid, 1);
    assert_int_equal(amount, 167);
    s = statement_of(reg, 2);
    assert_int_equal(s.paid, 6000);
    assert_int_equal(s.over, 1);
    /* 4 x 1 440 min x 10 030 / 60 = 962 880; 239 min -> 39 952.83 -> 39 952. */
    assert_int_equal(s.amount, 962880 + 39952 + 167);
    nj_registry_destroy(reg);
}

static void voiding_shifts_paid_minutes(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    record_forty_and_seventy_hours(reg);
    /* Void a 240-minute library day: the first over-cap welfare day
     * (entry 122) now gets 240 of its 300 minutes paid. */
    assert_int_equal(nj_work_void(reg, 100), NJ_OK);
    statement s = statement_of(reg, 1);
    assert_int_equal(s.worked, 6360);
    assert_int_equal(s.paid, 6000);
    assert_int_equal(s.over, 360);
    /* 9 x 47 720 + 12 x 50 150 + 240 x 10 030 / 60 (40 120). */
    assert_int_equal(s.amount, 9 * 47720 + 12 * 50150 + 40120);
    int32_t paid;
    int voided;
    int64_t amount;
    assert_int_equal(nj_work_entry(reg, 122, NULL, NULL, NULL, NULL, &paid, &amount, &voided), NJ_OK);
    assert_int_equal(paid, 240);
    assert_int_equal(voided, 0);
    assert_int_equal(nj_work_entry(reg, 100, NULL, NULL, NULL, NULL, &paid, &amount, &voided), NJ_OK);
    assert_int_equal(paid, 0);
    assert_int_equal(amount, 0);
    assert_int_equal(voided, 1);
    assert_int_equal(nj_work_void(reg, 100), NJ_E_CLOSED);
    assert_int_equal(nj_work_void(reg, 999), NJ_E_NOT_FOUND);
    /* A voided id is still taken: a retried import never pays twice. */
    assert_int_equal(nj_work_record(reg, 100, 1, 10, 20230301, 240), NJ_E_EXISTS);
    assert_string_equal(nj_registry_errmsg(reg), "entry 100 was already recorded");
    int64_t total;
    assert_int_equal(nj_stipend_programme_totals(reg, 20230101, NULL, NULL, NULL, &total, NULL), NJ_OK);
    assert_int_equal(total, s.amount);
    nj_registry_destroy(reg);
}

static void record_rejects_bad_entries(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    assert_int_equal(nj_work_record(reg, 1, 1, 10, 20230301, 240), NJ_OK);
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_work_record(reg, 1, 1, 10, 20230302, 240), NJ_E_EXISTS);
    assert_int_equal(nj_work_record(reg, 0, 1, 10, 20230302, 240), NJ_E_RANGE);
    assert_int_equal(nj_work_record(reg, 2, 1, 10, 20230302, 0), NJ_E_RANGE);
    assert_int_equal(nj_work_record(reg, 2, 1, 10, 20230302, -5), NJ_E_RANGE);
    assert_int_equal(nj_work_record(reg, 2, 1, 10, 20230302, 1441), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "entry 2: minutes 1441 outside [1, 1440]");
    assert_int_equal(nj_work_record(reg, 2, 1, 10, 20230229, 240), NJ_E_INVALID);
    assert_int_equal(nj_work_record(reg, 2, 1, 10, 20230401, 240), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "entry 2: date 20230401 outside the work period [20230301, 20230331] of posting 10");
    assert_int_equal(nj_work_record(reg, 2, 3, 10, 20230302, 240), NJ_E_NOT_FOUND);
    assert_int_equal(nj_work_record(reg, 2, 1, 30, 20230302, 240), NJ_E_NOT_FOUND);
    /* Participant 2 was waitlisted? No: both fit in 2 slots. Make a third. */
    assert_int_equal(nj_participant_add(reg, 3, 19800101, 0, 35.18, 126.82, 20230101, 0, NULL), NJ_OK);
    char *before3 = test_registry_dump(reg);
    assert_int_equal(nj_work_record(reg, 2, 3, 10, 20230302, 240), NJ_E_INELIGIBLE);
    assert_string_equal(nj_registry_errmsg(reg), "entry 2: participant 3 is not selected for posting 10");
    assert_int_equal(nj_work_record(NULL, 2, 1, 10, 20230302, 240), NJ_E_INVALID);
    char *after = test_registry_dump(reg);
    assert_string_equal(before3, after);
    assert_int_equal(nj_work_entry_count(reg), 1);
    assert_int_equal(nj_work_entry(reg, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL), NJ_E_NOT_FOUND);
    int64_t id;
    assert_int_equal(nj_work_entry_id_at(reg, 1, &id), NJ_E_NOT_FOUND);
    assert_int_equal(nj_work_entry_id_at(reg, 0, &id), NJ_OK);
    assert_int_equal(id, 1);
    /* The largest id works. */
    assert_int_equal(nj_work_record(reg, INT64_MAX, 1, 10, 20230302, 1), NJ_OK);
    free(before);
    free(before3);
    free(after);
    nj_registry_destroy(reg);
}

static void batches_are_all_or_nothing(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    assert_int_equal(nj_work_record(reg, 1, 1, 10, 20230301, 240), NJ_OK);
    char *before = test_registry_dump(reg);
    int64_t ids[4] = {2, 3, 4, 3};
    int64_t who[4] = {1, 2, 1, 2};
    int64_t posting[4] = {10, 10, 20, 20};
    int32_t dates[4] = {20230302, 20230302, 20230402, 20230403};
    int32_t minutes[4] = {240, 240, 300, 300};
    assert_int_equal(nj_work_record_batch(reg, 4, ids, who, posting, dates, minutes), NJ_E_EXISTS);
    assert_string_equal(nj_registry_errmsg(reg), "entry batch, item 3: entry 3 was already recorded");
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    assert_int_equal(nj_work_entry_count(reg), 1);
    ids[3] = 5;
    assert_int_equal(nj_work_record_batch(reg, 4, ids, who, posting, dates, minutes), NJ_OK);
    assert_int_equal(nj_work_entry_count(reg), 5);
    assert_int_equal(nj_work_record_batch(reg, 1, NULL, who, posting, dates, minutes), NJ_E_INVALID);
    assert_int_equal(nj_work_record_batch(reg, 0, NULL, NULL, NULL, NULL, NULL), NJ_OK);
    free(before);
    free(after);
    nj_registry_destroy(reg);
}

static int32_t paid_minutes_of(const nj_registry *reg, int64_t entry_id)
{
    int32_t paid;
    assert_int_equal(nj_work_entry(reg, entry_id, NULL, NULL, NULL, NULL, &paid, NULL, NULL), NJ_OK);
    return paid;
}

static void assert_dump_is(const nj_registry *reg, const char *expected)
{
    char *now = test_registry_dump(reg);
    assert_string_equal(expected, now);
    free(now);
}

/* Entries recorded out of date order are still capped in (date, entry id)
 * order, whatever the order of recording; failed records and batches
 * leave that order as it was. */
static void late_entries_take_their_place(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, 600), NJ_OK);
    /* Welfare (10 030 KRW/h), recorded as 10, 11 (earlier day), 12 (same
     * day as 10, later id), 9 (same day, earlier id), 13. */
    assert_int_equal(nj_work_record(reg, 10, 1, 20, 20230410, 300), NJ_OK);
    assert_int_equal(nj_work_record(reg, 11, 1, 20, 20230405, 300), NJ_OK);
    assert_int_equal(nj_work_record(reg, 12, 1, 20, 20230410, 200), NJ_OK);
    assert_int_equal(nj_work_record(reg, 9, 1, 20, 20230410, 100), NJ_OK);
    assert_int_equal(nj_work_record(reg, 13, 1, 20, 20230420, 60), NJ_OK);
    /* Order 11, 9, 10, 12, 13: 300 + 100 + 200 paid of the 600; then 100 of
     * entry 10, all of 12 and 13 over. 50 150 + 16 716 (16 716.67) +
     * 33 433 (33 433.33). */
    statement s = statement_of(reg, 1);
    assert_int_equal(s.worked, 960);
    assert_int_equal(s.paid, 600);
    assert_int_equal(s.over, 360);
    assert_int_equal(s.amount, 50150 + 16716 + 33433);
    assert_int_equal(paid_minutes_of(reg, 11), 300);
    assert_int_equal(paid_minutes_of(reg, 9), 100);
    assert_int_equal(paid_minutes_of(reg, 10), 200);
    assert_int_equal(paid_minutes_of(reg, 12), 0);
    /* A library hour (11 930 KRW) in March goes first: entry 10 drops to
     * 140 paid minutes (23 403.33); the total 11 930 + 50 150 + 16 716 +
     * 23 403 = 102 199 is over a budget of 102 000, so it is refused. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 102000), NJ_OK);
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_work_record(reg, 8, 1, 10, 20230315, 60), NJ_E_CAP);
    assert_dump_is(reg, before);
    free(before);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 0), NJ_OK);
    assert_int_equal(nj_work_record(reg, 8, 1, 10, 20230315, 60), NJ_OK);
    assert_int_equal(paid_minutes_of(reg, 10), 140);
    int64_t total;
    assert_int_equal(nj_stipend_programme_totals(reg, 20230101, NULL, NULL, NULL, &total, NULL), NJ_OK);
    assert_int_equal(total, 102199);
    /* A batch that links entry 20 between 11 and 9, then fails, takes it
     * back. */
    before = test_registry_dump(reg);
    int64_t ids[3] = {20, 21, 21}, who[3] = {1, 2, 2}, posting[3] = {20, 20, 20};
    int32_t dates[3] = {20230406, 20230401, 20230402}, minutes[3] = {30, 30, 30};
    assert_int_equal(nj_work_record_batch(reg, 3, ids, who, posting, dates, minutes), NJ_E_EXISTS);
    assert_dump_is(reg, before);
    free(before);
    /* Voiding 11 moves 300 minutes to 10 (all paid) and 12 (140 paid). */
    assert_int_equal(nj_work_void(reg, 11), NJ_OK);
    assert_int_equal(paid_minutes_of(reg, 10), 300);
    assert_int_equal(paid_minutes_of(reg, 12), 140);
    assert_int_equal(paid_minutes_of(reg, 13), 0);
    s = statement_of(reg, 1);
    assert_int_equal(s.worked, 720);
    assert_int_equal(s.over, 120);
    nj_registry_destroy(reg);
}

/* A later period recorded first does not hide an earlier one. */
static void periods_recorded_out_of_order(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    assert_int_equal(nj_posting_set_work_period(reg, nj_posting_get(reg, 20), 20230401,
                                                20241231), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1, 2, 20, 20240105, 120), NJ_OK);
    assert_int_equal(nj_work_record(reg, 2, 2, 20, 20230601, 60), NJ_OK);
    assert_int_equal(nj_work_record(reg, 3, 2, 20, 20241231, 30), NJ_OK);
    int64_t worked;
    assert_int_equal(nj_stipend_statement(reg, 2, 20230101, &worked, NULL, NULL, NULL, NULL), NJ_OK);
    assert_int_equal(worked, 60);
    assert_int_equal(nj_stipend_statement(reg, 2, 20241231, &worked, NULL, NULL, NULL, NULL), NJ_OK);
    assert_int_equal(worked, 150);
    nj_registry_destroy(reg);
}

static void budget_and_options(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    int64_t v, lo, hi;
    assert_int_equal(nj_registry_get_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, &v), NJ_OK);
    assert_int_equal(v, 6000);
    assert_int_equal(nj_registry_get_int64(reg, NJ_OPT_PERIOD_START_MMDD, &v), NJ_OK);
    assert_int_equal(v, 101);
    assert_int_equal(nj_registry_get_int64(reg, NJ_OPT_ROUNDING, &v), NJ_OK);
    assert_int_equal(v, NJ_ROUND_FLOOR);
    assert_int_equal(nj_registry_get_int64(reg, 99, &v), NJ_E_UNSUPPORTED);
    assert_int_equal(nj_option_bounds(NJ_OPT_STIPEND_CAP_MINUTES, &lo, &hi), NJ_OK);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 1000000);
    assert_int_equal(nj_option_bounds(99, &lo, &hi), NJ_E_UNSUPPORTED);
    assert_int_equal(nj_option_bounds(1, NULL, &hi), NJ_E_INVALID);
    /* Exactly the seven options have bounds and a value (a snapshot saves
     * those with bounds, reading each value). */
    int known = 0;
    for (int32_t opt = -2; opt <= 1024; opt++) {
        nj_status bounds = nj_option_bounds(opt, &lo, &hi);
        assert_int_equal(nj_registry_get_int64(reg, opt, &v), bounds);
        known += bounds == NJ_OK;
    }
    assert_int_equal(known, 7);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, -1), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_PERIOD_START_MMDD, 229), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_PERIOD_START_MMDD, 431), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, INT64_MAX), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_ROUNDING, 3), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, 99, 1), NJ_E_UNSUPPORTED);
    /* Half-up rounding and a 50-hour cap, set before any entry. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_ROUNDING, NJ_ROUND_HALF_UP), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, 3000), NJ_OK);
    /* Budget: 100 000 KRW. 7 min at 10 030/h = 1 170.17 -> 1 170. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 100000), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1, 1, 20, 20230401, 7), NJ_OK);
    int64_t amount;
    assert_int_equal(nj_work_entry(reg, 1, NULL, NULL, NULL, NULL, NULL, &amount, NULL), NJ_OK);
    assert_int_equal(amount, 1170);
    /* 3 min: 501.5 -> 502 (half up). */
    assert_int_equal(nj_work_record(reg, 2, 1, 20, 20230402, 3), NJ_OK);
    assert_int_equal(nj_work_entry(reg, 2, NULL, NULL, NULL, NULL, NULL, &amount, NULL), NJ_OK);
    assert_int_equal(amount, 502);
    /* 590 min = 98 628.33 -> 98 628: total 100 300 > 100 000: refused. */
    assert_int_equal(nj_work_record(reg, 3, 1, 20, 20230403, 590), NJ_E_CAP);
    assert_string_equal(nj_registry_errmsg(reg),
                        "entry 3: the period's stipend total 100300 KRW would exceed the budget 100000 KRW");
    assert_int_equal(nj_work_entry_count(reg), 2);
    assert_int_equal(nj_work_record(reg, 3, 1, 20, 20230403, 588), NJ_OK); /* 98 294.0: 99 966 */
    int over;
    assert_int_equal(nj_stipend_programme_totals(reg, 20230101, NULL, NULL, NULL, &amount, &over), NJ_OK);
    assert_int_equal(amount, 1170 + 502 + 98294);
    assert_int_equal(over, 0);
    /* Lowering the budget below the total flags it; entries stay. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 50000), NJ_OK);
    assert_int_equal(nj_stipend_programme_totals(reg, 20230101, NULL, NULL, NULL, NULL, &over), NJ_OK);
    assert_int_equal(over, 1);
    /* The rules cannot change under recorded entries. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, 6000), NJ_E_IN_USE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_ROUNDING, NJ_ROUND_FLOOR), NJ_E_IN_USE);
    nj_registry_destroy(reg);
}

static void fiscal_periods(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    /* Periods from 1 April: March and April are different years. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_PERIOD_START_MMDD, 401), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1, 1, 10, 20230331, 600), NJ_OK);
    assert_int_equal(nj_work_record(reg, 2, 1, 20, 20230401, 300), NJ_OK);
    int64_t worked;
    assert_int_equal(nj_stipend_statement(reg, 1, 20230331, &worked, NULL, NULL, NULL, NULL), NJ_OK);
    assert_int_equal(worked, 600);
    assert_int_equal(nj_stipend_statement(reg, 1, 20240331, &worked, NULL, NULL, NULL, NULL), NJ_OK);
    assert_int_equal(worked, 300);
    assert_int_equal(nj_stipend_statement(reg, 1, 20230230, &worked, NULL, NULL, NULL, NULL), NJ_E_INVALID);
    assert_int_equal(nj_stipend_statement(reg, 9, 20230301, &worked, NULL, NULL, NULL, NULL), NJ_E_NOT_FOUND);
    assert_int_equal(nj_stipend_posting_totals(reg, 9, 20230301, NULL, NULL, NULL, NULL), NJ_E_NOT_FOUND);
    nj_registry_destroy(reg);
}

/* The matcher skips residents whose cap is used up. */
static void matcher_skips_capped_residents(void **state)
{
    (void)state;
    nj_registry *reg = two_jobs(NULL);
    record_forty_and_seventy_hours(reg);
    nj_posting *next;
    assert_int_equal(nj_posting_add(reg, 30, 1, "독서 지도", 2, &next), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, next, 20230601, 20230630), NJ_OK);
    nj_matches *all, *left;
    assert_int_equal(nj_match_for_posting(reg, 30, 20230520, 0, 0, &all), NJ_OK);
    assert_int_equal(nj_match_for_posting(reg, 30, 20230520, 0, NJ_MATCH_SKIP_CAPPED, &left), NJ_OK);
    assert_int_equal(nj_matches_count(all), 2);
    assert_int_equal(nj_matches_count(left), 1);
    assert_int_equal(nj_matches_id(left, 0), 2);
    nj_matches_destroy(all);
    nj_matches_destroy(left);
    assert_int_equal(nj_match_batch(reg, 20230520, 0, 0, NJ_MATCH_SKIP_CAPPED, 2, &left), NJ_OK);
    for (size_t i = 0; i < nj_matches_count(left); i++)
        assert_int_not_equal(nj_matches_id(left, i), 1);
    nj_matches_destroy(left);
    nj_registry_destroy(reg);
}

/* Five library days recorded for resident 1. */
static nj_registry *five_days(test_allocator *a)
{
    nj_registry *reg = two_jobs(a);
    for (int32_t day = 1; day <= 5; day++)
        assert_int_equal(nj_work_record(reg, day, 1, 10, 20230300 + day, 240), NJ_OK);
    return reg;
}

/* No entries yet, and a welfare posting open for work until 2029. */
static nj_registry *long_welfare(test_allocator *a)
{
    nj_registry *reg = two_jobs(a);
    assert_int_equal(nj_posting_set_work_period(reg, nj_posting_get(reg, 20), 20230401,
                                                20291231), NJ_OK);
    return reg;
}

static nj_status record_one(nj_registry *reg)
{
    return nj_work_record(reg, 40, 2, 10, 20230305, 120);
}

static nj_status record_batch(nj_registry *reg)
{
    int64_t ids[3] = {50, 51, 52}, who[3] = {2, 2, 1}, posting[3] = {10, 20, 20};
    int32_t dates[3] = {20230310, 20230410, 20230411}, minutes[3] = {60, 60, 60};
    return nj_work_record_batch(reg, 3, ids, who, posting, dates, minutes);
}

/* Twelve entries: more than five_days' arrays hold. */
static nj_status record_big_batch(nj_registry *reg)
{
    int64_t ids[12], who[12], posting[12];
    int32_t dates[12], minutes[12];
    for (int i = 0; i < 12; i++) {
        ids[i] = 60 + i;
        who[i] = 1 + i % 2;
        posting[i] = 20;
        dates[i] = 20230501 + i;
        minutes[i] = 30;
    }
    return nj_work_record_batch(reg, 12, ids, who, posting, dates, minutes);
}

/* One entry in each of five years: the fifth period grows the period
 * totals in the middle of the batch, after four entries were recorded. */
static nj_status record_five_periods(nj_registry *reg)
{
    int64_t ids[5] = {1, 2, 3, 4, 5}, who[5] = {1, 2, 1, 2, 1};
    int64_t posting[5] = {20, 20, 20, 20, 20};
    int32_t dates[5] = {20230601, 20240601, 20250601, 20260601, 20270601};
    int32_t minutes[5] = {60, 60, 60, 60, 60};
    return nj_work_record_batch(reg, 5, ids, who, posting, dates, minutes);
}

static nj_status void_second(nj_registry *reg)
{
    return nj_work_void(reg, 2);
}

/* record, batch and void under failing allocations. */
static void allocation_failures(void **state)
{
    (void)state;
    /* The first entry allocates the entry array, the period totals and the
     * id index; so does a batch that outgrows them. */
    assert_int_equal(test_count_oom_failures(two_jobs, record_one), 3);
    assert_int_equal(test_count_oom_failures(two_jobs, record_batch), 3);
    assert_int_equal(test_count_oom_failures(five_days, record_big_batch), 2);
    /* Those three before the batch starts, then the fifth period's slot,
     * which takes back four recorded entries. */
    assert_int_equal(test_count_oom_failures(long_welfare, record_five_periods), 4);
    /* Within their capacity, recording and voiding allocate nothing. */
    assert_int_equal(test_count_oom_failures(five_days, record_one), 0);
    assert_int_equal(test_count_oom_failures(five_days, record_batch), 0);
    assert_int_equal(test_count_oom_failures(five_days, void_second), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_hundred_hour_cap_by_hand),
        cmocka_unit_test(rate_is_fixed_once_paid),
        cmocka_unit_test(boundaries_of_the_cap),
        cmocka_unit_test(voiding_shifts_paid_minutes),
        cmocka_unit_test(record_rejects_bad_entries),
        cmocka_unit_test(batches_are_all_or_nothing),
        cmocka_unit_test(late_entries_take_their_place),
        cmocka_unit_test(periods_recorded_out_of_order),
        cmocka_unit_test(budget_and_options),
        cmocka_unit_test(fiscal_periods),
        cmocka_unit_test(matcher_skips_capped_residents),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
