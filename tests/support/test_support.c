#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Each block carries its size in front so realloc can be tracked. */
typedef union block_header {
    size_t size;
    max_align_t align;
} block_header;

static int should_fail(test_allocator *a)
{
    a->calls++;
    if (a->fail_at == 0)
        return 0;
    if (a->calls == a->fail_at || (a->fail_all && a->calls > a->fail_at)) {
        a->failures++;
        return 1;
    }
    return 0;
}

void *test_malloc_hook(size_t size, void *user)
{
    test_allocator *a = user;
    if (should_fail(a))
        return NULL;
    block_header *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    a->live++;
    return h + 1;
}

void *test_realloc_hook(void *ptr, size_t size, void *user)
{
    test_allocator *a = user;
    if (!ptr)
        return test_malloc_hook(size, user);
    if (should_fail(a))
        return NULL;
    block_header *h = realloc((block_header *)ptr - 1, sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    return h + 1;
}

void test_free_hook(void *ptr, void *user)
{
    test_allocator *a = user;
    if (!ptr)
        return;
    a->live--;
    free((block_header *)ptr - 1);
}

nj_registry *test_registry_new(test_allocator *a)
{
    nj_registry *reg = NULL;
    memset(a, 0, sizeof *a);
    if (nj_registry_create_with_allocator(test_malloc_hook, test_realloc_hook,
                                          test_free_hook, a, &reg) != NJ_OK)
        return NULL;
    return reg;
}

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void append(text *t, const char *fmt, ...)
{
    va_list args;
    for (;;) {
        va_start(args, fmt);
        int n = vsnprintf(t->data ? t->data + t->len : NULL,
                          t->data ? t->cap - t->len : 0, fmt, args);
        va_end(args);
        if (n < 0)
            abort();
        if (t->data && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        t->cap = (t->cap + (size_t)n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        if (!t->data)
            abort();
    }
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Ids of all objects of one kind, sorted, so the dump ignores positions. */
static int64_t *sorted_ids(const nj_registry *reg, size_t n,
                           int64_t (*id_at)(const nj_registry *, size_t))
{
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        abort();
    for (size_t i = 0; i < n; i++)
        ids[i] = id_at(reg, i);
    qsort(ids, n, sizeof *ids, compare_ids);
    return ids;
}

static int64_t region_id_at(const nj_registry *r, size_t i) { return nj_region_id(nj_region_at(r, i)); }
static int64_t facility_id_at(const nj_registry *r, size_t i) { return nj_facility_id(nj_facility_at(r, i)); }
static int64_t posting_id_at(const nj_registry *r, size_t i) { return nj_posting_id(nj_posting_at(r, i)); }
static int64_t participant_id_at(const nj_registry *r, size_t i) { return nj_participant_id(nj_participant_at(r, i)); }

static void dump_region(text *t, const nj_region *r)
{
    size_t np, nr, nv;
    nj_region_boundary_counts(r, &np, &nr, &nv);
    append(t, "region %lld level %d parent %lld name %s boundary %zu/%zu/%zu",
           (long long)nj_region_id(r), (int)nj_region_level(r),
           (long long)nj_region_parent_id(r), nj_region_name(r), np, nr, nv);
    if (np > 0) {
        uint32_t *rpp = malloc(np * sizeof *rpp), *vpr = malloc(nr * sizeof *vpr);
        double *ll = malloc(nv * 2 * sizeof *ll);
        if (!rpp || !vpr || !ll)
            abort();
        nj_region_boundary_copy(r, rpp, np, vpr, nr, ll, nv);
        for (size_t v = 0; v < nv; v++)
            append(t, " %.9f,%.9f", ll[2 * v], ll[2 * v + 1]);
        free(rpp);
        free(vpr);
        free(ll);
    }
    append(t, "\n");
}

static void dump_applications(text *t, const nj_posting *p)
{
    for (size_t i = 0; i < nj_posting_application_count(p); i++) {
        int64_t who;
        int32_t status, date, rank;
        nj_posting_application_at(p, i, &who, &status, &date, &rank);
        append(t, "  application %lld status %d date %d rank %d\n", (long long)who,
               (int)status, (int)date, (int)rank);
    }
}

static void dump_ledger(text *t, const nj_registry *reg)
{
    for (size_t i = 0; i < nj_work_entry_count(reg); i++) {
        int64_t id, who, posting, amount;
        int32_t date, minutes, paid;
        int voided;
        nj_work_entry_id_at(reg, i, &id);
        nj_work_entry(reg, id, &who, &posting, &date, &minutes, &paid, &amount, &voided);
        append(t, "entry %lld by %lld at %lld on %d: %d min, %d paid, %lld KRW, void %d\n",
               (long long)id, (long long)who, (long long)posting, (int)date,
               (int)minutes, (int)paid, (long long)amount, voided);
    }
    int64_t worked, paid, over, amount;
    int over_budget;
    nj_stipend_programme_totals(reg, 20230601, &worked, &paid, &over, &amount, &over_budget);
    append(t, "programme 2023: %lld %lld %lld %lld %d\n", (long long)worked,
           (long long)paid, (long long)over, (long long)amount, over_budget);
}

static void dump_posting(text *t, const nj_posting *p)
{
    append(t,
           "posting %lld facility %lld title %s type %d slots %d minutes %d "
           "krw %lld work %d-%d window %d-%d age %d-%d residency %lld "
           "foreign %d radius %.3f early %.3f status %d\n",
           (long long)nj_posting_id(p), (long long)nj_posting_facility_id(p),
           nj_posting_title(p), (int)nj_posting_programme_type(p),
           (int)nj_posting_slots(p), (int)nj_posting_minutes_per_person(p),
           (long long)nj_posting_hourly_stipend_krw(p),
           (int)nj_posting_work_start(p), (int)nj_posting_work_end(p),
           (int)nj_posting_apply_open(p), (int)nj_posting_apply_close(p),
           (int)nj_posting_min_age(p), (int)nj_posting_max_age(p),
           (long long)nj_posting_residency_region_id(p),
           nj_posting_foreign_allowed(p), nj_posting_radius_m(p),
           nj_posting_early_close_ratio(p), (int)nj_posting_status(p));
    dump_applications(t, p);
}

/* Targets and recorded actuals, in the registry's own canonical order. */
static void dump_stats_inputs(text *t, const nj_registry *reg)
{
    for (size_t i = 0; i < nj_target_count(reg); i++) {
        int32_t year, type;
        int64_t region, target;
        nj_target_at(reg, i, &year, &region, &type, &target);
        append(t, "target %d region %lld type %d = %lld\n", (int)year,
               (long long)region, (int)type, (long long)target);
    }
    for (size_t i = 0; i < nj_actual_count(reg); i++) {
        int64_t id, region, jobs;
        int32_t date, type;
        nj_actual_at(reg, i, &id, &date, &region, &type, &jobs);
        append(t, "actual %lld on %d region %lld type %d jobs %lld\n",
               (long long)id, (int)date, (long long)region, (int)type,
               (long long)jobs);
    }
}

char *test_registry_dump(const nj_registry *reg)
{
    text t = {0};
    append(&t, "");
    size_t n = nj_region_count(reg);
    int64_t *ids = sorted_ids(reg, n, region_id_at);
    for (size_t i = 0; i < n; i++)
        dump_region(&t, nj_region_get(reg, ids[i]));
    free(ids);

    n = nj_facility_count(reg);
    ids = sorted_ids(reg, n, facility_id_at);
    for (size_t i = 0; i < n; i++) {
        const nj_facility *f = nj_facility_get(reg, ids[i]);
        append(&t, "facility %lld kind %d name %s at %.9f,%.9f region %lld postings %zu\n",
               (long long)nj_facility_id(f), (int)nj_facility_kind(f),
               nj_facility_name(f), nj_facility_lat(f), nj_facility_lon(f),
               (long long)nj_facility_region_id(f), nj_facility_posting_count(f));
    }
    free(ids);

    n = nj_posting_count(reg);
    ids = sorted_ids(reg, n, posting_id_at);
    for (size_t i = 0; i < n; i++)
        dump_posting(&t, nj_posting_get(reg, ids[i]));
    free(ids);

    n = nj_participant_count(reg);
    ids = sorted_ids(reg, n, participant_id_at);
    for (size_t i = 0; i < n; i++) {
        const nj_participant *p = nj_participant_get(reg, ids[i]);
        append(&t, "participant %lld born %d foreign %d at %.9f,%.9f verified %d region %lld"
               " follow-on %d %d\n",
               (long long)nj_participant_id(p), (int)nj_participant_birth_date(p),
               nj_participant_is_foreign(p), nj_participant_lat(p),
               nj_participant_lon(p), (int)nj_participant_verified_date(p),
               (long long)nj_participant_region_id(p),
               (int)nj_participant_follow_on(p, NJ_FOLLOW_ON_APPLIED),
               (int)nj_participant_follow_on(p, NJ_FOLLOW_ON_HIRED));
    }
    free(ids);
    dump_ledger(&t, reg);
    dump_stats_inputs(&t, reg);
    return t.data;
}

nj_status test_set_square(nj_registry *reg, nj_region *region, double lat,
                          double lon, double size)
{
    const uint32_t rings[1] = {1};
    const uint32_t vertices[1] = {5};
    const double latlon[10] = {lat, lon, lat, lon + size, lat + size, lon + size,
                               lat + size, lon, lat, lon};
    return nj_region_set_boundary(reg, region, 1, rings, 1, vertices, 5, latlon);
}

size_t test_count_oom_failures(test_setup_fn setup, test_step_fn step)
{
    return test_count_oom_failures_checked(setup, step, NULL);
}

size_t test_count_oom_failures_checked(test_setup_fn setup, test_step_fn step,
                                       test_check_fn check)
{
    size_t injected = 0;
    for (size_t n = 1;; n++) {
        test_allocator a;
        nj_registry *reg = setup(&a);
        char *before = test_registry_dump(reg);
        a.fail_at = a.calls + n;
        nj_status st = step(reg);
        a.fail_at = 0;
        if (check)
            check(reg, st);
        char *after = test_registry_dump(reg);
        if (st != NJ_OK) {
            assert_int_equal(st, NJ_E_NOMEM);
            assert_string_equal(before, after);
            injected++;
        }
        free(before);
        free(after);
        nj_registry_destroy(reg);
        assert_int_equal(a.live, 0);
        if (st == NJ_OK)
            return injected;
    }
}
