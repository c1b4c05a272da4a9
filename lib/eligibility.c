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

uint64_t nj_participant_tag(const nj_participant *p)
{
    uint64_t tag = (uint64_t)(uint32_t)p->birth_date & NJ_TAG_BIRTH_MASK;
    if (p->is_foreign)
        tag |= NJ_TAG_FOREIGN;
    if (p->first_entry != 0)
        tag |= NJ_TAG_HAS_ENTRIES;
    if (p->region)
        tag |= (uint64_t)p->region->code << NJ_TAG_REGION_SHIFT;
    return tag;
}

void nj_participant_sync_tag(nj_participant *p)
{
    (void)nj_spatial_set_tag(&p->owner->participant_index, p->head.id, p->lat,
                             p->lon, nj_participant_tag(p));
}

/*
 * nj_date_age(birth, on) >= a exactly when birth <= on - 10000 a, as
 * YYYYMMDD integers: both compare the year first, then the month and day.
 * So min_age <= age <= max_age (and on >= birth, implied as min_age >= 0)
 * is on - 10000 (max_age + 1) < birth <= on - 10000 min_age.
 */
void nj_resident_filter_init(nj_resident_filter *f, const nj_registry *reg,
                             const nj_posting *posting, int32_t date,
                             int skip_capped)
{
    int32_t on = posting->work_start != 0 ? posting->work_start : date;
    f->reg = reg;
    f->born_after = on - 10000 * (posting->max_age + 1);
    f->born_by = on - 10000 * posting->min_age;
    f->foreign_allowed = posting->foreign_allowed;
    f->region = posting->residency_region ? posting->residency_region->code : 0;
    f->skip_capped = skip_capped;
    f->period = nj_ledger_period_of(&reg->ledger, on);
}

/* Whether region code c is the filter's region or inside it. */
static int code_within(const nj_resident_filter *f, uint32_t c)
{
    const uint32_t *parent = f->reg->region_codes.parent;
    while (c != 0 && c != f->region)
        c = parent[c];
    return c != 0;
}

/* Paid minutes below the cap in the filter's period. Only someone with
 * ledger entries needs the lookup. */
static int has_minutes_left(const nj_resident_filter *f, int64_t id, uint64_t tag)
{
    const nj_participant *p;
    nj_totals totals;
    if (f->reg->ledger.cap_minutes <= 0)
        return 0;
    if (!(tag & NJ_TAG_HAS_ENTRIES))
        return 1;
    p = (const nj_participant *)nj_table_find(&f->reg->participants, id);
    /* A total too large to compute has no minutes left either. */
    return nj_person_period_totals(f->reg, p, f->period, &totals) == NJ_OK &&
           totals.paid < f->reg->ledger.cap_minutes;
}

int nj_resident_filter_keeps(const nj_resident_filter *f, int64_t id, uint64_t tag)
{
    int32_t birth = (int32_t)(tag & NJ_TAG_BIRTH_MASK);
    if (birth <= f->born_after || birth > f->born_by)
        return 0;
    if ((tag & NJ_TAG_FOREIGN) && !f->foreign_allowed)
        return 0;
    if (f->region && !code_within(f, (uint32_t)(tag >> NJ_TAG_REGION_SHIFT)))
        return 0;
    return !f->skip_capped || has_minutes_left(f, id, tag);
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
