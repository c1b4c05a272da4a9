/*
 * The programme round `nearjob demo` builds (docs/demo.md): Gwangsan-gu's
 * real neighbourhoods, libraries and job targets, synthetic welfare and
 * children's centres at real neighbourhood centroids, and a seeded
 * synthetic population that applies, is selected, works and is paid.
 *
 * Everything is deterministic for a given seed and data folder.
 */
#ifndef NJ_CLI_DEMO_ROUND_H
#define NJ_CLI_DEMO_ROUND_H

#include <nearjob.h>

#include <stdint.h>

#define DEMO_DEFAULT_SEED UINT64_C(2023)

/* The district the round is run for: 광주광역시 광산구. */
#define DEMO_DISTRICT_ID INT64_C(29200)

/* The bundled files the round reads from the data folder. */
#define DEMO_REGIONS_FILE "admdong_gwangju_all.geojson"
#define DEMO_LIBRARIES_FILE "facilities_gwangju_libraries.csv"
#define DEMO_SYNTHETIC_FILE "facilities_gwangsan_synthetic.csv"
#define DEMO_TARGETS_FILE "targets_known.csv"

/* What the round did that the registry does not keep by itself. */
typedef struct demo_round_info {
    size_t libraries;          /* real libraries taking part */
    size_t synthetic;          /* synthetic facilities */
    size_t residents_inside;   /* residents living in the district */
    size_t residents_outside;  /* residents elsewhere in the province */
    size_t in_range_outside;   /* of those, within a posting's radius */
    int64_t extra_participant; /* who got the extra minute past the cap */
    int64_t extra_paid_krw;    /* what that minute was paid (0) */
    int64_t extra_over_cap;    /* its minutes over the cap (1) */
} demo_round_info;

/* Load the bundled data (demo_data.c); messages go to stderr; CLI_DATA on
 * a missing or bad file, CLI_FAILED when the library refuses. */
int demo_load_regions(nj_registry *reg, const char *dir);
int demo_load_facilities(nj_registry *reg, const char *dir,
                         demo_round_info *info);
/* Gwangsan-gu's real targets and achieved jobs per year; the jobs of
 * `round_year` not placed by the round (achieved - round_placed) are
 * recorded as one actual, the district's other programmes. */
int demo_load_targets(nj_registry *reg, const char *dir, int32_t round_year,
                      int64_t round_placed);

/* Build the whole round into an empty registry. Returns a cli_status. */
int demo_round_run(nj_registry *reg, const char *dir, uint64_t seed,
                   demo_round_info *info);

#endif /* NJ_CLI_DEMO_ROUND_H */
