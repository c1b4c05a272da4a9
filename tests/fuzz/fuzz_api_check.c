/*
 * The API-sequence target's oracles: the status rules around every call,
 * "a failing call changes nothing" by snapshot bytes, radius queries and
 * the matchers against brute force over the objects the harness tracks
 * (nj_distance() on the stored coordinates, the eligibility rules of
 * docs/matching.md evaluated on the objects), and the ledger against the
 * cap (docs/stipend.md).
 */
#include "fuzz_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Library distances agree with nj_distance() to a micrometre (matching.md). */
#define DISTANCE_TOLERANCE_M 1e-6

void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_api: invariant broken: %s\n", what);
        abort();
    }
}

uint8_t *save_snapshot(const nj_registry *reg, size_t *len)
{
    check(nj_snapshot_save_mem(reg, NULL, 0, len) == NJ_E_BUFFER_TOO_SMALL, "snapshot size");
    uint8_t *buf = malloc(*len);
    size_t written;
    check(buf && nj_snapshot_save_mem(reg, buf, *len, &written) == NJ_OK && written == *len,
          "snapshot save");
    return buf;
}

static void arm(harness *h)
{
    h->armed_calls = h->alloc.calls;
    h->armed_failures = h->alloc.failures;
    h->alloc.fail_at = h->fail_countdown ? h->alloc.calls + h->fail_countdown : 0;
}

/* Disarms; returns whether an allocation failed during the call. */
static int disarm(harness *h)
{
    size_t used = h->alloc.calls - h->armed_calls;
    if (h->fail_countdown)
        h->fail_countdown = used >= h->fail_countdown ? 0 : h->fail_countdown - used;
    h->alloc.fail_at = 0;
    return h->alloc.failures != h->armed_failures;
}

static void check_status(nj_status st, int failed, const char *what)
{
    static int verbose = -1; /* for curating the corpus */
    if (verbose < 0)
        verbose = getenv("NJ_FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %s\n", what, nj_status_str(st));
    /* A failed allocation may also end in NJ_OK: some are best effort
     * (giving back a result's spare capacity). */
    if (st < NJ_OK || st > NJ_E_IN_USE || (failed && st != NJ_E_NOMEM && st != NJ_OK) ||
        (!failed && st == NJ_E_NOMEM)) {
        fprintf(stderr, "fuzz_api: %s returned %s with %s allocation failure\n", what,
                nj_status_str(st), failed ? "an" : "no");
        abort();
    }
}

void before_change(harness *h)
{
    if (h->check_unchanged && !h->snap_valid) {
        free(h->snap);
        h->snap = save_snapshot(h->reg, &h->snap_len);
        h->snap_valid = 1;
    }
    arm(h);
}

nj_status after_change(harness *h, nj_status st, const char *what)
{
    check_status(st, disarm(h), what);
    if (st == NJ_OK) {
        h->snap_valid = 0;
        return st;
    }
    const char *msg = nj_registry_errmsg(h->reg);
    check(msg[0] != '\0', "a failing call left no message");
    check(st != NJ_E_NOMEM || strstr(msg, "out of memory") != NULL,
          "NJ_E_NOMEM without \"out of memory\" in the message");
    if (!h->check_unchanged)
        return st;
    size_t len;
    uint8_t *now = save_snapshot(h->reg, &len);
    if (len != h->snap_len || memcmp(now, h->snap, len) != 0) {
        fprintf(stderr, "fuzz_api: %s failed (%s: %s) but changed the registry\n", what,
                nj_status_str(st), msg);
        abort();
    }
    free(now);
    return st;
}

void before_read(harness *h)
{
    arm(h);
}

nj_status after_read(harness *h, nj_status st, const char *what)
{
    check_status(st, disarm(h), what);
    return st;
}

/* ---- Brute force ---------------------------------------------------- */

typedef struct row {
    int64_t source, id;
    double d;
} row;

typedef struct rows {
    row *at;
    size_t count, cap;
} rows;

static void rows_add(rows *r, int64_t source, int64_t id, double d)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->at = realloc(r->at, r->cap * sizeof *r->at);
        check(r->at != NULL, "harness memory");
    }
    r->at[r->count++] = (row){source, id, d};
}

static int by_source_id(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static void sort_rows(rows *r)
{
    if (r->count > 1)
        qsort(r->at, r->count, sizeof *r->at, by_source_id);
}

static rows rows_of(const nj_matches *m)
{
    rows r = {0};
    for (size_t i = 0; i < nj_matches_count(m); i++)
        rows_add(&r, nj_matches_source_id(m, i), nj_matches_id(m, i),
                 nj_matches_distance_m(m, i));
    return r;
}

static int point_is_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180;
}

static double distance(double lat1, double lon1, double lat2, double lon2)
{
    double d;
    check(nj_distance(lat1, lon1, lat2, lon2, &d) == NJ_OK, "nj_distance of stored points");
    return d;
}

static const nj_facility *facility_of(const harness *h, const nj_posting *q)
{
    const nj_facility *f = nj_facility_get(h->reg, nj_posting_facility_id(q));
    check(f != NULL, "a posting's facility exists");
    return f;
}

/* Rows ordered nearest first, equal distances by id (within one source). */
static void check_sorted(const rows *got, const char *what)
{
    for (size_t i = 1; i < got->count; i++) {
        const row *a = &got->at[i - 1], *b = &got->at[i];
        if (a->source == b->source)
            check(a->d < b->d || (a->d == b->d && a->id < b->id), what);
    }
}

/* The result holds exactly the expected rows, at their distances. */
static void check_same_rows(const nj_matches *m, rows *expect, int sorted, const char *what)
{
    rows got = rows_of(m);
    if (got.count != expect->count) {
        fprintf(stderr, "fuzz_api: %s: %zu rows, brute force %zu\n", what, got.count,
                expect->count);
        abort();
    }
    if (sorted)
        check_sorted(&got, what);
    sort_rows(&got);
    sort_rows(expect);
    for (size_t i = 0; i < got.count; i++) {
        const row *a = &got.at[i], *b = &expect->at[i];
        if (a->source != b->source || a->id != b->id ||
            !(fabs(a->d - b->d) <= DISTANCE_TOLERANCE_M)) {
            fprintf(stderr, "fuzz_api: %s: row (%lld, %lld, %.9f), brute force (%lld, %lld, %.9f)\n",
                    what, (long long)a->source, (long long)a->id, a->d, (long long)b->source,
                    (long long)b->id, b->d);
            abort();
        }
    }
    free(got.at);
}

/* `limited` is the first rows of `all` (both sorted by distance, then id). */
static void check_prefix(const nj_matches *limited, const nj_matches *all, size_t limit,
                         const char *what)
{
    size_t n = nj_matches_count(all);
    check(nj_matches_count(limited) == (limit < n ? limit : n), what);
    for (size_t i = 0; i < nj_matches_count(limited); i++)
        check(nj_matches_id(limited, i) == nj_matches_id(all, i) &&
                  nj_matches_distance_m(limited, i) == nj_matches_distance_m(all, i),
              what);
}

static size_t pick_limit(fuzz_input *in)
{
    uint8_t b = in_u8(in);
    return b < 250 ? b % 6 : SIZE_MAX;
}

static rows brute_force_radius(const harness *h, int32_t target, double lat, double lon,
                               double r)
{
    rows expect = {0};
    const id_set *set = target == NJ_MATCH_PARTICIPANTS ? &h->participants : &h->postings;
    for (size_t i = 0; i < set->count; i++) {
        double d;
        if (target == NJ_MATCH_PARTICIPANTS) {
            const nj_participant *p = nj_participant_get(h->reg, set->ids[i]);
            d = distance(lat, lon, nj_participant_lat(p), nj_participant_lon(p));
        } else {
            const nj_facility *f = facility_of(h, nj_posting_get(h->reg, set->ids[i]));
            d = distance(lat, lon, nj_facility_lat(f), nj_facility_lon(f));
        }
        if (d <= r)
            rows_add(&expect, 0, set->ids[i], d);
    }
    return expect;
}

typedef struct radius_args {
    int32_t target, order;
    double lat, lon, r;
    size_t limit;
} radius_args;

static radius_args pick_radius_args(const harness *h, fuzz_input *in)
{
    radius_args a;
    a.target = pick_int32(in, NJ_MATCH_PARTICIPANTS, NJ_MATCH_POSTINGS);
    a.order = pick_int32(in, NJ_ORDER_NONE, NJ_ORDER_DISTANCE);
    pick_point(h, in, &a.lat, &a.lon);
    a.r = pick_radius(h, in, a.lat, a.lon);
    a.limit = pick_limit(in);
    return a;
}

/* The status the library must give for hostile arguments, or NJ_OK. */
static int radius_args_fail(const radius_args *a, nj_status st)
{
    int bad_enum = (a->target != NJ_MATCH_PARTICIPANTS && a->target != NJ_MATCH_POSTINGS) ||
                   (a->order != NJ_ORDER_NONE && a->order != NJ_ORDER_DISTANCE);
    int bad_range = !point_is_valid(a->lat, a->lon) || isnan(a->r) || a->r < 0;
    if (!bad_enum && !bad_range)
        return 0;
    check((bad_enum && st == NJ_E_INVALID) || (bad_range && st == NJ_E_RANGE),
          "a radius query with a bad argument: its status");
    return 1;
}

/* After a radius query: whether it failed; aborts when its status and its
 * arguments disagree (NJ_E_NOMEM may come whatever they are). */
static int radius_query_failed(const radius_args *a, nj_status st)
{
    int failed = st != NJ_OK && st != NJ_E_BUFFER_TOO_SMALL;
    if (failed && st != NJ_E_NOMEM)
        check(radius_args_fail(a, st), "a radius query with good arguments failed");
    if (!failed)
        check(!radius_args_fail(a, st), "a radius query with a bad argument succeeded");
    return failed;
}

/* The sorted, unlimited result, called outside the failure injection. */
static nj_matches *sorted_radius(const harness *h, const radius_args *a)
{
    nj_matches *all = NULL;
    check(nj_query_radius(h->reg, a->target, a->lat, a->lon, a->r, NJ_ORDER_DISTANCE, 0, &all) ==
              NJ_OK, "the sorted radius query");
    return all;
}

void check_query_radius(harness *h, fuzz_input *in)
{
    radius_args a = pick_radius_args(h, in);
    nj_matches *m = NULL;
    before_read(h);
    nj_status st = after_read(h, nj_query_radius(h->reg, a.target, a.lat, a.lon, a.r, a.order,
                                                 a.limit, &m), "nj_query_radius");
    if (radius_query_failed(&a, st)) {
        check(m == NULL, "a failed query returns no result");
        return;
    }
    nj_matches *all = sorted_radius(h, &a);
    rows expect = brute_force_radius(h, a.target, a.lat, a.lon, a.r);
    check_same_rows(all, &expect, 1, "sorted radius query against brute force");
    if (a.limit == 0) {
        rows again = brute_force_radius(h, a.target, a.lat, a.lon, a.r);
        check_same_rows(m, &again, a.order == NJ_ORDER_DISTANCE, "radius query against brute force");
        free(again.at);
    } else {
        check_prefix(m, all, a.limit, "the k nearest are the sorted query's first k");
    }
    free(expect.at);
    nj_matches_destroy(all);
    nj_matches_destroy(m);
}

void check_query_into(harness *h, fuzz_input *in)
{
    radius_args a = pick_radius_args(h, in);
    size_t capacity = in_u8(in) % 8, count = SIZE_MAX;
    int64_t ids[8];
    double distances[8];
    int null_arrays = in_u8(in) % 8 == 0;
    before_read(h);
    nj_status st = after_read(h, nj_query_radius_into(h->reg, a.target, a.lat, a.lon, a.r,
                                                      a.order, a.limit, null_arrays ? NULL : ids,
                                                      null_arrays ? NULL : distances, capacity,
                                                      &count), "nj_query_radius_into");
    if (null_arrays && capacity > 0) {
        check(st == NJ_E_INVALID || st == NJ_E_RANGE || st == NJ_E_NOMEM,
              "capacity with NULL arrays is refused");
        return;
    }
    if (radius_query_failed(&a, st)) {
        check(count == SIZE_MAX, "a failed query leaves count alone");
        return;
    }
    nj_matches *all = sorted_radius(h, &a);
    size_t n = nj_matches_count(all);
    check(count == (a.limit && a.limit < n ? a.limit : n), "nj_query_radius_into's count");
    check((st == NJ_E_BUFFER_TOO_SMALL) == (count > capacity), "NJ_E_BUFFER_TOO_SMALL exactly when short");
    if (st == NJ_OK && (a.limit || a.order == NJ_ORDER_DISTANCE))
        for (size_t i = 0; i < count; i++)
            check(ids[i] == nj_matches_id(all, i) && distances[i] == nj_matches_distance_m(all, i),
                  "nj_query_radius_into's rows are the query's");
    nj_matches_destroy(all);
}

/* ---- The matchers --------------------------------------------------- */

static int takes_applications(const nj_posting *q, int32_t date)
{
    int32_t open = nj_posting_apply_open(q);
    return nj_posting_status(q) == NJ_POSTING_OPEN &&
           (open == 0 || (open <= date && date <= nj_posting_apply_close(q)));
}

/* The day a posting's age rule and cap are taken on. */
static int32_t rule_date(const nj_posting *q, int32_t date)
{
    return nj_posting_work_start(q) ? nj_posting_work_start(q) : date;
}

/* Rules 3-5 of docs/matching.md, on the objects. */
static int fits(const harness *h, const nj_posting *q, const nj_participant *p, int32_t date)
{
    int32_t age;
    if (nj_participant_age_on(p, rule_date(q, date), &age) != NJ_OK ||
        age < nj_posting_min_age(q) || age > nj_posting_max_age(q))
        return 0;
    int64_t within = nj_posting_residency_region_id(q);
    if (within && !nj_region_is_within(nj_region_get(h->reg, nj_participant_region_id(p)),
                                       nj_region_get(h->reg, within)))
        return 0;
    return nj_posting_foreign_allowed(q) || !nj_participant_is_foreign(p);
}

static int has_minutes_left(const harness *h, const nj_posting *q, const nj_participant *p,
                            int32_t date)
{
    int64_t left;
    check(nj_stipend_statement(h->reg, nj_participant_id(p), rule_date(q, date), NULL, NULL,
                               NULL, &left, NULL) == NJ_OK, "a statement of a matched resident");
    return left > 0;
}

static void add_posting_rows(const harness *h, rows *expect, const nj_posting *q,
                             int32_t date, uint32_t flags)
{
    if (!takes_applications(q, date))
        return;
    const nj_facility *f = facility_of(h, q);
    for (size_t i = 0; i < h->participants.count; i++) {
        const nj_participant *p = nj_participant_get(h->reg, h->participants.ids[i]);
        double d = distance(nj_facility_lat(f), nj_facility_lon(f), nj_participant_lat(p),
                            nj_participant_lon(p));
        if (d <= nj_posting_radius_m(q) && fits(h, q, p, date) &&
            (!(flags & NJ_MATCH_SKIP_CAPPED) || has_minutes_left(h, q, p, date)))
            rows_add(expect, nj_posting_id(q), nj_participant_id(p), d);
    }
}

/* A matcher's result, unlimited, against brute force; then the limited
 * one against its first rows. */
static void check_matcher(nj_matches *m, nj_matches *all, rows *expect, size_t limit,
                          const char *what)
{
    check_same_rows(all, expect, 1, what);
    check_prefix(m, all, limit ? limit : SIZE_MAX, what);
    nj_matches_destroy(all);
    nj_matches_destroy(m);
    free(expect->at);
}

void check_match_for_participant(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    const nj_participant *p = nj_participant_get(h->reg, id);
    double r = pick_radius(h, in, p ? nj_participant_lat(p) : 35.15,
                           p ? nj_participant_lon(p) : 126.75);
    int32_t date = pick_date(in);
    size_t limit = pick_limit(in);
    nj_matches *m = NULL, *all = NULL;
    before_read(h);
    nj_status st = after_read(h, nj_match_for_participant(h->reg, id, r, date, limit, &m),
                              "nj_match_for_participant");
    int bad_date = !nj_date_is_valid(date), bad_r = isnan(r) || r < 0;
    if (st != NJ_OK) {
        check(st == NJ_E_NOMEM || (st == NJ_E_INVALID && bad_date) ||
                  (st == NJ_E_NOT_FOUND && !p) || (st == NJ_E_RANGE && bad_r),
              "nj_match_for_participant's status");
        check(m == NULL, "a failed match returns no result");
        return;
    }
    check(p && !bad_date && !bad_r, "nj_match_for_participant accepted a bad argument");
    check(nj_match_for_participant(h->reg, id, r, date, 0, &all) == NJ_OK, "unlimited match");
    rows expect = {0};
    for (size_t i = 0; i < h->postings.count; i++) {
        const nj_posting *q = nj_posting_get(h->reg, h->postings.ids[i]);
        const nj_facility *f = facility_of(h, q);
        double d = distance(nj_participant_lat(p), nj_participant_lon(p), nj_facility_lat(f),
                            nj_facility_lon(f));
        if (d <= r && takes_applications(q, date) && fits(h, q, p, date))
            rows_add(&expect, id, nj_posting_id(q), d);
    }
    check_matcher(m, all, &expect, limit, "nj_match_for_participant against brute force");
}

static uint32_t pick_flags(fuzz_input *in)
{
    uint8_t b = in_u8(in);
    return b < 240 ? b & NJ_MATCH_SKIP_CAPPED : (uint32_t)1 << (b % 32);
}

static int flags_are_known(uint32_t flags)
{
    return (flags & ~(uint32_t)NJ_MATCH_SKIP_CAPPED) == 0;
}

void check_match_for_posting(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    const nj_posting *q = nj_posting_get(h->reg, id);
    int32_t date = pick_date(in);
    size_t limit = pick_limit(in);
    uint32_t flags = pick_flags(in);
    nj_matches *m = NULL, *all = NULL;
    before_read(h);
    nj_status st = after_read(h, nj_match_for_posting(h->reg, id, date, limit, flags, &m),
                              "nj_match_for_posting");
    int bad_date = !nj_date_is_valid(date);
    if (st != NJ_OK) {
        check(st == NJ_E_NOMEM || (st == NJ_E_INVALID && bad_date) ||
                  (st == NJ_E_NOT_FOUND && !q) || (st == NJ_E_UNSUPPORTED && !flags_are_known(flags)),
              "nj_match_for_posting's status");
        check(m == NULL, "a failed match returns no result");
        return;
    }
    check(q && !bad_date && flags_are_known(flags), "nj_match_for_posting accepted a bad argument");
    check(nj_match_for_posting(h->reg, id, date, 0, flags, &all) == NJ_OK, "unlimited match");
    rows expect = {0};
    add_posting_rows(h, &expect, q, date, flags);
    check_matcher(m, all, &expect, limit, "nj_match_for_posting against brute force");
}

void check_match_batch(harness *h, fuzz_input *in)
{
    int32_t date = pick_date(in);
    size_t n = nj_posting_count(h->reg);
    size_t first = in_u8(in) % (n + 2), count = in_u8(in) % 4;
    uint32_t flags = pick_flags(in);
    uint8_t b = in_u8(in);
    uint32_t threads = b < 240 ? b % 3 : b < 250 ? 65 : UINT32_MAX;
    nj_matches *m = NULL;
    before_read(h);
    nj_status st = after_read(h, nj_match_batch(h->reg, date, first, count, flags, threads, &m),
                              "nj_match_batch");
    int bad_date = !nj_date_is_valid(date);
    if (st != NJ_OK) {
        check(st == NJ_E_NOMEM || (st == NJ_E_INVALID && bad_date) ||
                  (st == NJ_E_RANGE && threads > 64) ||
                  (st == NJ_E_UNSUPPORTED && !flags_are_known(flags)),
              "nj_match_batch's status");
        check(m == NULL, "a failed batch returns no result");
        return;
    }
    check(!bad_date && threads <= 64 && flags_are_known(flags), "nj_match_batch accepted a bad argument");
    /* Posting by posting, in iteration order, each as nj_match_for_posting. */
    rows got = rows_of(m), expect = {0};
    size_t end = count == 0 || count > n - (first < n ? first : n) ? n : first + count;
    for (size_t i = first; i < end; i++) {
        nj_matches *one = NULL;
        const nj_posting *q = nj_posting_at(h->reg, i);
        check(nj_match_for_posting(h->reg, nj_posting_id(q), date, 0, flags, &one) == NJ_OK,
              "a batch's posting alone");
        for (size_t j = 0; j < nj_matches_count(one); j++)
            rows_add(&expect, nj_posting_id(q), nj_matches_id(one, j), nj_matches_distance_m(one, j));
        nj_matches_destroy(one);
    }
    check(got.count == expect.count, "nj_match_batch: the postings' rows, one after another");
    for (size_t i = 0; i < got.count; i++)
        check(got.at[i].source == expect.at[i].source && got.at[i].id == expect.at[i].id &&
                  fabs(got.at[i].d - expect.at[i].d) <= DISTANCE_TOLERANCE_M,
              "nj_match_batch: the postings' rows, one after another");
    free(got.at);
    free(expect.at);
    nj_matches_destroy(m);
}

/* ---- The ledger ----------------------------------------------------- */

static int64_t option(const harness *h, int32_t which)
{
    int64_t v;
    check(nj_registry_get_int64(h->reg, which, &v) == NJ_OK, "read an option");
    return v;
}

/* The year a period starting on `start` (MMDD) that contains `date` began. */
static int32_t period_of(int32_t date, int64_t start)
{
    return date % 10000 >= start ? date / 10000 : date / 10000 - 1;
}

typedef struct entry {
    int64_t id, participant, posting, amount;
    int32_t date, minutes, paid;
    int voided;
} entry;

static entry entry_at(const harness *h, size_t index)
{
    entry e;
    check(nj_work_entry_id_at(h->reg, index, &e.id) == NJ_OK &&
              nj_work_entry(h->reg, e.id, &e.participant, &e.posting, &e.date, &e.minutes,
                            &e.paid, &e.amount, &e.voided) == NJ_OK,
          "read a ledger entry");
    return e;
}

static void check_entry(const harness *h, const entry *e)
{
    check(e->paid >= 0 && e->paid <= e->minutes && e->minutes >= 1 && e->minutes <= 1440,
          "an entry pays at most its minutes");
    check(!e->voided || (e->paid == 0 && e->amount == 0), "a void entry pays nothing");
    const nj_posting *q = nj_posting_get(h->reg, e->posting);
    check(q != NULL, "an entry's posting exists");
    int64_t product = (int64_t)e->paid * nj_posting_hourly_stipend_krw(q);
    int64_t amount = option(h, NJ_OPT_ROUNDING) == NJ_ROUND_HALF_UP ? (product + 30) / 60
                                                                     : product / 60;
    check(e->amount == amount, "an entry's amount is its paid minutes at the posting's rate");
}

void check_ledger(const harness *h)
{
    int64_t cap = option(h, NJ_OPT_STIPEND_CAP_MINUTES);
    int64_t start = option(h, NJ_OPT_PERIOD_START_MMDD);
    size_t n = nj_work_entry_count(h->reg);
    for (size_t i = 0; i < n; i++) {
        entry e = entry_at(h, i);
        check_entry(h, &e);
        int64_t paid = 0, worked = 0;
        for (size_t j = 0; j < n; j++) {
            entry o = entry_at(h, j);
            if (o.participant == e.participant && !o.voided &&
                period_of(o.date, start) == period_of(e.date, start)) {
                paid += o.paid;
                worked += o.minutes;
            }
        }
        check(paid <= cap, "a participant is paid at most the cap in a period");
        int64_t s_worked, s_paid, s_over, s_left;
        check(nj_stipend_statement(h->reg, e.participant, e.date, &s_worked, &s_paid, &s_over,
                                   &s_left, NULL) == NJ_OK, "a statement");
        check(s_paid == paid && s_worked == worked && s_over == worked - paid &&
                  s_left == cap - paid, "a statement sums its entries under the cap");
    }
}

void check_budget(const harness *h, int32_t date)
{
    int64_t budget = option(h, NJ_OPT_BUDGET_KRW), amount;
    check(nj_stipend_programme_totals(h->reg, date, NULL, NULL, NULL, &amount, NULL) == NJ_OK,
          "programme totals");
    check(budget == 0 || amount <= budget, "a recorded entry kept the total within the budget");
}

/* ---- The objects ---------------------------------------------------- */

static int depth_of(const harness *h, const nj_region *r)
{
    int depth = 0;
    while ((r = nj_region_get(h->reg, nj_region_parent_id(r))) != NULL)
        depth++;
    return depth;
}

int64_t brute_force_locate(const harness *h, double lat, double lon)
{
    const nj_region *best = NULL;
    int best_depth = -1;
    for (size_t i = 0; i < h->regions.count; i++) {
        const nj_region *r = nj_region_get(h->reg, h->regions.ids[i]);
        int inside = 0, depth = depth_of(h, r);
        check(nj_region_contains(r, lat, lon, &inside) == NJ_OK, "nj_region_contains");
        if (inside && (depth > best_depth ||
                       (depth == best_depth && nj_region_id(r) < nj_region_id(best)))) {
            best = r;
            best_depth = depth;
        }
    }
    return nj_region_id(best);
}

void check_tracked(const harness *h)
{
    check(nj_region_count(h->reg) == h->regions.count &&
              nj_facility_count(h->reg) == h->facilities.count &&
              nj_posting_count(h->reg) == h->postings.count &&
              nj_participant_count(h->reg) == h->participants.count,
          "the registry holds the objects added and not removed");
    for (size_t i = 0; i < h->participants.count; i++)
        check(nj_participant_get(h->reg, h->participants.ids[i]) != NULL, "a tracked participant");
    for (size_t i = 0; i < h->postings.count; i++)
        check(nj_posting_get(h->reg, h->postings.ids[i]) != NULL, "a tracked posting");
    for (size_t i = 0; i < h->facilities.count; i++)
        check(nj_facility_get(h->reg, h->facilities.ids[i]) != NULL, "a tracked facility");
    for (size_t i = 0; i < h->regions.count; i++)
        check(nj_region_get(h->reg, h->regions.ids[i]) != NULL, "a tracked region");
}
