/*
 * nearjob export --snapshot W.nj --csv OBJECT=FILE ...: CSV files of a
 * world, all or nothing. Each file is first written beside its target
 * under a staging name (nj_csv_export_file(): a temporary file, synced and
 * renamed, so a staged file is complete or not there); only when every
 * file is staged are they renamed over their targets. A failure before
 * that removes the staged files and leaves every target as it was.
 */
#define _XOPEN_SOURCE 700 /* fsync() */

#include <nearjob.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* One OBJECT=FILE: the spec's path, the file it replaces (a link
 * followed), and the staging file beside it. */
typedef struct export_file {
    int32_t object;
    const char *path;
    char target[PATH_MAX], staged[PATH_MAX + 32];
} export_file;

typedef struct export_options {
    const char *snapshot;
    cli_list csv;
    export_file *files; /* one per --csv, planned before the world is loaded */
} export_options;

void cli_export_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob export --snapshot W.nj --csv OBJECT=FILE...\n"
            "\n"
            "Write CSV files of the world's objects: UTF-8 with a byte-order mark,\n"
            "CRLF line ends, the canonical columns (docs/csv.md). All or nothing:\n"
            "every file is written and synced beside its target first, then\n"
            "renamed over it (mode 0600: the files hold personal data); a failure\n"
            "before the renames leaves every target as it was. An export imports\n"
            "back as it is.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file\n"
            "  --csv OBJECT=FILE    one object type into a file (repeatable):\n");
    cli_print_csv_object_list(out, 23);
    fprintf(out, "  -h, --help           show this help\n");
}

/* OBJECT=FILE's type, the file to replace (cli_output_path()) and the
 * staging name, unique to this process. */
static int export_target(const char *spec, export_file *f)
{
    int code = cli_csv_spec("export", spec, &f->object, &f->path);
    int n;

    if (code == CLI_OK)
        code = cli_output_path(f->path, f->target, sizeof f->target);
    if (code != CLI_OK)
        return code;
    n = snprintf(f->staged, sizeof f->staged, "%s.export-%ld", f->target, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof f->staged) {
        fprintf(stderr, "nearjob: output path too long: %s\n", f->path);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

/* Every OBJECT=FILE checked, and no file named twice, before anything is
 * written. */
static int plan_files(const export_options *o, export_file *files)
{
    for (size_t i = 0; i < o->csv.count; i++) {
        int code = export_target(o->csv.item[i], &files[i]);
        if (code != CLI_OK)
            return code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(files[j].target, files[i].target) == 0)
                return cli_usage_error("export", "the same file is named twice",
                                       files[i].path);
    }
    return CLI_OK;
}

static int stage(const nj_registry *reg, const export_file *f)
{
    char message[256];
    nj_status rc = nj_csv_export_file(reg, f->object, f->staged, message, sizeof message);

    if (rc == NJ_OK)
        return CLI_OK;
    fprintf(stderr, "nearjob: %s (%s)\n", message, nj_status_str(rc));
    return rc == NJ_E_IO ? CLI_OUTPUT : CLI_FAILED;
}

/* Makes a rename into the folder of `path` durable; 0 or -1 (errno). */
static int sync_folder(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd, rc;

    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* The staged files renamed over their targets, in order. A rename that
 * fails (the folder changed under us) stops and removes the staged files
 * left; either way what was replaced is said. */
static int commit(const nj_registry *reg, export_file *files, size_t count)
{
    int code = CLI_OK;

    for (size_t i = 0; i < count; i++) {
        if (rename(files[i].staged, files[i].target) != 0) {
            fprintf(stderr, "nearjob: rename(\"%s\"): %s; %zu of %zu files replaced\n",
                    files[i].staged, strerror(errno), i, count);
            for (size_t j = i; j < count; j++)
                unlink(files[j].staged);
            return CLI_OUTPUT;
        }
        if (sync_folder(files[i].target) != 0) {
            fprintf(stderr, "nearjob: fsync of the folder of %s: %s; the new file is in "
                            "place but not durable\n", files[i].path, strerror(errno));
            code = CLI_OUTPUT;
        }
    }
    for (size_t i = 0; i < count; i++)
        printf("%-13s %9zu  %s\n", cli_csv_object_name(files[i].object),
               cli_object_count(reg, files[i].object), files[i].path);
    return code;
}

static int export_all(nj_registry *reg, void *options)
{
    const export_options *o = options;
    export_file *files = o->files;
    size_t staged = 0;
    int code = CLI_OK;

    while (code == CLI_OK && staged < o->csv.count)
        if ((code = stage(reg, &files[staged])) == CLI_OK)
            staged++;
    if (code == CLI_OK) {
        code = commit(reg, files, staged);
    } else {
        for (size_t i = 0; i < staged; i++)
            unlink(files[i].staged);
        if (staged)
            fprintf(stderr, "nearjob: nothing replaced: the %zu file%s written first "
                            "%s removed\n", staged, staged == 1 ? "" : "s",
                    staged == 1 ? "was" : "were");
    }
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
    /* Every OBJECT=FILE is checked before the world is loaded. */
    if (code == CLI_OK && !(o.files = calloc(o.csv.count, sizeof *o.files))) {
        fprintf(stderr, "nearjob: out of memory\n");
        code = CLI_FAILED;
    }
    if (code == CLI_OK)
        code = plan_files(&o, o.files);
    if (code == CLI_OK)
        code = cli_with_world(o.snapshot, export_all, &o);
    free(o.files);
    return code;
}
