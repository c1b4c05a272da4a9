/*
 * The key figures of a registry for one year (report.h), through the
 * public API only.
 */
#include <nearjob.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

const char *report_format_int(char *buf, size_t size, int64_t value)
{
    char digits[32];
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)magnitude);
    size_t used = 0;

    if (value < 0 && used + 1 < size)
        buf[used++] = '-';
    for (int i = 0; i < n && used + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && used + 2 < size)
            buf[used++] = ',';
        buf[used++] = digits[i];
    }
    buf[used] = '\0';
    return buf;
}

const char *report_format_hours(char *buf, size_t size, int64_t minutes,
                                const char *hours_unit, const char *minutes_unit)
{
    char hours[32];

    report_format_int(hours, sizeof hours, minutes / 60);
    if (minutes % 60 == 0)
        snprintf(buf, size, "%s%s", hours, hours_unit);
    else
        snprintf(buf, size, "%s%s %lld%s", hours, hours_unit,
                 (long long)llabs(minutes % 60), minutes_unit);
    return buf;
}

const char *report_format_scaled(char *buf, size_t size, int64_t value,
                                 int32_t scale)
{
    int decimals = scale >= 100 ? 2 : scale >= 10 ? 1 : 0;
    int64_t whole = scale > 0 ? value / scale : value;
    int64_t part = scale > 0 ? llabs(value % scale) : 0;
    char whole_text[32];

    report_format_int(whole_text, sizeof whole_text, whole);
    if (decimals == 0)
        snprintf(buf, size, "%s", whole_text);
    else
        snprintf(buf, size, "%s%s.%0*lld", value < 0 && whole == 0 ? "-" : "",
                 whole_text, decimals, (long long)part);
    return buf;
}

int32_t report_posting_year(const nj_posting *p)
{
    int32_t date = nj_posting_work_start(p);

    if (date == 0)
        nj_posting_selection(p, NULL, NULL, &date);
    return date / 10000;
}

static int64_t district_of(const nj_registry *reg, int64_t region_id)
{
    const nj_region *r = nj_region_get(reg, region_id);

    while (r && nj_region_level(r) > NJ_REGION_DISTRICT)
        r = nj_region_get(reg, nj_region_parent_id(r));
    return r && nj_region_level(r) == NJ_REGION_DISTRICT ? nj_region_id(r) : 0;
}

static int64_t posting_district(const nj_registry *reg, const nj_posting *p)
{
    return district_of(reg, nj_facility_region_id(
                                nj_facility_get(reg, nj_posting_facility_id(p))));
}

static int32_t latest_posting_year(const nj_registry *reg)
{
    int32_t latest = 0;

    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        int32_t y = report_posting_year(nj_posting_at(reg, i));
        latest = y > latest ? y : latest;
    }
    return latest;
}

static void widen(int32_t year, int32_t *first, int32_t *last)
{
    if (year <= 0)
        return;
    *first = *first == 0 || year < *first ? year : *first;
    *last = year > *last ? year : *last;
}

/* First and last year anything in the registry counts in. */
static void year_range(const nj_registry *reg, int32_t *first, int32_t *last)
{
    *first = *last = 0;
    for (size_t i = 0; i < nj_posting_count(reg); i++)
        widen(report_posting_year(nj_posting_at(reg, i)), first, last);
    for (size_t i = 0; i < nj_target_count(reg); i++) {
        int32_t year = 0;
        nj_target_at(reg, i, &year, NULL, NULL, NULL);
        widen(year, first, last);
    }
    for (size_t i = 0; i < nj_actual_count(reg); i++) {
        int32_t date = 0;
        nj_actual_at(reg, i, NULL, &date, NULL, NULL, NULL);
        widen(date / 10000, first, last);
    }
}

/* The district with the most postings in `year` (ties: the smaller id). */
static int64_t busiest_district(const nj_registry *reg, int32_t year)
{
    size_t n = nj_posting_count(reg), used = 0, best_count = 0;
    int64_t *districts = malloc((n ? n : 1) * sizeof *districts);
    int64_t best = 0;

    if (!districts)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        int64_t d = report_posting_year(p) == year ? posting_district(reg, p) : 0;
        if (d != 0)
            districts[used++] = d;
    }
    qsort(districts, used, sizeof *districts, cli_compare_ids);
    for (size_t i = 0, run; i < used; i += run) {
        for (run = 1; i + run < used && districts[i + run] == districts[i]; run++)
            ;
        if (run > best_count) {
            best = districts[i];
            best_count = run;
        }
    }
    free(districts);
    return best;
}

static int in_focus(const nj_registry *reg, const nj_posting *p,
                    const report_figures *fig)
{
    return report_posting_year(p) == fig->year &&
           posting_district(reg, p) == fig->district_id;
}

static void count_regions(const nj_registry *reg, report_figures *fig)
{
    fig->regions = nj_region_count(reg);
    for (size_t i = 0; i < fig->regions; i++) {
        const nj_region *r = nj_region_at(reg, i);
        if (nj_region_level(r) != NJ_REGION_NEIGHBOURHOOD)
            continue;
        fig->neighbourhoods++;
        fig->district_neighbourhoods +=
            district_of(reg, nj_region_id(r)) == fig->district_id;
    }
}

/* Facilities with postings in focus, by kind; postings that closed early. */
static int count_facilities(const nj_registry *reg, report_figures *fig)
{
    size_t n = nj_posting_count(reg), used = 0;
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);

    if (!ids)
        return CLI_FAILED;
    for (size_t k = 0; k < n; k++) {
        const nj_posting *p = nj_posting_at(reg, k);
        double ratio = nj_posting_early_close_ratio(p);
        if (!in_focus(reg, p, fig))
            continue;
        ids[used++] = nj_posting_facility_id(p);
        fig->closed_early += ratio > 0 &&
                             (double)nj_posting_application_count(p) >=
                                 ceil(ratio * (double)nj_posting_slots(p));
    }
    qsort(ids, used, sizeof *ids, cli_compare_ids);
    for (size_t i = 0; i < used; i++) {
        int32_t kind;
        if (i > 0 && ids[i] == ids[i - 1])
            continue;
        kind = nj_facility_kind(nj_facility_get(reg, ids[i]));
        fig->facilities++;
        fig->facilities_by_kind[kind >= 1 && kind <= 7 ? kind : 0]++;
    }
    free(ids);
    return CLI_OK;
}

static int64_t row_value(const nj_stats *s, size_t row, int32_t measure)
{
    int64_t v = 0;
    nj_stats_row_value(s, row, measure, &v);
    return v;
}

static void read_district_row(const nj_stats *s, report_figures *fig)
{
    size_t row;

    if (nj_stats_row_find(s, fig->year, fig->district_id, NJ_PROGRAMME_ALL, &row) != NJ_OK)
        return;
    fig->postings = row_value(s, row, NJ_MEASURE_POSTINGS);
    fig->slots = row_value(s, row, NJ_MEASURE_SLOTS);
    fig->applicants = row_value(s, row, NJ_MEASURE_APPLICANTS);
    fig->placements = row_value(s, row, NJ_MEASURE_PLACEMENTS);
    fig->persons = row_value(s, row, NJ_MEASURE_PERSONS);
    fig->has_target = row_value(s, row, NJ_MEASURE_HAS_TARGET) != 0;
    fig->target = row_value(s, row, NJ_MEASURE_TARGET);
    fig->achieved = row_value(s, row, NJ_MEASURE_ACHIEVED);
    nj_stats_row_ratio(s, row, NJ_RATIO_COMPETITION, NULL, NULL,
                       &fig->competition_hundredths);
    nj_stats_row_ratio(s, row, NJ_RATIO_FILL_RATE, NULL, NULL, &fig->fill_tenths);
    nj_stats_row_ratio(s, row, NJ_RATIO_ATTAINMENT, NULL, NULL,
                       &fig->attainment_tenths);
}

/* The ledger's period that starts in the year, and who reached the cap. */
static int read_stipend(const nj_registry *reg, report_figures *fig)
{
    int64_t start_mmdd = 101;
    int over_budget;
    int32_t date;

    nj_registry_get_int64(reg, NJ_OPT_PERIOD_START_MMDD, &start_mmdd);
    nj_registry_get_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, &fig->cap_minutes);
    date = fig->year * 10000 + (int32_t)start_mmdd;
    if (nj_stipend_programme_totals(reg, date, &fig->worked_minutes,
                                    &fig->paid_minutes, &fig->over_cap_minutes,
                                    &fig->amount_krw, &over_budget) != NJ_OK)
        return CLI_FAILED;
    for (size_t i = 0; i < nj_participant_count(reg); i++) {
        int64_t id = nj_participant_id(nj_participant_at(reg, i));
        int64_t worked, paid, over, remaining;
        if (nj_stipend_statement(reg, id, date, &worked, &paid, &over,
                                 &remaining, NULL) != NJ_OK)
            return CLI_FAILED;
        fig->paid_persons += paid > 0;
        fig->cap_hits += worked > 0 && remaining == 0;
        fig->over_cap_persons += over > 0;
    }
    return CLI_OK;
}

/* Cells and suppressed cells of the published neighbourhood tables. */
static int count_publication(const nj_stats *stats, report_figures *fig)
{
    static const int32_t kinds[] = {NJ_TABLE_PLACEMENTS_BY_AGE_BAND,
                                    NJ_TABLE_PLACEMENTS_BY_RESIDENCY};

    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        nj_stats_table *t = NULL;
        if (nj_stats_publish(stats, fig->year, NJ_REGION_NEIGHBOURHOOD, kinds[k],
                             REPORT_SUPPRESSION_K, &t) != NJ_OK)
            return CLI_FAILED;
        for (size_t r = 0; r < nj_stats_table_row_count(t); r++)
            for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
                int64_t value;
                int32_t state = 0;
                nj_stats_table_cell(t, r, c, &value, &state);
                fig->published_cells++;
                fig->suppressed_cells += state == NJ_CELL_SUPPRESSED ||
                                         state == NJ_CELL_SUPPRESSED_SECONDARY;
            }
        nj_stats_table_destroy(t);
    }
    return CLI_OK;
}

int report_figures_compute(const nj_registry *reg, int32_t year,
                           nj_stats **stats, report_figures *out)
{
    int32_t first, last;
    nj_status rc;

    memset(out, 0, sizeof *out);
    *stats = NULL;
    year_range(reg, &first, &last);
    out->year = year ? year : latest_posting_year(reg);
    out->year = out->year ? out->year : last;
    if (out->year == 0) {
        fprintf(stderr, "nearjob: nothing to report: no postings, targets or actuals\n");
        return CLI_DATA;
    }
    widen(out->year, &first, &last);
    /* A year without postings (targets only) shows the latest round's district. */
    out->district_id = busiest_district(reg, out->year);
    if (out->district_id == 0)
        out->district_id = busiest_district(reg, latest_posting_year(reg));
    out->district_name = nj_region_name(nj_region_get(reg, out->district_id));
    count_regions(reg, out);
    if (count_facilities(reg, out) != CLI_OK) {
        fprintf(stderr, "nearjob: out of memory\n");
        return CLI_FAILED;
    }
    rc = nj_stats_compute(reg, first * 10000 + 101, last * 10000 + 1231, stats);
    if (rc != NJ_OK) {
        fprintf(stderr, "nearjob: statistics: %s\n", nj_status_str(rc));
        return CLI_FAILED;
    }
    read_district_row(*stats, out);
    if (read_stipend(reg, out) != CLI_OK || count_publication(*stats, out) != CLI_OK) {
        fprintf(stderr, "nearjob: stipend totals or publication failed\n");
        nj_stats_destroy(*stats);
        *stats = NULL;
        return CLI_FAILED;
    }
    return CLI_OK;
}
