/*
 * nearjob demo: a Gwangsan-gu programme round on the bundled data
 * (docs/demo.md), with a short summary, and optionally the final registry
 * as a snapshot and the HTML report.
 */
#include <nearjob.h>

#include <stdio.h>

#include "cli.h"
#include "demo_round.h"
#include "report.h"

typedef struct demo_options {
    const char *data_dir;
    const char *snapshot;
    const char *report;
    uint64_t seed;
    int quiet;
} demo_options;

void cli_demo_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob demo [--data DIR] [--seed N] [--snapshot FILE]\n"
            "                    [--report FILE.html] [--quiet]\n"
            "\n"
            "Run a Gwangsan-gu (광산구) programme round on the bundled data: the\n"
            "real neighbourhoods, libraries and job targets, synthetic welfare and\n"
            "children's centres, and a seeded synthetic population that applies,\n"
            "is selected by lottery, works and is paid under the 100-hour cap.\n"
            "Prints a summary; the same seed always gives the same figures.\n"
            "\n"
            "Options:\n"
            "  --data DIR         folder with the bundled files; default:\n"
            "                     $NEARJOB_DATA, else the bundled copy\n"
            "  --seed N           seed of the population and the lottery\n"
            "                     (default %llu)\n"
            "  --snapshot FILE    save the final registry (a world file)\n"
            "  --report FILE.html write the HTML report (as nearjob report)\n"
            "  --quiet            print nothing but errors\n"
            "  -h, --help         show this help\n",
            (unsigned long long)DEMO_DEFAULT_SEED);
}

static int parse_options(int argc, char **argv, demo_options *o)
{
    const char *seed = NULL;
    const cli_option options[] = {
        {"--data", CLI_VALUE, &o->data_dir, NULL},
        {"--snapshot", CLI_VALUE, &o->snapshot, NULL},
        {"--report", CLI_VALUE, &o->report, NULL},
        {"--seed", CLI_VALUE, &seed, NULL},
        {"--quiet", CLI_FLAG, &o->quiet, NULL},
        {"-q", CLI_FLAG, &o->quiet, NULL},
    };
    int code = cli_parse_options("demo", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK && seed)
        code = cli_value_uint("demo", "--seed", seed, 0, UINT64_MAX, &o->seed);
    return code;
}

static void print_round(const nj_registry *reg, const report_figures *f,
                        const demo_round_info *info, const demo_options *o,
                        const char *data_dir)
{
    char a[32], b[32], c[32];

    printf("nearjob %s demo: %s programme round %d, seed %llu, data from %s\n",
           nj_version_string(), f->district_name, f->year,
           (unsigned long long)o->seed, data_dir);
    printf("Regions      %zu, of which %zu neighbourhoods (%zu in %s)\n",
           f->regions, f->neighbourhoods, f->district_neighbourhoods,
           f->district_name);
    printf("Facilities   %zu: %zu real libraries; %zu children's and %zu welfare "
           "centres, synthetic\n", f->facilities,
           f->facilities_by_kind[NJ_FACILITY_LIBRARY],
           f->facilities_by_kind[NJ_FACILITY_CHILDRENS_CENTRE],
           f->facilities_by_kind[NJ_FACILITY_WELFARE_CENTRE]);
    printf("Postings     %s with %s slots; %s closed early at 7 applicants per slot\n",
           report_format_int(a, sizeof a, f->postings),
           report_format_int(b, sizeof b, f->slots),
           report_format_int(c, sizeof c, f->closed_early));
    printf("Residents    %s synthetic in %s, %s elsewhere in Gwangju "
           "(%zu of them within 3 km of a posting, not eligible)\n",
           report_format_int(a, sizeof a, (int64_t)info->residents_inside),
           f->district_name,
           report_format_int(b, sizeof b, (int64_t)info->residents_outside),
           info->in_range_outside);
    printf("Day one      %s applications, %s per slot\n",
           report_format_int(a, sizeof a, f->applicants),
           report_format_scaled(b, sizeof b, f->competition_hundredths, 100));
    (void)reg;
}

static void print_outcome(const report_figures *f, const demo_round_info *info)
{
    char a[32], b[32], c[32];

    printf("Placed       %s by seeded lottery (%s persons), fill rate %s %%\n",
           report_format_int(a, sizeof a, f->placements),
           report_format_int(b, sizeof b, f->persons),
           report_format_scaled(c, sizeof c, f->fill_tenths, 10));
    printf("Stipend      %s paid = %s KRW to %zu residents\n",
           report_format_hours(a, sizeof a, f->paid_minutes, " h", " min"),
           report_format_int(b, sizeof b, f->amount_krw), f->paid_persons);
    printf("Cap %lld h    %zu residents reached it; %s over the cap, unpaid\n",
           (long long)(f->cap_minutes / 60), f->cap_hits,
           report_format_hours(a, sizeof a, f->over_cap_minutes, " h", " min"));
    if (info->extra_participant)
        printf("             one more minute for resident %lld: paid %lld KRW, "
               "%lld min over the cap\n", (long long)info->extra_participant,
               (long long)info->extra_paid_krw, (long long)info->extra_over_cap);
    printf("Attainment   %d: %s of %s target jobs = %s %%\n", f->year,
           report_format_int(a, sizeof a, f->achieved),
           report_format_int(b, sizeof b, f->target),
           report_format_scaled(c, sizeof c, f->attainment_tenths, 10));
    printf("Published    placements by neighbourhood x age band and x residency, "
           "k = %d: %zu of %zu cells suppressed\n", REPORT_SUPPRESSION_K,
           f->suppressed_cells, f->published_cells);
}

static int save_outputs(const nj_registry *reg, const demo_options *o,
                        int32_t year)
{
    if (o->snapshot && cli_world_save(reg, o->snapshot) != CLI_OK)
        return CLI_OUTPUT;
    if (o->snapshot && !o->quiet)
        printf("Snapshot     %s\n", o->snapshot);
    if (o->report) {
        int code = report_write_file(reg, year, o->report);
        if (code != CLI_OK)
            return code;
        if (!o->quiet)
            printf("Report       %s\n", o->report);
    }
    return CLI_OK;
}

static int run_demo(const demo_options *o)
{
    const char *data_dir = cli_data_dir(o->data_dir);
    nj_registry *reg = NULL;
    nj_stats *stats = NULL;
    demo_round_info info;
    report_figures fig;
    int code;

    code = cli_world_new(&reg);
    if (code == CLI_OK)
        code = demo_round_run(reg, data_dir, o->seed, &info);
    if (code == CLI_OK)
        code = report_figures_compute(reg, 0, &stats, &fig);
    if (code == CLI_OK && !o->quiet) {
        print_round(reg, &fig, &info, o, data_dir);
        print_outcome(&fig, &info);
    }
    if (code == CLI_OK)
        code = save_outputs(reg, o, fig.year);
    nj_stats_destroy(stats);
    nj_registry_destroy(reg);
    return code;
}

/* nearjob demo [--data DIR] [--seed N] [--snapshot FILE] [--report FILE]
 *              [--quiet] */
int cli_demo(int argc, char **argv)
{
    demo_options o = {NULL, NULL, NULL, DEMO_DEFAULT_SEED, 0};
    int code;

    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? run_demo(&o) : code;
}
