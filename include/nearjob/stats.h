/**
 * @file nearjob/stats.h
 * @brief Target-attainment statistics: targets and recorded actuals kept in
 *        the registry, a statistics object computed from it, exact merging
 *        across districts, and publication with small-cell suppression.
 *
 * Definitions and rounding rules are in docs/statistics.md. In short:
 * - A row of statistics is keyed by (year, region, programme type). A
 *   posting belongs to the year its work starts, to its facility's region
 *   and every ancestor of it, and to its programme type and to
 *   NJ_PROGRAMME_ALL; a recorded actual likewise by its date, region and
 *   type; a target only to its own key.
 * - achieved = placements (selected applications) + recorded jobs;
 *   attainment = achieved / target, exact, with a percentage rounded half
 *   up to a tenth.
 * - nj_stats objects do not refer to a registry: they can be saved as
 *   bytes, loaded anywhere and merged. Merging statistics of disjoint
 *   registries gives exactly the statistics of their union.
 * - Suppression happens only in nj_stats_publish(); the object stays exact.
 */
#ifndef NEARJOB_STATS_H
#define NEARJOB_STATS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Computed statistics; owns its memory, independent of any registry. */
typedef struct nj_stats nj_stats;
/** A table ready to publish, small cells suppressed. */
typedef struct nj_stats_table nj_stats_table;

/** The programme type of rows, targets and recorded actuals that cover all
 *  programmes (a district's "jobs total"). */
enum nj_stats_programme { NJ_PROGRAMME_ALL = 0 };

/** Largest target, job count or count of a statistics cell. */
#define NJ_STATS_COUNT_MAX INT64_C(1000000000000)

/* ---- Inputs kept in the registry ------------------------------------ */

/**
 * Set (or replace) the target job count of `year` x region x programme
 * type. The region is referenced: it cannot be removed while the target
 * exists.
 * @param year            1 .. 9999
 * @param programme_type  NJ_PROGRAMME_ALL, an nj_programme_type or a
 *                        custom value >= 1000
 * @param target          0 .. NJ_STATS_COUNT_MAX
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad programme type); NJ_E_RANGE
 *         (year, target); NJ_E_NOT_FOUND (region); NJ_E_NOMEM. On failure
 *         nothing changes. @since 0.1
 */
NJ_API nj_status nj_target_set(nj_registry *reg, int32_t year,
                               int64_t region_id, int32_t programme_type,
                               int64_t target);

/**
 * Remove a target.
 * @return NJ_OK, NJ_E_INVALID (NULL reg) or NJ_E_NOT_FOUND. @since 0.1
 */
NJ_API nj_status nj_target_remove(nj_registry *reg, int32_t year,
                                  int64_t region_id, int32_t programme_type);

/**
 * The target of a key.
 * @return NJ_OK, NJ_E_INVALID (NULL argument) or NJ_E_NOT_FOUND.
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_target_get(const nj_registry *reg, int32_t year,
                               int64_t region_id, int32_t programme_type,
                               int64_t *target);

/** Number of targets. Read-only. @since 0.1 */
NJ_API size_t nj_target_count(const nj_registry *reg);

/**
 * The target at `index`, in (year, region id, programme type) order. Any
 * out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND (index out of range).
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_target_at(const nj_registry *reg, size_t index,
                              int32_t *year, int64_t *region_id,
                              int32_t *programme_type, int64_t *target);

/**
 * Record jobs created outside the registry (another programme's hires,
 * say) so that they count toward the achieved figure of their key. The id
 * is the caller's and can be recorded once, so a retried import never
 * counts twice. The region is referenced while the record exists.
 * @param actual_id       >= 1, not recorded yet
 * @param date            the day the jobs are counted (YYYYMMDD)
 * @param jobs            1 .. NJ_STATS_COUNT_MAX
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad date or programme type);
 *         NJ_E_RANGE (id, jobs); NJ_E_EXISTS (id recorded);
 *         NJ_E_NOT_FOUND (region); NJ_E_NOMEM. On failure nothing changes.
 * @since 0.1
 */
NJ_API nj_status nj_actual_record(nj_registry *reg, int64_t actual_id,
                                  int32_t date, int64_t region_id,
                                  int32_t programme_type, int64_t jobs);

/** Remove a recorded actual. @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. @since 0.1 */
NJ_API nj_status nj_actual_remove(nj_registry *reg, int64_t actual_id);

/** Number of recorded actuals. Read-only. @since 0.1 */
NJ_API size_t nj_actual_count(const nj_registry *reg);

/**
 * The recorded actual at `index`, in id order. Any out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_actual_at(const nj_registry *reg, size_t index,
                              int64_t *actual_id, int32_t *date,
                              int64_t *region_id, int32_t *programme_type,
                              int64_t *jobs);

/** What a placed participant did next. Pinned values. */
typedef enum nj_follow_on_kind {
    NJ_FOLLOW_ON_APPLIED = 1, /**< applied to a private-sector job */
    NJ_FOLLOW_ON_HIRED = 2    /**< took a private-sector job (implies applied) */
} nj_follow_on_kind;

/**
 * Record that a participant who holds at least one selected application
 * later applied to, or took, a private job. One date per kind.
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad kind or date); NJ_E_NOT_FOUND
 *         (participant); NJ_E_INELIGIBLE (never selected); NJ_E_EXISTS
 *         (this kind already recorded). On failure nothing changes.
 * @since 0.1
 */
NJ_API nj_status nj_follow_on_record(nj_registry *reg, int64_t participant_id,
                                     int32_t kind, int32_t date);

/**
 * Forget a follow-on record.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND (participant or record).
 * @since 0.1
 */
NJ_API nj_status nj_follow_on_clear(nj_registry *reg, int64_t participant_id,
                                    int32_t kind);

/** Date of a follow-on record, or 0 when none (or bad arguments). Read-only. @since 0.1 */
NJ_API int32_t nj_participant_follow_on(const nj_participant *participant,
                                        int32_t kind);

/* ---- Computed statistics -------------------------------------------- */

/** Figures of a statistics row (nj_stats_row_value()). Pinned values. */
enum nj_measure {
    NJ_MEASURE_TARGET = 1,            /**< target count (0 when none set) */
    NJ_MEASURE_HAS_TARGET = 2,        /**< 1 when a target is set */
    NJ_MEASURE_ACHIEVED = 3,          /**< placements + recorded jobs */
    NJ_MEASURE_PLACEMENTS = 4,        /**< selected applications */
    NJ_MEASURE_RECORDED_JOBS = 5,     /**< nj_actual_record() jobs */
    NJ_MEASURE_PERSONS = 6,           /**< distinct participants placed */
    NJ_MEASURE_SURPLUS = 7,           /**< achieved - target; < 0 is a shortfall */
    NJ_MEASURE_APPLICANTS = 8,        /**< applications received, any status */
    NJ_MEASURE_SLOTS = 9,             /**< slots of the postings */
    NJ_MEASURE_POSTINGS = 10,         /**< postings */
    NJ_MEASURE_WORKED_MINUTES = 11,   /**< minutes of non-void entries */
    NJ_MEASURE_PAID_MINUTES = 12,     /**< of which paid under the cap */
    NJ_MEASURE_OVER_CAP_MINUTES = 13, /**< of which over the cap */
    NJ_MEASURE_AMOUNT_KRW = 14,       /**< stipend paid */
    NJ_MEASURE_PAID_PERSONS = 15,     /**< distinct participants paid > 0 won */
    NJ_MEASURE_FOREIGN_PLACEMENTS = 16, /**< placements of foreign residents */
    NJ_MEASURE_FOLLOW_ON_APPLIED = 17,  /**< placed persons who applied on */
    NJ_MEASURE_FOLLOW_ON_HIRED = 18,    /**< placed persons hired on */
    NJ_MEASURE_AGE_YOUTH = 19,        /**< placements aged 19-34 */
    NJ_MEASURE_AGE_MIDDLE = 20,       /**< placements aged 50-64 */
    NJ_MEASURE_AGE_SENIOR = 21,       /**< placements aged 65+ */
    NJ_MEASURE_AGE_OTHER = 22,        /**< placements aged 0-18 or 35-49 */
    NJ_MEASURE_AGE_DECADE_BASE = 100, /**< + d: placements aged 10d .. 10d+9 (d = 0..8); + 9: 90+ */
    NJ_MEASURE_FACILITY_KIND_BASE = 200 /**< + kind (1..7): placements at that facility kind */
};

/** Exact ratios of a statistics row (nj_stats_row_ratio()). Pinned values. */
enum nj_ratio {
    NJ_RATIO_ATTAINMENT = 1,        /**< achieved / target; rounded in 0.1 % */
    NJ_RATIO_COMPETITION = 2,       /**< applicants / slots; rounded in 0.01 */
    NJ_RATIO_FILL_RATE = 3,         /**< placements / slots; rounded in 0.1 % */
    NJ_RATIO_FOLLOW_ON_APPLIED = 4, /**< follow-on applied / persons; 0.1 % */
    NJ_RATIO_FOLLOW_ON_HIRED = 5    /**< follow-on hired / persons; 0.1 % */
};

/**
 * Compute statistics over the dates [from_date, to_date] (YYYYMMDD,
 * inclusive): postings whose work starts in the range, recorded actuals
 * dated in it, and the targets of every year the range touches. Errors are
 * not written to the registry's message (the registry is const).
 * @param[out] out  the new statistics; free with nj_stats_destroy()
 * @return NJ_OK; NJ_E_INVALID (NULL argument, bad date, from > to);
 *         NJ_E_RANGE (a sum beyond NJ_STATS_COUNT_MAX or int64);
 *         NJ_E_NOMEM. Read-only on the registry. @since 0.1
 */
NJ_API nj_status nj_stats_compute(const nj_registry *reg, int32_t from_date,
                                  int32_t to_date, nj_stats **out);

/** Free statistics (NULL is fine). @since 0.1 */
NJ_API void nj_stats_destroy(nj_stats *stats);

/** The message of the last failed call on `stats` ("" when none). @since 0.1 */
NJ_API const char *nj_stats_errmsg(const nj_stats *stats);

/** First and last day covered. Read-only. @since 0.1 */
NJ_API int32_t nj_stats_from_date(const nj_stats *stats);
NJ_API int32_t nj_stats_to_date(const nj_stats *stats);

/** Rows, in (year, region id, programme type) order. Read-only. @since 0.1 */
NJ_API size_t nj_stats_row_count(const nj_stats *stats);

/**
 * The key of row `index`. Region id 0 collects postings at facilities
 * outside every region. Any out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_row_key(const nj_stats *stats, size_t index,
                                  int32_t *year, int64_t *region_id,
                                  int32_t *programme_type);

/**
 * The index of the row with a key.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_row_find(const nj_stats *stats, int32_t year,
                                   int64_t region_id, int32_t programme_type,
                                   size_t *index);

/**
 * One figure of a row.
 * @param measure an nj_measure value
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND (row) or NJ_E_UNSUPPORTED
 *         (unknown measure). Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_row_value(const nj_stats *stats, size_t index,
                                    int32_t measure, int64_t *value);

/**
 * An exact ratio of a row as numerator / denominator, and rounded half up
 * to the unit the nj_ratio value names (e.g. 1242 for 124.2 %). Any
 * out-pointer may be NULL.
 * @return NJ_OK; NJ_E_INVALID; NJ_E_NOT_FOUND (row); NJ_E_UNSUPPORTED
 *         (unknown ratio); NJ_E_RANGE (zero denominator: no target, no
 *         slots or no persons; the fraction is still written).
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_row_ratio(const nj_stats *stats, size_t index,
                                    int32_t ratio, int64_t *numerator,
                                    int64_t *denominator, int64_t *rounded);

/** Regions the rows name, in id order. Read-only. @since 0.1 */
NJ_API size_t nj_stats_region_count(const nj_stats *stats);

/**
 * A region the rows name: id, level and parent (0 for none). Any
 * out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_region_at(const nj_stats *stats, size_t index,
                                    int64_t *region_id, int32_t *level,
                                    int64_t *parent_id);

/** The UTF-8 name of a region the rows name, or NULL. Read-only. @since 0.1 */
NJ_API const char *nj_stats_region_name(const nj_stats *stats,
                                        int64_t region_id);

/**
 * Add the statistics `from` into `into`: rows with the same key are summed
 * and the region lists united. Both must cover the same dates, and a region
 * both name must have the same level, parent and name.
 * @return NJ_OK; NJ_E_INVALID (NULL argument, different dates, conflicting
 *         region); NJ_E_RANGE (a sum too large); NJ_E_NOMEM. On failure
 *         `into` is unchanged; the message is on `into`. @since 0.1
 */
NJ_API nj_status nj_stats_merge(nj_stats *into, const nj_stats *from);

/**
 * Write statistics as bytes (little-endian, checksummed; the format is in
 * docs/statistics.md) into a caller buffer. `size` always receives the
 * number of bytes; call with buf NULL and capacity 0 to ask for it. Equal
 * statistics give identical bytes.
 * @return NJ_OK; NJ_E_INVALID (NULL stats or size, NULL buf with capacity
 *         > 0); NJ_E_BUFFER_TOO_SMALL (nothing written). Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_stats_save(const nj_stats *stats, void *buf,
                               size_t capacity, size_t *size);

/**
 * Read statistics written by nj_stats_save(), validating everything first.
 * @param[out] out          the statistics (malloc'd); NULL on failure
 * @param[out] errmsg       optional buffer for the reason, with the byte
 *                          offset
 * @param[in]  errmsg_size  its size
 * @return NJ_OK; NJ_E_INVALID (NULL out, NULL buf with size > 0);
 *         NJ_E_CORRUPT (wrong magic, truncated, bad checksum, a value out
 *         of range or out of order); NJ_E_VERSION (a newer format; both
 *         versions named); NJ_E_NOMEM. @since 0.1
 */
NJ_API nj_status nj_stats_load(const void *buf, size_t size, nj_stats **out,
                               char *errmsg, size_t errmsg_size);

/**
 * nj_stats_load() allocating through the given hooks (see
 * nj_registry_create_with_allocator()).
 * @return as nj_stats_load(); NJ_E_INVALID also for a NULL hook. @since 0.1
 */
NJ_API nj_status nj_stats_load_with_allocator(const void *buf, size_t size,
                                              nj_malloc_fn malloc_fn,
                                              nj_realloc_fn realloc_fn,
                                              nj_free_fn free_fn, void *user,
                                              nj_stats **out, char *errmsg,
                                              size_t errmsg_size);

/* ---- Publication ---------------------------------------------------- */

/** The table nj_stats_publish() builds. Pinned values. */
enum nj_stats_table_kind {
    /** Rows (region, programme type) with a target or placements; target,
     *  achieved, attainment, surplus, persons, applicants, slots,
     *  competition, fill rate, paid minutes and won, follow-on rate. */
    NJ_TABLE_ATTAINMENT = 1,
    /** Placements by region (rows) and programme type (columns), with
     *  totals. The cross tables below have the same shape. */
    NJ_TABLE_PLACEMENTS_BY_PROGRAMME = 2,
    NJ_TABLE_PLACEMENTS_BY_AGE_DECADE = 3, /**< columns 0-9 .. 90+ */
    NJ_TABLE_PLACEMENTS_BY_AGE_BAND = 4,   /**< youth, middle, senior, other */
    NJ_TABLE_PLACEMENTS_BY_RESIDENCY = 5,  /**< national, foreign */
    NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND = 6 /**< one column per kind */
};

/** State of a published cell. Pinned values. */
enum nj_cell_state {
    NJ_CELL_PUBLISHED = 1,
    NJ_CELL_SUPPRESSED = 2,           /**< a count in 1 .. k-1 (primary) */
    NJ_CELL_SUPPRESSED_SECONDARY = 3, /**< hidden to protect another cell */
    NJ_CELL_UNDEFINED = 4             /**< a ratio with a zero denominator */
};

/**
 * Build a table of one year's statistics at one region level, hiding every
 * count in 1 .. k-1 and, in the cross tables, enough further cells that no
 * hidden cell can be worked out from the row and column totals
 * (docs/statistics.md has the rules).
 * @param kind          an nj_stats_table_kind value
 * @param region_level  an nj_region_level value
 * @param k             smallest count published, 1 .. 1000 (3 is usual)
 * @param[out] out      the table; free with nj_stats_table_destroy()
 * @return NJ_OK; NJ_E_INVALID (NULL argument); NJ_E_UNSUPPORTED (kind);
 *         NJ_E_RANGE (year, level, k); NJ_E_NOMEM. Read-only on `stats`.
 * @since 0.1
 */
NJ_API nj_status nj_stats_publish(const nj_stats *stats, int32_t year,
                                  int32_t region_level, int32_t kind,
                                  int32_t k, nj_stats_table **out);

/** Free a table (NULL is fine). @since 0.1 */
NJ_API void nj_stats_table_destroy(nj_stats_table *table);

/** Rows and columns of a table (totals included). Read-only. @since 0.1 */
NJ_API size_t nj_stats_table_row_count(const nj_stats_table *table);
NJ_API size_t nj_stats_table_column_count(const nj_stats_table *table);

/**
 * Column key (ASCII, stable: "target", "age_20_29", "total", ...) and its
 * scale: a cell's value / scale is the figure (1 for counts, 10 for
 * percentages in tenths, 100 for ratios in hundredths). NULL / 0 when out
 * of range. Read-only. @since 0.1
 */
NJ_API const char *nj_stats_table_column_name(const nj_stats_table *table,
                                              size_t column);
NJ_API int32_t nj_stats_table_column_scale(const nj_stats_table *table,
                                           size_t column);

/**
 * A row's region (0 for the totals row), programme type (0 in cross
 * tables) and region name ("total" for the totals row). Any out-pointer
 * may be NULL.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_table_row(const nj_stats_table *table, size_t row,
                                    int64_t *region_id,
                                    int32_t *programme_type,
                                    const char **label);

/**
 * A cell: its value (0 unless published) and nj_cell_state.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_stats_table_cell(const nj_stats_table *table, size_t row,
                                     size_t column, int64_t *value,
                                     int32_t *state);

/**
 * The table as CSV: UTF-8 with a byte-order mark, CRLF line ends, a header
 * row (region_id, programme_type, region, then the column keys); published
 * figures as decimals (value / scale), suppressed cells as "x", undefined
 * ones empty; a region name that would start a spreadsheet formula gets a
 * leading '. `size` always receives the length; buf NULL and capacity 0
 * asks for it.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_BUFFER_TOO_SMALL. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_stats_table_csv(const nj_stats_table *table, void *buf,
                                    size_t capacity, size_t *size);

/**
 * The table as JSON: {"columns": [keys], "rows": [{"region_id",
 * "programme_type", "region", "cells": [...]}]}, cells as numbers, "x" when
 * suppressed, null when undefined. Sizes as nj_stats_table_csv().
 * @return NJ_OK, NJ_E_INVALID or NJ_E_BUFFER_TOO_SMALL. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_stats_table_json(const nj_stats_table *table, void *buf,
                                     size_t capacity, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_STATS_H */
