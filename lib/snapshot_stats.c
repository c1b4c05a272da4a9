/*
 * The statistics section of a snapshot (docs/snapshot-format.md, type 8):
 * targets, recorded actuals and follow-on records, each a list. They are
 * rebuilt through the public calls, which check every rule again, after
 * the applications (a follow-on needs a selected participant).
 */
#include "registry_internal.h"
#include "snapshot_internal.h"

#define TARGET_RECORD 24   /* i32 year, i64 region, i32 type, i64 target */
#define ACTUAL_RECORD 32   /* i64 id, i32 date, i64 region, i32 type, i64 jobs */
#define FOLLOW_ON_RECORD 16 /* i64 participant, i32 kind, i32 date */

static size_t follow_on_count(const nj_registry *reg)
{
    size_t n = 0;
    for (size_t i = 0; i < reg->participants.count; i++) {
        const nj_participant *p = (const nj_participant *)reg->participants.items[i];
        n += (size_t)(p->follow_on[0] != 0) + (size_t)(p->follow_on[1] != 0);
    }
    return n;
}

/* In the registry's order: targets by key, actuals by id, follow-ons by
 * participant position (the participants section keeps that order). */
nj_status nj_statistics_write(const nj_registry *reg, nj_writer *w)
{
    nj_put_u64(w, reg->target_count, 8);
    for (size_t i = 0; i < reg->target_count; i++) {
        const nj_target *t = &reg->targets[i];
        nj_put_i32(w, t->year);
        nj_put_i64(w, t->region->head.id);
        nj_put_i32(w, t->programme_type);
        nj_put_i64(w, t->count);
    }
    nj_put_u64(w, reg->actual_count, 8);
    for (size_t i = 0; i < reg->actual_count; i++) {
        const nj_actual *a = &reg->actuals[i];
        nj_put_i64(w, a->id);
        nj_put_i32(w, a->date);
        nj_put_i64(w, a->region->head.id);
        nj_put_i32(w, a->programme_type);
        nj_put_i64(w, a->jobs);
    }
    nj_put_u64(w, follow_on_count(reg), 8);
    for (size_t i = 0; i < reg->participants.count; i++) {
        const nj_participant *p = (const nj_participant *)reg->participants.items[i];
        for (int32_t kind = NJ_FOLLOW_ON_APPLIED; kind <= NJ_FOLLOW_ON_HIRED; kind++) {
            if (!p->follow_on[kind - 1])
                continue;
            nj_put_i64(w, p->head.id);
            nj_put_i32(w, kind);
            nj_put_i32(w, p->follow_on[kind - 1]);
        }
    }
    return NJ_OK;
}

static nj_status read_target(nj_loader *l)
{
    size_t at = l->pos;
    int32_t year = nj_get_i32(l);
    int64_t region = nj_get_i64(l);
    int32_t type = nj_get_i32(l);
    int64_t target = nj_get_i64(l);
    int64_t existing;
    if (nj_target_get(l->reg, year, region, type, &existing) == NJ_OK)
        return nj_load_corrupt(l, at, "target of year %ld, region %lld, type %ld twice",
                               (long)year, (long long)region, (long)type);
    nj_status st = nj_target_set(l->reg, year, region, type, target);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

static nj_status read_actual(nj_loader *l)
{
    size_t at = l->pos;
    int64_t id = nj_get_i64(l);
    int32_t date = nj_get_i32(l);
    int64_t region = nj_get_i64(l);
    int32_t type = nj_get_i32(l);
    int64_t jobs = nj_get_i64(l);
    nj_status st = nj_actual_record(l->reg, id, date, region, type, jobs);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

static nj_status read_follow_on(nj_loader *l)
{
    size_t at = l->pos;
    int64_t who = nj_get_i64(l);
    int32_t kind = nj_get_i32(l), date = nj_get_i32(l);
    nj_status st = nj_follow_on_record(l->reg, who, kind, date);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

nj_status nj_statistics_read(nj_loader *l)
{
    nj_status st = nj_load_records(l, TARGET_RECORD, NULL, read_target);
    if (st == NJ_OK)
        st = nj_load_records(l, ACTUAL_RECORD, NULL, read_actual);
    if (st == NJ_OK)
        st = nj_load_records(l, FOLLOW_ON_RECORD, NULL, read_follow_on);
    return st;
}
