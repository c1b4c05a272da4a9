/*
 * nearjob stats --snapshot W.nj --year Y [--table T] [--level L]
 *               [--region ID] [--k K] [--csv | --json]
 *
 * A published statistics table of one year (nj_stats_publish()): counts
 * below k hidden, and in the cross tables whatever would reveal them.
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_K 3
#define MAX_K 1000
/* region_id, region, programme_type, then the table's own columns. */
#define KEY_COLUMNS 3
/* Room for any int64 as a decimal with its point and sign. */
#define CELL_SIZE 48

typedef struct stats_options {
    const char *snapshot, *year_text, *table_text, *level_text, *region_text,
        *k_text;
    int csv, json;
    int32_t year, kind, level, k;
    int64_t region;
} stats_options;

/* In nj_stats_table_kind order (NJ_TABLE_ATTAINMENT = 1, ...). */
static const char *const tables[] = {"attainment", "programme", "age-decade",
                                     "age-band", "residency", "facility-kind",
                                     NULL};
/* In nj_region_level order (NJ_REGION_PROVINCE = 1, ...). */
static const char *const levels[] = {"province", "district", "neighbourhood", NULL};
/* Programme types 0 (all) .. NJ_PROGRAMME_OTHER, as in docs/csv.md. */
static const char *const programmes[] = {
    "all", "direct_jobs", "vocational_training", "employment_services",
    "employment_subsidies", "startup_support", "unemployment_income_support",
    "job_infrastructure", "other"};

void cli_stats_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob stats --snapshot W.nj --year Y [--table T] [--level L]\n"
            "                     [--region ID] [--k K] [--csv | --json]\n"
            "\n"
            "Print a statistics table of the year as published: target, achieved\n"
            "and attainment per region and programme type, or placements by a\n"
            "breakdown; counts from 1 to K-1 are hidden (x), and in the cross\n"
            "tables so is whatever would let them be worked out from the totals\n"
            "(docs/statistics.md). Figures are exact otherwise.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file\n"
            "  --year Y             the year, 1 to 9999\n"
            "  --table T            attainment (default), programme, age-decade,\n"
            "                       age-band, residency or facility-kind\n"
            "  --level L            the rows' regions: province, district (default)\n"
            "                       or neighbourhood\n"
            "  --region ID          only the rows of this region and the regions\n"
            "                       within it (the total row is left out)\n"
            "  --k K                smallest count published, 1 to %d (default %d)\n"
            "  --csv                CSV instead of a table\n"
            "  --json               JSON instead of a table\n"
            "  -h, --help           show this help\n",
            MAX_K, DEFAULT_K);
}

static int convert_values(stats_options *o)
{
    size_t table = 0, level = NJ_REGION_DISTRICT - 1;
    uint64_t v = DEFAULT_K;
    int code = cli_value_uint("stats", "--year", o->year_text, 1, 9999, &v);

    o->year = (int32_t)v;
    v = DEFAULT_K;
    if (code == CLI_OK && o->table_text)
        code = cli_value_word("stats", "--table", o->table_text, tables, &table);
    if (code == CLI_OK && o->level_text)
        code = cli_value_word("stats", "--level", o->level_text, levels, &level);
    if (code == CLI_OK && o->k_text)
        code = cli_value_uint("stats", "--k", o->k_text, 1, MAX_K, &v);
    if (code == CLI_OK && o->region_text)
        code = cli_value_id("stats", "--region", o->region_text, &o->region);
    o->kind = (int32_t)table + NJ_TABLE_ATTAINMENT;
    o->level = (int32_t)level + NJ_REGION_PROVINCE;
    o->k = (int32_t)v;
    return code;
}

static int parse_options(int argc, char **argv, stats_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--year", CLI_VALUE, &o->year_text, "Y"},
        {"--table", CLI_VALUE, &o->table_text, NULL},
        {"--level", CLI_VALUE, &o->level_text, NULL},
        {"--region", CLI_VALUE, &o->region_text, NULL},
        {"--k", CLI_VALUE, &o->k_text, NULL},
        {"--csv", CLI_FLAG, &o->csv, NULL},
        {"--json", CLI_FLAG, &o->json, NULL},
    };
    int code = cli_parse_options("stats", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK && o->csv && o->json)
        return cli_usage_error("stats", "give --csv or --json, not both", NULL);
    return code == CLI_OK ? convert_values(o) : code;
}

/* value / scale as a decimal: 1102 at scale 10 is "110.2". */
static void format_cell(char *buf, size_t size, int64_t value, int32_t state,
                        int32_t scale)
{
    int decimals = scale >= 100 ? 2 : scale >= 10 ? 1 : 0;
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;

    if (state == NJ_CELL_SUPPRESSED || state == NJ_CELL_SUPPRESSED_SECONDARY)
        snprintf(buf, size, "x");
    else if (state == NJ_CELL_UNDEFINED)
        buf[0] = '\0';
    else if (decimals == 0)
        snprintf(buf, size, "%lld", (long long)value);
    else
        snprintf(buf, size, "%s%llu.%0*llu", value < 0 ? "-" : "",
                 (unsigned long long)(magnitude / (uint64_t)scale), decimals,
                 (unsigned long long)(magnitude % (uint64_t)scale));
}

static void format_programme(char *buf, size_t size, int32_t type)
{
    if (type >= 0 && type < (int32_t)(sizeof programmes / sizeof *programmes))
        snprintf(buf, size, "%s", programmes[type]);
    else
        snprintf(buf, size, "%d", (int)type);
}

/* Whether a row passes --region (the total row, region 0, never does). */
static int row_wanted(const nj_registry *reg, const nj_region *within,
                      int64_t region_id)
{
    return !within || (region_id != 0 &&
                       nj_region_is_within(nj_region_get(reg, region_id), within));
}

static int add_row(cli_table *t, const nj_stats_table *table, size_t row,
                   char (*text)[CELL_SIZE], const char **cells)
{
    int64_t region_id;
    int32_t type;
    const char *label;

    nj_stats_table_row(table, row, &region_id, &type, &label);
    snprintf(text[0], CELL_SIZE, "%lld", (long long)region_id);
    format_programme(text[2], 32, type);
    cells[0] = text[0];
    cells[1] = label;
    cells[2] = text[2];
    for (size_t c = KEY_COLUMNS; c < t->columns; c++) {
        int64_t value = 0;
        int32_t state = 0;
        nj_stats_table_cell(table, row, c - KEY_COLUMNS, &value, &state);
        format_cell(text[c], CELL_SIZE, value, state,
                    nj_stats_table_column_scale(table, c - KEY_COLUMNS));
        cells[c] = text[c];
    }
    return cli_table_add(t, cells);
}

/* Every row of the published table that passes --region. */
static int fill_table(cli_table *t, const nj_registry *reg,
                      const nj_stats_table *table, const nj_region *within)
{
    char (*text)[CELL_SIZE] = malloc(t->columns * sizeof *text);
    const char **cells = malloc(t->columns * sizeof *cells);
    int code = text && cells ? CLI_OK : CLI_FAILED;

    if (code != CLI_OK)
        fprintf(stderr, "nearjob: out of memory\n");
    for (size_t r = 0; r < nj_stats_table_row_count(table) && code == CLI_OK; r++) {
        int64_t region_id = 0;
        nj_stats_table_row(table, r, &region_id, NULL, NULL);
        if (row_wanted(reg, within, region_id))
            code = add_row(t, table, r, text, cells);
    }
    free(text);
    free(cells);
    return code;
}

static void print_json(const cli_table *t, const stats_options *o)
{
    printf("{\"year\": %d, \"table\": \"%s\", \"level\": \"%s\", \"k\": %d,\n"
           " \"columns\": [", (int)o->year, tables[o->kind - 1],
           levels[o->level - 1], (int)o->k);
    for (size_t c = KEY_COLUMNS; c < t->columns; c++)
        printf("%s\"%s\"", c > KEY_COLUMNS ? ", " : "", t->headers[c]);
    printf("],\n \"rows\": [");
    for (size_t r = 0; r < t->rows; r++) {
        char *const *cell = t->cells + r * t->columns;
        printf("%s\n  {\"region_id\": %s, \"region\": ", r ? "," : "", cell[0]);
        cli_json_string(stdout, cell[1]);
        printf(", \"programme_type\": \"%s\", \"cells\": [", cell[2]);
        for (size_t c = KEY_COLUMNS; c < t->columns; c++)
            printf(c > KEY_COLUMNS ? ", %s" : "%s",
                   cell[c][0] == '\0' ? "null" : strcmp(cell[c], "x") == 0 ? "\"x\""
                                                                         : cell[c]);
        printf("]}");
    }
    printf("\n ]}\n");
}

static void print_heading(const stats_options *o)
{
    printf("%s table, %d, %s level, k = %d (x: hidden to protect small counts)\n",
           tables[o->kind - 1], (int)o->year, levels[o->level - 1], (int)o->k);
}

static int print_table(const nj_registry *reg, const nj_stats_table *table,
                       const nj_region *within, const stats_options *o)
{
    size_t columns = KEY_COLUMNS + nj_stats_table_column_count(table);
    const char **headers = malloc(columns * sizeof *headers);
    char *formats = malloc(columns + 1);
    cli_table t;
    int code;

    if (!headers || !formats) {
        free(headers);
        free(formats);
        fprintf(stderr, "nearjob: out of memory\n");
        return CLI_FAILED;
    }
    headers[0] = "region_id";
    headers[1] = "region";
    headers[2] = "programme";
    memset(formats, 'n', columns);
    memcpy(formats, "rll", KEY_COLUMNS);
    formats[columns] = '\0';
    for (size_t c = KEY_COLUMNS; c < columns; c++)
        headers[c] = nj_stats_table_column_name(table, c - KEY_COLUMNS);
    cli_table_init(&t, headers, formats);
    code = fill_table(&t, reg, table, within);
    if (code == CLI_OK && o->json)
        print_json(&t, o);
    else if (code == CLI_OK) {
        if (!o->csv)
            print_heading(o);
        cli_table_print(&t, stdout, o->csv);
    }
    cli_table_free(&t);
    free(headers);
    free(formats);
    return code;
}

static int publish(nj_registry *reg, void *options)
{
    const stats_options *o = options;
    const nj_region *within = NULL;
    nj_stats *stats = NULL;
    nj_stats_table *table = NULL;
    nj_status rc;
    int code;

    if (o->region_text && !(within = nj_region_get(reg, o->region))) {
        fprintf(stderr, "nearjob: --region %lld: no such region in %s\n",
                (long long)o->region, o->snapshot);
        return CLI_DATA;
    }
    rc = nj_stats_compute(reg, o->year * 10000 + 101, o->year * 10000 + 1231, &stats);
    if (rc != NJ_OK)
        return cli_refused(NULL, "statistics", rc);
    rc = nj_stats_publish(stats, o->year, o->level, o->kind, o->k, &table);
    if (rc != NJ_OK) {
        fprintf(stderr, "nearjob: publishing: %s (%s)\n", nj_stats_errmsg(stats),
                nj_status_str(rc));
        nj_stats_destroy(stats);
        return CLI_FAILED;
    }
    code = print_table(reg, table, within, o);
    nj_stats_table_destroy(table);
    nj_stats_destroy(stats);
    return code;
}

int cli_stats(int argc, char **argv)
{
    stats_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, publish, &o) : code;
}
