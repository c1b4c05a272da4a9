/*
 * Numbers do not depend on the C locale (reliability.md §5): under a locale
 * whose decimal point is a comma, CSV and WKT import read "35.1595" as
 * 35.1595, export and messages write '.', and a comma decimal is refused.
 *
 * The host's locale is what setlocale(LC_ALL, "") picks up from the
 * environment; tests/locale_wrapper.sh builds de_DE.UTF-8 with localedef
 * into the build folder and runs this program with LOCPATH and LC_ALL set
 * (skipped, exit 77, where the locale sources are not installed).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nearjob.h"

static int setup_locale(void **state)
{
    (void)state;
    /* Without the comma locale the test would prove nothing: fail. */
    if (!setlocale(LC_ALL, "") || strcmp(localeconv()->decimal_point, ",") != 0) {
        fprintf(stderr, "test_locale: LC_ALL=%s does not give a comma decimal point\n",
                setlocale(LC_ALL, NULL));
        return -1;
    }
    return 0;
}

static const char facilities_csv[] =
    "id,kind,name,lat,lon\r\n"
    "1,library,광산구립도서관,35.1595,126.8526\r\n";

static const char postings_csv[] =
    "id,facility_id,title,slots,radius_m,early_close_ratio\r\n"
    "10,1,책 정리,3,1234.56789012345,7.5\r\n";

static nj_registry *imported(void)
{
    nj_registry *reg;
    size_t rows;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, facilities_csv,
                                   strlen(facilities_csv), NJ_ENCODING_UTF8, &rows), NJ_OK);
    assert_int_equal(nj_csv_import(reg, NJ_CSV_POSTINGS, postings_csv,
                                   strlen(postings_csv), NJ_ENCODING_UTF8, &rows), NJ_OK);
    return reg;
}

static void test_import_reads_points(void **state)
{
    (void)state;
    nj_registry *reg = imported();
    const nj_facility *f = nj_facility_get(reg, 1);
    assert_non_null(f);
    /* The literals are compiled, not parsed at run time: locale-free. */
    assert_true(nj_facility_lat(f) == 35.1595);
    assert_true(nj_facility_lon(f) == 126.8526);
    const nj_posting *p = nj_posting_get(reg, 10);
    assert_true(nj_posting_radius_m(p) == 1234.56789012345);
    assert_true(nj_posting_early_close_ratio(p) == 7.5);
    nj_registry_destroy(reg);
}

static void test_export_writes_points(void **state)
{
    (void)state;
    nj_registry *reg = imported();
    char buf[512];
    size_t size;
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, buf, sizeof buf - 1, &size), NJ_OK);
    buf[size] = '\0';
    assert_non_null(strstr(buf, ",35.1595,126.8526,"));
    assert_int_equal(nj_csv_export(reg, NJ_CSV_POSTINGS, buf, sizeof buf - 1, &size), NJ_OK);
    buf[size] = '\0';
    /* 7.5 takes the fixed-point path, the radius snprintf's (%.15g). */
    assert_non_null(strstr(buf, ",1234.56789012345,7.5,"));
    assert_null(strstr(buf, "1234,5"));
    nj_registry_destroy(reg);
}

static void test_comma_decimal_is_refused(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    static const char csv[] = "id,kind,name,lat,lon\r\n1,library,x,\"35,1595\",126.8526\r\n";
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, csv, strlen(csv),
                                   NJ_ENCODING_UTF8, NULL), NJ_E_CORRUPT);
    assert_non_null(strstr(nj_registry_errmsg(reg), "line 2, column 13 (lat): \"35,1595\" is not a decimal number"));
    assert_int_equal(nj_facility_count(reg), 0);
    nj_registry_destroy(reg);
}

static void test_messages_and_wkt(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 42, 19800101, 0, 91.5, 126.8, 20230201, 0, NULL),
                     NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "participant 42: latitude 91.5 outside [-90, 90]");

    static const char regions[] =
        "id,level,name,geometry\r\n"
        "2920000001,neighbourhood,송정1동,"
        "\"POLYGON((126.78 35.13, 126.80 35.13, 126.80 35.15, 126.78 35.15, 126.78 35.13))\"\r\n";
    assert_int_equal(nj_csv_import(reg, NJ_CSV_REGIONS, regions, strlen(regions),
                                   NJ_ENCODING_UTF8, NULL), NJ_OK);
    double min_lat, min_lon, max_lat, max_lon;
    assert_int_equal(nj_region_bbox(nj_region_get(reg, 2920000001), &min_lat, &min_lon,
                                    &max_lat, &max_lon), NJ_OK);
    assert_true(min_lat == 35.13 && max_lat == 35.15);
    assert_true(min_lon == 126.78 && max_lon == 126.80);
    nj_registry_destroy(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_reads_points),
        cmocka_unit_test(test_export_writes_points),
        cmocka_unit_test(test_comma_decimal_is_refused),
        cmocka_unit_test(test_messages_and_wkt),
    };
    return cmocka_run_group_tests(tests, setup_locale, NULL);
}
