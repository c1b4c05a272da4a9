/*
 * CSV import and export and GeoJSON import through the public API
 * (nearjob/io.h): every bad-input case of reliability.md §5 with its status,
 * line and column and an unchanged registry; the schemas, aliases and
 * encodings; round trips; the real files in tests/data; allocation
 * failures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#ifndef NJ_TEST_DATA_DIR
#error "NJ_TEST_DATA_DIR must name the tests/data folder"
#endif

/* ---- helpers ------------------------------------------------------------- */

static nj_registry *empty_registry(test_allocator *a)
{
    nj_registry *reg = a ? test_registry_new(a) : NULL;
    if (!a)
        assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_non_null(reg);
    return reg;
}

/* 광주 > 광산구 > 송정1동, the dong a square. */
static nj_registry *regions_registry(test_allocator *a)
{
    nj_registry *reg = empty_registry(a);
    assert_int_equal(nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 29, "광산구", NULL), NJ_OK);
    nj_region *dong;
    assert_int_equal(nj_region_add(reg, 2920051500, NJ_REGION_NEIGHBOURHOOD, 29200, "송정1동",
                                   &dong), NJ_OK);
    assert_int_equal(test_set_square(reg, dong, 35.1, 126.7, 0.1), NJ_OK);
    return reg;
}

/* ... and a library in 송정1동. */
static nj_registry *facility_registry(test_allocator *a)
{
    nj_registry *reg = regions_registry(a);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "송정도서관", 35.15, 126.75, 0,
                                     NULL), NJ_OK);
    return reg;
}

/* The registry most tests start from: ... a posting at the library and two
 * residents. */
static nj_registry *base_registry(test_allocator *a)
{
    nj_registry *reg = facility_registry(a);
    nj_posting *q;
    assert_int_equal(nj_posting_add(reg, 10, 1, "도서 정리", 2, &q), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, q, 10030), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, q, 20240301, 20241130), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 100, 19600515, 0, 35.16, 126.76, 20240102, 0, NULL),
                     NJ_OK);
    assert_int_equal(nj_participant_add(reg, 101, 20100101, 0, 35.17, 126.77, 20240102, 0, NULL),
                     NJ_OK);
    return reg;
}

/* Also selects participant 100 for posting 10, so work can be recorded. */
static nj_registry *selected_registry(test_allocator *a)
{
    nj_registry *reg = base_registry(a);
    assert_int_equal(nj_application_submit(reg, 100, 10, 20240201), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_FIRST_COME, 0, 20240215), NJ_OK);
    return reg;
}

static nj_status import(nj_registry *reg, int32_t object, const char *csv)
{
    size_t rows;
    return nj_csv_import(reg, object, csv, strlen(csv), NJ_ENCODING_UTF8, &rows);
}

/* The import must fail with `status`, say `where` and `why`, import no row
 * and leave every object as it was. */
static void import_fails_n(nj_registry *reg, int32_t object, const char *csv, size_t len,
                           int32_t encoding, nj_status status, const char *where,
                           const char *why)
{
    char *before = test_registry_dump(reg);
    size_t rows = 99;
    nj_status st = nj_csv_import(reg, object, csv, len, encoding, &rows);
    const char *msg = nj_registry_errmsg(reg);
    if (st != status || !strstr(msg, where) || !strstr(msg, why))
        fail_msg("status %d, message \"%s\"; expected %d, \"%s\", \"%s\"", (int)st, msg,
                 (int)status, where, why);
    assert_int_equal(rows, 0);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void import_fails(nj_registry *reg, int32_t object, const char *csv, nj_status status,
                         const char *where, const char *why)
{
    import_fails_n(reg, object, csv, strlen(csv), NJ_ENCODING_UTF8, status, where, why);
}

/* The whole export of one type, NUL-terminated; caller frees. */
static char *export_all(const nj_registry *reg, int32_t object, size_t *len)
{
    size_t size = 0;
    assert_int_equal(nj_csv_export(reg, object, NULL, 0, &size), NJ_E_BUFFER_TOO_SMALL);
    char *buf = malloc(size + 1);
    assert_int_equal(nj_csv_export(reg, object, buf, size, len), NJ_OK);
    assert_int_equal(*len, size);
    buf[size] = '\0';
    return buf;
}

/* ---- reliability.md §5: coordinates and numbers -------------------------- */

static void test_coordinates_refused(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const struct {
        const char *lat;
        nj_status status;
        const char *why;
    } cases[] = {
        {"NaN", NJ_E_CORRUPT, "not a decimal number"},
        {"nan", NJ_E_CORRUPT, "not a decimal number"},
        {"inf", NJ_E_CORRUPT, "not a decimal number"},
        {"-inf", NJ_E_CORRUPT, "not a decimal number"},
        {"Infinity", NJ_E_CORRUPT, "not a decimal number"},
        {"0x1p3", NJ_E_CORRUPT, "not a decimal number"},
        {"0x23", NJ_E_CORRUPT, "not a decimal number"},
        {"\"35,5\"", NJ_E_CORRUPT, "not a decimal number"},
        {"1e308", NJ_E_RANGE, "outside [-90, 90]"},
        {"91.5", NJ_E_RANGE, "outside [-90, 90]"},
        {"-90.0000001", NJ_E_RANGE, "outside [-90, 90]"},
        {"", NJ_E_INVALID, "required"},
    };
    char csv[200];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(csv, sizeof csv, "id,kind,name,lat,lon\r\n7,library,a,35,126.8\r\n8,library,b,%s,126.8\r\n",
                 cases[i].lat);
        import_fails(reg, NJ_CSV_FACILITIES, csv, cases[i].status, "line 3, column 13 (lat)",
                     cases[i].why);
    }
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n8,library,b,35,180.5\n",
                 NJ_E_RANGE, "line 2, column 16 (lon)", "outside [-180, 180]");
    /* Participants' homes too. */
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date\n5,19900101,inf,126,20240101\n",
                 NJ_E_CORRUPT, "line 2, column 12 (lat)", "not a decimal number");
    /* The limits themselves and padded cells are accepted. */
    assert_int_equal(import(reg, NJ_CSV_FACILITIES,
                            "id,kind,name,lat,lon\n8,library,pole, 90 ,-180\n9,other,x,-90.0,+180\n"),
                     NJ_OK);
    assert_true(nj_facility_lat(nj_facility_get(reg, 8)) == 90.0);
    assert_true(nj_facility_lon(nj_facility_get(reg, 9)) == 180.0);
    nj_registry_destroy(reg);
}

static void test_radius_and_money_refused(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const char head[] = "id,facility_id,title,slots,radius_m,hourly_stipend_krw\n";
    char csv[200];
    static const struct {
        const char *radius;
        nj_status status;
        const char *why;
    } radius[] = {
        {"nan", NJ_E_CORRUPT, "not a decimal number"},
        {"-1", NJ_E_RANGE, "radius (m) -1 outside [0, 20015115]"},
        {"20015116", NJ_E_RANGE, "outside [0, 20015115]"},
        {"inf", NJ_E_CORRUPT, "not a decimal number"},
    };
    for (size_t i = 0; i < sizeof radius / sizeof radius[0]; i++) {
        snprintf(csv, sizeof csv, "%s20,1,t,3,%s,10030\n", head, radius[i].radius);
        import_fails(reg, NJ_CSV_POSTINGS, csv, radius[i].status, "line 2, column 10 (radius_m)",
                     radius[i].why);
    }
    snprintf(csv, sizeof csv, "%s20,1,t,3,500,9223372036854775808\n", head);
    import_fails(reg, NJ_CSV_POSTINGS, csv, NJ_E_RANGE, "line 2, column 14 (hourly_stipend_krw)",
                 "outside");
    snprintf(csv, sizeof csv, "%s20,1,t,3,500,1000001\n", head);
    import_fails(reg, NJ_CSV_POSTINGS, csv, NJ_E_RANGE, "line 2, column 14 (hourly_stipend_krw)",
                 "outside [0, 1000000]");
    snprintf(csv, sizeof csv, "%s20,1,t,2147483648,500,1\n", head);
    import_fails(reg, NJ_CSV_POSTINGS, csv, NJ_E_RANGE, "line 2, column 8 (slots)", "outside");
    nj_registry_destroy(reg);
}

/* ---- reliability.md §5: the ledger --------------------------------------- */

static void test_ledger_rules(void **state)
{
    (void)state;
    nj_registry *reg = selected_registry(NULL);
    static const char head[] = "entry_id,participant_id,posting_id,date,minutes\n";
    char csv[200];
    static const char *const minutes[] = {"0", "-5", "1441"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(csv, sizeof csv, "%s1,100,10,20240305,60\n2,100,10,20240306,%s\n", head,
                 minutes[i]);
        import_fails(reg, NJ_CSV_WORK_ENTRIES, csv, NJ_E_RANGE, "line 3, column 19 (minutes)",
                     "outside [1, 1440]");
    }
    snprintf(csv, sizeof csv, "%s1,100,10,20240101,60\n", head);
    import_fails(reg, NJ_CSV_WORK_ENTRIES, csv, NJ_E_RANGE, "line 2, column 10 (date)",
                 "outside the work period");
    snprintf(csv, sizeof csv, "%s1,101,10,20240305,60\n", head);
    import_fails(reg, NJ_CSV_WORK_ENTRIES, csv, NJ_E_INELIGIBLE, "line 2, column 3 (participant_id)",
                 "not selected");
    snprintf(csv, sizeof csv, "%s1,100,11,20240305,60\n", head);
    import_fails(reg, NJ_CSV_WORK_ENTRIES, csv, NJ_E_NOT_FOUND, "line 2, column 7 (posting_id)",
                 "posting 11 not found");
    /* The cap: 101 hours in five entries, one voided; 6 000 minutes paid at
     * 10 030 KRW an hour. */
    size_t rows;
    static const char entries[] =
        "entry_id,participant_id,posting_id,date,minutes,void\n"
        "1,100,10,2024-03-04,1440,0\n2,100,10,2024-03-05,1440,no\n"
        "3,100,10,2024-03-06,1440,\n4,100,10,2024-03-07,1440,1\n"
        "5,100,10,2024-03-08,1440,\n6,100,10,2024-03-09,300,\n";
    assert_int_equal(nj_csv_import(reg, NJ_CSV_WORK_ENTRIES, entries, strlen(entries),
                                   NJ_ENCODING_UTF8, &rows), NJ_OK);
    assert_int_equal(rows, 6);
    int64_t worked, paid, over, remaining, amount;
    assert_int_equal(nj_stipend_statement(reg, 100, 20240601, &worked, &paid, &over, &remaining,
                                          &amount), NJ_OK);
    assert_int_equal(worked, 4 * 1440 + 300);
    assert_int_equal(paid, 6000);
    assert_int_equal(over, 60);
    assert_int_equal(amount, 6000 / 60 * 10030);
    int voided;
    assert_int_equal(nj_work_entry(reg, 4, NULL, NULL, NULL, NULL, NULL, NULL, &voided), NJ_OK);
    assert_int_equal(voided, 1);
    /* Recording an entry id again, from the same file or the registry. */
    import_fails(reg, NJ_CSV_WORK_ENTRIES, "entry_id,participant_id,posting_id,date,minutes\n7,100,10,20240310,60\n7,100,10,20240311,60\n",
                 NJ_E_EXISTS, "line 3, column 1 (entry_id)", "entry 7 appears twice in the file, on lines 2 and 3");
    import_fails(reg, NJ_CSV_WORK_ENTRIES, "entry_id,participant_id,posting_id,date,minutes\n3,100,10,20240310,60\n",
                 NJ_E_EXISTS, "line 2, column 1 (entry_id)", "entry 3 was already recorded");
    /* A budget below the period's total refuses every further entry. */
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 1003000 - 1), NJ_OK);
    import_fails(reg, NJ_CSV_WORK_ENTRIES, "entry_id,participant_id,posting_id,date,minutes\n8,100,10,20241001,60\n",
                 NJ_E_CAP, "line 2, column 19 (minutes)", "would exceed the budget 1002999 KRW");
    nj_registry_destroy(reg);
}

/* ---- reliability.md §5: text -------------------------------------------- */

static void test_invalid_utf8_and_nul(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const struct {
        const char *name;
        size_t len;
        const char *where;
        const char *byte;
    } cases[] = {
        {"가\xC0\xAF", 5, "line 2, column 19 (name)", "0xC0"},     /* overlong '/' */
        {"\xED\xA0\x80", 3, "line 2, column 18 (name)", "0xED"},   /* a surrogate */
        {"a\xF4\x90\x80\x80", 5, "line 2, column 19 (name)", "0xF4"}, /* > U+10FFFF */
        {"ab\xFF", 3, "line 2, column 20 (name)", "0xFF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char csv[200];
        int n = snprintf(csv, sizeof csv, "id,kind,lat,lon,name\n7,library,35,126,%.*s\n",
                         (int)cases[i].len, cases[i].name);
        import_fails_n(reg, NJ_CSV_FACILITIES, csv, (size_t)n, NJ_ENCODING_UTF8, NJ_E_ENCODING,
                       cases[i].where, cases[i].byte);
    }
    static const char nul[] = "id,kind,name,lat,lon\n7,library,a\0b,35,126\n";
    import_fails_n(reg, NJ_CSV_FACILITIES, nul, sizeof nul - 1, NJ_ENCODING_UTF8, NJ_E_ENCODING,
                   "line 2, column 12 (name)", "embedded NUL byte");
    nj_registry_destroy(reg);
}

static void test_quotes_and_line_ends(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    /* Commas, doubled quotes and a line break inside quotes; a BOM. */
    static const char good[] = "\xEF\xBB\xBFid,kind,name,lat,lon\r\n"
                               "7,library,\"Lib, \"\"Main\"\"\r\nBranch\",35,126\r\n"
                               "8,library,plain,35,126\r\n";
    assert_int_equal(import(reg, NJ_CSV_FACILITIES, good), NJ_OK);
    assert_string_equal(nj_facility_name(nj_facility_get(reg, 7)), "Lib, \"Main\"\r\nBranch");
    assert_string_equal(nj_facility_name(nj_facility_get(reg, 8)), "plain");
    /* Lines are physical: the row after a two-line cell is on line 4. */
    import_fails(reg, NJ_CSV_FACILITIES,
                 "id,kind,name,lat,lon\n9,library,\"a\nb\",35,126\n10,library,c,95,126\n",
                 NJ_E_RANGE, "line 4, column 14 (lat)", "outside");
    /* The BOM does not count as a column. */
    import_fails(reg, NJ_CSV_FACILITIES, "\xEF\xBB\xBFid,kind,name,lat,lon,lat\n",
                 NJ_E_CORRUPT, "line 1, column 22", "header cells 4 and 6 both name column lat");
    /* An unterminated quote is reported where it opened. */
    import_fails(reg, NJ_CSV_FACILITIES,
                 "id,kind,name,lat,lon\n9,library,ok,35,126\n10,library,\"never closed,35,126\n11,library,x,35,126\n",
                 NJ_E_CORRUPT, "line 3, column 12 (name)", "unterminated");
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n9,library,\"a\"b,35,126\n",
                 NJ_E_CORRUPT, "line 2, column 14 (name)", "text after the closing quote");
    /* CRLF, LF and a lone CR give the same registry. */
    static const char *const ends[] = {"\r\n", "\n", "\r"};
    char *dumps[3];
    for (int i = 0; i < 3; i++) {
        nj_registry *r = base_registry(NULL);
        char csv[200];
        snprintf(csv, sizeof csv, "id,kind,name,lat,lon%s20,library,a,35,126%s21,other,b,36,127%s",
                 ends[i], ends[i], ends[i]);
        assert_int_equal(import(r, NJ_CSV_FACILITIES, csv), NJ_OK);
        dumps[i] = test_registry_dump(r);
        nj_registry_destroy(r);
    }
    assert_string_equal(dumps[0], dumps[1]);
    assert_string_equal(dumps[0], dumps[2]);
    for (int i = 0; i < 3; i++)
        free(dumps[i]);
    nj_registry_destroy(reg);
}

/* ---- reliability.md §5: CP949 -------------------------------------------- */

/* UTF-8 to `to` with the C library's iconv; -1 when it refuses the text. */
static long recode(const char *to, const char *in, char *out, size_t cap)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *src = (char *)in, *dst = out;
    size_t left = strlen(in), room = cap;
    size_t done = iconv(cd, &src, &left, &dst, &room);
    iconv_close(cd);
    return done == (size_t)-1 ? -1 : (long)(dst - out);
}

static void test_cp949_files(void **state)
{
    (void)state;
    static const char utf8[] = "id,유형,시설명,위도,경도\r\n"
                               "7,작은도서관,똠방각하 작은도서관,35.15,126.75\r\n"
                               "8,지역아동센터,\"쌍촌동, 아동센터\",35.16,126.76\r\n";
    char cp949[512], euckr[512];
    long len = recode("CP949", utf8, cp949, sizeof cp949);
    assert_true(len > 0);
    assert_non_null(memchr(cp949, 0x8C, (size_t)len)); /* 똠 = 8C 63 */
    /* EUC-KR has no 똠: the reason to convert as CP949. */
    assert_int_equal(recode("EUC-KR", utf8, euckr, sizeof euckr), -1);
    assert_int_equal(errno, EILSEQ);

    nj_registry *reg = base_registry(NULL);
    /* Undeclared: refused with the hint, at the first Hangul byte. */
    import_fails_n(reg, NJ_CSV_FACILITIES, cp949, (size_t)len, NJ_ENCODING_UTF8, NJ_E_ENCODING,
                   "line 1, column 4",
                   "invalid UTF-8 byte 0xC0 (looks CP949/EUC-KR; declare the encoding)");
    size_t rows;
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, cp949, (size_t)len, NJ_ENCODING_CP949,
                                   &rows), NJ_OK);
    assert_int_equal(rows, 2);
    assert_string_equal(nj_facility_name(nj_facility_get(reg, 7)), "똠방각하 작은도서관");
    assert_string_equal(nj_facility_name(nj_facility_get(reg, 8)), "쌍촌동, 아동센터");
    assert_int_equal(nj_facility_kind(nj_facility_get(reg, 8)), NJ_FACILITY_CHILDRENS_CENTRE);
    /* AUTO finds the same, and takes UTF-8 as UTF-8. */
    nj_registry *a = base_registry(NULL), *b = base_registry(NULL);
    assert_int_equal(nj_csv_import(a, NJ_CSV_FACILITIES, cp949, (size_t)len, NJ_ENCODING_AUTO,
                                   &rows), NJ_OK);
    assert_int_equal(nj_csv_import(b, NJ_CSV_FACILITIES, utf8, strlen(utf8), NJ_ENCODING_AUTO,
                                   &rows), NJ_OK);
    char *da = test_registry_dump(a), *db = test_registry_dump(b), *dr = test_registry_dump(reg);
    assert_string_equal(da, dr);
    assert_string_equal(db, dr);
    free(da);
    free(db);
    free(dr);
    nj_registry_destroy(a);
    nj_registry_destroy(b);
    /* A byte that is not CP949, on the third line after two characters. */
    static const char broken[] = "id,kind,name,lat,lon\r\n9,library,x,35,126\r\n10,library,\xB0\xA1\xB0\xFF,35,126\r\n";
    import_fails_n(reg, NJ_CSV_FACILITIES, broken, sizeof broken - 1, NJ_ENCODING_CP949,
                   NJ_E_ENCODING, "line 3, column 13", "invalid CP949 byte 0xB0");
    /* iconv stops past the end on an unmapped last pair (A2 E8): found by
     * the CI's 60-s fuzz run, it read one byte past the input. */
    import_fails_n(reg, NJ_CSV_FACILITIES, "id\n\xA2\xE8", 5, NJ_ENCODING_CP949, NJ_E_ENCODING,
                   "line 2, column ", "the input ends in a character CP949 does not map");
    import_fails_n(reg, NJ_CSV_FACILITIES, "\xEF\xBB\xBFid", 5, NJ_ENCODING_CP949, NJ_E_ENCODING,
                   "line 1, column 1", "byte-order mark, but CP949 was declared");
    nj_registry_destroy(reg);
}

/* ---- reliability.md §5: limits and duplicates ---------------------------- */

static void test_limits(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const char csv[] = "id,kind,name,lat,lon\n7,library,abcdefghi,35,126\n8,library,b,35,126\n"
                              "9,library,c,35,126\n";
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_FIELD_BYTES, 8), NJ_OK);
    import_fails(reg, NJ_CSV_FACILITIES, csv, NJ_E_RANGE, "line 2, column 11 (name)",
                 "field of 9 bytes, over the limit of 8 (NJ_OPT_IMPORT_MAX_FIELD_BYTES)");
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_FIELD_BYTES, 9), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_ROWS, 2), NJ_OK);
    import_fails(reg, NJ_CSV_FACILITIES, csv, NJ_E_RANGE, "line 4, column 1",
                 "more than 2 data rows (NJ_OPT_IMPORT_MAX_ROWS)");
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_ROWS, 3), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_BYTES, strlen(csv) - 1), NJ_OK);
    char why[128];
    snprintf(why, sizeof why, "input of %zu bytes, over the limit of %zu (NJ_OPT_IMPORT_MAX_BYTES)",
             strlen(csv), strlen(csv) - 1);
    import_fails(reg, NJ_CSV_FACILITIES, csv, NJ_E_RANGE, "", why);
    assert_int_equal(nj_geojson_import_regions(reg, csv, strlen(csv), NULL), NJ_E_RANGE);
    assert_non_null(strstr(nj_registry_errmsg(reg), "(NJ_OPT_IMPORT_MAX_BYTES)"));
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_BYTES, strlen(csv)), NJ_OK);
    assert_int_equal(import(reg, NJ_CSV_FACILITIES, csv), NJ_OK);
    /* The options and their bounds. */
    int64_t lo, hi, value;
    assert_int_equal(nj_option_bounds(NJ_OPT_IMPORT_MAX_ROWS, &lo, &hi), NJ_OK);
    assert_true(lo == 1 && hi == (int64_t)1 << 40);
    assert_int_equal(nj_registry_get_int64(reg, NJ_OPT_IMPORT_MAX_ROWS, &value), NJ_OK);
    assert_int_equal(value, 3);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_FIELD_BYTES, 0), NJ_E_RANGE);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_FIELD_BYTES, ((int64_t)1 << 31) + 1),
                     NJ_E_RANGE);
    nj_registry *fresh;
    assert_int_equal(nj_registry_create(&fresh), NJ_OK);
    assert_int_equal(nj_registry_get_int64(fresh, NJ_OPT_IMPORT_MAX_BYTES, &value), NJ_OK);
    assert_true(value == (int64_t)1 << 30);
    assert_int_equal(nj_registry_get_int64(fresh, NJ_OPT_IMPORT_MAX_ROWS, &value), NJ_OK);
    assert_int_equal(value, 10000000);
    assert_int_equal(nj_registry_get_int64(fresh, NJ_OPT_IMPORT_MAX_FIELD_BYTES, &value), NJ_OK);
    assert_int_equal(value, 16 << 20);
    nj_registry_destroy(fresh);
    nj_registry_destroy(reg);
}

static void test_duplicates(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    import_fails(reg, NJ_CSV_FACILITIES,
                 "id,kind,name,lat,lon\n7,library,a,35,126\n8,library,b,35,126\n7,library,c,35,126\n",
                 NJ_E_EXISTS, "line 4, column 1 (id)", "facility 7 appears twice in the file, on lines 2 and 4");
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n7,library,a,35,126\n1,library,b,35,126\n",
                 NJ_E_EXISTS, "line 3, column 1 (id)", "facility 1 already exists in the registry");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name\n5,1,a\n29,province,b\n", NJ_E_EXISTS,
                 "line 3, column 1 (id)", "region 29 already exists");
    import_fails(reg, NJ_CSV_POSTINGS, "id,facility_id,title,slots\n11,1,a,1\n11,1,b,1\n",
                 NJ_E_EXISTS, "line 3, column 1 (id)", "lines 2 and 3");
    import_fails(reg, NJ_CSV_POSTINGS, "id,facility_id,title,slots\n10,1,a,1\n",
                 NJ_E_EXISTS, "line 2, column 1 (id)", "posting 10 already exists in the registry");
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date\n100,19900101,35,126,20240101\n",
                 NJ_E_EXISTS, "line 2, column 1 (id)", "participant 100 already exists");
    import_fails(reg, NJ_CSV_APPLICATIONS,
                 "participant_id,posting_id,date\n100,10,20240201\n101,10,20240201\n100,10,20240202\n",
                 NJ_E_EXISTS, "line 4, column 1 (participant_id)",
                 "participant 100 applies to posting 10 twice, on lines 2 and 4");
    assert_int_equal(nj_application_submit(reg, 101, 10, 20240201), NJ_OK);
    import_fails(reg, NJ_CSV_APPLICATIONS, "participant_id,posting_id,date\n101,10,20240203\n",
                 NJ_E_EXISTS, "line 2, column 1 (participant_id)", "already applied");
    nj_registry_destroy(reg);
}

/* ---- schemas ------------------------------------------------------------- */

static void test_headers(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lon\n7,library,a,126\n", NJ_E_CORRUPT,
                 "line 1", "required column lat is missing (also accepted: latitude|위도)");
    import_fails(reg, NJ_CSV_FACILITIES, "", NJ_E_CORRUPT, "line 1", "no header row");
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n7,library,a,35\n", NJ_E_CORRUPT,
                 "line 2, column 13", "4 fields, but the header has 5");
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n7,library,a,35,126,x\n",
                 NJ_E_CORRUPT, "line 2, column 20", "6 fields, but the header has 5");
    import_fails(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\n7,swimming pool,a,35,126\n",
                 NJ_E_INVALID, "line 2, column 3 (kind)", "\"swimming pool\" is not a known value");
    /* Korean headers, any order, unknown columns ignored, blank rows
     * skipped; no id column: ids follow the largest in use (1). */
    static const char korean[] = "주소,시설명,위도,경도,유형,전화\r\n"
                                 "\"광주 광산구 송정로 1, 2층\",송정 작은도서관,35.14,126.79,작은도서관,062\r\n"
                                 ",,,,,\r\n\r\n"
                                 "광주,어룡 노인복지관,35.15,126.8,노인복지관,062\r\n";
    size_t rows;
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, korean, strlen(korean),
                                   NJ_ENCODING_UTF8, &rows), NJ_OK);
    assert_int_equal(rows, 2);
    assert_string_equal(nj_facility_name(nj_facility_get(reg, 2)), "송정 작은도서관");
    assert_int_equal(nj_facility_kind(nj_facility_get(reg, 2)), NJ_FACILITY_LIBRARY);
    assert_int_equal(nj_facility_kind(nj_facility_get(reg, 3)), NJ_FACILITY_SENIOR_CENTRE);
    assert_int_equal(nj_facility_region_id(nj_facility_get(reg, 2)), 2920051500);
    /* Header only: nothing to do. */
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, "id,kind,name,lat,lon\r\n", 22,
                                   NJ_ENCODING_UTF8, &rows), NJ_OK);
    assert_int_equal(rows, 0);
    /* Participants by their Korean headers; both date forms. */
    assert_int_equal(import(reg, NJ_CSV_PARTICIPANTS,
                            "참여자번호,생년월일,위도,경도,확인일,외국인\n"
                            "200,1985-07-01,35.12,126.71,20240105,외국인\n"
                            "201,19700228,35.13,126.72,2024-01-06,0\n"), NJ_OK);
    const nj_participant *p = nj_participant_get(reg, 200);
    assert_int_equal(nj_participant_birth_date(p), 19850701);
    assert_int_equal(nj_participant_is_foreign(p), 1);
    assert_int_equal(nj_participant_verified_date(nj_participant_get(reg, 201)), 20240106);
    assert_int_equal(nj_participant_region_id(p), 2920051500);
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date\n202,2023-02-29,35,126,20240101\n",
                 NJ_E_INVALID, "line 2, column 5 (birth_date)", "not a calendar date");
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date\n202,2023/02/01,35,126,20240101\n",
                 NJ_E_CORRUPT, "line 2, column 5 (birth_date)", "YYYYMMDD or YYYY-MM-DD");
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date\n202,20230201,35,126,20220101\n",
                 NJ_E_INVALID, "line 2, column 21 (verified_date)", "before birth date");
    import_fails(reg, NJ_CSV_PARTICIPANTS,
                 "id,birth_date,lat,lon,verified_date,region_id\n202,20000101,35,126,20220101,777\n",
                 NJ_E_NOT_FOUND, "line 2, column 30 (region_id)", "region 777 not found");
    nj_registry_destroy(reg);
}

static void test_regions_with_geometry(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    static const char csv[] =
        "code,level,parent,name,wkt\n"
        "11,시도,,서울특별시,\n"
        "11590,district,11,동작구,\"POLYGON ((126.9 37.47, 127 37.47, 127 37.52, 126.9 37.52, 126.9 37.47))\"\n"
        "1159051000,3,11590,노량진1동,\"{\"\"type\"\":\"\"Polygon\"\",\"\"coordinates\"\":[[[126.93,37.50],[126.96,37.50],[126.96,37.52],[126.93,37.50]]]}\"\n";
    size_t rows;
    assert_int_equal(nj_csv_import(reg, NJ_CSV_REGIONS, csv, strlen(csv), NJ_ENCODING_UTF8, &rows),
                     NJ_OK);
    assert_int_equal(rows, 3);
    size_t np, nr, nv;
    assert_int_equal(nj_region_boundary_counts(nj_region_get(reg, 11590), &np, &nr, &nv), NJ_OK);
    assert_true(np == 1 && nr == 1 && nv == 5);
    nj_region *found;
    assert_int_equal(nj_region_locate(reg, 37.505, 126.95, &found), NJ_OK);
    assert_int_equal(nj_region_id(found), 1159051000);
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,parent_id\n5,3,a,4\n4,2,b,11\n", NJ_E_NOT_FOUND,
                 "line 2, column 7 (parent_id)", "parent 4 not found");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,parent_id\n5,1,a,11\n", NJ_E_INVALID,
                 "line 2, column 7 (parent_id)", "not above level 1");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,geometry\n5,3,a,POINT (1 2)\n", NJ_E_CORRUPT,
                 "line 2, column 7 (geometry)", "WKT: expected POLYGON or MULTIPOLYGON");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,geometry\n5,3,a,\"POLYGON ((1 2, 3 4, 5 x))\"\n",
                 NJ_E_CORRUPT, "line 2, column 7 (geometry)", "expected a number at character 23");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,geometry\n5,3,a,\"POLYGON ((1 2, 3 4))\"\n",
                 NJ_E_INVALID, "line 2, column 7 (geometry)", "fewer than 3");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,geometry\n5,3,a,\"POLYGON ((1 95, 3 4, 5 6))\"\n",
                 NJ_E_RANGE, "line 2, column 7 (geometry)", "latitude 95 outside");
    import_fails(reg, NJ_CSV_REGIONS, "id,level,name,geometry\n5,3,a,\"{\"\"type\"\":\"\"Point\"\"}\"\n",
                 NJ_E_CORRUPT, "line 2, column 7 (geometry)", "GeoJSON: the geometry must be a Polygon");
    nj_registry_destroy(reg);
}

static void test_postings_and_applications(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const char postings[] =
        "id,facility_id,title,slots,programme_type,minutes_per_person,hourly_stipend_krw,"
        "work_start,work_end,apply_open,apply_close,min_age,max_age,residency_region_id,"
        "foreign_allowed,radius_m,early_close_ratio,status\n"
        "20,1,어린이 독서 지도,2,직접일자리,3000,10030,2024-03-01,2024-06-30,2024-02-01,"
        "2024-02-20,50,,29200,no,3000.5,1,open\n"
        "21,1,custom,1,1001,,,,,,,,,,,,,closed\n";
    assert_int_equal(import(reg, NJ_CSV_POSTINGS, postings), NJ_OK);
    const nj_posting *q = nj_posting_get(reg, 20);
    assert_int_equal(nj_posting_minutes_per_person(q), 3000);
    assert_int_equal(nj_posting_apply_close(q), 20240220);
    assert_int_equal(nj_posting_min_age(q), 50);
    assert_int_equal(nj_posting_max_age(q), 150);
    assert_int_equal(nj_posting_foreign_allowed(q), 0);
    assert_true(nj_posting_radius_m(q) == 3000.5);
    assert_int_equal(nj_posting_residency_region_id(q), 29200);
    assert_int_equal(nj_posting_programme_type(nj_posting_get(reg, 21)), 1001);
    assert_int_equal(nj_posting_status(nj_posting_get(reg, 21)), NJ_POSTING_CLOSED);
    import_fails(reg, NJ_CSV_POSTINGS, "id,facility_id,title,slots,work_end\n22,1,t,1,20240101\n",
                 NJ_E_INVALID, "line 2, column 10 (work_end)", "work start 0 is not a calendar date");
    import_fails(reg, NJ_CSV_POSTINGS, "id,facility_id,title,slots\n22,9,t,1\n", NJ_E_NOT_FOUND,
                 "line 2, column 4 (facility_id)", "facility 9 not found");
    /* The last of 40 rows fails: the 39 before it are taken back. */
    char big[4096] = "id,facility_id,title,slots,radius_m\n";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%d,1,t,1,%s\n", 100 + i,
                 i == 39 ? "-1" : "10");
    import_fails(reg, NJ_CSV_POSTINGS, big, NJ_E_RANGE, "line 41, column 11 (radius_m)", "outside");

    /* Applications go through nj_application_submit(): eligibility, window, early close. */
    import_fails(reg, NJ_CSV_APPLICATIONS, "participant_id,posting_id,date\n101,20,20240210\n",
                 NJ_E_INELIGIBLE, "line 2, column 1 (participant_id)", "not eligible");
    import_fails(reg, NJ_CSV_APPLICATIONS, "participant_id,posting_id,date\n100,20,20240221\n",
                 NJ_E_CLOSED, "line 2, column 8 (date)", "application window");
    import_fails(reg, NJ_CSV_APPLICATIONS, "participant_id,posting_id,date\n999,20,20240210\n",
                 NJ_E_NOT_FOUND, "line 2, column 1 (participant_id)", "participant 999 not found");
    import_fails(reg, NJ_CSV_APPLICATIONS, "participant_id,posting_id,date,status\n100,20,20240210,selected\n",
                 NJ_E_INVALID, "line 2, column 17 (status)", "only applied and withdrawn");
    assert_int_equal(nj_participant_add(reg, 102, 19600101, 0, 35.11, 126.71, 20240101, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 103, 19600101, 0, 35.12, 126.72, 20240101, 0, NULL), NJ_OK);
    /* Early close at ceil(1 x 2) = 2: a third application is refused and
     * the posting opens again when the import is taken back. */
    import_fails(reg, NJ_CSV_APPLICATIONS,
                 "participant_id,posting_id,date\n100,20,20240210\n102,20,20240211\n103,20,20240212\n",
                 NJ_E_CLOSED, "line 4, column 8 (date)", "closed");
    assert_int_equal(nj_posting_status(nj_posting_get(reg, 20)), NJ_POSTING_OPEN);
    size_t rows;
    static const char apps[] = "participant_id,posting_id,date,status\n100,20,20240210,applied\n"
                               "102,20,2024-02-11,withdrawn\n103,10,20240212,\n";
    assert_int_equal(nj_csv_import(reg, NJ_CSV_APPLICATIONS, apps, strlen(apps), NJ_ENCODING_UTF8,
                                   &rows), NJ_OK);
    assert_int_equal(rows, 3);
    int32_t status;
    assert_int_equal(nj_application_status(reg, 102, 20, &status), NJ_OK);
    assert_int_equal(status, NJ_APPLICATION_WITHDRAWN);
    assert_int_equal(nj_posting_status(nj_posting_get(reg, 20)), NJ_POSTING_CLOSED);
    nj_registry_destroy(reg);
}

static void test_targets(void **state)
{
    (void)state;
    nj_registry *reg = regions_registry(NULL);
    assert_int_equal(nj_target_set(reg, 2023, 29200, NJ_PROGRAMME_ALL, 17400), NJ_OK);
    static const char csv[] = "연도,지역코드,사업유형,목표\n2024,29200,직접일자리,4000\n"
                              "2024,29200,,17400\n2024,29,1001,7\n";
    size_t rows;
    assert_int_equal(nj_csv_import(reg, NJ_CSV_TARGETS, csv, strlen(csv), NJ_ENCODING_UTF8, &rows),
                     NJ_OK);
    assert_int_equal(rows, 3);
    int64_t target;
    assert_int_equal(nj_target_get(reg, 2024, 29200, NJ_PROGRAMME_DIRECT_JOBS, &target), NJ_OK);
    assert_int_equal(target, 4000);
    assert_int_equal(nj_target_get(reg, 2024, 29200, NJ_PROGRAMME_ALL, &target), NJ_OK);
    assert_int_equal(target, 17400);
    size_t len;
    char *out = export_all(reg, NJ_CSV_TARGETS, &len);
    assert_string_equal(out, "\xEF\xBB\xBFyear,region_id,programme_type,target\r\n"
                             "2023,29200,all,17400\r\n2024,29,1001,7\r\n"
                             "2024,29200,all,17400\r\n2024,29200,direct_jobs,4000\r\n");
    free(out);
    import_fails(reg, NJ_CSV_TARGETS, "year,region_id,programme_type,target\n2025,29,all,1\n2025,29,,2\n",
                 NJ_E_EXISTS, "line 3, column 1 (year)",
                 "the target for 2025, region 29, programme type 0 is given twice, on lines 2 and 3");
    import_fails(reg, NJ_CSV_TARGETS, "year,region_id,target\n2023,29200,5\n", NJ_E_EXISTS,
                 "line 2, column 1 (year)", "already has a target for 2023, region 29200");
    import_fails(reg, NJ_CSV_TARGETS, "year,region_id,target\n2025,29,1\n10000,29,1\n", NJ_E_RANGE,
                 "line 3, column 1 (year)", "year 10000 outside");
    import_fails(reg, NJ_CSV_TARGETS, "year,region_id,target\n2025,7,1\n", NJ_E_NOT_FOUND,
                 "line 2, column 6 (region_id)", "region 7 not found");
    import_fails(reg, NJ_CSV_TARGETS, "year,region_id,target\n2025,29,1000000000001\n", NJ_E_RANGE,
                 "line 2, column 9 (target)", "outside");
    nj_registry_destroy(reg);
}

/* ---- export -------------------------------------------------------------- */

static void test_export_format(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    static const char *const names[] = {"=HYPERLINK(\"http://x\")", "+82", "-1", "@SUM(A1)",
                                        "\tTab", "\rCR", "'=quoted", "a=b"};
    for (int i = 0; i < 8; i++)
        assert_int_equal(nj_facility_add(reg, 2 + i, NJ_FACILITY_OTHER, names[i], 35, 126, 0, NULL),
                         NJ_OK);
    size_t len;
    char *csv = export_all(reg, NJ_CSV_FACILITIES, &len);
    static const char expect[] =
        "\xEF\xBB\xBFid,kind,name,lat,lon,region_id,resolved_region_id\r\n"
        "1,library,송정도서관,35.15,126.75,,2920051500\r\n"
        "2,other,\"'=HYPERLINK(\"\"http://x\"\")\",35,126,,\r\n"
        "3,other,'+82,35,126,,\r\n"
        "4,other,'-1,35,126,,\r\n"
        "5,other,'@SUM(A1),35,126,,\r\n"
        "6,other,'\tTab,35,126,,\r\n"
        "7,other,\"'\rCR\",35,126,,\r\n"
        "8,other,''=quoted,35,126,,\r\n"
        "9,other,a=b,35,126,,\r\n";
    assert_string_equal(csv, expect);
    /* Importing it back gives the names exactly. */
    nj_registry *back;
    assert_int_equal(nj_registry_create(&back), NJ_OK);
    assert_int_equal(nj_csv_import(back, NJ_CSV_FACILITIES, csv, len, NJ_ENCODING_UTF8, NULL), NJ_OK);
    for (int i = 0; i < 8; i++)
        assert_string_equal(nj_facility_name(nj_facility_get(back, 2 + i)), names[i]);
    /* Too small a buffer: the size needed, and nothing written. */
    char small[64];
    memset(small, '#', sizeof small);
    size_t needed = 0;
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, small, sizeof small, &needed),
                     NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(needed, len);
    for (size_t i = 0; i < sizeof small; i++)
        assert_int_equal(small[i], '#');
    /* Every type has its header and CRLF even when empty. */
    nj_registry *empty;
    assert_int_equal(nj_registry_create(&empty), NJ_OK);
    free(csv);
    csv = export_all(empty, NJ_CSV_WORK_ENTRIES, &len);
    assert_string_equal(csv, "\xEF\xBB\xBF" "entry_id,participant_id,posting_id,date,minutes,void,"
                             "paid_minutes,amount_krw\r\n");
    free(csv);
    nj_registry_destroy(empty);
    nj_registry_destroy(back);
    nj_registry_destroy(reg);
}

/* import -> export -> import gives the same registry, and the second export
 * the same bytes, for every type. */
static void round_trip(nj_registry *(*setup)(test_allocator *), int32_t object, const char *csv)
{
    nj_registry *first = setup(NULL), *second = setup(NULL);
    assert_int_equal(import(first, object, csv), NJ_OK);
    size_t len1, len2;
    char *e1 = export_all(first, object, &len1);
    assert_int_equal(nj_csv_import(second, object, e1, len1, NJ_ENCODING_UTF8, NULL), NJ_OK);
    char *e2 = export_all(second, object, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(e1, e2, len1);
    char *d1 = test_registry_dump(first), *d2 = test_registry_dump(second);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    free(e1);
    free(e2);
    nj_registry_destroy(first);
    nj_registry_destroy(second);
}

static void test_round_trips(void **state)
{
    (void)state;
    round_trip(empty_registry, NJ_CSV_REGIONS,
               "id,level,parent_id,name,geometry\n"
               "11,1,,서울,\"MULTIPOLYGON (((126.91920507407151 35.15325407909361, 127 35, 127 36)),"
               "((1 1, 2 2, 3 1, 1 1)))\"\n11590,district,11,동작구,\n1159051000,3,11590,노량진1동,\n");
    round_trip(regions_registry, NJ_CSV_FACILITIES,
               "id,kind,name,lat,lon,region_id\n9,library,\"=a, b\",35.14492618,126.7997822,\n"
               "5,경로당,\"x\"\"y\",35.15,126.75,29200\n");
    round_trip(facility_registry, NJ_CSV_POSTINGS,
               "id,facility_id,title,slots,radius_m,work_start,work_end,early_close_ratio,status\n"
               "30,1,'+t,3,0.1,20240101,20240301,2.5,closed\n29,1,u,0,,,,,\n");
    round_trip(regions_registry, NJ_CSV_PARTICIPANTS,
               "id,birth_date,lat,lon,verified_date,region_id,foreign\n"
               "7,19800101,35.123456789,126.7,20240101,,1\n6,19700101,-33.9,151.2,20240101,29,0\n");
    /* Interleaved dates: the export order keeps both orders of application. */
    round_trip(base_registry, NJ_CSV_APPLICATIONS,
               "participant_id,posting_id,date,status\n101,10,20240205,withdrawn\n"
               "100,10,20240201,applied\n");
    round_trip(regions_registry, NJ_CSV_TARGETS,
               "year,region_id,programme_type,target\n2024,29,all,9\n2023,2920051500,2,0\n");
    round_trip(selected_registry, NJ_CSV_WORK_ENTRIES,
               "entry_id,participant_id,posting_id,date,minutes,void\n"
               "9,100,10,20240310,480,\n3,100,10,20240305,120,1\n5,100,10,20240301,30,0\n");
}

/* Applications written in an order unlike either list's: the export keeps
 * every posting's and every participant's order of application. */
static void test_application_orders(void **state)
{
    (void)state;
    nj_registry *first = base_registry(NULL), *second = base_registry(NULL);
    for (nj_registry **r = (nj_registry *[]){first, second, NULL}; *r; r++) {
        assert_int_equal(nj_posting_add(*r, 11, 1, "b", 5, NULL), NJ_OK);
        assert_int_equal(nj_posting_add(*r, 12, 1, "c", 5, NULL), NJ_OK);
        assert_int_equal(nj_participant_add(*r, 102, 19600101, 0, 35.11, 126.71, 20240101, 0, NULL),
                         NJ_OK);
    }
    /* Dates disagree with the order of application on purpose. */
    static const char csv[] = "participant_id,posting_id,date\n"
                              "102,12,20240209\n100,11,20240205\n101,12,20240201\n"
                              "100,12,20240203\n102,11,20240202\n101,10,20240208\n"
                              "100,10,20240204\n102,10,20240207\n101,11,20240206\n";
    assert_int_equal(import(first, NJ_CSV_APPLICATIONS, csv), NJ_OK);
    size_t len;
    char *out = export_all(first, NJ_CSV_APPLICATIONS, &len);
    assert_int_equal(nj_csv_import(second, NJ_CSV_APPLICATIONS, out, len, NJ_ENCODING_UTF8, NULL),
                     NJ_OK);
    for (int64_t q = 10; q <= 12; q++) {
        const nj_posting *a = nj_posting_get(first, q), *b = nj_posting_get(second, q);
        assert_int_equal(nj_posting_application_count(a), 3);
        for (size_t i = 0; i < 3; i++) {
            int64_t pa, pb;
            nj_posting_application_at(a, i, &pa, NULL, NULL, NULL);
            nj_posting_application_at(b, i, &pb, NULL, NULL, NULL);
            assert_int_equal(pa, pb);
        }
    }
    for (int64_t p = 100; p <= 102; p++) {
        const nj_participant *a = nj_participant_get(first, p), *b = nj_participant_get(second, p);
        assert_int_equal(nj_participant_application_count(a), 3);
        for (size_t i = 0; i < 3; i++) {
            int64_t qa, qb;
            nj_participant_application_at(a, i, &qa, NULL, NULL);
            nj_participant_application_at(b, i, &qb, NULL, NULL);
            assert_int_equal(qa, qb);
        }
    }
    /* The order found: of the ready applications, the earliest date first. */
    assert_string_equal(out, "\xEF\xBB\xBFparticipant_id,posting_id,date,status,rank\r\n"
                             "100,11,2024-02-05,applied,0\r\n102,12,2024-02-09,applied,0\r\n"
                             "101,12,2024-02-01,applied,0\r\n102,11,2024-02-02,applied,0\r\n"
                             "100,12,2024-02-03,applied,0\r\n101,10,2024-02-08,applied,0\r\n"
                             "100,10,2024-02-04,applied,0\r\n101,11,2024-02-06,applied,0\r\n"
                             "102,10,2024-02-07,applied,0\r\n");
    free(out);
    nj_registry_destroy(first);
    nj_registry_destroy(second);
}

/* ---- the real files (tests/data/README.md) ------------------------------- */

#define DATA(name) NJ_TEST_DATA_DIR "/" name

/* The same CSV with one header cell renamed: how the tests import a file's
 * own adm_cd2 column as the facilities' explicit region. */
static char *with_header(const char *path, const char *from, const char *to, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = malloc(1 << 20);
    size_t n = fread(text, 1, 1 << 20, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    assert_non_null(at);
    assert_true(at < strchr(text, '\n'));
    char *out = malloc(n + strlen(to) + 1);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    *len = strlen(out);
    free(text);
    return out;
}

/* The facilities of `reg` (imported from `csv` with derived regions) have
 * the regions the file's adm_cd2 column names, imported as explicit
 * regions into a second registry. */
static void expect_regions_as_file(const nj_registry *reg, const char *geojson, const char *csv)
{
    nj_registry *named;
    assert_int_equal(nj_registry_create(&named), NJ_OK);
    assert_int_equal(nj_geojson_import_regions_file(named, geojson, NULL), NJ_OK);
    size_t len, n;
    char *text = with_header(csv, ",adm_cd2,", ",행정동코드,", &len);
    assert_int_equal(nj_csv_import(named, NJ_CSV_FACILITIES, text, len, NJ_ENCODING_UTF8, &n), NJ_OK);
    assert_int_equal(n, nj_facility_count(reg));
    for (int64_t id = 1; id <= (int64_t)n; id++) {
        assert_int_not_equal(nj_facility_region_id(nj_facility_get(reg, id)), 0);
        assert_int_equal(nj_facility_region_id(nj_facility_get(reg, id)),
                         nj_facility_region_id(nj_facility_get(named, id)));
    }
    free(text);
    nj_registry_destroy(named);
}

static void test_gwangju_files(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    size_t n;
    assert_int_equal(nj_geojson_import_regions_file(reg, DATA("admdong_gwangju_all.geojson"), &n),
                     NJ_OK);
    assert_int_equal(n, 1 + 5 + 96);
    assert_string_equal(nj_region_name(nj_region_get(reg, 2920051500)), "송정1동");
    assert_int_equal(nj_region_parent_id(nj_region_get(reg, 2920051500)), 29200);
    size_t np, nr, nv;
    assert_int_equal(nj_region_boundary_counts(nj_region_get(reg, 2911052500), &np, &nr, &nv), NJ_OK);
    assert_true(np >= 1 && nv > 3);
    assert_int_equal(nj_csv_import_file(reg, NJ_CSV_FACILITIES,
                                        DATA("facilities_gwangju_libraries.csv"),
                                        NJ_ENCODING_UTF8, &n), NJ_OK);
    assert_int_equal(n, 318);
    /* First and last rows, checked by hand against the file. */
    const nj_facility *first = nj_facility_get(reg, 1), *last = nj_facility_get(reg, 318);
    assert_string_equal(nj_facility_name(first), "광주광역시교육청송정다가치문화도서관");
    assert_true(nj_facility_lat(first) == 35.1449262);  /* 35.14492618 to 1e-7 */
    assert_true(nj_facility_lon(first) == 126.7997822);
    assert_int_equal(nj_facility_region_id(first), 2920056500);
    assert_string_equal(nj_facility_name(last), "화정문고");
    assert_true(nj_facility_lat(last) == 35.1476844);
    assert_int_equal(nj_facility_region_id(last), 2914078000);
    for (size_t i = 0; i < nj_facility_count(reg); i++)
        assert_int_equal(nj_facility_kind(nj_facility_at(reg, i)), NJ_FACILITY_LIBRARY);
    /* The region each library derives from its location is the file's
     * adm_cd2, for all 318. */
    expect_regions_as_file(reg, DATA("admdong_gwangju_all.geojson"),
                           DATA("facilities_gwangju_libraries.csv"));
    nj_registry_destroy(reg);
}

static void test_dongjak_childcare(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    size_t n;
    assert_int_equal(nj_geojson_import_regions_file(reg, DATA("admdong_seoul_dongjak.geojson"), &n),
                     NJ_OK);
    assert_int_equal(n, 1 + 1 + 15);
    assert_int_equal(nj_csv_import_file(reg, NJ_CSV_FACILITIES,
                                        DATA("facilities_seoul_dongjak_childcare.csv"),
                                        NJ_ENCODING_AUTO, &n), NJ_OK);
    assert_int_equal(n, 36); /* 22 지역아동센터 + 14 우리동네키움센터 */
    for (size_t i = 0; i < nj_facility_count(reg); i++)
        assert_int_equal(nj_facility_kind(nj_facility_at(reg, i)), NJ_FACILITY_CHILDRENS_CENTRE);
    const nj_facility *first = nj_facility_get(reg, 1), *last = nj_facility_get(reg, 36);
    assert_string_equal(nj_facility_name(first), "동작10호점 융합형 우리동네키움센터(대방동)");
    assert_true(nj_facility_lat(first) == 37.4996 && nj_facility_lon(first) == 126.92518);
    assert_int_equal(nj_facility_region_id(first), 1159066000);
    assert_string_equal(nj_facility_name(last), "흑석희망지역아동센터");
    assert_int_equal(nj_facility_region_id(last), 1159060500);
    expect_regions_as_file(reg, DATA("admdong_seoul_dongjak.geojson"),
                           DATA("facilities_seoul_dongjak_childcare.csv"));
    nj_registry_destroy(reg);
}

static void test_geojson_errors(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    char *before = test_registry_dump(reg);
    static const struct {
        const char *text;
        nj_status status;
        const char *message;
    } cases[] = {
        {"{\"type\":\"FeatureCollection\",\n \"features\":[1,]}", NJ_E_CORRUPT,
         "line 2, column 16: expected a JSON value"},
        {"[]", NJ_E_CORRUPT, "line 1, column 1: feature 0: not a GeoJSON FeatureCollection"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
         "{\"id\":5,\"name\":\"a\",\"level\":\"neighbourhood\",\"parent_id\":29200},\"geometry\":null},\n"
         "{\"type\":\"Feature\",\"properties\":{\"id\":5,\"name\":\"b\"},\"geometry\":null}]}",
         NJ_E_EXISTS, "line 2, column 1: feature 1: region 5 appears twice, in the features on lines 1 and 2"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
         "{\"id\":5,\"name\":\"a\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
         "[[[126,35],[127,95],[127,36]]]}}]}",
         NJ_E_RANGE, "feature 0: region 5: boundary: vertex 1: latitude 95 outside"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
         "{\"id\":\"12a\",\"name\":\"a\"},\"geometry\":null}]}",
         NJ_E_CORRUPT, "column 78: feature 0: property \"id\" is missing or not a positive code"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
         "{\"name\":\"\\ud800\"}}]}", NJ_E_ENCODING,
         "line 1, column 81: high surrogate without a low surrogate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = 7;
        assert_int_equal(nj_geojson_import_regions(reg, cases[i].text, strlen(cases[i].text), &n),
                         cases[i].status);
        assert_int_equal(n, 0);
        if (!strstr(nj_registry_errmsg(reg), cases[i].message))
            fail_msg("\"%s\" lacks \"%s\"", nj_registry_errmsg(reg), cases[i].message);
        char *after = test_registry_dump(reg);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
    nj_registry_destroy(reg);
}

/* ---- arguments ----------------------------------------------------------- */

static void test_arguments(void **state)
{
    (void)state;
    nj_registry *reg = base_registry(NULL);
    size_t n;
    assert_int_equal(nj_csv_import(NULL, NJ_CSV_FACILITIES, "", 0, NJ_ENCODING_UTF8, &n), NJ_E_INVALID);
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, NULL, 5, NJ_ENCODING_UTF8, &n), NJ_E_INVALID);
    assert_int_equal(nj_csv_import(reg, 0, "", 0, NJ_ENCODING_UTF8, &n), NJ_E_INVALID);
    assert_non_null(strstr(nj_registry_errmsg(reg), "not an nj_csv_object"));
    assert_int_equal(nj_csv_import(reg, 8, "", 0, NJ_ENCODING_UTF8, &n), NJ_E_INVALID);
    assert_int_equal(nj_csv_import(reg, NJ_CSV_FACILITIES, "", 0, 4, &n), NJ_E_INVALID);
    assert_int_equal(nj_csv_import_file(reg, NJ_CSV_FACILITIES, NULL, NJ_ENCODING_UTF8, &n), NJ_E_INVALID);
    assert_int_equal(nj_csv_import_file(reg, NJ_CSV_FACILITIES, "/nonexistent/x.csv", NJ_ENCODING_UTF8,
                                        &n), NJ_E_IO);
    assert_non_null(strstr(nj_registry_errmsg(reg),
                           "CSV import: open(\"/nonexistent/x.csv\"): No such file"));
    size_t size;
    char buf[8];
    assert_int_equal(nj_csv_export(NULL, NJ_CSV_FACILITIES, buf, 8, &size), NJ_E_INVALID);
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, buf, 8, NULL), NJ_E_INVALID);
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, NULL, 8, &size), NJ_E_INVALID);
    assert_int_equal(nj_csv_export(reg, 0, NULL, 0, &size), NJ_E_INVALID);
    char msg[256];
    assert_int_equal(nj_csv_export_file(reg, NJ_CSV_FACILITIES, "/nonexistent/x.csv", msg,
                                        sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "CSV export: open(\"/nonexistent/x.csv.tmp\"): No such file"));
    /* Read-only: the registry's own message is left alone. */
    assert_null(strstr(nj_registry_errmsg(reg), "CSV export"));
    assert_int_equal(nj_csv_export_file(reg, NJ_CSV_FACILITIES, NULL, msg, sizeof msg),
                     NJ_E_INVALID);
    assert_string_equal(msg, "CSV export: path is NULL");
    assert_int_equal(nj_csv_export_file(NULL, NJ_CSV_FACILITIES, "x", NULL, 0), NJ_E_INVALID);
    assert_int_equal(nj_csv_export_file(reg, 8, "x", msg, sizeof msg), NJ_E_INVALID);
    assert_string_equal(msg, "CSV export: object 8 is not an nj_csv_object (1..7)");
    /* A message that does not fit is cut, NUL-terminated. */
    assert_int_equal(nj_csv_export_file(reg, 8, "x", msg, 11), NJ_E_INVALID);
    assert_string_equal(msg, "CSV export");
    assert_int_equal(nj_geojson_import_regions(NULL, "", 0, &n), NJ_E_INVALID);
    assert_int_equal(nj_geojson_import_regions(reg, NULL, 0, &n), NJ_E_INVALID);
    assert_int_equal(nj_geojson_import_regions_file(reg, NULL, &n), NJ_E_INVALID);
    assert_int_equal(nj_geojson_import_regions_file(reg, "/nonexistent.json", &n), NJ_E_IO);
    nj_registry_destroy(reg);
}

/* ---- allocation failures ------------------------------------------------- */

static const char *oom_csv;
static int32_t oom_object;

static nj_status oom_import(nj_registry *reg)
{
    return import(reg, oom_object, oom_csv);
}

static nj_status oom_export(nj_registry *reg)
{
    size_t size;
    char buf[2048];
    return nj_csv_export(reg, oom_object, buf, sizeof buf, &size);
}

static nj_status oom_export_file(nj_registry *reg)
{
    return nj_csv_export_file(reg, oom_object, "/tmp/nj-test-io-oom.csv", NULL, 0);
}

static nj_status oom_geojson(nj_registry *reg)
{
    return nj_geojson_import_regions(reg, oom_csv, strlen(oom_csv), NULL);
}

/* The SQLite loop over every importer and exporter: each failure is
 * NJ_E_NOMEM with the registry unchanged and nothing leaked. */
static void test_allocation_failures(void **state)
{
    (void)state;
    static const struct {
        int32_t object;
        test_setup_fn setup;
        const char *csv;
    } cases[] = {
        {NJ_CSV_REGIONS, base_registry,
         "id,level,parent_id,name,geometry\n5,1,,a,\"POLYGON ((1 2, 3 4, 5 6))\"\n"
         "6,3,5,b,\"{\"\"type\"\":\"\"MultiPolygon\"\",\"\"coordinates\"\":[[[[1,2],[3,4],[5,7]]]]}\"\n"},
        {NJ_CSV_FACILITIES, base_registry,
         "id,kind,name,lat,lon\n7,library,\"a\"\"b\",35.15,126.75\n8,other,c,35,126\n"},
        {NJ_CSV_POSTINGS, base_registry,
         "id,facility_id,title,slots,radius_m,work_start,work_end\n20,1,t,1,5,20240101,20240201\n21,1,u,2,,,\n"},
        {NJ_CSV_PARTICIPANTS, base_registry,
         "id,birth_date,lat,lon,verified_date\n7,19800101,35.15,126.75,20240101\n8,19800101,35,126,20240101\n"},
        {NJ_CSV_APPLICATIONS, base_registry,
         "participant_id,posting_id,date,status\n100,10,20240201,\n101,10,20240202,withdrawn\n"},
        {NJ_CSV_WORK_ENTRIES, selected_registry,
         "entry_id,participant_id,posting_id,date,minutes,void\n1,100,10,20240301,60,\n2,100,10,20240302,60,1\n"},
        {NJ_CSV_TARGETS, regions_registry,
         "year,region_id,programme_type,target\n2024,29,all,9\n2024,29200,direct_jobs,3\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oom_object = cases[i].object;
        oom_csv = cases[i].csv;
        size_t imports = test_count_oom_failures(cases[i].setup, oom_import);
        size_t exports = test_count_oom_failures(cases[i].setup, oom_export) +
                         test_count_oom_failures(cases[i].setup, oom_export_file);
        print_message("# object %d: %zu import and %zu export allocation failures injected\n",
                      (int)oom_object, imports, exports);
        assert_true(imports >= 5);
        assert_true(exports >= 4);
    }
    remove("/tmp/nj-test-io-oom.csv");
    oom_csv = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
              "{\"adm_cd2\":\"1159051000\",\"adm_nm\":\"서울특별시 동작구 노량진1동\",\"sgg\":\"11590\","
              "\"sggnm\":\"동작구\",\"sido\":11,\"sidonm\":\"서울특별시\"},\"geometry\":{\"type\":"
              "\"MultiPolygon\",\"coordinates\":[[[[126.9,37.5],[127,37.5],[127,37.6]]]]}}]}";
    size_t geojson = test_count_oom_failures(base_registry, oom_geojson);
    print_message("# GeoJSON: %zu allocation failures injected\n", geojson);
    assert_true(geojson >= 10);
}


/* ---- a bulk import of participants -------------------------------------- */

/* 1 500 participants on a line of latitude 0.001 degree apart: more than
 * the spatial index's delta takes, so the import files them in one
 * rebuild at the end. `bad_last` makes the last row's latitude 91. */
static char *bulk_participants_csv(int bad_last)
{
    enum { ROWS = 1500 };
    size_t cap = 64 + (size_t)ROWS * 64, len;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len = (size_t)snprintf(csv, cap, "id,birth_date,lat,lon,verified_date\n");
    for (int i = 0; i < ROWS; i++)
        len += (size_t)snprintf(csv + len, cap - len, "%d,19800101,%s%.3f,126.5,20240101\n",
                                1000 + i, bad_last && i == ROWS - 1 ? "9" : "",
                                bad_last && i == ROWS - 1 ? 1.0 : 34.0 + 0.001 * i);
    return csv;
}

/* Participants within 200 km of (34.75, 126.5): the whole line and the two
 * of base_registry. */
static size_t participants_near(const nj_registry *reg)
{
    size_t count = 0;
    nj_status st = nj_query_radius_into(reg, NJ_MATCH_PARTICIPANTS, 34.75, 126.5, 200000.0,
                                        NJ_ORDER_NONE, 0, NULL, NULL, 0, &count);
    assert_int_equal(st, count ? NJ_E_BUFFER_TOO_SMALL : NJ_OK);
    return count;
}

static void test_bulk_participants(void **state)
{
    (void)state;
    test_allocator a;
    nj_registry *reg = base_registry(&a);
    char *bad = bulk_participants_csv(1), *good = bulk_participants_csv(0);
    assert_int_equal(participants_near(reg), 2);

    /* A bad last row takes back the 1 499 rows before it, index included. */
    import_fails_n(reg, NJ_CSV_PARTICIPANTS, bad, strlen(bad), NJ_ENCODING_UTF8, NJ_E_RANGE,
                   "line 1501, column 15 (lat)", "91.000 outside [-90, 90]");
    assert_int_equal(participants_near(reg), 2);

    assert_int_equal(import(reg, NJ_CSV_PARTICIPANTS, good), NJ_OK);
    assert_int_equal(nj_participant_count(reg), 1502);
    assert_int_equal(participants_near(reg), 1502);
    /* Filed exactly: the nearest to the line's 701st point is that point. */
    int64_t id;
    double d;
    size_t count;
    assert_int_equal(nj_query_radius_into(reg, NJ_MATCH_PARTICIPANTS, 34.7, 126.5, 1.0,
                                          NJ_ORDER_DISTANCE, 1, &id, &d, 1, &count), NJ_OK);
    assert_int_equal(count, 1);
    assert_int_equal(id, 1700);
    assert_true(d == 0.0);
    nj_registry_destroy(reg);
    free(bad);
    free(good);
}

static const char *bulk_csv;

static nj_status oom_bulk_import(nj_registry *reg)
{
    return import(reg, NJ_CSV_PARTICIPANTS, bulk_csv);
}

/* A failed import leaves the index as it was, a good one holds all. */
static void bulk_index_check(const nj_registry *reg, nj_status status)
{
    assert_int_equal(participants_near(reg), status == NJ_OK ? 1502 : 2);
}

/* Every allocation of the bulk path fails in turn, the index's rebuild at
 * the end included: NJ_E_NOMEM, the registry and its index unchanged. */
static void test_bulk_participants_allocation_failures(void **state)
{
    (void)state;
    char *csv = bulk_participants_csv(0);
    bulk_csv = csv;
    size_t injected = test_count_oom_failures_checked(base_registry, oom_bulk_import,
                                                      bulk_index_check);
    print_message("# bulk participant import: %zu allocation failures injected\n", injected);
    assert_true(injected >= 1500);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coordinates_refused),
        cmocka_unit_test(test_radius_and_money_refused),
        cmocka_unit_test(test_ledger_rules),
        cmocka_unit_test(test_invalid_utf8_and_nul),
        cmocka_unit_test(test_quotes_and_line_ends),
        cmocka_unit_test(test_cp949_files),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_regions_with_geometry),
        cmocka_unit_test(test_postings_and_applications),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_export_format),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_application_orders),
        cmocka_unit_test(test_gwangju_files),
        cmocka_unit_test(test_dongjak_childcare),
        cmocka_unit_test(test_geojson_errors),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_bulk_participants),
        cmocka_unit_test(test_bulk_participants_allocation_failures),
    };
    return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
