/*
 * The figures `nearjob demo` prints and `nearjob report` draws, taken from
 * a registry through the public API only (so a snapshot gives the same
 * figures as the round that wrote it), and the HTML report itself.
 */
#ifndef NJ_CLI_REPORT_H
#define NJ_CLI_REPORT_H

#include <nearjob.h>

#include <stdint.h>
#include <stdio.h>

/* Smallest count published in the report's tables (stats.h). */
#define REPORT_SUPPRESSION_K 3

typedef struct report_figures {
    int32_t year;        /* the year reported in detail */
    int64_t district_id; /* the district with the most postings that year; 0: none */
    const char *district_name;
    size_t regions, neighbourhoods, district_neighbourhoods;
    size_t facilities;   /* facilities with postings that year, in the district */
    size_t facilities_by_kind[8];
    int64_t postings, slots, applicants, placements, persons, closed_early;
    int64_t competition_hundredths; /* applicants per slot x 100 */
    int64_t fill_tenths;            /* placements per slot, 0.1 % */
    int has_target;
    int64_t target, achieved, attainment_tenths;
    /* The stipend ledger's period that starts in `year`. */
    int64_t cap_minutes, worked_minutes, paid_minutes, over_cap_minutes;
    int64_t amount_krw;
    size_t paid_persons, cap_hits, over_cap_persons;
    /* The published tables of placements by neighbourhood x age band and
     * x residency (national, foreign): all their cells, and those hidden. */
    size_t published_cells, suppressed_cells;
} report_figures;

/*
 * Compute statistics over every year the registry holds and the figures of
 * `year` (0: the latest year with postings). `*stats` receives the
 * statistics (free with nj_stats_destroy()). Returns a cli_status; a
 * message is printed on failure.
 */
int report_figures_compute(const nj_registry *reg, int32_t year,
                           nj_stats **stats, report_figures *out);

/* The year a posting counts in (docs/statistics.md): that of its work
 * start, else of its selection; 0 when it has neither. */
int32_t report_posting_year(const nj_posting *posting);

/* "12,345" (or "-12,345") into buf; returns buf. */
const char *report_format_int(char *buf, size_t size, int64_t value);
/* "140 h 1 min" from minutes, with the units given ("h", " min"). */
const char *report_format_hours(char *buf, size_t size, int64_t minutes,
                                const char *hours_unit, const char *minutes_unit);
/* "110.0" from tenths, "7.00" from hundredths. */
const char *report_format_scaled(char *buf, size_t size, int64_t value,
                                 int32_t scale);

/* The whole HTML page into `out`; returns 0, or -1 on a failure already
 * reported on stderr (write errors are left to the caller's ferror()). */
int report_html_write(FILE *out, const nj_registry *reg, const nj_stats *stats,
                      const report_figures *fig);

/* The neighbourhood map as inline SVG (report_map.c); 0 or -1 as above. */
int report_map_write(FILE *out, const nj_registry *reg, const nj_stats *stats,
                     const report_figures *fig);

/* Escape &, <, >, " and ' for HTML text and attribute values. */
void report_escape(FILE *out, const char *text);

/*
 * Write the report of `year` (0: latest) to `output` atomically: a
 * temporary file beside the file it names (cli_output_path()), flushed and
 * renamed; on any failure the temporary file is removed and nothing is
 * left that was not there before. Returns CLI_OK, CLI_OUTPUT or
 * CLI_FAILED.
 */
int report_write_file(const nj_registry *reg, int32_t year, const char *output);

#endif /* NJ_CLI_REPORT_H */
