#include "eligibility_internal.h"

#include "date_internal.h"

nj_ineligibility nj_posting_open_on(const nj_posting *posting, int32_t date)
{
    if (posting->status != NJ_POSTING_OPEN)
        return NJ_INELIGIBLE_CLOSED;
    if (posting->apply_open != 0 &&
        (date < posting->apply_open || date > posting->apply_close))
        return NJ_INELIGIBLE_WINDOW;
    return NJ_ELIGIBLE;
}

static int age_fits(const nj_posting *posting, const nj_participant *p,
                    int32_t date)
{
    int32_t on = posting->work_start != 0 ? posting->work_start : date;
    if (on < p->birth_date)
        return 0;
    int32_t age = nj_date_age(p->birth_date, on);
    return age >= posting->min_age && age <= posting->max_age;
}

nj_ineligibility nj_participant_fits(const nj_posting *posting,
                                     const nj_participant *participant,
                                     int32_t date)
{
    if (!age_fits(posting, participant, date))
        return NJ_INELIGIBLE_AGE;
    if (posting->residency_region &&
        !nj_region_is_within(participant->region, posting->residency_region))
        return NJ_INELIGIBLE_RESIDENCY;
    if (participant->is_foreign && !posting->foreign_allowed)
        return NJ_INELIGIBLE_FOREIGN;
    return NJ_ELIGIBLE;
}

const char *nj_ineligibility_str(nj_ineligibility reason)
{
    switch (reason) {
    case NJ_ELIGIBLE: return "eligible";
    case NJ_INELIGIBLE_CLOSED: return "the posting is closed";
    case NJ_INELIGIBLE_WINDOW: return "the date is outside the application window";
    case NJ_INELIGIBLE_AGE: return "age outside the posting's range";
    case NJ_INELIGIBLE_RESIDENCY: return "home outside the posting's residency region";
    case NJ_INELIGIBLE_FOREIGN: return "the posting does not accept foreign residents";
    }
    return "unknown reason";
}
