/*
 * nearjob demo: loads the bundled Gwangju neighbourhoods and libraries and
 * shows, for a few real places, the neighbourhood each lies in and the
 * libraries there.
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "facility_csv.h"

#define REGIONS_FILE "admdong_gwangju_all.geojson"
#define LIBRARIES_FILE "facilities_gwangju_libraries.csv"

/* Libraries listed per place before the rest are only counted. */
#define LIBRARIES_SHOWN 8

typedef struct place {
    const char *label;
    double lat;
    double lon;
} place;

static const place demo_places[] = {
    {"Gwangsan-gu Office (광산구청)", 35.1395, 126.7937},
    {"Songjeong Park Road, Gwangsan-gu (송정공원로)", 35.1450, 126.7995},
    {"Gwangju City Hall (광주광역시청)", 35.1601, 126.8514},
    {"Chonnam National University (전남대학교)", 35.1761, 126.9067},
    {"Damyang, north-east of Gwangju (담양)", 35.2500, 127.0000},
    {"Jeju City Hall (제주시청)", 33.4996, 126.5312},
    {"Seoul City Hall (서울시청)", 37.5663, 126.9779},
};

static int load_regions(nj_registry *reg, const char *dir)
{
    char path[4096];

    if (!cli_join_path(path, sizeof path, dir, REGIONS_FILE)) {
        fprintf(stderr, "nearjob: data folder path too long\n");
        return CLI_DATA;
    }
    if (nj_geojson_import_regions_file(reg, path, NULL) != NJ_OK) {
        fprintf(stderr, "nearjob: %s: %s\n", path, nj_registry_errmsg(reg));
        return CLI_DATA;
    }
    return CLI_OK;
}

/*
 * Add every CSV row as a library, id = row number, with no region given so
 * the library derives it from the location.
 */
static int load_libraries(nj_registry *reg, const char *dir,
                          facility_csv_row **rows, size_t *n_rows)
{
    char path[4096];
    char err[1024];

    if (!cli_join_path(path, sizeof path, dir, LIBRARIES_FILE)) {
        fprintf(stderr, "nearjob: data folder path too long\n");
        return CLI_DATA;
    }
    if (facility_csv_load_file(path, rows, n_rows, err, sizeof err) != NJ_OK) {
        fprintf(stderr, "nearjob: %s\n", err);
        return CLI_DATA;
    }
    for (size_t i = 0; i < *n_rows; i++) {
        const facility_csv_row *row = &(*rows)[i];
        nj_status rc = nj_facility_add(reg, (int64_t)i + 1, NJ_FACILITY_LIBRARY,
                                       row->name, row->lat, row->lon, 0, NULL);
        if (rc != NJ_OK) {
            fprintf(stderr, "nearjob: %s: line %zu: %s (%s)\n", path,
                    row->line, nj_registry_errmsg(reg), nj_status_str(rc));
            return CLI_DATA;
        }
    }
    return CLI_OK;
}

static void print_summary(const nj_registry *reg, const facility_csv_row *rows,
                          size_t n_rows)
{
    size_t per_level[4] = {0, 0, 0, 0};
    size_t with_boundary = 0, derived = 0, agreeing = 0;

    for (size_t i = 0; i < nj_region_count(reg); i++) {
        const nj_region *region = nj_region_at(reg, i);
        size_t n_polygons = 0;
        int32_t level = nj_region_level(region);
        if (level >= NJ_REGION_PROVINCE && level <= NJ_REGION_NEIGHBOURHOOD)
            per_level[level]++;
        if (nj_region_boundary_counts(region, &n_polygons, NULL, NULL) ==
                NJ_OK &&
            n_polygons > 0)
            with_boundary++;
    }
    for (size_t i = 0; i < n_rows; i++) {
        int64_t region_id =
            nj_facility_region_id(nj_facility_get(reg, (int64_t)i + 1));
        derived += region_id != 0;
        agreeing += region_id != 0 && region_id == rows[i].adm_cd2;
    }
    printf("Regions:    %zu (%zu province, %zu districts, %zu "
           "neighbourhoods; %zu with a boundary)\n",
           nj_region_count(reg), per_level[NJ_REGION_PROVINCE],
           per_level[NJ_REGION_DISTRICT], per_level[NJ_REGION_NEIGHBOURHOOD],
           with_boundary);
    printf("Facilities: %zu libraries\n", nj_facility_count(reg));
    printf("            %zu placed in a neighbourhood from their location, "
           "%zu of them in the one the CSV's adm_cd2 names\n",
           derived, agreeing);
}

static void print_libraries_in(const nj_registry *reg, const nj_region *region)
{
    size_t found = 0;

    for (size_t i = 0; i < nj_facility_count(reg); i++) {
        const nj_facility *facility = nj_facility_at(reg, i);
        if (nj_facility_region_id(facility) != nj_region_id(region))
            continue;
        if (found < LIBRARIES_SHOWN)
            printf("    - %s (%.6f, %.6f)\n", nj_facility_name(facility),
                   nj_facility_lat(facility), nj_facility_lon(facility));
        found++;
    }
    if (found > LIBRARIES_SHOWN)
        printf("    ... and %zu more\n", found - LIBRARIES_SHOWN);
    printf("  %zu %s in %s\n", found, found == 1 ? "library" : "libraries",
           nj_region_name(region));
}

static void print_place(const nj_registry *reg, const place *p)
{
    nj_region *found = NULL;
    nj_status rc = nj_region_locate(reg, p->lat, p->lon, &found);

    printf("\n%s  %.6f, %.6f\n", p->label, p->lat, p->lon);
    if (rc == NJ_E_NOT_FOUND) {
        printf("  no region: outside every loaded neighbourhood\n");
        return;
    }
    if (rc != NJ_OK) {
        printf("  lookup failed: %s\n", nj_status_str(rc));
        return;
    }
    printf("  %s (%lld)", nj_region_name(found), (long long)nj_region_id(found));
    for (const nj_region *up = nj_region_get(reg, nj_region_parent_id(found));
         up; up = nj_region_get(reg, nj_region_parent_id(up)))
        printf(", %s (%lld)", nj_region_name(up), (long long)nj_region_id(up));
    printf("\n");
    print_libraries_in(reg, found);
}

static int run_demo(const char *data_dir)
{
    nj_registry *reg = NULL;
    facility_csv_row *rows = NULL;
    size_t n_rows = 0;
    int code;

    if (nj_registry_create(&reg) != NJ_OK) {
        fprintf(stderr, "nearjob: out of memory\n");
        return CLI_DATA;
    }
    code = load_regions(reg, data_dir);
    if (code == CLI_OK)
        code = load_libraries(reg, data_dir, &rows, &n_rows);
    if (code == CLI_OK) {
        printf("nearjob %s demo, data from %s\n", nj_version_string(),
               data_dir);
        print_summary(reg, rows, n_rows);
        for (size_t i = 0; i < sizeof demo_places / sizeof demo_places[0]; i++)
            print_place(reg, &demo_places[i]);
    }
    facility_csv_free(rows, n_rows);
    nj_registry_destroy(reg);
    return code;
}

static void print_demo_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob demo [--data DIR]\n"
            "\n"
            "Load the bundled Gwangju neighbourhoods and libraries and show, "
            "for a few\n"
            "real places, the neighbourhood each lies in and the libraries "
            "there.\n"
            "\n"
            "Options:\n"
            "  --data DIR    folder with " REGIONS_FILE " and\n"
            "                " LIBRARIES_FILE "; default: $NEARJOB_DATA,\n"
            "                else the bundled copy\n"
            "  -h, --help    show this help\n");
}

/* nearjob demo [--data DIR | --data=DIR] */
int cli_demo(int argc, char **argv)
{
    const char *data_dir = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_demo_help(stdout);
            return CLI_OK;
        }
        if (strcmp(argv[i], "--data") == 0) {
            if (i + 1 == argc)
                return cli_usage_error("demo", "missing folder after", argv[i]);
            data_dir = argv[++i];
        } else if (strncmp(argv[i], "--data=", 7) == 0) {
            data_dir = argv[i] + 7;
        } else {
            return cli_usage_error("demo", "unknown option", argv[i]);
        }
    }
    return run_demo(cli_data_dir(data_dir));
}
