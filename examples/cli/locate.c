/*
 * nearjob locate LAT LON [--snapshot W.nj | --data DIR] [--csv]: the
 * neighbourhood (and its district and province) containing a point, from a
 * world's regions or the bundled Gwangju boundaries.
 */
#include <nearjob.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "demo_round.h"

typedef struct locate_options {
    const char *snapshot;
    const char *data_dir;
    int csv;
    cli_list words;
    double lat, lon;
} locate_options;

void cli_locate_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob locate LAT LON [--snapshot W.nj | --data DIR] [--csv]\n"
            "\n"
            "Print the neighbourhood containing the point (WGS84 degrees), then\n"
            "its district and province: level, id (the administrative code) and\n"
            "name. A point in no region prints a line saying so and exits 0.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the regions of this world; default: the\n"
            "                       bundled boundaries of Gwangju's neighbourhoods\n"
            "  --data DIR           the folder with the bundled boundaries\n"
            "                       (default: $NEARJOB_DATA, else the bundled copy)\n"
            "  --csv                CSV (level,region_id,name) instead of a table\n"
            "  -h, --help           show this help\n");
}

static int parse_options(int argc, char **argv, locate_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, NULL},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--data", CLI_VALUE, &o->data_dir, NULL},
        {"--csv", CLI_FLAG, &o->csv, NULL},
    };
    int code = cli_parse_options("locate", argc, argv, options,
                                 sizeof options / sizeof *options, &o->words);

    if (code != CLI_OK)
        return code;
    if (o->words.count != 2)
        return cli_usage_error("locate", "give the point as LAT LON", NULL);
    if (o->snapshot && o->data_dir)
        return cli_usage_error("locate", "give --snapshot or --data, not both", NULL);
    code = cli_value_double("locate", "LAT", o->words.item[0], -90, 90, &o->lat);
    if (code == CLI_OK)
        code = cli_value_double("locate", "LON", o->words.item[1], -180, 180, &o->lon);
    return code;
}

/* The world's regions, or the bundled ones; the caller frees *reg. */
static int load_regions(const locate_options *o, nj_registry **reg)
{
    int code;

    if (o->snapshot)
        return cli_world_load(o->snapshot, reg);
    code = cli_world_new(reg);
    return code == CLI_OK ? demo_load_regions(*reg, cli_data_dir(o->data_dir)) : code;
}

static const char *level_name(int32_t level)
{
    switch (level) {
    case NJ_REGION_PROVINCE: return "province";
    case NJ_REGION_DISTRICT: return "district";
    case NJ_REGION_NEIGHBOURHOOD: return "neighbourhood";
    default: return "?";
    }
}

/* The region and its ancestors, deepest first. */
static int print_region_path(const nj_registry *reg, const nj_region *region,
                             int csv)
{
    static const char *const headers[] = {"level", "region_id", "name"};
    cli_table t;
    char id[32];
    int code = CLI_OK;

    cli_table_init(&t, headers, "lrl");
    for (; region && code == CLI_OK;
         region = nj_region_get(reg, nj_region_parent_id(region))) {
        const char *cells[] = {level_name(nj_region_level(region)), id,
                               nj_region_name(region)};
        snprintf(id, sizeof id, "%lld", (long long)nj_region_id(region));
        code = cli_table_add(&t, cells);
    }
    if (code == CLI_OK)
        cli_table_print(&t, stdout, csv);
    cli_table_free(&t);
    return code;
}

static int locate_point(const nj_registry *reg, const locate_options *o)
{
    nj_region *found = NULL;
    nj_status rc = nj_region_locate(reg, o->lat, o->lon, &found);

    /* Not found: CSV gets its header alone, people a sentence. */
    if (rc == NJ_OK || (rc == NJ_E_NOT_FOUND && o->csv))
        return print_region_path(reg, found, o->csv);
    if (rc != NJ_E_NOT_FOUND)
        return cli_refused(NULL, "locate", rc);
    printf("no region contains %.7f, %.7f\n", o->lat, o->lon);
    return CLI_OK;
}

int cli_locate(int argc, char **argv)
{
    locate_options o;
    nj_registry *reg = NULL;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    if (code == CLI_OK)
        code = load_regions(&o, &reg);
    if (code == CLI_OK)
        code = locate_point(reg, &o);
    nj_registry_destroy(reg);
    return code;
}
