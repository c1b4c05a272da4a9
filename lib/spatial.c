/*
 * Spatial index: points bucketed into 182 m latitude rows, sorted by
 * longitude inside each row, in flat arrays (docs/spatial-index.md).
 *
 * A query walks the rows its circle touches, clips each row to the circle's
 * longitude span at that row, and tests the points in that span. Near the
 * query the test is trig-free: sin/cos of the small coordinate differences by
 * their Taylor series, accurate to an ulp. A point whose haversine lies
 * within a rounding margin of the radius is re-tested with nj_distance_m(),
 * the reference, so membership equals a brute-force scan's exactly. Wide
 * circles and polar rows use nj_distance_m() for every point.
 */
#include "spatial_internal.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846
#define E7_PER_DEG 1e7
#define RAD_PER_E7 (PI / 180.0 / E7_PER_DEG)

#define LAT_E7_MAX 900000000
#define LON_E7_MAX 1800000000
#define LON_E7_TURN 3600000000.0
#define ROW_BITS 14
#define ROW_HEIGHT_E7 (1 << ROW_BITS)
#define LAT_OFF_MASK ((uint16_t)(ROW_HEIGHT_E7 - 1))
#define REMOVED_BIT ((uint16_t)0x8000)

/* The trig-free test applies when coordinate half-differences stay below
 * 0.05 rad (Taylor terms to x^7 are then exact to an ulp) and the rows lie
 * within 80 degrees of the equator (cos(lat) keeps its relative accuracy). */
#define FAST_MAX_THETA 0.04
#define FAST_MAX_HALF_WIDTH 0.1
#define FAST_MAX_LAT_RAD (80.0 * PI / 180.0)
/* Relative width of the band around the radius decided by nj_distance_m();
 * both computations are good to a few ulps, this is ~50 times that. */
#define BAND_REL 1e-14

/* Merge the delta into the core once it holds this many points. */
#define DELTA_MIN_LIMIT 1024

/* A point in snapped form: row, latitude offset in the row, E7 longitude. */
typedef struct cell_pos {
    int32_t row;
    uint16_t lat_off;
    int32_t lon;
} cell_pos;

static int valid_lat(double lat) { return lat >= -90.0 && lat <= 90.0; }
static int valid_lon(double lon) { return lon >= -180.0 && lon <= 180.0; }

/*
 * round(deg * 1e7), halves away from zero, as llround() gives but cheaper:
 * |deg * 1e7| < 2^31, so the integer part and the fraction are exact.
 */
static int32_t to_e7(double deg)
{
    double x = deg * E7_PER_DEG;
    int32_t i = (int32_t)x;
    double frac = x - (double)i;
    return i + (frac >= 0.5) - (frac <= -0.5);
}

static cell_pos snap(double lat, double lon)
{
    int32_t lat_from_south = to_e7(lat) + LAT_E7_MAX;
    cell_pos p;
    p.row = lat_from_south >> ROW_BITS;
    p.lat_off = (uint16_t)(lat_from_south & LAT_OFF_MASK);
    p.lon = to_e7(lon);
    return p;
}

static int32_t row_base_e7(int32_t row)
{
    return row * ROW_HEIGHT_E7 - LAT_E7_MAX;
}

static double e7_to_deg(int64_t e7) { return (double)e7 / E7_PER_DEG; }

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

/* ---- small-angle series ------------------------------------------------ */

static double sin_small(double x, double x2)
{
    return x * (1.0 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040))));
}

static double cos_small(double x2)
{
    return 1.0 + x2 * (-0.5 + x2 * (1.0 / 24 + x2 * (-1.0 / 720 + x2 / 40320)));
}

/* An upper bound of asin(u) for 0 <= u <= 1. */
static double asin_upper(double u)
{
    if (u > 0.3)
        return asin(u) * (1.0 + 1e-12);
    /* The tail 3u^5/40 + 15u^7/336 + ... is below 0.1 u^5 for u <= 0.3. */
    return u + u * u * u * (1.0 / 6 + 0.1 * u * u);
}

/* ---- results ----------------------------------------------------------- */

void nj_hits_init(nj_hits *h, const nj_alloc *a)
{
    h->items = NULL;
    h->count = 0;
    h->cap = 0;
    h->alloc = a;
}

void nj_hits_free(nj_hits *h)
{
    nj_alloc_free(h->alloc, h->items);
    nj_hits_init(h, h->alloc);
}

/* Makes room for `extra` more hits. */
static nj_status hits_reserve(nj_hits *h, size_t extra)
{
    size_t need, cap;
    nj_hit *items;
    if (__builtin_add_overflow(h->count, extra, &need))
        return NJ_E_NOMEM;
    if (need <= h->cap)
        return NJ_OK;
    cap = h->cap > SIZE_MAX / 2 ? need : h->cap * 2;
    if (cap < need)
        cap = need;
    if (cap < 16)
        cap = 16;
    items = nj_alloc_realloc_array(h->alloc, h->items, cap, sizeof *items);
    if (!items)
        return NJ_E_NOMEM;
    h->items = items;
    h->cap = cap;
    return NJ_OK;
}

static void hits_push(nj_hits *h, int64_t id, double distance_m)
{
    h->items[h->count].id = id;
    h->items[h->count].distance_m = distance_m;
    h->count++;
}

static int hit_less(const nj_hit *a, const nj_hit *b)
{
    return a->distance_m < b->distance_m ||
           (a->distance_m == b->distance_m && a->id < b->id);
}

static void insertion_sort(nj_hit *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        nj_hit x = v[i];
        size_t j = i;
        for (; j > 0 && hit_less(&x, &v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static void sift_down(nj_hit *heap, size_t n, size_t i);

/* Heapsort by (distance, id): the fallback when the data defeat buckets. */
static void heap_sort(nj_hit *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, n, i);
    for (size_t end = n; end > 1; end--) {
        nj_hit x = v[0];
        v[0] = v[end - 1];
        v[end - 1] = x;
        sift_down(v, end - 1, 0);
    }
}

/*
 * The two passes of an LSD radix sort of (key, index) pairs: a quantised
 * distance key of 2 * digit bits in the high bits of a pair, the hit's index
 * in the low `shift` bits. Writes v in key order from the copy in tmp.
 * c: 2 << digit counters.
 */
#define DEFINE_RADIX_PLACE(name, word)                                           \
    static void name(nj_hit *v, nj_hit *tmp, word *pa, word *pb, uint32_t *c, \
                     size_t n, double scale, unsigned digit, unsigned shift)   \
    {                                                                         \
        const size_t radix = (size_t)1 << digit;                              \
        const uint32_t mask = (uint32_t)radix - 1;                            \
        const uint32_t top = ((uint32_t)1 << (2 * digit)) - 1;                \
        const word low = (word)(((word)1 << shift) - 1);                      \
        uint32_t *c0 = c, *c1 = c + radix;                                    \
        memset(c, 0, 2 * radix * sizeof *c);                                  \
        for (size_t i = 0; i < n; i++) {                                      \
            double kd = v[i].distance_m * scale;                              \
            uint32_t k = kd < (double)top ? (uint32_t)kd : top;               \
            tmp[i] = v[i];                                                    \
            pa[i] = (word)((word)k << shift | (word)i);                       \
            c0[k & mask]++;                                                   \
            c1[k >> digit]++;                                                 \
        }                                                                     \
        for (uint32_t b = 0, s0 = 0, s1 = 0; b < radix; b++) {                \
            uint32_t x0 = c0[b], x1 = c1[b];                                  \
            c0[b] = s0;                                                       \
            c1[b] = s1;                                                       \
            s0 += x0;                                                         \
            s1 += x1;                                                         \
        }                                                                     \
        for (size_t i = 0; i < n; i++)                                        \
            pb[c0[(uint32_t)(pa[i] >> shift) & mask]++] = pa[i];              \
        for (size_t i = 0; i < n; i++)                                        \
            v[c1[(uint32_t)(pb[i] >> (shift + digit))]++] = tmp[pb[i] & low]; \
    }

DEFINE_RADIX_PLACE(radix_place32, uint32_t)
DEFINE_RADIX_PLACE(radix_place64, uint64_t)

/*
 * Sorts by (distance, id) in linear time: an LSD radix sort on a quantised
 * distance key (16 bits for up to 64 Ki hits, packed with the index in 32
 * bits; else 22 bits, in 64), two passes of 8 or 11 bits. The key has far
 * more levels than there are hits, so hits rarely share one whatever the
 * spatial distribution; a final pass repairs those ties by insertion. If
 * the repair grows costly (many equal distances, say), a heapsort finishes
 * the job. max_d bounds the distances (< 0: unknown). The scratch space is
 * carved from out's spare capacity.
 */
static nj_status sort_hits(nj_hits *out, double max_d)
{
    size_t n = out->count, scratch_bytes, scratch_hits, budget;
    int narrow = n <= 0xffff;
    unsigned digit = narrow ? 8 : 11;
    size_t word = narrow ? sizeof(uint32_t) : sizeof(uint64_t);
    nj_hit *v, *tmp;
    void *pa;
    uint32_t *c;
    double scale;
    if (n < 32) {
        insertion_sort(out->items, n);
        return NJ_OK;
    }
    if (n > UINT32_MAX) {
        heap_sort(out->items, n);
        return NJ_OK;
    }
    scratch_bytes = 2 * n * word + (2u << digit) * sizeof *c;
    scratch_hits = n + (scratch_bytes + sizeof *v - 1) / sizeof *v;
    if (hits_reserve(out, scratch_hits) != NJ_OK)
        return NJ_E_NOMEM;
    v = out->items;
    tmp = v + n;
    pa = tmp + n;
    c = (uint32_t *)(void *)((char *)pa + 2 * n * word);
    if (!(max_d >= 0.0 && max_d < INFINITY)) {
        max_d = 0.0;
        for (size_t i = 0; i < n; i++)
            max_d = v[i].distance_m > max_d ? v[i].distance_m : max_d;
    }
    /* key = floor(d / max * top), clamped to top: monotone in d. */
    scale = max_d > 0.0 ? (double)((1u << (2 * digit)) - 1) / max_d : 0.0;
    if (narrow)
        radix_place32(v, tmp, pa, (uint32_t *)pa + n, c, n, scale, digit, 16);
    else
        radix_place64(v, tmp, pa, (uint64_t *)pa + n, c, n, scale, digit, 32);
    /* Repair ties in place: at most `budget` moves, then heapsort. */
    budget = 8 * n;
    for (size_t i = 1; i < n; i++) {
        if (!hit_less(&v[i], &v[i - 1]))
            continue;
        nj_hit x = v[i];
        size_t j = i;
        do {
            v[j] = v[j - 1];
            j--;
        } while (j > 0 && hit_less(&x, &v[j - 1]));
        v[j] = x;
        budget -= i - j < budget ? i - j : budget;
        if (budget == 0) {
            heap_sort(v, n);
            break;
        }
    }
    return NJ_OK;
}

static void sift_down(nj_hit *heap, size_t n, size_t i)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            return;
        if (child + 1 < n && hit_less(&heap[child], &heap[child + 1]))
            child++;
        if (!hit_less(&heap[i], &heap[child]))
            return;
        nj_hit x = heap[i];
        heap[i] = heap[child];
        heap[child] = x;
        i = child;
    }
}

/* Keeps the k smallest hits by (distance, id), sorted. */
static nj_status keep_smallest(nj_hits *out, size_t k)
{
    nj_hit *v = out->items;
    if (out->count <= k)
        return sort_hits(out, -1.0);
    for (size_t i = k / 2; i-- > 0;)
        sift_down(v, k, i);
    for (size_t i = k; i < out->count; i++) {
        if (hit_less(&v[i], &v[0])) {
            v[0] = v[i];
            sift_down(v, k, 0);
        }
    }
    out->count = k;
    insertion_sort(v, k);
    return NJ_OK;
}

/* ---- index storage ----------------------------------------------------- */

static void run_clear(nj_spatial_run *run)
{
    memset(run, 0, sizeof *run);
}

void nj_spatial_init(nj_spatial *s, const nj_alloc *a)
{
    s->alloc = a;
    run_clear(&s->core);
    s->core_removed = 0;
    memset(&s->delta, 0, sizeof s->delta);
}

/* Each structure is a single block starting at its id array. */
void nj_spatial_free(nj_spatial *s)
{
    nj_alloc_free(s->alloc, s->core.ids);
    nj_alloc_free(s->alloc, s->delta.ids);
    nj_spatial_init(s, s->alloc);
}

size_t nj_spatial_count(const nj_spatial *s)
{
    return s->core.count - s->core_removed + s->delta.count;
}

/* Bytes of a block of n points (ids, lon, then extra 4-byte words, then
 * lat_off); 0 on overflow. */
static size_t block_bytes(size_t n, size_t words32)
{
    size_t bytes, total;
    if (__builtin_mul_overflow(n, sizeof(int64_t) + sizeof(int32_t) + sizeof(uint16_t),
                               &bytes) ||
        __builtin_mul_overflow(words32, sizeof(uint32_t), &total) ||
        __builtin_add_overflow(bytes, total, &total))
        return 0;
    return total;
}

size_t nj_spatial_memory_bytes(const nj_spatial *s)
{
    size_t core = s->core.ids ? block_bytes(s->core.count, s->core.row_count + 1) : 0;
    size_t delta = s->delta.ids ? block_bytes(s->delta.cap, s->delta.cap) : 0;
    return core + delta;
}

static void core_row_span(const nj_spatial_run *run, int32_t row, size_t *b,
                          size_t *e)
{
    int64_t i = (int64_t)row - run->row_min;
    if (i < 0 || i >= (int64_t)run->row_count) {
        *b = *e = 0;
        return;
    }
    *b = run->row_start[i];
    *e = run->row_start[i + 1];
}

static size_t lon_lower_bound(const int32_t *lons, size_t b, size_t e, int64_t lon)
{
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        if (lons[mid] < lon)
            b = mid + 1;
        else
            e = mid;
    }
    return b;
}

/* First index in [b, e) whose longitude is > lon, for a lon near lons[b]:
 * galloping finds it in O(log distance). */
static size_t lon_upper_bound_near(const int32_t *lons, size_t b, size_t e,
                                   int64_t lon)
{
    size_t step = 1, lo = b;
    while (lo + step < e && lons[lo + step] <= lon) {
        lo += step;
        step *= 2;
    }
    return lon_lower_bound(lons, lo, lo + step < e ? lo + step : e, lon + 1);
}

/* Index of the live core point (id, p), or SIZE_MAX. */
static size_t core_find(const nj_spatial_run *run, int64_t id, cell_pos p)
{
    size_t b, e;
    core_row_span(run, p.row, &b, &e);
    for (size_t i = lon_lower_bound(run->lon, b, e, p.lon);
         i < e && run->lon[i] == p.lon; i++)
        if (run->ids[i] == id && run->lat_off[i] == p.lat_off)
            return i;
    return SIZE_MAX;
}

static int delta_before(const nj_spatial_delta *d, size_t i, int32_t row,
                        int64_t lon)
{
    return d->row[i] < row || (d->row[i] == row && d->lon[i] < lon);
}

/* First delta index at or after (row, lon). */
static size_t delta_lower_bound(const nj_spatial_delta *d, int32_t row,
                                int64_t lon)
{
    size_t b = 0, e = d->count;
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        if (delta_before(d, mid, row, lon))
            b = mid + 1;
        else
            e = mid;
    }
    return b;
}

static size_t delta_find(const nj_spatial_delta *d, int64_t id, cell_pos p)
{
    for (size_t i = delta_lower_bound(d, p.row, p.lon);
         i < d->count && d->row[i] == p.row && d->lon[i] == p.lon; i++)
        if (d->ids[i] == id && d->lat_off[i] == p.lat_off)
            return i;
    return SIZE_MAX;
}

/* Lays out a delta block of capacity cap at mem (ids first). */
static void delta_layout(nj_spatial_delta *d, void *mem, size_t cap)
{
    d->ids = mem;
    d->lon = (int32_t *)(void *)(d->ids + cap);
    d->row = d->lon + cap;
    d->lat_off = (uint16_t *)(void *)(d->row + cap);
    d->cap = cap;
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
    bytes = block_bytes(cap, cap);
    if (!bytes || !(mem = nj_alloc_malloc(s->alloc, bytes)))
        return NJ_E_NOMEM;
    delta_layout(&grown, mem, cap);
    grown.count = d->count;
    if (d->count) {
        memcpy(grown.ids, d->ids, d->count * sizeof *d->ids);
        memcpy(grown.lon, d->lon, d->count * sizeof *d->lon);
        memcpy(grown.row, d->row, d->count * sizeof *d->row);
        memcpy(grown.lat_off, d->lat_off, d->count * sizeof *d->lat_off);
    }
    nj_alloc_free(s->alloc, d->ids);
    *d = grown;
    return NJ_OK;
}

/* Shifts the delta's tail [i, count) by one slot up (gap at i) or down. */
static void delta_shift(nj_spatial_delta *d, size_t from, size_t to)
{
    size_t n = d->count - from;
    memmove(d->ids + to, d->ids + from, n * sizeof *d->ids);
    memmove(d->lon + to, d->lon + from, n * sizeof *d->lon);
    memmove(d->row + to, d->row + from, n * sizeof *d->row);
    memmove(d->lat_off + to, d->lat_off + from, n * sizeof *d->lat_off);
}

/* Inserts into the delta; capacity must have been reserved. */
static void delta_insert(nj_spatial_delta *d, int64_t id, cell_pos p)
{
    size_t i = delta_lower_bound(d, p.row, p.lon);
    delta_shift(d, i, i + 1);
    d->ids[i] = id;
    d->lon[i] = p.lon;
    d->row[i] = p.row;
    d->lat_off[i] = p.lat_off;
    d->count++;
}

static void delta_erase(nj_spatial_delta *d, size_t i)
{
    delta_shift(d, i + 1, i);
    d->count--;
}

/* ---- building the core ------------------------------------------------- */

/* Rows a latitude can fall in: (2 * 90e7 + 1) E7 steps, 2^14 a row. */
#define ROWS_TOTAL (((size_t)2 * LAT_E7_MAX >> ROW_BITS) + 1)

/*
 * Every point a rebuild keeps, visited in a fixed order: the live core
 * points, the delta, then the n_new new ones. visit_count() counts them per
 * row (count[row]); visit_place() writes each at slot[row]++ of dst.
 */
typedef struct build_src {
    const nj_spatial *s;
    size_t n_new;
    const int64_t *ids;
    const double *lat, *lon;
} build_src;

static void visit_count(const build_src *src, uint32_t *count)
{
    const nj_spatial_run *c = &src->s->core;
    const nj_spatial_delta *d = &src->s->delta;
    for (uint32_t r = 0; r < c->row_count; r++) {
        uint32_t live = 0;
        for (size_t i = c->row_start[r]; i < c->row_start[r + 1]; i++)
            live += !(c->lat_off[i] & REMOVED_BIT);
        count[c->row_min + (int32_t)r] += live;
    }
    for (size_t i = 0; i < d->count; i++)
        count[d->row[i]]++;
    for (size_t i = 0; i < src->n_new; i++)
        count[snap(src->lat[i], src->lon[i]).row]++;
}

static void visit_place(const build_src *src, uint32_t *slot, nj_spatial_run *dst)
{
    const nj_spatial_run *c = &src->s->core;
    const nj_spatial_delta *d = &src->s->delta;
    int64_t *ids = dst->ids;
    int32_t *lon = dst->lon;
    uint16_t *lat_off = dst->lat_off;
    for (uint32_t r = 0; r < c->row_count; r++) {
        uint32_t *at = &slot[c->row_min + (int32_t)r];
        for (size_t i = c->row_start[r]; i < c->row_start[r + 1]; i++) {
            if (c->lat_off[i] & REMOVED_BIT)
                continue;
            ids[*at] = c->ids[i];
            lon[*at] = c->lon[i];
            lat_off[(*at)++] = c->lat_off[i];
        }
    }
    for (size_t i = 0; i < d->count; i++) {
        uint32_t j = slot[d->row[i]]++;
        ids[j] = d->ids[i];
        lon[j] = d->lon[i];
        lat_off[j] = d->lat_off[i];
    }
    for (size_t i = 0; i < src->n_new; i++) {
        cell_pos p = snap(src->lat[i], src->lon[i]);
        uint32_t j = slot[p.row]++;
        ids[j] = src->ids[i];
        lon[j] = p.lon;
        lat_off[j] = p.lat_off;
    }
}

/* Scratch for sorting one row: room for the largest row. */
typedef struct row_scratch {
    uint64_t *pa, *pb;
    int64_t *ids;
    uint16_t *lat_off;
} row_scratch;

/*
 * Sorts one row's points by longitude: an LSD radix sort (11-bit digits,
 * only the passes the row's longitude range needs) of (lon - min, index)
 * pairs in the scratch, which stays in cache, then one permutation of the
 * three arrays. Stable, so equal longitudes keep the visiting order.
 */
static void sort_row(int64_t *ids, int32_t *lon, uint16_t *lat_off, size_t n,
                     const row_scratch *sc)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    uint32_t count[2048];
    uint64_t *pa = sc->pa, *pb = sc->pb;
    int sorted = 1;
    if (n < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        lo = lon[i] < lo ? lon[i] : lo;
        hi = lon[i] > hi ? lon[i] : hi;
        sorted &= i == 0 || lon[i - 1] <= lon[i];
    }
    if (sorted)
        return;
    for (size_t i = 0; i < n; i++)
        pa[i] = (uint64_t)(uint32_t)((int64_t)lon[i] - lo) << 32 | i;
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = pa[i];
            size_t j = i;
            for (; j > 0 && pa[j - 1] > x; j--)
                pa[j] = pa[j - 1];
            pa[j] = x;
        }
    } else {
        uint32_t range = (uint32_t)((int64_t)hi - lo);
        for (unsigned shift = 32; shift < 64 && (range >> (shift - 32)) != 0;
             shift += 11) {
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
    }
    memcpy(sc->ids, ids, n * sizeof *ids);
    memcpy(sc->lat_off, lat_off, n * sizeof *lat_off);
    for (size_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)pa[i];
        ids[i] = sc->ids[j];
        lon[i] = (int32_t)((int64_t)lo + (int64_t)(pa[i] >> 32));
        lat_off[i] = sc->lat_off[j];
    }
}

/*
 * Replaces the core by the live points plus n_new new ones, and empties the
 * delta. A counting sort by row places every point straight into the new
 * core's arrays, then each row is sorted by longitude in cache-sized
 * scratch. On failure nothing changes.
 */
static nj_status rebuild(nj_spatial *s, size_t n_new, const int64_t *ids,
                         const double *lat, const double *lon)
{
    size_t stored = s->core.count - s->core_removed + s->delta.count, n;
    size_t rows, bytes, widest = 0, first = 0, last = 0;
    build_src src = {s, n_new, ids, lat, lon};
    nj_spatial_run run;
    row_scratch sc;
    uint32_t *count;
    void *mem, *scratch;
    if (__builtin_add_overflow(stored, n_new, &n) || n > UINT32_MAX)
        return NJ_E_RANGE;
    if (n == 0) {
        nj_alloc_free(s->alloc, s->core.ids);
        run_clear(&s->core);
        s->core_removed = 0;
        s->delta.count = 0;
        return NJ_OK;
    }
    count = nj_alloc_array(s->alloc, ROWS_TOTAL + 1, sizeof *count);
    if (!count)
        return NJ_E_NOMEM;
    memset(count, 0, (ROWS_TOTAL + 1) * sizeof *count);
    visit_count(&src, count);
    while (count[first] == 0)
        first++;
    for (size_t r = first; r < ROWS_TOTAL; r++) {
        if (count[r]) {
            last = r;
            widest = count[r] > widest ? count[r] : widest;
        }
    }
    rows = last - first + 1;
    bytes = block_bytes(n, rows + 1);
    mem = bytes ? nj_alloc_malloc(s->alloc, bytes) : NULL;
    scratch = nj_alloc_array(s->alloc, widest,
                             2 * sizeof(uint64_t) + sizeof(int64_t) + sizeof(uint16_t));
    if (!mem || !scratch) {
        nj_alloc_free(s->alloc, mem);
        nj_alloc_free(s->alloc, scratch);
        nj_alloc_free(s->alloc, count);
        return NJ_E_NOMEM;
    }
    run.ids = mem;
    run.lon = (int32_t *)(void *)(run.ids + n);
    run.row_start = (uint32_t *)(run.lon + n);
    run.lat_off = (uint16_t *)(void *)(run.row_start + rows + 1);
    run.row_min = (int32_t)first;
    run.row_count = (uint32_t)rows;
    run.count = n;
    /* count[r] becomes the first slot of row r, for every row. */
    for (size_t r = 0, sum = 0; r < ROWS_TOTAL; r++) {
        size_t c = count[r];
        count[r] = (uint32_t)sum;
        sum += c;
    }
    count[ROWS_TOTAL] = (uint32_t)n;
    memcpy(run.row_start, count + first, (rows + 1) * sizeof *count);
    run.row_start[rows] = (uint32_t)n;
    visit_place(&src, count, &run);
    sc.pa = scratch;
    sc.pb = sc.pa + widest;
    sc.ids = (int64_t *)(void *)(sc.pb + widest);
    sc.lat_off = (uint16_t *)(void *)(sc.ids + widest);
    for (size_t r = 0; r < rows; r++) {
        size_t b = run.row_start[r], e = run.row_start[r + 1];
        sort_row(run.ids + b, run.lon + b, run.lat_off + b, e - b, &sc);
    }
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
    if (s->delta.count > limit || s->core_removed > limit)
        (void)rebuild(s, 0, NULL, NULL, NULL);
}

/* ---- updates ------------------------------------------------------------ */

static int valid_point(double lat, double lon)
{
    return valid_lat(lat) && valid_lon(lon);
}

static int stored(const nj_spatial *s, int64_t id, cell_pos p)
{
    return core_find(&s->core, id, p) != SIZE_MAX ||
           delta_find(&s->delta, id, p) != SIZE_MAX;
}

nj_status nj_spatial_insert(nj_spatial *s, int64_t id, double lat, double lon)
{
    cell_pos p;
    if (!valid_point(lat, lon))
        return NJ_E_RANGE;
    p = snap(lat, lon);
    if (stored(s, id, p))
        return NJ_E_EXISTS;
    if (delta_reserve_one(s) != NJ_OK)
        return NJ_E_NOMEM;
    delta_insert(&s->delta, id, p);
    maybe_merge(s);
    return NJ_OK;
}

/* Removes (id, p) if stored; returns whether it was. Never allocates. */
static int erase(nj_spatial *s, int64_t id, cell_pos p)
{
    size_t i = delta_find(&s->delta, id, p);
    if (i != SIZE_MAX) {
        delta_erase(&s->delta, i);
        return 1;
    }
    i = core_find(&s->core, id, p);
    if (i == SIZE_MAX)
        return 0;
    s->core.lat_off[i] |= REMOVED_BIT;
    s->core_removed++;
    return 1;
}

nj_status nj_spatial_remove(nj_spatial *s, int64_t id, double lat, double lon)
{
    if (!valid_point(lat, lon))
        return NJ_E_RANGE;
    if (!erase(s, id, snap(lat, lon)))
        return NJ_E_NOT_FOUND;
    maybe_merge(s);
    return NJ_OK;
}

nj_status nj_spatial_move(nj_spatial *s, int64_t id, double old_lat,
                          double old_lon, double new_lat, double new_lon)
{
    cell_pos from, to;
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
    erase(s, id, from);
    delta_insert(&s->delta, id, to);
    maybe_merge(s);
    return NJ_OK;
}

nj_status nj_spatial_bulk_load(nj_spatial *s, size_t n, const int64_t *ids,
                               const double *lat, const double *lon)
{
    if (n && (!ids || !lat || !lon))
        return NJ_E_INVALID;
    for (size_t i = 0; i < n; i++)
        if (!valid_point(lat[i], lon[i]))
            return NJ_E_RANGE;
    return rebuild(s, n, ids, lat, lon);
}

/* ---- queries ------------------------------------------------------------ */

typedef struct query {
    double lat, lon;        /* centre, degrees */
    double lat_e7, lon_e7;  /* centre in E7 units, unrounded */
    double cos_lat, sin_lat;
    double radius_m;
    double h_radius;        /* sin^2(radius / 2R), the haversine at the edge */
    int fast_ok;            /* small circle away from the poles */
} query;

/* The rows a circle of some reach touches and how to clip them. */
typedef struct reach {
    double theta;      /* angular reach, rounded up */
    double hav;        /* upper bound of sin^2(theta / 2) */
    double cos_floor;  /* lower bound of cos(lat) over the rows, < 0: per row */
    int32_t row_lo, row_hi;
} reach;

/* One clipped row: where to look and how to test. */
typedef struct row_scan {
    const query *q;
    int32_t base_e7;   /* latitude of the row's first E7 step */
    double lat_base;   /* base_e7 minus the centre's latitude, E7 units */
    double cos_base;   /* cos(centre lat) * cos(row base lat) */
    double sin_base;   /* cos(centre lat) * sin(row base lat) */
    double lon_ref;    /* centre longitude, E7, shifted by a turn if wrapped */
    double h_in;       /* haversines below this are inside for sure */
    double h_out;      /* and above this outside for sure */
    int fast;
} row_scan;

static int32_t row_of_e7(double lat_e7)
{
    double clamped = lat_e7 < -LAT_E7_MAX ? -LAT_E7_MAX
                     : lat_e7 > LAT_E7_MAX ? LAT_E7_MAX : lat_e7;
    return ((int32_t)floor(clamped) + LAT_E7_MAX) >> ROW_BITS;
}

/* sin(x) for 0 <= x <= PI / 2, by its series when x is small. */
static double sin_of(double x)
{
    return x <= 0.05 ? sin_small(x, x * x) : sin(x);
}

static void query_init(query *q, double lat, double lon, double radius_m)
{
    double theta = radius_m / NJ_EARTH_RADIUS_M, s;
    q->lat = lat;
    q->lon = lon;
    q->lat_e7 = lat * E7_PER_DEG;
    q->lon_e7 = lon * E7_PER_DEG;
    q->cos_lat = cos(lat * (PI / 180.0));
    q->sin_lat = sin(lat * (PI / 180.0));
    q->radius_m = radius_m;
    s = theta < PI ? sin_of(0.5 * theta) : 1.0;
    q->h_radius = s * s;
    q->fast_ok = theta <= FAST_MAX_THETA &&
                 fabs(lat * (PI / 180.0)) + theta + 1e-3 <= FAST_MAX_LAT_RAD;
}

static void reach_init(reach *w, const query *q, double reach_m)
{
    double theta = reach_m / NJ_EARTH_RADIUS_M * (1.0 + 1e-12) + 1e-12;
    double span_e7 = theta / RAD_PER_E7 + 2.0;
    w->theta = theta;
    if (theta >= PI) {
        w->hav = 1.0;
    } else {
        double s = sin_of(0.5 * theta);
        w->hav = s * s * (1.0 + 1e-12) + 1e-300;
    }
    w->row_lo = row_of_e7(q->lat_e7 - span_e7);
    w->row_hi = row_of_e7(q->lat_e7 + span_e7);
    w->cos_floor = -1.0;
    if (q->fast_ok) {
        /* cos(|lat| + theta), by the angle sum: theta is small. */
        double t = theta + 1e-9, t2 = t * t;
        double cos_far = q->cos_lat * cos_small(t2) - fabs(q->sin_lat) * sin_small(t, t2);
        w->cos_floor = cos_far * (1.0 - 1e-12);
    }
}

/*
 * Upper bound, in radians, of the circle's longitude half-width over the
 * row; negative if the row misses the circle, >= PI for the whole row.
 * From hav(d) = hav(dlat) + cos(lat) cos(lat0) hav(dlon) with the smallest
 * dlat and the smallest cos(lat) the row allows.
 */
static double row_half_width(const query *q, const reach *w, int32_t row)
{
    double a = row_base_e7(row) * RAD_PER_E7;
    double b = (row_base_e7(row) + ROW_HEIGHT_E7 - 1) * RAD_PER_E7;
    double phi = q->lat * (PI / 180.0);
    double dlat = phi < a ? a - phi : (phi > b ? phi - b : 0.0);
    double x = 0.5 * dlat, sx, num, cos_row, den;
    if (dlat > w->theta)
        return -1.0;
    sx = x - x * x * x / 6.0; /* lower bound of sin(x) */
    num = w->hav - sx * sx;
    if (num < 0.0)
        return -1.0;
    cos_row = w->cos_floor >= 0.0 ? w->cos_floor : fmin(cos(a), cos(b));
    den = q->cos_lat * cos_row * (1.0 - 1e-12);
    if (num >= den)
        return PI;
    return 2.0 * asin_upper(sqrt(num / den)) * (1.0 + 1e-12) + 1e-15;
}

/*
 * The row's cos(centre lat) * cos(base lat) and * sin(base lat), from the
 * centre's by the angle sum formula: the difference is small, so its sine
 * and cosine come from their series, with no trigonometric call.
 */
static void row_base_trig(row_scan *rs)
{
    const query *q = rs->q;
    double x = rs->lat_base * RAD_PER_E7, x2 = x * x;
    double sx = sin_small(x, x2), cx = cos_small(x2);
    rs->cos_base = q->cos_lat * (q->cos_lat * cx - q->sin_lat * sx);
    rs->sin_base = q->cos_lat * (q->sin_lat * cx + q->cos_lat * sx);
}

/* Points tested together: the haversine of a whole block is straight-line
 * arithmetic over fixed-size arrays, which compilers vectorise. */
#define BLOCK 16

/*
 * The haversines of a block of points relative to the centre, trig-free:
 * hav = sin^2(dlat / 2) + cos(lat0) cos(lat) sin^2(dlon / 2), where
 * cos(lat0) cos(lat) expands around the row's base latitude, at most
 * 2^14 E7 units (2.9e-5 rad) away: the omitted terms are below 1e-19.
 */
static void fast_haversines(const row_scan *rs, const double *lat_off,
                            const double *lon, double *h)
{
    const double kh = 0.5 * RAD_PER_E7;
    for (size_t j = 0; j < BLOCK; j++) {
        /* Half-differences of latitude (x) and longitude (y), radians. */
        double x = (rs->lat_base + lat_off[j]) * kh;
        double s = sin_small(x, x * x);
        double dp = lat_off[j] * RAD_PER_E7;
        double cos_cos = rs->cos_base -
                         dp * (rs->sin_base + dp * (0.5 * rs->cos_base - dp * rs->sin_base / 6));
        double y = (lon[j] - rs->lon_ref) * kh;
        double t = sin_small(y, y * y);
        h[j] = s * s + cos_cos * t * t;
    }
}

/* 2R asin(sqrt(h)) by its series, exact to an ulp for sqrt(h) <= 0.025. */
static double small_hav_to_m(double h)
{
    double q = sqrt(h);
    return 2.0 * NJ_EARTH_RADIUS_M * q *
           (1.0 + h * (1.0 / 6 + h * (3.0 / 40 + h * (15.0 / 336 + h * (105.0 / 3456)))));
}

/*
 * Appends the points of a block that are inside. Branch-free in the common
 * case: every point is written at the end of out and kept by advancing the
 * count, because whether a point is inside is as unpredictable as a coin
 * toss. Only points in the rounding band around the radius take the exact,
 * branchy path.
 */
static nj_hit *emit_block(const row_scan *rs, const int64_t *ids,
                          const uint16_t *lat_offs, const double *lon,
                          const double *h, size_t n, nj_hit *hit)
{
    const query *q = rs->q;
    for (size_t j = 0; j < n; j++) {
        int inside = h[j] < rs->h_in;
        hit->id = ids[j];
        hit->distance_m = small_hav_to_m(h[j]);
        if ((h[j] >= rs->h_in) & (h[j] <= rs->h_out)) {
            int64_t lat_e7 = rs->base_e7 + (lat_offs[j] & LAT_OFF_MASK);
            hit->distance_m = nj_distance_m(q->lat, q->lon, e7_to_deg(lat_e7),
                                            lon[j] / E7_PER_DEG);
            inside = hit->distance_m <= q->radius_m;
        }
        hit += inside & !(lat_offs[j] & REMOVED_BIT);
    }
    return hit;
}

static void scan_fast(const row_scan *rs, const int64_t *ids,
                      const int32_t *lons, const uint16_t *lat_offs, size_t b,
                      size_t e, nj_hits *out)
{
    double lat_off[BLOCK], lon[BLOCK], h[BLOCK];
    nj_hit *hit = out->items + out->count;
    for (size_t i = b; i < e; i += BLOCK) {
        size_t n = e - i < BLOCK ? e - i : BLOCK;
        for (size_t j = 0; j < n; j++) {
            lat_off[j] = lat_offs[i + j] & LAT_OFF_MASK;
            lon[j] = lons[i + j];
        }
        for (size_t j = n; j < BLOCK; j++) {
            lat_off[j] = 0.0;
            lon[j] = rs->lon_ref;
        }
        fast_haversines(rs, lat_off, lon, h);
        hit = emit_block(rs, ids + i, lat_offs + i, lon, h, n, hit);
    }
    out->count = (size_t)(hit - out->items);
}

static void scan_exact(const row_scan *rs, const int64_t *ids,
                       const int32_t *lons, const uint16_t *lat_offs, size_t b,
                       size_t e, nj_hits *out)
{
    const query *q = rs->q;
    for (size_t i = b; i < e; i++) {
        if (lat_offs[i] & REMOVED_BIT)
            continue;
        double d = nj_distance_m(q->lat, q->lon,
                                 e7_to_deg(rs->base_e7 + lat_offs[i]),
                                 e7_to_deg(lons[i]));
        if (d <= q->radius_m)
            hits_push(out, ids[i], d);
    }
}

/* Tests the row's points with longitude in [lo, hi], core and delta. */
/* Rows planned together: their memory is requested before any is read. */
#define ROW_BATCH 16
/* A row yields at most two longitude intervals, each in core and delta. */
#define SPANS_PER_ROW 4

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Points [b, e) of the core or the delta, to test as rs says. */
typedef struct span {
    row_scan rs;
    const int64_t *ids;
    const int32_t *lons;
    const uint16_t *lat_offs;
    size_t b, e;
} span;

/* A row's longitude interval [lo, hi], to be located in core and delta. */
typedef struct interval {
    row_scan rs;
    int32_t row;
    int64_t lo, hi;
} interval;

typedef struct plan {
    interval intervals[ROW_BATCH * 2];
    size_t interval_count;
    span spans[ROW_BATCH * SPANS_PER_ROW];
    size_t count;
    size_t points;
} plan;

static void plan_span(plan *p, const row_scan *rs, const int64_t *ids,
                      const int32_t *lons, const uint16_t *lat_offs, size_t b,
                      size_t e)
{
    span *sp;
    if (b >= e)
        return;
    PREFETCH(ids + b);
    PREFETCH(lons + b);
    PREFETCH(lat_offs + b);
    sp = &p->spans[p->count++];
    sp->rs = *rs;
    sp->ids = ids;
    sp->lons = lons;
    sp->lat_offs = lat_offs;
    sp->b = b;
    sp->e = e;
    p->points += e - b;
}

static void plan_interval(plan *p, const row_scan *rs, int32_t row, int64_t lo,
                          int64_t hi)
{
    interval *iv = &p->intervals[p->interval_count++];
    iv->rs = *rs;
    iv->row = row;
    iv->lo = lo;
    iv->hi = hi;
}

static int row_is_empty(const nj_spatial *s, int32_t row)
{
    const nj_spatial_delta *d = &s->delta;
    size_t b, e, i;
    core_row_span(&s->core, row, &b, &e);
    if (b < e)
        return 0;
    if (d->count == 0)
        return 1;
    i = delta_lower_bound(d, row, INT64_MIN);
    return i == d->count || d->row[i] != row;
}

/* Plans one row, split in two where the span crosses the antimeridian. */
static void plan_row(plan *p, const nj_spatial *s, const query *q,
                     const reach *w, int32_t row)
{
    double half, half_e7;
    row_scan rs;
    int64_t lo, hi;
    if (row_is_empty(s, row))
        return;
    half = row_half_width(q, w, row);
    if (half < 0.0)
        return;
    rs.q = q;
    rs.base_e7 = row_base_e7(row);
    rs.lat_base = rs.base_e7 - q->lat_e7;
    rs.lon_ref = q->lon_e7;
    rs.fast = q->fast_ok && half <= FAST_MAX_HALF_WIDTH;
    if (rs.fast) {
        double band = BAND_REL * (sqrt(w->hav) + 0.5 * half + q->h_radius);
        row_base_trig(&rs);
        rs.h_in = q->h_radius - band;
        rs.h_out = q->h_radius + band;
    }
    half_e7 = half >= PI ? LON_E7_TURN : ceil(half / RAD_PER_E7) + 1.0;
    lo = (int64_t)floor(q->lon_e7 - half_e7);
    hi = (int64_t)ceil(q->lon_e7 + half_e7);
    if (hi - lo >= (int64_t)LON_E7_TURN) {
        plan_interval(p, &rs, row, -LON_E7_MAX, LON_E7_MAX);
        return;
    }
    plan_interval(p, &rs, row, lo < -LON_E7_MAX ? -LON_E7_MAX : lo,
                  hi > LON_E7_MAX ? LON_E7_MAX : hi);
    if (lo < -LON_E7_MAX) {
        rs.lon_ref = q->lon_e7 + LON_E7_TURN;
        plan_interval(p, &rs, row, lo + (int64_t)LON_E7_TURN, LON_E7_MAX);
    } else if (hi > LON_E7_MAX) {
        rs.lon_ref = q->lon_e7 - LON_E7_TURN;
        plan_interval(p, &rs, row, -LON_E7_MAX, hi - (int64_t)LON_E7_TURN);
    }
}

/*
 * Finds where every planned interval starts in the core. The binary
 * searches run in lockstep, one level for all intervals at a time: each
 * level is a cache miss per row, and in lockstep those misses overlap.
 */
static void locate_in_core(plan *p, const nj_spatial_run *c)
{
    const int32_t *base[ROW_BATCH * 2];
    size_t n[ROW_BATCH * 2], end[ROW_BATCH * 2], todo[ROW_BATCH * 2];
    size_t count = 0, longest = 0;
    for (size_t i = 0; i < p->interval_count; i++) {
        size_t b, e;
        core_row_span(c, p->intervals[i].row, &b, &e);
        if (b == e)
            continue;
        base[count] = c->lon + b;
        n[count] = e - b;
        end[count] = e;
        todo[count++] = i;
        longest = e - b > longest ? e - b : longest;
    }
    for (; longest > 1; longest -= longest / 2) {
        for (size_t j = 0; j < count; j++) {
            size_t half = n[j] / 2;
            base[j] = base[j][half] < p->intervals[todo[j]].lo ? base[j] + half : base[j];
            n[j] -= half;
        }
    }
    for (size_t j = 0; j < count; j++) {
        const interval *iv = &p->intervals[todo[j]];
        size_t b = (size_t)(base[j] - c->lon) + (*base[j] < iv->lo);
        plan_span(p, &iv->rs, c->ids, c->lon, c->lat_off, b,
                  lon_upper_bound_near(c->lon, b, end[j], iv->hi));
    }
}

static void locate_in_delta(plan *p, const nj_spatial_delta *d)
{
    for (size_t i = 0; i < p->interval_count; i++) {
        const interval *iv = &p->intervals[i];
        plan_span(p, &iv->rs, d->ids, d->lon, d->lat_off,
                  delta_lower_bound(d, iv->row, iv->lo),
                  delta_lower_bound(d, iv->row, iv->hi + 1));
    }
}

static nj_status scan_plan(const plan *p, nj_hits *out)
{
    if (hits_reserve(out, p->points) != NJ_OK)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < p->count; i++) {
        const span *sp = &p->spans[i];
        if (sp->rs.fast)
            scan_fast(&sp->rs, sp->ids, sp->lons, sp->lat_offs, sp->b, sp->e, out);
        else
            scan_exact(&sp->rs, sp->ids, sp->lons, sp->lat_offs, sp->b, sp->e, out);
    }
    return NJ_OK;
}

/*
 * The first row at or after `row` holding a point, INT32_MAX if none: a
 * binary search over row_start skips a run of empty rows at once, which
 * keeps wide queries over sparse data from walking 110 000 rows.
 */
static int32_t next_nonempty_row(const nj_spatial *s, int32_t row)
{
    const nj_spatial_run *c = &s->core;
    const nj_spatial_delta *d = &s->delta;
    int32_t best = INT32_MAX;
    int64_t i = (int64_t)row - c->row_min;
    i = i < 0 ? 0 : i;
    if (i < (int64_t)c->row_count) {
        uint32_t v = c->row_start[i];
        size_t b = (size_t)i + 1, e = (size_t)c->row_count + 1;
        if (c->row_start[b] > v)
            return c->row_min + (int32_t)i;
        while (b < e) {
            size_t mid = b + (e - b) / 2;
            if (c->row_start[mid] > v)
                e = mid;
            else
                b = mid + 1;
        }
        if (b <= c->row_count)
            best = c->row_min + (int32_t)(b - 1);
    }
    if (d->count) {
        size_t j = delta_lower_bound(d, row, INT64_MIN);
        if (j < d->count && d->row[j] < best)
            best = d->row[j];
    }
    return best;
}

/* Appends every point within the query radius found in the rows of w. */
static nj_status collect(const nj_spatial *s, const query *q, const reach *w,
                         nj_hits *out)
{
    int32_t row = w->row_lo, hi = w->row_hi;
    plan p;
    while (row <= hi) {
        p.interval_count = 0;
        p.count = 0;
        p.points = 0;
        for (int n = 0; n < ROW_BATCH && row <= hi; n++, row++) {
            row = next_nonempty_row(s, row);
            if (row > hi)
                break;
            plan_row(&p, s, q, w, row);
        }
        locate_in_core(&p, &s->core);
        if (s->delta.count)
            locate_in_delta(&p, &s->delta);
        if (scan_plan(&p, out) != NJ_OK)
            return NJ_E_NOMEM;
    }
    return NJ_OK;
}

static int valid_query(double lat, double lon, double radius_m)
{
    return valid_point(lat, lon) && radius_m >= 0.0;
}

nj_status nj_spatial_within(const nj_spatial *s, double lat, double lon,
                            double radius_m, int sorted, nj_hits *out)
{
    query q;
    reach w;
    nj_status st;
    if (!valid_query(lat, lon, radius_m))
        return NJ_E_RANGE;
    query_init(&q, lat, lon, radius_m);
    reach_init(&w, &q, radius_m);
    out->count = 0;
    st = collect(s, &q, &w, out);
    if (st == NJ_OK && sorted)
        st = sort_hits(out, q.fast_ok ? radius_m : -1.0);
    if (st != NJ_OK)
        out->count = 0;
    return st;
}

/* Hits whose distance is at most limit_m. */
static size_t count_within(const nj_hits *h, double limit_m)
{
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++)
        n += h->items[i].distance_m <= limit_m;
    return n;
}

/*
 * A first reach for the k nearest: the radius that would hold k points at
 * the density seen within 2 km of the centre along its row, a cheap sample
 * of two binary searches.
 */
static double first_reach_m(const nj_spatial *s, const query *q, size_t k)
{
    const double window_m = 2000.0, margin = 1.5;
    const double row_height_m = ROW_HEIGHT_E7 * RAD_PER_E7 * NJ_EARTH_RADIUS_M;
    double window_e7, density;
    size_t b, e, seen;
    if (!q->fast_ok)
        return q->radius_m;
    window_e7 = window_m / (NJ_EARTH_RADIUS_M * q->cos_lat * RAD_PER_E7);
    core_row_span(&s->core, row_of_e7(q->lat_e7), &b, &e);
    seen = lon_lower_bound(s->core.lon, b, e, (int64_t)(q->lon_e7 + window_e7)) -
           lon_lower_bound(s->core.lon, b, e, (int64_t)(q->lon_e7 - window_e7));
    if (seen == 0)
        return 2.0 * window_m;
    density = (double)seen / (row_height_m * 2.0 * window_m);
    return margin * sqrt((double)k / (PI * density));
}

/*
 * Expanding search: collect the points within radius in the rows of a
 * smaller reach; once k of them lie safely inside the reach, no point
 * outside it can rank among the k nearest. Otherwise widen the reach by the
 * shortfall (density is roughly even at this scale) and start over.
 */
nj_status nj_spatial_nearest(const nj_spatial *s, double lat, double lon,
                             double radius_m, size_t k, nj_hits *out)
{
    const double slack_m = 1e-6;
    double reach_m;
    query q;
    if (!valid_query(lat, lon, radius_m))
        return NJ_E_RANGE;
    out->count = 0;
    if (k == 0)
        return NJ_OK;
    query_init(&q, lat, lon, radius_m);
    reach_m = first_reach_m(s, &q, k);
    for (;;) {
        reach w;
        size_t inside;
        reach_m = reach_m < radius_m ? reach_m : radius_m;
        reach_init(&w, &q, reach_m);
        out->count = 0;
        if (collect(s, &q, &w, out) != NJ_OK) {
            out->count = 0;
            return NJ_E_NOMEM;
        }
        if (reach_m >= radius_m || w.theta >= PI)
            break;
        inside = count_within(out, reach_m - slack_m);
        if (inside >= k) {
            /* k hits lie within reach - slack, so the k-th nearest does
             * too: hits beyond it cannot rank; drop them before the heap. */
            size_t kept = 0;
            for (size_t i = 0; i < out->count; i++) {
                out->items[kept] = out->items[i];
                kept += out->items[i].distance_m <= reach_m - slack_m;
            }
            out->count = kept;
            break;
        }
        reach_m *= inside ? fmax(1.5, 1.2 * sqrt((double)k / (double)inside)) : 4.0;
    }
    if (keep_smallest(out, k) != NJ_OK) {
        out->count = 0;
        return NJ_E_NOMEM;
    }
    return NJ_OK;
}
