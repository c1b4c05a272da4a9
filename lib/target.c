/*
 * The statistics inputs a registry keeps: job targets per (year, region,
 * programme type), jobs recorded from outside the registry, and what placed
 * participants did next. Targets stay in key order and recorded actuals in
 * id order, so lookups are binary searches and every listing (and every
 * snapshot) comes out in one canonical order.
 */
#include "registry_internal.h"

#include <string.h>

#define YEAR_MIN 1
#define YEAR_MAX 9999

void nj_stats_inputs_free(nj_registry *reg)
{
    nj_alloc_free(&reg->alloc, reg->targets);
    nj_alloc_free(&reg->alloc, reg->actuals);
}

/* ---- targets --------------------------------------------------------- */

static int compare_target_key(int32_t year, int64_t region_id, int32_t type,
                              const nj_target *t)
{
    int64_t t_region = t->region->head.id;
    if (year != t->year)
        return year < t->year ? -1 : 1;
    if (region_id != t_region)
        return region_id < t_region ? -1 : 1;
    if (type != t->programme_type)
        return type < t->programme_type ? -1 : 1;
    return 0;
}

/* Index of the first target not below the key; *found says if it matches. */
static size_t target_lower_bound(const nj_registry *reg, int32_t year,
                                 int64_t region_id, int32_t type, int *found)
{
    size_t lo = 0, hi = reg->target_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_target_key(year, region_id, type, &reg->targets[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < reg->target_count &&
             compare_target_key(year, region_id, type, &reg->targets[lo]) == 0;
    return lo;
}

static nj_status check_programme_type(nj_registry *reg, const char *what,
                                      int32_t type)
{
    if (type == NJ_PROGRAMME_ALL || nj_programme_type_is_valid(type))
        return NJ_OK;
    return nj_fail(reg, NJ_E_INVALID,
                   "%s: programme type %ld is neither 0..8 nor >= %d", what,
                   (long)type, NJ_PROGRAMME_CUSTOM_BASE);
}

static nj_status check_count(nj_registry *reg, const char *what,
                             const char *field, int64_t value, int64_t min)
{
    if (value >= min && value <= NJ_STATS_COUNT_MAX)
        return NJ_OK;
    return nj_fail(reg, NJ_E_RANGE, "%s: %s %lld outside [%lld, %lld]", what,
                   field, (long long)value, (long long)min,
                   (long long)NJ_STATS_COUNT_MAX);
}

nj_status nj_target_set(nj_registry *reg, int32_t year, int64_t region_id,
                        int32_t programme_type, int64_t target)
{
    if (!reg)
        return NJ_E_INVALID;
    if (year < YEAR_MIN || year > YEAR_MAX)
        return nj_fail(reg, NJ_E_RANGE, "target: year %ld outside [%d, %d]",
                       (long)year, YEAR_MIN, YEAR_MAX);
    nj_status st = check_programme_type(reg, "target", programme_type);
    if (st == NJ_OK)
        st = check_count(reg, "target", "target", target, 0);
    if (st != NJ_OK)
        return st;
    nj_region *region = (nj_region *)nj_find_existing(reg, &reg->regions,
                                                      "region", region_id);
    if (!region)
        return NJ_E_NOT_FOUND;
    int found;
    size_t at = target_lower_bound(reg, year, region_id, programme_type, &found);
    if (found) {
        reg->targets[at].count = target;
        return NJ_OK;
    }
    if (nj_alloc_grow(&reg->alloc, (void **)&reg->targets, &reg->target_cap,
                      reg->target_count + 1, sizeof *reg->targets) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "target: out of memory");
    memmove(&reg->targets[at + 1], &reg->targets[at],
            (reg->target_count - at) * sizeof *reg->targets);
    reg->targets[at] = (nj_target){year, programme_type, region, target};
    reg->target_count++;
    nj_region_rereference(NULL, region);
    return NJ_OK;
}

nj_status nj_target_remove(nj_registry *reg, int32_t year, int64_t region_id,
                           int32_t programme_type)
{
    if (!reg)
        return NJ_E_INVALID;
    int found;
    size_t at = target_lower_bound(reg, year, region_id, programme_type, &found);
    if (!found)
        return nj_fail(reg, NJ_E_NOT_FOUND,
                       "no target for year %ld, region %lld, programme type %ld",
                       (long)year, (long long)region_id, (long)programme_type);
    nj_region_rereference(reg->targets[at].region, NULL);
    memmove(&reg->targets[at], &reg->targets[at + 1],
            (reg->target_count - at - 1) * sizeof *reg->targets);
    reg->target_count--;
    return NJ_OK;
}

nj_status nj_target_get(const nj_registry *reg, int32_t year, int64_t region_id,
                        int32_t programme_type, int64_t *target)
{
    if (!reg || !target)
        return NJ_E_INVALID;
    int found;
    size_t at = target_lower_bound(reg, year, region_id, programme_type, &found);
    if (!found)
        return NJ_E_NOT_FOUND;
    *target = reg->targets[at].count;
    return NJ_OK;
}

size_t nj_target_count(const nj_registry *reg)
{
    return reg ? reg->target_count : 0;
}

nj_status nj_target_at(const nj_registry *reg, size_t index, int32_t *year,
                       int64_t *region_id, int32_t *programme_type,
                       int64_t *target)
{
    if (!reg)
        return NJ_E_INVALID;
    if (index >= reg->target_count)
        return NJ_E_NOT_FOUND;
    const nj_target *t = &reg->targets[index];
    if (year)
        *year = t->year;
    if (region_id)
        *region_id = t->region->head.id;
    if (programme_type)
        *programme_type = t->programme_type;
    if (target)
        *target = t->count;
    return NJ_OK;
}

/* ---- recorded actuals ------------------------------------------------ */

static size_t actual_lower_bound(const nj_registry *reg, int64_t id, int *found)
{
    size_t lo = 0, hi = reg->actual_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (reg->actuals[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < reg->actual_count && reg->actuals[lo].id == id;
    return lo;
}

static nj_status check_actual(nj_registry *reg, int64_t id, int32_t date,
                              int32_t programme_type, int64_t jobs)
{
    if (id < 1)
        return nj_fail(reg, NJ_E_RANGE, "recorded actual: id %lld is below 1",
                       (long long)id);
    nj_status st = nj_check_date(reg, "recorded actual", id, "date", date);
    if (st == NJ_OK)
        st = check_programme_type(reg, "recorded actual", programme_type);
    if (st == NJ_OK)
        st = check_count(reg, "recorded actual", "jobs", jobs, 1);
    return st;
}

nj_status nj_actual_record(nj_registry *reg, int64_t actual_id, int32_t date,
                           int64_t region_id, int32_t programme_type,
                           int64_t jobs)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_status st = check_actual(reg, actual_id, date, programme_type, jobs);
    if (st != NJ_OK)
        return st;
    int found;
    size_t at = actual_lower_bound(reg, actual_id, &found);
    if (found)
        return nj_fail(reg, NJ_E_EXISTS, "recorded actual %lld exists",
                       (long long)actual_id);
    nj_region *region = (nj_region *)nj_find_existing(reg, &reg->regions,
                                                      "region", region_id);
    if (!region)
        return NJ_E_NOT_FOUND;
    if (nj_alloc_grow(&reg->alloc, (void **)&reg->actuals, &reg->actual_cap,
                      reg->actual_count + 1, sizeof *reg->actuals) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "recorded actual: out of memory");
    memmove(&reg->actuals[at + 1], &reg->actuals[at],
            (reg->actual_count - at) * sizeof *reg->actuals);
    reg->actuals[at] = (nj_actual){actual_id, date, programme_type, region, jobs};
    reg->actual_count++;
    nj_region_rereference(NULL, region);
    return NJ_OK;
}

nj_status nj_actual_remove(nj_registry *reg, int64_t actual_id)
{
    if (!reg)
        return NJ_E_INVALID;
    int found;
    size_t at = actual_lower_bound(reg, actual_id, &found);
    if (!found)
        return nj_fail(reg, NJ_E_NOT_FOUND, "recorded actual %lld not found",
                       (long long)actual_id);
    nj_region_rereference(reg->actuals[at].region, NULL);
    memmove(&reg->actuals[at], &reg->actuals[at + 1],
            (reg->actual_count - at - 1) * sizeof *reg->actuals);
    reg->actual_count--;
    return NJ_OK;
}

size_t nj_actual_count(const nj_registry *reg)
{
    return reg ? reg->actual_count : 0;
}

nj_status nj_actual_at(const nj_registry *reg, size_t index, int64_t *actual_id,
                       int32_t *date, int64_t *region_id,
                       int32_t *programme_type, int64_t *jobs)
{
    if (!reg)
        return NJ_E_INVALID;
    if (index >= reg->actual_count)
        return NJ_E_NOT_FOUND;
    const nj_actual *a = &reg->actuals[index];
    if (actual_id)
        *actual_id = a->id;
    if (date)
        *date = a->date;
    if (region_id)
        *region_id = a->region->head.id;
    if (programme_type)
        *programme_type = a->programme_type;
    if (jobs)
        *jobs = a->jobs;
    return NJ_OK;
}

/* ---- follow-on records ----------------------------------------------- */

static int follow_on_kind_is_valid(int32_t kind)
{
    return kind == NJ_FOLLOW_ON_APPLIED || kind == NJ_FOLLOW_ON_HIRED;
}

static int was_ever_selected(const nj_participant *p)
{
    for (size_t i = 0; i < p->applications.count; i++)
        if (p->applications.items[i]->status == NJ_APPLICATION_SELECTED)
            return 1;
    return 0;
}

nj_status nj_follow_on_record(nj_registry *reg, int64_t participant_id,
                              int32_t kind, int32_t date)
{
    if (!reg)
        return NJ_E_INVALID;
    if (!follow_on_kind_is_valid(kind))
        return nj_fail(reg, NJ_E_INVALID,
                       "follow-on of participant %lld: kind %ld is not 1 or 2",
                       (long long)participant_id, (long)kind);
    nj_participant *p = (nj_participant *)nj_find_existing(
        reg, &reg->participants, "participant", participant_id);
    if (!p)
        return NJ_E_NOT_FOUND;
    nj_status st = nj_check_date(reg, "participant", participant_id,
                                 "follow-on date", date);
    if (st != NJ_OK)
        return st;
    if (!was_ever_selected(p))
        return nj_fail(reg, NJ_E_INELIGIBLE,
                       "participant %lld holds no selected application",
                       (long long)participant_id);
    if (p->follow_on[kind - 1] != 0)
        return nj_fail(reg, NJ_E_EXISTS,
                       "participant %lld: follow-on kind %ld recorded on %ld",
                       (long long)participant_id, (long)kind,
                       (long)p->follow_on[kind - 1]);
    p->follow_on[kind - 1] = date;
    return NJ_OK;
}

nj_status nj_follow_on_clear(nj_registry *reg, int64_t participant_id,
                             int32_t kind)
{
    if (!reg)
        return NJ_E_INVALID;
    if (!follow_on_kind_is_valid(kind))
        return nj_fail(reg, NJ_E_INVALID, "follow-on kind %ld is not 1 or 2",
                       (long)kind);
    nj_participant *p = (nj_participant *)nj_find_existing(
        reg, &reg->participants, "participant", participant_id);
    if (!p)
        return NJ_E_NOT_FOUND;
    if (p->follow_on[kind - 1] == 0)
        return nj_fail(reg, NJ_E_NOT_FOUND,
                       "participant %lld has no follow-on of kind %ld",
                       (long long)participant_id, (long)kind);
    p->follow_on[kind - 1] = 0;
    return NJ_OK;
}

int32_t nj_participant_follow_on(const nj_participant *participant,
                                 int32_t kind)
{
    if (!nj_is_participant(participant) || !follow_on_kind_is_valid(kind))
        return 0;
    return participant->follow_on[kind - 1];
}
