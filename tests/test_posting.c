/* Postings: defaults, every setter's range and the references they hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "test_support.h"

static nj_registry *with_library(void)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, 2, 0, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 7, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 29200, NULL), NJ_OK);
    return reg;
}

static void add_sets_defaults(void **state)
{
    (void)state;
    nj_registry *reg = with_library();
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 100, 7, "도서 정리 도우미", 3, &p), NJ_OK);
    assert_int_equal(nj_posting_id(p), 100);
    assert_int_equal(nj_posting_facility_id(p), 7);
    assert_string_equal(nj_posting_title(p), "도서 정리 도우미");
    assert_int_equal(nj_posting_programme_type(p), NJ_PROGRAMME_DIRECT_JOBS);
    assert_int_equal(nj_posting_slots(p), 3);
    assert_int_equal(nj_posting_minutes_per_person(p), 6000);
    assert_int_equal(nj_posting_hourly_stipend_krw(p), 0);
    assert_int_equal(nj_posting_work_start(p), 0);
    assert_int_equal(nj_posting_work_end(p), 0);
    assert_int_equal(nj_posting_apply_open(p), 0);
    assert_int_equal(nj_posting_apply_close(p), 0);
    assert_int_equal(nj_posting_min_age(p), 0);
    assert_int_equal(nj_posting_max_age(p), 150);
    assert_int_equal(nj_posting_residency_region_id(p), 0);
    assert_int_equal(nj_posting_foreign_allowed(p), 1);
    assert_true(nj_posting_radius_m(p) == 2000.0);
    assert_true(nj_posting_early_close_ratio(p) == 0.0);
    assert_int_equal(nj_posting_status(p), NJ_POSTING_OPEN);
    assert_ptr_equal(nj_posting_get(reg, 100), p);
    assert_ptr_equal(nj_posting_at(reg, 0), p);
    assert_int_equal(nj_posting_count(reg), 1);
    assert_int_equal(nj_facility_posting_count(nj_facility_get(reg, 7)), 1);
    nj_registry_destroy(reg);
}

static void add_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = with_library();
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, NULL), NJ_OK);
    char *before = test_registry_dump(reg);
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, NULL), NJ_E_EXISTS);
    assert_int_equal(nj_posting_add(reg, 0, 7, "a", 1, NULL), NJ_E_RANGE);
    assert_int_equal(nj_posting_add(reg, 2, 8, "a", 1, NULL), NJ_E_NOT_FOUND);
    assert_string_equal(nj_registry_errmsg(reg), "posting 2: facility 8 not found");
    assert_int_equal(nj_posting_add(reg, 2, 7, "", 1, NULL), NJ_E_INVALID);
    assert_int_equal(nj_posting_add(reg, 2, 7, "\xED\xB0\x80", 1, NULL), NJ_E_ENCODING);
    assert_int_equal(nj_posting_add(reg, 2, 7, "a", -1, NULL), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "posting 2: slots -1 outside [0, 1000000]");
    assert_int_equal(nj_posting_add(reg, 2, 7, "a", 1000001, NULL), NJ_E_RANGE);
    assert_int_equal(nj_posting_add(NULL, 2, 7, "a", 1, NULL), NJ_E_INVALID);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(nj_posting_add(reg, 2, 7, "a", 0, NULL), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 3, 7, "a", 1000000, NULL), NJ_OK);
    nj_registry_destroy(reg);
}

static void getters_tolerate_null(void **state)
{
    (void)state;
    assert_int_equal(nj_posting_id(NULL), 0);
    assert_int_equal(nj_posting_facility_id(NULL), 0);
    assert_string_equal(nj_posting_title(NULL), "");
    assert_int_equal(nj_posting_slots(NULL), 0);
    assert_int_equal(nj_posting_status(NULL), 0);
    assert_int_equal(nj_posting_residency_region_id(NULL), 0);
    assert_true(isnan(nj_posting_radius_m(NULL)));
    assert_true(isnan(nj_posting_early_close_ratio(NULL)));
    assert_null(nj_posting_get(NULL, 1));
    assert_null(nj_posting_at(NULL, 0));
    assert_int_equal(nj_posting_count(NULL), 0);
}

static void numeric_setters_check_ranges(void **state)
{
    (void)state;
    nj_registry *reg = with_library();
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_set_slots(reg, p, 12), NJ_OK);
    assert_int_equal(nj_posting_slots(p), 12);
    assert_int_equal(nj_posting_set_slots(reg, p, -3), NJ_E_RANGE);
    assert_int_equal(nj_posting_slots(p), 12);

    assert_int_equal(nj_posting_set_minutes_per_person(reg, p, 2400), NJ_OK);
    assert_int_equal(nj_posting_minutes_per_person(p), 2400);
    assert_int_equal(nj_posting_set_minutes_per_person(reg, p, -1), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "posting 1: minutes per person -1 outside [0, 1000000]");

    /* Gwangsan-gu's 2023 living wage. */
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, 11930), NJ_OK);
    assert_int_equal(nj_posting_hourly_stipend_krw(p), 11930);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, INT64_MAX), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, -1), NJ_E_RANGE);
    assert_int_equal(nj_posting_hourly_stipend_krw(p), 11930);

    assert_int_equal(nj_posting_set_programme_type(reg, p, NJ_PROGRAMME_VOCATIONAL_TRAINING), NJ_OK);
    assert_int_equal(nj_posting_programme_type(p), 2);
    assert_int_equal(nj_posting_set_programme_type(reg, p, NJ_PROGRAMME_CUSTOM_BASE + 5), NJ_OK);
    assert_int_equal(nj_posting_set_programme_type(reg, p, 9), NJ_E_INVALID);
    assert_int_equal(nj_posting_set_programme_type(reg, p, 0), NJ_E_INVALID);
    assert_int_equal(nj_posting_programme_type(p), 1005);

    assert_int_equal(nj_posting_set_age_range(reg, p, 19, 34), NJ_OK);
    assert_int_equal(nj_posting_min_age(p), 19);
    assert_int_equal(nj_posting_max_age(p), 34);
    assert_int_equal(nj_posting_set_age_range(reg, p, 35, 34), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_age_range(reg, p, -1, 34), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_age_range(reg, p, 65, 151), NJ_E_RANGE);
    assert_int_equal(nj_posting_min_age(p), 19);

    assert_int_equal(nj_posting_set_radius_m(reg, p, 1500.0), NJ_OK);
    assert_true(nj_posting_radius_m(p) == 1500.0);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 0.0), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 20015115.0), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 20015115.5), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_radius_m(reg, p, -0.001), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_radius_m(reg, p, NAN), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "posting 1: radius (m) nan outside [0, 20015115]");
    assert_true(nj_posting_radius_m(p) == 20015115.0);

    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 7.0), NJ_OK);
    assert_true(nj_posting_early_close_ratio(p) == 7.0);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 0.5), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, NAN), NJ_E_RANGE);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 1001.0), NJ_E_RANGE);
    assert_true(nj_posting_early_close_ratio(p) == 7.0);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 0.0), NJ_OK);

    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 0), NJ_OK);
    assert_int_equal(nj_posting_foreign_allowed(p), 0);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 2), NJ_E_INVALID);
    assert_int_equal(nj_posting_foreign_allowed(p), 0);

    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_CLOSED), NJ_OK);
    assert_int_equal(nj_posting_status(p), NJ_POSTING_CLOSED);
    assert_int_equal(nj_posting_set_status(reg, p, 3), NJ_E_INVALID);
    assert_int_equal(nj_posting_status(p), NJ_POSTING_CLOSED);
    nj_registry_destroy(reg);
}

static void date_setters_check_calendar_and_order(void **state)
{
    (void)state;
    nj_registry *reg = with_library();
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230301, 20230731), NJ_OK);
    assert_int_equal(nj_posting_work_start(p), 20230301);
    assert_int_equal(nj_posting_work_end(p), 20230731);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20240230, 20240301), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg),
                        "posting 1: work start 20240230 is not a calendar date in [19000101, 29991231]");
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230801, 20230731), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg),
                        "posting 1: work start 20230801 is after work end 20230731");
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230301, 0), NJ_E_INVALID);
    assert_int_equal(nj_posting_work_start(p), 20230301);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230301, 20230301), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, p, 0, 0), NJ_OK);
    assert_int_equal(nj_posting_work_start(p), 0);

    assert_int_equal(nj_posting_set_application_window(reg, p, 20230220, 20230224), NJ_OK);
    assert_int_equal(nj_posting_apply_open(p), 20230220);
    assert_int_equal(nj_posting_apply_close(p), 20230224);
    assert_int_equal(nj_posting_set_application_window(reg, p, 20230225, 20230224), NJ_E_INVALID);
    assert_int_equal(nj_posting_set_application_window(reg, p, 20230229, 20230301), NJ_E_INVALID);
    assert_int_equal(nj_posting_apply_open(p), 20230220);
    nj_registry_destroy(reg);
}

static void residency_region_is_referenced(void **state)
{
    (void)state;
    nj_registry *reg = with_library();
    nj_posting *p;
    assert_int_equal(nj_region_add(reg, 2920063000, 3, 29200, "신가동", NULL), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 2920063000), NJ_OK);
    assert_int_equal(nj_posting_residency_region_id(p), 2920063000);
    assert_int_equal(nj_region_remove(reg, 2920063000), NJ_E_IN_USE);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 5), NJ_E_NOT_FOUND);
    assert_int_equal(nj_posting_residency_region_id(p), 2920063000);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 0), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920063000), NJ_OK);
    /* Removing a posting releases its residency region too. */
    assert_int_equal(nj_region_add(reg, 2920063500, 3, 29200, "운남동", NULL), NJ_OK);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 2920063500), NJ_OK);
    assert_int_equal(nj_posting_remove(reg, 1), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920063500), NJ_OK);
    assert_int_equal(nj_posting_remove(reg, 1), NJ_E_NOT_FOUND);
    assert_int_equal(nj_posting_remove(NULL, 1), NJ_E_INVALID);
    nj_registry_destroy(reg);
}

static void setters_check_handle_and_registry(void **state)
{
    (void)state;
    nj_registry *reg = with_library(), *other = with_library();
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 1, 7, "a", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_set_slots(other, p, 2), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(other), "posting 1 belongs to another registry");
    assert_int_equal(nj_posting_set_slots(reg, NULL, 2), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg), "posting handle is NULL");
    assert_int_equal(nj_posting_set_slots(NULL, p, 2), NJ_E_INVALID);
    assert_int_equal(nj_posting_set_title(reg, p, "새 제목"), NJ_OK);
    assert_string_equal(nj_posting_title(p), "새 제목");
    assert_int_equal(nj_posting_set_title(reg, p, NULL), NJ_E_INVALID);
    assert_string_equal(nj_posting_title(p), "새 제목");
    assert_int_equal(nj_posting_slots(p), 1);
    nj_registry_destroy(reg);
    nj_registry_destroy(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_sets_defaults),
        cmocka_unit_test(add_rejects_bad_input),
        cmocka_unit_test(getters_tolerate_null),
        cmocka_unit_test(numeric_setters_check_ranges),
        cmocka_unit_test(date_setters_check_calendar_and_order),
        cmocka_unit_test(residency_region_is_referenced),
        cmocka_unit_test(setters_check_handle_and_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
