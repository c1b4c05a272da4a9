#include "registry_internal.h"

#include <math.h>
#include <string.h>

static const char WHAT[] = "posting";

#define MAX_SLOTS 1000000
#define MAX_MINUTES_PER_PERSON 1000000
#define MAX_HOURLY_STIPEND_KRW 1000000
#define MAX_AGE 150
/* Half the circumference of the 6 371 008.8 m sphere: beyond it, every
 * point on Earth is inside the radius. */
#define MAX_RADIUS_M 20015115.0
#define MAX_EARLY_CLOSE_RATIO 1000.0
#define DEFAULT_MINUTES_PER_PERSON 6000
#define DEFAULT_RADIUS_M 2000.0

nj_status nj_posting_add(nj_registry *reg, int64_t id, int64_t facility_id,
                         const char *title, int32_t slots, nj_posting **out)
{
    if (out)
        *out = NULL;
    if (!reg)
        return NJ_E_INVALID;
    size_t title_len;
    nj_status st;
    if ((st = nj_check_new_id(reg, &reg->postings, WHAT, id)) != NJ_OK)
        return st;
    nj_facility *facility =
        (nj_facility *)nj_table_find(&reg->facilities, facility_id);
    if (!facility)
        return nj_fail(reg, NJ_E_NOT_FOUND, "posting %lld: facility %lld not found",
                       (long long)id, (long long)facility_id);
    if ((st = nj_check_name(reg, WHAT, id, "title", title, &title_len)) != NJ_OK)
        return st;
    if (slots < 0 || slots > MAX_SLOTS)
        return nj_fail(reg, NJ_E_RANGE, "posting %lld: slots %ld outside [0, %d]",
                       (long long)id, (long)slots, MAX_SLOTS);

    nj_posting *posting = nj_alloc_malloc(&reg->alloc, sizeof *posting);
    char *title_copy = nj_alloc_strdup(&reg->alloc, title, title_len);
    if (!posting || !title_copy ||
        nj_table_reserve(&reg->postings, &reg->alloc, 1) != NJ_OK) {
        nj_alloc_free(&reg->alloc, posting);
        nj_alloc_free(&reg->alloc, title_copy);
        return nj_fail(reg, NJ_E_NOMEM, "posting %lld: out of memory",
                       (long long)id);
    }
    memset(posting, 0, sizeof *posting);
    posting->head.id = id;
    posting->head.kind = NJ_KIND_POSTING;
    posting->owner = reg;
    posting->facility = facility;
    posting->title = title_copy;
    posting->programme_type = NJ_PROGRAMME_DIRECT_JOBS;
    posting->slots = slots;
    posting->minutes_per_person = DEFAULT_MINUTES_PER_PERSON;
    posting->min_age = 0;
    posting->max_age = MAX_AGE;
    posting->status = NJ_POSTING_OPEN;
    posting->foreign_allowed = 1;
    posting->radius_m = DEFAULT_RADIUS_M;
    facility->posting_count++;
    posting->next_at_facility = facility->first_posting;
    if (facility->first_posting)
        facility->first_posting->prev_at_facility = posting;
    facility->first_posting = posting;
    nj_table_insert(&reg->postings, &posting->head);
    if (out)
        *out = posting;
    return NJ_OK;
}

void nj_posting_free(nj_registry *reg, nj_posting *posting)
{
    /* The posting's list owns the applications; participants only point. */
    for (size_t i = 0; i < posting->applications.count; i++)
        nj_alloc_free(&reg->alloc, posting->applications.items[i]);
    nj_application_list_free(&posting->applications, &reg->alloc);
    nj_alloc_free(&reg->alloc, posting->title);
    posting->head.kind = NJ_KIND_NONE;
    nj_alloc_free(&reg->alloc, posting);
}

nj_status nj_posting_remove(nj_registry *reg, int64_t id)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_posting *posting =
        (nj_posting *)nj_find_existing(reg, &reg->postings, WHAT, id);
    if (!posting)
        return NJ_E_NOT_FOUND;
    if (posting->applications.count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "posting %lld still has applications (%zu)", (long long)id,
                       posting->applications.count);
    nj_facility *facility = posting->facility;
    facility->posting_count--;
    if (posting->prev_at_facility)
        posting->prev_at_facility->next_at_facility = posting->next_at_facility;
    else
        facility->first_posting = posting->next_at_facility;
    if (posting->next_at_facility)
        posting->next_at_facility->prev_at_facility = posting->prev_at_facility;
    nj_region_rereference(posting->residency_region, NULL);
    nj_table_remove(&reg->postings, &posting->head);
    nj_posting_free(reg, posting);
    return NJ_OK;
}

nj_posting *nj_posting_get(const nj_registry *reg, int64_t id)
{
    return reg ? (nj_posting *)nj_table_find(&reg->postings, id) : NULL;
}

size_t nj_posting_count(const nj_registry *reg)
{
    return reg ? reg->postings.count : 0;
}

nj_posting *nj_posting_at(const nj_registry *reg, size_t index)
{
    return reg ? (nj_posting *)nj_table_at(&reg->postings, index) : NULL;
}

int64_t nj_posting_id(const nj_posting *p) { return nj_is_posting(p) ? p->head.id : 0; }
int64_t nj_posting_facility_id(const nj_posting *p) { return nj_is_posting(p) ? p->facility->head.id : 0; }
const char *nj_posting_title(const nj_posting *p) { return nj_is_posting(p) ? p->title : ""; }
int32_t nj_posting_programme_type(const nj_posting *p) { return nj_is_posting(p) ? p->programme_type : 0; }
int32_t nj_posting_slots(const nj_posting *p) { return nj_is_posting(p) ? p->slots : 0; }
int32_t nj_posting_minutes_per_person(const nj_posting *p) { return nj_is_posting(p) ? p->minutes_per_person : 0; }
int64_t nj_posting_hourly_stipend_krw(const nj_posting *p) { return nj_is_posting(p) ? p->hourly_stipend_krw : 0; }
int32_t nj_posting_work_start(const nj_posting *p) { return nj_is_posting(p) ? p->work_start : 0; }
int32_t nj_posting_work_end(const nj_posting *p) { return nj_is_posting(p) ? p->work_end : 0; }
int32_t nj_posting_apply_open(const nj_posting *p) { return nj_is_posting(p) ? p->apply_open : 0; }
int32_t nj_posting_apply_close(const nj_posting *p) { return nj_is_posting(p) ? p->apply_close : 0; }
int32_t nj_posting_min_age(const nj_posting *p) { return nj_is_posting(p) ? p->min_age : 0; }
int32_t nj_posting_max_age(const nj_posting *p) { return nj_is_posting(p) ? p->max_age : 0; }
int nj_posting_foreign_allowed(const nj_posting *p) { return nj_is_posting(p) ? p->foreign_allowed : 0; }
double nj_posting_radius_m(const nj_posting *p) { return nj_is_posting(p) ? p->radius_m : NAN; }
double nj_posting_early_close_ratio(const nj_posting *p) { return nj_is_posting(p) ? p->early_close_ratio : NAN; }
int32_t nj_posting_status(const nj_posting *p) { return nj_is_posting(p) ? p->status : 0; }

int64_t nj_posting_residency_region_id(const nj_posting *p)
{
    return nj_is_posting(p) && p->residency_region ? p->residency_region->head.id : 0;
}

static nj_status check_posting(nj_registry *reg, const nj_posting *posting)
{
    return nj_check_owner(reg, posting, NJ_KIND_POSTING, WHAT);
}

static long long pid(const nj_posting *posting)
{
    return (long long)posting->head.id;
}

nj_status nj_posting_set_title(nj_registry *reg, nj_posting *posting,
                               const char *title)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK)
        return st;
    return nj_replace_name(reg, WHAT, posting->head.id, "title",
                           &posting->title, title);
}

nj_status nj_posting_set_programme_type(nj_registry *reg, nj_posting *posting,
                                        int32_t type)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK)
        return st;
    if (!nj_programme_type_is_valid(type))
        return nj_fail(reg, NJ_E_INVALID,
                       "posting %lld: programme type %ld is neither 1..8 nor >= %d",
                       pid(posting), (long)type, NJ_PROGRAMME_CUSTOM_BASE);
    posting->programme_type = type;
    return NJ_OK;
}

/* Checks an int32 field against [lo, hi] and names it in the message. */
static nj_status check_int_range(nj_registry *reg, const nj_posting *posting,
                                 const char *field, int64_t value, int64_t lo,
                                 int64_t hi)
{
    if (value < lo || value > hi)
        return nj_fail(reg, NJ_E_RANGE, "posting %lld: %s %lld outside [%lld, %lld]",
                       pid(posting), field, (long long)value, (long long)lo,
                       (long long)hi);
    return NJ_OK;
}

nj_status nj_posting_set_slots(nj_registry *reg, nj_posting *posting,
                               int32_t slots)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_int_range(reg, posting, "slots", slots, 0, MAX_SLOTS)) != NJ_OK)
        return st;
    posting->slots = slots;
    return NJ_OK;
}

nj_status nj_posting_set_minutes_per_person(nj_registry *reg,
                                            nj_posting *posting,
                                            int32_t minutes)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_int_range(reg, posting, "minutes per person", minutes, 0,
                              MAX_MINUTES_PER_PERSON)) != NJ_OK)
        return st;
    posting->minutes_per_person = minutes;
    return NJ_OK;
}

nj_status nj_posting_set_hourly_stipend_krw(nj_registry *reg,
                                            nj_posting *posting, int64_t krw)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_int_range(reg, posting, "hourly stipend (KRW)", krw, 0,
                              MAX_HOURLY_STIPEND_KRW)) != NJ_OK)
        return st;
    if (krw != posting->hourly_stipend_krw && posting->entry_count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "posting %lld: hourly stipend cannot change after %zu work entries",
                       pid(posting), posting->entry_count);
    posting->hourly_stipend_krw = krw;
    return NJ_OK;
}

/* A date pair is either (0, 0) or two valid dates in order. */
static nj_status check_date_pair(nj_registry *reg, const nj_posting *posting,
                                 const char *first_name, int32_t first,
                                 const char *second_name, int32_t second)
{
    if (first == 0 && second == 0)
        return NJ_OK;
    nj_status st;
    if ((st = nj_check_date(reg, WHAT, posting->head.id, first_name, first)) != NJ_OK ||
        (st = nj_check_date(reg, WHAT, posting->head.id, second_name, second)) != NJ_OK)
        return st;
    if (first > second)
        return nj_fail(reg, NJ_E_INVALID, "posting %lld: %s %ld is after %s %ld",
                       pid(posting), first_name, (long)first, second_name,
                       (long)second);
    return NJ_OK;
}

nj_status nj_posting_set_work_period(nj_registry *reg, nj_posting *posting,
                                     int32_t start_date, int32_t end_date)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_date_pair(reg, posting, "work start", start_date,
                              "work end", end_date)) != NJ_OK)
        return st;
    posting->work_start = start_date;
    posting->work_end = end_date;
    return NJ_OK;
}

nj_status nj_posting_set_application_window(nj_registry *reg,
                                            nj_posting *posting,
                                            int32_t open_date,
                                            int32_t close_date)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_date_pair(reg, posting, "application open", open_date,
                              "application close", close_date)) != NJ_OK)
        return st;
    posting->apply_open = open_date;
    posting->apply_close = close_date;
    return NJ_OK;
}

nj_status nj_posting_set_age_range(nj_registry *reg, nj_posting *posting,
                                   int32_t min_age, int32_t max_age)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_int_range(reg, posting, "minimum age", min_age, 0, MAX_AGE)) != NJ_OK ||
        (st = check_int_range(reg, posting, "maximum age", max_age, min_age,
                              MAX_AGE)) != NJ_OK)
        return st;
    posting->min_age = min_age;
    posting->max_age = max_age;
    return NJ_OK;
}

nj_status nj_posting_set_residency_region(nj_registry *reg, nj_posting *posting,
                                          int64_t region_id)
{
    nj_region *region;
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = nj_resolve_region(reg, WHAT, posting->head.id, region_id,
                                &region)) != NJ_OK)
        return st;
    nj_region_rereference(posting->residency_region, region);
    posting->residency_region = region;
    return NJ_OK;
}

nj_status nj_posting_set_foreign_allowed(nj_registry *reg, nj_posting *posting,
                                         int allowed)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK)
        return st;
    if (allowed != 0 && allowed != 1)
        return nj_fail(reg, NJ_E_INVALID,
                       "posting %lld: foreign residents allowed must be 0 or 1, not %d",
                       pid(posting), allowed);
    posting->foreign_allowed = allowed;
    return NJ_OK;
}

static nj_status check_double_range(nj_registry *reg, const nj_posting *posting,
                                    const char *field, double value, double lo,
                                    double hi)
{
    char num[32], lo_text[32], hi_text[32];
    if (!isfinite(value) || value < lo || value > hi)
        return nj_fail(reg, NJ_E_RANGE, "posting %lld: %s %s outside [%s, %s]",
                       pid(posting), field, nj_format_double(num, value),
                       nj_format_double(lo_text, lo),
                       nj_format_double(hi_text, hi));
    return NJ_OK;
}

nj_status nj_posting_set_radius_m(nj_registry *reg, nj_posting *posting,
                                  double radius_m)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK ||
        (st = check_double_range(reg, posting, "radius (m)", radius_m, 0.0,
                                 MAX_RADIUS_M)) != NJ_OK)
        return st;
    posting->radius_m = radius_m;
    return NJ_OK;
}

nj_status nj_posting_set_early_close_ratio(nj_registry *reg,
                                           nj_posting *posting, double ratio)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK)
        return st;
    if (ratio != 0.0 &&
        (st = check_double_range(reg, posting, "early-close ratio", ratio, 1.0,
                                 MAX_EARLY_CLOSE_RATIO)) != NJ_OK)
        return st;
    posting->early_close_ratio = ratio;
    return NJ_OK;
}

nj_status nj_posting_set_status(nj_registry *reg, nj_posting *posting,
                                int32_t status)
{
    nj_status st = check_posting(reg, posting);
    if (st != NJ_OK)
        return st;
    if (status != NJ_POSTING_OPEN && status != NJ_POSTING_CLOSED)
        return nj_fail(reg, NJ_E_INVALID,
                       "posting %lld: status %ld is not 1 (open) or 2 (closed)",
                       pid(posting), (long)status);
    posting->status = status;
    return NJ_OK;
}
