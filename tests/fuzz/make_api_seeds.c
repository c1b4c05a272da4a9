/*
 * Writes the API-sequence target's seeds into a folder:
 *
 *   make_api_seeds tests/fuzz/corpus/api
 *
 * Each seed builds a small world through the operations (regions with
 * boundaries, two facilities, two postings, six residents, applications,
 * both kinds of selection, work entries over a lowered cap), then runs one
 * operation with good arguments and again with hostile ones; a last group
 * fails each of the world's first allocations in turn. The bytes follow
 * the pickers of fuzz_api_pick.c: a seed only has to start the fuzzer
 * somewhere useful, so a picker that changes makes the seeds weaker, never
 * wrong.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_api.h"

typedef struct seed {
    uint8_t bytes[4096];
    size_t len;
} seed;

static void put(seed *s, uint8_t b)
{
    if (s->len == sizeof s->bytes)
        abort();
    s->bytes[s->len++] = b;
}

static void put16(seed *s, unsigned v)
{
    put(s, v & 0xff);
    put(s, v >> 8 & 0xff);
}

/* Argument encodings, as the pickers read them. */
static void id(seed *s, int v) { put(s, (uint8_t)(v - 1)); }           /* 1 .. 12 */
static void hostile_id(seed *s, int k) { put(s, (uint8_t)(224 + k)); } /* 0, -1, max, min ... */
static void handle(seed *s, int v) { put(s, 0); id(s, v); }
static void foreign_handle(seed *s) { put(s, 15); }
static void area(seed *s, int i, int j) { put(s, 0); put(s, (uint8_t)i); put(s, (uint8_t)j); }
static void date(seed *s, int y, int m, int d)
{
    int programme = y >= 2023 && y <= 2026;
    put(s, programme ? 0 : 7);
    put(s, (uint8_t)(programme ? y - 2023 : y - 1930));
    put(s, (uint8_t)(m - 1));
    put(s, (uint8_t)(d - 1));
}
static void bad_date(seed *s, int k) { put(s, 11); put(s, (uint8_t)k); }
static void int32(seed *s, int v, int lo) { put(s, 0); put16(s, (unsigned)(v - lo)); }
static void hostile_int(seed *s, int k) { put(s, (uint8_t)(208 + k)); } /* 0, -1, hi+1 ... */
static void int64(seed *s, unsigned v) { put(s, 0); put16(s, v); }
static void text(seed *s, int k) { put(s, (uint8_t)k); } /* 0: a name; 3: bad UTF-8; 11: NULL */
static void no_region(seed *s) { put(s, 1); }
static void region_id(seed *s, int v) { put(s, 0); id(s, v); }
static void metres(seed *s, unsigned m) { put(s, 0); put16(s, m); put(s, 0); }
static void op(seed *s, int o) { put(s, (uint8_t)(o | 0x80)); } /* checked */

static void region(seed *s, int v, int level, int parent)
{
    op(s, OP_REGION_ADD);
    id(s, v);
    put(s, parent ? 1 : 0);
    if (parent)
        id(s, parent);
    int32(s, level, NJ_REGION_PROVINCE);
    text(s, v == 1 ? 0 : 9);
}

/* A square of (size + 1) / 1000 degrees from the area point (i, j). */
static void square(seed *s, int region, int size, int i, int j)
{
    op(s, OP_REGION_SET_BOUNDARY);
    handle(s, region);
    put(s, 7);
    put(s, (uint8_t)size);
    area(s, i, j);
}

static void resident(seed *s, int v, int born, int i, int j, int foreign)
{
    op(s, OP_PARTICIPANT_ADD);
    id(s, v);
    date(s, born, 5, 15);
    date(s, 2024, 1, 2);
    int32(s, foreign, 0);
    area(s, i, j);
    no_region(s);
}

static void apply(seed *s, int p, int q)
{
    op(s, OP_APPLY);
    id(s, p);
    id(s, q);
    date(s, 2024, 2, 1);
}

static void record(seed *s, int entry, int p, int q, int day, int minutes)
{
    op(s, OP_WORK_RECORD);
    id(s, entry);
    id(s, p);
    id(s, q);
    date(s, 2024, 3, day);
    int32(s, minutes, 1);
}

/* The world every seed starts from. */
static void world(seed *s, unsigned fail_at)
{
    s->len = 0;
    put16(s, fail_at);
    region(s, 1, NJ_REGION_PROVINCE, 0);
    region(s, 2, NJ_REGION_DISTRICT, 1);
    region(s, 3, NJ_REGION_NEIGHBOURHOOD, 2);
    square(s, 2, 199, 0, 0);  /* 35.10 .. 35.30, 126.70 .. 126.90 */
    square(s, 3, 49, 20, 20); /* 35.11 .. 35.16, 126.71 .. 126.76 */
    for (int f = 1; f <= 2; f++) {
        op(s, OP_FACILITY_ADD);
        id(s, f);
        int32(s, f, NJ_FACILITY_LIBRARY);
        text(s, 0);
        area(s, 40 * f, 40 * f);
        no_region(s);
    }
    for (int q = 1; q <= 2; q++) {
        op(s, OP_POSTING_ADD);
        id(s, q);
        id(s, q);
        text(s, 9);
        int32(s, 3 - q, 0);
        op(s, OP_POSTING_SET); /* 10 030 KRW an hour */
        handle(s, q);
        put(s, 4);
        int64(s, 10030);
    }
    op(s, OP_OPTION); /* a cap of 300 minutes */
    int32(s, NJ_OPT_STIPEND_CAP_MINUTES, NJ_OPT_STIPEND_CAP_MINUTES);
    put(s, 6);
    put16(s, 300);
    static const int born[] = {1960, 1985, 2000, 1950, 1970, 2010};
    for (int p = 1; p <= 6; p++)
        resident(s, p, born[p - 1], 30 + 8 * p, 30 + 9 * p, p == 5);
    for (int p = 1; p <= 4; p++)
        apply(s, p, 1);
    apply(s, 5, 2);
    apply(s, 6, 2);
    op(s, OP_SELECT);
    id(s, 1);
    int32(s, NJ_SELECT_LOTTERY, NJ_SELECT_LOTTERY);
    for (int i = 0; i < 8; i++)
        put(s, (uint8_t)(7 * i + 1));
    date(s, 2024, 2, 15);
    op(s, OP_SELECT);
    id(s, 2);
    int32(s, NJ_SELECT_FIRST_COME, NJ_SELECT_LOTTERY);
    for (int i = 0; i < 8; i++)
        put(s, 0);
    date(s, 2024, 2, 15);
    for (int p = 1; p <= 4; p++)
        record(s, p, p, 1, p, 240);
    record(s, 5, 5, 2, 5, 240);
    record(s, 6, 1, 1, 20, 120); /* over the cap for whoever has 240 */
}

static void write_seed(const char *dir, const char *name, const seed *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s->bytes, 1, s->len, f) != s->len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* One seed per operation: the world, then the operation with good
 * arguments, then with hostile ones. */
typedef void (*arguments)(seed *s, int hostile);

static void a_region_add(seed *s, int bad)
{
    if (bad) { hostile_id(s, 1); put(s, 0); hostile_int(s, 2); text(s, 3); }
    else { id(s, 4); put(s, 1); id(s, 2); int32(s, 3, 1); text(s, 10); }
}
static void a_region_remove(seed *s, int bad) { bad ? id(s, 2) : id(s, 3); }
static void a_region_set_name(seed *s, int bad)
{
    if (bad) { foreign_handle(s); text(s, 0); }
    else { handle(s, 3); text(s, 1); }
}
static void a_region_set_boundary(seed *s, int bad)
{
    handle(s, 3);
    put(s, bad ? 5 : 1);
    put(s, 30);
    area(s, 20, 20);
}
static void a_region_read(seed *s, int bad)
{
    if (bad) { put(s, 11); put(s, 1); handle(s, 1); }
    else { area(s, 30, 30); handle(s, 3); }
}
static void a_facility_add(seed *s, int bad)
{
    id(s, bad ? 1 : 3);
    int32(s, 3, 1);
    text(s, bad ? 255 : 6);
    if (bad) { put(s, 11); put(s, 3); }
    else area(s, 50, 50);
    no_region(s);
}
static void a_facility_remove(seed *s, int bad) { bad ? id(s, 1) : hostile_id(s, 2); }
static void a_facility_set(seed *s, int bad)
{
    handle(s, 1);
    put(s, 2);
    if (bad) { put(s, 11); put(s, 1); }
    else area(s, 41, 39);
}
static void a_posting_add(seed *s, int bad)
{
    id(s, 3);
    bad ? id(s, 9) : id(s, 2);
    text(s, bad ? 4 : 0);
    bad ? hostile_int(s, 2) : int32(s, 5, 0);
}
static void a_posting_remove(seed *s, int bad) { bad ? id(s, 1) : id(s, 9); }
static void a_posting_set(seed *s, int bad)
{
    handle(s, 2);
    put(s, bad ? 4 : 7); /* the rate once paid, or the age range */
    if (bad) int64(s, 12000);
    else { int32(s, 20, 0); int32(s, 60, 0); }
}
static void a_participant_add(seed *s, int bad)
{
    id(s, 7);
    date(s, 1990, 1, 1);
    bad ? date(s, 1980, 1, 1) : date(s, 2024, 1, 1); /* verified before birth */
    int32(s, 0, 0);
    area(s, 80, 80);
    region_id(s, 3); /* given, though the home is outside it */
}
static void a_participant_remove(seed *s, int bad) { bad ? id(s, 1) : id(s, 6); }
static void a_participant_set(seed *s, int bad)
{
    handle(s, 1);
    put(s, 2); /* move home */
    if (bad) { put(s, 11); put(s, 0); }
    else area(s, 200, 200);
    date(s, 2024, 6, 1);
}
static void a_apply(seed *s, int bad)
{
    id(s, 6);
    id(s, bad ? 1 : 2);
    bad ? bad_date(s, 1) : date(s, 2024, 2, 2);
}
static void a_withdraw(seed *s, int bad) { id(s, bad ? 6 : 1); id(s, 1); }
static void a_select(seed *s, int bad)
{
    id(s, bad ? 1 : 2);
    bad ? hostile_int(s, 2) : int32(s, 1, 1);
    for (int i = 0; i < 8; i++)
        put(s, 3);
    date(s, 2024, 2, 16);
}
static void a_work_record(seed *s, int bad)
{
    id(s, bad ? 1 : 7);
    id(s, 1);
    id(s, 1);
    date(s, 2024, 3, 2);
    bad ? hostile_int(s, 2) : int32(s, 100, 1);
}
static void a_work_batch(seed *s, int bad)
{
    put(s, 2);
    for (int i = 0; i < 2; i++) {
        id(s, bad ? 8 : 8 + i);
        id(s, 2);
        id(s, 1);
        date(s, 2024, 4, 1 + i);
        int32(s, 90, 1);
    }
    put(s, 1);
}
static void a_work_void(seed *s, int bad) { bad ? hostile_id(s, 3) : id(s, 1); }
static void a_read(seed *s, int bad)
{
    id(s, 1);
    id(s, 1);
    bad ? bad_date(s, 2) : date(s, 2024, 5, 1);
    put(s, 1);
}
static void a_target(seed *s, int bad)
{
    put(s, 1);
    put(s, 1); /* 2024 */
    int32(s, 0, 0);
    id(s, bad ? 9 : 2);
    int64(s, 50);
}
static void a_actual(seed *s, int bad)
{
    id(s, 1);
    put(s, 1);
    date(s, 2024, 7, 1);
    int32(s, 1, 0);
    id(s, 3);
    bad ? hostile_int(s, 0) : int64(s, 12);
}
static void a_follow_on(seed *s, int bad)
{
    id(s, bad ? 6 : 1);
    int32(s, 2, 1);
    put(s, 1);
    date(s, 2024, 9, 1);
}
static void a_stats(seed *s, int bad)
{
    date(s, 2024, 1, 1);
    bad ? bad_date(s, 0) : date(s, 2024, 12, 28);
    put(s, 1);
    int32(s, 3, 1);
    int32(s, 2, 1);
    int32(s, 1, 1);
}
static void a_option(seed *s, int bad)
{
    int32(s, bad ? NJ_OPT_PERIOD_START_MMDD : NJ_OPT_BUDGET_KRW, 1);
    put(s, bad ? 4 : 6); /* 229, or a budget of 60 000 KRW */
    if (!bad)
        put16(s, 60000);
}
static void a_snapshot(seed *s, int bad) { put(s, bad ? 0 : 1); }
static void a_query(seed *s, int bad)
{
    int32(s, 1 + bad, 1);
    int32(s, 1, 0);
    put(s, 8);
    put(s, 2);
    put(s, bad ? 8 : 7); /* the radius one step past a point, or on it */
    put(s, 3);
    put(s, bad ? 3 : 0);
}
static void a_query_into(seed *s, int bad)
{
    a_query(s, bad);
    put(s, bad ? 1 : 7);
    put(s, 1);
}
static void a_match_for_participant(seed *s, int bad)
{
    id(s, 1);
    bad ? put(s, 11) : metres(s, 3000);
    if (bad)
        put(s, 0);
    date(s, 2024, 2, 1);
    put(s, 2);
}
static void a_match_for_posting(seed *s, int bad)
{
    id(s, bad ? 1 : 2);
    date(s, 2024, 2, 1);
    put(s, 0);
    put(s, bad ? 245 : 1);
}
static void a_match_batch(seed *s, int bad)
{
    date(s, 2024, 2, 1);
    put(s, 0);
    put(s, 0);
    put(s, 1);
    put(s, bad ? 245 : 2);
}

/* Every setter of every object with a value it refuses. */
static void a_setters(seed *s, int bad)
{
    if (!bad)
        return;
    for (int sub = 0; sub < 13; sub++) {
        op(s, OP_POSTING_SET);
        handle(s, 1);
        put(s, (uint8_t)sub);
        switch (sub) {
        case 0: text(s, 3); break;                    /* invalid UTF-8 */
        case 1: hostile_int(s, 0); break;             /* programme type 0 */
        case 2: hostile_int(s, 2); break;             /* slots 1 000 001 */
        case 3: hostile_int(s, 1); break;             /* minutes -1 */
        case 4: put(s, 201); break;                   /* -1 KRW */
        case 5: date(s, 2024, 6, 1); date(s, 2024, 5, 1); break; /* start after end */
        case 6: date(s, 2024, 3, 1); bad_date(s, 2); break;
        case 7: int32(s, 90, 0); int32(s, 10, 0); break; /* min over max */
        case 8: region_id(s, 9); break;               /* no such region */
        case 9: hostile_int(s, 2); break;             /* a flag of 2 */
        case 10: put(s, 11); put(s, 0); break;        /* a NaN radius */
        case 11: put(s, 225); break;                  /* ratio 0.5 */
        default: hostile_int(s, 2); break;            /* status 3 */
        }
    }
    for (int sub = 0; sub < 4; sub++) { /* name, kind, location, region */
        op(s, OP_FACILITY_SET);
        handle(s, 1);
        put(s, (uint8_t)sub);
        switch (sub) {
        case 0: text(s, 3); break;
        case 1: hostile_int(s, 2); break;
        case 2: put(s, 11); put(s, 1); break; /* NaN latitude */
        default: region_id(s, 9); break;
        }
    }
    for (int sub = 0; sub < 4; sub++) { /* birth date, flag, home, region */
        op(s, OP_PARTICIPANT_SET);
        handle(s, 2);
        put(s, (uint8_t)sub);
        switch (sub) {
        case 0: bad_date(s, 1); break;
        case 1: hostile_int(s, 2); break;
        case 2: put(s, 11); put(s, 3); date(s, 2024, 6, 1); break; /* infinite latitude */
        default: region_id(s, 9); break;
        }
    }
}

static const struct {
    const char *name;
    int op;
    arguments args;
} seeds[] = {
    {"region_add", OP_REGION_ADD, a_region_add},
    {"region_remove", OP_REGION_REMOVE, a_region_remove},
    {"region_set_name", OP_REGION_SET_NAME, a_region_set_name},
    {"region_set_boundary", OP_REGION_SET_BOUNDARY, a_region_set_boundary},
    {"region_read", OP_REGION_READ, a_region_read},
    {"facility_add", OP_FACILITY_ADD, a_facility_add},
    {"facility_remove", OP_FACILITY_REMOVE, a_facility_remove},
    {"facility_set", OP_FACILITY_SET, a_facility_set},
    {"posting_add", OP_POSTING_ADD, a_posting_add},
    {"posting_remove", OP_POSTING_REMOVE, a_posting_remove},
    {"posting_set", OP_POSTING_SET, a_posting_set},
    {"participant_add", OP_PARTICIPANT_ADD, a_participant_add},
    {"participant_remove", OP_PARTICIPANT_REMOVE, a_participant_remove},
    {"participant_set", OP_PARTICIPANT_SET, a_participant_set},
    {"apply", OP_APPLY, a_apply},
    {"withdraw", OP_WITHDRAW, a_withdraw},
    {"select", OP_SELECT, a_select},
    {"work_record", OP_WORK_RECORD, a_work_record},
    {"work_batch", OP_WORK_BATCH, a_work_batch},
    {"work_void", OP_WORK_VOID, a_work_void},
    {"read", OP_READ, a_read},
    {"target", OP_TARGET, a_target},
    {"actual", OP_ACTUAL, a_actual},
    {"follow_on", OP_FOLLOW_ON, a_follow_on},
    {"stats", OP_STATS, a_stats},
    {"option", OP_OPTION, a_option},
    {"snapshot", OP_SNAPSHOT, a_snapshot},
    {"query_radius", OP_QUERY_RADIUS, a_query},
    {"query_into", OP_QUERY_INTO, a_query_into},
    {"match_for_participant", OP_MATCH_FOR_PARTICIPANT, a_match_for_participant},
    {"match_for_posting", OP_MATCH_FOR_POSTING, a_match_for_posting},
    {"match_batch", OP_MATCH_BATCH, a_match_batch},
    {"setters", OP_SNAPSHOT, a_setters}, /* a snapshot, then the setters */
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s folder\n", argv[0]);
        return 2;
    }
    seed s;
    char name[64];
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        world(&s, 0);
        for (int bad = 0; bad <= 1; bad++) {
            op(&s, seeds[i].op);
            seeds[i].args(&s, bad);
        }
        snprintf(name, sizeof name, "seed-%s", seeds[i].name);
        write_seed(argv[1], name, &s);
    }
    /* The world with one of its allocations failing. */
    for (unsigned fail_at = 1; fail_at <= 64; fail_at *= 2) {
        world(&s, fail_at);
        snprintf(name, sizeof name, "seed-nomem-%u", fail_at);
        write_seed(argv[1], name, &s);
    }
    return 0;
}
