/* Participants: verified homes, derived regions, ages and setters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "test_support.h"

static nj_registry *one_dong(void)
{
    nj_registry *reg;
    nj_region *dong;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, 2, 0, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920056500, 3, 29200, "어룡동", &dong), NJ_OK);
    assert_int_equal(test_set_square(reg, dong, 35.14, 126.79, 0.02), NJ_OK);
    return reg;
}

static void add_and_read_back(void **state)
{
    (void)state;
    nj_registry *reg = one_dong();
    nj_participant *p;
    assert_int_equal(nj_participant_add(reg, 42, 19630515, 0, 35.1449, 126.7998,
                                        20230302, 0, &p), NJ_OK);
    assert_int_equal(nj_participant_id(p), 42);
    assert_int_equal(nj_participant_birth_date(p), 19630515);
    assert_int_equal(nj_participant_is_foreign(p), 0);
    assert_true(nj_participant_lat(p) == 35.1449);
    assert_true(nj_participant_lon(p) == 126.7998);
    assert_int_equal(nj_participant_verified_date(p), 20230302);
    assert_int_equal(nj_participant_region_id(p), 2920056500);
    assert_ptr_equal(nj_participant_get(reg, 42), p);
    assert_ptr_equal(nj_participant_at(reg, 0), p);
    assert_int_equal(nj_participant_count(reg), 1);
    /* A home outside every region has no region. */
    assert_int_equal(nj_participant_add(reg, 43, 19900101, 1, 37.5, 127.0, 20230302, 0, &p), NJ_OK);
    assert_int_equal(nj_participant_region_id(p), 0);
    assert_int_equal(nj_participant_is_foreign(p), 1);
    nj_registry_destroy(reg);
}

static void add_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = one_dong();
    assert_int_equal(nj_participant_add(reg, 1, 19800101, 0, 35.15, 126.8, 20230101, 0, NULL), NJ_OK);
    char *before = test_registry_dump(reg);
    nj_participant *out = (nj_participant *)reg;
    assert_int_equal(nj_participant_add(reg, 1, 19800101, 0, 35.15, 126.8, 20230101, 0, &out), NJ_E_EXISTS);
    assert_null(out);
    assert_int_equal(nj_participant_add(reg, -1, 19800101, 0, 35.15, 126.8, 20230101, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_participant_add(reg, 2, 20240230, 0, 35.15, 126.8, 20250101, 0, NULL), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg),
                        "participant 2: birth date 20240230 is not a calendar date in [19000101, 29991231]");
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 0, 35.15, 126.8, 20231301, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 0, 35.15, 126.8, 19791231, 0, NULL), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg),
                        "participant 2: verification date 19791231 is before birth date 19800101");
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 2, 35.15, 126.8, 20230101, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 0, -90.5, 126.8, 20230101, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 0, 35.15, NAN, 20230101, 0, NULL), NJ_E_RANGE);
    assert_int_equal(nj_participant_add(reg, 2, 19800101, 0, 35.15, 126.8, 20230101, 3, NULL), NJ_E_NOT_FOUND);
    assert_int_equal(nj_participant_add(NULL, 2, 19800101, 0, 35.15, 126.8, 20230101, 0, NULL), NJ_E_INVALID);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
    nj_registry_destroy(reg);
}

static void age_on_a_date(void **state)
{
    (void)state;
    nj_registry *reg = one_dong();
    nj_participant *p, *leap;
    int32_t age;
    assert_int_equal(nj_participant_add(reg, 1, 19630515, 0, 35.15, 126.8, 20230101, 0, &p), NJ_OK);
    assert_int_equal(nj_participant_age_on(p, 20230514, &age), NJ_OK);
    assert_int_equal(age, 59);
    assert_int_equal(nj_participant_age_on(p, 20230515, &age), NJ_OK);
    assert_int_equal(age, 60);
    assert_int_equal(nj_participant_age_on(p, 19630515, &age), NJ_OK);
    assert_int_equal(age, 0);
    assert_int_equal(nj_participant_age_on(p, 19630514, &age), NJ_E_RANGE);
    assert_int_equal(nj_participant_age_on(p, 20230230, &age), NJ_E_INVALID);
    assert_int_equal(nj_participant_age_on(p, 20230101, NULL), NJ_E_INVALID);
    assert_int_equal(nj_participant_age_on(NULL, 20230101, &age), NJ_E_INVALID);
    /* Born on 29 February: a year older on 1 March in common years. */
    assert_int_equal(nj_participant_add(reg, 2, 20040229, 0, 35.15, 126.8, 20230101, 0, &leap), NJ_OK);
    assert_int_equal(nj_participant_age_on(leap, 20230228, &age), NJ_OK);
    assert_int_equal(age, 18);
    assert_int_equal(nj_participant_age_on(leap, 20230301, &age), NJ_OK);
    assert_int_equal(age, 19);
    assert_int_equal(nj_participant_age_on(leap, 20240229, &age), NJ_OK);
    assert_int_equal(age, 20);
    nj_registry_destroy(reg);
}

static void getters_tolerate_null(void **state)
{
    (void)state;
    assert_int_equal(nj_participant_id(NULL), 0);
    assert_int_equal(nj_participant_birth_date(NULL), 0);
    assert_int_equal(nj_participant_is_foreign(NULL), 0);
    assert_true(isnan(nj_participant_lat(NULL)));
    assert_true(isnan(nj_participant_lon(NULL)));
    assert_int_equal(nj_participant_verified_date(NULL), 0);
    assert_int_equal(nj_participant_region_id(NULL), 0);
    assert_null(nj_participant_get(NULL, 1));
    assert_null(nj_participant_at(NULL, 0));
    assert_int_equal(nj_participant_count(NULL), 0);
}

static void setters(void **state)
{
    (void)state;
    nj_registry *reg = one_dong();
    nj_participant *p;
    assert_int_equal(nj_participant_add(reg, 1, 19800101, 0, 35.15, 126.8, 20230101, 0, &p), NJ_OK);
    assert_int_equal(nj_participant_set_birth_date(reg, p, 19810202), NJ_OK);
    assert_int_equal(nj_participant_birth_date(p), 19810202);
    assert_int_equal(nj_participant_set_birth_date(reg, p, 20230102), NJ_E_INVALID);
    assert_int_equal(nj_participant_set_birth_date(reg, p, 19810229), NJ_E_INVALID);
    assert_int_equal(nj_participant_birth_date(p), 19810202);
    assert_int_equal(nj_participant_set_foreign(reg, p, 1), NJ_OK);
    assert_int_equal(nj_participant_is_foreign(p), 1);
    assert_int_equal(nj_participant_set_foreign(reg, p, -1), NJ_E_INVALID);
    assert_int_equal(nj_participant_is_foreign(p), 1);
    /* Moving out of the dong clears the derived region, moving back restores it. */
    assert_int_equal(nj_participant_set_home(reg, p, 35.2, 126.9, 20230601), NJ_OK);
    assert_int_equal(nj_participant_region_id(p), 0);
    assert_int_equal(nj_participant_verified_date(p), 20230601);
    assert_int_equal(nj_participant_set_home(reg, p, 35.15, 126.8, 20230701), NJ_OK);
    assert_int_equal(nj_participant_region_id(p), 2920056500);
    assert_int_equal(nj_participant_set_home(reg, p, 35.15, 200.0, 20230801), NJ_E_RANGE);
    assert_int_equal(nj_participant_set_home(reg, p, 35.15, 126.8, 19000101), NJ_E_INVALID);
    assert_int_equal(nj_participant_verified_date(p), 20230701);
    /* An explicit region sticks across moves. */
    assert_int_equal(nj_participant_set_region(reg, p, 29200), NJ_OK);
    assert_int_equal(nj_participant_set_home(reg, p, 35.2, 126.9, 20230901), NJ_OK);
    assert_int_equal(nj_participant_region_id(p), 29200);
    assert_int_equal(nj_participant_set_region(reg, p, 4), NJ_E_NOT_FOUND);
    assert_int_equal(nj_participant_region_id(p), 29200);
    assert_int_equal(nj_participant_set_region(reg, p, 0), NJ_OK);
    assert_int_equal(nj_participant_region_id(p), 0);
    assert_int_equal(nj_participant_set_foreign(NULL, p, 0), NJ_E_INVALID);
    assert_int_equal(nj_participant_set_home(reg, NULL, 1, 1, 20230101), NJ_E_INVALID);
    nj_registry_destroy(reg);
}

static void remove_releases_region(void **state)
{
    (void)state;
    nj_registry *reg = one_dong();
    assert_int_equal(nj_participant_add(reg, 1, 19800101, 0, 35.15, 126.8, 20230101, 0, NULL), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920056500), NJ_E_IN_USE);
    assert_int_equal(nj_participant_remove(reg, 1), NJ_OK);
    assert_null(nj_participant_get(reg, 1));
    assert_int_equal(nj_participant_remove(reg, 1), NJ_E_NOT_FOUND);
    assert_string_equal(nj_registry_errmsg(reg), "participant 1 not found");
    assert_int_equal(nj_participant_remove(NULL, 1), NJ_E_INVALID);
    assert_int_equal(nj_region_remove(reg, 2920056500), NJ_OK);
    nj_registry_destroy(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_and_read_back),
        cmocka_unit_test(add_rejects_bad_input),
        cmocka_unit_test(age_on_a_date),
        cmocka_unit_test(getters_tolerate_null),
        cmocka_unit_test(setters),
        cmocka_unit_test(remove_releases_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
