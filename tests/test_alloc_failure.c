/*
 * The SQLite out-of-memory loop: every step of a registry build-up and
 * tear-down is run with allocation N failing, for N = 1, 2, ... until the
 * step succeeds. Each failure must return NJ_E_NOMEM, leave the registry
 * exactly as it was (same dump) and leak nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define REGIONS 40

static nj_status add_region(nj_registry *reg, int i)
{
    nj_region *r;
    char name[32];
    snprintf(name, sizeof name, "동 %d", i);
    nj_status st = nj_region_add(reg, 1000 + i, 3, 29200, name, &r);
    if (st != NJ_OK)
        return st;
    return NJ_OK;
}

static nj_status bound_region(nj_registry *reg, int i)
{
    return test_set_square(reg, nj_region_get(reg, 1000 + i), 35.0 + 0.01 * i,
                           126.7, 0.01 * (1 + i % 3));
}

/* Step k of the scenario; returns the status of that one call. */
static nj_status run_step(nj_registry *reg, int k)
{
    if (k == 0)
        return nj_region_add(reg, 29, 1, 0, "광주광역시", NULL);
    if (k == 1)
        return nj_region_add(reg, 29200, 2, 29, "광산구", NULL);
    k -= 2;
    if (k < 2 * REGIONS)
        return k % 2 == 0 ? add_region(reg, k / 2) : bound_region(reg, k / 2);
    k -= 2 * REGIONS;
    switch (k) {
    case 0: return test_set_square(reg, nj_region_get(reg, 29200), 34.9, 126.6, 0.6);
    case 1: return nj_region_set_name(reg, nj_region_get(reg, 1003), "신가동");
    case 2: return nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                   35.035, 126.705, 0, NULL);
    case 3: return nj_facility_set_name(reg, nj_facility_get(reg, 1), "운남어린이도서관");
    case 4: return nj_facility_set_location(reg, nj_facility_get(reg, 1), 35.105, 126.705);
    case 5: return nj_posting_add(reg, 10, 1, "도서 정리", 3, NULL);
    case 6: return nj_posting_set_title(reg, nj_posting_get(reg, 10), "도서 정리 도우미");
    case 7: return nj_posting_set_residency_region(reg, nj_posting_get(reg, 10), 29200);
    case 8: return nj_participant_add(reg, 42, 19630515, 0, 35.055, 126.705,
                                      20230302, 0, NULL);
    case 9: return nj_participant_set_home(reg, nj_participant_get(reg, 42),
                                           35.205, 126.705, 20230401);
    case 10: return nj_participant_remove(reg, 42);
    case 11: return nj_posting_remove(reg, 10);
    case 12: return nj_facility_remove(reg, 1);
    case 13: return nj_region_set_boundary(reg, nj_region_get(reg, 1005), 0, NULL, 0, NULL, 0, NULL);
    case 14: return nj_region_remove(reg, 1007);
    default: return -1; /* past the end */
    }
}

static nj_registry *build_up_to(test_allocator *a, int steps)
{
    nj_registry *reg = test_registry_new(a);
    assert_non_null(reg);
    for (int k = 0; k < steps; k++)
        assert_int_equal(run_step(reg, k), NJ_OK);
    return reg;
}

static size_t run_loop(int fail_all)
{
    size_t injected = 0;
    for (int k = 0;; k++) {
        for (size_t n = 1;; n++) {
            test_allocator a;
            nj_registry *reg = build_up_to(&a, k);
            char *before = test_registry_dump(reg);
            a.fail_at = a.calls + n;
            a.fail_all = fail_all;
            nj_status st = run_step(reg, k);
            a.fail_at = 0;
            if (st == -1) {
                free(before);
                nj_registry_destroy(reg);
                assert_int_equal(a.live, 0);
                return injected;
            }
            if (st == NJ_OK) {
                free(before);
                nj_registry_destroy(reg);
                assert_int_equal(a.live, 0);
                break;
            }
            assert_int_equal(st, NJ_E_NOMEM);
            assert_non_null(strstr(nj_registry_errmsg(reg), "out of memory"));
            char *after = test_registry_dump(reg);
            assert_string_equal(before, after);
            free(before);
            free(after);
            /* The registry still works after the failure. */
            assert_int_equal(run_step(reg, k), NJ_OK);
            nj_registry_destroy(reg);
            assert_int_equal(a.live, 0);
            injected++;
        }
    }
}

static void fail_once(void **state)
{
    (void)state;
    size_t injected = run_loop(0);
    printf("# fail-once: %zu allocation failures injected\n", injected);
    assert_true(injected > 2 * REGIONS);
}

static void fail_from_then_on(void **state)
{
    (void)state;
    size_t injected = run_loop(1);
    printf("# fail-always: %zu allocation failures injected\n", injected);
    assert_true(injected > 2 * REGIONS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_once),
        cmocka_unit_test(fail_from_then_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
