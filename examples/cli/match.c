/*
 * nearjob match --snapshot W.nj (--participant ID [--radius M] |
 *               --posting ID | --all) [--date D] [--limit K] [--threads T]
 *               [--skip-capped] [--csv]
 *
 * The open postings near a resident, the residents to notify about a
 * posting, or the nightly batch of every open posting (nj_match_batch(),
 * run in chunks of postings so that the output streams and a progress
 * line can be drawn).
 */
#include <nearjob.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The library's default posting radius, used around a resident's home. */
#define DEFAULT_RADIUS_M 2000.0
#define MAX_THREADS 64
/* The batch runs in about this many calls, each a multiple of the
 * library's own work unit of 64 postings and enough for every thread. */
#define BATCH_CALLS 100
#define BATCH_UNIT 64
#define UNITS_PER_THREAD 4
#define MAX_LIMIT 1000000000

typedef struct match_options {
    const char *snapshot, *participant_text, *posting_text, *radius_text;
    const char *date_text, *limit_text, *threads_text;
    int all, csv, skip_capped;
    int64_t participant, posting;
    double radius;
    int32_t date;
    uint64_t limit, threads;
} match_options;

void cli_match_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob match --snapshot W.nj --participant ID [--radius M]\n"
            "                     [--date D] [--limit K] [--csv]\n"
            "       nearjob match --snapshot W.nj --posting ID [--date D] [--limit K]\n"
            "                     [--skip-capped] [--csv]\n"
            "       nearjob match --snapshot W.nj --all [--date D] [--threads T]\n"
            "                     [--skip-capped] [--csv]\n"
            "\n"
            "--participant: the open postings the resident may apply to, nearest\n"
            "first. --posting: the eligible residents within the posting's radius\n"
            "(whom to notify). --all: the nightly batch, every open posting against\n"
            "every resident, as (posting, participant, distance) rows in posting\n"
            "order; a progress line is drawn on stderr when it is a terminal.\n"
            "Distances are great-circle metres (docs/matching.md).\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file\n"
            "  --participant ID     match for this resident\n"
            "  --radius M           around the resident's home, metres (default %.0f)\n"
            "  --posting ID         match for this posting (its own radius)\n"
            "  --all                every open posting (the nightly batch)\n"
            "  --date D             the day (YYYYMMDD or YYYY-MM-DD) for application\n"
            "                       windows and ages; default: today\n"
            "  --limit K            at most K rows, the nearest (default: all)\n"
            "  --threads T          --all: worker threads, 1 to %d (default: the\n"
            "                       online CPUs)\n"
            "  --skip-capped        leave out residents with no stipend hours left\n"
            "  --csv                CSV instead of a table\n"
            "  -h, --help           show this help\n",
            DEFAULT_RADIUS_M, MAX_THREADS);
}

static int check_combination(const match_options *o)
{
    int modes = (o->participant_text != NULL) + (o->posting_text != NULL) + o->all;

    if (modes != 1)
        return cli_usage_error("match", "give one of --participant, --posting, --all",
                               NULL);
    if (o->radius_text && !o->participant_text)
        return cli_usage_error("match", "--radius goes with --participant "
                               "(a posting has its own radius)", NULL);
    if (o->limit_text && o->all)
        return cli_usage_error("match", "--limit does not go with --all", NULL);
    if (o->threads_text && !o->all)
        return cli_usage_error("match", "--threads goes with --all", NULL);
    if (o->skip_capped && o->participant_text)
        return cli_usage_error("match", "--skip-capped goes with --posting or --all",
                               NULL);
    return CLI_OK;
}

static uint64_t online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (uint64_t)n;
}

static int convert_values(match_options *o)
{
    int code = CLI_OK;

    o->radius = DEFAULT_RADIUS_M;
    o->date = cli_today();
    o->threads = online_cpus();
    if (o->participant_text)
        code = cli_value_id("match", "--participant", o->participant_text,
                            &o->participant);
    if (code == CLI_OK && o->posting_text)
        code = cli_value_id("match", "--posting", o->posting_text, &o->posting);
    if (code == CLI_OK && o->radius_text)
        code = cli_value_double("match", "--radius", o->radius_text, 0,
                                NJ_MAX_RADIUS_M, &o->radius);
    if (code == CLI_OK && o->date_text)
        code = cli_value_date("match", "--date", o->date_text, &o->date);
    if (code == CLI_OK && o->limit_text)
        code = cli_value_uint("match", "--limit", o->limit_text, 1, MAX_LIMIT,
                              &o->limit);
    if (code == CLI_OK && o->threads_text)
        code = cli_value_uint("match", "--threads", o->threads_text, 1, MAX_THREADS,
                              &o->threads);
    return code;
}

static int parse_options(int argc, char **argv, match_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--participant", CLI_VALUE, &o->participant_text, NULL},
        {"--posting", CLI_VALUE, &o->posting_text, NULL},
        {"--all", CLI_FLAG, &o->all, NULL},
        {"--radius", CLI_VALUE, &o->radius_text, NULL},
        {"--date", CLI_VALUE, &o->date_text, NULL},
        {"--limit", CLI_VALUE, &o->limit_text, NULL},
        {"--threads", CLI_VALUE, &o->threads_text, NULL},
        {"--skip-capped", CLI_FLAG, &o->skip_capped, NULL},
        {"--csv", CLI_FLAG, &o->csv, NULL},
    };
    int code = cli_parse_options("match", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK)
        code = check_combination(o);
    return code == CLI_OK ? convert_values(o) : code;
}

/* Decimal digits of v at p; returns the end. */
static char *put_int(char *p, int64_t v)
{
    char digits[24];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0;

    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *p++ = '-';
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

/* Metres rounded to the centimetre, "1234.57"; returns the end. The batch
 * prints millions of these, so no printf. */
static char *put_distance(char *p, double metres)
{
    int64_t cm = llround(metres * 100.0);

    p = put_int(p, cm / 100);
    *p++ = '.';
    *p++ = (char)('0' + cm % 100 / 10);
    *p++ = (char)('0' + cm % 10);
    return p;
}

static void format_distance(char *buf, double metres)
{
    *put_distance(buf, metres) = '\0';
}

/* ---- one participant or one posting ----------------------------------- */

static int print_postings_for(const nj_registry *reg, const nj_matches *m,
                              const match_options *o)
{
    static const char *const headers[] = {
        "posting|posting_id", "distance m|distance_m", "facility|facility_id",
        "facility name|facility", "title"};
    char id[32], distance[32], facility[32], day[11];
    cli_table t;
    int code = CLI_OK;

    cli_table_init(&t, headers, "nnnll");
    for (size_t i = 0; i < nj_matches_count(m) && code == CLI_OK; i++) {
        const nj_posting *p = nj_posting_get(reg, nj_matches_id(m, i));
        const nj_facility *f = nj_facility_get(reg, nj_posting_facility_id(p));
        const char *cells[] = {id, distance, facility, nj_facility_name(f),
                               nj_posting_title(p)};
        snprintf(id, sizeof id, "%lld", (long long)nj_posting_id(p));
        format_distance(distance, nj_matches_distance_m(m, i));
        snprintf(facility, sizeof facility, "%lld", (long long)nj_facility_id(f));
        code = cli_table_add(&t, cells);
    }
    if (code == CLI_OK && (o->csv || t.rows > 0))
        cli_table_print(&t, stdout, o->csv);
    if (code == CLI_OK && !o->csv)
        printf("%zu open posting%s within %.0f m of participant %lld's home, "
               "open to them on %s\n", t.rows, t.rows == 1 ? "" : "s", o->radius,
               (long long)o->participant, cli_format_date(day, o->date));
    cli_table_free(&t);
    return code;
}

static int print_residents_for(const nj_registry *reg, const nj_matches *m,
                               const match_options *o)
{
    static const char *const headers[] = {
        "participant|participant_id", "distance m|distance_m", "region|region_id"};
    const nj_posting *posting = nj_posting_get(reg, o->posting);
    char id[32], distance[32], region[32], day[11];
    cli_table t;
    int code = CLI_OK;

    cli_table_init(&t, headers, "nnr");
    for (size_t i = 0; i < nj_matches_count(m) && code == CLI_OK; i++) {
        const nj_participant *p = nj_participant_get(reg, nj_matches_id(m, i));
        const char *cells[] = {id, distance, region};
        snprintf(id, sizeof id, "%lld", (long long)nj_participant_id(p));
        format_distance(distance, nj_matches_distance_m(m, i));
        snprintf(region, sizeof region, "%lld", (long long)nj_participant_region_id(p));
        code = cli_table_add(&t, cells);
    }
    if (code == CLI_OK && (o->csv || t.rows > 0))
        cli_table_print(&t, stdout, o->csv);
    if (code == CLI_OK && !o->csv)
        printf("%zu eligible resident%s within %.0f m of posting %lld on %s%s\n",
               t.rows, t.rows == 1 ? "" : "s", nj_posting_radius_m(posting),
               (long long)o->posting, cli_format_date(day, o->date),
               nj_posting_status(posting) == NJ_POSTING_CLOSED
                   ? " (the posting is closed)" : "");
    cli_table_free(&t);
    return code;
}

static int match_one(const nj_registry *reg, const match_options *o)
{
    uint32_t flags = o->skip_capped ? NJ_MATCH_SKIP_CAPPED : 0;
    nj_matches *m = NULL;
    nj_status rc;
    int code;

    if (o->participant_text)
        rc = nj_match_for_participant(reg, o->participant, o->radius, o->date,
                                      (size_t)o->limit, &m);
    else
        rc = nj_match_for_posting(reg, o->posting, o->date, (size_t)o->limit,
                                  flags, &m);
    if (rc != NJ_OK) {
        char what[64];
        snprintf(what, sizeof what, "%s %lld", o->participant_text ? "participant"
                                                                    : "posting",
                 (long long)(o->participant_text ? o->participant : o->posting));
        return cli_refused(NULL, what, rc);
    }
    code = o->participant_text ? print_postings_for(reg, m, o)
                               : print_residents_for(reg, m, o);
    nj_matches_destroy(m);
    return code;
}

/* ---- the batch -------------------------------------------------------- */

static size_t batch_chunk(size_t postings, uint64_t threads)
{
    size_t chunk = (postings + BATCH_CALLS - 1) / BATCH_CALLS;
    size_t least = (size_t)threads * BATCH_UNIT * UNITS_PER_THREAD;

    chunk = chunk > least ? chunk : least;
    return (chunk + BATCH_UNIT - 1) / BATCH_UNIT * BATCH_UNIT;
}

/* Right-align the text between start and end in a field of `width`. */
static char *pad_field(char *start, char *end, size_t width)
{
    size_t len = (size_t)(end - start);

    if (len >= width)
        return end;
    memmove(start + width - len, start, len);
    memset(start, ' ', width - len);
    return start + width;
}

/* Rows (posting, participant, distance): CSV, or text columns of 10, 12
 * and 12 characters two spaces apart, under the header match_all prints.
 * Written in blocks: one stdio call per row would cost more than the
 * matching. */
static void print_batch_rows(const nj_matches *m, int csv)
{
    static const size_t widths[] = {10, 12, 12};
    enum { BLOCK = 65536, LONGEST_ROW = 96 };
    static char block[BLOCK];
    char *p = block;

    for (size_t i = 0; i < nj_matches_count(m); i++) {
        for (size_t c = 0; c < 3; c++) {
            char *start;
            if (c > 0 && csv)
                *p++ = ',';
            else if (c > 0) {
                memcpy(p, "  ", 2);
                p += 2;
            }
            start = p;
            p = c == 0   ? put_int(p, nj_matches_source_id(m, i))
                : c == 1 ? put_int(p, nj_matches_id(m, i))
                         : put_distance(p, nj_matches_distance_m(m, i));
            if (!csv)
                p = pad_field(start, p, widths[c]);
        }
        *p++ = '\n';
        if (p > block + BLOCK - LONGEST_ROW) {
            fwrite(block, 1, (size_t)(p - block), stdout);
            p = block;
        }
    }
    fwrite(block, 1, (size_t)(p - block), stdout);
}

static size_t open_postings(const nj_registry *reg)
{
    size_t open = 0;

    for (size_t i = 0; i < nj_posting_count(reg); i++)
        open += nj_posting_status(nj_posting_at(reg, i)) == NJ_POSTING_OPEN;
    return open;
}

static int match_all(const nj_registry *reg, const match_options *o)
{
    uint32_t flags = o->skip_capped ? NJ_MATCH_SKIP_CAPPED : 0;
    size_t total = nj_posting_count(reg), chunk = batch_chunk(total, o->threads);
    size_t rows = 0;
    cli_progress progress;
    char day[11];

    printf(o->csv ? "posting_id,participant_id,distance_m\n"
                  : "   posting   participant    distance m\n");
    cli_progress_start(&progress, "match --all: postings", total);
    for (size_t first = 0; first < total; first += chunk) {
        nj_matches *m = NULL;
        nj_status rc;
        cli_progress_update(&progress, first, NULL);
        rc = nj_match_batch(reg, o->date, first, chunk, flags, (uint32_t)o->threads, &m);
        if (rc != NJ_OK) {
            cli_progress_end(&progress);
            return cli_refused(NULL, "match --all", rc);
        }
        print_batch_rows(m, o->csv);
        rows += nj_matches_count(m);
        nj_matches_destroy(m);
    }
    cli_progress_update(&progress, total, NULL);
    cli_progress_end(&progress);
    if (!o->csv)
        printf("%zu match%s for %zu open posting%s of %zu on %s\n", rows,
               rows == 1 ? "" : "es", open_postings(reg),
               open_postings(reg) == 1 ? "" : "s", total,
               cli_format_date(day, o->date));
    return CLI_OK;
}

static int run_match(nj_registry *reg, void *options)
{
    const match_options *o = options;
    return o->all ? match_all(reg, o) : match_one(reg, o);
}

int cli_match(int argc, char **argv)
{
    match_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, run_match, &o) : code;
}
