/*
 * The bundled data of `nearjob demo` (examples/data/README.md): Gwangju's
 * neighbourhoods, Gwangsan-gu's real libraries, the synthetic centres and
 * the district's published job targets.
 */
#include <nearjob.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "demo_round.h"
#include "facility_csv.h"
#include "text_util.h"

/* targets_known.csv is a few kilobytes; anything this large is wrong. */
#define TARGETS_MAX_BYTES ((size_t)1 << 20)
#define TARGETS_MAX_FIELDS 32

static int data_path(char *buf, size_t size, const char *dir,
                     const char *name)
{
    if (cli_join_path(buf, size, dir, name))
        return CLI_OK;
    fprintf(stderr, "nearjob: data folder path too long: %s\n", dir);
    return CLI_DATA;
}

int demo_load_regions(nj_registry *reg, const char *dir)
{
    char path[4096];
    struct stat st;
    int code = data_path(path, sizeof path, dir, DEMO_REGIONS_FILE);

    if (stat(dir, &st) != 0) {
        fprintf(stderr, "nearjob: data folder %s: %s\n", dir, strerror(errno));
        return CLI_DATA;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "nearjob: data folder %s: not a folder\n", dir);
        return CLI_DATA;
    }
    if (code != CLI_OK)
        return code;
    if (nj_geojson_import_regions_file(reg, path, NULL) != NJ_OK) {
        fprintf(stderr, "nearjob: %s: %s\n", path, nj_registry_errmsg(reg));
        return CLI_DATA;
    }
    if (!nj_region_get(reg, DEMO_DISTRICT_ID)) {
        fprintf(stderr, "nearjob: %s: no district %lld (광산구)\n", path,
                (long long)DEMO_DISTRICT_ID);
        return CLI_DATA;
    }
    return CLI_OK;
}

static int in_district(const nj_registry *reg, double lat, double lon)
{
    nj_region *found = NULL;

    return nj_region_locate(reg, lat, lon, &found) == NJ_OK &&
           nj_region_is_within(found, nj_region_get(reg, DEMO_DISTRICT_ID));
}

/* The real libraries that lie in the district, ids 1, 2, ... in file
 * order; the library derives each one's neighbourhood from its location. */
static int load_libraries(nj_registry *reg, const char *dir, size_t *added)
{
    char path[4096], err[1024];
    facility_csv_row *rows = NULL;
    size_t n_rows = 0;
    int code = data_path(path, sizeof path, dir, DEMO_LIBRARIES_FILE);

    if (code != CLI_OK)
        return code;
    if (facility_csv_load_file(path, &rows, &n_rows, err, sizeof err) != NJ_OK) {
        fprintf(stderr, "nearjob: %s\n", err);
        return CLI_DATA;
    }
    *added = 0;
    for (size_t i = 0; i < n_rows && code == CLI_OK; i++) {
        const facility_csv_row *row = &rows[i];
        if (!in_district(reg, row->lat, row->lon))
            continue;
        if (nj_facility_add(reg, (int64_t)++*added, NJ_FACILITY_LIBRARY,
                            row->name, row->lat, row->lon, 0, NULL) != NJ_OK) {
            fprintf(stderr, "nearjob: %s: line %zu: %s\n", path, row->line,
                    nj_registry_errmsg(reg));
            code = CLI_DATA;
        }
    }
    facility_csv_free(rows, n_rows);
    return code;
}

int demo_load_facilities(nj_registry *reg, const char *dir,
                         demo_round_info *info)
{
    char path[4096];
    int code = load_libraries(reg, dir, &info->libraries);

    if (code == CLI_OK)
        code = data_path(path, sizeof path, dir, DEMO_SYNTHETIC_FILE);
    if (code != CLI_OK)
        return code;
    if (nj_csv_import_file(reg, NJ_CSV_FACILITIES, path, NJ_ENCODING_UTF8,
                           &info->synthetic) != NJ_OK) {
        fprintf(stderr, "nearjob: %s: %s\n", path, nj_registry_errmsg(reg));
        return CLI_DATA;
    }
    return CLI_OK;
}

/* ---- targets_known.csv ------------------------------------------------ */

typedef struct csv_line {
    char *fields[TARGETS_MAX_FIELDS];
    size_t n_fields;
} csv_line;

/*
 * Split the record at *pos into NUL-terminated fields, unquoting RFC 4180
 * quotes in place (a field never grows when unquoted). Quoted line breaks
 * are kept and counted in *line. Returns 0 on a malformed record.
 */
static int split_record(char *text, size_t *pos, size_t *line, csv_line *out)
{
    char *r = text + *pos, *w;

    out->n_fields = 0;
    for (;;) {
        if (out->n_fields == TARGETS_MAX_FIELDS)
            return 0;
        out->fields[out->n_fields++] = w = r;
        if (*r == '"') {
            for (r++; *r && !(r[0] == '"' && r[1] != '"'); r++) {
                *line += *r == '\n';
                *w++ = *r;
                r += r[0] == '"'; /* a doubled quote */
            }
            if (*r++ != '"')
                return 0;
        } else {
            while (*r && *r != ',' && *r != '\r' && *r != '\n')
                *w++ = *r++;
        }
        if (*r != ',')
            break;
        *w = '\0';
        r++;
    }
    if (*r && *r != '\r' && *r != '\n')
        return 0;
    r += *r == '\r';
    r += *r == '\n';
    *w = '\0';
    *line += 1;
    *pos = (size_t)(r - text);
    return 1;
}

enum target_column { T_SGG, T_YEAR, T_SCOPE, T_CATEGORY, T_TARGET,
                     T_ACHIEVED, T_COUNT };
static const char *const target_columns[T_COUNT] = {
    "sgg_code", "year", "scope", "category", "target", "achieved"};

static int find_columns(const csv_line *header, size_t cols[T_COUNT],
                        const char *path)
{
    for (int c = 0; c < T_COUNT; c++) {
        size_t f = 0;
        while (f < header->n_fields && strcmp(header->fields[f], target_columns[c]))
            f++;
        if (f == header->n_fields) {
            fprintf(stderr, "nearjob: %s: line 1: no \"%s\" column\n", path,
                    target_columns[c]);
            return CLI_DATA;
        }
        cols[c] = f;
    }
    return CLI_OK;
}

static int parse_count(const char *text, int64_t *out)
{
    return text[0] != '\0' && text_parse_code(text, strlen(text), out) == NJ_OK;
}

/* One row of the district's annual jobs total: its target and, for the
 * round's year, the achieved jobs the round did not place. */
static int apply_target_row(nj_registry *reg, const csv_line *row,
                            const size_t cols[T_COUNT], int32_t round_year,
                            int64_t round_placed)
{
    int64_t year, target, achieved = 0;

    if (!parse_count(row->fields[cols[T_YEAR]], &year) || year > 9999 ||
        !parse_count(row->fields[cols[T_TARGET]], &target))
        return 0;
    if (row->fields[cols[T_ACHIEVED]][0] != '\0' &&
        !parse_count(row->fields[cols[T_ACHIEVED]], &achieved))
        return 0;
    if (year == round_year)
        achieved -= round_placed;
    if (nj_target_set(reg, (int32_t)year, DEMO_DISTRICT_ID, NJ_PROGRAMME_ALL,
                      target) != NJ_OK)
        return -1;
    if (achieved > 0 &&
        nj_actual_record(reg, year, (int32_t)(year * 10000 + 1231),
                         DEMO_DISTRICT_ID, NJ_PROGRAMME_ALL, achieved) != NJ_OK)
        return -1;
    return 1;
}

static int is_district_total(const csv_line *row, const size_t cols[T_COUNT])
{
    char sgg[32];

    snprintf(sgg, sizeof sgg, "%lld", (long long)DEMO_DISTRICT_ID);
    return strcmp(row->fields[cols[T_SGG]], sgg) == 0 &&
           strcmp(row->fields[cols[T_SCOPE]], "annual") == 0 &&
           strcmp(row->fields[cols[T_CATEGORY]], "jobs_total") == 0;
}

static int read_targets(nj_registry *reg, char *text, const char *path,
                        int32_t round_year, int64_t round_placed)
{
    size_t pos = 0, line = 1, cols[T_COUNT];
    csv_line row;
    int code;

    if (!split_record(text, &pos, &line, &row)) {
        fprintf(stderr, "nearjob: %s: line 1: malformed header\n", path);
        return CLI_DATA;
    }
    if ((code = find_columns(&row, cols, path)) != CLI_OK)
        return code;
    while (text[pos] != '\0') {
        size_t row_line = line;
        int done;
        if (!split_record(text, &pos, &line, &row) || row.n_fields <= cols[T_ACHIEVED]) {
            fprintf(stderr, "nearjob: %s: line %zu: malformed record\n", path, row_line);
            return CLI_DATA;
        }
        if (!is_district_total(&row, cols))
            continue;
        done = apply_target_row(reg, &row, cols, round_year, round_placed);
        if (done <= 0) {
            fprintf(stderr, "nearjob: %s: line %zu: %s\n", path, row_line,
                    done == 0 ? "bad year, target or achieved"
                              : nj_registry_errmsg(reg));
            return done == 0 ? CLI_DATA : CLI_FAILED;
        }
    }
    return CLI_OK;
}

int demo_load_targets(nj_registry *reg, const char *dir, int32_t round_year,
                      int64_t round_placed)
{
    char path[4096];
    char *text = NULL;
    size_t len;
    nj_status rc;
    int code = data_path(path, sizeof path, dir, DEMO_TARGETS_FILE);

    if (code != CLI_OK)
        return code;
    rc = text_read_file(path, TARGETS_MAX_BYTES, &text, &len);
    if (rc != NJ_OK) {
        fprintf(stderr, "nearjob: %s: %s\n", path,
                rc == NJ_E_IO ? strerror(errno) : nj_status_str(rc));
        return CLI_DATA;
    }
    if (strlen(text) != len) {
        fprintf(stderr, "nearjob: %s: NUL byte in the file\n", path);
        free(text);
        return CLI_DATA;
    }
    code = read_targets(reg, text, path, round_year, round_placed);
    free(text);
    return code;
}
