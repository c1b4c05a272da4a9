/*
 * nearjob report --html OUT.html [--snapshot FILE] [--year Y]: the HTML
 * report of a world file, or of the demo round run in memory, written
 * atomically.
 */
#include <nearjob.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "demo_round.h"
#include "report.h"

typedef struct report_options {
    const char *html;
    const char *snapshot;
    const char *data_dir;
    int32_t year;
} report_options;

void cli_report_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob report --html OUT.html [--snapshot FILE] [--year Y]\n"
            "\n"
            "Write a self-contained HTML page (inline SVG and CSS, Korean labels):\n"
            "target vs achieved jobs per year and programme type, attainment,\n"
            "a neighbourhood map of postings and placements, competition ratios,\n"
            "the stipend paid and the residents who reached the hour cap. Tables\n"
            "are published with small cells (below %d) suppressed.\n"
            "\n"
            "Options:\n"
            "  --html OUT.html   the page to write (replaced atomically)\n"
            "  --snapshot FILE   the world to report on; default: run the demo\n"
            "                    round (nearjob demo) in memory\n"
            "  --data DIR        the demo's data folder (without --snapshot)\n"
            "  --year Y          the year shown in detail; default: the latest\n"
            "                    year with postings\n"
            "  -h, --help        show this help\n",
            REPORT_SUPPRESSION_K);
}

/* Write to `tmp` (already open as `out`), then flush, sync and rename. */
static int finish_file(FILE *out, const char *tmp, const char *path)
{
    int ok = fflush(out) == 0 && !ferror(out) && fsync(fileno(out)) == 0;
    int saved = errno;

    if (fclose(out) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        fprintf(stderr, "nearjob: cannot write %s: %s\n", path, strerror(saved));
        unlink(tmp);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

int report_write_file(const nj_registry *reg, int32_t year, const char *output)
{
    char tmp[PATH_MAX + 8], path[PATH_MAX];
    nj_stats *stats = NULL;
    report_figures fig;
    FILE *out;
    int fd, code;

    code = cli_output_path(output, path, sizeof path);
    if (code != CLI_OK)
        return code;
    code = report_figures_compute(reg, year, &stats, &fig);
    if (code != CLI_OK)
        return code;
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        fprintf(stderr, "nearjob: output path too long: %s\n", path);
        nj_stats_destroy(stats);
        return CLI_OUTPUT;
    }
    fd = mkstemp(tmp);
    out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        fprintf(stderr, "nearjob: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        nj_stats_destroy(stats);
        return CLI_OUTPUT;
    }
    /* mkstemp makes the file private; a report holds published figures only. */
    fchmod(fd, 0644);
    if (report_html_write(out, reg, stats, &fig) != 0) {
        fclose(out);
        unlink(tmp);
        code = CLI_FAILED;
    } else {
        code = finish_file(out, tmp, path);
    }
    nj_stats_destroy(stats);
    return code;
}

static int parse_options(int argc, char **argv, report_options *o)
{
    const char *year = NULL;
    uint64_t y;
    const cli_option options[] = {
        {"--html", CLI_VALUE, &o->html, "OUT.html"},
        {"--snapshot", CLI_VALUE, &o->snapshot, NULL},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--data", CLI_VALUE, &o->data_dir, NULL},
        {"--year", CLI_VALUE, &year, NULL},
    };
    int code = cli_parse_options("report", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK && year &&
        (code = cli_value_uint("report", "--year", year, 1, 9999, &y)) == CLI_OK)
        o->year = (int32_t)y;
    return code;
}

/* The world of the report: the snapshot, or the demo round; the caller
 * frees *reg. */
static int load_world(const report_options *o, nj_registry **reg)
{
    demo_round_info info;
    int code;

    if (o->snapshot)
        return cli_world_load(o->snapshot, reg);
    code = cli_world_new(reg);
    return code == CLI_OK ? demo_round_run(*reg, cli_data_dir(o->data_dir),
                                           DEMO_DEFAULT_SEED, &info)
                          : code;
}

int cli_report(int argc, char **argv)
{
    report_options o = {NULL, NULL, NULL, 0};
    nj_registry *reg = NULL;
    int code;

    code = parse_options(argc, argv, &o);
    if (code == CLI_OK)
        code = load_world(&o, &reg);
    if (code == CLI_OK)
        code = report_write_file(reg, o.year, o.html);
    nj_registry_destroy(reg);
    return code;
}
