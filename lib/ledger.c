#include "registry_internal.h"
#include "eligibility_internal.h"

#include <string.h>

#include "date_internal.h"

#define DEFAULT_CAP_MINUTES 6000
#define MAX_ENTRY_MINUTES 1440

/* Links between entries are positions + 1 in 32 bits (nj_entry.next). */
#define MAX_ENTRIES NJ_ID_MAP_MAX_RECORDS

static nj_entry *linked_entry(const nj_ledger *ledger, uint32_t link)
{
    return &ledger->entries[link - 1];
}

static nj_id_records entry_records(const nj_ledger *ledger)
{
    return (nj_id_records){ledger->entries, sizeof *ledger->entries};
}

static size_t entry_position(const nj_ledger *ledger, int64_t entry_id)
{
    return nj_id_map_find(&ledger->ids, entry_records(ledger), entry_id);
}

void nj_ledger_init(nj_ledger *ledger)
{
    memset(ledger, 0, sizeof *ledger);
    ledger->cap_minutes = DEFAULT_CAP_MINUTES;
    ledger->period_start_mmdd = 101;
    ledger->rounding = NJ_ROUND_FLOOR;
    nj_id_map_init(&ledger->ids);
}

void nj_ledger_free(nj_ledger *ledger, const nj_alloc *a)
{
    nj_alloc_free(a, ledger->entries);
    nj_alloc_free(a, ledger->periods);
    nj_id_map_free(&ledger->ids, a);
    memset(ledger, 0, sizeof *ledger);
}

int32_t nj_ledger_period_of(const nj_ledger *ledger, int32_t date)
{
    int32_t start = (int32_t)ledger->period_start_mmdd;
    int32_t year = date / 10000;
    if (date % 10000 < start)
        year--;
    return year * 10000 + start;
}

/* ---- the cap ------------------------------------------------------------- */

static int64_t entry_amount(const nj_ledger *ledger, int64_t paid_minutes,
                            int64_t hourly_krw)
{
    /* paid <= 1440 and the rate <= 1 000 000: the product fits easily. */
    int64_t product = paid_minutes * hourly_krw;
    return ledger->rounding == NJ_ROUND_HALF_UP ? (product + 30) / 60 : product / 60;
}

/* What a walk over one person's period reports besides the totals. */
typedef struct walk {
    const nj_entry *target;        /* report this entry's pay, if set */
    int32_t target_paid;
    int64_t target_amount;
    const nj_posting *posting;     /* add this posting's entries to ... */
    nj_totals posting_totals;      /* ... these */
} walk;

static int add_totals(nj_totals *sum, int64_t worked, int64_t paid,
                      int64_t over, int64_t amount)
{
    return !__builtin_add_overflow(sum->worked, worked, &sum->worked) &&
           !__builtin_add_overflow(sum->paid, paid, &sum->paid) &&
           !__builtin_add_overflow(sum->over_cap, over, &sum->over_cap) &&
           !__builtin_add_overflow(sum->amount, amount, &sum->amount);
}

/* The cap over a person's entries of one period, in (date, id) order. */
static nj_status walk_person(const nj_registry *reg, const nj_participant *p,
                             int32_t period, nj_totals *totals, walk *w)
{
    const nj_ledger *ledger = &reg->ledger;
    int64_t remaining = ledger->cap_minutes;
    memset(totals, 0, sizeof *totals);
    for (uint32_t link = p->first_entry; link != 0;) {
        const nj_entry *e = linked_entry(ledger, link);
        link = e->next;
        if (e->period > period)
            break; /* periods follow dates: the rest are later */
        if (e->period != period || e->voided)
            continue;
        int64_t paid = e->minutes < remaining ? e->minutes : remaining;
        remaining -= paid;
        int64_t amount = entry_amount(ledger, paid, e->posting->hourly_stipend_krw);
        if (!add_totals(totals, e->minutes, paid, e->minutes - paid, amount))
            return NJ_E_RANGE;
        if (!w)
            continue;
        if (e == w->target) {
            w->target_paid = (int32_t)paid;
            w->target_amount = amount;
        }
        if (e->posting == w->posting &&
            !add_totals(&w->posting_totals, e->minutes, paid, e->minutes - paid, amount))
            return NJ_E_RANGE;
    }
    return NJ_OK;
}

nj_status nj_person_period_totals(const nj_registry *reg,
                                  const nj_participant *participant,
                                  int32_t period, nj_totals *totals)
{
    return walk_person(reg, participant, period, totals, NULL);
}

/* ---- recording ----------------------------------------------------------- */

static nj_period_totals *period_totals(nj_ledger *ledger, int32_t period)
{
    for (size_t i = 0; i < ledger->period_count; i++)
        if (ledger->periods[i].period == period)
            return &ledger->periods[i];
    return NULL;
}

static nj_status check_entry(nj_registry *reg, int64_t entry_id,
                             int64_t participant_id, int64_t posting_id,
                             int32_t date, int32_t minutes,
                             nj_participant **p, nj_posting **posting)
{
    if (entry_id < 1)
        return nj_fail(reg, NJ_E_RANGE, "entry %lld: ids must be >= 1", (long long)entry_id);
    if (entry_position(&reg->ledger, entry_id) != SIZE_MAX)
        return nj_fail(reg, NJ_E_EXISTS, "entry %lld was already recorded",
                       (long long)entry_id);
    if (!nj_date_is_valid(date))
        return nj_fail(reg, NJ_E_INVALID, "entry %lld: date %ld is not a calendar date",
                       (long long)entry_id, (long)date);
    if (minutes < 1 || minutes > MAX_ENTRY_MINUTES)
        return nj_fail(reg, NJ_E_RANGE, "entry %lld: minutes %ld outside [1, %d]",
                       (long long)entry_id, (long)minutes, MAX_ENTRY_MINUTES);
    *p = (nj_participant *)nj_find_existing(reg, &reg->participants, "participant",
                                            participant_id);
    *posting = *p ? (nj_posting *)nj_find_existing(reg, &reg->postings, "posting",
                                                    posting_id)
                  : NULL;
    if (!*p || !*posting)
        return NJ_E_NOT_FOUND;
    const nj_application *app = nj_application_find(*p, *posting);
    if (!app || app->status != NJ_APPLICATION_SELECTED)
        return nj_fail(reg, NJ_E_INELIGIBLE,
                       "entry %lld: participant %lld is not selected for posting %lld",
                       (long long)entry_id, (long long)participant_id,
                       (long long)posting_id);
    if ((*posting)->work_start != 0 &&
        (date < (*posting)->work_start || date > (*posting)->work_end))
        return nj_fail(reg, NJ_E_RANGE,
                       "entry %lld: date %ld outside the work period [%ld, %ld] of posting %lld",
                       (long long)entry_id, (long)date, (long)(*posting)->work_start,
                       (long)(*posting)->work_end, (long long)posting_id);
    return NJ_OK;
}

/* Room for `n` more entries and one more period. */
static nj_status reserve_entries(nj_registry *reg, size_t n)
{
    nj_ledger *ledger = &reg->ledger;
    if (n > MAX_ENTRIES - ledger->count)
        return NJ_E_NOMEM;
    void *entries = ledger->entries, *periods = ledger->periods;
    nj_status st = nj_alloc_grow(&reg->alloc, &entries, &ledger->cap,
                                 ledger->count + n, sizeof *ledger->entries);
    ledger->entries = entries;
    if (st == NJ_OK)
        st = nj_alloc_grow(&reg->alloc, &periods, &ledger->period_cap,
                           ledger->period_count + 1, sizeof *ledger->periods);
    ledger->periods = periods;
    if (st == NJ_OK)
        st = nj_id_map_reserve(&ledger->ids, &reg->alloc, entry_records(ledger), n);
    return st;
}

/* Why reserve_entries() failed, after "out of memory". */
static const char *full_note(const nj_ledger *ledger, size_t n)
{
    return n > MAX_ENTRIES - ledger->count
               ? " (the ledger is full: 2^32 - 2 entries)" : "";
}

static int entry_before(const nj_entry *a, const nj_entry *b)
{
    return a->date != b->date ? a->date < b->date : a->id < b->id;
}

/* Puts ledger position `pos` into the person's (date, id) order: O(1) when
 * it goes last, as in an import in date order. */
static void link_entry(const nj_ledger *ledger, nj_participant *p, size_t pos)
{
    nj_entry *e = &ledger->entries[pos];
    uint32_t link = (uint32_t)(pos + 1);
    uint32_t *at = p->last_entry != 0 ? &linked_entry(ledger, p->last_entry)->next
                                      : &p->first_entry;
    if (p->last_entry != 0 && entry_before(e, linked_entry(ledger, p->last_entry))) {
        at = &p->first_entry;
        while (!entry_before(e, linked_entry(ledger, *at)))
            at = &linked_entry(ledger, *at)->next;
    }
    int was_empty = p->first_entry == 0;
    e->next = *at;
    *at = link;
    if (e->next == 0)
        p->last_entry = link;
    if (was_empty)
        nj_participant_sync_tag(p); /* the tag says "has entries" */
}

static void unlink_entry(const nj_ledger *ledger, nj_participant *p, size_t pos)
{
    uint32_t link = (uint32_t)(pos + 1), previous = 0;
    uint32_t *at = &p->first_entry;
    while (*at != link) {
        previous = *at;
        at = &linked_entry(ledger, *at)->next;
    }
    *at = linked_entry(ledger, link)->next;
    if (p->last_entry == link)
        p->last_entry = previous;
    if (p->first_entry == 0)
        nj_participant_sync_tag(p);
}

/* new = old + (after - before), all checked. */
static int apply_delta(nj_totals *programme, const nj_totals *before,
                       const nj_totals *after, nj_totals *result)
{
    *result = *programme;
    return add_totals(result, after->worked - before->worked,
                      after->paid - before->paid,
                      after->over_cap - before->over_cap,
                      after->amount - before->amount);
}

/* A person's totals for a period: the cached ones when they are for it. */
static nj_status person_totals(const nj_registry *reg, const nj_participant *p,
                               int32_t period, nj_totals *totals)
{
    if (p->totals_period == period) {
        *totals = p->period_totals;
        return NJ_OK;
    }
    return walk_person(reg, p, period, totals, NULL);
}

/* The person's totals after linking `e` at the end of their list: its paid
 * minutes are what the cap leaves after everything before it. */
static int totals_after_append(const nj_registry *reg, const nj_totals *before,
                               const nj_entry *e, nj_totals *after)
{
    int64_t room = reg->ledger.cap_minutes - before->paid;
    int64_t paid = e->minutes < room ? e->minutes : (room > 0 ? room : 0);
    *after = *before;
    return add_totals(after, e->minutes, paid, e->minutes - paid,
                      entry_amount(&reg->ledger, paid, e->posting->hourly_stipend_krw));
}

/* Moves the programme totals of `period` by (after - before), checking
 * overflow and, if asked, the budget; on success caches `after` as the
 * person's totals. */
static nj_status settle(nj_registry *reg, nj_participant *p, int32_t period,
                        const nj_totals *before, const nj_totals *after,
                        int64_t entry_id, int check_budget)
{
    nj_ledger *ledger = &reg->ledger;
    nj_totals next;
    nj_period_totals *slot = period_totals(ledger, period);
    nj_totals current = slot ? slot->totals : (nj_totals){0, 0, 0, 0};
    if (!apply_delta(&current, before, after, &next))
        return nj_fail(reg, NJ_E_RANGE, "entry %lld: a stipend total would overflow int64",
                       (long long)entry_id);
    if (check_budget && ledger->budget_krw > 0 && next.amount > ledger->budget_krw)
        return nj_fail(reg, NJ_E_CAP,
                       "entry %lld: the period's stipend total %lld KRW would exceed the budget %lld KRW",
                       (long long)entry_id, (long long)next.amount,
                       (long long)ledger->budget_krw);
    if (!slot) {
        slot = &ledger->periods[ledger->period_count++];
        slot->period = period;
    }
    slot->totals = next;
    p->period_totals = *after;
    p->totals_period = period;
    return NJ_OK;
}

static nj_status overflow(nj_registry *reg, int64_t entry_id)
{
    return nj_fail(reg, NJ_E_RANGE, "entry %lld: a stipend total would overflow int64",
                   (long long)entry_id);
}

nj_status nj_work_record(nj_registry *reg, int64_t entry_id,
                         int64_t participant_id, int64_t posting_id,
                         int32_t date, int32_t minutes)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_participant *p = NULL;
    nj_posting *posting = NULL;
    nj_status st = check_entry(reg, entry_id, participant_id, posting_id, date,
                               minutes, &p, &posting);
    if (st != NJ_OK)
        return st;
    if (reserve_entries(reg, 1) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "entry %lld: out of memory%s",
                       (long long)entry_id, full_note(&reg->ledger, 1));
    nj_ledger *ledger = &reg->ledger;
    int32_t period = nj_ledger_period_of(ledger, date);
    nj_totals before, after;
    if (person_totals(reg, p, period, &before) != NJ_OK)
        return overflow(reg, entry_id);
    size_t pos = ledger->count;
    ledger->entries[pos] = (nj_entry){entry_id, p, posting, date, period, 0,
                                      (int16_t)minutes, 0};
    link_entry(ledger, p, pos);
    int appended = p->last_entry == pos + 1;
    int ok = appended ? totals_after_append(reg, &before, &ledger->entries[pos], &after)
                      : walk_person(reg, p, period, &after, NULL) == NJ_OK;
    st = ok ? settle(reg, p, period, &before, &after, entry_id, 1) : overflow(reg, entry_id);
    if (st != NJ_OK) {
        unlink_entry(ledger, p, pos);
        return st;
    }
    nj_id_map_insert_next(&ledger->ids, entry_records(ledger));
    ledger->count++;
    posting->entry_count++;
    return NJ_OK;
}

void nj_ledger_unrecord_last(nj_registry *reg)
{
    nj_ledger *ledger = &reg->ledger;
    size_t pos = ledger->count - 1;
    nj_entry *e = &ledger->entries[pos];
    nj_totals before, after;
    /* Undoing a change that settled cannot overflow or break the budget. */
    walk_person(reg, e->participant, e->period, &before, NULL);
    unlink_entry(ledger, e->participant, pos);
    walk_person(reg, e->participant, e->period, &after, NULL);
    settle(reg, e->participant, e->period, &before, &after, e->id, 0);
    nj_id_map_erase_last(&ledger->ids, entry_records(ledger));
    ledger->count--;
    e->posting->entry_count--;
}

nj_status nj_work_record_batch(nj_registry *reg, size_t n,
                               const int64_t *entry_ids,
                               const int64_t *participant_ids,
                               const int64_t *posting_ids,
                               const int32_t *dates, const int32_t *minutes)
{
    if (!reg)
        return NJ_E_INVALID;
    if (n > 0 && (!entry_ids || !participant_ids || !posting_ids || !dates || !minutes))
        return nj_fail(reg, NJ_E_INVALID, "entry batch: an array is NULL");
    /* Grow the shared arrays once for the whole batch. */
    if (reserve_entries(reg, n) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "entry batch of %zu: out of memory%s", n,
                       full_note(&reg->ledger, n));
    for (size_t i = 0; i < n; i++) {
        nj_status st = nj_work_record(reg, entry_ids[i], participant_ids[i],
                                      posting_ids[i], dates[i], minutes[i]);
        if (st != NJ_OK) {
            char reason[NJ_ERRMSG_SIZE];
            memcpy(reason, reg->errmsg, sizeof reason);
            for (size_t k = 0; k < i; k++)
                nj_ledger_unrecord_last(reg);
            return nj_fail(reg, st, "entry batch, item %zu: %s", i, reason);
        }
    }
    return NJ_OK;
}

nj_status nj_work_void(nj_registry *reg, int64_t entry_id)
{
    if (!reg)
        return NJ_E_INVALID;
    size_t pos = entry_position(&reg->ledger, entry_id);
    if (pos == SIZE_MAX)
        return nj_fail(reg, NJ_E_NOT_FOUND, "entry %lld not found", (long long)entry_id);
    nj_entry *e = &reg->ledger.entries[pos];
    if (e->voided)
        return nj_fail(reg, NJ_E_CLOSED, "entry %lld is already void", (long long)entry_id);
    nj_totals before, after;
    if (person_totals(reg, e->participant, e->period, &before) != NJ_OK)
        return overflow(reg, entry_id);
    e->voided = 1;
    nj_status st = walk_person(reg, e->participant, e->period, &after, NULL) == NJ_OK
                       ? settle(reg, e->participant, e->period, &before, &after, entry_id, 0)
                       : overflow(reg, entry_id);
    if (st != NJ_OK)
        e->voided = 0;
    return st;
}

/* ---- reading -------------------------------------------------------------- */

size_t nj_work_entry_count(const nj_registry *reg)
{
    return reg ? reg->ledger.count : 0;
}

nj_status nj_work_entry_id_at(const nj_registry *reg, size_t index,
                             int64_t *entry_id)
{
    if (!reg || !entry_id)
        return NJ_E_INVALID;
    if (index >= reg->ledger.count)
        return NJ_E_NOT_FOUND;
    *entry_id = reg->ledger.entries[index].id;
    return NJ_OK;
}

nj_status nj_work_entry(const nj_registry *reg, int64_t entry_id,
                        int64_t *participant_id, int64_t *posting_id,
                        int32_t *date, int32_t *minutes, int32_t *paid_minutes,
                        int64_t *amount_krw, int *voided)
{
    if (!reg)
        return NJ_E_INVALID;
    size_t pos = entry_position(&reg->ledger, entry_id);
    if (pos == SIZE_MAX)
        return NJ_E_NOT_FOUND;
    const nj_entry *e = &reg->ledger.entries[pos];
    walk w = {.target = e};
    nj_totals totals;
    if (walk_person(reg, e->participant, e->period, &totals, &w) != NJ_OK)
        return NJ_E_RANGE;
    if (participant_id)
        *participant_id = e->participant->head.id;
    if (posting_id)
        *posting_id = e->posting->head.id;
    if (date)
        *date = e->date;
    if (minutes)
        *minutes = e->minutes;
    if (paid_minutes)
        *paid_minutes = e->voided ? 0 : w.target_paid;
    if (amount_krw)
        *amount_krw = e->voided ? 0 : w.target_amount;
    if (voided)
        *voided = e->voided;
    return NJ_OK;
}

static void write_totals(const nj_totals *t, int64_t *worked, int64_t *paid,
                         int64_t *over_cap, int64_t *amount)
{
    if (worked)
        *worked = t->worked;
    if (paid)
        *paid = t->paid;
    if (over_cap)
        *over_cap = t->over_cap;
    if (amount)
        *amount = t->amount;
}

nj_status nj_stipend_statement(const nj_registry *reg, int64_t participant_id,
                               int32_t date, int64_t *worked_minutes,
                               int64_t *paid_minutes, int64_t *over_cap_minutes,
                               int64_t *remaining_minutes, int64_t *amount_krw)
{
    if (!reg || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    const nj_participant *p =
        (const nj_participant *)nj_table_find(&reg->participants, participant_id);
    if (!p)
        return NJ_E_NOT_FOUND;
    nj_totals t;
    if (walk_person(reg, p, nj_ledger_period_of(&reg->ledger, date), &t, NULL) != NJ_OK)
        return NJ_E_RANGE;
    write_totals(&t, worked_minutes, paid_minutes, over_cap_minutes, amount_krw);
    if (remaining_minutes)
        *remaining_minutes = reg->ledger.cap_minutes - t.paid;
    return NJ_OK;
}

nj_status nj_stipend_posting_totals(const nj_registry *reg, int64_t posting_id,
                                    int32_t date, int64_t *worked_minutes,
                                    int64_t *paid_minutes,
                                    int64_t *over_cap_minutes,
                                    int64_t *amount_krw)
{
    if (!reg || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    const nj_posting *posting =
        (const nj_posting *)nj_table_find(&reg->postings, posting_id);
    if (!posting)
        return NJ_E_NOT_FOUND;
    int32_t period = nj_ledger_period_of(&reg->ledger, date);
    nj_totals sum = {0, 0, 0, 0}, person;
    /* One application per person and posting: each person walked once. */
    for (size_t i = 0; i < posting->applications.count; i++) {
        walk w = {.posting = posting};
        const nj_participant *p = posting->applications.items[i]->participant;
        if (walk_person(reg, p, period, &person, &w) != NJ_OK ||
            !add_totals(&sum, w.posting_totals.worked, w.posting_totals.paid,
                        w.posting_totals.over_cap, w.posting_totals.amount))
            return NJ_E_RANGE;
    }
    write_totals(&sum, worked_minutes, paid_minutes, over_cap_minutes, amount_krw);
    return NJ_OK;
}

nj_status nj_stipend_programme_totals(const nj_registry *reg, int32_t date,
                                      int64_t *worked_minutes,
                                      int64_t *paid_minutes,
                                      int64_t *over_cap_minutes,
                                      int64_t *amount_krw, int *over_budget)
{
    if (!reg || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    nj_period_totals *slot = period_totals((nj_ledger *)&reg->ledger,
                                           nj_ledger_period_of(&reg->ledger, date));
    nj_totals t = slot ? slot->totals : (nj_totals){0, 0, 0, 0};
    write_totals(&t, worked_minutes, paid_minutes, over_cap_minutes, amount_krw);
    if (over_budget)
        *over_budget = reg->ledger.budget_krw > 0 && t.amount > reg->ledger.budget_krw;
    return NJ_OK;
}
