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

/*
 * A participant's eligibility data, packed into its participant-index tag:
 * birth date (YYYYMMDD < 2^25), the foreign-resident flag, whether the
 * ledger holds any of their entries, and their region's code (0: none).
 * The matcher filters residents on tags alone, in the order the index
 * stores them, without touching the participant objects.
 */
#define NJ_TAG_BIRTH_MASK ((uint64_t)0x1ffffff)
#define NJ_TAG_FOREIGN ((uint64_t)1 << 25)
#define NJ_TAG_HAS_ENTRIES ((uint64_t)1 << 26)
#define NJ_TAG_REGION_SHIFT 32

uint64_t nj_participant_tag(const nj_participant *participant);
/* Stores the participant's current tag in the index (after a change to
 * any of the fields it packs); never fails. */
void nj_participant_sync_tag(nj_participant *participant);

/*
 * nj_participant_fits() (plus, with skip_capped, "has minutes left under
 * the cap in the posting's period") for one posting, on tags: the age
 * rule becomes a range of birth dates, residency a walk up region codes.
 */
typedef struct nj_resident_filter {
    const nj_registry *reg;
    int32_t born_after, born_by;   /* birth date in (born_after, born_by] */
    int foreign_allowed;
    uint32_t region;               /* residency region's code, 0: anyone */
    int skip_capped;
    int32_t period;                /* for skip_capped */
} nj_resident_filter;

void nj_resident_filter_init(nj_resident_filter *f, const nj_registry *reg,
                             const nj_posting *posting, int32_t date,
                             int skip_capped);
/* Whether participant `id`, whose tag is `tag`, passes. */
int nj_resident_filter_keeps(const nj_resident_filter *f, int64_t id, uint64_t tag);

/* English text of a reason, for messages. */
const char *nj_ineligibility_str(nj_ineligibility reason);

#endif
