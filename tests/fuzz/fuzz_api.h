/*
 * The API-sequence fuzz target's parts (fuzz_api.c describes the input and
 * the invariants): the input reader and the argument pickers
 * (fuzz_api_pick.c), the harness state, and the oracles
 * (fuzz_api_check.c).
 */
#ifndef NJ_FUZZ_API_H
#define NJ_FUZZ_API_H

#include <stddef.h>
#include <stdint.h>

#include <nearjob.h>

#include "fuzz_alloc.h"

/* ---- Input ---------------------------------------------------------- */

/* The bytes still to decode; reading past the end gives zeros. */
typedef struct fuzz_input {
    const uint8_t *p;
    size_t left;
} fuzz_input;

uint8_t in_u8(fuzz_input *in);
uint16_t in_u16(fuzz_input *in);
uint64_t in_u64(fuzz_input *in);

/* ---- Operations ----------------------------------------------------- */

/* The operation byte's values (modulo OP_COUNT), for the seed writer. */
enum fuzz_op {
    OP_REGION_ADD, OP_REGION_REMOVE, OP_REGION_SET_NAME, OP_REGION_SET_BOUNDARY,
    OP_REGION_READ, OP_FACILITY_ADD, OP_FACILITY_REMOVE, OP_FACILITY_SET,
    OP_POSTING_ADD, OP_POSTING_REMOVE, OP_POSTING_SET, OP_PARTICIPANT_ADD,
    OP_PARTICIPANT_REMOVE, OP_PARTICIPANT_SET, OP_APPLY, OP_WITHDRAW,
    OP_SELECT, OP_WORK_RECORD, OP_WORK_BATCH, OP_WORK_VOID,
    OP_READ, OP_TARGET, OP_ACTUAL, OP_FOLLOW_ON,
    OP_STATS, OP_OPTION, OP_SNAPSHOT, OP_QUERY_RADIUS,
    OP_QUERY_INTO, OP_MATCH_FOR_PARTICIPANT, OP_MATCH_FOR_POSTING, OP_MATCH_BATCH,
    /* The common ones twice, so that short random inputs build something. */
    OP_PARTICIPANT_ADD_2, OP_POSTING_ADD_2, OP_APPLY_2, OP_POSTING_SET_2,
    OP_COUNT
};

/* ---- Harness state -------------------------------------------------- */

/* The ids of one kind of object the harness believes exist. */
typedef struct id_set {
    int64_t *ids;
    size_t count, cap;
} id_set;

void ids_add(id_set *set, int64_t id);
void ids_remove(id_set *set, int64_t id);
void ids_free(id_set *set);

typedef struct harness {
    nj_registry *reg;
    /* A second registry with one object of each kind: its handles are
     * foreign to `reg`, and nothing done to `reg` may change it. */
    nj_registry *other;
    fuzz_alloc alloc;       /* `reg`'s hooks */
    size_t fail_countdown;  /* the armed allocation to fail, 1-based; 0 none */
    size_t armed_calls;     /* alloc.calls when the call under test began */
    size_t armed_failures;  /* alloc.failures then */
    /* Whether the operation's failing calls are checked against the
     * snapshot (bit 7 of its byte); the snapshot of `reg` before the
     * mutating call under test, kept while nothing changes it. */
    int check_unchanged;
    uint8_t *snap;
    size_t snap_len;
    int snap_valid;
    id_set regions, facilities, postings, participants;
} harness;

/* ---- Arguments ------------------------------------------------------ */

/* Mostly small ids shared by every kind (so that a facility's id is
 * sometimes given as a posting's), sometimes 0, negative or huge. */
int64_t pick_id(fuzz_input *in);
/* A point: near the harness's area, on a tracked object or a hair from it,
 * at the poles and the antimeridian, anywhere, or NaN, infinite, out of
 * range. */
void pick_point(const harness *h, fuzz_input *in, double *lat, double *lon);
/* A radius from (lat, lon): metres, exactly the distance to a tracked
 * object or one step beside it, the Earth's half circumference, or NaN,
 * negative, infinite. */
double pick_radius(const harness *h, fuzz_input *in, double lat, double lon);
/* A YYYYMMDD date, mostly valid, sometimes on a boundary or invalid. */
int32_t pick_date(fuzz_input *in);
/* A value in [lo, hi] mostly, else 0, -1, hi + 1, INT32_MIN/MAX or raw. */
int32_t pick_int32(fuzz_input *in, int32_t lo, int32_t hi);
/* An int64 for amounts and counts: small, the given limit or beside it,
 * negative, INT64_MIN/MAX or raw. */
int64_t pick_int64(fuzz_input *in, int64_t limit);
/* UTF-8 text, invalid UTF-8, "", 1024 and 1025 bytes, or NULL. */
const char *pick_text(fuzz_input *in);
/* Handles: an object of `reg` by a picked id (NULL when it has none), or
 * the other registry's. */
nj_region *pick_region(const harness *h, fuzz_input *in);
nj_facility *pick_facility(const harness *h, fuzz_input *in);
nj_posting *pick_posting(const harness *h, fuzz_input *in);
nj_participant *pick_participant(const harness *h, fuzz_input *in);

/* ---- Checks (each failure an abort()) ------------------------------- */

void check(int ok, const char *what);

/* Before a mutating call: keep the snapshot of the registry (when the
 * operation is checked), arm the allocation failure. */
void before_change(harness *h);
/* After it: disarm; an allocation failure is reported as NJ_E_NOMEM, never
 * NJ_E_NOMEM without one; a failing call left a message and (when the
 * operation is checked) the snapshot bytes as they were. Returns st. */
nj_status after_change(harness *h, nj_status st, const char *what);
/* Around a read-only call: the same status rules, no snapshot. */
void before_read(harness *h);
nj_status after_read(harness *h, nj_status st, const char *what);

/* The snapshot in a malloc'd buffer (allocator disarmed). */
uint8_t *save_snapshot(const nj_registry *reg, size_t *len);

/* Radius queries and the matchers against brute force over the tracked
 * objects. */
void check_query_radius(harness *h, fuzz_input *in);
void check_query_into(harness *h, fuzz_input *in);
void check_match_for_participant(harness *h, fuzz_input *in);
void check_match_for_posting(harness *h, fuzz_input *in);
void check_match_batch(harness *h, fuzz_input *in);
/* Every ledger entry and statement against the cap. */
void check_ledger(const harness *h);
/* After a successful record dated `date`: its period within the budget. */
void check_budget(const harness *h, int32_t date);
/* The deepest tracked region containing the point, smaller id first (as
 * nj_region_locate() should find it through its index); 0 for none. */
int64_t brute_force_locate(const harness *h, double lat, double lon);
/* The registry's objects are those tracked. */
void check_tracked(const harness *h);

#endif
