/*
 * nj_region_locate and friends on real data: the 96 administrative dongs of
 * Gwangju (tests/data/admdong_gwangju_all.geojson) and the 318 Gwangju
 * libraries with the dong code a point-in-polygon test gave them
 * (tests/data/facilities_gwangju_libraries.csv). See tests/data/README.md.
 *
 * NJ_TEST_DATA_DIR, set by tests/meson.build, names the folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <nearjob.h>

#include "facility_csv.h"
#include "text_util.h"

#ifndef NJ_TEST_DATA_DIR
#error "NJ_TEST_DATA_DIR must name the tests/data folder"
#endif

#define REGIONS_PATH NJ_TEST_DATA_DIR "/admdong_gwangju_all.geojson"
#define LIBRARIES_PATH NJ_TEST_DATA_DIR "/facilities_gwangju_libraries.csv"

/* Counts of the bundled data, checked independently with Python. */
#define GWANGJU_PROVINCE 29
#define GWANGJU_DISTRICTS 5
#define GWANGJU_DONGS 96
#define GWANGJU_LIBRARIES 318
/*
 * An even-odd test in Python puts 95 of the 96 stored centroids inside their
 * own dong; the one outside is 동구 지산1동, a concave dong whose area
 * centroid falls beyond its boundary.
 */
#define CENTROIDS_INSIDE_OWN_DONG 95
#define CENTROID_OUTSIDE_DONG 2911062000

#define GWANGSAN_GU 29200
#define DONG_GU 29110
#define SONGJEONG_1_DONG 2920051500
#define JISAN_1_DONG 2911062000

/* First facility id of test_facilities_derive_their_region(). */
#define FACILITY_ID_BASE 1000

typedef struct dong {
    int64_t id;
    double centroid_lat;
    double centroid_lon;
} dong;

typedef struct fixture {
    nj_registry *reg;
    dong dongs[GWANGJU_DONGS];
    size_t n_dongs;
    facility_csv_row *libraries;
    size_t n_libraries;
} fixture;

/* The number after `key` (as "key":number) at or after `from`, or NULL. */
static const char *number_after(const char *from, const char *key, double *out)
{
    const char *at = strstr(from, key);
    if (!at)
        return NULL;
    at += strlen(key);
    size_t span = 0;
    while (at[span] && strchr("-0123456789.eE+", at[span]))
        span++;
    return text_parse_double(at, span, out) == NJ_OK ? at + span : NULL;
}

/*
 * The dong codes and stored centroids, in file order. The library's import
 * keeps no centroids, so they are read from the text: every feature's
 * properties hold "adm_cd2":"<code>", then "centroid_lat" and
 * "centroid_lon".
 */
static int collect_dongs(fixture *fx, const char *text)
{
    const char *at = text;
    while ((at = strstr(at, "\"adm_cd2\":\"")) != NULL) {
        dong *d = &fx->dongs[fx->n_dongs];
        at += strlen("\"adm_cd2\":\"");
        if (fx->n_dongs == GWANGJU_DONGS ||
            text_parse_code(at, strcspn(at, "\""), &d->id) != NJ_OK ||
            !(at = number_after(at, "\"centroid_lat\":", &d->centroid_lat)) ||
            !(at = number_after(at, "\"centroid_lon\":", &d->centroid_lon)))
            return -1;
        fx->n_dongs++;
    }
    return 0;
}

static int teardown_group(void **state)
{
    fixture *fx = *state;

    if (fx) {
        facility_csv_free(fx->libraries, fx->n_libraries);
        nj_registry_destroy(fx->reg);
        test_free(fx);
    }
    return 0;
}

static int setup_group(void **state)
{
    char err[512] = "";
    char *text = NULL;
    size_t len = 0;
    fixture *fx = test_calloc(1, sizeof *fx);

    *state = fx;
    if (!fx || nj_registry_create(&fx->reg) != NJ_OK)
        return -1;
    int failed = nj_geojson_import_regions_file(fx->reg, REGIONS_PATH, NULL) != NJ_OK ||
                 text_read_file(REGIONS_PATH, (size_t)1 << 24, &text, &len) != NJ_OK ||
                 collect_dongs(fx, text) != 0 ||
                 facility_csv_load_file(LIBRARIES_PATH, &fx->libraries,
                                        &fx->n_libraries, err, sizeof err) != NJ_OK;
    free(text);
    if (failed) {
        print_error("# loading the fixtures failed: %s %s\n",
                    nj_registry_errmsg(fx->reg), err);
        return -1;
    }
    return 0;
}

static void test_fixture_counts(void **state)
{
    fixture *fx = *state;

    assert_int_equal(fx->n_dongs, GWANGJU_DONGS);
    assert_int_equal(nj_region_count(fx->reg),
                     1 + GWANGJU_DISTRICTS + GWANGJU_DONGS);
    assert_int_equal(fx->n_libraries, GWANGJU_LIBRARIES);
    assert_non_null(nj_region_get(fx->reg, GWANGJU_PROVINCE));
    assert_string_equal(nj_region_name(nj_region_get(fx->reg,
                                                     SONGJEONG_1_DONG)),
                        "송정1동");
    assert_string_equal(nj_region_name(nj_region_get(fx->reg, GWANGSAN_GU)),
                        "광산구");
}

static void test_centroid_locates_its_dong(void **state)
{
    fixture *fx = *state;
    size_t inside_count = 0;

    for (size_t i = 0; i < fx->n_dongs; i++) {
        const dong *d = &fx->dongs[i];
        nj_region *region = nj_region_get(fx->reg, d->id);
        nj_region *found = NULL;
        int inside = -1;

        assert_non_null(region);
        assert_int_equal(nj_region_contains(region, d->centroid_lat,
                                            d->centroid_lon, &inside),
                         NJ_OK);
        if (!inside) {
            print_message("# centroid of %lld %s lies outside its dong\n",
                          (long long)d->id, nj_region_name(region));
            assert_int_equal(d->id, CENTROID_OUTSIDE_DONG);
            continue;
        }
        inside_count++;
        assert_int_equal(nj_region_locate(fx->reg, d->centroid_lat,
                                          d->centroid_lon, &found),
                         NJ_OK);
        assert_non_null(found);
        assert_int_equal(nj_region_id(found), d->id);
    }
    assert_int_equal(inside_count, CENTROIDS_INSIDE_OWN_DONG);
}

/*
 * Every library must land in the dong its adm_cd2 names. Disagreements are
 * all listed before the test fails, so a border case can be investigated.
 */
static void test_library_locates_its_csv_dong(void **state)
{
    fixture *fx = *state;
    size_t mismatches = 0;

    for (size_t i = 0; i < fx->n_libraries; i++) {
        const facility_csv_row *row = &fx->libraries[i];
        nj_region *found = NULL;
        nj_status rc = nj_region_locate(fx->reg, row->lat, row->lon, &found);

        if (rc == NJ_OK && nj_region_id(found) == row->adm_cd2)
            continue;
        mismatches++;
        print_message("# line %zu %s (%.8f, %.8f): expected %lld, got %lld "
                      "(%s)\n",
                      row->line, row->name, row->lat, row->lon,
                      (long long)row->adm_cd2, (long long)nj_region_id(found),
                      nj_status_str(rc));
    }
    assert_int_equal(mismatches, 0);
}

static void test_points_outside_gwangju(void **state)
{
    static const struct {
        const char *what;
        double lat, lon;
    } outside[] = {
        {"Tokyo", 35.6762, 139.6503},
        {"Seoul City Hall", 37.5663, 126.9779},
        {"Jeju City Hall", 33.4996, 126.5312},
        {"0, 0", 0.0, 0.0},
        {"north pole", 90.0, 0.0},
        {"south pole", -90.0, 0.0},
        {"antimeridian, east", 35.15, 180.0},
        {"antimeridian, west", 35.15, -180.0},
        {"Gwangju's longitude negated", 35.15, -126.85},
        {"in Gwangju's bounding box, in Damyang", 35.25, 127.0},
        {"in Gwangju's bounding box, in Naju", 35.06, 126.65},
    };
    fixture *fx = *state;

    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        /* Start from a valid region to see that locate clears it. */
        nj_region *found = nj_region_at(fx->reg, 0);
        nj_status rc =
            nj_region_locate(fx->reg, outside[i].lat, outside[i].lon, &found);
        if (rc != NJ_E_NOT_FOUND || found != NULL)
            print_error("# %s: got %s, region %lld\n", outside[i].what,
                        nj_status_str(rc), (long long)nj_region_id(found));
        assert_int_equal(rc, NJ_E_NOT_FOUND);
        assert_null(found);
    }
}

static void test_bad_coordinates_are_refused(void **state)
{
    static const double bad[][2] = {
        {NAN, 126.85}, {35.15, NAN}, {INFINITY, 126.85},
        {35.15, -INFINITY}, {90.5, 126.85}, {35.15, 180.5},
    };
    fixture *fx = *state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nj_region *found = nj_region_at(fx->reg, 0);
        assert_int_equal(nj_region_locate(fx->reg, bad[i][0], bad[i][1],
                                          &found),
                         NJ_E_RANGE);
        assert_null(found);
    }
}

static void test_dong_within_district_and_province(void **state)
{
    fixture *fx = *state;
    const nj_region *songjeong = nj_region_get(fx->reg, SONGJEONG_1_DONG);
    const nj_region *jisan = nj_region_get(fx->reg, JISAN_1_DONG);
    const nj_region *gwangsan = nj_region_get(fx->reg, GWANGSAN_GU);
    const nj_region *dong_gu = nj_region_get(fx->reg, DONG_GU);
    const nj_region *gwangju = nj_region_get(fx->reg, GWANGJU_PROVINCE);

    assert_true(nj_region_is_within(songjeong, songjeong));
    assert_true(nj_region_is_within(songjeong, gwangsan));
    assert_true(nj_region_is_within(songjeong, gwangju));
    assert_true(nj_region_is_within(gwangsan, gwangju));
    assert_true(nj_region_is_within(jisan, dong_gu));
    assert_false(nj_region_is_within(songjeong, dong_gu));
    assert_false(nj_region_is_within(jisan, gwangsan));
    assert_false(nj_region_is_within(songjeong, jisan));
    assert_false(nj_region_is_within(gwangsan, songjeong));
    assert_false(nj_region_is_within(gwangju, gwangsan));
    assert_false(nj_region_is_within(gwangsan, dong_gu));
    assert_false(nj_region_is_within(NULL, gwangju));
    assert_false(nj_region_is_within(songjeong, NULL));
}

/* Each dong lies within exactly one district, its parent, and the city. */
static void test_every_dong_within_one_district(void **state)
{
    fixture *fx = *state;
    const nj_region *gwangju = nj_region_get(fx->reg, GWANGJU_PROVINCE);

    for (size_t i = 0; i < fx->n_dongs; i++) {
        const nj_region *d = nj_region_get(fx->reg, fx->dongs[i].id);
        size_t districts = 0;
        for (size_t r = 0; r < nj_region_count(fx->reg); r++) {
            const nj_region *other = nj_region_at(fx->reg, r);
            if (nj_region_level(other) == NJ_REGION_DISTRICT &&
                nj_region_is_within(d, other)) {
                districts++;
                assert_int_equal(nj_region_id(other), nj_region_parent_id(d));
            }
        }
        assert_int_equal(districts, 1);
        assert_true(nj_region_is_within(d, gwangju));
    }
}

static void remove_facilities(nj_registry *reg, int64_t first, int64_t end)
{
    for (int64_t id = first; id < end; id++)
        (void)nj_facility_remove(reg, id);
}

static void test_facilities_derive_their_region(void **state)
{
    fixture *fx = *state;
    int64_t next_id = FACILITY_ID_BASE;
    size_t before = nj_facility_count(fx->reg);
    nj_facility *facility = NULL;

    for (size_t i = 0; i < fx->n_libraries; i++) {
        const facility_csv_row *row = &fx->libraries[i];
        assert_int_equal(nj_facility_add(fx->reg, next_id++,
                                         NJ_FACILITY_LIBRARY, row->name,
                                         row->lat, row->lon, 0, &facility),
                         NJ_OK);
        assert_int_equal(nj_facility_region_id(facility), row->adm_cd2);
    }
    /* Outside every region: no region. */
    assert_int_equal(nj_facility_add(fx->reg, next_id++, NJ_FACILITY_OTHER,
                                     "Tokyo", 35.6762, 139.6503, 0,
                                     &facility),
                     NJ_OK);
    assert_int_equal(nj_facility_region_id(facility), 0);
    /* A region the caller names is kept, even when a deeper one contains it. */
    assert_int_equal(nj_facility_add(fx->reg, next_id++,
                                     NJ_FACILITY_COMMUNITY_SERVICE_CENTRE,
                                     "광산구청", 35.1395, 126.7937, GWANGSAN_GU,
                                     &facility),
                     NJ_OK);
    assert_int_equal(nj_facility_region_id(facility), GWANGSAN_GU);

    assert_int_equal(nj_facility_count(fx->reg),
                     before + GWANGJU_LIBRARIES + 2);
    remove_facilities(fx->reg, FACILITY_ID_BASE, next_id);
    assert_int_equal(nj_facility_count(fx->reg), before);
}

static void test_failed_load_changes_nothing(void **state)
{
    fixture *fx = *state;
    size_t regions = nj_region_count(fx->reg);
    nj_registry *fresh = NULL;
    char *text = NULL;
    size_t len = 0;

    /* Every dong exists already: the first one fails. */
    assert_int_equal(nj_geojson_import_regions_file(fx->reg, REGIONS_PATH, NULL),
                     NJ_E_EXISTS);
    assert_non_null(strstr(nj_registry_errmsg(fx->reg), "feature 0"));
    assert_int_equal(nj_region_count(fx->reg), regions);

    /* The last feature's geometry made a Point: 95 dongs and the districts
     * were added before it fails, and all of them go again. */
    assert_int_equal(nj_registry_create(&fresh), NJ_OK);
    assert_int_equal(text_read_file(REGIONS_PATH, (size_t)1 << 24, &text, &len), NJ_OK);
    char *last = NULL;
    for (char *at = text; (at = strstr(at, "\"MultiPolygon\"")) != NULL; at++)
        last = at;
    assert_non_null(last);
    memcpy(last, "\"Point\"       ", strlen("\"MultiPolygon\""));
    assert_int_equal(nj_geojson_import_regions(fresh, text, len, NULL), NJ_E_CORRUPT);
    assert_non_null(strstr(nj_registry_errmsg(fresh), "feature 95"));
    assert_int_equal(nj_region_count(fresh), 0);
    memcpy(last, "\"MultiPolygon\"", strlen("\"MultiPolygon\""));

    /* Cut in half: a syntax error, and nothing was added. */
    assert_int_equal(nj_geojson_import_regions(fresh, text, len / 2, NULL), NJ_E_CORRUPT);
    assert_int_equal(nj_region_count(fresh), 0);
    assert_int_equal(nj_geojson_import_regions(fresh, text, len, NULL), NJ_OK);
    assert_int_equal(nj_region_count(fresh), 1 + GWANGJU_DISTRICTS + GWANGJU_DONGS);
    free(text);
    nj_registry_destroy(fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_centroid_locates_its_dong),
        cmocka_unit_test(test_library_locates_its_csv_dong),
        cmocka_unit_test(test_points_outside_gwangju),
        cmocka_unit_test(test_bad_coordinates_are_refused),
        cmocka_unit_test(test_dong_within_district_and_province),
        cmocka_unit_test(test_every_dong_within_one_district),
        cmocka_unit_test(test_facilities_derive_their_region),
        cmocka_unit_test(test_failed_load_changes_nothing),
    };

    return cmocka_run_group_tests_name("locate_realdata", tests, setup_group,
                                       teardown_group);
}
