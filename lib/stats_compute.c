/*
 * Computing statistics from a registry (docs/statistics.md has the rules).
 *
 * Rows are found through a small open-addressing hash while the figures
 * are gathered, then sorted by key. Distinct persons per row are counted by
 * sorting (participant, posting) pairs by participant and, for each
 * participant, the rows their postings roll up to.
 */
#include "registry_internal.h"
#include "stats_internal.h"

#include <stdlib.h>
#include <string.h>

/* A region has at most three ancestors-or-self (province, district,
 * neighbourhood: levels strictly grow down the tree), each with a row of
 * the programme type and one of all programmes. */
#define CHAIN_MAX 6

typedef struct chain {
    size_t row[CHAIN_MAX];
    size_t length;
} chain;

/* A participant's placement or payment at a posting. */
typedef struct pair {
    const nj_participant *who;
    size_t posting;   /* table position */
    int32_t date;     /* the posting's date */
} pair;

typedef struct pair_list {
    pair *items;
    size_t count, cap;
} pair_list;

typedef struct builder {
    const nj_registry *reg;
    const nj_alloc *alloc;
    nj_stats *stats;
    size_t row_cap;
    size_t *slots;        /* row index + 1, or 0 */
    size_t slot_count;    /* a power of two */
    chain *posting_chain; /* by posting position; length 0: out of scope */
    pair_list placed, paid;
} builder;

/* ---- rows ------------------------------------------------------------ */

static size_t key_hash(int32_t year, int64_t region_id, int32_t type)
{
    uint64_t x = (uint64_t)region_id * UINT64_C(0x9E3779B97F4A7C15);
    x ^= ((uint64_t)(uint32_t)year << 32 | (uint32_t)type) *
         UINT64_C(0xC2B2AE3D27D4EB4F);
    return (size_t)(x ^ (x >> 29));
}

static nj_status rehash(builder *b, size_t slot_count)
{
    size_t *slots = nj_alloc_array(b->alloc, slot_count, sizeof *slots);
    if (!slots)
        return NJ_E_NOMEM;
    memset(slots, 0, slot_count * sizeof *slots);
    for (size_t r = 0; r < b->stats->row_count; r++) {
        const nj_stats_row *row = &b->stats->rows[r];
        size_t i = key_hash(row->year, row->region_id, row->programme_type);
        while (slots[i & (slot_count - 1)])
            i++;
        slots[i & (slot_count - 1)] = r + 1;
    }
    nj_alloc_free(b->alloc, b->slots);
    b->slots = slots;
    b->slot_count = slot_count;
    return NJ_OK;
}

/* The index of the row with a key, added (all zero) if new. */
static nj_status row_for(builder *b, int32_t year, int64_t region_id,
                         int32_t type, size_t *index)
{
    nj_stats *s = b->stats;
    size_t mask = b->slot_count - 1;
    size_t i = key_hash(year, region_id, type);
    for (;; i++) {
        size_t slot = b->slots[i & mask];
        if (!slot)
            break;
        const nj_stats_row *row = &s->rows[slot - 1];
        if (row->year == year && row->region_id == region_id &&
            row->programme_type == type) {
            *index = slot - 1;
            return NJ_OK;
        }
    }
    if (nj_alloc_grow(b->alloc, (void **)&s->rows, &b->row_cap,
                      s->row_count + 1, sizeof *s->rows) != NJ_OK)
        return NJ_E_NOMEM;
    nj_stats_row *row = &s->rows[s->row_count];
    memset(row, 0, sizeof *row);
    row->year = year;
    row->region_id = region_id;
    row->programme_type = type;
    b->slots[i & mask] = ++s->row_count;
    *index = s->row_count - 1;
    if (s->row_count * 2 > b->slot_count)
        return rehash(b, b->slot_count * 2);
    return NJ_OK;
}

/* The rows of a key and of every ancestor of its region (region 0 when
 * none), for its programme type and for all programmes. */
static nj_status chain_for(builder *b, int32_t year, const nj_region *region,
                           int32_t type, chain *out)
{
    out->length = 0;
    do {
        int64_t region_id = region ? region->head.id : 0;
        nj_status st = row_for(b, year, region_id, NJ_PROGRAMME_ALL,
                               &out->row[out->length++]);
        if (st == NJ_OK && type != NJ_PROGRAMME_ALL)
            st = row_for(b, year, region_id, type, &out->row[out->length++]);
        if (st != NJ_OK)
            return st;
        region = region ? region->parent : NULL;
    } while (region && out->length + 2 <= CHAIN_MAX);
    return NJ_OK;
}

static nj_status add_to_chain(builder *b, const chain *c, int field,
                              int64_t amount)
{
    for (size_t i = 0; i < c->length; i++) {
        int64_t *f = &b->stats->rows[c->row[i]].field[field];
        if (!nj_add_checked(*f, amount, f))
            return NJ_E_RANGE;
    }
    return NJ_OK;
}

/* ---- postings and placements ------------------------------------------ */

/* The day a posting counts on: the start of its work, or its selection
 * when it has no work period; 0 when it has neither. */
static int32_t posting_date(const nj_posting *p)
{
    return p->work_start ? p->work_start : p->selection_date;
}

static int in_range(const builder *b, int32_t date)
{
    return date >= b->stats->from_date && date <= b->stats->to_date;
}

static nj_status add_pair(builder *b, pair_list *list, const nj_participant *who,
                          size_t posting, int32_t date)
{
    if (nj_alloc_grow(b->alloc, (void **)&list->items, &list->cap,
                      list->count + 1, sizeof *list->items) != NJ_OK)
        return NJ_E_NOMEM;
    list->items[list->count++] = (pair){who, posting, date};
    return NJ_OK;
}

static int age_decade(int32_t age)
{
    return age >= 90 ? 9 : age / 10;
}

static int age_band_field(int32_t age)
{
    if (age >= 19 && age <= 34)
        return NJ_F_AGE_YOUTH;
    if (age >= 50 && age <= 64)
        return NJ_F_AGE_MIDDLE;
    if (age >= 65)
        return NJ_F_AGE_SENIOR;
    return NJ_F_AGE_OTHER;
}

static nj_status add_placement(builder *b, const chain *c, const nj_posting *p,
                               const nj_participant *who, int32_t date)
{
    int32_t age = 0;
    if (nj_participant_age_on(who, date, &age) != NJ_OK)
        age = 0; /* born after the posting's date: counted as 0 */
    int fields[] = {NJ_F_PLACEMENTS, NJ_F_AGE_DECADE + age_decade(age),
                    age_band_field(age),
                    NJ_F_FACILITY_KIND + p->facility->kind - 1,
                    who->is_foreign ? NJ_F_FOREIGN : -1};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (fields[i] < 0)
            continue;
        nj_status st = add_to_chain(b, c, fields[i], 1);
        if (st != NJ_OK)
            return st;
    }
    return add_pair(b, &b->placed, who, p->head.position, date);
}

static nj_status add_posting(builder *b, const nj_posting *p)
{
    int32_t date = posting_date(p);
    if (!date || !in_range(b, date))
        return NJ_OK;
    chain *c = &b->posting_chain[p->head.position];
    nj_status st = chain_for(b, date / 10000, p->facility->region,
                             p->programme_type, c);
    if (st == NJ_OK)
        st = add_to_chain(b, c, NJ_F_POSTINGS, 1);
    if (st == NJ_OK)
        st = add_to_chain(b, c, NJ_F_SLOTS, p->slots);
    if (st == NJ_OK)
        st = add_to_chain(b, c, NJ_F_APPLICANTS, (int64_t)p->applications.count);
    for (size_t i = 0; st == NJ_OK && i < p->applications.count; i++) {
        const nj_application *a = p->applications.items[i];
        if (a->status == NJ_APPLICATION_SELECTED)
            st = add_placement(b, c, p, a->participant, date);
    }
    return st;
}

/* ---- ledger ---------------------------------------------------------- */

static nj_status add_entry(builder *b, int64_t entry_id)
{
    int64_t participant_id, posting_id, amount;
    int32_t date, minutes, paid;
    int voided;
    nj_status st = nj_work_entry(b->reg, entry_id, &participant_id, &posting_id,
                                 &date, &minutes, &paid, &amount, &voided);
    if (st != NJ_OK || voided)
        return st;
    const nj_posting *p = nj_posting_get(b->reg, posting_id);
    const chain *c = &b->posting_chain[p->head.position];
    if (c->length == 0)
        return NJ_OK;
    if ((st = add_to_chain(b, c, NJ_F_WORKED_MINUTES, minutes)) != NJ_OK ||
        (st = add_to_chain(b, c, NJ_F_PAID_MINUTES, paid)) != NJ_OK ||
        (st = add_to_chain(b, c, NJ_F_OVER_CAP_MINUTES, minutes - paid)) != NJ_OK ||
        (st = add_to_chain(b, c, NJ_F_AMOUNT_KRW, amount)) != NJ_OK)
        return st;
    if (amount == 0)
        return NJ_OK;
    return add_pair(b, &b->paid, nj_participant_get(b->reg, participant_id),
                    p->head.position, date);
}

static nj_status add_ledger(builder *b)
{
    size_t n = nj_work_entry_count(b->reg);
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        nj_status st = nj_work_entry_id_at(b->reg, i, &id);
        if (st == NJ_OK)
            st = add_entry(b, id);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

/* ---- distinct persons ------------------------------------------------ */

typedef struct person_row {
    size_t row;
    int32_t date;
} person_row;

static int compare_pairs(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const pair *)a)->who;
    uintptr_t y = (uintptr_t)((const pair *)b)->who;
    return (x > y) - (x < y);
}

static int compare_person_rows(const void *a, const void *b)
{
    const person_row *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->date > y->date) - (x->date < y->date);
}

/* Adds one person's figures to each distinct row of `rows` (sorted, with
 * the earliest date first): the person, and for placements the follow-ons
 * recorded on or after their first placement date in that row. */
static void count_person(builder *b, const nj_participant *who,
                         const person_row *rows, size_t n, int placements)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && rows[i].row == rows[i - 1].row)
            continue;
        int64_t *f = b->stats->rows[rows[i].row].field;
        if (!placements) {
            f[NJ_F_PAID_PERSONS]++;
            continue;
        }
        int32_t applied = who->follow_on[NJ_FOLLOW_ON_APPLIED - 1];
        int32_t hired = who->follow_on[NJ_FOLLOW_ON_HIRED - 1];
        f[NJ_F_PERSONS]++;
        if (hired && hired >= rows[i].date)
            f[NJ_F_FOLLOW_ON_HIRED]++;
        if ((applied && applied >= rows[i].date) ||
            (hired && hired >= rows[i].date))
            f[NJ_F_FOLLOW_ON_APPLIED]++;
    }
}

static nj_status count_persons(builder *b, pair_list *list, int placements)
{
    if (list->count == 0)
        return NJ_OK;
    qsort(list->items, list->count, sizeof *list->items, compare_pairs);
    person_row *rows = NULL;
    size_t cap = 0;
    for (size_t start = 0, end; start < list->count; start = end) {
        const nj_participant *who = list->items[start].who;
        size_t n = 0;
        for (end = start; end < list->count && list->items[end].who == who; end++) {
            const pair *pr = &list->items[end];
            const chain *c = &b->posting_chain[pr->posting];
            if (nj_alloc_grow(b->alloc, (void **)&rows, &cap, n + c->length,
                              sizeof *rows) != NJ_OK) {
                nj_alloc_free(b->alloc, rows);
                return NJ_E_NOMEM;
            }
            for (size_t k = 0; k < c->length; k++)
                rows[n++] = (person_row){c->row[k], pr->date};
        }
        qsort(rows, n, sizeof *rows, compare_person_rows);
        count_person(b, who, rows, n, placements);
    }
    nj_alloc_free(b->alloc, rows);
    return NJ_OK;
}

/* ---- targets, recorded actuals, regions -------------------------------- */

static int year_touches_range(const builder *b, int32_t year)
{
    return year * 10000 + 1231 >= b->stats->from_date &&
           year * 10000 + 101 <= b->stats->to_date;
}

static nj_status add_targets_and_actuals(builder *b)
{
    const nj_registry *reg = b->reg;
    for (size_t i = 0; i < reg->target_count; i++) {
        const nj_target *t = &reg->targets[i];
        if (!year_touches_range(b, t->year))
            continue;
        size_t r;
        nj_status st = row_for(b, t->year, t->region->head.id,
                               t->programme_type, &r);
        if (st != NJ_OK)
            return st;
        b->stats->rows[r].field[NJ_F_HAS_TARGET] = 1;
        b->stats->rows[r].field[NJ_F_TARGET] = t->count;
    }
    for (size_t i = 0; i < reg->actual_count; i++) {
        const nj_actual *a = &reg->actuals[i];
        if (!in_range(b, a->date))
            continue;
        chain c;
        nj_status st = chain_for(b, a->date / 10000, a->region,
                                 a->programme_type, &c);
        if (st == NJ_OK)
            st = add_to_chain(b, &c, NJ_F_RECORDED_JOBS, a->jobs);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

static int compare_rows(const void *a, const void *b)
{
    return nj_stats_row_compare(a, b);
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Copies id, level, parent and name of every region the rows name. */
static nj_status collect_regions(builder *b)
{
    nj_stats *s = b->stats;
    int64_t *ids = nj_alloc_array(b->alloc, s->row_count + 1, sizeof *ids);
    if (!ids)
        return NJ_E_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->row_count; i++)
        if (s->rows[i].region_id != 0)
            ids[n++] = s->rows[i].region_id;
    qsort(ids, n, sizeof *ids, compare_ids);
    s->regions = nj_alloc_array(b->alloc, n + 1, sizeof *s->regions);
    nj_status st = s->regions ? NJ_OK : NJ_E_NOMEM;
    for (size_t i = 0; st == NJ_OK && i < n; i++) {
        if (i > 0 && ids[i] == ids[i - 1])
            continue;
        const nj_region *r = nj_region_get(b->reg, ids[i]);
        nj_stats_region *out = &s->regions[s->region_count];
        out->id = ids[i];
        out->level = r->level;
        out->parent_id = r->parent ? r->parent->head.id : 0;
        out->name = nj_alloc_strdup(b->alloc, r->name, strlen(r->name));
        if (out->name)
            s->region_count++;
        else
            st = NJ_E_NOMEM;
    }
    nj_alloc_free(b->alloc, ids);
    return st;
}

/* ---- driver ---------------------------------------------------------- */

static nj_status build(builder *b)
{
    const nj_registry *reg = b->reg;
    size_t postings = reg->postings.count;
    b->posting_chain = nj_alloc_array(b->alloc, postings + 1,
                                      sizeof *b->posting_chain);
    if (!b->posting_chain || rehash(b, 64) != NJ_OK)
        return NJ_E_NOMEM;
    memset(b->posting_chain, 0, (postings + 1) * sizeof *b->posting_chain);
    nj_status st = NJ_OK;
    for (size_t i = 0; st == NJ_OK && i < postings; i++)
        st = add_posting(b, (const nj_posting *)reg->postings.items[i]);
    if (st == NJ_OK)
        st = add_ledger(b);
    if (st == NJ_OK)
        st = count_persons(b, &b->placed, 1);
    if (st == NJ_OK)
        st = count_persons(b, &b->paid, 0);
    if (st == NJ_OK)
        st = add_targets_and_actuals(b);
    if (st != NJ_OK)
        return st;
    if (b->stats->row_count > 0)
        qsort(b->stats->rows, b->stats->row_count, sizeof *b->stats->rows,
              compare_rows);
    return collect_regions(b);
}

nj_status nj_stats_compute(const nj_registry *reg, int32_t from_date,
                           int32_t to_date, nj_stats **out)
{
    if (!out)
        return NJ_E_INVALID;
    *out = NULL;
    if (!reg || !nj_date_is_valid(from_date) || !nj_date_is_valid(to_date) ||
        from_date > to_date)
        return NJ_E_INVALID;
    builder b = {.reg = reg, .alloc = &reg->alloc};
    b.stats = nj_stats_new(&reg->alloc, from_date, to_date);
    if (!b.stats)
        return NJ_E_NOMEM;
    nj_status st = build(&b);
    nj_alloc_free(b.alloc, b.slots);
    nj_alloc_free(b.alloc, b.posting_chain);
    nj_alloc_free(b.alloc, b.placed.items);
    nj_alloc_free(b.alloc, b.paid.items);
    if (st != NJ_OK) {
        nj_stats_destroy(b.stats);
        return st;
    }
    *out = b.stats;
    return NJ_OK;
}
