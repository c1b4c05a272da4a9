/* Facilities: add, look up, derived regions, setters and removal rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "test_support.h"

/* Two neighbouring square "dongs" under one district. */
static nj_registry *two_dongs(void)
{
    nj_registry *reg;
    nj_region *a, *b;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 0, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920063000, 3, 29200, "신가동", &a), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920063500, 3, 29200, "운남동", &b), NJ_OK);
    assert_int_equal(test_set_square(reg, a, 35.18, 126.82, 0.01), NJ_OK);
    assert_int_equal(test_set_square(reg, b, 35.17, 126.81, 0.01), NJ_OK);
    return reg;
}

static void add_derives_region(void **state)
{
    (void)state;
    nj_registry *reg = two_dongs();
    nj_facility *f;
    /* 신가도서관 at its real coordinates lies in the 신가동 square. */
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.1826649, 126.8278526, 0, &f), NJ_OK);
    assert_int_equal(nj_facility_id(f), 1);
    assert_int_equal(nj_facility_kind(f), NJ_FACILITY_LIBRARY);
    assert_string_equal(nj_facility_name(f), "신가도서관");
    assert_true(nj_facility_lat(f) == 35.1826649);
    assert_true(nj_facility_lon(f) == 126.8278526);
    assert_int_equal(nj_facility_region_id(f), 2920063000);
    assert_int_equal(nj_facility_posting_count(f), 0);
    assert_ptr_equal(nj_facility_get(reg, 1), f);
    assert_ptr_equal(nj_facility_at(reg, 0), f);
    assert_null(nj_facility_at(reg, 1));
    assert_int_equal(nj_facility_count(reg), 1);
    /* Outside every region: no region. */
    assert_int_equal(nj_facility_add(reg, 2, NJ_FACILITY_OTHER, "Jeju", 33.5, 126.5, 0, &f), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 0);
    /* An explicit region wins over the location. */
    assert_int_equal(nj_facility_add(reg, 3, NJ_FACILITY_WELFARE_CENTRE, "복지관",
                                     35.1826649, 126.8278526, 2920063500, &f), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 2920063500);
    nj_registry_destroy(reg);
}

static void add_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = two_dongs();
    assert_int_equal(nj_facility_add(reg, 1, 1, "a", 35.1, 126.8, 0, NULL), NJ_OK);
    char *before = test_registry_dump(reg);
    nj_facility *out = (nj_facility *)reg;
    assert_int_equal(nj_facility_add(reg, 1, 1, "dup", 35.1, 126.8, 0, &out), NJ_E_EXISTS);
    assert_null(out);
    assert_string_equal(nj_registry_errmsg(reg), "facility 1 already exists");
    assert_int_equal(nj_facility_add(reg, 0, 1, "a", 35.1, 126.8, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_facility_add(reg, 2, 0, "a", 35.1, 126.8, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_facility_add(reg, 2, 8, "a", 35.1, 126.8, 0, NULL), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg),
                        "facility 2: kind 8 is not an nj_facility_kind (1..7)");
    assert_int_equal(nj_facility_add(reg, 2, 1, NULL, 35.1, 126.8, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_facility_add(reg, 2, 1, "\xB5\xB5\xBC\xAD\xB0\xFC", 35.1, 126.8, 0, NULL),
                     NJ_E_ENCODING);
    assert_int_equal(nj_facility_add(reg, 2, 1, "a", 90.0000001, 126.8, 0, NULL), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "facility 2: latitude 90.0000001 outside [-90, 90]");
    assert_int_equal(nj_facility_add(reg, 2, 1, "a", 35.1, -180.5, 0, NULL), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "facility 2: longitude -180.5 outside [-180, 180]");
    assert_int_equal(nj_facility_add(reg, 2, 1, "a", NAN, 126.8, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_facility_add(reg, 2, 1, "a", 35.1, INFINITY, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_facility_add(reg, 2, 1, "a", 35.1, 126.8, 77, NULL), NJ_E_NOT_FOUND);
    assert_string_equal(nj_registry_errmsg(reg), "facility 2: region 77 not found");
    assert_int_equal(nj_facility_add(NULL, 2, 1, "a", 35.1, 126.8, 0, NULL), NJ_E_INVALID);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* The extremes themselves are valid. */
    assert_int_equal(nj_facility_add(reg, 3, 1, "pole", 90.0, 180.0, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 4, 1, "pole", -90.0, -180.0, 0, NULL), NJ_OK);
    nj_registry_destroy(reg);
}

static void getters_tolerate_null(void **state)
{
    (void)state;
    assert_int_equal(nj_facility_id(NULL), 0);
    assert_int_equal(nj_facility_kind(NULL), 0);
    assert_string_equal(nj_facility_name(NULL), "");
    assert_true(isnan(nj_facility_lat(NULL)));
    assert_true(isnan(nj_facility_lon(NULL)));
    assert_int_equal(nj_facility_region_id(NULL), 0);
    assert_int_equal(nj_facility_posting_count(NULL), 0);
    assert_null(nj_facility_get(NULL, 1));
    assert_int_equal(nj_facility_count(NULL), 0);
    assert_null(nj_facility_at(NULL, 0));
}

static void setters(void **state)
{
    (void)state;
    nj_registry *reg = two_dongs();
    nj_facility *f;
    assert_int_equal(nj_facility_add(reg, 1, 1, "a", 35.185, 126.825, 0, &f), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 2920063000);
    assert_int_equal(nj_facility_set_name(reg, f, "운남어린이도서관"), NJ_OK);
    assert_string_equal(nj_facility_name(f), "운남어린이도서관");
    assert_int_equal(nj_facility_set_name(reg, f, "\xC0\x80"), NJ_E_ENCODING);
    assert_string_equal(nj_facility_name(f), "운남어린이도서관");
    assert_int_equal(nj_facility_set_kind(reg, f, NJ_FACILITY_YOUTH_CENTRE), NJ_OK);
    assert_int_equal(nj_facility_kind(f), NJ_FACILITY_YOUTH_CENTRE);
    assert_int_equal(nj_facility_set_kind(reg, f, 99), NJ_E_INVALID);
    assert_int_equal(nj_facility_kind(f), NJ_FACILITY_YOUTH_CENTRE);
    /* Moving re-derives a derived region... */
    assert_int_equal(nj_facility_set_location(reg, f, 35.175, 126.815), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 2920063500);
    assert_int_equal(nj_facility_set_location(reg, f, 95.0, 126.815), NJ_E_RANGE);
    assert_true(nj_facility_lat(f) == 35.175);
    /* ...but keeps one the caller set. */
    assert_int_equal(nj_facility_set_region(reg, f, 29200), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 29200);
    assert_int_equal(nj_facility_set_location(reg, f, 35.185, 126.825), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 29200);
    assert_int_equal(nj_facility_set_region(reg, f, 1), NJ_E_NOT_FOUND);
    assert_int_equal(nj_facility_region_id(f), 29200);
    assert_int_equal(nj_facility_set_region(reg, f, 0), NJ_OK);
    assert_int_equal(nj_facility_region_id(f), 2920063000);
    /* The region reference moved with it: the district can now be emptied. */
    assert_int_equal(nj_region_remove(reg, 2920063500), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920063000), NJ_E_IN_USE);
    assert_int_equal(nj_facility_set_name(NULL, f, "x"), NJ_E_INVALID);
    assert_int_equal(nj_facility_set_kind(reg, NULL, 1), NJ_E_INVALID);
    assert_int_equal(nj_facility_set_location(reg, NULL, 1, 1), NJ_E_INVALID);
    assert_int_equal(nj_facility_set_region(reg, NULL, 0), NJ_E_INVALID);
    nj_registry_destroy(reg);
}

static void remove_refuses_with_postings(void **state)
{
    (void)state;
    nj_registry *reg = two_dongs();
    nj_facility *f;
    assert_int_equal(nj_facility_add(reg, 1, 1, "a", 35.185, 126.825, 0, &f), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 10, 1, "책 정리", 2, NULL), NJ_OK);
    assert_int_equal(nj_facility_posting_count(f), 1);
    assert_int_equal(nj_facility_remove(reg, 1), NJ_E_IN_USE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "facility 1 still has postings (1); remove them first");
    assert_non_null(nj_facility_get(reg, 1));
    assert_int_equal(nj_posting_remove(reg, 10), NJ_OK);
    assert_int_equal(nj_facility_posting_count(f), 0);
    assert_int_equal(nj_facility_remove(reg, 1), NJ_OK);
    assert_null(nj_facility_get(reg, 1));
    assert_int_equal(nj_facility_remove(reg, 1), NJ_E_NOT_FOUND);
    assert_int_equal(nj_facility_remove(NULL, 1), NJ_E_INVALID);
    /* The region is no longer referenced. */
    assert_int_equal(nj_region_remove(reg, 2920063000), NJ_OK);
    nj_registry_destroy(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_derives_region),
        cmocka_unit_test(add_rejects_bad_input),
        cmocka_unit_test(getters_tolerate_null),
        cmocka_unit_test(setters),
        cmocka_unit_test(remove_refuses_with_postings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
