/*
 * nearjob select --snapshot W.nj --posting ID --date D
 *                [--method lottery|first-come] [--seed S] [--dry-run] [--csv]
 *
 * Fill a posting's slots (nj_posting_select()) and print the seed and the ranked
 * applicants, so that anyone holding the world as it was before can re-run
 * the draw and get the same winners (--dry-run saves nothing).
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct select_options {
    const char *snapshot, *posting_text, *date_text, *method_text, *seed_text;
    int dry_run, csv;
    int64_t posting;
    int32_t date, method;
    uint64_t seed;
} select_options;

/* In nj_selection_method order (NJ_SELECT_LOTTERY = 1, ...). */
static const char *const methods[] = {"lottery", "first-come", NULL};

typedef struct ranked {
    int32_t rank, status;
    int64_t participant;
} ranked;

void cli_select_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob select --snapshot W.nj --posting ID --date D\n"
            "                      [--method lottery|first-come] [--seed S]\n"
            "                      [--dry-run] [--csv]\n"
            "\n"
            "Fill the posting's slots from its applicants and close it: those\n"
            "with fewer stipend minutes paid in the period first, ties broken by\n"
            "a seeded lottery or by order of application; the rest are\n"
            "waitlisted in rank order (docs/selection.md). Prints the method, the\n"
            "seed and every applicant's rank. The same world, applications and\n"
            "seed always give the same ranks.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file (replaced atomically)\n"
            "  --posting ID         the posting\n"
            "  --date D             the day of selection (YYYYMMDD or YYYY-MM-DD)\n"
            "  --method M           lottery (default) or first-come\n"
            "  --seed S             the lottery's seed, 0 to 2^64-1; default: drawn\n"
            "                       from /dev/urandom, and printed\n"
            "  --dry-run            draw and print, but save nothing (to audit a\n"
            "                       draw on the world as it was before)\n"
            "  --csv                CSV rows (posting_id,method,seed,rank,\n"
            "                       participant_id,status) instead of a table\n"
            "  -h, --help           show this help\n");
}

static int draw_seed(uint64_t *seed)
{
    FILE *f = fopen("/dev/urandom", "rb");
    int ok = f && fread(seed, sizeof *seed, 1, f) == 1;

    if (f)
        fclose(f);
    if (!ok)
        fprintf(stderr, "nearjob: cannot read /dev/urandom for a seed; give --seed\n");
    return ok ? CLI_OK : CLI_FAILED;
}

static int parse_options(int argc, char **argv, select_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--posting", CLI_VALUE, &o->posting_text, "ID"},
        {"--date", CLI_VALUE, &o->date_text, "D"},
        {"--method", CLI_VALUE, &o->method_text, NULL},
        {"--seed", CLI_VALUE, &o->seed_text, NULL},
        {"--dry-run", CLI_FLAG, &o->dry_run, NULL},
        {"--csv", CLI_FLAG, &o->csv, NULL},
    };
    size_t method = 0;
    int code = cli_parse_options("select", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK)
        code = cli_value_id("select", "--posting", o->posting_text, &o->posting);
    if (code == CLI_OK)
        code = cli_value_date("select", "--date", o->date_text, &o->date);
    if (code == CLI_OK && o->method_text)
        code = cli_value_word("select", "--method", o->method_text, methods, &method);
    o->method = (int32_t)method + NJ_SELECT_LOTTERY;
    if (code == CLI_OK && o->seed_text && o->method != NJ_SELECT_LOTTERY)
        return cli_usage_error("select", "--seed goes with --method lottery", NULL);
    if (code == CLI_OK && o->seed_text)
        code = cli_value_uint("select", "--seed", o->seed_text, 0, UINT64_MAX,
                              &o->seed);
    else if (code == CLI_OK && o->method == NJ_SELECT_LOTTERY)
        code = draw_seed(&o->seed);
    return code;
}

static int by_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The ranked applicants (withdrawn before selection have no rank). */
static ranked *ranked_applicants(const nj_posting *p, size_t *n)
{
    size_t total = nj_posting_application_count(p);
    ranked *rows = malloc((total ? total : 1) * sizeof *rows);

    *n = 0;
    for (size_t k = 0; rows && k < total; k++) {
        ranked *r = &rows[*n];
        nj_posting_application_at(p, k, &r->participant, &r->status, NULL, &r->rank);
        *n += r->rank > 0;
    }
    if (rows)
        qsort(rows, *n, sizeof *rows, by_rank);
    else
        fprintf(stderr, "nearjob: out of memory\n");
    return rows;
}

static const char *status_name(int32_t status)
{
    switch (status) {
    case NJ_APPLICATION_SELECTED: return "selected";
    case NJ_APPLICATION_WAITLISTED: return "waitlisted";
    case NJ_APPLICATION_WITHDRAWN: return "withdrawn";
    default: return "applied";
    }
}

static int fill_table(cli_table *t, const ranked *rows, size_t n,
                      const select_options *o)
{
    char posting[32], seed[32], rank[32], who[32];
    int code = CLI_OK;

    snprintf(posting, sizeof posting, "%lld", (long long)o->posting);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    for (size_t i = 0; i < n && code == CLI_OK; i++) {
        const char *cells[] = {posting, methods[o->method - 1], seed, rank, who,
                               status_name(rows[i].status)};
        snprintf(rank, sizeof rank, "%d", (int)rows[i].rank);
        snprintf(who, sizeof who, "%lld", (long long)rows[i].participant);
        /* The table shows the last three columns; CSV all six. */
        code = cli_table_add(t, o->csv ? cells : cells + 3);
    }
    return code;
}

static void print_heading(const nj_registry *reg, const nj_posting *p,
                          const select_options *o)
{
    const nj_facility *f = nj_facility_get(reg, nj_posting_facility_id(p));
    char day[11];

    printf("posting %lld, %s at %s: %d slot%s, %zu application%s\n",
           (long long)o->posting, nj_posting_title(p), nj_facility_name(f),
           (int)nj_posting_slots(p), nj_posting_slots(p) == 1 ? "" : "s",
           nj_posting_application_count(p),
           nj_posting_application_count(p) == 1 ? "" : "s");
    if (o->method == NJ_SELECT_LOTTERY)
        printf("selected on %s by lottery, seed %llu\n", cli_format_date(day, o->date),
               (unsigned long long)o->seed);
    else
        printf("selected on %s first come, first served\n",
               cli_format_date(day, o->date));
}

static int print_selection(const nj_registry *reg, const select_options *o)
{
    static const char *const headers[] = {"posting_id", "method", "seed",
                                          "rank", "participant|participant_id",
                                          "status"};
    const nj_posting *p = nj_posting_get(reg, o->posting);
    size_t n;
    ranked *rows = ranked_applicants(p, &n);
    cli_table t;
    int code;

    if (!rows)
        return CLI_FAILED;
    cli_table_init(&t, o->csv ? headers : headers + 3, o->csv ? "lllnnl" : "nnl");
    code = fill_table(&t, rows, n, o);
    if (code == CLI_OK && !o->csv)
        print_heading(reg, p, o);
    if (code == CLI_OK)
        cli_table_print(&t, stdout, o->csv);
    if (code == CLI_OK && !o->csv)
        printf("%zu selected, %zu waitlisted\n",
               nj_posting_count_by_status(p, NJ_APPLICATION_SELECTED),
               nj_posting_count_by_status(p, NJ_APPLICATION_WAITLISTED));
    cli_table_free(&t);
    free(rows);
    return code;
}

static int select_posting(nj_registry *reg, void *options)
{
    const select_options *o = options;
    int code = cli_save_change(reg, o->dry_run ? NULL : o->snapshot, "select",
                               nj_posting_select(reg, o->posting, o->method, o->seed, o->date));

    if (code == CLI_OK)
        code = print_selection(reg, o);
    if (code == CLI_OK && !o->csv)
        printf(o->dry_run ? "dry run: %s is unchanged\n" : "saved %s\n", o->snapshot);
    return code;
}

int cli_select(int argc, char **argv)
{
    select_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, select_posting, &o) : code;
}
