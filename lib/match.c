#include "eligibility_internal.h"
#include "spatial_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64
/* Postings a worker takes at a time in a batch: small enough to balance
 * clustered data between threads, large enough to amortise the counter. */
#define BATCH_CHUNK 64

struct nj_matches {
    nj_alloc alloc;     /* a copy: the handle may outlive its registry */
    nj_hit *rows;
    int64_t *sources;   /* per row, or NULL when every row has `source` */
    int64_t source;
    size_t count;
};

static nj_status matches_create(const nj_alloc *alloc, nj_matches **out)
{
    nj_matches *m = nj_alloc_malloc(alloc, sizeof *m);
    if (!m)
        return NJ_E_NOMEM;
    memset(m, 0, sizeof *m);
    m->alloc = *alloc;
    *out = m;
    return NJ_OK;
}

/* Moves the rows of `hits` into a new handle. */
static nj_status matches_from_hits(nj_hits *hits, int64_t source,
                                   nj_matches **out)
{
    nj_status st = matches_create(hits->alloc, out);
    if (st != NJ_OK)
        return st;
    (*out)->rows = hits->items;
    (*out)->count = hits->count;
    (*out)->source = source;
    hits->items = NULL;
    hits->count = hits->cap = 0;
    return NJ_OK;
}

void nj_matches_destroy(nj_matches *m)
{
    if (!m)
        return;
    nj_alloc alloc = m->alloc;
    nj_alloc_free(&alloc, m->rows);
    nj_alloc_free(&alloc, m->sources);
    nj_alloc_free(&alloc, m);
}

size_t nj_matches_count(const nj_matches *m)
{
    return m ? m->count : 0;
}

int64_t nj_matches_id(const nj_matches *m, size_t index)
{
    return m && index < m->count ? m->rows[index].id : 0;
}

double nj_matches_distance_m(const nj_matches *m, size_t index)
{
    return m && index < m->count ? m->rows[index].distance_m : NAN;
}

int64_t nj_matches_source_id(const nj_matches *m, size_t index)
{
    if (!m || index >= m->count)
        return 0;
    return m->sources ? m->sources[index] : m->source;
}

nj_status nj_distance(double lat1, double lon1, double lat2, double lon2,
                      double *out_m)
{
    if (!out_m)
        return NJ_E_INVALID;
    if (!nj_lat_is_valid(lat1) || !nj_lon_is_valid(lon1) ||
        !nj_lat_is_valid(lat2) || !nj_lon_is_valid(lon2))
        return NJ_E_RANGE;
    *out_m = nj_distance_m(lat1, lon1, lat2, lon2);
    return NJ_OK;
}

static nj_status hits_push(nj_hits *hits, int64_t id, double distance_m)
{
    if (hits->count == hits->cap) {
        size_t cap = hits->cap ? hits->cap * 2 : 16;
        nj_hit *items = nj_alloc_realloc_array(hits->alloc, hits->items, cap,
                                               sizeof *items);
        if (!items)
            return NJ_E_NOMEM;
        hits->items = items;
        hits->cap = cap;
    }
    hits->items[hits->count].id = id;
    hits->items[hits->count].distance_m = distance_m;
    hits->count++;
    return NJ_OK;
}

static int radius_is_valid(double radius_m)
{
    return !isnan(radius_m) && radius_m >= 0;
}

/* Replaces object keys (of the facility index's postings) by ids. */
static void keys_to_ids(nj_hits *hits)
{
    for (size_t i = 0; i < hits->count; i++)
        hits->items[i].id = ((const nj_object_head *)nj_index_object(hits->items[i].id))->id;
}

/*
 * Postings within the radius, as object keys: the facilities within it,
 * each expanded into its postings at the facility's distance.
 */
static nj_status posting_keys_within(const nj_registry *reg, double lat,
                                     double lon, double radius_m, nj_hits *out)
{
    nj_hits facilities;
    nj_hits_init(&facilities, &reg->alloc);
    nj_status st = nj_spatial_within(&reg->facility_index, lat, lon, radius_m,
                                     0, &facilities);
    out->count = 0;
    for (size_t i = 0; st == NJ_OK && i < facilities.count; i++) {
        const nj_facility *f = nj_index_object(facilities.items[i].id);
        for (const nj_posting *p = f->first_posting; p && st == NJ_OK;
             p = p->next_at_facility)
            st = hits_push(out, nj_index_key(p), facilities.items[i].distance_m);
    }
    nj_hits_free(&facilities);
    return st;
}

/* The postings within the radius as ids, nearest first (then by id). */
static nj_status postings_within(const nj_registry *reg, double lat, double lon,
                                 double radius_m, nj_hits *hits)
{
    nj_status st = posting_keys_within(reg, lat, lon, radius_m, hits);
    if (st != NJ_OK)
        return st;
    keys_to_ids(hits);
    return nj_hits_sort(hits, -1.0);
}

/* The participant index holds ids, so its answers need no mapping. */
static nj_status query_hits(const nj_registry *reg, int32_t target, double lat,
                            double lon, double radius_m, int32_t order,
                            size_t limit, nj_hits *hits)
{
    if (target != NJ_MATCH_PARTICIPANTS && target != NJ_MATCH_POSTINGS)
        return NJ_E_INVALID;
    if (order != NJ_ORDER_NONE && order != NJ_ORDER_DISTANCE)
        return NJ_E_INVALID;
    if (!nj_lat_is_valid(lat) || !nj_lon_is_valid(lon) ||
        !radius_is_valid(radius_m))
        return NJ_E_RANGE;
    nj_status st;
    if (target == NJ_MATCH_POSTINGS)
        st = postings_within(reg, lat, lon, radius_m, hits);
    else if (limit > 0)
        st = nj_spatial_nearest(&reg->participant_index, lat, lon, radius_m,
                                limit, hits);
    else
        st = nj_spatial_within(&reg->participant_index, lat, lon, radius_m,
                               order == NJ_ORDER_DISTANCE, hits);
    if (st == NJ_OK && limit > 0 && hits->count > limit)
        hits->count = limit;
    return st;
}

nj_status nj_query_radius(const nj_registry *reg, int32_t target, double lat,
                          double lon, double radius_m, int32_t order,
                          size_t limit, nj_matches **out)
{
    if (out)
        *out = NULL;
    if (!reg || !out)
        return NJ_E_INVALID;
    nj_hits hits;
    nj_hits_init(&hits, &reg->alloc);
    nj_status st = query_hits(reg, target, lat, lon, radius_m, order, limit,
                              &hits);
    if (st == NJ_OK)
        st = matches_from_hits(&hits, 0, out);
    nj_hits_free(&hits);
    return st;
}

nj_status nj_query_radius_into(const nj_registry *reg, int32_t target,
                               double lat, double lon, double radius_m,
                               int32_t order, size_t limit, int64_t *ids,
                               double *distances_m, size_t capacity,
                               size_t *count)
{
    if (!reg || !count || (capacity > 0 && (!ids || !distances_m)))
        return NJ_E_INVALID;
    nj_hits hits;
    nj_hits_init(&hits, &reg->alloc);
    nj_status st = query_hits(reg, target, lat, lon, radius_m, order, limit,
                              &hits);
    if (st == NJ_OK) {
        *count = hits.count;
        if (hits.count > capacity)
            st = NJ_E_BUFFER_TOO_SMALL;
        for (size_t i = 0; st == NJ_OK && i < hits.count; i++) {
            ids[i] = hits.items[i].id;
            distances_m[i] = hits.items[i].distance_m;
        }
    }
    nj_hits_free(&hits);
    return st;
}

static void truncate_hits(nj_hits *hits, size_t limit)
{
    if (limit > 0 && hits->count > limit)
        hits->count = limit;
}

/* Keeps the postings (object keys) the participant may take on `date`. */
static void keep_takeable(const nj_participant *p, int32_t date, nj_hits *hits)
{
    size_t kept = 0;
    for (size_t i = 0; i < hits->count; i++) {
        const nj_posting *posting = nj_index_object(hits->items[i].id);
        if (nj_posting_open_on(posting, date) == NJ_ELIGIBLE &&
            nj_participant_fits(posting, p, date) == NJ_ELIGIBLE)
            hits->items[kept++] = hits->items[i];
    }
    hits->count = kept;
}

nj_status nj_match_for_participant(const nj_registry *reg,
                                   int64_t participant_id, double radius_m,
                                   int32_t date, size_t limit,
                                   nj_matches **out)
{
    if (out)
        *out = NULL;
    if (!reg || !out || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    if (!radius_is_valid(radius_m))
        return NJ_E_RANGE;
    const nj_participant *p =
        (const nj_participant *)nj_table_find(&reg->participants,
                                              participant_id);
    if (!p)
        return NJ_E_NOT_FOUND;
    nj_hits hits;
    nj_hits_init(&hits, &reg->alloc);
    nj_status st = posting_keys_within(reg, p->lat, p->lon, radius_m, &hits);
    if (st == NJ_OK) {
        keep_takeable(p, date, &hits);
        keys_to_ids(&hits);
        st = nj_hits_sort(&hits, radius_m);
    }
    if (st == NJ_OK) {
        truncate_hits(&hits, limit);
        st = matches_from_hits(&hits, participant_id, out);
    }
    nj_hits_free(&hits);
    return st;
}

/*
 * The candidates of the last posting a worker looked up: every resident
 * within its radius of its facility, unsorted, with their tags. Postings
 * at the same facility with the same radius (a library posting several
 * jobs) share them.
 */
typedef struct candidates {
    nj_hits hits;
    const nj_facility *facility;  /* NULL: none yet */
    double radius_m;
} candidates;

static void candidates_init(candidates *c, const nj_alloc *a)
{
    nj_hits_init(&c->hits, a);
    c->facility = NULL;
    c->radius_m = -1.0;
}

static nj_status candidates_for(const nj_registry *reg, const nj_posting *posting,
                                candidates *c)
{
    nj_status st;
    if (c->facility == posting->facility && c->radius_m == posting->radius_m)
        return NJ_OK;
    c->facility = NULL;
    st = nj_spatial_within_tagged(&reg->participant_index, posting->facility->lat,
                                  posting->facility->lon, posting->radius_m, &c->hits);
    if (st == NJ_OK) {
        c->facility = posting->facility;
        c->radius_m = posting->radius_m;
    }
    return st;
}

/*
 * The eligible residents of one posting, nearest first (then by id), into
 * hits (empty when the posting does not take applications on `date`): the
 * candidates filtered on their tags, then sorted.
 */
static nj_status residents_for(const nj_registry *reg,
                               const nj_posting *posting, int32_t date,
                               uint32_t flags, candidates *c, nj_hits *hits)
{
    nj_resident_filter f;
    nj_status st;
    hits->count = 0;
    if (nj_posting_open_on(posting, date) != NJ_ELIGIBLE)
        return NJ_OK;
    if ((st = candidates_for(reg, posting, c)) != NJ_OK)
        return st;
    if (hits->cap < c->hits.count) {
        nj_hit *items = nj_alloc_realloc_array(hits->alloc, hits->items,
                                               c->hits.count, sizeof *items);
        if (!items)
            return NJ_E_NOMEM;
        hits->items = items;
        hits->cap = c->hits.count;
    }
    nj_resident_filter_init(&f, reg, posting, date, (flags & NJ_MATCH_SKIP_CAPPED) != 0);
    for (size_t i = 0; i < c->hits.count; i++) {
        hits->items[hits->count] = c->hits.items[i];
        hits->count += (size_t)nj_resident_filter_keeps(&f, c->hits.items[i].id,
                                                        c->hits.tags[i]);
    }
    return nj_hits_sort(hits, posting->radius_m);
}

nj_status nj_match_for_posting(const nj_registry *reg, int64_t posting_id,
                               int32_t date, size_t limit, uint32_t flags,
                               nj_matches **out)
{
    if (out)
        *out = NULL;
    if (!reg || !out || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    if (flags & ~(uint32_t)NJ_MATCH_SKIP_CAPPED)
        return NJ_E_UNSUPPORTED;
    const nj_posting *posting =
        (const nj_posting *)nj_table_find(&reg->postings, posting_id);
    if (!posting)
        return NJ_E_NOT_FOUND;
    nj_hits hits;
    candidates c;
    nj_hits_init(&hits, &reg->alloc);
    candidates_init(&c, &reg->alloc);
    nj_status st = residents_for(reg, posting, date, flags, &c, &hits);
    if (st == NJ_OK) {
        truncate_hits(&hits, limit);
        st = matches_from_hits(&hits, posting_id, out);
    }
    nj_hits_free(&c.hits);
    nj_hits_free(&hits);
    return st;
}

/*
 * The batch: postings are cut into chunks of BATCH_CHUNK; workers take the
 * next chunk from an atomic counter, match its postings into their own
 * buffer, and append that buffer to the result in chunk order (a worker
 * that finishes early waits for its turn), so the rows are the same for
 * any thread count and are written to the result once.
 */
typedef struct chunk_rows {
    nj_hit *rows;
    int64_t *sources;
    size_t count, cap;
} chunk_rows;

typedef struct batch {
    const nj_registry *reg;
    int32_t date;
    uint32_t flags;
    size_t first, count;
    size_t chunk_count;
    atomic_size_t next_chunk;
    pthread_mutex_t lock;
    pthread_cond_t turn;
    size_t next_commit;       /* the chunk whose rows go next (lock) */
    nj_status status;         /* the first failure (lock) */
    atomic_int failed;        /* status != NJ_OK, readable without the lock */
    nj_matches *out;          /* rows so far (lock) */
    size_t out_cap;
} batch;

/* Makes room for `need` rows in a pair of row and source arrays. */
static nj_status rows_reserve(const nj_alloc *a, nj_hit **rows, int64_t **sources,
                              size_t *cap, size_t need)
{
    size_t new_cap = *cap ? *cap : 1024;
    if (need <= *cap)
        return NJ_OK;
    while (new_cap < need)
        new_cap = new_cap > SIZE_MAX / 2 ? need : new_cap * 2;
    nj_hit *r = nj_alloc_realloc_array(a, *rows, new_cap, sizeof *r);
    if (!r)
        return NJ_E_NOMEM;
    *rows = r;
    int64_t *src = nj_alloc_realloc_array(a, *sources, new_cap, sizeof *src);
    if (!src)
        return NJ_E_NOMEM;
    *sources = src;
    *cap = new_cap;
    return NJ_OK;
}

static nj_status chunk_append(const nj_alloc *a, chunk_rows *c,
                              const nj_hits *hits, int64_t source)
{
    if (hits->count == 0)
        return NJ_OK;
    if (rows_reserve(a, &c->rows, &c->sources, &c->cap, c->count + hits->count) != NJ_OK)
        return NJ_E_NOMEM;
    memcpy(c->rows + c->count, hits->items, hits->count * sizeof *hits->items);
    for (size_t i = 0; i < hits->count; i++)
        c->sources[c->count + i] = source;
    c->count += hits->count;
    return NJ_OK;
}

/* One worker's buffers, reused from chunk to chunk. */
typedef struct worker {
    candidates cand;
    nj_hits hits;
    chunk_rows rows;
} worker;

static nj_status run_chunk(batch *b, size_t chunk, worker *w)
{
    size_t begin = b->first + chunk * BATCH_CHUNK;
    size_t end = begin + BATCH_CHUNK;
    if (end > b->first + b->count)
        end = b->first + b->count;
    nj_status st = NJ_OK;
    w->rows.count = 0;
    for (size_t i = begin; st == NJ_OK && i < end; i++) {
        const nj_posting *posting =
            (const nj_posting *)nj_table_at(&b->reg->postings, i);
        st = residents_for(b->reg, posting, b->date, b->flags, &w->cand, &w->hits);
        if (st == NJ_OK)
            st = chunk_append(&b->reg->alloc, &w->rows, &w->hits, posting->head.id);
    }
    return st;
}

/* Records a failure and wakes the workers waiting for their turn. */
static void batch_fail(batch *b, nj_status st)
{
    if (b->status == NJ_OK)
        b->status = st;
    atomic_store(&b->failed, 1);
    pthread_cond_broadcast(&b->turn);
}

/* Appends rows to the result (under the lock). */
static nj_status append_rows(batch *b, const chunk_rows *rows)
{
    nj_matches *m = b->out;
    if (rows->count == 0)
        return NJ_OK;
    if (rows_reserve(&m->alloc, &m->rows, &m->sources, &b->out_cap,
                     m->count + rows->count) != NJ_OK)
        return NJ_E_NOMEM;
    memcpy(m->rows + m->count, rows->rows, rows->count * sizeof *m->rows);
    memcpy(m->sources + m->count, rows->sources, rows->count * sizeof *m->sources);
    m->count += rows->count;
    return NJ_OK;
}

/* Appends a finished chunk's rows to the result once the chunks before it
 * are in (or drops them after a failure). */
static void commit_chunk(batch *b, size_t chunk, const chunk_rows *rows, nj_status st)
{
    pthread_mutex_lock(&b->lock);
    if (st != NJ_OK)
        batch_fail(b, st);
    while (b->status == NJ_OK && b->next_commit != chunk)
        pthread_cond_wait(&b->turn, &b->lock);
    if (b->status == NJ_OK) {
        if (append_rows(b, rows) != NJ_OK) {
            batch_fail(b, NJ_E_NOMEM);
        } else {
            b->next_commit++;
            pthread_cond_broadcast(&b->turn);
        }
    }
    pthread_mutex_unlock(&b->lock);
}

static void *batch_worker(void *arg)
{
    batch *b = arg;
    const nj_alloc *a = &b->reg->alloc;
    worker w;
    memset(&w.rows, 0, sizeof w.rows);
    candidates_init(&w.cand, a);
    nj_hits_init(&w.hits, a);
    for (;;) {
        size_t chunk = atomic_fetch_add(&b->next_chunk, 1);
        if (chunk >= b->chunk_count || atomic_load(&b->failed))
            break;
        commit_chunk(b, chunk, &w.rows, run_chunk(b, chunk, &w));
    }
    nj_hits_free(&w.cand.hits);
    nj_hits_free(&w.hits);
    nj_alloc_free(a, w.rows.rows);
    nj_alloc_free(a, w.rows.sources);
    return NULL;
}

static void run_workers(batch *b, uint32_t threads)
{
    pthread_t workers[MAX_THREADS];
    uint32_t started = 0;
    for (uint32_t t = 1; t < threads; t++) {
        if (pthread_create(&workers[started], NULL, batch_worker, b) != 0)
            break; /* the calling thread still finishes every chunk */
        started++;
    }
    batch_worker(b);
    for (uint32_t t = 0; t < started; t++)
        pthread_join(workers[t], NULL);
}

/* Gives back the spare capacity of the result (best effort). */
static void shrink_result(nj_matches *m, size_t cap)
{
    if (m->count == 0 || m->count == cap)
        return;
    nj_hit *rows = nj_alloc_realloc_array(&m->alloc, m->rows, m->count, sizeof *rows);
    if (rows)
        m->rows = rows;
    int64_t *sources = nj_alloc_realloc_array(&m->alloc, m->sources, m->count,
                                              sizeof *sources);
    if (sources)
        m->sources = sources;
}

static nj_status batch_run(batch *b, uint32_t threads)
{
    if (pthread_mutex_init(&b->lock, NULL) != 0)
        return NJ_E_NOMEM;
    if (pthread_cond_init(&b->turn, NULL) != 0) {
        pthread_mutex_destroy(&b->lock);
        return NJ_E_NOMEM;
    }
    run_workers(b, threads);
    pthread_cond_destroy(&b->turn);
    pthread_mutex_destroy(&b->lock);
    if (b->status == NJ_OK)
        shrink_result(b->out, b->out_cap);
    return b->status;
}

nj_status nj_match_batch(const nj_registry *reg, int32_t date,
                         size_t first_posting, size_t posting_count,
                         uint32_t flags, uint32_t threads, nj_matches **out)
{
    if (out)
        *out = NULL;
    if (!reg || !out || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    if (flags & ~(uint32_t)NJ_MATCH_SKIP_CAPPED)
        return NJ_E_UNSUPPORTED;
    if (threads > MAX_THREADS)
        return NJ_E_RANGE;
    size_t available = first_posting < reg->postings.count
                           ? reg->postings.count - first_posting : 0;
    if (posting_count == 0 || posting_count > available)
        posting_count = available;

    batch b = {.reg = reg, .date = date, .flags = flags, .first = first_posting,
               .count = posting_count, .status = NJ_OK};
    b.chunk_count = (posting_count + BATCH_CHUNK - 1) / BATCH_CHUNK;
    atomic_init(&b.next_chunk, 0);
    atomic_init(&b.failed, 0);
    nj_status st = matches_create(&reg->alloc, &b.out);
    if (st == NJ_OK)
        st = batch_run(&b, threads);
    if (st != NJ_OK) {
        nj_matches_destroy(b.out);
        return st;
    }
    *out = b.out;
    return NJ_OK;
}
