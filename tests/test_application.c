/* Applications, early close and the seeded, auditable selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* A library posting with `slots` slots and residents 1..n nearby. */
static nj_registry *round_with(int32_t slots, int64_t residents)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 0, NULL), NJ_OK);
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 10, 1, "도서 정리", slots, &p), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230301, 20230731), NJ_OK);
    assert_int_equal(nj_posting_set_application_window(reg, p, 20230220, 20230224), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, 11930), NJ_OK);
    for (int64_t i = 1; i <= residents; i++)
        assert_int_equal(nj_participant_add(reg, i, 19700101, 0, 35.18, 126.82,
                                            20230101, 0, NULL), NJ_OK);
    return reg;
}

static int32_t status_of(const nj_registry *reg, int64_t who, int64_t posting)
{
    int32_t status = 0;
    assert_int_equal(nj_application_status(reg, who, posting, &status), NJ_OK);
    return status;
}

static void apply_checks_every_rule(void **state)
{
    (void)state;
    nj_registry *reg = round_with(3, 4);
    nj_posting *p = nj_posting_get(reg, 10);
    assert_int_equal(nj_application_submit(reg, 1, 10, 20230220), NJ_OK);
    assert_int_equal(status_of(reg, 1, 10), NJ_APPLICATION_APPLIED);
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_application_submit(reg, 1, 10, 20230221), NJ_E_EXISTS);
    assert_string_equal(nj_registry_errmsg(reg), "participant 1 has already applied to posting 10");
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230219), NJ_E_CLOSED);
    assert_string_equal(nj_registry_errmsg(reg),
                        "posting 10 on 20230219: the date is outside the application window");
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230225), NJ_E_CLOSED);
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230230), NJ_E_INVALID);
    assert_int_equal(nj_application_submit(reg, 99, 10, 20230221), NJ_E_NOT_FOUND);
    assert_string_equal(nj_registry_errmsg(reg), "participant 99 not found");
    assert_int_equal(nj_application_submit(reg, 2, 99, 20230221), NJ_E_NOT_FOUND);
    assert_int_equal(nj_application_submit(NULL, 2, 10, 20230221), NJ_E_INVALID);
    /* Age on the work start date: 19..34 excludes someone born 1970. */
    assert_int_equal(nj_posting_set_age_range(reg, p, 19, 34), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230221), NJ_E_INELIGIBLE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "participant 2 is not eligible for posting 10: age outside the posting's range");
    assert_int_equal(nj_posting_set_age_range(reg, p, 0, 150), NJ_OK);
    /* Foreign residents. */
    assert_int_equal(nj_participant_set_foreign(reg, nj_participant_get(reg, 2), 1), NJ_OK);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 0), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230221), NJ_E_INELIGIBLE);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 1), NJ_OK);
    /* Residency: a region the resident is not in. */
    assert_int_equal(nj_region_add(reg, 29170, NJ_REGION_DISTRICT, 0, "북구", NULL), NJ_OK);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 29170), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230221), NJ_E_INELIGIBLE);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 0), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 29170), NJ_OK);
    /* Closed by hand. */
    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_CLOSED), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 2, 10, 20230221), NJ_E_CLOSED);
    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_OPEN), NJ_OK);
    assert_int_equal(nj_participant_set_foreign(reg, nj_participant_get(reg, 2), 0), NJ_OK);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* Applications block removal. */
    assert_int_equal(nj_participant_remove(reg, 1), NJ_E_IN_USE);
    assert_int_equal(nj_posting_remove(reg, 10), NJ_E_IN_USE);
    assert_string_equal(nj_registry_errmsg(reg), "posting 10 still has applications (1)");
    nj_registry_destroy(reg);
}

static void early_close_at_seven_times_the_slots(void **state)
{
    (void)state;
    /* The real round's first morning: more than 7x the slots applied. */
    nj_registry *reg = round_with(3, 30);
    nj_posting *p = nj_posting_get(reg, 10);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 7.0), NJ_OK);
    for (int64_t i = 1; i <= 20; i++)
        assert_int_equal(nj_application_submit(reg, i, 10, 20230220), NJ_OK);
    assert_int_equal(nj_posting_status(p), NJ_POSTING_OPEN);
    assert_int_equal(nj_application_withdraw(reg, 20, 10), NJ_OK); /* withdrawals don't reopen room */
    assert_int_equal(nj_application_submit(reg, 21, 10, 20230220), NJ_OK); /* the 21st: 7 x 3 */
    assert_int_equal(nj_posting_status(p), NJ_POSTING_CLOSED);
    assert_int_equal(nj_application_submit(reg, 22, 10, 20230220), NJ_E_CLOSED);
    assert_int_equal(nj_posting_application_count(p), 21);
    assert_int_equal(nj_posting_count_by_status(p, NJ_APPLICATION_APPLIED), 20);
    assert_int_equal(nj_posting_count_by_status(p, NJ_APPLICATION_WITHDRAWN), 1);
    /* A fractional ratio rounds the threshold up: 1.5 x 3 = 4.5 -> 5. */
    nj_posting *q;
    assert_int_equal(nj_posting_add(reg, 11, 1, "열람실", 3, &q), NJ_OK);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, q, 1.5), NJ_OK);
    for (int64_t i = 1; i <= 4; i++)
        assert_int_equal(nj_application_submit(reg, i, 11, 20230220), NJ_OK);
    assert_int_equal(nj_posting_status(q), NJ_POSTING_OPEN);
    assert_int_equal(nj_application_submit(reg, 5, 11, 20230220), NJ_OK);
    assert_int_equal(nj_posting_status(q), NJ_POSTING_CLOSED);
    nj_registry_destroy(reg);
}

static void fixed_seed_gives_a_fixed_draw(void **state)
{
    (void)state;
    nj_registry *reg = round_with(3, 6);
    for (int64_t i = 1; i <= 6; i++)
        assert_int_equal(nj_application_submit(reg, i, 10, 20230220 + (int32_t)(i % 3)), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 20230301, 20230225), NJ_OK);
    /* splitmix64 from seed 20230301, one draw per applicant in order of
     * application (docs/selection.md works it through): ranks 6, 3, 1, 4,
     * 5, 2. */
    static const int64_t expected[6] = {6, 3, 1, 4, 5, 2};
    const nj_posting *p = nj_posting_get(reg, 10);
    for (size_t i = 0; i < 6; i++) {
        int64_t who;
        int32_t status, date, rank;
        assert_int_equal(nj_posting_application_at(p, i, &who, &status, &date, &rank), NJ_OK);
        assert_int_equal(expected[rank - 1], who);
        assert_int_equal(status, rank <= 3 ? NJ_APPLICATION_SELECTED : NJ_APPLICATION_WAITLISTED);
    }
    int32_t method, date;
    uint64_t seed;
    assert_int_equal(nj_posting_selection(p, &method, &seed, &date), NJ_OK);
    assert_int_equal(method, NJ_SELECT_LOTTERY);
    assert_true(seed == 20230301);
    assert_int_equal(date, 20230225);
    assert_int_equal(nj_posting_status(p), NJ_POSTING_CLOSED);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 1, 20230225), NJ_E_CLOSED);
    assert_int_equal(nj_application_submit(reg, 6, 10, 20230224), NJ_E_EXISTS);
    /* A withdrawal after selection promotes the head of the waitlist. */
    assert_int_equal(nj_application_withdraw(reg, 3, 10), NJ_OK);
    assert_int_equal(status_of(reg, 3, 10), NJ_APPLICATION_WITHDRAWN);
    assert_int_equal(status_of(reg, 4, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(reg, 5, 10), NJ_APPLICATION_WAITLISTED);
    assert_int_equal(nj_application_withdraw(reg, 5, 10), NJ_OK); /* a waitlisted one: nobody moves */
    assert_int_equal(status_of(reg, 2, 10), NJ_APPLICATION_WAITLISTED);
    assert_int_equal(nj_application_withdraw(reg, 5, 10), NJ_E_CLOSED);
    assert_int_equal(nj_application_withdraw(reg, 1, 10), NJ_OK);
    assert_int_equal(status_of(reg, 2, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(nj_posting_count_by_status(p, NJ_APPLICATION_SELECTED), 3);
    /* The same applications and seed in a fresh registry: the same draw. */
    nj_registry *again = round_with(3, 6);
    for (int64_t i = 1; i <= 6; i++)
        assert_int_equal(nj_application_submit(again, i, 10, 20230220), NJ_OK);
    assert_int_equal(nj_posting_select(again, 10, NJ_SELECT_LOTTERY, 20230301, 20230225), NJ_OK);
    assert_int_equal(status_of(again, 6, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(again, 3, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(again, 1, 10), NJ_APPLICATION_SELECTED);
    nj_registry_destroy(again);
    nj_registry_destroy(reg);
}

static void first_come_and_queries(void **state)
{
    (void)state;
    nj_registry *reg = round_with(2, 4);
    for (int64_t i = 4; i >= 1; i--)
        assert_int_equal(nj_application_submit(reg, i, 10, 20230221), NJ_OK);
    assert_int_equal(nj_application_withdraw(reg, 3, 10), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_FIRST_COME, 0, 20230225), NJ_OK);
    assert_int_equal(status_of(reg, 4, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(reg, 2, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(reg, 1, 10), NJ_APPLICATION_WAITLISTED);
    assert_int_equal(status_of(reg, 3, 10), NJ_APPLICATION_WITHDRAWN);
    const nj_participant *four = nj_participant_get(reg, 4);
    assert_int_equal(nj_participant_application_count(four), 1);
    int64_t posting;
    int32_t status, date;
    assert_int_equal(nj_participant_application_at(four, 0, &posting, &status, &date), NJ_OK);
    assert_int_equal(posting, 10);
    assert_int_equal(status, NJ_APPLICATION_SELECTED);
    assert_int_equal(date, 20230221);
    assert_int_equal(nj_participant_application_at(four, 1, NULL, NULL, NULL), NJ_E_NOT_FOUND);
    assert_int_equal(nj_participant_application_at(NULL, 0, NULL, NULL, NULL), NJ_E_INVALID);
    assert_int_equal(nj_posting_application_at(nj_posting_get(reg, 10), 4, NULL, NULL, NULL, NULL),
                     NJ_E_NOT_FOUND);
    assert_int_equal(nj_posting_application_at(NULL, 0, NULL, NULL, NULL, NULL), NJ_E_INVALID);
    assert_int_equal(nj_application_status(reg, 4, 11, &status), NJ_E_NOT_FOUND);
    assert_int_equal(nj_application_status(reg, 4, 10, NULL), NJ_E_INVALID);
    assert_int_equal(nj_posting_selection(nj_posting_get(reg, 10), NULL, NULL, NULL), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 10, 3, 0, 20230225), NJ_E_INVALID);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 0, 2023), NJ_E_INVALID);
    assert_int_equal(nj_posting_select(reg, 12, NJ_SELECT_LOTTERY, 0, 20230225), NJ_E_NOT_FOUND);
    assert_int_equal(nj_application_withdraw(reg, 4, 12), NJ_E_NOT_FOUND);
    assert_int_equal(nj_participant_application_count(NULL), 0);
    assert_int_equal(nj_posting_application_count(NULL), 0);
    nj_registry_destroy(reg);
}

/* Residents who already earned stipend minutes this year go last. */
static void priority_to_fewer_paid_minutes(void **state)
{
    (void)state;
    nj_registry *reg = round_with(3, 6);
    nj_posting *earlier;
    assert_int_equal(nj_posting_add(reg, 9, 1, "지난 사업", 5, &earlier), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, earlier, 20230102, 20230131), NJ_OK);
    for (int64_t i = 4; i <= 6; i++)
        assert_int_equal(nj_application_submit(reg, i, 9, 20230101), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 9, NJ_SELECT_FIRST_COME, 0, 20230101), NJ_OK);
    /* 6 worked 600 minutes, 5 worked 60, 4 nothing. */
    assert_int_equal(nj_work_record(reg, 1, 6, 9, 20230110, 600), NJ_OK);
    assert_int_equal(nj_work_record(reg, 2, 5, 9, 20230110, 60), NJ_OK);
    for (int64_t i = 1; i <= 6; i++)
        assert_int_equal(nj_application_submit(reg, i, 10, 20230220), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 20230301, 20230225), NJ_OK);
    /* Zero-paid 1, 2, 3, 4 compete for 3 slots by lottery (6, 3, 1, 4, 5, 2
     * without priority), then 5 (60 min), then 6 (600 min). */
    assert_int_equal(status_of(reg, 3, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(reg, 1, 10), NJ_APPLICATION_SELECTED);
    assert_int_equal(status_of(reg, 4, 10), NJ_APPLICATION_SELECTED);
    int32_t rank5, rank6, rank2;
    const nj_posting *p = nj_posting_get(reg, 10);
    for (size_t i = 0; i < 6; i++) {
        int64_t who;
        int32_t rank;
        nj_posting_application_at(p, i, &who, NULL, NULL, &rank);
        if (who == 5) rank5 = rank;
        if (who == 6) rank6 = rank;
        if (who == 2) rank2 = rank;
    }
    assert_int_equal(rank2, 4);
    assert_int_equal(rank5, 5);
    assert_int_equal(rank6, 6);
    nj_registry_destroy(reg);
}

/* Every applicant of equal priority wins about equally often: over 2 000
 * seeds, 3 slots among 10 applicants, wins per applicant should be 600. */
static void lottery_is_fair(void **state)
{
    (void)state;
    enum { APPLICANTS = 10, SLOTS = 3, SEEDS = 2000 };
    size_t wins[APPLICANTS + 1] = {0};
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        nj_registry *reg = round_with(SLOTS, APPLICANTS);
        for (int64_t i = 1; i <= APPLICANTS; i++)
            assert_int_equal(nj_application_submit(reg, i, 10, 20230221), NJ_OK);
        assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, seed * 7919, 20230225), NJ_OK);
        for (int64_t i = 1; i <= APPLICANTS; i++)
            wins[i] += status_of(reg, i, 10) == NJ_APPLICATION_SELECTED;
        nj_registry_destroy(reg);
    }
    double expected = (double)SEEDS * SLOTS / APPLICANTS, chi2 = 0;
    for (int i = 1; i <= APPLICANTS; i++)
        chi2 += ((double)wins[i] - expected) * ((double)wins[i] - expected) / expected;
    /* 9 degrees of freedom: P(chi2 > 27.88) = 0.001. */
    assert_true(chi2 < 27.88);
}

/* Twelve residents, eleven of them applied to a 2-slot posting. */
static nj_registry *applied(test_allocator *a)
{
    nj_registry *reg = test_registry_new(a);
    assert_int_equal(nj_facility_add(reg, 1, 1, "f", 35.1, 126.8, 0, NULL), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 10, 1, "p", 2, NULL), NJ_OK);
    for (int64_t i = 1; i <= 12; i++) {
        assert_int_equal(nj_participant_add(reg, i, 19700101, 0, 35.1, 126.8,
                                            20230101, 0, NULL), NJ_OK);
        if (i < 12)
            assert_int_equal(nj_application_submit(reg, i, 10, 20230221), NJ_OK);
    }
    return reg;
}

static nj_status apply_twelfth(nj_registry *reg)
{
    return nj_application_submit(reg, 12, 10, 20230221);
}

static nj_status select_lottery(nj_registry *reg)
{
    return nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 5, 20230225);
}

/* apply and select under failing allocations. */
static void allocation_failures(void **state)
{
    (void)state;
    size_t injected = test_count_oom_failures(applied, apply_twelfth) +
                      test_count_oom_failures(applied, select_lottery);
    assert_true(injected >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(apply_checks_every_rule),
        cmocka_unit_test(early_close_at_seven_times_the_slots),
        cmocka_unit_test(fixed_seed_gives_a_fixed_draw),
        cmocka_unit_test(first_come_and_queries),
        cmocka_unit_test(priority_to_fewer_paid_minutes),
        cmocka_unit_test(lottery_is_fair),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
