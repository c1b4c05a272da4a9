/*
 * libFuzzer target for sequences of public API calls on one registry
 * (reliability.md §2 item 5, the API-sequence target).
 *
 * Input: a u16 (little-endian) naming the allocation to fail, counted over
 * the calls under test from the first (1-based, 0 for none: the libxml2
 * pattern), then operations: a byte choosing the operation (its low 7 bits
 * modulo OP_COUNT, enum fuzz_op in fuzz_api.h; bit 7 asks for the snapshot
 * check below), then its arguments, read by the pickers of
 * fuzz_api_pick.c: mostly good values, often NaN, huge, negative, ids that
 * do not exist or name another kind, NULL handles, another registry's or
 * another kind's (cast), out-of-range enums. Reading past the end gives zeros; at most
 * MAX_OPERATIONS run.
 *
 * The operations cover regions (add, remove, rename, boundary, locate and
 * the boundary readers), facilities, postings (every setter) and
 * participants (add, move, every setter, remove), applications (submit,
 * withdraw), selection (lottery and first come), the stipend ledger
 * (record, batch, void, statements and totals), targets, recorded actuals
 * and follow-ons, statistics (compute, save/load, merge, publish), the
 * options, radius queries and the three matchers, snapshot save and load,
 * and the readers. Left out: file snapshots (I/O faults have their own
 * test), CSV and GeoJSON import (their own targets), and batches on more
 * than two threads. Handles are sometimes of another registry, or of
 * another kind (cast), which every call must refuse.
 *
 * Invariants, each an abort():
 * - status: a known code; NJ_E_NOMEM only when the injected allocation
 *   failed during the call (fuzz_alloc.h also fails requests over 64 MiB),
 *   and then NJ_E_NOMEM or NJ_OK (some allocations are best effort, such as
 *   giving back a result's spare capacity; the oracles below then check the
 *   result as any other); a failing mutating call leaves a message, with
 *   "out of memory" for NJ_E_NOMEM; a bad argument gives the status the
 *   header names;
 * - a failing mutating call leaves the registry's snapshot bytes
 *   (nj_snapshot_save_mem) exactly as they were before it. This is checked
 *   for the SAMPLE of operations that the input marks with bit 7 of their
 *   byte (every operation of the seeds): two snapshots per call made
 *   checking every one four times slower, mostly in the settings section's
 *   probe of 1023 option ids. Nothing done to the registry changes the
 *   second registry whose handles it was given;
 * - the registry holds exactly the objects the harness added and did not
 *   remove, at their coordinates rounded to 1e-7 degree; nj_region_locate()
 *   finds the region a scan of nj_region_contains() over every region finds
 *   (the deepest, then the smallest id), and an object added without a
 *   region takes that one;
 * - radius queries (both forms, every order and limit) and the three
 *   matchers give exactly the rows of a brute-force scan over those
 *   objects with nj_distance() on the stored coordinates and, for the
 *   matchers, the eligibility rules of docs/matching.md evaluated on the
 *   objects; the k nearest are the sorted result's first k; a batch is its
 *   postings' nj_match_for_posting() rows one after another;
 * - snapshot -> load -> snapshot is byte-identical (after any operation
 *   that asks, and at the end), and so is statistics save -> load -> save;
 * - the ledger: every entry pays at most its minutes and its amount at the
 *   posting's rate, a person's paid minutes in a period never exceed the
 *   cap and equal their statement, a recorded entry keeps its period within
 *   the budget;
 * - everything is freed: the registry's hooks count no live block at the
 *   end (and ASan checks the rest).
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
 *   build-fuzz/tests/fuzz/fuzz_api -max_len=65536 -rss_limit_mb=2048 tests/fuzz/corpus/api
 *   build-fuzz/tests/fuzz/make_api_seeds tests/fuzz/corpus/api  (the seeds)
 */
#include "fuzz_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPERATIONS 200

/* ---- Tracked ids ---------------------------------------------------- */

void ids_add(id_set *set, int64_t id)
{
    if (set->count == set->cap) {
        set->cap = set->cap ? 2 * set->cap : 16;
        set->ids = realloc(set->ids, set->cap * sizeof *set->ids);
        check(set->ids != NULL, "harness memory");
    }
    set->ids[set->count++] = id;
}

void ids_remove(id_set *set, int64_t id)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->ids[i] == id) {
            set->ids[i] = set->ids[--set->count];
            return;
        }
    check(0, "removed an object the harness did not add");
}

void ids_free(id_set *set)
{
    free(set->ids);
}

/* Runs one mutating call between before_change() and after_change(). */
#define CHANGE(h, call) (before_change(h), after_change((h), (call), #call))
#define READ(h, call) (before_read(h), after_read((h), (call), #call))

/* Removes an object by a picked id; the harness forgets it on success. */
static void remove_tracked(harness *h, fuzz_input *in, nj_status (*remove)(nj_registry *, int64_t),
                           id_set *set, const char *what)
{
    int64_t id = pick_id(in);
    before_change(h);
    if (after_change(h, remove(h->reg, id), what) == NJ_OK)
        ids_remove(set, id);
}

/* ---- Regions -------------------------------------------------------- */

static void op_region_add(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in), parent = in_u8(in) % 2 ? pick_id(in) : 0;
    int32_t level = pick_int32(in, NJ_REGION_PROVINCE, NJ_REGION_NEIGHBOURHOOD);
    const char *name = pick_text(in);
    nj_region *r = NULL;
    if (CHANGE(h, nj_region_add(h->reg, id, level, parent, name, &r)) != NJ_OK)
        return;
    ids_add(&h->regions, id);
    check(r == nj_region_get(h->reg, id) && nj_region_level(r) == level &&
              nj_region_parent_id(r) == parent && strcmp(nj_region_name(r), name) == 0,
          "a region added reads back as given");
}

static void op_region_remove(harness *h, fuzz_input *in)
{
    remove_tracked(h, in, nj_region_remove, &h->regions, "nj_region_remove");
}

static void op_region_set_name(harness *h, fuzz_input *in)
{
    nj_region *r = pick_region(h, in);
    CHANGE(h, nj_region_set_name(h->reg, r, pick_text(in)));
}

/* A square of `size` degrees from (lat, lon), with a hole in its middle
 * when `holed`, or a bad shape: counts that do not add up, a two-vertex
 * ring, a NaN vertex, NULL arrays. */
static void op_region_set_boundary(harness *h, fuzz_input *in)
{
    nj_region *r = pick_region(h, in);
    uint8_t shape = in_u8(in) % 8;
    double lat, lon, size = (1 + in_u8(in)) * 0.001;
    pick_point(h, in, &lat, &lon);
    double q = size / 4;
    double v[16] = {lat, lon, lat, lon + size, lat + size, lon + size, lat + size, lon,
                    lat + q, lon + q, lat + q, lon + 3 * q, lat + 3 * q, lon + 3 * q,
                    lat + 3 * q, lon + q};
    uint32_t rings[2] = {shape == 1 ? 2 : 1, 1}, vertices[2] = {4, 4};
    size_t polygons = 1, n_rings = 1, n_vertices = 4;
    switch (shape) {
    case 0: polygons = 0; break;                            /* removes the boundary */
    case 1: n_rings = 2; n_vertices = 8; break;             /* with a hole */
    case 2: polygons = 2; n_rings = 2; n_vertices = 8; break; /* two squares */
    case 3: n_vertices = 5; break;                          /* counts do not add up */
    case 4: vertices[0] = 2; n_vertices = 2; break;         /* too few vertices */
    case 5: v[3] = NAN; break;
    case 6: CHANGE(h, nj_region_set_boundary(h->reg, r, 1, NULL, 1, NULL, 4, NULL)); return;
    default: break;
    }
    if (CHANGE(h, nj_region_set_boundary(h->reg, r, polygons, rings, n_rings, vertices,
                                         n_vertices, v)) != NJ_OK || polygons == 0)
        return;
    int inside = -1;
    check(nj_region_contains(r, lat + size / 8, lon + size / 8, &inside) == NJ_OK && inside == 1,
          "a point well inside a square boundary is inside");
}

/* Locate, then the readers of a region's boundary. */
static void op_region_read(harness *h, fuzz_input *in)
{
    double lat, lon;
    pick_point(h, in, &lat, &lon);
    nj_region *found = NULL;
    nj_status st = nj_region_locate(h->reg, lat, lon, &found);
    if (st == NJ_E_RANGE)
        check(found == NULL && !(isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 &&
                                 fabs(lon) <= 180), "nj_region_locate's NJ_E_RANGE");
    else
        check((st == NJ_OK || (st == NJ_E_NOT_FOUND && !found)) &&
                  nj_region_id(found) == brute_force_locate(h, lat, lon),
              "nj_region_locate finds the deepest region containing the point");
    const nj_region *r = pick_region(h, in);
    size_t np, nr, nv;
    if (nj_region_boundary_counts(r, &np, &nr, &nv) != NJ_OK || np == 0)
        return;
    uint32_t *rings = malloc(np * sizeof *rings), *vertices = malloc(nr * sizeof *vertices);
    double *latlon = malloc(2 * nv * sizeof *latlon), min_lat, min_lon, max_lat, max_lon;
    check(nj_region_boundary_copy(r, rings, np, vertices, nr, latlon, nv - 1) ==
              NJ_E_BUFFER_TOO_SMALL, "a boundary copy into too small a buffer");
    check(nj_region_boundary_copy(r, rings, np, vertices, nr, latlon, nv) == NJ_OK &&
              nj_region_bbox(r, &min_lat, &min_lon, &max_lat, &max_lon) == NJ_OK,
          "a boundary copy");
    for (size_t i = 0; i < nv; i++)
        check(latlon[2 * i] >= min_lat && latlon[2 * i] <= max_lat &&
                  latlon[2 * i + 1] >= min_lon && latlon[2 * i + 1] <= max_lon,
              "the bounding box holds every vertex");
    free(rings);
    free(vertices);
    free(latlon);
}

/* ---- Facilities ----------------------------------------------------- */

/* A region id for an object: mostly 0 (derived from the location). */
static int64_t pick_region_id(fuzz_input *in)
{
    return in_u8(in) % 4 == 0 ? pick_id(in) : 0;
}

/* An object added with region 0 takes the region located from its stored
 * point. */
static void check_region(const harness *h, int64_t given, int64_t region, double lat, double lon)
{
    check(region == (given ? given : brute_force_locate(h, lat, lon)),
          "an object's region is the one given or the one containing it");
}

/* Stored coordinates are the given ones rounded to 1e-7 degree. */
static void check_stored(double given_lat, double given_lon, double lat, double lon)
{
    check(fabs(lat - given_lat) <= 0.5000001e-7 && fabs(lon - given_lon) <= 0.5000001e-7,
          "stored coordinates are the given ones to 1e-7 degree");
}

static void op_facility_add(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    int32_t kind = pick_int32(in, NJ_FACILITY_LIBRARY, NJ_FACILITY_OTHER);
    const char *name = pick_text(in);
    double lat, lon;
    pick_point(h, in, &lat, &lon);
    int64_t region = pick_region_id(in);
    nj_facility *f = NULL;
    if (CHANGE(h, nj_facility_add(h->reg, id, kind, name, lat, lon, region, &f)) != NJ_OK)
        return;
    ids_add(&h->facilities, id);
    check_stored(lat, lon, nj_facility_lat(f), nj_facility_lon(f));
    check_region(h, region, nj_facility_region_id(f), nj_facility_lat(f), nj_facility_lon(f));
}

static void op_facility_remove(harness *h, fuzz_input *in)
{
    remove_tracked(h, in, nj_facility_remove, &h->facilities, "nj_facility_remove");
}

static void op_facility_set(harness *h, fuzz_input *in)
{
    nj_facility *f = pick_facility(h, in);
    double lat, lon;
    switch (in_u8(in) % 4) {
    case 0: CHANGE(h, nj_facility_set_name(h->reg, f, pick_text(in))); break;
    case 1:
        CHANGE(h, nj_facility_set_kind(h->reg, f,
                                       pick_int32(in, NJ_FACILITY_LIBRARY, NJ_FACILITY_OTHER)));
        break;
    case 2:
        pick_point(h, in, &lat, &lon);
        if (CHANGE(h, nj_facility_set_location(h->reg, f, lat, lon)) == NJ_OK)
            check_stored(lat, lon, nj_facility_lat(f), nj_facility_lon(f));
        break;
    default: CHANGE(h, nj_facility_set_region(h->reg, f, pick_region_id(in))); break;
    }
}

/* ---- Postings ------------------------------------------------------- */

static void op_posting_add(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in), facility = pick_id(in);
    const char *title = pick_text(in);
    int32_t slots = pick_int32(in, 0, 1000000);
    if (CHANGE(h, nj_posting_add(h->reg, id, facility, title, slots, NULL)) == NJ_OK)
        ids_add(&h->postings, id);
}

static void op_posting_remove(harness *h, fuzz_input *in)
{
    remove_tracked(h, in, nj_posting_remove, &h->postings, "nj_posting_remove");
}

static double pick_ratio(fuzz_input *in)
{
    static const double odd[] = {NAN, 0.5, 1000.5, INFINITY, -1, 1000, 1};
    uint8_t b = in_u8(in);
    if (b < 64)
        return 0;
    if (b < 224)
        return 1 + in_u8(in) / 16.0;
    return odd[b % (sizeof odd / sizeof odd[0])];
}

static void op_posting_set(harness *h, fuzz_input *in)
{
    nj_posting *q = pick_posting(h, in);
    nj_registry *reg = h->reg;
    int32_t a, b;
    switch (in_u8(in) % 13) {
    case 0: CHANGE(h, nj_posting_set_title(reg, q, pick_text(in))); break;
    case 1: CHANGE(h, nj_posting_set_programme_type(reg, q, pick_int32(in, 1, 8))); break;
    case 2: CHANGE(h, nj_posting_set_slots(reg, q, pick_int32(in, 0, 1000000))); break;
    case 3: CHANGE(h, nj_posting_set_minutes_per_person(reg, q, pick_int32(in, 0, 1000000))); break;
    case 4: CHANGE(h, nj_posting_set_hourly_stipend_krw(reg, q, pick_int64(in, 1000000))); break;
    case 5:
        a = pick_date(in), b = pick_date(in);
        CHANGE(h, nj_posting_set_work_period(reg, q, a, b));
        break;
    case 6:
        a = pick_date(in), b = pick_date(in);
        CHANGE(h, nj_posting_set_application_window(reg, q, a, b));
        break;
    case 7:
        a = pick_int32(in, 0, 150), b = pick_int32(in, 0, 150);
        CHANGE(h, nj_posting_set_age_range(reg, q, a, b));
        break;
    case 8: CHANGE(h, nj_posting_set_residency_region(reg, q, pick_region_id(in))); break;
    case 9: CHANGE(h, nj_posting_set_foreign_allowed(reg, q, pick_int32(in, 0, 1))); break;
    case 10: {
        const nj_facility *f = q ? nj_facility_get(reg, nj_posting_facility_id(q)) : NULL;
        double r = pick_radius(h, in, f ? nj_facility_lat(f) : 35.15, f ? nj_facility_lon(f) : 126.75);
        CHANGE(h, nj_posting_set_radius_m(reg, q, r));
        break;
    }
    case 11: CHANGE(h, nj_posting_set_early_close_ratio(reg, q, pick_ratio(in))); break;
    default: CHANGE(h, nj_posting_set_status(reg, q, pick_int32(in, 1, 2))); break;
    }
}

/* ---- Participants --------------------------------------------------- */

static void op_participant_add(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    int32_t birth = pick_date(in), verified = pick_date(in);
    int foreign = pick_int32(in, 0, 1);
    double lat, lon;
    pick_point(h, in, &lat, &lon);
    int64_t region = pick_region_id(in);
    nj_participant *p = NULL;
    if (CHANGE(h, nj_participant_add(h->reg, id, birth, foreign, lat, lon, verified, region,
                                     &p)) != NJ_OK)
        return;
    ids_add(&h->participants, id);
    check_stored(lat, lon, nj_participant_lat(p), nj_participant_lon(p));
    check_region(h, region, nj_participant_region_id(p), nj_participant_lat(p),
                 nj_participant_lon(p));
}

static void op_participant_remove(harness *h, fuzz_input *in)
{
    remove_tracked(h, in, nj_participant_remove, &h->participants, "nj_participant_remove");
}

static void op_participant_set(harness *h, fuzz_input *in)
{
    nj_participant *p = pick_participant(h, in);
    double lat, lon;
    switch (in_u8(in) % 4) {
    case 0: CHANGE(h, nj_participant_set_birth_date(h->reg, p, pick_date(in))); break;
    case 1: CHANGE(h, nj_participant_set_foreign(h->reg, p, pick_int32(in, 0, 1))); break;
    case 2:
        pick_point(h, in, &lat, &lon);
        if (CHANGE(h, nj_participant_set_home(h->reg, p, lat, lon, pick_date(in))) == NJ_OK)
            check_stored(lat, lon, nj_participant_lat(p), nj_participant_lon(p));
        break;
    default: CHANGE(h, nj_participant_set_region(h->reg, p, pick_region_id(in))); break;
    }
}

/* ---- Applications and selection ------------------------------------- */

static void op_apply(harness *h, fuzz_input *in)
{
    int64_t p = pick_id(in), q = pick_id(in);
    CHANGE(h, nj_application_submit(h->reg, p, q, pick_date(in)));
}

static void op_withdraw(harness *h, fuzz_input *in)
{
    int64_t p = pick_id(in), q = pick_id(in);
    CHANGE(h, nj_application_withdraw(h->reg, p, q));
}

static void op_select(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    int32_t method = pick_int32(in, NJ_SELECT_LOTTERY, NJ_SELECT_FIRST_COME);
    uint64_t seed = in_u64(in);
    if (CHANGE(h, nj_posting_select(h->reg, id, method, seed, pick_date(in))) != NJ_OK)
        return;
    const nj_posting *q = nj_posting_get(h->reg, id);
    size_t selected = nj_posting_count_by_status(q, NJ_APPLICATION_SELECTED);
    check(nj_posting_status(q) == NJ_POSTING_CLOSED && selected <= (size_t)nj_posting_slots(q),
          "a selection closes the posting and fills at most its slots");
    check(selected + nj_posting_count_by_status(q, NJ_APPLICATION_WAITLISTED) +
                  nj_posting_count_by_status(q, NJ_APPLICATION_WITHDRAWN) ==
              nj_posting_application_count(q),
          "after selection every application is selected, waitlisted or withdrawn");
}

/* ---- The ledger ----------------------------------------------------- */

static int32_t pick_minutes(fuzz_input *in)
{
    return pick_int32(in, 1, 1440);
}

static void op_work_record(harness *h, fuzz_input *in)
{
    int64_t entry = pick_id(in), p = pick_id(in), q = pick_id(in);
    int32_t date = pick_date(in), minutes = pick_minutes(in);
    if (CHANGE(h, nj_work_record(h->reg, entry, p, q, date, minutes)) != NJ_OK)
        return;
    check_ledger(h);
    check_budget(h, date);
}

#define BATCH_MAX 5

static void op_work_batch(harness *h, fuzz_input *in)
{
    size_t n = in_u8(in) % (BATCH_MAX + 1);
    int64_t entries[BATCH_MAX], people[BATCH_MAX], postings[BATCH_MAX];
    int32_t dates[BATCH_MAX], minutes[BATCH_MAX];
    for (size_t i = 0; i < n; i++) {
        entries[i] = pick_id(in);
        people[i] = pick_id(in);
        postings[i] = pick_id(in);
        dates[i] = pick_date(in);
        minutes[i] = pick_minutes(in);
    }
    int null_array = in_u8(in) % 16 == 0;
    if (CHANGE(h, nj_work_record_batch(h->reg, n, entries, people, null_array ? NULL : postings,
                                       dates, minutes)) != NJ_OK)
        return;
    check_ledger(h);
    for (size_t i = 0; i < n; i++)
        check_budget(h, dates[i]);
}

static void op_work_void(harness *h, fuzz_input *in)
{
    if (CHANGE(h, nj_work_void(h->reg, pick_id(in))) == NJ_OK)
        check_ledger(h);
}

/* The readers (statements, totals, applications, selections, entries,
 * targets, actuals, ages) with any arguments: only the status rules. */
static void op_read(harness *h, fuzz_input *in)
{
    int64_t p = pick_id(in), q = pick_id(in), v[5];
    int32_t date = pick_date(in), i32[3];
    int flag;
    uint64_t seed;
    READ(h, nj_stipend_statement(h->reg, p, date, &v[0], &v[1], &v[2], &v[3], &v[4]));
    READ(h, nj_stipend_posting_totals(h->reg, q, date, &v[0], &v[1], &v[2], &v[3]));
    READ(h, nj_stipend_programme_totals(h->reg, date, &v[0], &v[1], &v[2], &v[3], &flag));
    READ(h, nj_application_status(h->reg, p, q, &i32[0]));
    size_t index = in_u8(in) % 4;
    const nj_posting *posting = nj_posting_get(h->reg, q);
    const nj_participant *participant = nj_participant_get(h->reg, p);
    READ(h, nj_posting_application_at(posting, index, &v[0], &i32[0], &i32[1], &i32[2]));
    READ(h, nj_participant_application_at(participant, index, &v[0], &i32[0], &i32[1]));
    READ(h, nj_posting_selection(posting, &i32[0], &seed, &i32[1]));
    READ(h, nj_participant_age_on(participant, date, &i32[0]));
    READ(h, nj_work_entry(h->reg, p, &v[0], &v[1], &i32[0], &i32[1], &i32[2], &v[2], &flag));
    READ(h, nj_target_at(h->reg, index, &i32[0], &v[0], &i32[1], &v[1]));
    READ(h, nj_target_get(h->reg, date / 10000, q, pick_int32(in, 0, 8), &v[0]));
    READ(h, nj_actual_at(h->reg, index, &v[0], &i32[0], &v[1], &i32[1], &v[2]));
}

/* ---- Statistics inputs ---------------------------------------------- */

static int32_t pick_year(fuzz_input *in)
{
    uint8_t b = in_u8(in);
    return b < 240 ? 2023 + b % 4 : pick_int32(in, 1, 9999);
}

static void op_target(harness *h, fuzz_input *in)
{
    int remove = in_u8(in) % 4 == 0;
    int32_t year = pick_year(in), type = pick_int32(in, NJ_PROGRAMME_ALL, NJ_PROGRAMME_OTHER);
    int64_t region = pick_id(in);
    if (remove)
        CHANGE(h, nj_target_remove(h->reg, year, region, type));
    else
        CHANGE(h, nj_target_set(h->reg, year, region, type, pick_int64(in, NJ_STATS_COUNT_MAX)));
}

static void op_actual(harness *h, fuzz_input *in)
{
    int64_t id = pick_id(in);
    if (in_u8(in) % 4 == 0) {
        CHANGE(h, nj_actual_remove(h->reg, id));
        return;
    }
    int32_t date = pick_date(in), type = pick_int32(in, NJ_PROGRAMME_ALL, NJ_PROGRAMME_OTHER);
    int64_t region = pick_id(in);
    CHANGE(h, nj_actual_record(h->reg, id, date, region, type, pick_int64(in, NJ_STATS_COUNT_MAX)));
}

static void op_follow_on(harness *h, fuzz_input *in)
{
    int64_t p = pick_id(in);
    int32_t kind = pick_int32(in, NJ_FOLLOW_ON_APPLIED, NJ_FOLLOW_ON_HIRED);
    if (in_u8(in) % 4 == 0)
        CHANGE(h, nj_follow_on_clear(h->reg, p, kind));
    else
        CHANGE(h, nj_follow_on_record(h->reg, p, kind, pick_date(in)));
}

/* Compute, save -> load -> save, merge, publish. */
static void op_stats(harness *h, fuzz_input *in)
{
    int32_t from = pick_date(in), to = pick_date(in);
    nj_stats *stats = NULL;
    if (READ(h, nj_stats_compute(h->reg, from, to, &stats)) != NJ_OK) {
        check(stats == NULL, "failed statistics are NULL");
        return;
    }
    size_t size, size2;
    check(nj_stats_save(stats, NULL, 0, &size) == NJ_E_BUFFER_TOO_SMALL, "statistics size");
    uint8_t *bytes = malloc(size), *again = malloc(size);
    nj_stats *loaded = NULL;
    check(bytes && again && nj_stats_save(stats, bytes, size, &size) == NJ_OK &&
              nj_stats_load(bytes, size, &loaded, NULL, 0) == NJ_OK &&
              nj_stats_save(loaded, again, size, &size2) == NJ_OK && size2 == size &&
              memcmp(bytes, again, size) == 0,
          "statistics save -> load -> save is byte-identical");
    nj_status merged = nj_stats_merge(loaded, stats); /* every figure twice */
    check(merged == NJ_OK || merged == NJ_E_RANGE, "statistics merge into their copy");
    nj_stats_table *table = NULL;
    int32_t year = pick_year(in), level = pick_int32(in, 1, 3);
    int32_t kind = pick_int32(in, NJ_TABLE_ATTAINMENT, NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND);
    int32_t k = pick_int32(in, 1, 1000);
    if (nj_stats_publish(loaded, year, level, kind, k, &table) == NJ_OK) {
        size_t n;
        check(nj_stats_table_csv(table, NULL, 0, &n) != NJ_E_INVALID &&
                  nj_stats_table_json(table, NULL, 0, &n) != NJ_E_INVALID,
              "a published table's sizes");
    }
    nj_stats_table_destroy(table);
    nj_stats_destroy(loaded);
    nj_stats_destroy(stats);
    free(bytes);
    free(again);
}

/* ---- Options -------------------------------------------------------- */

static void op_option(harness *h, fuzz_input *in)
{
    int32_t option = pick_int32(in, NJ_OPT_STIPEND_CAP_MINUTES, NJ_OPT_IMPORT_MAX_FIELD_BYTES);
    int64_t lo = 0, hi = 0, value;
    nj_option_bounds(option, &lo, &hi);
    switch (in_u8(in) % 8) {
    case 0: value = lo; break;
    case 1: value = hi; break;
    case 2: value = lo - 1; break;
    case 3: value = hi == INT64_MAX ? hi : hi + 1; break;
    case 4: value = option == NJ_OPT_PERIOD_START_MMDD ? 229 : lo + (hi - lo) / 2; break;
    case 5: value = (int64_t)in_u64(in); break;
    default: value = lo + in_u16(in) % (hi - lo + 1); break;
    }
    if (CHANGE(h, nj_registry_set_int64(h->reg, option, value)) == NJ_OK) {
        int64_t now;
        check(nj_registry_get_int64(h->reg, option, &now) == NJ_OK && now == value,
              "an option set reads back");
    }
}

/* ---- Snapshots ------------------------------------------------------ */

/* Save (with the failure armed), load (likewise), save again: the same
 * bytes; the loaded registry may take the old one's place. */
static void op_snapshot(harness *h, fuzz_input *in)
{
    size_t len, written = 0;
    uint8_t *first = save_snapshot(h->reg, &len), *armed = malloc(len);
    check(armed != NULL, "harness memory");
    if (READ(h, nj_snapshot_save_mem(h->reg, armed, len, &written)) == NJ_OK)
        check(written == len && memcmp(first, armed, len) == 0, "a snapshot saved twice");
    free(armed);
    nj_registry *loaded = NULL;
    char msg[256];
    if (READ(h, nj_snapshot_load_mem_with_allocator(first, len, fuzz_malloc, fuzz_realloc,
                                                    fuzz_free, &h->alloc, &loaded, msg,
                                                    sizeof msg)) != NJ_OK) {
        check(loaded == NULL, "a failed load gives no registry");
        free(first);
        return;
    }
    size_t again_len;
    uint8_t *again = save_snapshot(loaded, &again_len);
    check(again_len == len && memcmp(first, again, len) == 0,
          "snapshot -> load -> snapshot is byte-identical");
    free(first);
    free(again);
    if (in_u8(in) % 2) {
        nj_registry_destroy(h->reg);
        h->reg = loaded; /* same bytes: h->snap stays valid */
        check_ledger(h);
    } else {
        nj_registry_destroy(loaded);
    }
}

/* ---- The sequence --------------------------------------------------- */

typedef void (*operation)(harness *h, fuzz_input *in);

static const operation operations[OP_COUNT] = {
    [OP_REGION_ADD] = op_region_add,
    [OP_REGION_REMOVE] = op_region_remove,
    [OP_REGION_SET_NAME] = op_region_set_name,
    [OP_REGION_SET_BOUNDARY] = op_region_set_boundary,
    [OP_REGION_READ] = op_region_read,
    [OP_FACILITY_ADD] = op_facility_add,
    [OP_FACILITY_REMOVE] = op_facility_remove,
    [OP_FACILITY_SET] = op_facility_set,
    [OP_POSTING_ADD] = op_posting_add,
    [OP_POSTING_REMOVE] = op_posting_remove,
    [OP_POSTING_SET] = op_posting_set,
    [OP_PARTICIPANT_ADD] = op_participant_add,
    [OP_PARTICIPANT_REMOVE] = op_participant_remove,
    [OP_PARTICIPANT_SET] = op_participant_set,
    [OP_APPLY] = op_apply,
    [OP_WITHDRAW] = op_withdraw,
    [OP_SELECT] = op_select,
    [OP_WORK_RECORD] = op_work_record,
    [OP_WORK_BATCH] = op_work_batch,
    [OP_WORK_VOID] = op_work_void,
    [OP_READ] = op_read,
    [OP_TARGET] = op_target,
    [OP_ACTUAL] = op_actual,
    [OP_FOLLOW_ON] = op_follow_on,
    [OP_STATS] = op_stats,
    [OP_OPTION] = op_option,
    [OP_SNAPSHOT] = op_snapshot,
    [OP_QUERY_RADIUS] = check_query_radius,
    [OP_QUERY_INTO] = check_query_into,
    [OP_MATCH_FOR_PARTICIPANT] = check_match_for_participant,
    [OP_MATCH_FOR_POSTING] = check_match_for_posting,
    [OP_MATCH_BATCH] = check_match_batch,
    [OP_PARTICIPANT_ADD_2] = op_participant_add,
    [OP_POSTING_ADD_2] = op_posting_add,
    [OP_APPLY_2] = op_apply,
    [OP_POSTING_SET_2] = op_posting_set,
};

/* A registry with one object of each kind, all with id 1. */
static nj_registry *other_registry(void)
{
    nj_registry *reg;
    check(nj_registry_create(&reg) == NJ_OK &&
              nj_region_add(reg, 1, NJ_REGION_DISTRICT, 0, "북구", NULL) == NJ_OK &&
              nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "일곡도서관", 35.2, 126.9, 0, NULL) ==
                  NJ_OK &&
              nj_posting_add(reg, 1, 1, "도서 정리", 1, NULL) == NJ_OK &&
              nj_participant_add(reg, 1, 19700101, 0, 35.2, 126.9, 20240101, 0, NULL) == NJ_OK,
          "the other registry");
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness h = {0};
    fuzz_input in = {data, size};
    h.fail_countdown = in_u16(&in);
    check(nj_registry_create_with_allocator(fuzz_malloc, fuzz_realloc, fuzz_free, &h.alloc,
                                            &h.reg) == NJ_OK, "create the registry");
    h.other = other_registry();
    size_t other_len, other_after_len;
    uint8_t *other_before = save_snapshot(h.other, &other_len);
    for (int n = 0; in.left > 0 && n < MAX_OPERATIONS; n++) {
        uint8_t op = in_u8(&in);
        h.check_unchanged = op & 0x80;
        operations[(op & 0x7f) % OP_COUNT](&h, &in);
        check_tracked(&h);
    }
    h.fail_countdown = 0;
    op_snapshot(&h, &in);
    check_ledger(&h);
    uint8_t *other_after = save_snapshot(h.other, &other_after_len);
    check(other_len == other_after_len && memcmp(other_before, other_after, other_len) == 0,
          "calls on one registry changed another");
    free(other_before);
    free(other_after);
    nj_registry_destroy(h.other);
    nj_registry_destroy(h.reg);
    check(h.alloc.live == 0, "every block allocated through the hooks is freed");
    free(h.snap);
    ids_free(&h.regions);
    ids_free(&h.facilities);
    ids_free(&h.postings);
    ids_free(&h.participants);
    return 0;
}
