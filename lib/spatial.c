/*
 * Spatial index storage: points bucketed into 364 m latitude rows, sorted by
 * (longitude, latitude offset, id) inside each row, in flat arrays with a
 * longitude directory per row (docs/spatial-index.md). Inserts go to a small
 * sorted delta merged into the core when it grows; removals mark core points.
 * The queries are in spatial_query.c.
 */
#include "spatial_layout_internal.h"

#include <math.h>
#include <string.h>

/* Merge the delta into the core once it holds this many points. */
#define DELTA_MIN_LIMIT 1024
/* Rows of at least this many points get a longitude directory, with one
 * cell per this many points (4 bytes per cell: 1 byte per point). */
#define DIR_MIN_POINTS 32
#define DIR_POINTS_PER_CELL 4

double nj_spatial_snap_deg(double deg) { return e7_to_deg(to_e7(deg)); }

double nj_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = PI / 180.0;
    double phi1 = lat1 * rad, phi2 = lat2 * rad;
    double s_lat = sin((phi2 - phi1) * 0.5);
    double s_lon = sin((lon2 - lon1) * rad * 0.5);
    double h = s_lat * s_lat + cos(phi1) * cos(phi2) * s_lon * s_lon;
    h = h < 0.0 ? 0.0 : (h > 1.0 ? 1.0 : h);
    return 2.0 * NJ_EARTH_RADIUS_M * asin(sqrt(h));
}

/* ---- the order of points --------------------------------------------------- */

/* Whether point a comes before point b in a row: by (lon, lat_off, id), the
 * removed bit ignored. Every stored point has its own key. */
static int key_less(int32_t lon_a, uint16_t lat_a, int64_t id_a, int32_t lon_b,
                    uint16_t lat_b, int64_t id_b)
{
    lat_a &= LAT_OFF_MASK;
    lat_b &= LAT_OFF_MASK;
    if (lon_a != lon_b)
        return lon_a < lon_b;
    if (lat_a != lat_b)
        return lat_a < lat_b;
    return id_a < id_b;
}

/* ---- index storage ----------------------------------------------------- */

static void run_clear(nj_spatial_run *run)
{
    memset(run, 0, sizeof *run);
}

void nj_spatial_init(nj_spatial *s, const nj_alloc *a)
{
    s->alloc = a;
    s->tagged = 0;
    run_clear(&s->core);
    s->core_removed = 0;
    memset(&s->delta, 0, sizeof s->delta);
}

void nj_spatial_init_tagged(nj_spatial *s, const nj_alloc *a)
{
    nj_spatial_init(s, a);
    s->tagged = 1;
}

/* Each structure is a single block starting at its id array. */
void nj_spatial_free(nj_spatial *s)
{
    int tagged = s->tagged;
    nj_alloc_free(s->alloc, s->core.ids);
    nj_alloc_free(s->alloc, s->delta.ids);
    nj_spatial_init(s, s->alloc);
    s->tagged = tagged;
}

size_t nj_spatial_count(const nj_spatial *s)
{
    return s->core.count - s->core_removed + s->delta.count;
}

/* Bytes of n points' ids, longitudes and latitude offsets, plus `extra`
 * bytes; 0 on overflow. */
static size_t point_bytes(size_t n, size_t per_point_extra, size_t extra)
{
    size_t per = sizeof(int64_t) + sizeof(int32_t) + sizeof(uint16_t) + per_point_extra;
    size_t bytes;
    if (__builtin_mul_overflow(n, per, &bytes) ||
        __builtin_add_overflow(bytes, extra, &bytes))
        return 0;
    return bytes;
}

static size_t tag_size(const nj_spatial *s)
{
    return s->tagged ? sizeof(uint64_t) : 0;
}

/* The core block: ids, tags, lon, rows, cells, lat_off, SCAN_PAD. */
static size_t core_bytes(const nj_spatial *s, size_t n, size_t rows, size_t cells)
{
    size_t row_bytes, cell_bytes, extra;
    if (__builtin_mul_overflow(rows, sizeof(nj_spatial_row), &row_bytes) ||
        __builtin_mul_overflow(cells, sizeof(uint32_t), &cell_bytes) ||
        __builtin_add_overflow(row_bytes, cell_bytes, &extra) ||
        __builtin_add_overflow(extra, SCAN_PAD * sizeof(uint16_t), &extra))
        return 0;
    return point_bytes(n, tag_size(s), extra);
}

/* The delta block: ids, tags, lon, row, lat_off, SCAN_PAD. */
static size_t delta_bytes(const nj_spatial *s, size_t cap)
{
    return point_bytes(cap, tag_size(s) + sizeof(int32_t), SCAN_PAD * sizeof(uint16_t));
}

size_t nj_spatial_memory_bytes(const nj_spatial *s)
{
    size_t core = s->core.ids ? core_bytes(s, s->core.count, s->core.row_count + 1,
                                           s->core.cell_count) : 0;
    size_t delta = s->delta.ids ? delta_bytes(s, s->delta.cap) : 0;
    return core + delta - nj_spatial_tag_bytes(s);
}

size_t nj_spatial_tag_bytes(const nj_spatial *s)
{
    size_t points = (s->core.ids ? s->core.count : 0) + (s->delta.ids ? s->delta.cap : 0);
    return points * tag_size(s);
}

/* Index of the live core point (id, p), or SIZE_MAX: a binary search by
 * the full key inside the directory cell of p's longitude. */
static size_t core_find(const nj_spatial_run *run, int64_t id, cell_pos p)
{
    size_t b, e, row_end;
    core_row_span(run, p.row, &b, &e);
    if (b == e)
        return SIZE_MAX;
    row_end = e;
    /* Points of one longitude share a directory cell. */
    core_dir_narrow(run, (size_t)(p.row - run->row_min), p.lon, &b, &e);
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        if (key_less(run->lon[mid], run->lat_off[mid], run->ids[mid], p.lon,
                     p.lat_off, id))
            b = mid + 1;
        else
            e = mid;
    }
    if (b < row_end && run->lon[b] == p.lon &&
        run->lat_off[b] == p.lat_off && run->ids[b] == id)
        return b; /* a removed point has its top bit set: no match */
    return SIZE_MAX;
}

/* First delta index at or after the full key (p, id). */
static size_t delta_key_lower_bound(const nj_spatial_delta *d, int64_t id,
                                    cell_pos p)
{
    size_t b = 0, e = d->count;
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        int before = d->row[mid] != p.row
                         ? d->row[mid] < p.row
                         : key_less(d->lon[mid], d->lat_off[mid], d->ids[mid],
                                    p.lon, p.lat_off, id);
        if (before)
            b = mid + 1;
        else
            e = mid;
    }
    return b;
}

static size_t delta_find(const nj_spatial_delta *d, int64_t id, cell_pos p)
{
    size_t i = delta_key_lower_bound(d, id, p);
    if (i < d->count && d->row[i] == p.row && d->lon[i] == p.lon &&
        d->lat_off[i] == p.lat_off && d->ids[i] == id)
        return i;
    return SIZE_MAX;
}

/* Lays out a delta block of capacity cap at mem (ids first). */
static void delta_layout(const nj_spatial *s, nj_spatial_delta *d, void *mem,
                         size_t cap)
{
    d->ids = mem;
    d->tags = s->tagged ? (uint64_t *)(void *)(d->ids + cap) : NULL;
    d->lon = (int32_t *)(void *)(d->ids + cap + (s->tagged ? cap : 0));
    d->row = d->lon + cap;
    d->lat_off = (uint16_t *)(void *)(d->row + cap);
    d->cap = cap;
    memset(d->lat_off + cap, 0, SCAN_PAD * sizeof *d->lat_off);
}

/* Copies delta points [from, from + n) of src to position `to` of dst. */
static void delta_copy(const nj_spatial_delta *src, size_t from,
                       nj_spatial_delta *dst, size_t to, size_t n)
{
    memmove(dst->ids + to, src->ids + from, n * sizeof *src->ids);
    if (src->tags)
        memmove(dst->tags + to, src->tags + from, n * sizeof *src->tags);
    memmove(dst->lon + to, src->lon + from, n * sizeof *src->lon);
    memmove(dst->row + to, src->row + from, n * sizeof *src->row);
    memmove(dst->lat_off + to, src->lat_off + from, n * sizeof *src->lat_off);
}

/* Ensures room for one more delta point. */
static nj_status delta_reserve_one(nj_spatial *s)
{
    nj_spatial_delta *d = &s->delta, grown;
    size_t cap, bytes;
    void *mem;
    if (d->count < d->cap)
        return NJ_OK;
    cap = d->cap ? d->cap * 2 : 64;
    bytes = delta_bytes(s, cap);
    if (!bytes || !(mem = nj_alloc_malloc(s->alloc, bytes)))
        return NJ_E_NOMEM;
    delta_layout(s, &grown, mem, cap);
    grown.count = d->count;
    if (d->count)
        delta_copy(d, 0, &grown, 0, d->count);
    nj_alloc_free(s->alloc, d->ids);
    *d = grown;
    return NJ_OK;
}

/* Inserts into the delta at its key's place; capacity must be reserved. */
static void delta_insert(nj_spatial_delta *d, int64_t id, cell_pos p, uint64_t tag)
{
    size_t i = delta_key_lower_bound(d, id, p);
    delta_copy(d, i, d, i + 1, d->count - i);
    d->ids[i] = id;
    if (d->tags)
        d->tags[i] = tag;
    d->lon[i] = p.lon;
    d->row[i] = p.row;
    d->lat_off[i] = p.lat_off;
    d->count++;
}

static void delta_erase(nj_spatial_delta *d, size_t i)
{
    delta_copy(d, i + 1, d, i, d->count - i - 1);
    d->count--;
}

/* ---- building the core ------------------------------------------------- */

/* Rows a latitude can fall in: (2 * 90e7 + 1) E7 steps, 2^ROW_BITS a row. */
#define ROWS_TOTAL (((size_t)2 * LAT_E7_MAX >> ROW_BITS) + 1)

/*
 * Every point a rebuild keeps, visited in a fixed order: the live core
 * points, the delta, then the n_new new ones from `point`. The per-row
 * arrays cover the rows [base, base + span): visit_count() counts the
 * points per row (count[row - base]); visit_place() writes each at
 * slot[row - base]++ of dst.
 */
typedef struct build_src {
    const nj_spatial *s;
    size_t n_new;
    nj_spatial_point_fn point;
    const void *ctx;
    int32_t base;
    size_t span;
} build_src;

/* Past this many new points, a pass for their rows' range costs more than
 * counting over every row (ROWS_TOTAL counters, ~0.2 MB). */
#define RANGE_PASS_MAX (ROWS_TOTAL / 4)

/* Widens [*lo, *hi] to hold row. */
static void widen(int32_t row, int32_t *lo, int32_t *hi)
{
    *lo = row < *lo ? row : *lo;
    *hi = row > *hi ? row : *hi;
}

/*
 * Sets the rows the per-row arrays cover: those the stored points and the
 * new ones occupy (a superset: the core's whole range, removed points
 * included), so that a small index is not counted over all ROWS_TOTAL
 * rows; every row for a bulk load of many points. New points out of range
 * are left to visit_count().
 */
static void set_row_window(build_src *src)
{
    const nj_spatial_run *c = &src->s->core;
    const nj_spatial_delta *d = &src->s->delta;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    src->base = 0;
    src->span = ROWS_TOTAL;
    if (src->n_new > RANGE_PASS_MAX)
        return;
    if (c->row_count > 0) {
        widen(c->row_min, &lo, &hi);
        widen(c->row_min + (int32_t)c->row_count - 1, &lo, &hi);
    }
    for (size_t i = 0; i < d->count; i++)
        widen(d->row[i], &lo, &hi);
    for (size_t i = 0; i < src->n_new; i++) {
        nj_spatial_point pt;
        src->point(src->ctx, i, &pt);
        if (valid_point(pt.lat, pt.lon))
            widen(snap(pt.lat, pt.lon).row, &lo, &hi);
    }
    if (lo <= hi) {
        src->base = lo;
        src->span = (size_t)(hi - lo) + 1;
    }
}

/* Counts the points per row; 0 if a new point is out of range. */
static int visit_count(const build_src *src, uint32_t *count)
{
    const nj_spatial_run *c = &src->s->core;
    const nj_spatial_delta *d = &src->s->delta;
    for (uint32_t r = 0; r < c->row_count; r++) {
        uint32_t live = 0;
        for (size_t i = c->rows[r].start; i < c->rows[r + 1].start; i++)
            live += !(c->lat_off[i] & REMOVED_BIT);
        count[c->row_min + (int32_t)r - src->base] += live;
    }
    for (size_t i = 0; i < d->count; i++)
        count[d->row[i] - src->base]++;
    for (size_t i = 0; i < src->n_new; i++) {
        nj_spatial_point pt;
        src->point(src->ctx, i, &pt);
        if (!valid_point(pt.lat, pt.lon))
            return 0;
        count[snap(pt.lat, pt.lon).row - src->base]++;
    }
    return 1;
}

/* Writes one point at slot j of dst. */
static void place(nj_spatial_run *dst, uint32_t j, int64_t id, uint64_t tag,
                  int32_t lon, uint16_t lat_off)
{
    dst->ids[j] = id;
    if (dst->tags)
        dst->tags[j] = tag;
    dst->lon[j] = lon;
    dst->lat_off[j] = lat_off;
}

static void visit_place(const build_src *src, uint32_t *slot, nj_spatial_run *dst)
{
    const nj_spatial_run *c = &src->s->core;
    const nj_spatial_delta *d = &src->s->delta;
    for (uint32_t r = 0; r < c->row_count; r++) {
        uint32_t *at = &slot[c->row_min + (int32_t)r - src->base];
        for (size_t i = c->rows[r].start; i < c->rows[r + 1].start; i++)
            if (!(c->lat_off[i] & REMOVED_BIT))
                place(dst, (*at)++, c->ids[i], c->tags ? c->tags[i] : 0,
                      c->lon[i], c->lat_off[i]);
    }
    for (size_t i = 0; i < d->count; i++)
        place(dst, slot[d->row[i] - src->base]++, d->ids[i], d->tags ? d->tags[i] : 0,
              d->lon[i], d->lat_off[i]);
    for (size_t i = 0; i < src->n_new; i++) {
        nj_spatial_point pt;
        cell_pos p;
        src->point(src->ctx, i, &pt);
        p = snap(pt.lat, pt.lon);
        place(dst, slot[p.row - src->base]++, pt.id, pt.tag, p.lon, p.lat_off);
    }
}

/* Scratch for sorting one row: room for the largest row. */
typedef struct row_scratch {
    uint64_t *pa, *pb;
    int64_t *ids;
    uint64_t *tags;
    uint16_t *lat_off;
} row_scratch;

/* One row's arrays, from its first point. */
typedef struct row_view {
    int64_t *ids;
    uint64_t *tags;
    int32_t *lon;
    uint16_t *lat_off;
    size_t n;
} row_view;

/* Length of the row's sorted prefix (n if the whole row is sorted). */
static size_t sorted_prefix(const row_view *v, size_t from)
{
    for (size_t i = from + 1; i < v->n; i++)
        if (!key_less(v->lon[i - 1], v->lat_off[i - 1], v->ids[i - 1], v->lon[i],
                      v->lat_off[i], v->ids[i]))
            return i;
    return v->n;
}

/* Sort entries are (lon - row minimum) << 32 | index into the row. */
static int entry_less(const row_view *v, uint64_t a, uint64_t b)
{
    uint32_t i = (uint32_t)a, j = (uint32_t)b;
    return key_less(v->lon[i], v->lat_off[i], v->ids[i], v->lon[j], v->lat_off[j],
                    v->ids[j]);
}

static void entry_sift_down(const row_view *v, uint64_t *e, size_t n, size_t i)
{
    for (;;) {
        size_t child = 2 * i + 1;
        uint64_t x;
        if (child >= n)
            return;
        if (child + 1 < n && entry_less(v, e[child], e[child + 1]))
            child++;
        if (!entry_less(v, e[i], e[child]))
            return;
        x = e[i];
        e[i] = e[child];
        e[child] = x;
        i = child;
    }
}

/* Sorts entries by the full key: insertion for a few, else heapsort, so a
 * run of m points at one longitude costs O(m log m) at worst. */
static void sort_entries(const row_view *v, uint64_t *e, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = e[i];
            size_t j = i;
            for (; j > 0 && entry_less(v, x, e[j - 1]); j--)
                e[j] = e[j - 1];
            e[j] = x;
        }
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        entry_sift_down(v, e, n, i);
    for (size_t end = n; end > 1; end--) {
        uint64_t x = e[0];
        e[0] = e[end - 1];
        e[end - 1] = x;
        entry_sift_down(v, e, end - 1, 0);
    }
}

/* LSD radix sort of the entries by longitude (11-bit digits, only the
 * passes the row's range needs); stable. Returns where the result is. */
static uint64_t *radix_by_lon(uint64_t *pa, uint64_t *pb, size_t n, uint32_t range)
{
    uint32_t count[2048];
    for (unsigned shift = 32; shift < 64 && (range >> (shift - 32)) != 0; shift += 11) {
        uint64_t *t;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(pa[i] >> shift) & 2047]++;
        for (uint32_t b = 0, sum = 0; b < 2048; b++) {
            uint32_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            pb[count[(pa[i] >> shift) & 2047]++] = pa[i];
        t = pa;
        pa = pb;
        pb = t;
    }
    return pa;
}

/* Entries for points [0, n) sorted, from two sorted runs [0, split) and
 * [split, n): a merge. */
static void merge_runs(const row_view *v, size_t split, uint64_t *pa, int32_t lo)
{
    size_t a = 0, b = split;
    for (size_t k = 0; k < v->n; k++) {
        size_t i = b == v->n || (a < split && entry_less(v, a, b)) ? a++ : b++;
        pa[k] = (uint64_t)(uint32_t)((int64_t)v->lon[i] - lo) << 32 | i;
    }
}

/* Entries for points [0, n) sorted by the full key: a stable sort by
 * longitude (radix, or insertion for few), then each run of equal
 * longitudes by the rest of the key. Returns where the entries are. */
static uint64_t *sort_entries_by_key(const row_view *v, const row_scratch *sc,
                                     int32_t lo, int32_t hi)
{
    uint64_t *pa = sc->pa;
    size_t n = v->n;
    for (size_t i = 0; i < n; i++)
        pa[i] = (uint64_t)(uint32_t)((int64_t)v->lon[i] - lo) << 32 | i;
    if (n < 64)
        sort_entries(v, pa, n);
    else
        pa = radix_by_lon(pa, sc->pb, n, (uint32_t)((int64_t)hi - lo));
    for (size_t s = 0, t; s < n; s = t) {
        for (t = s + 1; t < n && pa[t] >> 32 == pa[s] >> 32; t++)
            ;
        if (t - s > 1)
            sort_entries(v, pa + s, t - s);
    }
    return pa;
}

/*
 * Sorts one row's points by (lon, lat_off, id) in scratch that stays in
 * cache, then permutes the arrays once. A rebuild places each row's kept
 * core points (sorted) before its delta points (sorted): two runs, merged.
 * Anything else (bulk-loaded points) is sorted outright.
 */
static void sort_row(const row_view *v, const row_scratch *sc)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    uint64_t *pa = sc->pa;
    size_t n = v->n, split = n < 2 ? n : sorted_prefix(v, 0);
    if (split == n)
        return;
    for (size_t i = 0; i < n; i++) {
        lo = v->lon[i] < lo ? v->lon[i] : lo;
        hi = v->lon[i] > hi ? v->lon[i] : hi;
    }
    if (sorted_prefix(v, split) == n)
        merge_runs(v, split, pa, lo);
    else
        pa = sort_entries_by_key(v, sc, lo, hi);
    memcpy(sc->ids, v->ids, n * sizeof *v->ids);
    memcpy(sc->lat_off, v->lat_off, n * sizeof *v->lat_off);
    if (v->tags)
        memcpy(sc->tags, v->tags, n * sizeof *v->tags);
    for (size_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)pa[i];
        v->ids[i] = sc->ids[j];
        v->lon[i] = (int32_t)((int64_t)lo + (int64_t)(pa[i] >> 32));
        v->lat_off[i] = sc->lat_off[j];
        if (v->tags)
            v->tags[i] = sc->tags[j];
    }
}

/* Directory cells a row of n points is given room for. */
static size_t dir_cells(size_t n)
{
    return n >= DIR_MIN_POINTS ? n / DIR_POINTS_PER_CELL : 0;
}

/*
 * Writes the directory of sorted row i at cells[at] and returns the next
 * free entry: `wanted` cells (fewer for a row narrower than 2 E7 units a
 * cell), cell c starting at the first point whose
 * (lon - lon_lo) * mult >> 32 >= c, then the row's end.
 */
static uint32_t build_row_dir(nj_spatial_run *run, size_t i, uint32_t at,
                              size_t wanted)
{
    nj_spatial_row *row = &run->rows[i];
    size_t b = row->start, e = row[1].start, k = b;
    uint64_t range;
    row->cell = at;
    row->lon_lo = b < e ? run->lon[b] : 0;
    row->mult = 0;
    if (b == e)
        return at;
    range = (uint64_t)((int64_t)run->lon[e - 1] - run->lon[b]);
    if (wanted > (range + 1) / 2)
        wanted = (size_t)((range + 1) / 2);
    if (wanted < 2)
        return at;
    /* <= 2^31 because wanted <= (range + 1) / 2. */
    row->mult = (uint32_t)(((uint64_t)wanted << 32) / (range + 1));
    for (size_t c = 0; c < wanted; c++) {
        while (k < e && (((uint64_t)((int64_t)run->lon[k] - row->lon_lo) * row->mult) >> 32) < c)
            k++;
        run->cells[at + c] = (uint32_t)k;
    }
    run->cells[at + wanted] = (uint32_t)e;
    return at + (uint32_t)wanted + 1;
}

/* Carves the core's arrays out of one block of n points. */
static void core_layout(const nj_spatial *s, nj_spatial_run *run, void *mem,
                        size_t n, size_t rows, size_t cells)
{
    run->ids = mem;
    run->tags = s->tagged ? (uint64_t *)(void *)(run->ids + n) : NULL;
    run->lon = (int32_t *)(void *)(run->ids + n + (s->tagged ? n : 0));
    run->rows = (nj_spatial_row *)(void *)(run->lon + n);
    run->cells = (uint32_t *)(void *)(run->rows + rows);
    run->lat_off = (uint16_t *)(void *)(run->cells + cells);
    run->cell_count = cells;
    run->count = n;
    memset(run->lat_off + n, 0, SCAN_PAD * sizeof *run->lat_off);
}

/* Scratch for sort_row(), sized to the widest row; NULL if out of memory. */
static void *scratch_alloc(const nj_spatial *s, size_t widest, row_scratch *sc)
{
    void *mem = nj_alloc_array(s->alloc, widest,
                               3 * sizeof(uint64_t) + sizeof(int64_t) + sizeof(uint16_t));
    if (!mem)
        return NULL;
    sc->pa = mem;
    sc->pb = sc->pa + widest;
    sc->tags = sc->pb + widest;
    sc->ids = (int64_t *)(void *)(sc->tags + widest);
    sc->lat_off = (uint16_t *)(void *)(sc->ids + widest);
    return mem;
}

/* Sorts every row of run and builds its directories. */
static void finish_rows(nj_spatial_run *run, const row_scratch *sc)
{
    uint32_t at = 0;
    for (size_t r = 0; r < run->row_count; r++) {
        size_t b = run->rows[r].start, e = run->rows[r + 1].start;
        row_view v = {run->ids + b, run->tags ? run->tags + b : NULL,
                      run->lon + b, run->lat_off + b, e - b};
        sort_row(&v, sc);
        at = build_row_dir(run, r, at, dir_cells(e - b));
    }
    run->rows[run->row_count].cell = at;
}

/* The occupied rows [first, last] (indexes into count), the widest row
 * and the directory entries the rows may need, from the span per-row
 * counts. */
static void measure_rows(const uint32_t *count, size_t span, size_t *first,
                         size_t *last, size_t *widest, size_t *cells)
{
    *first = 0;
    *last = 0;
    *widest = 0;
    *cells = 0;
    while (count[*first] == 0)
        (*first)++;
    for (size_t r = *first; r < span; r++) {
        if (count[r]) {
            size_t c = dir_cells(count[r]);
            *last = r;
            *widest = count[r] > *widest ? count[r] : *widest;
            *cells += c ? c + 1 : 0;
        }
    }
}

static void core_drop(nj_spatial *s)
{
    nj_alloc_free(s->alloc, s->core.ids);
    run_clear(&s->core);
    s->core_removed = 0;
    s->delta.count = 0;
}

/*
 * Replaces the core by the live points plus n_new new ones, and empties the
 * delta. A counting sort by row places every point straight into the new
 * core's arrays, then each row is sorted in cache-sized scratch and gets
 * its directory. On failure nothing changes.
 */
static nj_status rebuild(nj_spatial *s, const build_src *points)
{
    size_t stored = s->core.count - s->core_removed + s->delta.count, n;
    size_t rows, bytes, widest, first, last, cells;
    build_src window = *points, *src = &window;
    nj_spatial_run run;
    row_scratch sc;
    uint32_t *count;
    void *mem, *scratch;
    if (__builtin_add_overflow(stored, src->n_new, &n) || n > UINT32_MAX)
        return NJ_E_RANGE;
    if (n == 0) {
        core_drop(s);
        return NJ_OK;
    }
    set_row_window(src);
    count = nj_alloc_array(s->alloc, src->span, sizeof *count);
    if (!count)
        return NJ_E_NOMEM;
    memset(count, 0, src->span * sizeof *count);
    if (!visit_count(src, count)) {
        nj_alloc_free(s->alloc, count);
        return NJ_E_RANGE;
    }
    measure_rows(count, src->span, &first, &last, &widest, &cells);
    rows = last - first + 1;
    bytes = core_bytes(s, n, rows + 1, cells);
    mem = bytes ? nj_alloc_malloc(s->alloc, bytes) : NULL;
    scratch = scratch_alloc(s, widest, &sc);
    if (!mem || !scratch) {
        nj_alloc_free(s->alloc, mem);
        nj_alloc_free(s->alloc, scratch);
        nj_alloc_free(s->alloc, count);
        return NJ_E_NOMEM;
    }
    core_layout(s, &run, mem, n, rows + 1, cells);
    run.row_min = src->base + (int32_t)first;
    run.row_count = (uint32_t)rows;
    /* count[r] becomes the first slot of row base + r, for every row. */
    for (size_t r = 0, sum = 0; r < src->span; r++) {
        size_t c = count[r];
        count[r] = (uint32_t)sum;
        sum += c;
    }
    for (size_t r = 0; r <= rows; r++)
        run.rows[r].start = r < rows ? count[first + r] : (uint32_t)n;
    visit_place(src, count, &run);
    finish_rows(&run, &sc);
    nj_alloc_free(s->alloc, scratch);
    nj_alloc_free(s->alloc, count);
    nj_alloc_free(s->alloc, s->core.ids);
    s->core = run;
    s->core_removed = 0;
    s->delta.count = 0;
    return NJ_OK;
}

/* Delta size (and removed count) that triggers a merge: about 4 sqrt(n),
 * which balances the O(delta) insert against the O(n) merge. */
static size_t merge_limit(size_t n)
{
    size_t limit = (size_t)(4.0 * sqrt((double)n));
    return limit > DELTA_MIN_LIMIT ? limit : DELTA_MIN_LIMIT;
}

/*
 * Merges the delta and drops removed points once they grow past the limit.
 * Best effort: if memory is short the index stays as it is, still correct,
 * and the next update tries again.
 */
static void maybe_merge(nj_spatial *s)
{
    size_t limit = merge_limit(s->core.count);
    build_src src = {s, 0, NULL, NULL, 0, 0};
    if (s->delta.count > limit || s->core_removed > limit)
        (void)rebuild(s, &src);
}

/* ---- updates ------------------------------------------------------------ */

static int stored(const nj_spatial *s, int64_t id, cell_pos p)
{
    return core_find(&s->core, id, p) != SIZE_MAX ||
           delta_find(&s->delta, id, p) != SIZE_MAX;
}

nj_status nj_spatial_insert_tagged(nj_spatial *s, int64_t id, double lat,
                                   double lon, uint64_t tag)
{
    cell_pos p;
    if (!valid_point(lat, lon))
        return NJ_E_RANGE;
    p = snap(lat, lon);
    if (stored(s, id, p))
        return NJ_E_EXISTS;
    if (delta_reserve_one(s) != NJ_OK)
        return NJ_E_NOMEM;
    delta_insert(&s->delta, id, p, tag);
    maybe_merge(s);
    return NJ_OK;
}

nj_status nj_spatial_insert(nj_spatial *s, int64_t id, double lat, double lon)
{
    return nj_spatial_insert_tagged(s, id, lat, lon, 0);
}

nj_status nj_spatial_set_tag(nj_spatial *s, int64_t id, double lat, double lon,
                             uint64_t tag)
{
    cell_pos p;
    size_t i;
    if (!valid_point(lat, lon))
        return NJ_E_RANGE;
    p = snap(lat, lon);
    if ((i = delta_find(&s->delta, id, p)) != SIZE_MAX) {
        if (s->delta.tags)
            s->delta.tags[i] = tag;
        return NJ_OK;
    }
    if ((i = core_find(&s->core, id, p)) != SIZE_MAX) {
        if (s->core.tags)
            s->core.tags[i] = tag;
        return NJ_OK;
    }
    return NJ_E_NOT_FOUND;
}

/* Removes (id, p) if stored and returns 1 with its tag; else 0. Never
 * allocates. */
static int erase(nj_spatial *s, int64_t id, cell_pos p, uint64_t *tag)
{
    size_t i = delta_find(&s->delta, id, p);
    if (i != SIZE_MAX) {
        *tag = s->delta.tags ? s->delta.tags[i] : 0;
        delta_erase(&s->delta, i);
        return 1;
    }
    i = core_find(&s->core, id, p);
    if (i == SIZE_MAX)
        return 0;
    *tag = s->core.tags ? s->core.tags[i] : 0;
    s->core.lat_off[i] |= REMOVED_BIT;
    s->core_removed++;
    return 1;
}

nj_status nj_spatial_remove(nj_spatial *s, int64_t id, double lat, double lon)
{
    uint64_t tag;
    if (!valid_point(lat, lon))
        return NJ_E_RANGE;
    if (!erase(s, id, snap(lat, lon), &tag))
        return NJ_E_NOT_FOUND;
    maybe_merge(s);
    return NJ_OK;
}

nj_status nj_spatial_move(nj_spatial *s, int64_t id, double old_lat,
                          double old_lon, double new_lat, double new_lon)
{
    cell_pos from, to;
    uint64_t tag;
    if (!valid_point(old_lat, old_lon) || !valid_point(new_lat, new_lon))
        return NJ_E_RANGE;
    from = snap(old_lat, old_lon);
    to = snap(new_lat, new_lon);
    if (!stored(s, id, from))
        return NJ_E_NOT_FOUND;
    if (from.row == to.row && from.lat_off == to.lat_off && from.lon == to.lon)
        return NJ_OK;
    if (stored(s, id, to))
        return NJ_E_EXISTS;
    if (delta_reserve_one(s) != NJ_OK)
        return NJ_E_NOMEM;
    erase(s, id, from, &tag);
    delta_insert(&s->delta, id, to, tag);
    maybe_merge(s);
    return NJ_OK;
}

nj_status nj_spatial_bulk_load_from(nj_spatial *s, size_t n,
                                    nj_spatial_point_fn point, const void *ctx)
{
    build_src src = {s, n, point, ctx, 0, 0};
    if (n && !point)
        return NJ_E_INVALID;
    return rebuild(s, &src);
}

/* The arrays of nj_spatial_bulk_load() as a point source. */
typedef struct point_arrays {
    const int64_t *ids;
    const double *lat, *lon;
    const uint64_t *tags;
} point_arrays;

static void array_point(const void *ctx, size_t i, nj_spatial_point *p)
{
    const point_arrays *a = ctx;
    p->id = a->ids[i];
    p->lat = a->lat[i];
    p->lon = a->lon[i];
    p->tag = a->tags ? a->tags[i] : 0;
}

nj_status nj_spatial_bulk_load(nj_spatial *s, size_t n, const int64_t *ids,
                               const double *lat, const double *lon,
                               const uint64_t *tags)
{
    point_arrays a = {ids, lat, lon, tags};
    if (n && (!ids || !lat || !lon))
        return NJ_E_INVALID;
    /* Checked first, so that bad input allocates nothing. */
    for (size_t i = 0; i < n; i++)
        if (!valid_point(lat[i], lon[i]))
            return NJ_E_RANGE;
    return nj_spatial_bulk_load_from(s, n, array_point, &a);
}
