/**
 * @file nearjob/application.h
 * @brief Applications to postings, early close, and the auditable seeded
 *        selection that fills a posting's slots.
 *
 * A resident applies to a posting once. The application is checked against
 * the posting's window and eligibility rules (docs/matching.md). A posting
 * with an early-close ratio closes itself when the applications it has
 * received reach ceil(ratio x slots). Selection fills the slots: applicants
 * with fewer stipend minutes already paid in the period first, then a
 * lottery drawn from a caller-given seed (or first come, first served);
 * everyone else is waitlisted in that order. The seed and method are stored,
 * so the same registry, applications and seed always give the same winners
 * on every platform. docs/selection.md gives the rules and a worked example.
 *
 * Removing a participant or posting that has applications returns
 * NJ_E_IN_USE.
 */
#ifndef NEARJOB_APPLICATION_H
#define NEARJOB_APPLICATION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status of an application. Pinned values. */
enum nj_application_status {
    NJ_APPLICATION_APPLIED = 1,    /**< received, not yet selected */
    NJ_APPLICATION_WITHDRAWN = 2,  /**< withdrawn by the applicant */
    NJ_APPLICATION_SELECTED = 3,   /**< holds one of the slots */
    NJ_APPLICATION_WAITLISTED = 4  /**< not selected; promoted in rank order */
};

/** How ties in paid minutes are broken at selection. Pinned values. */
enum nj_selection_method {
    NJ_SELECT_LOTTERY = 1,    /**< seeded lottery */
    NJ_SELECT_FIRST_COME = 2  /**< order of application */
};

/**
 * Apply for a posting on `date`.
 *
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad date); NJ_E_NOT_FOUND (no such
 *         participant or posting); NJ_E_EXISTS (already applied, even if
 *         withdrawn); NJ_E_CLOSED (posting closed, selection done, or date
 *         outside the application window); NJ_E_INELIGIBLE (age, residency or
 *         foreign-resident rule; the message names the rule); NJ_E_NOMEM.
 *         On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_application_submit(nj_registry *reg,
                                       int64_t participant_id,
                                       int64_t posting_id, int32_t date);

/**
 * Withdraw an application. Before selection it simply withdraws; after
 * selection a withdrawn selected applicant's slot goes to the first on the
 * waitlist. Stipend entries already recorded stay.
 *
 * @return NJ_OK; NJ_E_INVALID; NJ_E_NOT_FOUND (no such application);
 *         NJ_E_CLOSED (already withdrawn). @since 0.1
 */
NJ_API nj_status nj_application_withdraw(nj_registry *reg,
                                         int64_t participant_id,
                                         int64_t posting_id);

/**
 * Fill the posting's slots from its applicants and close it.
 *
 * Applicants are ranked by stipend minutes already paid in the ledger
 * period that contains the posting's work start (or `date` when it has no
 * work period), fewest first; ties are broken by the lottery drawn from
 * `seed` or by order of application. The first `slots` are selected, the
 * rest waitlisted in rank order.
 *
 * @param method an nj_selection_method value
 * @param date   the day of selection (YYYYMMDD)
 * @return NJ_OK; NJ_E_INVALID (bad method or date); NJ_E_NOT_FOUND;
 *         NJ_E_CLOSED (selection already done); NJ_E_RANGE (a paid-minute
 *         total overflowed); NJ_E_NOMEM. On failure nothing changes.
 * @since 0.1
 */
NJ_API nj_status nj_posting_select(nj_registry *reg, int64_t posting_id,
                                   int32_t method, uint64_t seed, int32_t date);

/**
 * Status of one application.
 * @param[out] status an nj_application_status value
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_application_status(const nj_registry *reg,
                                       int64_t participant_id,
                                       int64_t posting_id, int32_t *status);

/** Applications a posting has received, withdrawn ones included. @since 0.1 */
NJ_API size_t nj_posting_application_count(const nj_posting *posting);

/** Applications of the posting with the given status. @since 0.1 */
NJ_API size_t nj_posting_count_by_status(const nj_posting *posting,
                                         int32_t status);

/**
 * The posting's application at `index` (order of application). Any
 * out-pointer may be NULL. `rank` is the 1-based selection rank (selected
 * first, then the waitlist), 0 before selection or for a withdrawal before
 * selection.
 * @return NJ_OK, NJ_E_INVALID (NULL posting) or NJ_E_NOT_FOUND (index out
 *         of range). Read-only. @since 0.1
 */
NJ_API nj_status nj_posting_application_at(const nj_posting *posting,
                                           size_t index,
                                           int64_t *participant_id,
                                           int32_t *status, int32_t *date,
                                           int32_t *rank);

/** Applications a participant has made. @since 0.1 */
NJ_API size_t nj_participant_application_count(const nj_participant *participant);

/**
 * The participant's application at `index` (order of application).
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. Read-only. @since 0.1
 */
NJ_API nj_status nj_participant_application_at(const nj_participant *participant,
                                               size_t index,
                                               int64_t *posting_id,
                                               int32_t *status, int32_t *date);

/**
 * The stored selection of a posting: whether it has been done, with which
 * method, seed and date, so an auditor can re-run the draw.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND (not selected yet).
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_posting_selection(const nj_posting *posting,
                                      int32_t *method, uint64_t *seed,
                                      int32_t *date);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_APPLICATION_H */
