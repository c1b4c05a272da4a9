/*
 * Spatial index queries (docs/spatial-index.md): radius queries, k nearest,
 * and the sort by distance.
 *
 * A radius query walks the rows its circle touches, clips each row to the
 * circle's longitude span at that row, finds the span through the row's
 * directory, and tests the points in it. Near the query the test is
 * trig-free: sin/cos of the small coordinate differences by their Taylor
 * series, accurate to an ulp. A point whose haversine lies within a rounding
 * margin of the radius is re-tested with nj_distance_m(), the reference, so
 * membership equals a brute-force scan's exactly. Wide circles and polar
 * rows use nj_distance_m() for every point.
 *
 * The k nearest are one such pass with a smaller reach, guessed from the
 * density the centre row's directory shows, that keeps only the points
 * within the reach; if fewer than k lie safely inside, the reach grows.
 */
#include "spatial_layout_internal.h"

#include <math.h>
#include <string.h>

/* The trig-free test applies when coordinate half-differences stay below
 * 0.05 rad (Taylor terms to x^7 are then exact to an ulp) and the rows lie
 * within 80 degrees of the equator (cos(lat) keeps its relative accuracy). */
#define FAST_MAX_THETA 0.04
#define FAST_MAX_HALF_WIDTH 0.1
#define FAST_MAX_LAT_RAD (80.0 * PI / 180.0)
/* Relative width of the band around the radius decided by nj_distance_m();
 * both computations are good to a few ulps, this is ~50 times that. */
#define BAND_REL 1e-14

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

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

/* sin(x) for 0 <= x <= PI / 2, by its series when x is small. */
static double sin_of(double x)
{
    return x <= 0.05 ? sin_small(x, x * x) : sin(x);
}

/* 2R asin(sqrt(h)) by its series, exact to an ulp for sqrt(h) <= 0.025. */
static double small_hav_to_m(double h)
{
    double q = sqrt(h);
    return 2.0 * NJ_EARTH_RADIUS_M * q *
           (1.0 + h * (1.0 / 6 + h * (3.0 / 40 + h * (15.0 / 336 + h * (105.0 / 3456)))));
}

/* ---- results ----------------------------------------------------------- */

void nj_hits_init(nj_hits *h, const nj_alloc *a)
{
    h->items = NULL;
    h->tags = NULL;
    h->count = 0;
    h->cap = 0;
    h->alloc = a;
    h->spare = NULL;
    h->spare_cap = 0;
    h->words = NULL;
    h->words_bytes = 0;
}

void nj_hits_free(nj_hits *h)
{
    nj_alloc_free(h->alloc, h->items);
    nj_alloc_free(h->alloc, h->tags);
    nj_alloc_free(h->alloc, h->spare);
    nj_alloc_free(h->alloc, h->words);
    nj_hits_init(h, h->alloc);
}

/* Grows a scratch block to at least `need` elements of `size` bytes
 * (its contents go), geometrically. */
static nj_status scratch_reserve(const nj_alloc *a, void **block, size_t *cap,
                                 size_t need, size_t size)
{
    void *grown;
    if (need <= *cap)
        return NJ_OK;
    need = need > 2 * *cap ? need : 2 * *cap;
    grown = nj_alloc_array(a, need, size);
    if (!grown)
        return NJ_E_NOMEM;
    nj_alloc_free(a, *block);
    *block = grown;
    *cap = need;
    return NJ_OK;
}

/* Makes room for `extra` more hits (and tags, when h has them: tags is
 * NULL or holds cap entries). */
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
    if (h->tags) {
        uint64_t *tags = nj_alloc_realloc_array(h->alloc, h->tags, cap, sizeof *tags);
        if (!tags)
            return NJ_E_NOMEM;
        h->tags = tags;
    }
    h->cap = cap;
    return NJ_OK;
}

/* Gives h a tag per hit slot. */
static nj_status hits_want_tags(nj_hits *h)
{
    if (h->tags)
        return NJ_OK;
    if (h->cap == 0 && hits_reserve(h, 16) != NJ_OK)
        return NJ_E_NOMEM;
    h->tags = nj_alloc_array(h->alloc, h->cap, sizeof *h->tags);
    return h->tags ? NJ_OK : NJ_E_NOMEM;
}

static void hits_push(nj_hits *h, int64_t id, double distance_m, uint64_t tag)
{
    h->items[h->count].id = id;
    h->items[h->count].distance_m = distance_m;
    if (h->tags)
        h->tags[h->count] = tag;
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

/* Max-heap by (distance, id). */
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
 * An LSD radix sort of (key, index) words that writes the hits: a
 * quantised distance key of 2 * DIGIT bits above the hit's index (the low
 * SHIFT bits), a pass of the low DIGIT bits over the words, then a pass of
 * the high bits that moves each hit of v straight to its place in dst;
 * then hits that share a key are put in order by insertion (a pass that
 * reads dst once). Gives up (returns 0) after 8n
 * moves: thousands of equal distances, say, which a heapsort then handles.
 * Scratch: pa, pb (n words each) and c (2 << DIGIT counters).
 */
#define DEFINE_RADIX_SORT(name, word, DIGIT, SHIFT)                              \
    static int name(const nj_hit *v, nj_hit *dst, word *pa, word *pb,         \
                    uint32_t *c, size_t n, double scale)                      \
    {                                                                         \
        const uint32_t radix = (uint32_t)1 << DIGIT, mask = radix - 1;        \
        const uint32_t top = ((uint32_t)1 << (2 * DIGIT)) - 1;                \
        const word low = (word)(((word)1 << SHIFT) - 1);                      \
        uint32_t *c0 = c, *c1 = c + radix;                                    \
        size_t budget = 8 * n;                                                \
        memset(c, 0, 2 * radix * sizeof *c);                                  \
        for (size_t i = 0; i < n; i++) {                                      \
            double kd = v[i].distance_m * scale;                              \
            uint32_t k = kd < (double)top ? (uint32_t)kd : top;               \
            pa[i] = (word)((word)k << SHIFT | (word)i);                       \
            c0[k & mask]++;                                                   \
            c1[k >> DIGIT]++;                                                 \
        }                                                                     \
        for (uint32_t b = 0, s0 = 0, s1 = 0; b < radix; b++) {                \
            uint32_t x0 = c0[b], x1 = c1[b];                                  \
            c0[b] = s0;                                                       \
            c1[b] = s1;                                                       \
            s0 += x0;                                                         \
            s1 += x1;                                                         \
        }                                                                     \
        for (size_t i = 0; i < n; i++)                                        \
            pb[c0[(uint32_t)(pa[i] >> SHIFT) & mask]++] = pa[i];              \
        for (size_t i = 0; i < n; i++)                                        \
            dst[c1[(uint32_t)(pb[i] >> (SHIFT + DIGIT))]++] = v[pb[i] & low]; \
        nj_hit last = dst[0];                                                 \
        for (size_t i = 1; i < n; i++) {                                      \
            nj_hit x = dst[i];                                                \
            size_t j = i;                                                     \
            if (!hit_less(&x, &last)) {                                       \
                last = x;                                                     \
                continue;                                                     \
            }                                                                 \
            for (; j > 0 && hit_less(&x, &dst[j - 1]); j--)                   \
                dst[j] = dst[j - 1];                                          \
            dst[j] = x;                                                       \
            if ((budget -= i - j < budget ? i - j : budget) == 0)             \
                return 0;                                                     \
        }                                                                     \
        return 1;                                                             \
    }

/* Up to 64 Ki hits: 16-bit keys and indexes in 32-bit words; beyond,
 * 22-bit keys in 64-bit words. */
DEFINE_RADIX_SORT(radix_sort32, uint32_t, 8, 16)
DEFINE_RADIX_SORT(radix_sort64, uint64_t, 11, 32)

/* The largest distance of the hits. */
static double max_distance(const nj_hit *v, size_t n)
{
    double max_d = 0.0;
    for (size_t i = 0; i < n; i++)
        max_d = v[i].distance_m > max_d ? v[i].distance_m : max_d;
    return max_d;
}

/*
 * Sorts by (distance, id) in linear time: an LSD radix sort on a quantised
 * distance key over small (key, index) words, then one pass that writes
 * the hits in order into the spare block, repairing ties, and the spare
 * block becomes the items. The key has far more levels than there are
 * hits, so hits rarely share one whatever the spatial distribution.
 */
nj_status nj_hits_sort(nj_hits *out, double max_d)
{
    size_t n = out->count, scratch_bytes;
    int wide = n > 0xffff;
    unsigned digit = wide ? 11 : 8;
    size_t word = wide ? sizeof(uint64_t) : sizeof(uint32_t);
    nj_hit *v = out->items, *dst;
    void *pa, *pb;
    uint32_t *c;
    double scale;
    int sorted;
    nj_alloc_free(out->alloc, out->tags);
    out->tags = NULL;
    if (n < 32) {
        insertion_sort(v, n);
        return NJ_OK;
    }
    if (n > UINT32_MAX) {
        heap_sort(v, n);
        return NJ_OK;
    }
    scratch_bytes = 2 * n * word + (2u << digit) * sizeof *c;
    if (scratch_reserve(out->alloc, (void **)&out->spare, &out->spare_cap, n,
                        sizeof *dst) != NJ_OK ||
        scratch_reserve(out->alloc, &out->words, &out->words_bytes, scratch_bytes, 1) != NJ_OK)
        return NJ_E_NOMEM;
    dst = out->spare;
    pa = out->words;
    pb = (char *)pa + n * word;
    c = (uint32_t *)(void *)((char *)pb + n * word);
    if (!(max_d >= 0.0 && max_d < INFINITY))
        max_d = max_distance(v, n);
    /* key = floor(d / max * top), clamped to top: monotone in d. */
    scale = max_d > 0.0 ? (double)((1u << (2 * digit)) - 1) / max_d : 0.0;
    sorted = wide ? radix_sort64(v, dst, pa, pb, c, n, scale)
                  : radix_sort32(v, dst, pa, pb, c, n, scale);
    if (sorted) {
        size_t cap = out->cap;
        out->items = dst;
        out->cap = out->spare_cap;
        out->spare = v;
        out->spare_cap = cap;
    } else {
        heap_sort(v, n);
    }
    return NJ_OK;
}

/* Up to this k, the k smallest are kept by insertion (the k-nearest
 * queries' usual case: a few dozen hits for k = 10); beyond, by a heap. */
#define INSERTION_MAX_K 32

/* Keeps the k smallest hits by (distance, id), sorted. */
static nj_status keep_smallest(nj_hits *out, size_t k)
{
    nj_hit *v = out->items;
    if (out->count <= k)
        return nj_hits_sort(out, -1.0);
    if (k <= INSERTION_MAX_K) {
        insertion_sort(v, k);
        for (size_t i = k; i < out->count; i++) {
            nj_hit x = v[i];
            size_t j = k - 1;
            if (!hit_less(&x, &v[j]))
                continue;
            for (; j > 0 && hit_less(&x, &v[j - 1]); j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        out->count = k;
        return NJ_OK;
    }
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

/* ---- query geometry ------------------------------------------------------ */

typedef struct query {
    double lat, lon;        /* centre, degrees */
    double lat_e7, lon_e7;  /* centre in E7 units, unrounded */
    int64_t lon_floor, lon_ceil; /* lon_e7 rounded down and up */
    double cos_lat, sin_lat;
    double radius_m;
    double h_radius;        /* sin^2(radius / 2R), the haversine at the edge */
    double h_in, h_out;     /* fast haversines below h_in are inside for
                             * sure, above h_out outside; between, exact */
    int fast_ok;            /* small circle away from the poles */
} query;

/* The rows a circle of some reach touches and how to clip them. */
typedef struct reach {
    double theta;      /* angular reach, rounded up */
    double hav;        /* upper bound of sin^2(theta / 2) */
    double h_cut;      /* fast haversines above this are beyond the reach,
                        * and not kept; infinite for a reach of the radius */
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
    int fast;
} row_scan;

static int32_t row_of_e7(double lat_e7)
{
    double clamped = lat_e7 < -LAT_E7_MAX ? -LAT_E7_MAX
                     : lat_e7 > LAT_E7_MAX ? LAT_E7_MAX : lat_e7;
    return ((int32_t)floor(clamped) + LAT_E7_MAX) >> ROW_BITS;
}

/* The angle a distance subtends at the centre, rounded up. */
static double reach_theta(double reach_m)
{
    return reach_m / NJ_EARTH_RADIUS_M * (1.0 + 1e-12) + 1e-12;
}

/* An upper bound of sin^2(theta / 2). */
static double reach_hav(double theta)
{
    double s;
    if (theta >= PI)
        return 1.0;
    s = sin_of(0.5 * theta);
    return s * s * (1.0 + 1e-12) + 1e-300;
}

static void reach_init(reach *w, const query *q, double reach_m)
{
    double theta = reach_theta(reach_m);
    double span_e7 = theta / RAD_PER_E7 + 2.0;
    w->theta = theta;
    w->hav = reach_hav(theta);
    w->h_cut = reach_m >= q->radius_m ? INFINITY : w->hav;
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

/* The smallest latitude difference, radians, between the centre and a
 * point of the row. */
static double row_dlat(const query *q, int32_t row)
{
    double a = row_base_e7(row) * RAD_PER_E7;
    double b = (row_base_e7(row) + ROW_HEIGHT_E7 - 1) * RAD_PER_E7;
    double phi = q->lat * (PI / 180.0);
    return phi < a ? a - phi : (phi > b ? phi - b : 0.0);
}

/*
 * Upper bound, in radians, of the longitude half-width at a latitude
 * difference dlat of a circle of angular radius theta (hav: an upper bound
 * of its haversine), where den is a lower bound of cos(lat0) cos(lat);
 * negative if the circle does not reach that far, >= PI for all
 * longitudes. From hav(d) = hav(dlat) + cos(lat) cos(lat0) hav(dlon).
 */
static double half_width_at(double dlat, double theta, double hav, double den)
{
    double x = 0.5 * dlat, sx, num;
    if (dlat > theta)
        return -1.0;
    sx = x - x * x * x / 6.0; /* lower bound of sin(x) */
    num = hav - sx * sx;
    if (num < 0.0)
        return -1.0;
    if (num >= den)
        return PI;
    return 2.0 * asin_upper(sqrt(num / den)) * (1.0 + 1e-12) + 1e-15;
}

/*
 * The circle's longitude half-width over the row, as half_width_at(), with
 * the smallest dlat and the smallest cos(lat) the row allows.
 */
static double row_half_width(const query *q, const reach *w, int32_t row)
{
    double dlat = row_dlat(q, row), cos_row;
    if (dlat > w->theta)
        return -1.0;
    cos_row = w->cos_floor >= 0.0
                  ? w->cos_floor
                  : fmin(cos(row_base_e7(row) * RAD_PER_E7),
                         cos((row_base_e7(row) + ROW_HEIGHT_E7 - 1) * RAD_PER_E7));
    return half_width_at(dlat, w->theta, w->hav, q->cos_lat * cos_row * (1.0 - 1e-12));
}

/* A half-width in radians as whole E7 units, rounded outwards (a turn for
 * all longitudes). */
static int64_t half_to_e7(double half)
{
    return half >= PI ? (int64_t)LON_E7_TURN : (int64_t)(half * (1.0 / RAD_PER_E7)) + 2;
}

/*
 * The query for a centre and radius. The band of haversines decided by
 * nj_distance_m() is one per query, wide enough for every row the fast
 * test is used on (their longitude half-width is at most
 * FAST_MAX_HALF_WIDTH); radius queries and k nearest share it, so they
 * report the same distances.
 */
static void query_init(query *q, double lat, double lon, double radius_m)
{
    double theta = radius_m / NJ_EARTH_RADIUS_M, s, band;
    q->lat = lat;
    q->lon = lon;
    q->lat_e7 = lat * E7_PER_DEG;
    q->lon_e7 = lon * E7_PER_DEG;
    q->lon_floor = (int64_t)floor(q->lon_e7);
    q->lon_ceil = (int64_t)ceil(q->lon_e7);
    q->cos_lat = cos(lat * (PI / 180.0));
    q->sin_lat = sin(lat * (PI / 180.0));
    q->radius_m = radius_m;
    s = theta < PI ? sin_of(0.5 * theta) : 1.0;
    q->h_radius = s * s;
    q->fast_ok = theta <= FAST_MAX_THETA &&
                 fabs(lat * (PI / 180.0)) + theta + 1e-3 <= FAST_MAX_LAT_RAD;
    /* sin(theta / 2) + sin(dlon / 2) + hav(r), each rounded up. */
    band = BAND_REL * (s * (1.0 + 1e-12) + 0.5 * FAST_MAX_HALF_WIDTH + q->h_radius);
    q->h_in = q->h_radius - band;
    q->h_out = q->h_radius + band;
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

/* How to test the points of a row: by the trig-free formula if fast,
 * longitudes taken relative to lon_ref. */
static void row_scan_init(row_scan *rs, const query *q, int32_t row, int fast,
                          double lon_ref)
{
    rs->q = q;
    rs->base_e7 = row_base_e7(row);
    rs->lat_base = rs->base_e7 - q->lat_e7;
    rs->lon_ref = lon_ref;
    rs->fast = fast;
    if (fast)
        row_base_trig(rs);
}

/* ---- testing points ------------------------------------------------------- */

/* Points tested together: the haversine of a whole block is straight-line
 * arithmetic over fixed-size arrays, which compilers vectorise. */
#define BLOCK 16

/*
 * The haversines of a block of points relative to the centre, trig-free:
 * hav = sin^2(dlat / 2) + cos(lat0) cos(lat) sin^2(dlon / 2), where
 * cos(lat0) cos(lat) expands around the row's base latitude, at most
 * 2^15 E7 units (5.7e-5 rad) away: the omitted terms are below 5e-19.
 */
static inline void fast_haversines(const row_scan *rs, const double *restrict lat_off,
                                   const double *restrict lon, double *restrict h,
                                   size_t width)
{
    const double kh = 0.5 * RAD_PER_E7;
    const double lat_base = rs->lat_base, lon_ref = rs->lon_ref;
    const double cos_base = rs->cos_base, sin_base = rs->sin_base;
    const double half_cos = 0.5 * cos_base, sixth_sin = sin_base / 6;
    for (size_t j = 0; j < width; j++) {
        /* Half-differences of latitude (x) and longitude (y), radians. */
        double x = (lat_base + lat_off[j]) * kh;
        double s = sin_small(x, x * x);
        double dp = lat_off[j] * RAD_PER_E7;
        double cos_cos = cos_base - dp * (sin_base + dp * (half_cos - dp * sixth_sin));
        double y = (lon[j] - lon_ref) * kh;
        double t = sin_small(y, y * y);
        h[j] = s * s + cos_cos * t * t;
    }
}

/* Loads points [i, i + width) (width <= BLOCK, a constant at each call,
 * so that the loop is vectorised) and computes their haversines: the
 * lanes past the span's end read its row's next points, or another row's,
 * or the padding (SCAN_PAD), and are ignored. */
static inline void block_haversines(const row_scan *rs, const int32_t *lons,
                                    const uint16_t *lat_offs, size_t i, size_t width,
                                    double *lon, double *h)
{
    double lat_off[BLOCK];
    for (size_t j = 0; j < width; j++) {
        lat_off[j] = lat_offs[i + j] & LAT_OFF_MASK;
        lon[j] = lons[i + j];
    }
    fast_haversines(rs, lat_off, lon, h, width);
}

/* The exact distance of a stored point, the reference formula's. */
static double exact_m(const row_scan *rs, uint16_t lat_off, double lon_e7)
{
    const query *q = rs->q;
    return nj_distance_m(q->lat, q->lon,
                         e7_to_deg(rs->base_e7 + (lat_off & LAT_OFF_MASK)),
                         lon_e7 / E7_PER_DEG);
}

/* A point's reported distance from its fast haversine h; *inside: whether
 * it is within the radius. Decided exactly in the band around the edge. */
static double fast_distance(const row_scan *rs, double h, uint16_t lat_off,
                            double lon_e7, int *inside)
{
    const query *q = rs->q;
    if ((h >= q->h_in) & (h <= q->h_out)) {
        double d = exact_m(rs, lat_off, lon_e7);
        *inside = d <= q->radius_m;
        return d;
    }
    *inside = h < q->h_in;
    return small_hav_to_m(h);
}

/* Points [b, e) of the core or the delta. */
typedef struct point_src {
    const int64_t *ids;
    const uint64_t *tags;
    const int32_t *lons;
    const uint16_t *lat_offs;
} point_src;

/*
 * Appends the points of a block that are inside, at items[at] on, and
 * returns the new end. Branch-free in the common case: every point is
 * written at the end and kept by advancing the count, because whether a
 * point is inside is as unpredictable as a coin toss. Only points in the
 * rounding band take the exact, branchy path. Tags, when wanted, go to
 * tags[at] on.
 */
static size_t emit_block(const row_scan *rs, const point_src *src, size_t i,
                         const double *lon, const double *h, size_t n, double h_cut,
                         nj_hit *restrict items, uint64_t *restrict tags, size_t at)
{
    const int64_t *ids = src->ids + i;
    const uint16_t *lat_offs = src->lat_offs + i;
    const uint64_t *src_tags = src->tags ? src->tags + i : NULL;
    const double h_in = rs->q->h_in, h_out = rs->q->h_out;
    for (size_t j = 0; j < n; j++) {
        int inside = h[j] < h_in;
        double d = small_hav_to_m(h[j]);
        if ((h[j] >= h_in) & (h[j] <= h_out))
            d = fast_distance(rs, h[j], lat_offs[j], lon[j], &inside);
        items[at].id = ids[j];
        items[at].distance_m = d;
        if (tags)
            tags[at] = src_tags ? src_tags[j] : 0;
        at += (size_t)(inside & (h[j] <= h_cut) & !(lat_offs[j] & REMOVED_BIT));
    }
    return at;
}

/* Tests points [b, e) of a row, keeping those inside and under the cut. A
 * span's last block is often short (most spans of a k-nearest query are a
 * few points): it is computed 4 or 8 wide when that is enough. */
static void scan_fast(const row_scan *rs, const point_src *src, size_t b,
                      size_t e, double h_cut, nj_hits *out)
{
    double lon[BLOCK], h[BLOCK];
    size_t at = out->count;
    for (size_t i = b; i < e; i += BLOCK) {
        size_t n = e - i < BLOCK ? e - i : BLOCK;
        if (n <= 4)
            block_haversines(rs, src->lons, src->lat_offs, i, 4, lon, h);
        else if (n <= 8)
            block_haversines(rs, src->lons, src->lat_offs, i, 8, lon, h);
        else
            block_haversines(rs, src->lons, src->lat_offs, i, BLOCK, lon, h);
        at = emit_block(rs, src, i, lon, h, n, h_cut, out->items, out->tags, at);
    }
    out->count = at;
}

static void scan_exact(const row_scan *rs, const point_src *src, size_t b,
                       size_t e, nj_hits *out)
{
    for (size_t i = b; i < e; i++) {
        if (src->lat_offs[i] & REMOVED_BIT)
            continue;
        double d = exact_m(rs, src->lat_offs[i], src->lons[i]);
        if (d <= rs->q->radius_m)
            hits_push(out, src->ids[i], d, src->tags ? src->tags[i] : 0);
    }
}

static point_src core_src(const nj_spatial_run *c)
{
    point_src src = {c->ids, c->tags, c->lon, c->lat_off};
    return src;
}

static point_src delta_src(const nj_spatial_delta *d)
{
    point_src src = {d->ids, d->tags, d->lon, d->lat_off};
    return src;
}

/* ---- radius queries -------------------------------------------------------- */

/* Rows planned together: their memory is requested before any is read. */
#define ROW_BATCH 16
/* A row yields at most two longitude intervals, each in core and delta. */
#define SPANS_PER_ROW 4

/*
 * A row's longitude interval [lo, hi], to be located in core and delta,
 * and how to test its points: by the trig-free formula if fast, with
 * longitudes relative to lon_ref, the centre's, shifted by a turn where
 * the interval lies across the antimeridian.
 */
typedef struct interval {
    int32_t row;
    int fast;
    int64_t lo, hi;
    double lon_ref;
} interval;

/* Points [b, e) of the core or the delta in an interval. */
typedef struct span {
    const interval *iv;
    const point_src *src;
    size_t b, e;
} span;

typedef struct plan {
    const query *q;
    point_src core, delta;
    double h_cut;
    interval intervals[ROW_BATCH * 2];
    size_t interval_count;
    span spans[ROW_BATCH * SPANS_PER_ROW];
    size_t count;
    size_t points;
} plan;

static void plan_span(plan *p, const interval *iv, const point_src *src,
                      size_t b, size_t e)
{
    span *sp;
    if (b >= e)
        return;
    PREFETCH(src->ids + b);
    PREFETCH(src->lons + b);
    PREFETCH(src->lat_offs + b);
    if (src->tags)
        PREFETCH(src->tags + b);
    sp = &p->spans[p->count++];
    sp->iv = iv;
    sp->src = src;
    sp->b = b;
    sp->e = e;
    p->points += e - b;
}

static void plan_interval(plan *p, int32_t row, int fast, int64_t lo, int64_t hi,
                          double lon_ref)
{
    interval *iv = &p->intervals[p->interval_count++];
    iv->row = row;
    iv->fast = fast;
    iv->lo = lo;
    iv->hi = hi;
    iv->lon_ref = lon_ref;
}

/* Plans one row, split in two where the span crosses the antimeridian. */
static void plan_row(plan *p, const query *q, const reach *w, int32_t row)
{
    double half;
    int64_t half_e7, lo, hi;
    int fast;
    half = row_half_width(q, w, row);
    if (half < 0.0)
        return;
    fast = q->fast_ok && half <= FAST_MAX_HALF_WIDTH;
    half_e7 = half_to_e7(half);
    lo = q->lon_floor - half_e7;
    hi = q->lon_ceil + half_e7;
    if (hi - lo >= (int64_t)LON_E7_TURN) {
        plan_interval(p, row, fast, -LON_E7_MAX, LON_E7_MAX, q->lon_e7);
        return;
    }
    plan_interval(p, row, fast, lo < -LON_E7_MAX ? -LON_E7_MAX : lo,
                  hi > LON_E7_MAX ? LON_E7_MAX : hi, q->lon_e7);
    if (lo < -LON_E7_MAX)
        plan_interval(p, row, fast, lo + (int64_t)LON_E7_TURN, LON_E7_MAX,
                      q->lon_e7 + LON_E7_TURN);
    else if (hi > LON_E7_MAX)
        plan_interval(p, row, fast, -LON_E7_MAX, hi - (int64_t)LON_E7_TURN,
                      q->lon_e7 - LON_E7_TURN);
}

/* First index in [b, e) whose longitude is > lon, for a lon near lons[b]:
 * galloping finds it in O(log distance), over lines the scan reads anyway. */
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

/*
 * Finds every planned interval in the core, a step for all of them before
 * the next, so that their cache misses overlap: the directory entries of
 * the west ends are requested; then each west end is guessed inside its
 * directory cell and the points there are requested; then each is found by
 * galloping from its guess, and the east end by galloping from the west.
 */
static void locate_in_core(plan *p, const nj_spatial_run *c)
{
    size_t b[ROW_BATCH * 2], e[ROW_BATCH * 2], g[ROW_BATCH * 2], row_end[ROW_BATCH * 2];
    for (size_t i = 0; i < p->interval_count; i++) {
        const interval *iv = &p->intervals[i];
        core_row_span(c, iv->row, &b[i], &row_end[i]);
        if (b[i] < row_end[i])
            PREFETCH(core_dir_entry(c, (size_t)(iv->row - c->row_min), iv->lo));
    }
    for (size_t i = 0; i < p->interval_count; i++) {
        if (b[i] == row_end[i])
            continue;
        core_dir_guess(c, (size_t)(p->intervals[i].row - c->row_min), p->intervals[i].lo,
                       &b[i], &e[i], &g[i]);
        PREFETCH(c->lon + g[i]);
        PREFETCH(c->lat_off + g[i]);
        PREFETCH(c->ids + g[i]);
    }
    for (size_t i = 0; i < p->interval_count; i++) {
        const interval *iv = &p->intervals[i];
        if (b[i] == row_end[i])
            continue;
        b[i] = lon_lower_bound_from(c->lon, b[i], e[i], g[i], iv->lo);
        plan_span(p, iv, &p->core, b[i], lon_upper_bound_near(c->lon, b[i], row_end[i], iv->hi));
    }
}

static void locate_in_delta(plan *p, const nj_spatial_delta *d)
{
    for (size_t i = 0; i < p->interval_count; i++) {
        const interval *iv = &p->intervals[i];
        plan_span(p, iv, &p->delta, delta_lower_bound(d, iv->row, iv->lo),
                  delta_lower_bound(d, iv->row, iv->hi + 1));
    }
}

/* Tests the planned spans; a row's trigonometry is computed only here,
 * for the rows with points to test. */
static nj_status scan_plan(const plan *p, nj_hits *out)
{
    const interval *last = NULL;
    row_scan rs = {0}; /* set at the first span */
    if (hits_reserve(out, p->points) != NJ_OK)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < p->count; i++) {
        const span *sp = &p->spans[i];
        if (sp->iv != last) {
            last = sp->iv;
            row_scan_init(&rs, p->q, last->row, last->fast, last->lon_ref);
        }
        if (rs.fast)
            scan_fast(&rs, sp->src, sp->b, sp->e, p->h_cut, out);
        else
            scan_exact(&rs, sp->src, sp->b, sp->e, out);
    }
    return NJ_OK;
}

/*
 * The first row at or after `row` holding a point, INT32_MAX if none: a
 * binary search over the row starts skips a run of empty rows at once,
 * which keeps wide queries over sparse data from walking 55 000 rows.
 */
static int32_t next_nonempty_row(const nj_spatial *s, int32_t row)
{
    const nj_spatial_run *c = &s->core;
    const nj_spatial_delta *d = &s->delta;
    int32_t best = INT32_MAX;
    int64_t i = (int64_t)row - c->row_min;
    if (i >= 0 && i < (int64_t)c->row_count && c->rows[i + 1].start > c->rows[i].start)
        return row;
    /* Below the core's first row, the delta may hold points before it. */
    i = i < 0 ? 0 : i;
    if (i < (int64_t)c->row_count) {
        uint32_t v = c->rows[i].start;
        size_t b = (size_t)i + 1, e = (size_t)c->row_count + 1;
        while (b < e) {
            size_t mid = b + (e - b) / 2;
            if (c->rows[mid].start > v)
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
    p.q = q;
    p.core = core_src(&s->core);
    p.delta = delta_src(&s->delta);
    p.h_cut = w->h_cut;
    while (row <= hi) {
        p.interval_count = 0;
        p.count = 0;
        p.points = 0;
        for (int n = 0; n < ROW_BATCH && row <= hi; n++, row++) {
            row = next_nonempty_row(s, row);
            if (row > hi)
                break;
            plan_row(&p, q, w, row);
        }
        if (s->core.count) /* an empty core has NULL arrays: no offsets into them */
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

/* Every point within the radius, unsorted, into out (emptied first). */
static nj_status within(const nj_spatial *s, const query *q, nj_hits *out)
{
    reach w;
    reach_init(&w, q, q->radius_m);
    out->count = 0;
    if (collect(s, q, &w, out) != NJ_OK) {
        out->count = 0;
        return NJ_E_NOMEM;
    }
    return NJ_OK;
}

nj_status nj_spatial_within(const nj_spatial *s, double lat, double lon,
                            double radius_m, int sorted, nj_hits *out)
{
    query q;
    nj_status st;
    if (!valid_query(lat, lon, radius_m))
        return NJ_E_RANGE;
    nj_alloc_free(out->alloc, out->tags);
    out->tags = NULL;
    query_init(&q, lat, lon, radius_m);
    st = within(s, &q, out);
    if (st == NJ_OK && sorted)
        st = nj_hits_sort(out, q.fast_ok ? radius_m : -1.0);
    if (st != NJ_OK)
        out->count = 0;
    return st;
}

nj_status nj_spatial_within_tagged(const nj_spatial *s, double lat, double lon,
                                   double radius_m, nj_hits *out)
{
    query q;
    if (!valid_query(lat, lon, radius_m))
        return NJ_E_RANGE;
    out->count = 0;
    if (hits_want_tags(out) != NJ_OK)
        return NJ_E_NOMEM;
    query_init(&q, lat, lon, radius_m);
    return within(s, &q, out);
}

/* ---- k nearest ---------------------------------------------------------------- */

/* The first reach of a query the trig-free path cannot take, and how the
 * reach grows when it holds fewer than k points. */
#define FIRST_REACH_M 1000.0
#define REACH_GROWTH_MAX 4.0
/* The guess's margin over the radius of a disc holding k points at the
 * density found, and how many points it wants to measure the density. */
#define GUESS_MARGIN 1.3
#define GUESS_MIN_POINTS 8

/* Rows on each side of the centre's whose memory a k-nearest query
 * requests early. */
#define NEAR_ROWS 3

/*
 * Requests the memory of the rows around the centre a k-nearest query
 * will read, before the query needs it: they are a cache miss or two each,
 * one after the other, and the query's set-up computes while they come.
 * First the directory entries at the centre's longitude; then (points)
 * the points the entries lead to, which reads the entries.
 */
static void prefetch_rows_near(const nj_spatial *s, double lat, double lon, int points)
{
    const nj_spatial_run *c = &s->core;
    int32_t centre = row_of_e7(lat * E7_PER_DEG);
    int64_t lon_e7 = (int64_t)floor(lon * E7_PER_DEG);
    for (int32_t u = -NEAR_ROWS; u <= NEAR_ROWS; u++) {
        int64_t i = (int64_t)centre + u - c->row_min;
        size_t b, e, g;
        if (i < 0 || i >= (int64_t)c->row_count)
            continue;
        if (!points) {
            PREFETCH(core_dir_entry(c, (size_t)i, lon_e7));
            continue;
        }
        core_dir_guess(c, (size_t)i, lon_e7, &b, &e, &g);
        PREFETCH(c->lon + g);
        PREFETCH(c->lat_off + g);
        PREFETCH(c->ids + g);
    }
}

/*
 * A guess of the k-th nearest distance from the density around the centre
 * as the centre row's directory tells it, without reading a point: the
 * directory cell of the centre, widened a cell each way until it holds
 * GUESS_MIN_POINTS, its points over its area (cells have equal widths);
 * with a margin, the radius of a disc holding k points at that density.
 * The radius for a row without a directory. On the benchmark's data,
 * 2.5 % of the guesses are short at 1 km (2.8 % at 2 km), and the median
 * is 1.33 times the k-th distance.
 */
static double density_guess_m(const nj_spatial *s, const query *q, size_t k)
{
    const double row_m = ROW_HEIGHT_E7 * RAD_PER_E7 * NJ_EARTH_RADIUS_M;
    const nj_spatial_run *c = &s->core;
    int64_t i = (int64_t)row_of_e7(q->lat_e7) - c->row_min, lon = (int64_t)floor(q->lon_e7);
    const nj_spatial_row *row;
    uint32_t entries, points;
    uint64_t first, last;
    double width_m;
    if (i < 0 || i >= (int64_t)c->row_count)
        return q->radius_m;
    row = &c->rows[i];
    entries = row[1].cell - row->cell;
    if (entries < 2 || lon < row->lon_lo || (first = core_dir_cell(row, lon)) >= entries - 1)
        return q->radius_m;
    last = first + 1;
    while ((points = c->cells[row->cell + last] - c->cells[row->cell + first]) < GUESS_MIN_POINTS &&
           (first > 0 || last < entries - 1)) {
        first -= first > 0;
        last += last < entries - 1;
    }
    if (points == 0)
        return q->radius_m;
    width_m = (double)(last - first) * 4294967296.0 / row->mult * RAD_PER_E7 *
              NJ_EARTH_RADIUS_M * q->cos_lat;
    return fmin(GUESS_MARGIN * sqrt((double)k * width_m * row_m / (PI * points)),
                q->radius_m);
}

static size_t count_within(const nj_hits *h, double limit_m)
{
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++)
        n += h->items[i].distance_m <= limit_m;
    return n;
}

/*
 * The k nearest: one pass over the points within a reach, as a radius
 * query (membership still against the real radius) whose points beyond
 * the reach are not kept, from the density guess or, where the trig-free
 * path does not apply, FIRST_REACH_M. Once k of the points found lie 1 um
 * inside the reach, no point outside it can rank among the k nearest and
 * the k best by (distance, id) are kept. Otherwise the reach grows by what
 * the points found suggest and the pass is repeated.
 */
static nj_status nearest(const nj_spatial *s, const query *q, size_t k,
                         nj_hits *out)
{
    const double slack_m = 1e-6, earth_m = PI * NJ_EARTH_RADIUS_M;
    double reach_m = q->fast_ok ? density_guess_m(s, q, k) : fmin(q->radius_m, FIRST_REACH_M);
    for (;;) {
        reach w;
        size_t found;
        double growth;
        reach_init(&w, q, reach_m);
        out->count = 0;
        if (collect(s, q, &w, out) != NJ_OK)
            return NJ_E_NOMEM;
        if (reach_m >= q->radius_m || reach_m >= earth_m ||
            (found = count_within(out, reach_m - slack_m)) >= k)
            return keep_smallest(out, k);
        growth = found ? GUESS_MARGIN * sqrt((double)k / (double)found) : REACH_GROWTH_MAX;
        reach_m = fmin(q->radius_m, reach_m * fmax(1.5, fmin(growth, REACH_GROWTH_MAX)));
    }
}

nj_status nj_spatial_nearest(const nj_spatial *s, double lat, double lon,
                             double radius_m, size_t k, nj_hits *out)
{
    query q;
    if (!valid_query(lat, lon, radius_m))
        return NJ_E_RANGE;
    nj_alloc_free(out->alloc, out->tags);
    out->tags = NULL;
    out->count = 0;
    if (k == 0)
        return NJ_OK;
    prefetch_rows_near(s, lat, lon, 0);
    query_init(&q, lat, lon, radius_m);
    prefetch_rows_near(s, lat, lon, 1);
    if (nearest(s, &q, k, out) != NJ_OK) {
        out->count = 0;
        return NJ_E_NOMEM;
    }
    return NJ_OK;
}
