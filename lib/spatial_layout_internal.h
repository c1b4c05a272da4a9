/*
 * The spatial index's storage layout, shared by the storage code
 * (spatial.c) and the queries (spatial_query.c): fixed-point coordinates,
 * latitude rows, and the lookups of a row and of a longitude inside it.
 * See docs/spatial-index.md.
 */
#ifndef NJ_SPATIAL_LAYOUT_INTERNAL_H
#define NJ_SPATIAL_LAYOUT_INTERNAL_H

#include "spatial_internal.h"

#define PI 3.14159265358979323846
#define E7_PER_DEG 1e7
#define RAD_PER_E7 (PI / 180.0 / E7_PER_DEG)

#define LAT_E7_MAX 900000000
#define LON_E7_MAX 1800000000
#define LON_E7_TURN 3600000000.0
#define ROW_BITS 15
#define ROW_HEIGHT_E7 (1 << ROW_BITS)
#define LAT_OFF_MASK ((uint16_t)(ROW_HEIGHT_E7 - 1))
#define REMOVED_BIT ((uint16_t)0x8000)

/*
 * Points a scan may read past the last one stored: a block of points is
 * loaded whole, whatever the span's length, and the lanes past its end
 * are ignored. The core and delta blocks end with this many spare (zero)
 * latitude offsets; their longitudes are followed by other arrays.
 */
#define SCAN_PAD 16

/* A point in snapped form: row, latitude offset in the row, E7 longitude. */
typedef struct cell_pos {
    int32_t row;
    uint16_t lat_off;
    int32_t lon;
} cell_pos;

static inline int valid_point(double lat, double lon)
{
    return lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

/*
 * round(deg * 1e7), halves away from zero, as llround() gives but cheaper:
 * |deg * 1e7| < 2^31, so the integer part and the fraction are exact.
 */
static inline int32_t to_e7(double deg)
{
    double x = deg * E7_PER_DEG;
    int32_t i = (int32_t)x;
    double frac = x - (double)i;
    return i + (frac >= 0.5) - (frac <= -0.5);
}

static inline cell_pos snap(double lat, double lon)
{
    int32_t lat_from_south = to_e7(lat) + LAT_E7_MAX;
    cell_pos p;
    p.row = lat_from_south >> ROW_BITS;
    p.lat_off = (uint16_t)(lat_from_south & LAT_OFF_MASK);
    p.lon = to_e7(lon);
    return p;
}

static inline int32_t row_base_e7(int32_t row)
{
    return row * ROW_HEIGHT_E7 - LAT_E7_MAX;
}

static inline double e7_to_deg(int64_t e7) { return (double)e7 / E7_PER_DEG; }

/* The core's points of `row`: [*b, *e), empty outside the stored rows. */
static inline void core_row_span(const nj_spatial_run *run, int32_t row,
                                 size_t *b, size_t *e)
{
    int64_t i = (int64_t)row - run->row_min;
    if (i < 0 || i >= (int64_t)run->row_count) {
        *b = *e = 0;
        return;
    }
    *b = run->rows[i].start;
    *e = run->rows[i + 1].start;
}

/* First index in [b, e) whose longitude is >= lon (lons sorted there). */
static inline size_t lon_lower_bound(const int32_t *lons, size_t b, size_t e,
                                     int64_t lon)
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

/* The directory cell of lon in a stored row, for lon >= the row's lon_lo: lon - lon_lo < 2^32 and mult <= 2^31, so the
 * product fits. */
static inline uint64_t core_dir_cell(const nj_spatial_row *row, int64_t lon)
{
    return ((uint64_t)(lon - row->lon_lo) * row->mult) >> 32;
}

/* Where lon's directory entry of stored row i is, for a prefetch. */
static inline const uint32_t *core_dir_entry(const nj_spatial_run *run,
                                             size_t i, int64_t lon)
{
    const nj_spatial_row *row = &run->rows[i];
    uint32_t entries = row[1].cell - row->cell;
    uint64_t c = lon > row->lon_lo && entries ? core_dir_cell(row, lon) : 0;
    return run->cells + row->cell + (c < entries ? c : 0);
}

/*
 * Narrows [*b, *e), the points of the stored row `i` (relative to row_min),
 * to a range that holds the first point with longitude >= lon and every
 * point with longitude lon (they share a cell), using the row's directory.
 */
static inline void core_dir_narrow(const nj_spatial_run *run, size_t i,
                                   int64_t lon, size_t *b, size_t *e)
{
    const nj_spatial_row *row = &run->rows[i];
    uint32_t entries = row[1].cell - row->cell;
    uint64_t c;
    if (entries == 0)
        return;
    if (lon < row->lon_lo) {
        *e = *b;
        return;
    }
    c = core_dir_cell(row, lon);
    if (c >= entries - 1) {
        *b = *e;
        return;
    }
    *b = run->cells[row->cell + c];
    *e = run->cells[row->cell + c + 1];
}

/*
 * First index in [b, e) whose longitude is >= lon (lons sorted there),
 * galloping outwards from a guess g in [b, e]: O(log distance), and the
 * first look is at the guess, whose memory may have been requested.
 */
static inline size_t lon_lower_bound_from(const int32_t *lons, size_t b, size_t e,
                                          size_t g, int64_t lon)
{
    size_t step = 1, lo, hi;
    if (g < e && lons[g] < lon) { /* after g: lons[lo - 1] < lon */
        for (lo = g + 1, hi = lo; hi < e && lons[hi] < lon; step *= 2) {
            lo = hi + 1;
            hi = e - lo > step ? lo + step : e;
        }
        return lon_lower_bound(lons, lo, hi, lon);
    }
    for (hi = g;; step *= 2) { /* at or before g: hi == e or lons[hi] >= lon */
        if (hi == b)
            return b;
        lo = hi - b > step ? hi - step : b;
        if (lons[lo] < lon)
            return lon_lower_bound(lons, lo + 1, hi, lon);
        hi = lo;
    }
}

/*
 * Where lon would fall among the points of stored row i (relative to
 * row_min), as far as the directory tells: the range [*b, *e) holding the
 * first point with longitude >= lon, and a guess *g in [*b, *e] from
 * spreading the cell's points evenly over its width. A row without a
 * directory gives the whole row and its start.
 */
static inline void core_dir_guess(const nj_spatial_run *run, size_t i, int64_t lon,
                                  size_t *b, size_t *e, size_t *g)
{
    const nj_spatial_row *row = &run->rows[i];
    uint32_t entries = row[1].cell - row->cell;
    uint64_t f, c;
    *b = row->start;
    *e = row[1].start;
    *g = *b;
    if (entries == 0)
        return;
    if (lon < row->lon_lo) {
        *e = *b;
        return;
    }
    f = (uint64_t)(lon - row->lon_lo) * row->mult; /* cell . fraction, 32.32 */
    c = f >> 32;
    if (c >= entries - 1) {
        *g = *b = *e;
        return;
    }
    *b = run->cells[row->cell + c];
    *e = run->cells[row->cell + c + 1];
    *g = *b + (size_t)(((uint64_t)(*e - *b) * (uint32_t)f) >> 32);
}

/* First core index of `row` whose longitude is >= lon. */
static inline size_t core_lon_lower_bound(const nj_spatial_run *run,
                                          int32_t row, int64_t lon)
{
    size_t b, e;
    core_row_span(run, row, &b, &e);
    if (b < e)
        core_dir_narrow(run, (size_t)(row - run->row_min), lon, &b, &e);
    return lon_lower_bound(run->lon, b, e, lon);
}

static inline int delta_before(const nj_spatial_delta *d, size_t i,
                               int32_t row, int64_t lon)
{
    return d->row[i] < row || (d->row[i] == row && d->lon[i] < lon);
}

/* First delta index at or after (row, lon). */
static inline size_t delta_lower_bound(const nj_spatial_delta *d, int32_t row,
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

#endif
