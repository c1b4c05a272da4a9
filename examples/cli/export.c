/*
 * nearjob export --snapshot W.nj --csv OBJECT=FILE ...: CSV files of a
 * world (nj_csv_export_file(): each written to a temporary file, synced
 * and renamed, so a file is either complete or not there).
 */
#include <nearjob.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct export_options {
    const char *snapshot;
    cli_list csv;
} export_options;

void cli_export_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob export --snapshot W.nj --csv OBJECT=FILE...\n"
            "\n"
            "Write CSV files of the world's objects: UTF-8 with a byte-order mark,\n"
            "CRLF line ends, the canonical columns (docs/csv.md). Each file is\n"
            "replaced atomically (mode 0600: the files hold personal data); a\n"
            "failure leaves that file as it was and stops, and the files written\n"
            "before it are complete. An export imports back as it is.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file\n"
            "  --csv OBJECT=FILE    one object type into a file (repeatable): %s\n"
            "  -h, --help           show this help\n",
            cli_csv_object_names());
}

/* OBJECT=FILE's type and the file to write (cli_output_path()). */
static int export_target(const char *spec, int32_t *object, const char **path,
                         char *target, size_t size)
{
    int code = cli_csv_spec("export", spec, object, path);
    return code == CLI_OK ? cli_output_path(*path, target, size) : code;
}

static int export_one(nj_registry *reg, const char *spec)
{
    int32_t object;
    const char *path;
    char message[256], target[PATH_MAX];
    int code = export_target(spec, &object, &path, target, sizeof target);
    nj_status rc;

    if (code != CLI_OK)
        return code;
    rc = nj_csv_export_file(reg, object, target, message, sizeof message);
    if (rc != NJ_OK) {
        fprintf(stderr, "nearjob: %s (%s)\n", message, nj_status_str(rc));
        return rc == NJ_E_IO ? CLI_OUTPUT : CLI_FAILED;
    }
    printf("%-13s %9zu  %s\n", cli_csv_object_name(object),
           cli_object_count(reg, object), path);
    return CLI_OK;
}

static int export_all(nj_registry *reg, void *options)
{
    const export_options *o = options;
    int code = CLI_OK;

    for (size_t i = 0; code == CLI_OK && i < o->csv.count; i++)
        code = export_one(reg, o->csv.item[i]);
    return code;
}

int cli_export(int argc, char **argv)
{
    export_options o;
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o.snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o.snapshot, NULL},
        {"--csv", CLI_LIST, &o.csv, NULL},
    };
    int code;

    memset(&o, 0, sizeof o);
    code = cli_parse_options("export", argc, argv, options,
                             sizeof options / sizeof *options, NULL);
    if (code == CLI_OK && o.csv.count == 0)
        code = cli_usage_error("export", "nothing to export: give --csv OBJECT=FILE",
                               NULL);
    /* Every OBJECT=FILE is checked before anything is written. */
    for (size_t i = 0; code == CLI_OK && i < o.csv.count; i++) {
        int32_t object;
        const char *path;
        char target[PATH_MAX];
        code = export_target(o.csv.item[i], &object, &path, target, sizeof target);
    }
    return code == CLI_OK ? cli_with_world(o.snapshot, export_all, &o) : code;
}
