#include "eligibility_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date_internal.h"
#include "restore_internal.h"

void nj_application_list_free(nj_application_list *list, const nj_alloc *a)
{
    nj_alloc_free(a, list->items);
    memset(list, 0, sizeof *list);
}

static nj_status list_reserve(nj_application_list *list, const nj_alloc *a)
{
    void *items = list->items;
    nj_status st = nj_alloc_grow(a, &items, &list->cap, list->count + 1,
                                 sizeof *list->items);
    list->items = items;
    return st;
}

nj_application *nj_application_find(const nj_participant *participant,
                                    const nj_posting *posting)
{
    /* A resident applies to few postings: a scan of their list is cheap. */
    for (size_t i = 0; i < participant->applications.count; i++)
        if (participant->applications.items[i]->posting == posting)
            return participant->applications.items[i];
    return NULL;
}

/* Looks up both sides, naming the missing one. */
static nj_status find_pair(nj_registry *reg, int64_t participant_id,
                           int64_t posting_id, nj_participant **participant,
                           nj_posting **posting)
{
    *participant = (nj_participant *)nj_find_existing(reg, &reg->participants,
                                                      "participant",
                                                      participant_id);
    if (!*participant)
        return NJ_E_NOT_FOUND;
    *posting = (nj_posting *)nj_find_existing(reg, &reg->postings, "posting",
                                              posting_id);
    return *posting ? NJ_OK : NJ_E_NOT_FOUND;
}

static nj_status check_can_apply(nj_registry *reg, const nj_participant *p,
                                 const nj_posting *posting, int32_t date)
{
    long long pid = (long long)p->head.id, qid = (long long)posting->head.id;
    if (nj_application_find(p, posting))
        return nj_fail(reg, NJ_E_EXISTS,
                       "participant %lld has already applied to posting %lld",
                       pid, qid);
    if (posting->selected)
        return nj_fail(reg, NJ_E_CLOSED,
                       "posting %lld: selection is done (on %ld)", qid,
                       (long)posting->selection_date);
    nj_ineligibility why = nj_posting_open_on(posting, date);
    if (why != NJ_ELIGIBLE)
        return nj_fail(reg, NJ_E_CLOSED, "posting %lld on %ld: %s", qid,
                       (long)date, nj_ineligibility_str(why));
    why = nj_participant_fits(posting, p, date);
    if (why != NJ_ELIGIBLE)
        return nj_fail(reg, NJ_E_INELIGIBLE,
                       "participant %lld is not eligible for posting %lld: %s",
                       pid, qid, nj_ineligibility_str(why));
    return NJ_OK;
}

/* Early close: the posting closes once it has received ceil(ratio x slots)
 * applications. */
static void close_if_full(nj_posting *posting)
{
    if (posting->early_close_ratio <= 0)
        return;
    double threshold = ceil(posting->early_close_ratio * posting->slots);
    if ((double)posting->applications.count >= threshold)
        posting->status = NJ_POSTING_CLOSED;
}

nj_status nj_application_submit(nj_registry *reg, int64_t participant_id,
                                int64_t posting_id, int32_t date)
{
    if (!reg)
        return NJ_E_INVALID;
    if (!nj_date_is_valid(date))
        return nj_fail(reg, NJ_E_INVALID,
                       "application of participant %lld: date %ld is not a calendar date",
                       (long long)participant_id, (long)date);
    nj_participant *p = NULL;
    nj_posting *posting = NULL;
    nj_status st = find_pair(reg, participant_id, posting_id, &p, &posting);
    if (st != NJ_OK || (st = check_can_apply(reg, p, posting, date)) != NJ_OK)
        return st;
    nj_application *app = nj_alloc_malloc(&reg->alloc, sizeof *app);
    if (!app || list_reserve(&p->applications, &reg->alloc) != NJ_OK ||
        list_reserve(&posting->applications, &reg->alloc) != NJ_OK) {
        nj_alloc_free(&reg->alloc, app);
        return nj_fail(reg, NJ_E_NOMEM, "application of participant %lld: out of memory",
                       (long long)participant_id);
    }
    *app = (nj_application){p, posting, date, NJ_APPLICATION_APPLIED, 0};
    p->applications.items[p->applications.count++] = app;
    posting->applications.items[posting->applications.count++] = app;
    close_if_full(posting);
    return NJ_OK;
}

void nj_application_unapply_last(nj_registry *reg, nj_participant *p,
                                 nj_posting *posting, int32_t posting_status)
{
    nj_application *app = p->applications.items[--p->applications.count];
    posting->applications.count--;
    posting->status = posting_status;
    nj_alloc_free(&reg->alloc, app);
}

/* The waitlisted applicant with the best rank takes a freed slot. */
static void promote_from_waitlist(nj_posting *posting)
{
    nj_application *next = NULL;
    for (size_t i = 0; i < posting->applications.count; i++) {
        nj_application *a = posting->applications.items[i];
        if (a->status == NJ_APPLICATION_WAITLISTED && (!next || a->rank < next->rank))
            next = a;
    }
    if (next)
        next->status = NJ_APPLICATION_SELECTED;
}

nj_status nj_application_withdraw(nj_registry *reg, int64_t participant_id,
                                  int64_t posting_id)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_participant *p = NULL;
    nj_posting *posting = NULL;
    nj_status st = find_pair(reg, participant_id, posting_id, &p, &posting);
    if (st != NJ_OK)
        return st;
    nj_application *app = nj_application_find(p, posting);
    if (!app)
        return nj_fail(reg, NJ_E_NOT_FOUND,
                       "participant %lld has not applied to posting %lld",
                       (long long)participant_id, (long long)posting_id);
    if (app->status == NJ_APPLICATION_WITHDRAWN)
        return nj_fail(reg, NJ_E_CLOSED,
                       "participant %lld has already withdrawn from posting %lld",
                       (long long)participant_id, (long long)posting_id);
    int was_selected = app->status == NJ_APPLICATION_SELECTED;
    app->status = NJ_APPLICATION_WITHDRAWN;
    if (was_selected)
        promote_from_waitlist(posting);
    return NJ_OK;
}

/*
 * The lottery's generator: splitmix64 (Steele, Lea and Flood 2014), a
 * 64-bit counter through a fixed mixing function. It is defined by integer
 * arithmetic alone, so a seed gives the same draws on every platform.
 */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

typedef struct candidate {
    nj_application *application;
    int64_t paid_minutes;
    uint64_t draw;      /* lottery draw, or the order of application */
    size_t order;
} candidate;

static int candidate_before(const candidate *a, const candidate *b)
{
    if (a->paid_minutes != b->paid_minutes)
        return a->paid_minutes < b->paid_minutes;
    if (a->draw != b->draw)
        return a->draw < b->draw;
    return a->order < b->order;
}

static int compare_candidates(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    return candidate_before(a, b) ? -1 : candidate_before(b, a);
}

/* The active applicants with their paid minutes and draws, in order of
 * application; draws are taken in that order, one per applicant. */
static nj_status gather_candidates(const nj_registry *reg,
                                   const nj_posting *posting, int32_t method,
                                   uint64_t seed, int32_t period,
                                   candidate *out, size_t *count)
{
    uint64_t state = seed;
    *count = 0;
    for (size_t i = 0; i < posting->applications.count; i++) {
        nj_application *a = posting->applications.items[i];
        if (a->status != NJ_APPLICATION_APPLIED)
            continue;
        nj_totals totals;
        nj_status st = nj_person_period_totals(reg, a->participant, period,
                                               &totals);
        if (st != NJ_OK)
            return st;
        uint64_t draw = method == NJ_SELECT_LOTTERY ? splitmix64_next(&state)
                                                    : (uint64_t)i;
        out[(*count)++] = (candidate){a, totals.paid, draw, i};
    }
    return NJ_OK;
}

nj_status nj_posting_select(nj_registry *reg, int64_t posting_id, int32_t method,
                            uint64_t seed, int32_t date)
{
    if (!reg)
        return NJ_E_INVALID;
    if (method != NJ_SELECT_LOTTERY && method != NJ_SELECT_FIRST_COME)
        return nj_fail(reg, NJ_E_INVALID,
                       "selection of posting %lld: method %ld is not 1 (lottery) or 2 (first come)",
                       (long long)posting_id, (long)method);
    if (!nj_date_is_valid(date))
        return nj_fail(reg, NJ_E_INVALID,
                       "selection of posting %lld: date %ld is not a calendar date",
                       (long long)posting_id, (long)date);
    nj_posting *posting = (nj_posting *)nj_find_existing(reg, &reg->postings,
                                                         "posting", posting_id);
    if (!posting)
        return NJ_E_NOT_FOUND;
    if (posting->selected)
        return nj_fail(reg, NJ_E_CLOSED, "posting %lld: selection is already done",
                       (long long)posting_id);
    candidate *candidates = nj_alloc_array(&reg->alloc,
                                           posting->applications.count,
                                           sizeof *candidates);
    if (!candidates)
        return nj_fail(reg, NJ_E_NOMEM, "selection of posting %lld: out of memory",
                       (long long)posting_id);
    int32_t period = nj_ledger_period_of(&reg->ledger,
                                         posting->work_start ? posting->work_start : date);
    size_t n;
    nj_status st = gather_candidates(reg, posting, method, seed, period,
                                     candidates, &n);
    if (st != NJ_OK) {
        nj_alloc_free(&reg->alloc, candidates);
        return nj_fail(reg, st, "selection of posting %lld: paid minutes overflow",
                       (long long)posting_id);
    }
    qsort(candidates, n, sizeof *candidates, compare_candidates);
    for (size_t i = 0; i < n; i++) {
        candidates[i].application->rank = (int32_t)(i + 1);
        candidates[i].application->status = i < (size_t)posting->slots
                                                ? NJ_APPLICATION_SELECTED
                                                : NJ_APPLICATION_WAITLISTED;
    }
    nj_alloc_free(&reg->alloc, candidates);
    posting->selected = 1;
    posting->selection_method = method;
    posting->selection_seed = seed;
    posting->selection_date = date;
    posting->status = NJ_POSTING_CLOSED;
    return NJ_OK;
}

nj_status nj_application_status(const nj_registry *reg, int64_t participant_id,
                                int64_t posting_id, int32_t *status)
{
    if (!reg || !status)
        return NJ_E_INVALID;
    const nj_participant *p =
        (const nj_participant *)nj_table_find(&reg->participants, participant_id);
    const nj_posting *posting =
        (const nj_posting *)nj_table_find(&reg->postings, posting_id);
    const nj_application *app = p && posting ? nj_application_find(p, posting) : NULL;
    if (!app)
        return NJ_E_NOT_FOUND;
    *status = app->status;
    return NJ_OK;
}

size_t nj_posting_application_count(const nj_posting *posting)
{
    return nj_is_posting(posting) ? posting->applications.count : 0;
}

size_t nj_posting_count_by_status(const nj_posting *posting, int32_t status)
{
    size_t n = 0;
    for (size_t i = 0; nj_is_posting(posting) && i < posting->applications.count; i++)
        n += posting->applications.items[i]->status == status;
    return n;
}

nj_status nj_posting_application_at(const nj_posting *posting, size_t index,
                                    int64_t *participant_id, int32_t *status,
                                    int32_t *date, int32_t *rank)
{
    if (!nj_is_posting(posting))
        return NJ_E_INVALID;
    if (index >= posting->applications.count)
        return NJ_E_NOT_FOUND;
    const nj_application *a = posting->applications.items[index];
    if (participant_id)
        *participant_id = a->participant->head.id;
    if (status)
        *status = a->status;
    if (date)
        *date = a->date;
    if (rank)
        *rank = a->rank;
    return NJ_OK;
}

size_t nj_participant_application_count(const nj_participant *participant)
{
    return nj_is_participant(participant) ? participant->applications.count : 0;
}

nj_status nj_participant_application_at(const nj_participant *participant,
                                        size_t index, int64_t *posting_id,
                                        int32_t *status, int32_t *date)
{
    if (!nj_is_participant(participant))
        return NJ_E_INVALID;
    if (index >= participant->applications.count)
        return NJ_E_NOT_FOUND;
    const nj_application *a = participant->applications.items[index];
    if (posting_id)
        *posting_id = a->posting->head.id;
    if (status)
        *status = a->status;
    if (date)
        *date = a->date;
    return NJ_OK;
}

nj_status nj_posting_selection(const nj_posting *posting, int32_t *method,
                               uint64_t *seed, int32_t *date)
{
    if (!nj_is_posting(posting))
        return NJ_E_INVALID;
    if (!posting->selected)
        return NJ_E_NOT_FOUND;
    if (method)
        *method = posting->selection_method;
    if (seed)
        *seed = posting->selection_seed;
    if (date)
        *date = posting->selection_date;
    return NJ_OK;
}

/* ---- snapshot restore (restore_internal.h) ------------------------------ */

nj_status nj_application_restore_slot(nj_registry *reg, nj_participant *participant)
{
    if (list_reserve(&participant->applications, &reg->alloc) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "participant %lld: out of memory",
                       (long long)participant->head.id);
    participant->applications.items[participant->applications.count++] = NULL;
    return NJ_OK;
}

/* nj_application_find() over a list that may still hold empty slots. */
static int has_applied(const nj_participant *participant, const nj_posting *posting)
{
    for (size_t i = 0; i < participant->applications.count; i++) {
        const nj_application *a = participant->applications.items[i];
        if (a && a->posting == posting)
            return 1;
    }
    return 0;
}

nj_status nj_application_restore(nj_registry *reg, nj_participant *participant,
                                 nj_posting *posting, int32_t date,
                                 int32_t status, int32_t rank,
                                 size_t participant_index)
{
    long long pid = (long long)participant->head.id, qid = (long long)posting->head.id;
    nj_application_list *list = &participant->applications;
    if (has_applied(participant, posting))
        return nj_fail(reg, NJ_E_EXISTS,
                       "participant %lld has applied to posting %lld twice", pid, qid);
    if (participant_index >= list->count)
        return nj_fail(reg, NJ_E_RANGE,
                       "participant %lld: application index %zu, but only %zu applications",
                       pid, participant_index, list->count);
    if (list->items[participant_index])
        return nj_fail(reg, NJ_E_CORRUPT,
                       "participant %lld: two applications at index %zu", pid,
                       participant_index);
    nj_application *app = nj_alloc_malloc(&reg->alloc, sizeof *app);
    if (!app || list_reserve(&posting->applications, &reg->alloc) != NJ_OK) {
        nj_alloc_free(&reg->alloc, app);
        return nj_fail(reg, NJ_E_NOMEM, "application of participant %lld: out of memory",
                       pid);
    }
    *app = (nj_application){participant, posting, date, status, rank};
    list->items[participant_index] = app;
    posting->applications.items[posting->applications.count++] = app;
    return NJ_OK;
}

nj_status nj_application_swap_status(const nj_participant *participant,
                                     const nj_posting *posting, int32_t status,
                                     int32_t *old_status)
{
    nj_application *app = nj_application_find(participant, posting);
    if (!app)
        return NJ_E_NOT_FOUND;
    *old_status = app->status;
    app->status = status;
    return NJ_OK;
}

void nj_posting_restore_selection(nj_posting *posting, int32_t method,
                                  uint64_t seed, int32_t date)
{
    posting->selected = 1;
    posting->selection_method = method;
    posting->selection_seed = seed;
    posting->selection_date = date;
}
