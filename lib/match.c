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

static int hit_before(const nj_hit *a, const nj_hit *b)
{
    if (a->distance_m != b->distance_m)
        return a->distance_m < b->distance_m;
    return a->id < b->id;
}

static int compare_hits(const void *x, const void *y)
{
    const nj_hit *a = x, *b = y;
    return hit_before(a, b) ? -1 : hit_before(b, a);
}

static void sort_hits(nj_hits *hits)
{
    /* items is NULL when nothing was found, and qsort's array is nonnull */
    if (hits->count > 1)
        qsort(hits->items, hits->count, sizeof *hits->items, compare_hits);
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

static int64_t object_id(int64_t key)
{
    return ((const nj_object_head *)nj_index_object(key))->id;
}

/*
 * Replaces object keys by ids. The index orders equal distances by key;
 * where `ordered`, each run of equal distances is re-sorted by id (runs are
 * exact duplicates of a location, so they are short).
 */
static void keys_to_ids(nj_hits *hits, int ordered)
{
    for (size_t i = 0; i < hits->count; i++)
        hits->items[i].id = object_id(hits->items[i].id);
    if (!ordered)
        return;
    for (size_t i = 1; i < hits->count; i++) {
        nj_hit h = hits->items[i];
        size_t j = i;
        while (j > 0 && hits->items[j - 1].distance_m == h.distance_m &&
               hits->items[j - 1].id > h.id) {
            hits->items[j] = hits->items[j - 1];
            j--;
        }
        hits->items[j] = h;
    }
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

/* Ids of the k nearest participants within the radius, ties by id: the
 * index's k nearest fix the k-th distance, and every point up to it is
 * fetched again so that ties at that distance are broken by id. */
static nj_status nearest_participants(const nj_registry *reg, double lat,
                                      double lon, double radius_m, size_t k,
                                      nj_hits *hits)
{
    nj_status st = nj_spatial_nearest(&reg->participant_index, lat, lon,
                                      radius_m, k, hits);
    if (st == NJ_OK && hits->count == k)
        st = nj_spatial_within(&reg->participant_index, lat, lon,
                               hits->items[k - 1].distance_m, 1, hits);
    if (st == NJ_OK)
        keys_to_ids(hits, 1);
    return st;
}

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
    if (target == NJ_MATCH_POSTINGS) {
        st = posting_keys_within(reg, lat, lon, radius_m, hits);
        if (st == NJ_OK) {
            keys_to_ids(hits, 0);
            sort_hits(hits);
        }
    } else if (limit > 0) {
        st = nearest_participants(reg, lat, lon, radius_m, limit, hits);
    } else {
        int sorted = order == NJ_ORDER_DISTANCE;
        st = nj_spatial_within(&reg->participant_index, lat, lon, radius_m,
                               sorted, hits);
        if (st == NJ_OK)
            keys_to_ids(hits, sorted);
    }
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

/* Keeps the hits (object keys) for which keep(subject, object, date)
 * holds, in order. */
static void filter_hits(nj_hits *hits, const void *subject, int32_t date,
                        int (*keep)(const void *, const void *, int32_t))
{
    size_t kept = 0;
    for (size_t i = 0; i < hits->count; i++)
        if (keep(subject, nj_index_object(hits->items[i].id), date))
            hits->items[kept++] = hits->items[i];
    hits->count = kept;
}

static int posting_takes(const void *participant, const void *posting,
                         int32_t date)
{
    return nj_posting_open_on(posting, date) == NJ_ELIGIBLE &&
           nj_participant_fits(posting, participant, date) == NJ_ELIGIBLE;
}

static int participant_fits(const void *posting, const void *participant,
                            int32_t date)
{
    return nj_participant_fits(posting, participant, date) == NJ_ELIGIBLE;
}

typedef struct capped_filter {
    const nj_registry *reg;
    int32_t period;
} capped_filter;

static int has_minutes_left(const void *filter, const void *participant,
                            int32_t date)
{
    const capped_filter *f = filter;
    nj_totals totals;
    (void)date;
    /* A total too large to compute has no minutes left either. */
    return nj_person_period_totals(f->reg, participant, f->period, &totals) == NJ_OK &&
           totals.paid < f->reg->ledger.cap_minutes;
}

static void truncate_hits(nj_hits *hits, size_t limit)
{
    if (limit > 0 && hits->count > limit)
        hits->count = limit;
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
        filter_hits(&hits, p, date, posting_takes);
        keys_to_ids(&hits, 0);
        sort_hits(&hits);
        truncate_hits(&hits, limit);
        st = matches_from_hits(&hits, participant_id, out);
    }
    nj_hits_free(&hits);
    return st;
}

/* The eligible residents of one posting as ids, nearest first (empty when
 * the posting does not take applications on `date`). */
static nj_status residents_for(const nj_registry *reg,
                               const nj_posting *posting, int32_t date,
                               uint32_t flags, nj_hits *hits)
{
    hits->count = 0;
    if (nj_posting_open_on(posting, date) != NJ_ELIGIBLE)
        return NJ_OK;
    nj_status st = nj_spatial_within(&reg->participant_index,
                                     posting->facility->lat,
                                     posting->facility->lon, posting->radius_m,
                                     1, hits);
    if (st == NJ_OK) {
        filter_hits(hits, posting, date, participant_fits);
        if (flags & NJ_MATCH_SKIP_CAPPED) {
            capped_filter f = {reg, nj_ledger_period_of(
                                        &reg->ledger, posting->work_start ? posting->work_start : date)};
            filter_hits(hits, &f, date, has_minutes_left);
        }
        keys_to_ids(hits, 1);
    }
    return st;
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
    nj_hits_init(&hits, &reg->alloc);
    nj_status st = residents_for(reg, posting, date, flags, &hits);
    if (st == NJ_OK) {
        truncate_hits(&hits, limit);
        st = matches_from_hits(&hits, posting_id, out);
    }
    nj_hits_free(&hits);
    return st;
}

/*
 * The batch: postings are cut into chunks of BATCH_CHUNK; workers take the
 * next chunk from an atomic counter and write its rows into the chunk's own
 * slot, so the concatenation in chunk order is the same for any thread
 * count.
 */
typedef struct batch_chunk {
    nj_hit *rows;
    int64_t *sources;
    size_t count, cap;
} batch_chunk;

typedef struct batch {
    const nj_registry *reg;
    int32_t date;
    uint32_t flags;
    size_t first, count;
    batch_chunk *chunks;
    size_t chunk_count;
    atomic_size_t next_chunk;
    atomic_int status;
} batch;

static nj_status chunk_append(const nj_alloc *a, batch_chunk *c,
                              const nj_hits *hits, int64_t source)
{
    if (hits->count == 0)
        return NJ_OK;
    if (c->count + hits->count > c->cap) {
        size_t cap = c->cap ? c->cap : 64;
        while (cap < c->count + hits->count)
            cap *= 2;
        nj_hit *rows = nj_alloc_realloc_array(a, c->rows, cap, sizeof *rows);
        if (!rows)
            return NJ_E_NOMEM;
        c->rows = rows;
        int64_t *sources =
            nj_alloc_realloc_array(a, c->sources, cap, sizeof *sources);
        if (!sources)
            return NJ_E_NOMEM;
        c->sources = sources;
        c->cap = cap;
    }
    memcpy(c->rows + c->count, hits->items, hits->count * sizeof *hits->items);
    for (size_t i = 0; i < hits->count; i++)
        c->sources[c->count + i] = source;
    c->count += hits->count;
    return NJ_OK;
}

static nj_status run_chunk(batch *b, size_t chunk, nj_hits *hits)
{
    size_t begin = b->first + chunk * BATCH_CHUNK;
    size_t end = begin + BATCH_CHUNK;
    if (end > b->first + b->count)
        end = b->first + b->count;
    nj_status st = NJ_OK;
    for (size_t i = begin; st == NJ_OK && i < end; i++) {
        const nj_posting *posting =
            (const nj_posting *)nj_table_at(&b->reg->postings, i);
        st = residents_for(b->reg, posting, b->date, b->flags, hits);
        if (st == NJ_OK)
            st = chunk_append(&b->reg->alloc, &b->chunks[chunk], hits,
                              posting->head.id);
    }
    return st;
}

static void *batch_worker(void *arg)
{
    batch *b = arg;
    nj_hits hits;
    nj_hits_init(&hits, &b->reg->alloc);
    for (;;) {
        size_t chunk = atomic_fetch_add(&b->next_chunk, 1);
        if (chunk >= b->chunk_count || atomic_load(&b->status) != NJ_OK)
            break;
        nj_status st = run_chunk(b, chunk, &hits);
        if (st != NJ_OK)
            atomic_store(&b->status, st);
    }
    nj_hits_free(&hits);
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

static nj_status concatenate(batch *b, nj_matches *m)
{
    size_t total = 0;
    for (size_t c = 0; c < b->chunk_count; c++)
        total += b->chunks[c].count;
    m->rows = nj_alloc_array(&m->alloc, total, sizeof *m->rows);
    m->sources = nj_alloc_array(&m->alloc, total, sizeof *m->sources);
    if (!m->rows || !m->sources)
        return NJ_E_NOMEM;
    for (size_t c = 0; c < b->chunk_count; c++) {
        if (b->chunks[c].count == 0)
            continue;
        memcpy(m->rows + m->count, b->chunks[c].rows,
               b->chunks[c].count * sizeof *m->rows);
        memcpy(m->sources + m->count, b->chunks[c].sources,
               b->chunks[c].count * sizeof *m->sources);
        m->count += b->chunks[c].count;
    }
    return NJ_OK;
}

static void free_chunks(batch *b)
{
    for (size_t c = 0; c < b->chunk_count; c++) {
        nj_alloc_free(&b->reg->alloc, b->chunks[c].rows);
        nj_alloc_free(&b->reg->alloc, b->chunks[c].sources);
    }
    nj_alloc_free(&b->reg->alloc, b->chunks);
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
               .count = posting_count};
    b.chunk_count = (posting_count + BATCH_CHUNK - 1) / BATCH_CHUNK;
    atomic_init(&b.next_chunk, 0);
    atomic_init(&b.status, NJ_OK);
    nj_matches *m = NULL;
    nj_status st = matches_create(&reg->alloc, &m);
    if (st == NJ_OK) {
        b.chunks = nj_alloc_array(&reg->alloc, b.chunk_count, sizeof *b.chunks);
        if (!b.chunks)
            st = NJ_E_NOMEM;
    }
    if (st == NJ_OK) {
        memset(b.chunks, 0, b.chunk_count * sizeof *b.chunks);
        run_workers(&b, threads);
        st = (nj_status)atomic_load(&b.status);
        if (st == NJ_OK)
            st = concatenate(&b, m);
    }
    if (b.chunks)
        free_chunks(&b);
    if (st != NJ_OK) {
        nj_matches_destroy(m);
        return st;
    }
    *out = m;
    return NJ_OK;
}
