/* CSV schemas of the programme: postings, applications and work entries.
 * docs/csv.md documents every column. */
#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- postings ------------------------------------------------------------ */

enum {
    Q_ID, Q_FACILITY, Q_TITLE, Q_SLOTS, Q_TYPE, Q_MINUTES, Q_STIPEND,
    Q_WORK_START, Q_WORK_END, Q_APPLY_OPEN, Q_APPLY_CLOSE, Q_MIN_AGE, Q_MAX_AGE,
    Q_RESIDENCY, Q_FOREIGN, Q_RADIUS, Q_EARLY_CLOSE, Q_STATUS, Q_COLUMNS
};

const nj_io_word nj_io_programme_words[] = {
    {"all", NJ_PROGRAMME_ALL},
    {"direct_jobs", NJ_PROGRAMME_DIRECT_JOBS},
    {"vocational_training", NJ_PROGRAMME_VOCATIONAL_TRAINING},
    {"employment_services", NJ_PROGRAMME_EMPLOYMENT_SERVICES},
    {"employment_subsidies", NJ_PROGRAMME_EMPLOYMENT_SUBSIDIES},
    {"startup_support", NJ_PROGRAMME_STARTUP_SUPPORT},
    {"unemployment_income_support", NJ_PROGRAMME_UNEMPLOYMENT_INCOME_SUPPORT},
    {"job_infrastructure", NJ_PROGRAMME_JOB_INFRASTRUCTURE},
    {"other", NJ_PROGRAMME_OTHER},
    {"직접일자리", NJ_PROGRAMME_DIRECT_JOBS},
    {"직업능력개발훈련", NJ_PROGRAMME_VOCATIONAL_TRAINING},
    {"직업훈련", NJ_PROGRAMME_VOCATIONAL_TRAINING},
    {"고용서비스", NJ_PROGRAMME_EMPLOYMENT_SERVICES},
    {"고용장려금", NJ_PROGRAMME_EMPLOYMENT_SUBSIDIES},
    {"창업지원", NJ_PROGRAMME_STARTUP_SUPPORT},
    {"실업소득유지지원", NJ_PROGRAMME_UNEMPLOYMENT_INCOME_SUPPORT},
    {"실업소득 유지·지원", NJ_PROGRAMME_UNEMPLOYMENT_INCOME_SUPPORT},
    {"일자리인프라", NJ_PROGRAMME_JOB_INFRASTRUCTURE},
    {"일자리 인프라", NJ_PROGRAMME_JOB_INFRASTRUCTURE},
    {"기타", NJ_PROGRAMME_OTHER},
    {"전체", NJ_PROGRAMME_ALL},
    {NULL, 0}};

static const nj_io_word posting_status_words[] = {
    {"open", NJ_POSTING_OPEN}, {"closed", NJ_POSTING_CLOSED},
    {"모집중", NJ_POSTING_OPEN}, {"마감", NJ_POSTING_CLOSED}, {NULL, 0}};

static const nj_io_column posting_columns[Q_COLUMNS] = {
    [Q_ID] = {"id", "posting_id|공고번호", NJ_IO_ID, NJ_IO_REQUIRED, NULL, 0},
    [Q_FACILITY] = {"facility_id", "facility|시설번호", NJ_IO_REF, NJ_IO_REQUIRED, NULL, 0},
    [Q_TITLE] = {"title", "공고명|제목|사업명", NJ_IO_TEXT, NJ_IO_REQUIRED, NULL, 0},
    [Q_SLOTS] = {"slots", "모집인원|인원", NJ_IO_INT, NJ_IO_REQUIRED, NULL, 0},
    [Q_TYPE] = {"programme_type", "program_type|사업유형", NJ_IO_ENUM, 0,
                nj_io_programme_words, NJ_PROGRAMME_CUSTOM_BASE},
    [Q_MINUTES] = {"minutes_per_person", "1인당근무시간(분)", NJ_IO_INT, 0, NULL, 0},
    [Q_STIPEND] = {"hourly_stipend_krw", "hourly_stipend|시급", NJ_IO_MONEY, 0, NULL, 0},
    [Q_WORK_START] = {"work_start", "근무시작일", NJ_IO_DATE, 0, NULL, 0},
    [Q_WORK_END] = {"work_end", "근무종료일", NJ_IO_DATE, 0, NULL, 0},
    [Q_APPLY_OPEN] = {"apply_open", "접수시작일", NJ_IO_DATE, 0, NULL, 0},
    [Q_APPLY_CLOSE] = {"apply_close", "접수마감일", NJ_IO_DATE, 0, NULL, 0},
    [Q_MIN_AGE] = {"min_age", "최소연령", NJ_IO_INT, 0, NULL, 0},
    [Q_MAX_AGE] = {"max_age", "최대연령", NJ_IO_INT, 0, NULL, 0},
    [Q_RESIDENCY] = {"residency_region_id", "거주지역코드", NJ_IO_REF, 0, NULL, 0},
    [Q_FOREIGN] = {"foreign_allowed", "외국인허용", NJ_IO_ENUM, 0, nj_io_flag_words, 0},
    [Q_RADIUS] = {"radius_m", "반경", NJ_IO_REAL, 0, NULL, 0},
    [Q_EARLY_CLOSE] = {"early_close_ratio", "조기마감배수", NJ_IO_REAL, 0, NULL, 0},
    [Q_STATUS] = {"status", "상태", NJ_IO_ENUM, 0, posting_status_words, 0},
};

static nj_status posting_check(nj_io_import *im, const nj_io_value *row)
{
    nj_status st = nj_io_check_unique(im, Q_ID, row[Q_ID].i);
    if (st == NJ_OK && nj_table_find(&im->reg->postings, row[Q_ID].i))
        return nj_io_fail(im, NJ_E_EXISTS, Q_ID, "posting %lld already exists in the registry",
                          (long long)row[Q_ID].i);
    return st;
}

/* The value of a date or age column, or the posting's current one. */
static int32_t or_current(const nj_io_value *v, int32_t current)
{
    return v->present ? (int32_t)v->i : current;
}

/* Whether a setter should run: no failure yet and a column of it given.
 * Names the first given column for the message. */
static int wanted(nj_io_import *im, nj_status st, const nj_io_value *row,
                  size_t column, size_t other)
{
    if (st != NJ_OK || (!row[column].present && !row[other].present))
        return 0;
    im->fail_column = row[column].present ? column : other;
    return 1;
}

/* The setters of the optional columns; a pair (dates, ages) is set at once,
 * the missing half keeping its current value. */
static nj_status set_fields(nj_io_import *im, nj_posting *q, const nj_io_value *row)
{
    nj_registry *reg = im->reg;
    nj_status st = NJ_OK;
    if (wanted(im, st, row, Q_TYPE, Q_TYPE))
        st = nj_posting_set_programme_type(reg, q, (int32_t)row[Q_TYPE].i);
    if (wanted(im, st, row, Q_MINUTES, Q_MINUTES))
        st = nj_posting_set_minutes_per_person(reg, q, (int32_t)row[Q_MINUTES].i);
    if (wanted(im, st, row, Q_STIPEND, Q_STIPEND))
        st = nj_posting_set_hourly_stipend_krw(reg, q, row[Q_STIPEND].i);
    if (wanted(im, st, row, Q_WORK_START, Q_WORK_END))
        st = nj_posting_set_work_period(reg, q, or_current(&row[Q_WORK_START], q->work_start),
                                        or_current(&row[Q_WORK_END], q->work_end));
    if (wanted(im, st, row, Q_APPLY_OPEN, Q_APPLY_CLOSE))
        st = nj_posting_set_application_window(
            reg, q, or_current(&row[Q_APPLY_OPEN], q->apply_open),
            or_current(&row[Q_APPLY_CLOSE], q->apply_close));
    if (wanted(im, st, row, Q_MIN_AGE, Q_MAX_AGE))
        st = nj_posting_set_age_range(reg, q, or_current(&row[Q_MIN_AGE], q->min_age),
                                      or_current(&row[Q_MAX_AGE], q->max_age));
    if (wanted(im, st, row, Q_RESIDENCY, Q_RESIDENCY))
        st = nj_posting_set_residency_region(reg, q, row[Q_RESIDENCY].i);
    if (wanted(im, st, row, Q_FOREIGN, Q_FOREIGN))
        st = nj_posting_set_foreign_allowed(reg, q, (int)row[Q_FOREIGN].i);
    if (wanted(im, st, row, Q_RADIUS, Q_RADIUS))
        st = nj_posting_set_radius_m(reg, q, row[Q_RADIUS].d);
    if (wanted(im, st, row, Q_EARLY_CLOSE, Q_EARLY_CLOSE))
        st = nj_posting_set_early_close_ratio(reg, q, row[Q_EARLY_CLOSE].d);
    if (wanted(im, st, row, Q_STATUS, Q_STATUS))
        st = nj_posting_set_status(reg, q, (int32_t)row[Q_STATUS].i);
    return st;
}

static nj_status posting_apply(nj_io_import *im, const nj_io_value *row,
                               nj_io_undo *undo)
{
    nj_posting *q;
    nj_status st = nj_posting_add(im->reg, row[Q_ID].i, row[Q_FACILITY].i,
                                  row[Q_TITLE].s, (int32_t)row[Q_SLOTS].i, &q);
    if (st != NJ_OK) {
        im->fail_column = st == NJ_E_NOT_FOUND ? Q_FACILITY : Q_SLOTS;
        return st;
    }
    undo->id = row[Q_ID].i;
    if ((st = set_fields(im, q, row)) != NJ_OK) {
        char reason[NJ_ERRMSG_SIZE];
        memcpy(reason, im->reg->errmsg, sizeof reason);
        nj_posting_remove(im->reg, undo->id);
        memcpy(im->reg->errmsg, reason, sizeof reason);
    }
    return st;
}

static void posting_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_posting_remove(reg, undo->id);
}

static nj_status posting_order(const nj_registry *reg, void ***items, size_t *count)
{
    return nj_io_collect(reg, &reg->postings, items, count);
}

static nj_status posting_fill(const nj_registry *reg, const void *item,
                              nj_io_value *row, nj_shape *shape)
{
    (void)reg;
    (void)shape;
    const nj_posting *q = item;
    nj_io_set_int(&row[Q_ID], q->head.id);
    nj_io_set_ref(&row[Q_FACILITY], q->facility->head.id);
    nj_io_set_text(&row[Q_TITLE], q->title);
    nj_io_set_int(&row[Q_SLOTS], q->slots);
    nj_io_set_int(&row[Q_TYPE], q->programme_type);
    nj_io_set_int(&row[Q_MINUTES], q->minutes_per_person);
    nj_io_set_int(&row[Q_STIPEND], q->hourly_stipend_krw);
    nj_io_set_ref(&row[Q_WORK_START], q->work_start);
    nj_io_set_ref(&row[Q_WORK_END], q->work_end);
    nj_io_set_ref(&row[Q_APPLY_OPEN], q->apply_open);
    nj_io_set_ref(&row[Q_APPLY_CLOSE], q->apply_close);
    nj_io_set_int(&row[Q_MIN_AGE], q->min_age);
    nj_io_set_int(&row[Q_MAX_AGE], q->max_age);
    nj_io_set_ref(&row[Q_RESIDENCY], q->residency_region ? q->residency_region->head.id : 0);
    nj_io_set_int(&row[Q_FOREIGN], q->foreign_allowed);
    nj_io_set_real(&row[Q_RADIUS], q->radius_m);
    nj_io_set_real(&row[Q_EARLY_CLOSE], q->early_close_ratio);
    nj_io_set_int(&row[Q_STATUS], q->status);
    return NJ_OK;
}

const nj_io_schema nj_io_postings = {
    "posting", posting_columns, Q_COLUMNS, NULL, posting_check, NULL,
    posting_apply, NULL, posting_undo, posting_order, posting_fill};

/* ---- applications -------------------------------------------------------- */

enum { A_PARTICIPANT, A_POSTING, A_DATE, A_STATUS, A_RANK, A_COLUMNS };

static const nj_io_word application_status_words[] = {
    {"applied", NJ_APPLICATION_APPLIED},
    {"withdrawn", NJ_APPLICATION_WITHDRAWN},
    {"selected", NJ_APPLICATION_SELECTED},
    {"waitlisted", NJ_APPLICATION_WAITLISTED},
    {"신청", NJ_APPLICATION_APPLIED},
    {"취소", NJ_APPLICATION_WITHDRAWN},
    {"철회", NJ_APPLICATION_WITHDRAWN},
    {"선정", NJ_APPLICATION_SELECTED},
    {"대기", NJ_APPLICATION_WAITLISTED},
    {NULL, 0}};

static const nj_io_column application_columns[A_COLUMNS] = {
    [A_PARTICIPANT] = {"participant_id", "participant|참여자번호", NJ_IO_REF,
                       NJ_IO_REQUIRED, NULL, 0},
    [A_POSTING] = {"posting_id", "posting|공고번호", NJ_IO_REF, NJ_IO_REQUIRED, NULL, 0},
    [A_DATE] = {"date", "applied_on|신청일", NJ_IO_DATE, NJ_IO_REQUIRED, NULL, 0},
    [A_STATUS] = {"status", "상태", NJ_IO_ENUM, 0, application_status_words, 0},
    [A_RANK] = {"rank", NULL, NJ_IO_INT, NJ_IO_EXPORT_ONLY, NULL, 0},
};

static nj_status application_check(nj_io_import *im, const nj_io_value *row)
{
    int32_t status = row[A_STATUS].present ? (int32_t)row[A_STATUS].i
                                           : NJ_APPLICATION_APPLIED;
    if (status != NJ_APPLICATION_APPLIED && status != NJ_APPLICATION_WITHDRAWN)
        return nj_io_fail(im, NJ_E_INVALID, A_STATUS,
                          "only applied and withdrawn applications can be imported; "
                          "selection is made by nj_posting_select() or restored from a snapshot");
    const nj_participant *p = nj_participant_get(im->reg, row[A_PARTICIPANT].i);
    const nj_posting *q = nj_posting_get(im->reg, row[A_POSTING].i);
    if (p && q && nj_application_find(p, q))
        return nj_io_fail(im, NJ_E_EXISTS, A_PARTICIPANT,
                          "participant %lld has already applied to posting %lld "
                          "(in the registry)", (long long)row[A_PARTICIPANT].i,
                          (long long)row[A_POSTING].i);
    return nj_io_remember_key(im, row[A_PARTICIPANT].i, row[A_POSTING].i, A_PARTICIPANT);
}

static nj_status application_finish(nj_io_import *im)
{
    const nj_io_key *first, *second = nj_io_duplicate_key(im, &first);
    if (!second)
        return NJ_OK;
    return nj_fail(im->reg, NJ_E_EXISTS,
                   "line %zu, column %zu (participant_id): participant %lld applies "
                   "to posting %lld twice, on lines %zu and %zu",
                   second->pos.line, second->pos.column, (long long)second->a,
                   (long long)second->b, first->pos.line, second->pos.line);
}

static nj_status application_apply(nj_io_import *im, const nj_io_value *row,
                                   nj_io_undo *undo)
{
    nj_registry *reg = im->reg;
    nj_participant *p = nj_participant_get(reg, row[A_PARTICIPANT].i);
    nj_posting *q = nj_posting_get(reg, row[A_POSTING].i);
    int32_t status_before = q ? q->status : 0;
    nj_status st = nj_application_submit(reg, row[A_PARTICIPANT].i, row[A_POSTING].i,
                                         (int32_t)row[A_DATE].i);
    if (st != NJ_OK) {
        /* Closed: the date or the posting; not found: whichever is missing;
         * ineligible: the participant. */
        im->fail_column = st == NJ_E_CLOSED ? A_DATE
                          : p && st == NJ_E_NOT_FOUND ? A_POSTING
                                                      : A_PARTICIPANT;
        return st;
    }
    undo->object = p->applications.items[p->applications.count - 1];
    undo->saved = status_before;
    /* Withdrawing an application that is not selected cannot fail. */
    if (row[A_STATUS].i == NJ_APPLICATION_WITHDRAWN)
        nj_application_withdraw(reg, row[A_PARTICIPANT].i, row[A_POSTING].i);
    return NJ_OK;
}

static void application_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_application *app = undo->object;
    nj_application_unapply_last(reg, app->participant, app->posting, undo->saved);
}

/* A heap of applications ready to be written, least (date, posting,
 * participant) on top. */
typedef struct ready_heap {
    nj_application **items;
    size_t count;
} ready_heap;

static int application_before(const nj_application *a, const nj_application *b)
{
    if (a->date != b->date)
        return a->date < b->date;
    if (a->posting->head.id != b->posting->head.id)
        return a->posting->head.id < b->posting->head.id;
    return a->participant->head.id < b->participant->head.id;
}

static void heap_push(ready_heap *h, nj_application *app)
{
    size_t i = h->count++;
    while (i > 0 && application_before(app, h->items[(i - 1) / 2])) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = app;
}

static nj_application *heap_pop(ready_heap *h)
{
    nj_application *top = h->items[0], *last = h->items[--h->count];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->count)
            break;
        if (child + 1 < h->count && application_before(h->items[child + 1], h->items[child]))
            child++;
        if (!application_before(h->items[child], last))
            break;
        h->items[i] = h->items[child];
        i = child;
    }
    if (h->count > 0)
        h->items[i] = last;
    return top;
}

/* Cursors: how many of each posting's and participant's applications have
 * been written. An application is ready when it is next in both lists. */
typedef struct cursors {
    size_t *posting, *participant;
} cursors;

static int is_ready(const cursors *c, const nj_application *app)
{
    const nj_posting *q = app->posting;
    const nj_participant *p = app->participant;
    size_t qi = c->posting[q->head.position], pi = c->participant[p->head.position];
    return qi < q->applications.count && q->applications.items[qi] == app &&
           pi < p->applications.count && p->applications.items[pi] == app;
}

/* Kahn's topological order of the two orders of application, ties by
 * (date, posting, participant): importing it rebuilds both orders. */
static void order_applications(const nj_registry *reg, cursors *c, ready_heap *h,
                               nj_application **out)
{
    size_t n = 0;
    for (size_t i = 0; i < reg->postings.count; i++) {
        const nj_posting *q = (const nj_posting *)reg->postings.items[i];
        if (q->applications.count > 0 && is_ready(c, q->applications.items[0]))
            heap_push(h, q->applications.items[0]);
    }
    while (h->count > 0) {
        nj_application *app = heap_pop(h);
        out[n++] = app;
        size_t qi = ++c->posting[app->posting->head.position];
        size_t pi = ++c->participant[app->participant->head.position];
        if (qi < app->posting->applications.count &&
            is_ready(c, app->posting->applications.items[qi]))
            heap_push(h, app->posting->applications.items[qi]);
        if (pi < app->participant->applications.count &&
            is_ready(c, app->participant->applications.items[pi]))
            heap_push(h, app->participant->applications.items[pi]);
    }
}

static nj_status application_order(const nj_registry *reg, void ***items,
                                   size_t *count)
{
    const nj_alloc *a = &reg->alloc;
    size_t n = 0;
    for (size_t i = 0; i < reg->postings.count; i++)
        n += ((const nj_posting *)reg->postings.items[i])->applications.count;
    nj_application **out = nj_alloc_array(a, n ? n : 1, sizeof *out);
    ready_heap heap = {nj_alloc_array(a, n ? n : 1, sizeof *heap.items), 0};
    cursors c = {nj_alloc_array(a, reg->postings.count + 1, sizeof(size_t)),
                 nj_alloc_array(a, reg->participants.count + 1, sizeof(size_t))};
    nj_status st = out && heap.items && c.posting && c.participant ? NJ_OK : NJ_E_NOMEM;
    if (st == NJ_OK) {
        memset(c.posting, 0, reg->postings.count * sizeof(size_t));
        memset(c.participant, 0, reg->participants.count * sizeof(size_t));
        order_applications(reg, &c, &heap, out);
        *items = (void **)out;
        *count = n;
    } else {
        nj_alloc_free(a, out);
    }
    nj_alloc_free(a, heap.items);
    nj_alloc_free(a, c.posting);
    nj_alloc_free(a, c.participant);
    return st;
}

static nj_status application_fill(const nj_registry *reg, const void *item,
                                  nj_io_value *row, nj_shape *shape)
{
    (void)reg;
    (void)shape;
    const nj_application *app = item;
    nj_io_set_ref(&row[A_PARTICIPANT], app->participant->head.id);
    nj_io_set_ref(&row[A_POSTING], app->posting->head.id);
    nj_io_set_int(&row[A_DATE], app->date);
    nj_io_set_int(&row[A_STATUS], app->status);
    nj_io_set_int(&row[A_RANK], app->rank);
    return NJ_OK;
}

const nj_io_schema nj_io_applications = {
    "application", application_columns, A_COLUMNS, NULL, application_check,
    application_finish, application_apply, NULL, application_undo, application_order,
    application_fill};

/* ---- work entries -------------------------------------------------------- */

enum { W_ID, W_PARTICIPANT, W_POSTING, W_DATE, W_MINUTES, W_VOID, W_PAID,
       W_AMOUNT, W_COLUMNS };

static const nj_io_column entry_columns[W_COLUMNS] = {
    [W_ID] = {"entry_id", "id|번호", NJ_IO_ID, NJ_IO_REQUIRED, NULL, 0},
    [W_PARTICIPANT] = {"participant_id", "participant|참여자번호", NJ_IO_REF,
                       NJ_IO_REQUIRED, NULL, 0},
    [W_POSTING] = {"posting_id", "posting|공고번호", NJ_IO_REF, NJ_IO_REQUIRED, NULL, 0},
    [W_DATE] = {"date", "work_date|근무일", NJ_IO_DATE, NJ_IO_REQUIRED, NULL, 0},
    [W_MINUTES] = {"minutes", "근무시간(분)", NJ_IO_INT, NJ_IO_REQUIRED, NULL, 0},
    [W_VOID] = {"void", "voided|무효", NJ_IO_ENUM, 0, nj_io_flag_words, 0},
    [W_PAID] = {"paid_minutes", NULL, NJ_IO_INT, NJ_IO_EXPORT_ONLY, NULL, 0},
    [W_AMOUNT] = {"amount_krw", NULL, NJ_IO_MONEY, NJ_IO_EXPORT_ONLY, NULL, 0},
};

static nj_status entry_check(nj_io_import *im, const nj_io_value *row)
{
    nj_status st = nj_io_check_unique(im, W_ID, row[W_ID].i);
    const nj_ledger *ledger = &im->reg->ledger;
    nj_id_records entries = {ledger->entries, sizeof *ledger->entries};
    if (st == NJ_OK && nj_id_map_find(&ledger->ids, entries, row[W_ID].i) != SIZE_MAX)
        return nj_io_fail(im, NJ_E_EXISTS, W_ID,
                          "entry %lld was already recorded in the registry",
                          (long long)row[W_ID].i);
    return st;
}

/* The column a failed nj_work_record() is about. */
static size_t entry_fail_column(nj_registry *reg, nj_status st, const nj_io_value *row)
{
    switch (st) {
    case NJ_E_NOT_FOUND:
        return nj_participant_get(reg, row[W_PARTICIPANT].i) ? W_POSTING : W_PARTICIPANT;
    case NJ_E_INELIGIBLE: return W_PARTICIPANT;
    case NJ_E_INVALID: return W_DATE;
    case NJ_E_RANGE: return row[W_MINUTES].i >= 1 && row[W_MINUTES].i <= 1440 ? W_DATE
                                                                              : W_MINUTES;
    default: return W_MINUTES;
    }
}

static nj_status entry_apply(nj_io_import *im, const nj_io_value *row,
                             nj_io_undo *undo)
{
    nj_status st = nj_work_record(im->reg, row[W_ID].i, row[W_PARTICIPANT].i,
                                  row[W_POSTING].i, (int32_t)row[W_DATE].i,
                                  (int32_t)row[W_MINUTES].i);
    if (st != NJ_OK) {
        im->fail_column = entry_fail_column(im->reg, st, row);
        return st;
    }
    undo->id = row[W_ID].i;
    if (row[W_VOID].i && (st = nj_work_void(im->reg, row[W_ID].i)) != NJ_OK) {
        im->fail_column = W_VOID;
        nj_ledger_unrecord_last(im->reg);
    }
    return st;
}

static void entry_undo(nj_registry *reg, const nj_io_undo *undo)
{
    (void)undo;
    nj_ledger_unrecord_last(reg);
}

static nj_status entry_order(const nj_registry *reg, void ***items, size_t *count)
{
    const nj_ledger *ledger = &reg->ledger;
    void **out = nj_alloc_array(&reg->alloc, ledger->count ? ledger->count : 1,
                                sizeof *out);
    if (!out)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < ledger->count; i++)
        out[i] = &ledger->entries[i];
    *items = out;
    *count = ledger->count;
    return NJ_OK;
}

static nj_status entry_fill(const nj_registry *reg, const void *item,
                            nj_io_value *row, nj_shape *shape)
{
    (void)shape;
    const nj_entry *e = item;
    int32_t paid;
    int64_t amount;
    if (nj_work_entry(reg, e->id, NULL, NULL, NULL, NULL, &paid, &amount, NULL) != NJ_OK)
        return NJ_E_RANGE;
    nj_io_set_int(&row[W_ID], e->id);
    nj_io_set_ref(&row[W_PARTICIPANT], e->participant->head.id);
    nj_io_set_ref(&row[W_POSTING], e->posting->head.id);
    nj_io_set_int(&row[W_DATE], e->date);
    nj_io_set_int(&row[W_MINUTES], e->minutes);
    nj_io_set_int(&row[W_VOID], e->voided);
    nj_io_set_int(&row[W_PAID], paid);
    nj_io_set_int(&row[W_AMOUNT], amount);
    return NJ_OK;
}

const nj_io_schema nj_io_work_entries = {
    "entry", entry_columns, W_COLUMNS, NULL, entry_check, NULL, entry_apply,
    NULL, entry_undo, entry_order, entry_fill};
