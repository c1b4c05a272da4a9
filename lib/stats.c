/*
 * Statistics objects: reading figures and ratios, and merging. Computing
 * them from a registry is in stats_compute.c, publishing them in
 * stats_publish.c.
 */
#include "stats_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

nj_stats *nj_stats_new(const nj_alloc *alloc, int32_t from_date,
                       int32_t to_date)
{
    nj_stats *stats = nj_alloc_malloc(alloc, sizeof *stats);
    if (!stats)
        return NULL;
    memset(stats, 0, sizeof *stats);
    stats->alloc = *alloc;
    stats->from_date = from_date;
    stats->to_date = to_date;
    return stats;
}

static void free_regions(const nj_alloc *alloc, nj_stats_region *regions,
                         size_t count)
{
    for (size_t i = 0; i < count; i++)
        nj_alloc_free(alloc, regions[i].name);
    nj_alloc_free(alloc, regions);
}

void nj_stats_destroy(nj_stats *stats)
{
    if (!stats)
        return;
    nj_alloc alloc = stats->alloc;
    free_regions(&alloc, stats->regions, stats->region_count);
    nj_alloc_free(&alloc, stats->rows);
    nj_alloc_free(&alloc, stats);
}

__attribute__((format(printf, 3, 4)))
static nj_status stats_fail(nj_stats *stats, nj_status status,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(stats->errmsg, sizeof stats->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

const char *nj_stats_errmsg(const nj_stats *stats)
{
    return stats ? stats->errmsg : "";
}

int32_t nj_stats_from_date(const nj_stats *stats)
{
    return stats ? stats->from_date : 0;
}

int32_t nj_stats_to_date(const nj_stats *stats)
{
    return stats ? stats->to_date : 0;
}

size_t nj_stats_row_count(const nj_stats *stats)
{
    return stats ? stats->row_count : 0;
}

int nj_stats_row_compare(const nj_stats_row *a, const nj_stats_row *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->region_id != b->region_id)
        return a->region_id < b->region_id ? -1 : 1;
    if (a->programme_type != b->programme_type)
        return a->programme_type < b->programme_type ? -1 : 1;
    return 0;
}

nj_status nj_stats_row_key(const nj_stats *stats, size_t index, int32_t *year,
                           int64_t *region_id, int32_t *programme_type)
{
    if (!stats)
        return NJ_E_INVALID;
    if (index >= stats->row_count)
        return NJ_E_NOT_FOUND;
    const nj_stats_row *row = &stats->rows[index];
    if (year)
        *year = row->year;
    if (region_id)
        *region_id = row->region_id;
    if (programme_type)
        *programme_type = row->programme_type;
    return NJ_OK;
}

nj_status nj_stats_row_find(const nj_stats *stats, int32_t year,
                            int64_t region_id, int32_t programme_type,
                            size_t *index)
{
    if (!stats || !index)
        return NJ_E_INVALID;
    nj_stats_row key = {.year = year, .programme_type = programme_type,
                        .region_id = region_id};
    size_t lo = 0, hi = stats->row_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = nj_stats_row_compare(&stats->rows[mid], &key);
        if (c == 0) {
            *index = mid;
            return NJ_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NJ_E_NOT_FOUND;
}

/* The stored field behind a measure, or -1 for derived and unknown ones. */
static int field_of_measure(int32_t measure)
{
    static const int direct[] = {
        [NJ_MEASURE_TARGET] = NJ_F_TARGET,
        [NJ_MEASURE_HAS_TARGET] = NJ_F_HAS_TARGET,
        [NJ_MEASURE_ACHIEVED] = -1,
        [NJ_MEASURE_PLACEMENTS] = NJ_F_PLACEMENTS,
        [NJ_MEASURE_RECORDED_JOBS] = NJ_F_RECORDED_JOBS,
        [NJ_MEASURE_PERSONS] = NJ_F_PERSONS,
        [NJ_MEASURE_SURPLUS] = -1,
        [NJ_MEASURE_APPLICANTS] = NJ_F_APPLICANTS,
        [NJ_MEASURE_SLOTS] = NJ_F_SLOTS,
        [NJ_MEASURE_POSTINGS] = NJ_F_POSTINGS,
        [NJ_MEASURE_WORKED_MINUTES] = NJ_F_WORKED_MINUTES,
        [NJ_MEASURE_PAID_MINUTES] = NJ_F_PAID_MINUTES,
        [NJ_MEASURE_OVER_CAP_MINUTES] = NJ_F_OVER_CAP_MINUTES,
        [NJ_MEASURE_AMOUNT_KRW] = NJ_F_AMOUNT_KRW,
        [NJ_MEASURE_PAID_PERSONS] = NJ_F_PAID_PERSONS,
        [NJ_MEASURE_FOREIGN_PLACEMENTS] = NJ_F_FOREIGN,
        [NJ_MEASURE_FOLLOW_ON_APPLIED] = NJ_F_FOLLOW_ON_APPLIED,
        [NJ_MEASURE_FOLLOW_ON_HIRED] = NJ_F_FOLLOW_ON_HIRED,
        [NJ_MEASURE_AGE_YOUTH] = NJ_F_AGE_YOUTH,
        [NJ_MEASURE_AGE_MIDDLE] = NJ_F_AGE_MIDDLE,
        [NJ_MEASURE_AGE_SENIOR] = NJ_F_AGE_SENIOR,
        [NJ_MEASURE_AGE_OTHER] = NJ_F_AGE_OTHER,
    };
    int32_t decade = measure - NJ_MEASURE_AGE_DECADE_BASE;
    int32_t kind = measure - NJ_MEASURE_FACILITY_KIND_BASE;
    if (measure >= 1 && measure < (int32_t)(sizeof direct / sizeof *direct))
        return direct[measure];
    if (decade >= 0 && decade < NJ_AGE_DECADES)
        return NJ_F_AGE_DECADE + decade;
    if (kind >= 1 && kind <= NJ_FACILITY_KINDS)
        return NJ_F_FACILITY_KIND + kind - 1;
    return -1;
}

nj_status nj_stats_row_value(const nj_stats *stats, size_t index,
                             int32_t measure, int64_t *value)
{
    if (!stats || !value)
        return NJ_E_INVALID;
    if (index >= stats->row_count)
        return NJ_E_NOT_FOUND;
    const int64_t *f = stats->rows[index].field;
    int64_t achieved;
    if (!nj_add_checked(f[NJ_F_PLACEMENTS], f[NJ_F_RECORDED_JOBS], &achieved))
        return NJ_E_RANGE;
    if (measure == NJ_MEASURE_ACHIEVED) {
        *value = achieved;
        return NJ_OK;
    }
    if (measure == NJ_MEASURE_SURPLUS) {
        if (__builtin_sub_overflow(achieved, f[NJ_F_TARGET], value))
            return NJ_E_RANGE;
        return NJ_OK;
    }
    int field = field_of_measure(measure);
    if (field < 0)
        return NJ_E_UNSUPPORTED;
    *value = f[field];
    return NJ_OK;
}

int nj_ratio_round(int64_t numerator, int64_t denominator, int64_t scale,
                   int64_t *rounded)
{
    int64_t twice;
    if (__builtin_mul_overflow(numerator, scale * 2, &twice) ||
        __builtin_add_overflow(twice, denominator, &twice))
        return 0;
    *rounded = twice / (denominator * 2);
    return 1;
}

nj_status nj_stats_row_ratio(const nj_stats *stats, size_t index,
                             int32_t ratio, int64_t *numerator,
                             int64_t *denominator, int64_t *rounded)
{
    static const struct {
        int32_t numerator_measure, denominator_field;
        int64_t scale;
    } ratios[] = {
        [NJ_RATIO_ATTAINMENT] = {NJ_MEASURE_ACHIEVED, NJ_F_TARGET, 1000},
        [NJ_RATIO_COMPETITION] = {NJ_MEASURE_APPLICANTS, NJ_F_SLOTS, 100},
        [NJ_RATIO_FILL_RATE] = {NJ_MEASURE_PLACEMENTS, NJ_F_SLOTS, 1000},
        [NJ_RATIO_FOLLOW_ON_APPLIED] = {NJ_MEASURE_FOLLOW_ON_APPLIED,
                                        NJ_F_PERSONS, 1000},
        [NJ_RATIO_FOLLOW_ON_HIRED] = {NJ_MEASURE_FOLLOW_ON_HIRED,
                                      NJ_F_PERSONS, 1000},
    };
    if (!stats)
        return NJ_E_INVALID;
    if (index >= stats->row_count)
        return NJ_E_NOT_FOUND;
    if (ratio < 1 || ratio >= (int32_t)(sizeof ratios / sizeof *ratios))
        return NJ_E_UNSUPPORTED;
    int64_t num, den = stats->rows[index].field[ratios[ratio].denominator_field];
    nj_status st = nj_stats_row_value(stats, index,
                                      ratios[ratio].numerator_measure, &num);
    if (st != NJ_OK)
        return st;
    if (numerator)
        *numerator = num;
    if (denominator)
        *denominator = den;
    if (den == 0)
        return NJ_E_RANGE;
    int64_t r;
    if (!nj_ratio_round(num, den, ratios[ratio].scale, &r))
        return NJ_E_RANGE;
    if (rounded)
        *rounded = r;
    return NJ_OK;
}

size_t nj_stats_region_count(const nj_stats *stats)
{
    return stats ? stats->region_count : 0;
}

nj_status nj_stats_region_at(const nj_stats *stats, size_t index,
                             int64_t *region_id, int32_t *level,
                             int64_t *parent_id)
{
    if (!stats)
        return NJ_E_INVALID;
    if (index >= stats->region_count)
        return NJ_E_NOT_FOUND;
    const nj_stats_region *r = &stats->regions[index];
    if (region_id)
        *region_id = r->id;
    if (level)
        *level = r->level;
    if (parent_id)
        *parent_id = r->parent_id;
    return NJ_OK;
}

const nj_stats_region *nj_stats_region_find(const nj_stats *stats, int64_t id)
{
    size_t lo = 0, hi = stats->region_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (stats->regions[mid].id == id)
            return &stats->regions[mid];
        if (stats->regions[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *nj_stats_region_name(const nj_stats *stats, int64_t region_id)
{
    const nj_stats_region *r = stats ? nj_stats_region_find(stats, region_id)
                                     : NULL;
    return r ? r->name : NULL;
}

/* ---- merge ----------------------------------------------------------- */

static nj_status add_row_into(nj_stats *into, nj_stats_row *sum,
                              const nj_stats_row *add)
{
    for (int f = 0; f < NJ_F_COUNT; f++) {
        if (f == NJ_F_HAS_TARGET) {
            sum->field[f] |= add->field[f];
        } else if (!nj_add_checked(sum->field[f], add->field[f],
                                   &sum->field[f])) {
            return stats_fail(into, NJ_E_RANGE,
                              "merge: a figure of year %ld, region %lld, "
                              "programme type %ld overflows",
                              (long)sum->year, (long long)sum->region_id,
                              (long)sum->programme_type);
        }
    }
    return NJ_OK;
}

/* Merges two sorted row lists into a new one. */
static nj_status merge_rows(nj_stats *into, const nj_stats *from,
                            nj_stats_row **out, size_t *out_count)
{
    size_t cap = into->row_count + from->row_count, n = 0, i = 0, j = 0;
    nj_stats_row *rows = nj_alloc_array(&into->alloc, cap ? cap : 1,
                                        sizeof *rows);
    if (!rows)
        return stats_fail(into, NJ_E_NOMEM, "merge: out of memory");
    while (i < into->row_count || j < from->row_count) {
        int c = i == into->row_count ? 1
              : j == from->row_count ? -1
              : nj_stats_row_compare(&into->rows[i], &from->rows[j]);
        if (c <= 0)
            rows[n] = into->rows[i++];
        else
            rows[n] = from->rows[j++];
        if (c == 0) {
            nj_status st = add_row_into(into, &rows[n], &from->rows[j++]);
            if (st != NJ_OK) {
                nj_alloc_free(&into->alloc, rows);
                return st;
            }
        }
        n++;
    }
    *out = rows;
    *out_count = n;
    return NJ_OK;
}

static int same_region(const nj_stats_region *a, const nj_stats_region *b)
{
    return a->level == b->level && a->parent_id == b->parent_id &&
           strcmp(a->name, b->name) == 0;
}

/* Merges two sorted region lists into a new one; names from `from` that are
 * new are copied, names of `into` are shared with the new list. */
static nj_status merge_regions(nj_stats *into, const nj_stats *from,
                               nj_stats_region **out, size_t *out_count)
{
    size_t cap = into->region_count + from->region_count, n = 0, i = 0, j = 0;
    nj_stats_region *regions = nj_alloc_array(&into->alloc, cap ? cap : 1,
                                              sizeof *regions);
    if (!regions)
        return stats_fail(into, NJ_E_NOMEM, "merge: out of memory");
    nj_status st = NJ_OK;
    while (st == NJ_OK && (i < into->region_count || j < from->region_count)) {
        const nj_stats_region *a = i < into->region_count ? &into->regions[i] : NULL;
        const nj_stats_region *b = j < from->region_count ? &from->regions[j] : NULL;
        if (a && (!b || a->id <= b->id)) {
            if (b && a->id == b->id) {
                j++;
                if (!same_region(a, b))
                    st = stats_fail(into, NJ_E_INVALID,
                                    "merge: region %lld differs in level, parent or name",
                                    (long long)a->id);
            }
            regions[n++] = *a;
            i++;
            continue;
        }
        regions[n] = *b;
        regions[n].name = nj_alloc_strdup(&into->alloc, b->name, strlen(b->name));
        if (!regions[n].name)
            st = stats_fail(into, NJ_E_NOMEM, "merge: out of memory");
        else
            n++;
        j++;
    }
    if (st != NJ_OK) {
        /* Free only the names this merge copied. */
        for (size_t k = 0; k < n; k++)
            if (!nj_stats_region_find(into, regions[k].id))
                nj_alloc_free(&into->alloc, regions[k].name);
        nj_alloc_free(&into->alloc, regions);
        return st;
    }
    *out = regions;
    *out_count = n;
    return NJ_OK;
}

nj_status nj_stats_merge(nj_stats *into, const nj_stats *from)
{
    if (!into || !from || into == from)
        return into ? stats_fail(into, NJ_E_INVALID, "merge: NULL or same statistics")
                    : NJ_E_INVALID;
    if (into->from_date != from->from_date || into->to_date != from->to_date)
        return stats_fail(into, NJ_E_INVALID,
                          "merge: dates %ld-%ld differ from %ld-%ld",
                          (long)from->from_date, (long)from->to_date,
                          (long)into->from_date, (long)into->to_date);
    nj_stats_row *rows = NULL;
    size_t row_count = 0;
    nj_status st = merge_rows(into, from, &rows, &row_count);
    if (st != NJ_OK)
        return st;
    nj_stats_region *regions = NULL;
    size_t region_count = 0;
    st = merge_regions(into, from, &regions, &region_count);
    if (st != NJ_OK) {
        nj_alloc_free(&into->alloc, rows);
        return st;
    }
    nj_alloc_free(&into->alloc, into->rows);
    nj_alloc_free(&into->alloc, into->regions); /* names moved to `regions` */
    into->rows = rows;
    into->row_count = row_count;
    into->regions = regions;
    into->region_count = region_count;
    return NJ_OK;
}
