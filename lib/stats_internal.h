/* Statistics objects as the library sees them (stats.c, stats_publish.c). */
#ifndef NJ_STATS_INTERNAL_H
#define NJ_STATS_INTERNAL_H

#include "nearjob/stats.h"

#include "alloc_internal.h"

#define NJ_STATS_ERRMSG_SIZE 256
#define NJ_AGE_DECADES 10
#define NJ_FACILITY_KINDS 7

/* The stored figures of a row. Everything else (achieved, surplus, ratios)
 * is derived, so merging is a plain sum of these. */
enum nj_stats_field {
    NJ_F_HAS_TARGET,
    NJ_F_TARGET,
    NJ_F_PLACEMENTS,
    NJ_F_RECORDED_JOBS,
    NJ_F_PERSONS,
    NJ_F_APPLICANTS,
    NJ_F_SLOTS,
    NJ_F_POSTINGS,
    NJ_F_WORKED_MINUTES,
    NJ_F_PAID_MINUTES,
    NJ_F_OVER_CAP_MINUTES,
    NJ_F_AMOUNT_KRW,
    NJ_F_PAID_PERSONS,
    NJ_F_FOREIGN,
    NJ_F_FOLLOW_ON_APPLIED,
    NJ_F_FOLLOW_ON_HIRED,
    NJ_F_AGE_YOUTH,
    NJ_F_AGE_MIDDLE,
    NJ_F_AGE_SENIOR,
    NJ_F_AGE_OTHER,
    NJ_F_AGE_DECADE,                               /* NJ_AGE_DECADES fields */
    NJ_F_FACILITY_KIND = NJ_F_AGE_DECADE + NJ_AGE_DECADES, /* kinds 1..7 */
    NJ_F_COUNT = NJ_F_FACILITY_KIND + NJ_FACILITY_KINDS
};

typedef struct nj_stats_row {
    int32_t year;
    int32_t programme_type;
    int64_t region_id;
    int64_t field[NJ_F_COUNT];
} nj_stats_row;

typedef struct nj_stats_region {
    int64_t id;
    int64_t parent_id;
    int32_t level;
    char *name;
} nj_stats_region;

struct nj_stats {
    nj_alloc alloc;
    int32_t from_date, to_date;
    nj_stats_row *rows;          /* in key order */
    size_t row_count;
    nj_stats_region *regions;    /* in id order */
    size_t region_count;
    char errmsg[NJ_STATS_ERRMSG_SIZE];
};

/* -1, 0 or 1 as row a's key sorts before, with or after b's. */
int nj_stats_row_compare(const nj_stats_row *a, const nj_stats_row *b);

/* The region with `id` in the stats' list, or NULL. */
const nj_stats_region *nj_stats_region_find(const nj_stats *stats, int64_t id);

/* A new, empty statistics object. */
nj_stats *nj_stats_new(const nj_alloc *alloc, int32_t from_date,
                       int32_t to_date);

/* a + b into *sum, or 0 when it would overflow int64. */
static inline int nj_add_checked(int64_t a, int64_t b, int64_t *sum)
{
    return !__builtin_add_overflow(a, b, sum);
}

/* round(numerator * scale / denominator), halves up, for numerator >= 0
 * and denominator > 0; 0 when it overflows. */
int nj_ratio_round(int64_t numerator, int64_t denominator, int64_t scale,
                   int64_t *rounded);

/*
 * Secondary suppression of a table with margins. `values` is a
 * (rows + 1) x (columns + 1) grid in row-major order whose last row and
 * column are the totals; `hidden` (same shape, 0/1) holds the primary
 * suppressions on entry and, on return, every cell that must be hidden so
 * that no hidden cell is determined by the published ones (each hidden cell
 * lies on a cycle of hidden cells, all >= 1). Secondary cells are marked 2.
 */
nj_status nj_suppress_secondary(const nj_alloc *alloc, const int64_t *values,
                                size_t rows, size_t columns,
                                unsigned char *hidden);

#endif
