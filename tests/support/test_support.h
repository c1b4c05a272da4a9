/* Shared helpers for the cmocka tests: a failing allocator and a textual
 * dump of a registry used to prove that failed calls change nothing. */
#ifndef NJ_TEST_SUPPORT_H
#define NJ_TEST_SUPPORT_H

#include <stddef.h>

#include "nearjob.h"

/* Counts allocations and fails the fail_at-th one (1-based; 0 = never).
 * With fail_all set, every call from fail_at on fails. */
typedef struct test_allocator {
    size_t calls;
    size_t fail_at;
    int fail_all;
    size_t live;
    size_t failures;
} test_allocator;

void *test_malloc_hook(size_t size, void *user);
void *test_realloc_hook(void *ptr, size_t size, void *user);
void test_free_hook(void *ptr, void *user);

/* A registry routed through `a` (never fails: creation uses a's counters
 * only after it is reset by the caller). */
nj_registry *test_registry_new(test_allocator *a);

/* Builds the registry a step starts from, through `a`. */
typedef nj_registry *(*test_setup_fn)(test_allocator *a);
/* One call under test; returns its status. */
typedef nj_status (*test_step_fn)(nj_registry *reg);

/*
 * The SQLite out-of-memory loop for one step: for N = 1, 2, ... a fresh
 * registry from `setup` runs `step` with allocation N failing, until the
 * step succeeds. Each failure must be NJ_E_NOMEM and leave the registry's
 * dump unchanged; every run must free everything. Returns the number of
 * failures injected. (Uses cmocka's assertions.)
 */
size_t test_count_oom_failures(test_setup_fn setup, test_step_fn step);

/* What a dump does not show, checked after each run of the loop with the
 * allocator working again: `status` is the step's. */
typedef void (*test_check_fn)(const nj_registry *reg, nj_status status);

/* test_count_oom_failures() that also runs `check` after every step. */
size_t test_count_oom_failures_checked(test_setup_fn setup, test_step_fn step,
                                       test_check_fn check);

/* Every object and field, sorted by id; caller frees with free(). */
char *test_registry_dump(const nj_registry *reg);

/* Adds a square boundary of side `size` degrees with its south-west corner
 * at (lat, lon). */
nj_status test_set_square(nj_registry *reg, nj_region *region, double lat,
                          double lon, double size);

#endif
