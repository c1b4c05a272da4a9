/*
 * nearjob import --snapshot W.nj [--new] [--regions FILE.geojson ...]
 *                [--csv OBJECT=FILE ...] [--encoding utf-8|cp949|auto]
 *
 * All or nothing over the whole command: every file is imported into the
 * world in memory, in dependency order, and the world is saved (atomically)
 * only when all of them succeeded; otherwise W.nj is left as it was.
 */
#include <nearjob.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_FILES (2 * CLI_LIST_MAX)

typedef struct import_file {
    int32_t object; /* an nj_csv_object, or 0 for GeoJSON regions */
    const char *path;
    size_t rows;
} import_file;

typedef struct import_options {
    const char *snapshot;
    const char *encoding_name;
    int new_world;
    cli_list regions, csv;
    int32_t encoding;
    import_file files[MAX_FILES];
    size_t n_files;
} import_options;

/* In nj_encoding order (NJ_ENCODING_UTF8 = 1, ...). */
static const char *const encodings[] = {"utf-8", "cp949", "auto", NULL};

void cli_import_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob import --snapshot W.nj [--new] [--regions FILE.geojson]...\n"
            "                      [--csv OBJECT=FILE]... [--encoding utf-8|cp949|auto]\n"
            "\n"
            "Import GeoJSON region boundaries and CSV files into a world file.\n"
            "All or nothing: if any file fails, nothing is saved and W.nj is\n"
            "left exactly as it was. Files are imported in dependency order\n"
            "(GeoJSON regions, then regions, facilities, postings, participants,\n"
            "applications, work-entries, targets), files of one type in the\n"
            "order given. docs/csv.md gives every column.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj    the world file to import into (replaced\n"
            "                         atomically)\n"
            "  --new                  start a new, empty world; W.nj must not exist\n"
            "  --regions FILE         regions with boundaries from GeoJSON\n"
            "                         (repeatable)\n"
            "  --csv OBJECT=FILE      a CSV file of one object type (repeatable):\n");
    cli_print_csv_object_list(out, 25);
    fprintf(out,
            "  --encoding ENC         of the CSV files: utf-8 (default), cp949\n"
            "                         (Windows Korean), or auto\n"
            "  -h, --help             show this help\n");
}

/* Dependency order: GeoJSON (0), then the nj_csv_object order; stable. */
static void sort_files(import_file *files, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        import_file f = files[i];
        size_t j = i;
        for (; j > 0 && files[j - 1].object > f.object; j--)
            files[j] = files[j - 1];
        files[j] = f;
    }
}

static int parse_options(int argc, char **argv, import_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--new", CLI_FLAG, &o->new_world, NULL},
        {"--regions", CLI_LIST, &o->regions, NULL},
        {"--csv", CLI_LIST, &o->csv, NULL},
        {"--encoding", CLI_VALUE, &o->encoding_name, NULL},
    };
    size_t encoding = 0;
    int code = cli_parse_options("import", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK && o->encoding_name)
        code = cli_value_word("import", "--encoding", o->encoding_name,
                              encodings, &encoding);
    o->encoding = (int32_t)encoding + NJ_ENCODING_UTF8;
    for (size_t i = 0; code == CLI_OK && i < o->regions.count; i++)
        o->files[o->n_files++] = (import_file){0, o->regions.item[i], 0};
    for (size_t i = 0; code == CLI_OK && i < o->csv.count; i++) {
        import_file *f = &o->files[o->n_files];
        code = cli_csv_spec("import", o->csv.item[i], &f->object, &f->path);
        o->n_files += code == CLI_OK;
    }
    if (code == CLI_OK && o->n_files == 0 && !o->new_world)
        return cli_usage_error("import", "nothing to import: give --regions or --csv",
                               NULL);
    sort_files(o->files, o->n_files);
    return code;
}

/* A new world, or the one in W.nj. */
static int open_world(const import_options *o, nj_registry **reg)
{
    if (!o->new_world) {
        int code = cli_world_load(o->snapshot, reg);
        if (code != CLI_OK)
            fprintf(stderr, "nearjob: (to start a new world there, add --new)\n");
        return code;
    }
    if (access(o->snapshot, F_OK) == 0) {
        fprintf(stderr, "nearjob: %s exists; leave out --new to import into it, "
                        "or remove it first\n", o->snapshot);
        return CLI_OUTPUT;
    }
    return cli_world_new(reg);
}

static nj_status import_one(nj_registry *reg, import_file *f, int32_t encoding)
{
    return f->object == 0
               ? nj_geojson_import_regions_file(reg, f->path, &f->rows)
               : nj_csv_import_file(reg, f->object, f->path, encoding, &f->rows);
}

static int report_failure(const nj_registry *reg, const import_file *f,
                          nj_status rc, int32_t encoding)
{
    const char *msg = nj_registry_errmsg(reg);

    /* File errors already name the file; row errors name line and column. */
    if (rc == NJ_E_IO)
        fprintf(stderr, "nearjob: %s (%s)\n", msg, nj_status_str(rc));
    else
        fprintf(stderr, "nearjob: %s: %s (%s)\n", f->path, msg, nj_status_str(rc));
    if (rc == NJ_E_ENCODING && encoding == NJ_ENCODING_UTF8 && strstr(msg, "CP949"))
        fprintf(stderr, "nearjob: hint: the file looks like CP949 (Windows Korean); "
                        "import it with --encoding cp949\n");
    return rc == NJ_E_NOMEM ? CLI_FAILED : CLI_DATA;
}

static int import_all(nj_registry *reg, import_options *o)
{
    cli_progress progress;
    char note[512];

    cli_progress_start(&progress, "import: files done", o->n_files);
    for (size_t i = 0; i < o->n_files; i++) {
        nj_status rc;
        snprintf(note, sizeof note, "reading %s", o->files[i].path);
        cli_progress_update(&progress, i, note);
        if ((rc = import_one(reg, &o->files[i], o->encoding)) != NJ_OK) {
            cli_progress_end(&progress);
            return report_failure(reg, &o->files[i], rc, o->encoding);
        }
    }
    snprintf(note, sizeof note, "saving %s", o->snapshot);
    cli_progress_update(&progress, o->n_files, note);
    cli_progress_end(&progress);
    return cli_world_save(reg, o->snapshot);
}

static int print_summary(const nj_registry *reg, const import_options *o)
{
    static const char *const headers[] = {"imported", "rows", "from"};
    cli_table t;
    char rows[32];
    int code = CLI_OK;

    cli_table_init(&t, headers, "lnl");
    for (size_t i = 0; i < o->n_files && code == CLI_OK; i++) {
        const char *cells[] = {
            o->files[i].object ? cli_csv_object_name(o->files[i].object)
                               : "regions (GeoJSON)",
            rows, o->files[i].path};
        snprintf(rows, sizeof rows, "%zu", o->files[i].rows);
        code = cli_table_add(&t, cells);
    }
    if (code == CLI_OK && t.rows > 0)
        cli_table_print(&t, stdout, 0);
    cli_table_free(&t);
    printf("saved %s: ", o->snapshot);
    cli_print_world_counts(stdout, reg);
    return code;
}

int cli_import(int argc, char **argv)
{
    import_options o;
    nj_registry *reg = NULL;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    if (code == CLI_OK)
        code = open_world(&o, &reg);
    if (code == CLI_OK)
        code = import_all(reg, &o);
    if (code == CLI_OK)
        code = print_summary(reg, &o);
    else if (reg)
        fprintf(stderr, "nearjob: nothing imported; %s %s\n", o.snapshot,
                o.new_world ? "was not created" : "is unchanged");
    nj_registry_destroy(reg);
    return code;
}
