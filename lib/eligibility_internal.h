/* Who may take which posting: the rules of architecture.md §5, shared by
 * the matcher and (later) applications. */
#ifndef NJ_ELIGIBILITY_INTERNAL_H
#define NJ_ELIGIBILITY_INTERNAL_H

#include "registry_internal.h"

typedef enum nj_ineligibility {
    NJ_ELIGIBLE = 0,
    NJ_INELIGIBLE_CLOSED,        /* posting closed */
    NJ_INELIGIBLE_WINDOW,        /* date outside the application window */
    NJ_INELIGIBLE_AGE,           /* age outside the posting's range */
    NJ_INELIGIBLE_RESIDENCY,     /* home outside the restricted region */
    NJ_INELIGIBLE_FOREIGN        /* foreign residents not accepted */
} nj_ineligibility;

/* Whether the posting takes applications on `date` (open, in window). */
nj_ineligibility nj_posting_open_on(const nj_posting *posting, int32_t date);

/* Whether the participant meets the posting's personal rules (age on the
 * work start date, or on `date` without a work period; residency; foreign
 * residents). */
nj_ineligibility nj_participant_fits(const nj_posting *posting,
                                     const nj_participant *participant,
                                     int32_t date);

/* English text of a reason, for messages. */
const char *nj_ineligibility_str(nj_ineligibility reason);

#endif
