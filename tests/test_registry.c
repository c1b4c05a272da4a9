/* Registry lifecycle, allocator hooks, status names and versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "test_support.h"

static void create_and_destroy(void **state)
{
    (void)state;
    nj_registry *reg = NULL;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_non_null(reg);
    assert_string_equal(nj_registry_errmsg(reg), "");
    assert_int_equal(nj_region_count(reg), 0);
    assert_int_equal(nj_facility_count(reg), 0);
    assert_int_equal(nj_posting_count(reg), 0);
    assert_int_equal(nj_participant_count(reg), 0);
    nj_registry_destroy(reg);
    nj_registry_destroy(NULL);
}

static void create_rejects_null_out(void **state)
{
    (void)state;
    assert_int_equal(nj_registry_create(NULL), NJ_E_INVALID);
    test_allocator a = {0};
    assert_int_equal(nj_registry_create_with_allocator(test_malloc_hook,
                                                       test_realloc_hook,
                                                       test_free_hook, &a, NULL),
                     NJ_E_INVALID);
}

static void create_with_allocator_requires_every_hook(void **state)
{
    (void)state;
    test_allocator a = {0};
    nj_registry *reg = (nj_registry *)&a; /* must be reset to NULL */
    assert_int_equal(nj_registry_create_with_allocator(NULL, test_realloc_hook,
                                                       test_free_hook, &a, &reg),
                     NJ_E_INVALID);
    assert_null(reg);
    assert_int_equal(nj_registry_create_with_allocator(test_malloc_hook, NULL,
                                                       test_free_hook, &a, &reg),
                     NJ_E_INVALID);
    assert_int_equal(nj_registry_create_with_allocator(test_malloc_hook,
                                                       test_realloc_hook, NULL,
                                                       &a, &reg),
                     NJ_E_INVALID);
    assert_int_equal(a.calls, 0);
}

static void allocator_hooks_see_every_allocation(void **state)
{
    (void)state;
    test_allocator a;
    nj_registry *reg = test_registry_new(&a);
    assert_non_null(reg);
    assert_int_equal(a.live, 1);
    assert_int_equal(nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주광역시", NULL),
                     NJ_OK);
    assert_true(a.live > 1);
    nj_registry_destroy(reg);
    assert_int_equal(a.live, 0);
}

static void create_reports_nomem(void **state)
{
    (void)state;
    test_allocator a = {0};
    a.fail_at = 1;
    nj_registry *reg = (nj_registry *)&a;
    assert_int_equal(nj_registry_create_with_allocator(test_malloc_hook,
                                                       test_realloc_hook,
                                                       test_free_hook, &a, &reg),
                     NJ_E_NOMEM);
    assert_null(reg);
    assert_int_equal(a.live, 0);
}

static void errmsg_keeps_last_failure(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 42, 19800101, 0, 91.5, 126.8,
                                        20250301, 0, NULL),
                     NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "participant 42: latitude 91.5 outside [-90, 90]");
    /* A success leaves it alone; read-only calls never touch it. */
    assert_int_equal(nj_region_add(reg, 1, NJ_REGION_PROVINCE, 0, "A", NULL), NJ_OK);
    assert_null(nj_region_get(reg, 999));
    assert_string_equal(nj_registry_errmsg(reg),
                        "participant 42: latitude 91.5 outside [-90, 90]");
    nj_registry_destroy(reg);
    assert_string_equal(nj_registry_errmsg(NULL), "");
}

static void status_names_are_pinned(void **state)
{
    (void)state;
    assert_int_equal(NJ_OK, 0);
    assert_int_equal(NJ_E_INVALID, 1);
    assert_int_equal(NJ_E_NOMEM, 2);
    assert_int_equal(NJ_E_NOT_FOUND, 3);
    assert_int_equal(NJ_E_EXISTS, 4);
    assert_int_equal(NJ_E_RANGE, 5);
    assert_int_equal(NJ_E_INELIGIBLE, 6);
    assert_int_equal(NJ_E_CLOSED, 7);
    assert_int_equal(NJ_E_CAP, 8);
    assert_int_equal(NJ_E_IO, 9);
    assert_int_equal(NJ_E_CORRUPT, 10);
    assert_int_equal(NJ_E_VERSION, 11);
    assert_int_equal(NJ_E_ENCODING, 12);
    assert_int_equal(NJ_E_BUFFER_TOO_SMALL, 13);
    assert_int_equal(NJ_E_UNSUPPORTED, 14);
    assert_int_equal(NJ_E_IN_USE, 15);
    assert_int_equal(sizeof(nj_status), 4);
    assert_string_equal(nj_status_str(NJ_OK), "NJ_OK: success");
    assert_string_equal(nj_status_str(NJ_E_NOT_FOUND), "NJ_E_NOT_FOUND: not found");
    assert_string_equal(nj_status_str(NJ_E_IN_USE), "NJ_E_IN_USE: object in use");
    for (nj_status s = NJ_OK; s <= NJ_E_IN_USE; s++)
        assert_non_null(strstr(nj_status_str(s), "NJ_"));
    assert_string_equal(nj_status_str(16), "unknown status");
    assert_string_equal(nj_status_str(-1), "unknown status");
}

static void version_matches_header(void **state)
{
    (void)state;
    assert_int_equal(nj_version_number(), NJ_VERSION_NUMBER);
    assert_int_equal(NJ_VERSION_NUMBER, 100);
    assert_string_equal(nj_version_string(), NJ_VERSION_STRING);
    assert_string_equal(nj_version_string(), "0.1.0");
}

static void dates_are_validated(void **state)
{
    (void)state;
    assert_true(nj_date_is_valid(20240229));
    assert_false(nj_date_is_valid(20230229));
    assert_false(nj_date_is_valid(20240230));
    assert_true(nj_date_is_valid(20000229));  /* divisible by 400 */
    assert_false(nj_date_is_valid(19000229)); /* divisible by 100 */
    assert_true(nj_date_is_valid(19000101));
    assert_false(nj_date_is_valid(18991231));
    assert_true(nj_date_is_valid(29991231));
    assert_false(nj_date_is_valid(30000101));
    assert_false(nj_date_is_valid(20241301));
    assert_false(nj_date_is_valid(20241200));
    assert_false(nj_date_is_valid(20240431));
    assert_false(nj_date_is_valid(0));
    assert_false(nj_date_is_valid(-20240101));
}

/* A handle of another kind (a cast, or pointers mixed up across an FFI) is
 * refused by every setter with NJ_E_INVALID and a message naming the
 * expected kind, and read as nothing by every getter; nothing changes. */
static void wrong_kind_handles_are_refused(void **state)
{
    (void)state;
    nj_registry *reg = NULL;
    nj_region *region = NULL;
    nj_facility *facility = NULL;
    nj_posting *posting = NULL;
    nj_participant *person = NULL;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 11, NJ_REGION_PROVINCE, 0, "광주광역시", &region), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 21, NJ_FACILITY_LIBRARY, "송정도서관", 35.1379, 126.7937,
                                     11, &facility), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 31, 21, "도서 정리", 3, &posting), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 41, 19800101, 0, 35.14, 126.79, 20240101, 11,
                                        &person), NJ_OK);
    void *others[] = {region, facility, posting, person, reg};

    for (size_t i = 0; i < 5; i++) {
        void *h = others[i];
        if (h != facility) {
            assert_int_equal(nj_facility_set_name(reg, h, "x"), NJ_E_INVALID);
            assert_non_null(strstr(nj_registry_errmsg(reg), "is not a facility"));
            assert_int_equal(nj_facility_id(h), 0);
            assert_string_equal(nj_facility_name(h), "");
            assert_int_equal(nj_facility_posting_count(h), 0);
        }
        if (h != posting) {
            assert_int_equal(nj_posting_set_slots(reg, h, 5), NJ_E_INVALID);
            assert_non_null(strstr(nj_registry_errmsg(reg), "is not a posting"));
            assert_int_equal(nj_posting_slots(h), 0);
            assert_string_equal(nj_posting_title(h), "");
            assert_int_equal(nj_posting_application_count(h), 0);
            assert_int_equal(nj_posting_count_by_status(h, NJ_APPLICATION_APPLIED), 0);
            assert_int_equal(nj_posting_selection(h, NULL, NULL, NULL), NJ_E_INVALID);
        }
        if (h != person) {
            int32_t age = -1;
            assert_int_equal(nj_participant_set_foreign(reg, h, 1), NJ_E_INVALID);
            assert_non_null(strstr(nj_registry_errmsg(reg), "is not a participant"));
            assert_int_equal(nj_participant_birth_date(h), 0);
            assert_int_equal(nj_participant_age_on(h, 20250101, &age), NJ_E_INVALID);
            assert_int_equal(age, -1);
            assert_int_equal(nj_participant_application_count(h), 0);
        }
        if (h != region) {
            int inside = -1;
            assert_int_equal(nj_region_set_name(reg, h, "x"), NJ_E_INVALID);
            assert_non_null(strstr(nj_registry_errmsg(reg), "is not a region"));
            assert_int_equal(nj_region_level(h), 0);
            assert_string_equal(nj_region_name(h), "");
            assert_int_equal(nj_region_contains(h, 35.14, 126.79, &inside), NJ_E_INVALID);
            assert_int_equal(nj_region_is_within(h, region), 0);
        }
    }
    /* The objects themselves are untouched and still accepted. */
    assert_string_equal(nj_facility_name(facility), "송정도서관");
    assert_int_equal(nj_posting_slots(posting), 3);
    assert_int_equal(nj_participant_is_foreign(person), 0);
    assert_string_equal(nj_region_name(region), "광주광역시");
    assert_int_equal(nj_posting_set_slots(reg, posting, 4), NJ_OK);
    assert_int_equal(nj_region_is_within(region, region), 1);
    nj_registry_destroy(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_and_destroy),
        cmocka_unit_test(create_rejects_null_out),
        cmocka_unit_test(create_with_allocator_requires_every_hook),
        cmocka_unit_test(allocator_hooks_see_every_allocation),
        cmocka_unit_test(create_reports_nomem),
        cmocka_unit_test(errmsg_keeps_last_failure),
        cmocka_unit_test(status_names_are_pinned),
        cmocka_unit_test(version_matches_header),
        cmocka_unit_test(dates_are_validated),
        cmocka_unit_test(wrong_kind_handles_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
