/**
 * @file nearjob/stipend.h
 * @brief The stipend ledger: work entries, the per-person hour cap per
 *        period, statements, programme totals against a budget, and the
 *        ledger's registry options.
 *
 * Rules (docs/stipend.md, with a worked example):
 * - The ledger is kept per period, by default the calendar year
 *   (NJ_OPT_PERIOD_START_MMDD moves its first day).
 * - A person's cap (default 6 000 minutes = 100 hours) applies across all
 *   of that person's postings, in (date, entry id) order: minutes up to the
 *   cap are paid, the rest are recorded as over-cap and unpaid.
 * - The amount of an entry is its paid minutes x the posting's hourly rate
 *   / 60, rounded per entry by NJ_OPT_ROUNDING (default: down to the won).
 * - All arithmetic is int64 and overflow-checked (NJ_E_RANGE, never a
 *   wrapped number).
 * - A recorded entry id can never be recorded again, so a retried import
 *   never pays twice; voiding keeps the entry for audit and recomputes.
 * - With a budget set, an entry that would take the period's total amount
 *   over it is refused with NJ_E_CAP; voids always succeed and may leave the
 *   total over budget, which nj_stipend_programme_totals() reports.
 */
#ifndef NEARJOB_STIPEND_H
#define NEARJOB_STIPEND_H

#include "common.h"
#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The ledger's registry options (nj_registry_set_int64(), nearjob/registry.h).
 *  Pinned values; the import limits of nearjob/io.h (5 .. 7) share the space. */
enum nj_stipend_option {
    NJ_OPT_STIPEND_CAP_MINUTES = 1, /**< per person per period; default 6000, 0 .. 1 000 000 */
    NJ_OPT_PERIOD_START_MMDD = 2,   /**< first day of a period as MMDD; default 101; 101 .. 1231, not 229 */
    NJ_OPT_BUDGET_KRW = 3,          /**< programme budget per period; 0 (default) = none */
    NJ_OPT_ROUNDING = 4             /**< an nj_rounding value; default NJ_ROUND_FLOOR */
};

/** Rounding of an entry's amount to whole won. Pinned values. */
enum nj_rounding {
    NJ_ROUND_FLOOR = 1,   /**< down to the won */
    NJ_ROUND_HALF_UP = 2  /**< to the nearest won, halves up */
};

/**
 * Record a work entry.
 *
 * @param entry_id  caller's id, >= 1, never used before in this registry
 * @param date      inside the posting's work period (any date when the
 *                  posting has none)
 * @param minutes   1 .. 1440
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad date); NJ_E_EXISTS (entry id
 *         recorded before, voided or not); NJ_E_NOT_FOUND (participant or
 *         posting); NJ_E_INELIGIBLE (the participant is not selected for
 *         the posting); NJ_E_RANGE (minutes, date outside the work period,
 *         or an overflowing total); NJ_E_CAP (over the budget); NJ_E_NOMEM
 *         (out of memory, or the ledger already holds its maximum of
 *         2^32 - 2 entries). On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_work_record(nj_registry *reg, int64_t entry_id,
                                int64_t participant_id, int64_t posting_id,
                                int32_t date, int32_t minutes);

/**
 * Record `n` entries, all or nothing: the first failing entry (its index in
 * the message) leaves the ledger as it was. Duplicate ids within the batch
 * are NJ_E_EXISTS.
 * @return as nj_work_record(). @since 0.1
 */
NJ_API nj_status nj_work_record_batch(nj_registry *reg, size_t n,
                                      const int64_t *entry_ids,
                                      const int64_t *participant_ids,
                                      const int64_t *posting_ids,
                                      const int32_t *dates,
                                      const int32_t *minutes);

/**
 * Void an entry: it stays in the ledger, pays nothing, and the person's
 * later entries in the period are recomputed under the cap.
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_CLOSED (already
 *         void). @since 0.1
 */
NJ_API nj_status nj_work_void(nj_registry *reg, int64_t entry_id);

/** Entries recorded, voided ones included. Read-only. @since 0.1 */
NJ_API size_t nj_work_entry_count(const nj_registry *reg);

/**
 * Id of the entry at `index` in recording order (0 <= index <
 * nj_work_entry_count()), for iteration.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_work_entry_id_at(const nj_registry *reg, size_t index,
                                     int64_t *entry_id);

/**
 * One entry as the cap leaves it. Any out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_RANGE (overflow).
 * Read-only. @since 0.1
 */
NJ_API nj_status nj_work_entry(const nj_registry *reg, int64_t entry_id,
                               int64_t *participant_id, int64_t *posting_id,
                               int32_t *date, int32_t *minutes,
                               int32_t *paid_minutes, int64_t *amount_krw,
                               int *voided);

/**
 * A participant's statement for the period containing `date`: minutes
 * worked, paid and over the cap, minutes left under the cap, and the amount.
 * Costs O(entries of that person). Any out-pointer may be NULL.
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_RANGE. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_stipend_statement(const nj_registry *reg,
                                      int64_t participant_id, int32_t date,
                                      int64_t *worked_minutes,
                                      int64_t *paid_minutes,
                                      int64_t *over_cap_minutes,
                                      int64_t *remaining_minutes,
                                      int64_t *amount_krw);

/**
 * Totals of one posting's entries in the period containing `date` (each
 * entry paid as its person's cap leaves it).
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_RANGE. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_stipend_posting_totals(const nj_registry *reg,
                                           int64_t posting_id, int32_t date,
                                           int64_t *worked_minutes,
                                           int64_t *paid_minutes,
                                           int64_t *over_cap_minutes,
                                           int64_t *amount_krw);

/**
 * Programme totals for the period containing `date`, and whether they
 * exceed the budget (0 when no budget is set).
 * @return NJ_OK, NJ_E_INVALID or NJ_E_RANGE. Read-only. @since 0.1
 */
NJ_API nj_status nj_stipend_programme_totals(const nj_registry *reg,
                                             int32_t date,
                                             int64_t *worked_minutes,
                                             int64_t *paid_minutes,
                                             int64_t *over_cap_minutes,
                                             int64_t *amount_krw,
                                             int *over_budget);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_STIPEND_H */
