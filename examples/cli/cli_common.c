/* Files, the world and names shared by the nearjob commands (see cli.h). */
/* realpath() is POSIX.1-2008, but glibc declares it only for X/Open. */
#define _XOPEN_SOURCE 700

#include "cli.h"
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The bundled data in the source tree, then where `meson install` puts it:
 * the prefix's datadir, also found relative to the installed executable
 * (<prefix>/<bindir>/nearjob), so that a staged install (meson install
 * --destdir) or a moved prefix reads its own copy. */
#ifndef NJ_EXAMPLES_DATA_DIR
#define NJ_EXAMPLES_DATA_DIR "examples/data"
#endif
#ifndef NJ_INSTALLED_DATA_DIR
#define NJ_INSTALLED_DATA_DIR NJ_EXAMPLES_DATA_DIR
#endif
#ifndef NJ_INSTALL_BINDIR
#define NJ_INSTALL_BINDIR "bin"
#endif
#ifndef NJ_INSTALL_DATADIR
#define NJ_INSTALL_DATADIR "share"
#endif

/* A file every copy of the bundled data has. */
#define DATA_MARKER "admdong_gwangju_all.geojson"

static int has_data(const char *dir)
{
    char path[PATH_MAX + 64];

    return cli_join_path(path, sizeof path, dir, DATA_MARKER) &&
           access(path, R_OK) == 0;
}

/* <prefix>/<datadir>/nearjob when this program runs as <prefix>/<bindir>/...
 * (Linux's /proc/self/exe; elsewhere there is none and this gives NULL). */
static const char *data_beside_executable(void)
{
    static char dir[PATH_MAX + 64];
    char exe[PATH_MAX];
    size_t bin_len = strlen(NJ_INSTALL_BINDIR);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0 || NJ_INSTALL_BINDIR[0] == '/')
        return NULL;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash || (size_t)(slash - exe) < bin_len + 1)
        return NULL;
    *slash = '\0'; /* the executable's folder */
    if (strcmp(slash - bin_len, NJ_INSTALL_BINDIR) != 0 || slash[-bin_len - 1] != '/')
        return NULL;
    slash[-bin_len - 1] = '\0'; /* the prefix */
    if (snprintf(dir, sizeof dir, "%s/%s/nearjob", exe, NJ_INSTALL_DATADIR) >=
        (int)sizeof dir)
        return NULL;
    return has_data(dir) ? dir : NULL;
}

const char *cli_data_dir(const char *override)
{
    const char *env = getenv("NEARJOB_DATA");
    const char *beside;

    if (override && override[0] != '\0')
        return override;
    if (env && env[0] != '\0')
        return env;
    if ((beside = data_beside_executable()) != NULL)
        return beside;
    if (has_data(NJ_EXAMPLES_DATA_DIR))
        return NJ_EXAMPLES_DATA_DIR;
    return NJ_INSTALLED_DATA_DIR;
}

int cli_join_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < size;
}

int cli_world_new(nj_registry **reg)
{
    if (nj_registry_create(reg) == NJ_OK)
        return CLI_OK;
    fprintf(stderr, "nearjob: out of memory\n");
    return CLI_FAILED;
}

int cli_world_load(const char *path, nj_registry **reg)
{
    char err[512];

    if (nj_snapshot_load_file(path, reg, err, sizeof err) != NJ_OK) {
        fprintf(stderr, "nearjob: %s\n", err);
        return CLI_DATA;
    }
    return CLI_OK;
}

int cli_with_world(const char *path, cli_world_work *work, void *options)
{
    nj_registry *reg = NULL;
    int code = cli_world_load(path, &reg);

    if (code == CLI_OK)
        code = work(reg, options);
    nj_registry_destroy(reg);
    return code;
}

int cli_output_path(const char *path, char *buf, size_t size)
{
    char resolved[PATH_MAX];
    struct stat st;
    int n;

    if (lstat(path, &st) != 0) {
        st.st_mode = 0; /* not there yet: the save creates it or says why not */
    } else if (S_ISLNK(st.st_mode)) {
        if (!realpath(path, resolved) || stat(resolved, &st) != 0) {
            fprintf(stderr, "nearjob: cannot follow the symbolic link %s: %s; "
                            "nothing written\n", path, strerror(errno));
            return CLI_OUTPUT;
        }
        path = resolved;
    }
    if (st.st_mode != 0 && !S_ISREG(st.st_mode)) {
        fprintf(stderr, "nearjob: %s is not a regular file; nothing written "
                        "(an output is written beside its path, then renamed "
                        "over it)\n", path);
        return CLI_OUTPUT;
    }
    n = snprintf(buf, size, "%s", path);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "nearjob: output path too long: %s\n", path);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

int cli_world_save(const nj_registry *reg, const char *path)
{
    char err[512], target[PATH_MAX];

    if (cli_output_path(path, target, sizeof target) != CLI_OK)
        return CLI_OUTPUT;
    if (nj_snapshot_save_file(reg, target, err, sizeof err) != NJ_OK) {
        fprintf(stderr, "nearjob: %s\n", err);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

int cli_save_change(const nj_registry *reg, const char *path,
                    const char *what, nj_status rc)
{
    int code;

    if (rc == NJ_OK)
        return path ? cli_world_save(reg, path) : CLI_OK;
    code = cli_refused(reg, what, rc);
    fprintf(stderr, "nearjob: nothing saved%s%s%s\n", path ? "; " : "",
            path ? path : "", path ? " is unchanged" : "");
    return code;
}

size_t cli_object_count(const nj_registry *reg, int32_t object)
{
    size_t n = 0;

    switch (object) {
    case NJ_CSV_REGIONS: return nj_region_count(reg);
    case NJ_CSV_FACILITIES: return nj_facility_count(reg);
    case NJ_CSV_POSTINGS: return nj_posting_count(reg);
    case NJ_CSV_PARTICIPANTS: return nj_participant_count(reg);
    case NJ_CSV_APPLICATIONS:
        for (size_t i = 0; i < nj_posting_count(reg); i++)
            n += nj_posting_application_count(nj_posting_at(reg, i));
        return n;
    case NJ_CSV_WORK_ENTRIES: return nj_work_entry_count(reg);
    case NJ_CSV_TARGETS: return nj_target_count(reg);
    default: return 0;
    }
}

/* Command-line names of the CSV object types, in nj_csv_object order. */
static const char *const object_names[] = {
    NULL, "regions", "facilities", "postings", "participants",
    "applications", "work-entries", "targets"};

#define N_OBJECTS ((int32_t)(sizeof object_names / sizeof *object_names))

void cli_print_world_counts(FILE *out, const nj_registry *reg)
{
    char count[32];

    for (int32_t k = 1; k < N_OBJECTS; k++)
        fprintf(out, "%s%s %s", k > 1 ? ", " : "",
                report_format_int(count, sizeof count,
                                  (int64_t)cli_object_count(reg, k)),
                object_names[k]);
    fputc('\n', out);
}

int32_t cli_csv_object(const char *name)
{
    for (int32_t k = 1; k < N_OBJECTS; k++)
        if (strcmp(name, object_names[k]) == 0)
            return k;
    if (strcmp(name, "work_entries") == 0)
        return NJ_CSV_WORK_ENTRIES;
    return 0;
}

const char *cli_csv_object_name(int32_t object)
{
    return object >= 1 && object < N_OBJECTS ? object_names[object] : "?";
}

void cli_print_csv_object_list(FILE *out, int indent)
{
    int column = indent;

    fprintf(out, "%*s", indent, "");
    for (int32_t k = 1; k < N_OBJECTS; k++) {
        int last = k == N_OBJECTS - 1;
        const char *lead = k == 1 ? "" : last ? " or " : ", ";
        int width = (int)(strlen(lead) + strlen(object_names[k]));

        if (k > 1 && column + width > 79) {
            fprintf(out, "%s\n%*s", last ? "" : ",", indent, "");
            column = indent;
            lead = last ? "or " : "";
            width = (int)(strlen(lead) + strlen(object_names[k]));
        }
        fprintf(out, "%s%s", lead, object_names[k]);
        column += width;
    }
    fputc('\n', out);
}

const char *cli_csv_object_names(void)
{
    return "regions, facilities, postings, participants, applications, "
           "work-entries, targets";
}

int cli_csv_spec(const char *command, const char *spec, int32_t *object,
                 const char **path)
{
    const char *eq = strchr(spec, '=');
    char name[32], what[256];
    size_t len = eq ? (size_t)(eq - spec) : 0;

    if (!eq || eq[1] == '\0')
        return cli_usage_error(command, "--csv needs OBJECT=FILE", spec);
    if (len < sizeof name) {
        memcpy(name, spec, len);
        name[len] = '\0';
        *object = cli_csv_object(name);
    } else {
        *object = 0;
    }
    if (*object == 0) {
        snprintf(what, sizeof what, "--csv: unknown object type (%s)",
                 cli_csv_object_names());
        return cli_usage_error(command, what, spec);
    }
    *path = eq + 1;
    return CLI_OK;
}

int cli_refused(const nj_registry *reg, const char *what, nj_status rc)
{
    const char *msg = reg ? nj_registry_errmsg(reg) : "";

    fprintf(stderr, "nearjob: %s%s%s (%s)\n", what, msg[0] ? ": " : "", msg,
            nj_status_str(rc));
    return rc == NJ_E_NOT_FOUND ? CLI_DATA : CLI_FAILED;
}

int cli_compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int32_t cli_today(void)
{
    time_t now = time(NULL);
    struct tm tm;

    if (now == (time_t)-1 || !localtime_r(&now, &tm))
        return 0;
    return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

const char *cli_format_date(char *buf, int32_t date)
{
    uint32_t d = (uint32_t)date;

    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)(d / 10000 % 10000),
             (unsigned)(d / 100 % 100), (unsigned)(d % 100));
    return buf;
}
