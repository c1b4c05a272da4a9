/*
 * Publication tables with small-cell suppression (docs/statistics.md):
 * the attainment table, and cross tables of placements by region and one
 * breakdown, with totals.
 */
#include "stats_internal.h"

#include "nearjob/posting.h"

#include <stdio.h>
#include <string.h>

#define COLUMN_NAME_SIZE 32
#define K_MAX 1000

typedef struct table_column {
    char name[COLUMN_NAME_SIZE];
    int32_t scale;
} table_column;

typedef struct table_row {
    int64_t region_id;
    int32_t programme_type;
    const char *label;  /* points into `labels` of the table or a literal */
} table_row;

struct nj_stats_table {
    nj_alloc alloc;
    size_t row_count, column_count;
    table_row *rows;
    table_column *columns;
    int64_t *values;          /* row-major */
    unsigned char *states;    /* nj_cell_state, row-major */
    char *labels;             /* the region names, one block */
};

/* ---- table storage --------------------------------------------------- */

void nj_stats_table_destroy(nj_stats_table *t)
{
    if (!t)
        return;
    nj_alloc alloc = t->alloc;
    nj_alloc_free(&alloc, t->rows);
    nj_alloc_free(&alloc, t->columns);
    nj_alloc_free(&alloc, t->values);
    nj_alloc_free(&alloc, t->states);
    nj_alloc_free(&alloc, t->labels);
    nj_alloc_free(&alloc, t);
}

/* A table of the given shape, cells zero and published; rows are labelled
 * later by label_rows(). */
static nj_stats_table *table_new(const nj_alloc *alloc, size_t rows,
                                 size_t columns)
{
    nj_stats_table *t = nj_alloc_malloc(alloc, sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->alloc = *alloc;
    t->row_count = rows;
    t->column_count = columns;
    size_t cells = rows * columns + 1;
    t->rows = nj_alloc_array(alloc, rows + 1, sizeof *t->rows);
    t->columns = nj_alloc_array(alloc, columns + 1, sizeof *t->columns);
    t->values = nj_alloc_array(alloc, cells, sizeof *t->values);
    t->states = nj_alloc_malloc(alloc, cells);
    if (!t->rows || !t->columns || !t->values || !t->states) {
        nj_stats_table_destroy(t);
        return NULL;
    }
    memset(t->rows, 0, (rows + 1) * sizeof *t->rows);
    memset(t->values, 0, cells * sizeof *t->values);
    memset(t->states, NJ_CELL_PUBLISHED, cells);
    return t;
}

static void set_column(nj_stats_table *t, size_t c, const char *name,
                       int32_t scale)
{
    snprintf(t->columns[c].name, COLUMN_NAME_SIZE, "%s", name);
    t->columns[c].scale = scale;
}

/* Copies the region names of the rows into one block (a row with region 0
 * is the totals row). */
static nj_status label_rows(nj_stats_table *t, const nj_stats *stats)
{
    size_t bytes = 1;
    for (size_t r = 0; r < t->row_count; r++) {
        const char *name = nj_stats_region_name(stats, t->rows[r].region_id);
        bytes += name ? strlen(name) + 1 : 0;
    }
    t->labels = nj_alloc_malloc(&t->alloc, bytes);
    if (!t->labels)
        return NJ_E_NOMEM;
    char *at = t->labels;
    for (size_t r = 0; r < t->row_count; r++) {
        const char *name = nj_stats_region_name(stats, t->rows[r].region_id);
        if (!name) {
            t->rows[r].label = "total";
            continue;
        }
        size_t n = strlen(name) + 1;
        memcpy(at, name, n);
        t->rows[r].label = at;
        at += n;
    }
    return NJ_OK;
}

static int is_small(int64_t count, int32_t k)
{
    return count >= 1 && count < k;
}

static int row_in_table(const nj_stats *stats, const nj_stats_row *row,
                        int32_t year, int32_t level)
{
    const nj_stats_region *region = nj_stats_region_find(stats, row->region_id);
    return row->year == year && region && region->level == level;
}

/* Does a row feed a cross table? The programme table reads the rows of
 * each programme type, the others the rows of all programmes. */
static int row_in_cross(const nj_stats *stats, const nj_stats_row *row,
                        int32_t year, int32_t level, int32_t kind)
{
    int by_programme = kind == NJ_TABLE_PLACEMENTS_BY_PROGRAMME;
    return row_in_table(stats, row, year, level) && row->field[NJ_F_PLACEMENTS] &&
           (row->programme_type == NJ_PROGRAMME_ALL) != by_programme;
}

/* ---- the attainment table -------------------------------------------- */

enum attainment_column {
    A_TARGET, A_ACHIEVED, A_ATTAINMENT, A_SURPLUS, A_PLACEMENTS,
    A_RECORDED_JOBS, A_PERSONS, A_APPLICANTS, A_SLOTS, A_COMPETITION,
    A_FILL_RATE, A_PAID_MINUTES, A_AMOUNT_KRW, A_FOLLOW_ON_RATE, A_COUNT
};

static const table_column attainment_columns[A_COUNT] = {
    {"target", 1}, {"achieved", 1}, {"attainment_pct", 10}, {"surplus", 1},
    {"placements", 1}, {"recorded_jobs", 1}, {"persons", 1},
    {"applicants", 1}, {"slots", 1}, {"competition_ratio", 100},
    {"fill_rate_pct", 10}, {"paid_minutes", 1}, {"amount_krw", 1},
    {"follow_on_applied_pct", 10},
};

static int attainment_row_shown(const nj_stats_row *row)
{
    const int64_t *f = row->field;
    return f[NJ_F_HAS_TARGET] || f[NJ_F_PLACEMENTS] || f[NJ_F_RECORDED_JOBS] ||
           f[NJ_F_POSTINGS];
}

/* Writes a ratio cell: undefined for a zero denominator, hidden when its
 * numerator is. */
static void set_ratio(int64_t *value, unsigned char *state, int64_t num,
                      int64_t den, int64_t scale, int numerator_hidden)
{
    int64_t rounded;
    if (den <= 0 || !nj_ratio_round(num, den, scale, &rounded))
        *state = NJ_CELL_UNDEFINED;
    else if (numerator_hidden)
        *state = NJ_CELL_SUPPRESSED_SECONDARY;
    else
        *value = rounded;
}

static void fill_attainment_row(const int64_t *f, int32_t k, int64_t *v,
                                unsigned char *s)
{
    int64_t achieved = f[NJ_F_PLACEMENTS] + f[NJ_F_RECORDED_JOBS];
    const struct { int column; int64_t count; int64_t contributors; } counts[] = {
        {A_ACHIEVED, achieved, achieved},
        {A_PLACEMENTS, f[NJ_F_PLACEMENTS], f[NJ_F_PLACEMENTS]},
        {A_RECORDED_JOBS, f[NJ_F_RECORDED_JOBS], f[NJ_F_RECORDED_JOBS]},
        {A_PERSONS, f[NJ_F_PERSONS], f[NJ_F_PERSONS]},
        {A_APPLICANTS, f[NJ_F_APPLICANTS], f[NJ_F_APPLICANTS]},
        {A_SLOTS, f[NJ_F_SLOTS], 0},
        {A_PAID_MINUTES, f[NJ_F_PAID_MINUTES], f[NJ_F_PAID_PERSONS]},
        {A_AMOUNT_KRW, f[NJ_F_AMOUNT_KRW], f[NJ_F_PAID_PERSONS]},
    };
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        if (is_small(counts[i].contributors, k))
            s[counts[i].column] = NJ_CELL_SUPPRESSED;
        else
            v[counts[i].column] = counts[i].count;
    }
    /* achieved = placements + recorded: one hidden term hides the sum. */
    if (s[A_ACHIEVED] == NJ_CELL_PUBLISHED &&
        (s[A_PLACEMENTS] != NJ_CELL_PUBLISHED ||
         s[A_RECORDED_JOBS] != NJ_CELL_PUBLISHED)) {
        s[A_ACHIEVED] = NJ_CELL_SUPPRESSED_SECONDARY;
        v[A_ACHIEVED] = 0;
    }
    int achieved_hidden = s[A_ACHIEVED] != NJ_CELL_PUBLISHED;
    if (f[NJ_F_HAS_TARGET]) {
        v[A_TARGET] = f[NJ_F_TARGET];
        set_ratio(&v[A_ATTAINMENT], &s[A_ATTAINMENT], achieved, f[NJ_F_TARGET],
                  1000, achieved_hidden);
        if (achieved_hidden)
            s[A_SURPLUS] = NJ_CELL_SUPPRESSED_SECONDARY;
        else
            v[A_SURPLUS] = achieved - f[NJ_F_TARGET];
    } else {
        s[A_TARGET] = s[A_ATTAINMENT] = s[A_SURPLUS] = NJ_CELL_UNDEFINED;
    }
    set_ratio(&v[A_COMPETITION], &s[A_COMPETITION], f[NJ_F_APPLICANTS],
              f[NJ_F_SLOTS], 100, s[A_APPLICANTS] != NJ_CELL_PUBLISHED);
    set_ratio(&v[A_FILL_RATE], &s[A_FILL_RATE], f[NJ_F_PLACEMENTS],
              f[NJ_F_SLOTS], 1000, s[A_PLACEMENTS] != NJ_CELL_PUBLISHED);
    set_ratio(&v[A_FOLLOW_ON_RATE], &s[A_FOLLOW_ON_RATE],
              f[NJ_F_FOLLOW_ON_APPLIED], f[NJ_F_PERSONS], 1000,
              s[A_PERSONS] != NJ_CELL_PUBLISHED);
    if (s[A_FOLLOW_ON_RATE] == NJ_CELL_PUBLISHED &&
        is_small(f[NJ_F_FOLLOW_ON_APPLIED], k)) {
        s[A_FOLLOW_ON_RATE] = NJ_CELL_SUPPRESSED;
        v[A_FOLLOW_ON_RATE] = 0;
    }
}

static nj_status publish_attainment(const nj_stats *stats, int32_t year,
                                    int32_t level, int32_t k,
                                    nj_stats_table **out)
{
    size_t n = 0;
    for (size_t i = 0; i < stats->row_count; i++) {
        const int64_t *f = stats->rows[i].field;
        int64_t achieved;
        if (!nj_add_checked(f[NJ_F_PLACEMENTS], f[NJ_F_RECORDED_JOBS], &achieved))
            return NJ_E_RANGE;
        n += row_in_table(stats, &stats->rows[i], year, level) &&
             attainment_row_shown(&stats->rows[i]);
    }
    nj_stats_table *t = table_new(&stats->alloc, n, A_COUNT);
    if (!t)
        return NJ_E_NOMEM;
    memcpy(t->columns, attainment_columns, sizeof attainment_columns);
    size_t r = 0;
    for (size_t i = 0; i < stats->row_count; i++) {
        const nj_stats_row *row = &stats->rows[i];
        if (!row_in_table(stats, row, year, level) || !attainment_row_shown(row))
            continue;
        t->rows[r] = (table_row){row->region_id, row->programme_type, NULL};
        fill_attainment_row(row->field, k, &t->values[r * A_COUNT],
                            &t->states[r * A_COUNT]);
        r++;
    }
    if (label_rows(t, stats) != NJ_OK) {
        nj_stats_table_destroy(t);
        return NJ_E_NOMEM;
    }
    *out = t;
    return NJ_OK;
}

/* ---- cross tables ----------------------------------------------------- */

/* The fixed columns of a cross table (programme-type tables take theirs
 * from the row keys). */
typedef struct breakdown {
    size_t count;
    const char *const *names;
} breakdown;

static const char *const decade_names[NJ_AGE_DECADES] = {
    "age_0_9", "age_10_19", "age_20_29", "age_30_39", "age_40_49",
    "age_50_59", "age_60_69", "age_70_79", "age_80_89", "age_90_plus"};
static const char *const band_names[] = {
    "youth_19_34", "middle_50_64", "senior_65_plus", "other_ages"};
static const char *const kind_names[NJ_FACILITY_KINDS] = {
    "library", "welfare_centre", "childrens_centre", "senior_centre",
    "community_service_centre", "youth_centre", "other_kind"};
static const char *const programme_names[] = {
    "direct_jobs", "vocational_training", "employment_services",
    "employment_subsidies", "startup_support",
    "unemployment_income_support", "job_infrastructure", "other_programme"};

/* Column of a row's breakdown value `i`, adding residency's derived
 * "national" (placements - foreign) as column 0. */
static int64_t breakdown_value(int32_t kind, const int64_t *f, size_t i)
{
    switch (kind) {
    case NJ_TABLE_PLACEMENTS_BY_AGE_DECADE:
        return f[NJ_F_AGE_DECADE + (int)i];
    case NJ_TABLE_PLACEMENTS_BY_AGE_BAND:
        return f[NJ_F_AGE_YOUTH + (int)i];
    case NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND:
        return f[NJ_F_FACILITY_KIND + (int)i];
    default: /* residency */
        return i == 0 ? f[NJ_F_PLACEMENTS] - f[NJ_F_FOREIGN] : f[NJ_F_FOREIGN];
    }
}

/* Distinct programme types with placements in the table, sorted. */
static size_t programme_columns(const nj_stats *stats, int32_t year,
                                int32_t level, int32_t *types, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < stats->row_count; i++) {
        const nj_stats_row *row = &stats->rows[i];
        if (!row_in_cross(stats, row, year, level, NJ_TABLE_PLACEMENTS_BY_PROGRAMME))
            continue;
        size_t at = 0;
        while (at < n && types[at] < row->programme_type)
            at++;
        if (at < n && types[at] == row->programme_type)
            continue;
        if (n == max)
            return n;
        memmove(&types[at + 1], &types[at], (n - at) * sizeof *types);
        types[at] = row->programme_type;
        n++;
    }
    return n;
}

static void programme_column_name(char *out, int32_t type)
{
    if (type >= 1 && type <= NJ_PROGRAMME_OTHER)
        snprintf(out, COLUMN_NAME_SIZE, "%s", programme_names[type - 1]);
    else
        snprintf(out, COLUMN_NAME_SIZE, "custom_%ld", (long)type);
}

/* Regions of the table (with placements), in id order. */
static size_t cross_rows(const nj_stats *stats, int32_t year, int32_t level,
                         int32_t kind, int64_t *regions)
{
    size_t n = 0;
    for (size_t i = 0; i < stats->row_count; i++) {
        const nj_stats_row *row = &stats->rows[i];
        if (!row_in_cross(stats, row, year, level, kind))
            continue;
        if (n == 0 || regions[n - 1] != row->region_id)
            regions[n++] = row->region_id;
    }
    return n;
}

static size_t find_region_row(const nj_stats_table *t, size_t rows,
                              int64_t region_id)
{
    size_t lo = 0, hi = rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rows[mid].region_id < region_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t find_type_column(const int32_t *types, size_t n, int32_t type)
{
    size_t c = 0;
    while (c < n && types[c] != type)
        c++;
    return c;
}

/* Adds each row's breakdown into its region's table row, then the totals
 * column and row. */
static void fill_cross_values(nj_stats_table *t, const nj_stats *stats,
                              int32_t year, int32_t level, int32_t kind,
                              const int32_t *types, size_t data_columns)
{
    size_t rows = t->row_count - 1, total_c = data_columns;
    for (size_t i = 0; i < stats->row_count; i++) {
        const nj_stats_row *row = &stats->rows[i];
        if (!row_in_cross(stats, row, year, level, kind))
            continue;
        int64_t *line = &t->values[find_region_row(t, rows, row->region_id) *
                                   t->column_count];
        if (kind == NJ_TABLE_PLACEMENTS_BY_PROGRAMME)
            line[find_type_column(types, data_columns, row->programme_type)] +=
                row->field[NJ_F_PLACEMENTS];
        else
            for (size_t c = 0; c < data_columns; c++)
                line[c] += breakdown_value(kind, row->field, c);
        line[total_c] += row->field[NJ_F_PLACEMENTS];
    }
    int64_t *totals = &t->values[rows * t->column_count];
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c <= total_c; c++)
            totals[c] += t->values[r * t->column_count + c];
}

static nj_status suppress_cross(nj_stats_table *t, int32_t k)
{
    size_t cells = t->row_count * t->column_count;
    for (size_t i = 0; i < cells; i++)
        t->states[i] = is_small(t->values[i], k) ? 1 : 0;
    nj_status st = nj_suppress_secondary(&t->alloc, t->values, t->row_count - 1,
                                         t->column_count - 1, t->states);
    if (st != NJ_OK)
        return st;
    static const unsigned char state_of[] = {
        NJ_CELL_PUBLISHED, NJ_CELL_SUPPRESSED, NJ_CELL_SUPPRESSED_SECONDARY};
    for (size_t i = 0; i < cells; i++) {
        t->states[i] = state_of[t->states[i]];
        if (t->states[i] != NJ_CELL_PUBLISHED)
            t->values[i] = 0;
    }
    return NJ_OK;
}

static const breakdown *breakdown_of(int32_t kind)
{
    static const breakdown decades = {NJ_AGE_DECADES, decade_names};
    static const breakdown bands = {4, band_names};
    static const breakdown kinds = {NJ_FACILITY_KINDS, kind_names};
    static const char *const residency_names[] = {"national", "foreign"};
    static const breakdown residency = {2, residency_names};
    switch (kind) {
    case NJ_TABLE_PLACEMENTS_BY_AGE_DECADE: return &decades;
    case NJ_TABLE_PLACEMENTS_BY_AGE_BAND: return &bands;
    case NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND: return &kinds;
    default: return &residency;
    }
}

static nj_status publish_cross(const nj_stats *stats, int32_t year,
                               int32_t level, int32_t kind, int32_t k,
                               nj_stats_table **out)
{
    const nj_alloc *alloc = &stats->alloc;
    int64_t *regions = nj_alloc_array(alloc, stats->row_count + 1, sizeof *regions);
    int32_t *types = nj_alloc_array(alloc, stats->row_count + 1, sizeof *types);
    nj_stats_table *t = NULL;
    nj_status st = NJ_E_NOMEM;
    if (!regions || !types)
        goto done;
    size_t rows = cross_rows(stats, year, level, kind, regions);
    const breakdown *b = breakdown_of(kind);
    size_t columns = kind == NJ_TABLE_PLACEMENTS_BY_PROGRAMME
        ? programme_columns(stats, year, level, types, stats->row_count)
        : b->count;
    t = table_new(alloc, rows + 1, columns + 1);
    if (!t)
        goto done;
    for (size_t c = 0; c < columns; c++) {
        if (kind == NJ_TABLE_PLACEMENTS_BY_PROGRAMME)
            programme_column_name(t->columns[c].name, types[c]);
        else
            set_column(t, c, b->names[c], 1);
        t->columns[c].scale = 1;
    }
    set_column(t, columns, "total", 1);
    for (size_t r = 0; r < rows; r++)
        t->rows[r].region_id = regions[r];
    fill_cross_values(t, stats, year, level, kind, types, columns);
    st = suppress_cross(t, k);
    if (st == NJ_OK)
        st = label_rows(t, stats);
done:
    nj_alloc_free(alloc, regions);
    nj_alloc_free(alloc, types);
    if (st != NJ_OK) {
        nj_stats_table_destroy(t);
        return st;
    }
    *out = t;
    return NJ_OK;
}

/* ---- public entry points ---------------------------------------------- */

nj_status nj_stats_publish(const nj_stats *stats, int32_t year,
                           int32_t region_level, int32_t kind, int32_t k,
                           nj_stats_table **out)
{
    if (!out)
        return NJ_E_INVALID;
    *out = NULL;
    if (!stats)
        return NJ_E_INVALID;
    if (kind < NJ_TABLE_ATTAINMENT || kind > NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND)
        return NJ_E_UNSUPPORTED;
    if (year < 1 || year > 9999 || region_level < 1 || region_level > 3 ||
        k < 1 || k > K_MAX)
        return NJ_E_RANGE;
    if (kind == NJ_TABLE_ATTAINMENT)
        return publish_attainment(stats, year, region_level, k, out);
    return publish_cross(stats, year, region_level, kind, k, out);
}

size_t nj_stats_table_row_count(const nj_stats_table *t)
{
    return t ? t->row_count : 0;
}

size_t nj_stats_table_column_count(const nj_stats_table *t)
{
    return t ? t->column_count : 0;
}

const char *nj_stats_table_column_name(const nj_stats_table *t, size_t column)
{
    return t && column < t->column_count ? t->columns[column].name : NULL;
}

int32_t nj_stats_table_column_scale(const nj_stats_table *t, size_t column)
{
    return t && column < t->column_count ? t->columns[column].scale : 0;
}

nj_status nj_stats_table_row(const nj_stats_table *t, size_t row,
                             int64_t *region_id, int32_t *programme_type,
                             const char **label)
{
    if (!t)
        return NJ_E_INVALID;
    if (row >= t->row_count)
        return NJ_E_NOT_FOUND;
    if (region_id)
        *region_id = t->rows[row].region_id;
    if (programme_type)
        *programme_type = t->rows[row].programme_type;
    if (label)
        *label = t->rows[row].label;
    return NJ_OK;
}

nj_status nj_stats_table_cell(const nj_stats_table *t, size_t row,
                              size_t column, int64_t *value, int32_t *state)
{
    if (!t || !value || !state)
        return NJ_E_INVALID;
    if (row >= t->row_count || column >= t->column_count)
        return NJ_E_NOT_FOUND;
    size_t i = row * t->column_count + column;
    *value = t->values[i];
    *state = t->states[i];
    return NJ_OK;
}
