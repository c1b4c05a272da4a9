/*
 * The text machinery under CSV and GeoJSON import, tested directly (static
 * library): numbers (against glibc's correctly rounded strtod in the C
 * locale), the RFC 4180 reader with its positions, the writer and sink,
 * WKT, CP949, JSON, and the file layer with injected system-call faults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_internal.h"
#include "encoding_internal.h"
#include "file_io_internal.h"
#include "io_internal.h"
#include "json_internal.h"
#include "number_internal.h"
#include "wkt_internal.h"

/* ---- numbers ------------------------------------------------------------- */

static nj_status parse(const char *text, int grammar, double *out)
{
    return nj_number_parse_double(text, strlen(text), grammar, out);
}

static void test_number_grammar(void **state)
{
    (void)state;
    double x;
    static const char *const corrupt[] = {
        "", "-", "+", ".", "inf", "-inf", "Infinity", "nan", "NaN", "0x1p3",
        "0x10", "1e", "e5", "--1", "1..2", "1.2.3", "1,5", " 1", "1 ", "1e+",
        "1f", "١"};
    for (size_t i = 0; i < sizeof corrupt / sizeof corrupt[0]; i++) {
        assert_int_equal(parse(corrupt[i], NJ_NUMBER_LENIENT, &x), NJ_E_CORRUPT);
        assert_int_equal(parse(corrupt[i], NJ_NUMBER_JSON, &x), NJ_E_CORRUPT);
    }
    /* The lenient grammar of cells; JSON refuses these. */
    static const char *const lenient[] = {"+5", "5.", ".5", "007", "-.5", "+0"};
    for (size_t i = 0; i < sizeof lenient / sizeof lenient[0]; i++) {
        assert_int_equal(parse(lenient[i], NJ_NUMBER_LENIENT, &x), NJ_OK);
        assert_int_equal(parse(lenient[i], NJ_NUMBER_JSON, &x), NJ_E_CORRUPT);
    }
    assert_int_equal(parse("-0", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == 0.0 && !signbit(x));
    assert_int_equal(parse("0e99999999999999", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == 0.0);
    /* Out of range, including what strtod would turn into inf or 0. */
    static const char *const range[] = {
        "1e308", "1.7976931348623157e308", "1e300", "-1e300", "1e-301",
        "2.2250738585072014e-308", "4.9e-324", "1e99999999999999999",
        "12345678901234567890123456789012345678901", /* 41 digits */
    };
    for (size_t i = 0; i < sizeof range / sizeof range[0]; i++)
        assert_int_equal(parse(range[i], NJ_NUMBER_LENIENT, &x), NJ_E_RANGE);
    /* Limits that are inside. */
    assert_int_equal(parse("9.999999999999999e299", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == strtod("9.999999999999999e299", NULL));
    assert_int_equal(parse("1e-300", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == 1e-300);
    assert_int_equal(parse("1234567890123456789012345678901234567890", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == 1234567890123456789012345678901234567890.0);
    /* Trailing zeros are not significant digits. */
    assert_int_equal(parse("1.000000000000000000000000000000000000000000000000", NJ_NUMBER_JSON, &x), NJ_OK);
    assert_true(x == 1.0);
    assert_int_equal(nj_number_span("12.5e3,", 7, NJ_NUMBER_JSON), 6);
    assert_int_equal(nj_number_span("1e,", 3, NJ_NUMBER_JSON), 1);
}

/* Halfway cases need the exact comparison; the fast path cannot see them. */
static void test_number_rounding_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "9007199254740993",          /* 2^53 + 1: ties to even, 2^53 */
        "9007199254740995",          /* ties to even, up */
        "9007199254740993.0000000000000000001",
        "0.1", "0.2", "0.3", "35.1449262", "126.7997822", "126.91920507407151",
        "35.153225637406486", "2.2250738585072011e-300", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "123456789012345678e-310", "7.2057594037927933e16", "5e-324e0",
        "179769313486231570000000000000000000000e-38",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double x, expect;
        char *end;
        expect = strtod(cases[i], &end);
        nj_status st = parse(cases[i], NJ_NUMBER_LENIENT, &x);
        if (*end != '\0') {
            assert_int_not_equal(st, NJ_OK);
            continue;
        }
        if (st == NJ_E_RANGE)
            continue; /* more than 40 digits */
        assert_int_equal(st, NJ_OK);
        if (x != expect)
            fail_msg("%s: %.17g, strtod %.17g", cases[i], x, expect);
    }
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Random decimals against strtod, which glibc rounds correctly; the test
 * runs in the "C" locale, so strtod reads '.'. */
static void test_number_matches_strtod(void **state)
{
    (void)state;
    uint64_t seed = 42;
    char text[96];
    for (int i = 0; i < 200000; i++) {
        int digits = 1 + (int)(next_random(&seed) % 25);
        int point = (int)(next_random(&seed) % (uint64_t)(digits + 1));
        int exponent = (int)(next_random(&seed) % 560) - 280;
        size_t n = 0;
        if (next_random(&seed) & 1)
            text[n++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point && d > 0)
                text[n++] = '.';
            text[n++] = (char)('0' + next_random(&seed) % 10);
        }
        n += (size_t)snprintf(text + n, sizeof text - n, "e%d", exponent);
        double x, expect = strtod(text, NULL);
        nj_status st = nj_number_parse_double(text, n, NJ_NUMBER_LENIENT, &x);
        if (st == NJ_E_RANGE) {
            assert_true(fabs(expect) >= 1e300 || fabs(expect) < 1e-300);
            continue;
        }
        assert_int_equal(st, NJ_OK);
        if (x != expect)
            fail_msg("%s: %.17g, strtod %.17g", text, x, expect);
    }
}

static void test_number_format_round_trip(void **state)
{
    (void)state;
    char buf[NJ_NUMBER_TEXT_MAX];
    assert_int_equal(nj_number_format_double(buf, 35.1449262), 10);
    assert_string_equal(buf, "35.1449262");
    nj_number_format_double(buf, 0.1);
    assert_string_equal(buf, "0.1");
    nj_number_format_double(buf, 1e-7);
    assert_string_equal(buf, "0.0000001");
    nj_number_format_double(buf, -126.0000001);
    assert_string_equal(buf, "-126.0000001");
    nj_number_format_double(buf, 1e-8);
    assert_string_equal(buf, "1e-08");
    nj_number_format_double(buf, 1e12);
    assert_string_equal(buf, "1000000000000");
    nj_number_format_double(buf, -0.0);
    assert_string_equal(buf, "0");
    nj_number_format_double(buf, 2000);
    assert_string_equal(buf, "2000");
    nj_number_format_double(buf, 126.91920507407151);
    assert_string_equal(buf, "126.91920507407151");
    uint64_t seed = 7;
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = next_random(&seed);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (!isfinite(x) || fabs(x) >= 1e300 || fabs(x) < 1e-300)
            continue;
        size_t len = nj_number_format_double(buf, x);
        double back;
        assert_int_equal(nj_number_parse_double(buf, len, NJ_NUMBER_LENIENT, &back), NJ_OK);
        if (back != x)
            fail_msg("%.17g printed as %s", x, buf);
    }
    /* Coordinates as the registry stores them: k / 10^7 degrees. */
    for (int i = 0; i < 200000; i++) {
        int64_t k = (int64_t)(next_random(&seed) % 3600000001ULL) - 1800000000;
        double x = (double)k / 1e7, back;
        size_t len = nj_number_format_double(buf, x);
        const char *point = strchr(buf, '.');
        assert_true(!point || strlen(point + 1) <= 7);
        assert_int_equal(nj_number_parse_double(buf, len, NJ_NUMBER_LENIENT, &back), NJ_OK);
        if (back != x)
            fail_msg("%.17g printed as %s", x, buf);
    }
    assert_int_equal(nj_number_format_int64(buf, INT64_MIN), 20);
    assert_string_equal(buf, "-9223372036854775808");
    nj_number_format_int64(buf, 0);
    assert_string_equal(buf, "0");
}

static void test_int64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(nj_number_parse_int64("9223372036854775807", 19, &v), NJ_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(nj_number_parse_int64("-9223372036854775808", 20, &v), NJ_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(nj_number_parse_int64("9223372036854775808", 19, &v), NJ_E_RANGE);
    assert_int_equal(nj_number_parse_int64("-9223372036854775809", 20, &v), NJ_E_RANGE);
    assert_int_equal(nj_number_parse_int64("+0042", 5, &v), NJ_OK);
    assert_int_equal(v, 42);
    static const char *const bad[] = {"", "-", "+", "1.0", "1e3", "0x1", " 1", "١"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(nj_number_parse_int64(bad[i], strlen(bad[i]), &v), NJ_E_CORRUPT);
}

/* ---- the reader ---------------------------------------------------------- */

static void start_reading(nj_csv_reader *r, const char *text, size_t len,
                          size_t max_field)
{
    nj_csv_reader_init(r, &nj_alloc_default, text, len, max_field, 1);
}

static void expect_field(const nj_csv_reader *r, size_t f, const char *text,
                         size_t line, size_t column)
{
    assert_true(f < r->n_fields);
    assert_int_equal(r->fields[f].len, strlen(text));
    assert_memory_equal(r->fields[f].text, text, strlen(text));
    nj_text_pos pos = nj_csv_position(r, f, r->fields[f].start.offset);
    assert_int_equal(pos.line, line);
    assert_int_equal(pos.column, column);
}

static void test_reader_records(void **state)
{
    (void)state;
    /* BOM, quoted comma, doubled quotes, a quoted CRLF, a lone CR, LF, a
     * trailing empty field, Hangul columns. */
    static const char text[] = "\xEF\xBB\xBF" "a,\"b,c\",\"d\"\"e\"\r\n"
                               "\"x\r\ny\",가나,\r"
                               "last,\"\",\n";
    nj_csv_reader r;
    start_reading(&r, text, sizeof text - 1, 100);
    assert_int_equal(nj_csv_read_record(&r), NJ_OK);
    assert_int_equal(r.n_fields, 3);
    expect_field(&r, 0, "a", 1, 1);
    expect_field(&r, 1, "b,c", 1, 3);
    expect_field(&r, 2, "d\"e", 1, 9);
    assert_int_equal(nj_csv_read_record(&r), NJ_OK);
    assert_int_equal(r.n_fields, 3);
    expect_field(&r, 0, "x\r\ny", 2, 1);
    expect_field(&r, 1, "가나", 3, 4);  /* after the embedded line break */
    expect_field(&r, 2, "", 3, 7);
    assert_int_equal(nj_csv_read_record(&r), NJ_OK);
    assert_int_equal(r.n_fields, 3);
    expect_field(&r, 0, "last", 4, 1);
    expect_field(&r, 1, "", 4, 6);
    expect_field(&r, 2, "", 4, 9);
    assert_int_equal(nj_csv_read_record(&r), NJ_OK);
    assert_int_equal(r.n_fields, 0);
    nj_csv_reader_free(&r);
}

static void expect_error(const char *text, size_t len, size_t max_field,
                         nj_status status, size_t line, size_t column,
                         const char *reason)
{
    nj_csv_reader r;
    nj_status st;
    start_reading(&r, text, len, max_field);
    do
        st = nj_csv_read_record(&r);
    while (st == NJ_OK && r.n_fields > 0);
    assert_int_equal(st, status);
    assert_int_equal(r.error.pos.line, line);
    assert_int_equal(r.error.pos.column, column);
    if (!strstr(r.error.reason, reason))
        fail_msg("reason \"%s\" lacks \"%s\"", r.error.reason, reason);
    nj_csv_reader_free(&r);
}

static void test_reader_errors(void **state)
{
    (void)state;
    /* The unterminated quote is reported where it opened. */
    expect_error("a,b\nc,\"d,e\nf,g\n", 15, 100, NJ_E_CORRUPT, 2, 3, "unterminated");
    expect_error("a,\"b\"c,d\n", 9, 100, NJ_E_CORRUPT, 1, 6, "after the closing quote");
    expect_error("a,\"b\" ,d\n", 9, 100, NJ_E_CORRUPT, 1, 6, "after the closing quote");
    expect_error("a,b\nc,d\0e\n", 10, 100, NJ_E_ENCODING, 2, 4, "NUL");
    expect_error("a,\"x\ny\0\"\n", 9, 100, NJ_E_ENCODING, 2, 2, "NUL");
    /* Overlong '/', a surrogate, above U+10FFFF, a stray continuation. */
    expect_error("가,\xC0\xAF\n", 6, 100, NJ_E_ENCODING, 1, 3, "invalid UTF-8 byte 0xC0");
    expect_error("x\ny,\xED\xA0\x80\n", 8, 100, NJ_E_ENCODING, 2, 3, "0xED");
    expect_error("\xF4\x90\x80\x80\n", 5, 100, NJ_E_ENCODING, 1, 1, "0xF4");
    expect_error("ab\x80\n", 4, 100, NJ_E_ENCODING, 1, 3, "0x80");
    /* CP949 bytes (가 = B0 A1) get the hint. */
    expect_error("name\n\xB0\xA1\n", 8, 100, NJ_E_ENCODING, 2, 1,
                 "invalid UTF-8 byte 0xB0 (looks CP949/EUC-KR; declare the encoding)");
    /* The field limit counts unescaped bytes. */
    expect_error("abc,abcd\n", 9, 3, NJ_E_RANGE, 1, 5, "limit of 3");
    nj_csv_reader r;
    start_reading(&r, "\"a\"\"b\"", 6, 3);
    assert_int_equal(nj_csv_read_record(&r), NJ_OK);
    expect_field(&r, 0, "a\"b", 1, 1);
    nj_csv_reader_free(&r);
}

/* ---- writing ------------------------------------------------------------- */

static void test_formula_prefix(void **state)
{
    (void)state;
    static const char *const dangerous[] = {"=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx",
                                            "'=x", "''+x"};
    static const char *const safe[] = {"a=b", "'x", "''", "", "1", " =x"};
    char buf[64];
    for (size_t i = 0; i < sizeof dangerous / sizeof dangerous[0]; i++) {
        nj_sink s = {buf, sizeof buf, 0, 0, NULL, NULL, NJ_OK};
        nj_csv_write_field(&s, dangerous[i], strlen(dangerous[i]), 1, 1);
        size_t quoted = buf[0] == '"';
        assert_int_equal(buf[quoted], '\'');
        /* Import takes exactly that quote off again. */
        assert_int_equal(nj_csv_formula_prefix(buf + quoted, strlen(dangerous[i]) + 1), 1);
    }
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++) {
        nj_sink s = {buf, sizeof buf, 0, 0, NULL, NULL, NJ_OK};
        nj_csv_write_field(&s, safe[i], strlen(safe[i]), 1, 1);
        assert_int_equal(s.total, strlen(safe[i]));
        assert_int_equal(nj_csv_formula_prefix(safe[i], strlen(safe[i])), 0);
    }
    /* Not free text: a number column keeps its minus sign. */
    nj_sink s = {buf, sizeof buf, 0, 0, NULL, NULL, NJ_OK};
    nj_csv_write_field(&s, "-5", 2, 1, 0);
    assert_int_equal(s.total, 2);
}

static void test_writer_quotes(void **state)
{
    (void)state;
    char buf[64];
    nj_sink s = {buf, sizeof buf, 0, 0, NULL, NULL, NJ_OK};
    nj_csv_write_bom(&s);
    nj_csv_write_field(&s, "a,b", 3, 1, 1);
    nj_csv_write_field(&s, "say \"hi\"", 8, 0, 1);
    nj_csv_write_field(&s, "x\ny", 3, 0, 0);
    nj_csv_write_field(&s, "plain", 5, 0, 0);
    nj_csv_end_record(&s);
    static const char expect[] = "\xEF\xBB\xBF\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",plain\r\n";
    assert_int_equal(s.total, sizeof expect - 1);
    assert_memory_equal(buf, expect, sizeof expect - 1);
    /* A sink without room counts and writes nothing past its end. */
    char small[4] = {'#', '#', '#', '#'};
    nj_sink c = {small, 2, 0, 0, NULL, NULL, NJ_OK};
    nj_sink_puts(&c, "hello");
    assert_int_equal(c.total, 5);
    assert_memory_equal(small, "he##", 4);
}

/* ---- WKT ----------------------------------------------------------------- */

static void test_wkt(void **state)
{
    (void)state;
    nj_shape s;
    memset(&s, 0, sizeof s);
    size_t offset;
    const char *what;
    static const char multi[] = "multipolygon (((126 35, 127 35, 127 36, 126 35), "
                                "(126.2 35.2,126.4 35.2,126.4 35.4)), ((1 2, 3 4, 5 6)))";
    assert_int_equal(nj_wkt_parse(&nj_alloc_default, multi, strlen(multi), &s, &offset, &what), NJ_OK);
    assert_int_equal(s.n_polygons, 2);
    assert_int_equal(s.n_rings, 3);
    assert_int_equal(s.n_vertices, 10);
    assert_int_equal(s.rings_per_polygon[0], 2);
    assert_int_equal(s.vertices_per_ring[1], 3);
    assert_true(s.latlon[0] == 35 && s.latlon[1] == 126); /* x y = lon lat */
    char buf[512];
    nj_sink out = {buf, sizeof buf, 0, 0, NULL, NULL, NJ_OK};
    nj_wkt_write(&out, s.n_polygons, s.rings_per_polygon, s.vertices_per_ring, s.latlon);
    static const char written[] = "MULTIPOLYGON (((126 35, 127 35, 127 36, 126 35), "
                                  "(126.2 35.2, 126.4 35.2, 126.4 35.4)), ((1 2, 3 4, 5 6)))";
    assert_int_equal(out.total, strlen(written));
    assert_memory_equal(buf, written, out.total);
    assert_int_equal(nj_wkt_parse(&nj_alloc_default, "POLYGON((1 2,3 4,5 6))", 22, &s, &offset, &what), NJ_OK);
    assert_int_equal(s.n_polygons, 1);
    assert_int_equal(nj_wkt_parse(&nj_alloc_default, " POLYGON EMPTY ", 15, &s, &offset, &what), NJ_OK);
    assert_int_equal(s.n_polygons, 0);
    static const struct {
        const char *text;
        size_t offset;
    } bad[] = {
        {"POINT (1 2)", 0},
        {"POLYGONZ ((1 2 3))", 0},
        {"POLYGON ((1 2 3, 4 5 6))", 14},
        {"POLYGON ((1 2, 3 4)", 19},
        {"POLYGON ((1 nan, 3 4))", 12},
        {"POLYGON ((1 2, 3 4)) x", 21},
        {"MULTIPOLYGON ((1 2, 3 4))", 15},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nj_status st = nj_wkt_parse(&nj_alloc_default, bad[i].text, strlen(bad[i].text), &s,
                                    &offset, &what);
        assert_int_equal(st, NJ_E_CORRUPT);
        if (offset != bad[i].offset)
            fail_msg("%s: error at %zu (%s), not %zu", bad[i].text, offset, what, bad[i].offset);
    }
    assert_int_equal(nj_wkt_parse(&nj_alloc_default, "POLYGON ((1 1e308, 3 4))", 24, &s,
                                  &offset, &what), NJ_E_RANGE);
    nj_shape_free(&s, &nj_alloc_default);
}

/* ---- encodings ----------------------------------------------------------- */

static void test_cp949(void **state)
{
    (void)state;
    /* 똠 is 8C 63 in CP949 (its trail byte is ASCII 'c'); EUC-KR lacks it. */
    static const char cp949[] = "id,name\r\n1,\x8C\x63\xB9\xE6\r\n";
    assert_true(nj_looks_cp949(cp949, sizeof cp949 - 1));
    assert_false(nj_looks_cp949("plain ascii", 11));
    assert_false(nj_looks_cp949("\xEA\xB0\x80", 3)); /* UTF-8 가: 0x80 is no CP949 byte */
    char *out = NULL;
    size_t len = 0, bad = 0;
    assert_int_equal(nj_cp949_to_utf8(&nj_alloc_default, cp949, sizeof cp949 - 1, &out, &len, &bad),
                     NJ_OK);
    assert_string_equal(out, "id,name\r\n1,똠방\r\n");
    free(out);
    static const char broken[] = "ab\r\n\xB0\xA1,\xFF";
    assert_int_equal(nj_cp949_to_utf8(&nj_alloc_default, broken, sizeof broken - 1, &out, &len, &bad),
                     NJ_E_ENCODING);
    assert_int_equal(bad, 7);
    nj_text_anchor start = {0, 1, 0};
    nj_text_pos pos = nj_text_locate(broken, start, bad, 1);
    assert_int_equal(pos.line, 2);
    assert_int_equal(pos.column, 3); /* 가 counts once */
    /* A lead byte at the very end is a truncated character. */
    assert_int_equal(nj_cp949_to_utf8(&nj_alloc_default, "a\xB0", 2, &out, &len, &bad),
                     NJ_E_ENCODING);
    assert_int_equal(bad, 1);
}

/* ---- JSON ---------------------------------------------------------------- */

static void expect_json_error(const char *text, nj_status status, size_t offset)
{
    nj_json_value v;
    nj_json_error e;
    assert_int_equal(nj_json_parse(&nj_alloc_default, text, strlen(text), 1000, &v, &e), status);
    if (e.offset != offset)
        fail_msg("%s: error at %zu (%s), not %zu", text, e.offset, e.what, offset);
}

static void test_json(void **state)
{
    (void)state;
    static const char doc[] = "{\"type\":\"Polygon\",\"coordinates\":[[[126,35],[127,35.5,9],[126,36]]],"
                              "\"n\":[1,\"\\u00e9\\ud83d\\ude00\",true,null]}";
    nj_json_value v;
    nj_json_error e;
    assert_int_equal(nj_json_parse(&nj_alloc_default, doc, strlen(doc), 1000, &v, &e), NJ_OK);
    const nj_json_value *c = nj_json_get(&v, "coordinates");
    assert_int_equal(c->type, NJ_JSON_COORDS);
    assert_int_equal(c->u.coords->kind, NJ_COORDS_POLYGON);
    assert_int_equal(c->u.coords->shape.n_vertices, 3);
    assert_true(c->u.coords->shape.latlon[2] == 35.5 && c->u.coords->shape.latlon[3] == 127);
    const nj_json_value *n = nj_json_get(&v, "n");
    assert_string_equal(n->u.array.items[1].u.string.text, "é😀");
    nj_json_free(&nj_alloc_default, &v);
    expect_json_error("{\"a\":1,}", NJ_E_CORRUPT, 7);
    expect_json_error("[1 2]", NJ_E_CORRUPT, 3);
    expect_json_error("\"\\ud800\"", NJ_E_ENCODING, 1);
    expect_json_error("\"\\udc00\"", NJ_E_ENCODING, 1);
    expect_json_error("\"a\\u0000\"", NJ_E_ENCODING, 2);
    expect_json_error("\"a\tb\"", NJ_E_CORRUPT, 2);
    expect_json_error("\"\xC0\xAF\"", NJ_E_ENCODING, 1);
    expect_json_error("[Infinity]", NJ_E_CORRUPT, 1);
    expect_json_error("[NaN]", NJ_E_CORRUPT, 1);
    expect_json_error("[1e400]", NJ_E_RANGE, 1);
    expect_json_error("[01]", NJ_E_CORRUPT, 1);
    expect_json_error("{} x", NJ_E_CORRUPT, 3);
    expect_json_error("{\"coordinates\":[[1,2],[[3,4]]]}", NJ_E_CORRUPT, 22);
    expect_json_error("{\"coordinates\":[[[[[1,2]]]]]}", NJ_E_CORRUPT, 28);
    expect_json_error("{\"coordinates\":[[1]]}", NJ_E_CORRUPT, 19);
    char deep[200];
    memset(deep, '[', 70);
    deep[70] = '\0';
    expect_json_error(deep, NJ_E_RANGE, 64);
    char long_string[1100];
    memset(long_string, 'x', sizeof long_string);
    long_string[0] = '"';
    long_string[1098] = '"';
    long_string[1099] = '\0';
    expect_json_error(long_string, NJ_E_RANGE, 0);
}

/* ---- files, with faults -------------------------------------------------- */

/* A recording, fault-injecting file layer (the ops' ctx): the call named
 * `fail_call` fails once with `fail_errno`; reads and writes come back
 * short, each after an EINTR. */
typedef struct fault {
    char log[512];
    const char *fail_call;
    int fail_errno;
    int eintr_next;
} fault;

/* Logs a call; a run of the same call is logged once ("write" for many). */
static int note(fault *f, const char *call)
{
    size_t len = strlen(f->log), n = strlen(call);
    /* The log ends with "<call> " and that entry starts the log or a word. */
    int repeated = len > n && strncmp(f->log + len - n - 1, call, n) == 0 &&
                   (len == n + 1 || f->log[len - n - 2] == ' ');
    if (!repeated && len + n + 2 < sizeof f->log)
        snprintf(f->log + len, sizeof f->log - len, "%s ", call);
    if (f->fail_call && strcmp(f->fail_call, call) == 0) {
        f->fail_call = NULL;
        errno = f->fail_errno;
        return -1;
    }
    return 0;
}

/* Every other call is interrupted before it does anything. */
static int interrupted(fault *f)
{
    if ((f->eintr_next = !f->eintr_next)) {
        errno = EINTR;
        return 1;
    }
    return 0;
}

static int f_open(void *ctx, const char *path, int flags, mode_t mode)
{
    return note(ctx, flags & O_DIRECTORY ? "open-dir" : flags & O_CREAT ? "open-tmp" : "open")
               ? -1 : open(path, flags, mode);
}

static ssize_t f_read(void *ctx, int fd, void *buf, size_t n)
{
    if (interrupted(ctx))
        return -1;
    return note(ctx, "read") ? -1 : read(fd, buf, n < 3 ? n : 3);
}

static ssize_t f_write(void *ctx, int fd, const void *buf, size_t n)
{
    if (interrupted(ctx))
        return -1;
    return note(ctx, "write") ? -1 : write(fd, buf, n < 7 ? n : 7); /* short */
}

static int f_fstat(void *ctx, int fd, struct stat *st)
{
    return note(ctx, "fstat") ? -1 : fstat(fd, st);
}

static int f_fsync(void *ctx, int fd)
{
    return note(ctx, "fsync") ? -1 : fsync(fd);
}

static int f_close(void *ctx, int fd)
{
    int failed = note(ctx, "close");
    close(fd);
    return failed ? -1 : 0;
}

static int f_rename(void *ctx, const char *from, const char *to)
{
    return note(ctx, "rename") ? -1 : rename(from, to);
}

static int f_unlink(void *ctx, const char *path)
{
    return note(ctx, "unlink") ? -1 : unlink(path);
}

static int f_lstat(void *ctx, const char *path, struct stat *st)
{
    return note(ctx, "lstat") ? -1 : lstat(path, st);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static int folder_has_tmp(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q '\\.tmp$'", dir);
    return system(cmd) == 0;
}

/* The public file functions over paths that are not regular files: an
 * import of a FIFO is refused at once (it used to wait for a writer), an
 * export through a symbolic link replaces the file and keeps the link, and
 * one over a FIFO is refused with the FIFO left as it was. */
static void test_file_paths_not_regular(void **state)
{
    (void)state;
    char dir[] = "/tmp/nj-test-csv-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[128], file[128], link_path[128], msg[256];
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    snprintf(file, sizeof file, "%s/facilities.csv", dir);
    snprintf(link_path, sizeof link_path, "%s/latest.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 7, NJ_FACILITY_LIBRARY, "도서관", 35.1, 126.8, 0, NULL), NJ_OK);
    size_t rows = 99;
    assert_int_equal(nj_csv_import_file(reg, NJ_CSV_FACILITIES, fifo, NJ_ENCODING_UTF8, &rows), NJ_E_IO);
    assert_non_null(strstr(nj_registry_errmsg(reg), "/pipe.csv\" is not a regular file"));
    assert_int_equal(nj_csv_export_file(reg, NJ_CSV_FACILITIES, fifo, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "CSV export: \""));
    assert_non_null(strstr(msg, "/pipe.csv\" is not a regular file; the old file is untouched"));
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    FILE *old = fopen(file, "wb");
    fputs("old\n", old);
    fclose(old);
    assert_int_equal(symlink("facilities.csv", link_path), 0);
    assert_int_equal(nj_csv_export_file(reg, NJ_CSV_FACILITIES, link_path, msg, sizeof msg), NJ_OK);
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    size_t len;
    char *written = slurp(file, &len);
    assert_non_null(strstr(written, "7,"));
    free(written);
    assert_int_equal(unlink(link_path), 0);
    assert_int_equal(unlink(file), 0);
    assert_int_equal(unlink(fifo), 0);
    assert_int_equal(rmdir(dir), 0);
    nj_registry_destroy(reg);
}

static void test_file_export_faults(void **state)
{
    (void)state;
    char dir[] = "/tmp/nj-test-csv-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/facilities.csv", dir);
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    for (int i = 1; i <= 20; i++)
        assert_int_equal(nj_facility_add(reg, i, NJ_FACILITY_LIBRARY, "도서관", 35, 126, 0, NULL), NJ_OK);
    FILE *old = fopen(path, "wb");
    fputs("old contents\n", old);
    fclose(old);
    fault f;
    const nj_file_ops ops = {f_open, f_write, f_read, f_fstat, f_fsync,
                             f_close, f_rename, f_unlink, f_lstat, &f};
    char msg[256];

    /* Every step before the rename, failing in turn: the old file stays, no
     * temporary file is left, and the message names the call. */
    static const struct {
        const char *call;
        const char *message;
    } steps[] = {{"lstat", "CSV export: lstat(\""}, {"open-tmp", "CSV export: open(\""}, {"write", "CSV export: write(\""},
                 {"fsync", "CSV export: fsync(\""}, {"close", "CSV export: close(\""},
                 {"rename", "CSV export: rename(\""}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        memset(&f, 0, sizeof f);
        f.fail_call = steps[i].call;
        f.fail_errno = ENOSPC;
        assert_int_equal(nj_csv_export_file_ops(reg, NJ_CSV_FACILITIES, path, &ops, msg, sizeof msg), NJ_E_IO);
        assert_non_null(strstr(msg, steps[i].message));
        assert_non_null(strstr(msg, strerror(ENOSPC)));
        assert_non_null(strstr(msg, "; the old file is untouched"));
        size_t len;
        char *kept = slurp(path, &len);
        assert_int_equal(len, 13);
        assert_memory_equal(kept, "old contents\n", 13);
        free(kept);
        assert_false(folder_has_tmp(dir));
    }

    /* Short writes and EINTR: the whole file arrives, in this order. */
    memset(&f, 0, sizeof f);
    assert_int_equal(nj_csv_export_file_ops(reg, NJ_CSV_FACILITIES, path, &ops, msg, sizeof msg), NJ_OK);
    assert_string_equal(f.log, "lstat open-tmp write fsync close rename open-dir fsync close ");
    size_t expect_len, len;
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, NULL, 0, &expect_len), NJ_E_BUFFER_TOO_SMALL);
    char *expect = malloc(expect_len);
    assert_int_equal(nj_csv_export(reg, NJ_CSV_FACILITIES, expect, expect_len, &expect_len), NJ_OK);
    char *written = slurp(path, &len);
    assert_int_equal(len, expect_len);
    assert_memory_equal(written, expect, len);
    free(written);
    struct stat info;
    assert_int_equal(stat(path, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0600);

    /* The folder sync failing: reported, though the file is in place. */
    memset(&f, 0, sizeof f);
    f.fail_call = "open-dir";
    f.fail_errno = EACCES;
    assert_int_equal(nj_csv_export_file_ops(reg, NJ_CSV_FACILITIES, path, &ops, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "the new file is in place but not durable"));

    /* A temporary file left by a crash is not overwritten. */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fclose(fopen(tmp, "wb"));
    assert_int_equal(nj_csv_export_file(reg, NJ_CSV_FACILITIES, path, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "another save is running, or one crashed"));
    unlink(tmp);

    /* Reading back through the same layer: EINTR and short reads. */
    memset(&f, 0, sizeof f);
    nj_registry *back;
    assert_int_equal(nj_registry_create(&back), NJ_OK);
    size_t rows;
    assert_int_equal(nj_csv_import_file_ops(back, NJ_CSV_FACILITIES, path, NJ_ENCODING_UTF8, &rows,
                                            &ops), NJ_OK);
    assert_int_equal(rows, 20);
    memset(&f, 0, sizeof f);
    f.fail_call = "read";
    f.fail_errno = EIO;
    assert_int_equal(nj_csv_import_file_ops(back, NJ_CSV_FACILITIES, path, NJ_ENCODING_UTF8, &rows,
                                            &ops), NJ_E_IO);
    assert_non_null(strstr(nj_registry_errmsg(back), "CSV import: read(\""));

    /* A file over the limit is refused before it is read. */
    assert_int_equal(nj_registry_set_int64(back, NJ_OPT_IMPORT_MAX_BYTES, 100), NJ_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(nj_csv_import_file_ops(back, NJ_CSV_FACILITIES, path, NJ_ENCODING_UTF8, &rows,
                                            &ops), NJ_E_RANGE);
    assert_null(strstr(f.log, "read"));
    assert_non_null(strstr(nj_registry_errmsg(back), "over the limit of 100 (NJ_OPT_IMPORT_MAX_BYTES)"));
    free(expect);
    nj_registry_destroy(back);
    nj_registry_destroy(reg);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_grammar),
        cmocka_unit_test(test_number_rounding_edges),
        cmocka_unit_test(test_number_matches_strtod),
        cmocka_unit_test(test_number_format_round_trip),
        cmocka_unit_test(test_int64),
        cmocka_unit_test(test_reader_records),
        cmocka_unit_test(test_reader_errors),
        cmocka_unit_test(test_formula_prefix),
        cmocka_unit_test(test_writer_quotes),
        cmocka_unit_test(test_wkt),
        cmocka_unit_test(test_cp949),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_file_export_faults),
        cmocka_unit_test(test_file_paths_not_regular),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
