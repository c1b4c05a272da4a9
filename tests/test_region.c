/* Regions: the tree, names, boundaries, containment and location lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* Gwangju (province 29) > Gwangsan-gu (29200) > 송정1동 (2920051500). */
static nj_registry *gwangju_tree(void)
{
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 29, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920051500, NJ_REGION_NEIGHBOURHOOD, 29200, "송정1동", NULL), NJ_OK);
    return reg;
}

static void add_and_read_back(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    nj_region *dong = nj_region_get(reg, 2920051500);
    assert_non_null(dong);
    assert_int_equal(nj_region_id(dong), 2920051500);
    assert_int_equal(nj_region_level(dong), NJ_REGION_NEIGHBOURHOOD);
    assert_int_equal(nj_region_parent_id(dong), 29200);
    assert_string_equal(nj_region_name(dong), "송정1동");
    assert_int_equal(nj_region_parent_id(nj_region_get(reg, 29)), 0);
    assert_int_equal(nj_region_count(reg), 3);
    assert_null(nj_region_get(reg, 11));
    assert_null(nj_region_get(NULL, 29));
    nj_region *out = NULL;
    assert_int_equal(nj_region_add(reg, 11, NJ_REGION_PROVINCE, 0, "서울특별시", &out), NJ_OK);
    assert_ptr_equal(out, nj_region_get(reg, 11));
    nj_registry_destroy(reg);
}

static void getters_tolerate_null(void **state)
{
    (void)state;
    assert_int_equal(nj_region_id(NULL), 0);
    assert_int_equal(nj_region_level(NULL), 0);
    assert_int_equal(nj_region_parent_id(NULL), 0);
    assert_string_equal(nj_region_name(NULL), "");
    assert_int_equal(nj_region_count(NULL), 0);
    assert_null(nj_region_at(NULL, 0));
}

static void add_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    char *before = test_registry_dump(reg);
    nj_region *out = (nj_region *)reg;
    assert_int_equal(nj_region_add(NULL, 5, 1, 0, "x", NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 29, 1, 0, "again", &out), NJ_E_EXISTS);
    assert_null(out);
    assert_string_equal(nj_registry_errmsg(reg), "region 29 already exists");
    assert_int_equal(nj_region_add(reg, 0, 1, 0, "zero", NULL), NJ_E_RANGE);
    assert_int_equal(nj_region_add(reg, -7, 1, 0, "neg", NULL), NJ_E_RANGE);
    assert_int_equal(nj_region_add(reg, 5, 0, 0, "x", NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 5, 4, 0, "x", NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 5, 2, 77, "x", NULL), NJ_E_NOT_FOUND);
    assert_string_equal(nj_registry_errmsg(reg), "region 5: parent 77 not found");
    /* A district cannot sit under a neighbourhood, nor a province under one. */
    assert_int_equal(nj_region_add(reg, 5, NJ_REGION_DISTRICT, 2920051500, "x", NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 5, NJ_REGION_DISTRICT, 29200, "x", NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 5, 1, 0, NULL, NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_add(reg, 5, 1, 0, "", NULL), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg), "region 5: name is empty");
    char *before2 = test_registry_dump(reg);
    assert_string_equal(before, before2);
    free(before);
    free(before2);
    nj_registry_destroy(reg);
}

static void names_must_be_strict_utf8(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    static const char *bad[] = {
        "\xC0\xAF",         /* overlong '/' */
        "\xE0\x80\xAF",     /* overlong, 3 bytes */
        "\xED\xA0\x80",     /* UTF-16 surrogate */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "\xFF",
        "abc\xEA\xB0",      /* truncated 가 */
        "\xB0\xA1",         /* CP949 가 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(nj_region_add(reg, 1, 1, 0, bad[i], NULL), NJ_E_ENCODING);
    assert_string_equal(nj_registry_errmsg(reg),
                        "region 1: name is not valid UTF-8 (byte 0xB0 at offset 0)");
    assert_int_equal(nj_region_count(reg), 0);
    /* Edge code points: U+007F, U+0080, U+FFFF, U+10FFFF, U+10000. */
    assert_int_equal(nj_region_add(reg, 1, 1, 0, "\x7F\xC2\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xF0\x90\x80\x80", NULL), NJ_OK);
    nj_registry_destroy(reg);
}

static void name_length_limit(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    char name[1026];
    memset(name, 'a', 1025);
    name[1025] = '\0';
    assert_int_equal(nj_region_add(reg, 1, 1, 0, name, NULL), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg), "region 1: name longer than 1024 bytes");
    name[1024] = '\0';
    assert_int_equal(nj_region_add(reg, 1, 1, 0, name, NULL), NJ_OK);
    assert_int_equal(strlen(nj_region_name(nj_region_get(reg, 1))), 1024);
    nj_registry_destroy(reg);
}

static void set_name(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree(), *other;
    nj_region *r = nj_region_get(reg, 29200);
    assert_int_equal(nj_region_set_name(reg, r, "광산구청 관할"), NJ_OK);
    assert_string_equal(nj_region_name(r), "광산구청 관할");
    assert_int_equal(nj_region_set_name(reg, r, "\xFF"), NJ_E_ENCODING);
    assert_int_equal(nj_region_set_name(reg, r, ""), NJ_E_INVALID);
    assert_int_equal(nj_region_set_name(reg, NULL, "x"), NJ_E_INVALID);
    assert_int_equal(nj_region_set_name(NULL, r, "x"), NJ_E_INVALID);
    assert_string_equal(nj_region_name(r), "광산구청 관할");
    assert_int_equal(nj_registry_create(&other), NJ_OK);
    assert_int_equal(nj_region_set_name(other, r, "x"), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(other), "region 29200 belongs to another registry");
    nj_registry_destroy(other);
    nj_registry_destroy(reg);
}

static void remove_respects_references(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    assert_int_equal(nj_region_remove(reg, 29200), NJ_E_IN_USE);
    assert_string_equal(nj_registry_errmsg(reg), "region 29200 still has child regions (1)");
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관",
                                     35.18, 126.82, 2920051500, NULL), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920051500), NJ_E_IN_USE);
    assert_int_equal(nj_facility_remove(reg, 1), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 2920051500), NJ_OK);
    assert_null(nj_region_get(reg, 2920051500));
    assert_int_equal(nj_region_remove(reg, 2920051500), NJ_E_NOT_FOUND);
    assert_int_equal(nj_region_remove(reg, 29200), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 29), NJ_OK);
    assert_int_equal(nj_region_count(reg), 0);
    assert_int_equal(nj_region_remove(NULL, 29), NJ_E_INVALID);
    nj_registry_destroy(reg);
}

static void boundary_round_trip(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    nj_region *r = nj_region_get(reg, 2920051500);
    /* Two polygons: a square with a square hole, and a triangle. */
    const uint32_t rings[2] = {2, 1};
    const uint32_t vertices[3] = {5, 4, 3};
    const double latlon[24] = {
        35.0, 126.0, 35.0, 127.0, 36.0, 127.0, 36.0, 126.0, 35.0, 126.0,
        35.4, 126.4, 35.4, 126.6, 35.6, 126.6, 35.6, 126.4,
        34.0, 128.0, 34.0, 128.5, 34.5, 128.0};
    assert_int_equal(nj_region_set_boundary(reg, r, 2, rings, 3, vertices, 12, latlon), NJ_OK);
    size_t np, nr, nv;
    assert_int_equal(nj_region_boundary_counts(r, &np, &nr, &nv), NJ_OK);
    assert_int_equal(np, 2);
    assert_int_equal(nr, 3);
    assert_int_equal(nv, 12);
    uint32_t rings_out[2], vertices_out[3];
    double latlon_out[24];
    assert_int_equal(nj_region_boundary_copy(r, rings_out, 1, vertices_out, 3, latlon_out, 12),
                     NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(nj_region_boundary_copy(r, rings_out, 2, vertices_out, 3, latlon_out, 11),
                     NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(nj_region_boundary_copy(r, rings_out, 2, vertices_out, 3, latlon_out, 12), NJ_OK);
    assert_memory_equal(rings_out, rings, sizeof rings);
    assert_memory_equal(vertices_out, vertices, sizeof vertices);
    assert_memory_equal(latlon_out, latlon, sizeof latlon);
    double a, b, c, d;
    assert_int_equal(nj_region_bbox(r, &a, &b, &c, &d), NJ_OK);
    assert_true(a == 34.0 && b == 126.0 && c == 36.0 && d == 128.5);
    assert_int_equal(nj_region_bbox(r, NULL, &b, &c, &d), NJ_E_INVALID);
    assert_int_equal(nj_region_bbox(nj_region_get(reg, 29), &a, &b, &c, &d), NJ_E_NOT_FOUND);

    int inside;
    assert_int_equal(nj_region_contains(r, 35.2, 126.2, &inside), NJ_OK);
    assert_int_equal(inside, 1);
    assert_int_equal(nj_region_contains(r, 35.5, 126.5, &inside), NJ_OK); /* in the hole */
    assert_int_equal(inside, 0);
    assert_int_equal(nj_region_contains(r, 34.1, 128.1, &inside), NJ_OK); /* triangle */
    assert_int_equal(inside, 1);
    assert_int_equal(nj_region_contains(r, 34.4, 128.4, &inside), NJ_OK); /* beside it */
    assert_int_equal(inside, 0);
    assert_int_equal(nj_region_contains(r, NAN, 126.2, &inside), NJ_E_RANGE);
    assert_int_equal(nj_region_contains(r, 35.2, 181.0, &inside), NJ_E_RANGE);
    assert_int_equal(nj_region_contains(r, 35.2, 126.2, NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_contains(NULL, 35.2, 126.2, &inside), NJ_E_INVALID);

    /* Clearing the boundary. */
    assert_int_equal(nj_region_set_boundary(reg, r, 0, NULL, 0, NULL, 0, NULL), NJ_OK);
    assert_int_equal(nj_region_boundary_counts(r, &np, NULL, NULL), NJ_OK);
    assert_int_equal(np, 0);
    assert_int_equal(nj_region_contains(r, 35.2, 126.2, &inside), NJ_OK);
    assert_int_equal(inside, 0);
    assert_int_equal(nj_region_boundary_copy(r, NULL, 0, NULL, 0, NULL, 0), NJ_OK);
    nj_registry_destroy(reg);
}

static void boundary_rejects_bad_input(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    nj_region *r = nj_region_get(reg, 29200);
    assert_int_equal(test_set_square(reg, r, 35.0, 126.0, 1.0), NJ_OK);
    char *before = test_registry_dump(reg);
    const uint32_t one[1] = {1}, zero[1] = {0}, two[1] = {2}, five[1] = {5}, tri[1] = {2};
    double sq[10] = {35, 126, 35, 127, 36, 127, 36, 126, 35, 126};
    assert_int_equal(nj_region_set_boundary(reg, r, 1, zero, 0, five, 5, sq), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg), "region 29200: boundary: polygon 0 has no rings");
    assert_int_equal(nj_region_set_boundary(reg, r, 1, two, 1, five, 5, sq), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 2, five, 5, sq), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 4, sq), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 6, sq), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, tri, 2, sq), NJ_E_INVALID);
    assert_string_equal(nj_registry_errmsg(reg), "region 29200: boundary: ring 0 has 2 vertices, fewer than 3");
    assert_int_equal(nj_region_set_boundary(reg, r, 1, NULL, 1, five, 5, sq), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 5, NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_set_boundary(reg, r, 0, NULL, 1, NULL, 0, NULL), NJ_E_INVALID);
    sq[4] = 90.5;
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 5, sq), NJ_E_RANGE);
    assert_string_equal(nj_registry_errmsg(reg),
                        "region 29200: boundary: vertex 2: latitude 90.5 outside [-90, 90]");
    sq[4] = NAN;
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 5, sq), NJ_E_RANGE);
    sq[4] = 36;
    sq[5] = -INFINITY;
    assert_int_equal(nj_region_set_boundary(reg, r, 1, one, 1, five, 5, sq), NJ_E_RANGE);
    assert_int_equal(nj_region_set_boundary(NULL, r, 1, one, 1, five, 5, sq), NJ_E_INVALID);
    char *after = test_registry_dump(reg);
    assert_string_equal(before, after);
    nj_region *found;
    assert_int_equal(nj_region_locate(reg, 35.5, 126.5, &found), NJ_OK);
    assert_ptr_equal(found, r);
    free(before);
    free(after);
    nj_registry_destroy(reg);
}

static void shared_edge_belongs_to_one_region(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    nj_region *west, *east;
    assert_int_equal(nj_region_add(reg, 1, 3, 0, "west", &west), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2, 3, 0, "east", &east), NJ_OK);
    /* Neighbours sharing a slanted edge from (35.0, 126.3) to (35.7, 126.45). */
    const uint32_t rings[1] = {1}, four[1] = {4};
    const double w[8] = {35.0, 126.0, 35.0, 126.3, 35.7, 126.45, 35.7, 126.0};
    const double e[8] = {35.0, 126.3, 35.0, 127.0, 35.7, 127.0, 35.7, 126.45};
    assert_int_equal(nj_region_set_boundary(reg, west, 1, rings, 1, four, 4, w), NJ_OK);
    assert_int_equal(nj_region_set_boundary(reg, east, 1, rings, 1, four, 4, e), NJ_OK);
    for (int i = 1; i < 100; i++) {
        double t = i / 100.0;
        double lat = 35.0 + 0.7 * t, lon = 126.3 + 0.15 * t;
        int in_w, in_e;
        assert_int_equal(nj_region_contains(west, lat, lon, &in_w), NJ_OK);
        assert_int_equal(nj_region_contains(east, lat, lon, &in_e), NJ_OK);
        assert_int_equal(in_w + in_e, 1);
        nj_region *found;
        assert_int_equal(nj_region_locate(reg, lat, lon, &found), NJ_OK);
    }
    nj_registry_destroy(reg);
}

static void locate_prefers_the_deepest(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    nj_region *province = nj_region_get(reg, 29), *district = nj_region_get(reg, 29200),
              *dong = nj_region_get(reg, 2920051500), *found;
    assert_int_equal(test_set_square(reg, province, 35.0, 126.6, 0.4), NJ_OK);
    assert_int_equal(test_set_square(reg, district, 35.05, 126.65, 0.2), NJ_OK);
    assert_int_equal(test_set_square(reg, dong, 35.1, 126.7, 0.05), NJ_OK);
    assert_int_equal(nj_region_locate(reg, 35.12, 126.72, &found), NJ_OK);
    assert_ptr_equal(found, dong);
    assert_int_equal(nj_region_locate(reg, 35.2, 126.8, &found), NJ_OK);
    assert_ptr_equal(found, district);
    assert_int_equal(nj_region_locate(reg, 35.3, 126.95, &found), NJ_OK);
    assert_ptr_equal(found, province);
    assert_int_equal(nj_region_locate(reg, 37.5665, 126.978, &found), NJ_E_NOT_FOUND);
    assert_null(found);
    assert_int_equal(nj_region_locate(reg, 91.0, 126.0, &found), NJ_E_RANGE);
    assert_int_equal(nj_region_locate(reg, 35.0, NAN, &found), NJ_E_RANGE);
    assert_int_equal(nj_region_locate(reg, 35.0, 126.0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_region_locate(NULL, 35.0, 126.0, &found), NJ_E_INVALID);
    /* Overlapping regions of the same depth: the smaller id wins. */
    assert_int_equal(nj_region_add(reg, 2920052000, 3, 29200, "overlap", NULL), NJ_OK);
    assert_int_equal(test_set_square(reg, nj_region_get(reg, 2920052000), 35.1, 126.7, 0.05), NJ_OK);
    assert_int_equal(nj_region_locate(reg, 35.12, 126.72, &found), NJ_OK);
    assert_int_equal(nj_region_id(found), 2920051500);
    /* Moving a boundary moves the answer. */
    assert_int_equal(test_set_square(reg, dong, 35.2, 126.9, 0.05), NJ_OK);
    assert_int_equal(nj_region_locate(reg, 35.12, 126.72, &found), NJ_OK);
    assert_int_equal(nj_region_id(found), 2920052000);
    assert_int_equal(nj_region_locate(reg, 35.22, 126.92, &found), NJ_OK);
    assert_ptr_equal(found, dong);
    nj_registry_destroy(reg);
}

static void locate_at_the_edges_of_the_world(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    nj_region *polar, *dateline, *world, *found;
    assert_int_equal(nj_region_add(reg, 1, 1, 0, "world", &world), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2, 2, 1, "polar", &polar), NJ_OK);
    assert_int_equal(nj_region_add(reg, 3, 2, 1, "dateline", &dateline), NJ_OK);
    const uint32_t rings[1] = {1}, four[1] = {4};
    const double all[8] = {-90, -180, -90, 180, 90, 180, 90, -180};
    assert_int_equal(nj_region_set_boundary(reg, world, 1, rings, 1, four, 4, all), NJ_OK);
    assert_int_equal(test_set_square(reg, polar, 89.0, 0.0, 1.0), NJ_OK);
    assert_int_equal(test_set_square(reg, dateline, -10.0, 179.0, 1.0), NJ_OK);
    assert_int_equal(nj_region_locate(reg, 89.5, 0.5, &found), NJ_OK);
    assert_ptr_equal(found, polar);
    assert_int_equal(nj_region_locate(reg, -9.5, 179.5, &found), NJ_OK);
    assert_ptr_equal(found, dateline);
    assert_int_equal(nj_region_locate(reg, 0.0, 0.0, &found), NJ_OK);
    assert_ptr_equal(found, world);
    nj_registry_destroy(reg);
}

/* A ring only a denormal high: the band scale (bands / height) overflows
 * to infinity, and 0 x infinity gave NaN, converted to an integer (UB;
 * found by fuzz_snapshot). */
static void boundary_of_denormal_height(void **state)
{
    (void)state;
    nj_registry *reg;
    nj_region *sliver;
    int inside = -1;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 1, 1, 0, "sliver", &sliver), NJ_OK);
    const uint32_t rings[1] = {1}, vertices[1] = {8};
    const double tiny = 4.9406564584124654e-324; /* the smallest double above 0 */
    const double ll[16] = {0, 0, 0, 1, 0, 2, 0, 3, tiny, 3, tiny, 2, tiny, 1, tiny, 0};
    assert_int_equal(nj_region_set_boundary(reg, sliver, 1, rings, 1, vertices, 8, ll), NJ_OK);
    assert_int_equal(nj_region_contains(sliver, 1.0, 1.5, &inside), NJ_OK);
    assert_int_equal(inside, 0);
    nj_registry_destroy(reg);
}

/* A 64-bit LCG: deterministic on every platform. */
static double next_unit(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*seed >> 11) / 9007199254740992.0;
}

/* Random squares, random removals: the index must agree with a scan. */
static void locate_agrees_with_a_scan(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    uint64_t seed = 12345;
#define NEXT() next_unit(&seed)
    for (int64_t id = 1; id <= 400; id++) {
        nj_region *r;
        assert_int_equal(nj_region_add(reg, id, 3, 0, "r", &r), NJ_OK);
        double size = NEXT();
        size = 0.001 + size * NEXT() * 2.0;
        double lat = 33 + NEXT() * 5;
        double lon = 124 + NEXT() * 7;
        assert_int_equal(test_set_square(reg, r, lat, lon, size), NJ_OK);
    }
    for (int64_t id = 1; id <= 400; id += 3)
        assert_int_equal(nj_region_remove(reg, id), NJ_OK);
    for (int64_t id = 2; id <= 400; id += 7) {
        if (id % 3 == 1)
            continue; /* removed above */
        double lat = 33 + NEXT() * 5;
        double lon = 124 + NEXT() * 7;
        assert_int_equal(test_set_square(reg, nj_region_get(reg, id), lat, lon, 0.3), NJ_OK);
    }
    for (int q = 0; q < 5000; q++) {
        double lat = 32.5 + NEXT() * 7;
        double lon = 123.5 + NEXT() * 9;
        nj_region *best = NULL, *found;
        for (size_t i = 0; i < nj_region_count(reg); i++) {
            nj_region *r = nj_region_at(reg, i);
            int inside;
            assert_int_equal(nj_region_contains(r, lat, lon, &inside), NJ_OK);
            if (inside && (!best || nj_region_id(r) < nj_region_id(best)))
                best = r;
        }
        nj_status st = nj_region_locate(reg, lat, lon, &found);
        assert_int_equal(st, best ? NJ_OK : NJ_E_NOT_FOUND);
        assert_ptr_equal(found, best);
    }
#undef NEXT
    nj_registry_destroy(reg);
}

/* Plain even-odd test over every edge, the reference for the banded one. */
static int naive_ring_contains(const double *ring, size_t n, double lat, double lon)
{
    int inside = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const double *a = &ring[2 * j], *b = &ring[2 * i];
        if ((a[0] > lat) == (b[0] > lat))
            continue;
        if (a[0] > b[0]) {
            const double *t = a;
            a = b;
            b = t;
        }
        if (lon < a[1] + (b[1] - a[1]) * (lat - a[0]) / (b[0] - a[0]))
            inside = !inside;
    }
    return inside;
}

/* Star-shaped rings of many vertices (as rural dongs have), with a hole:
 * the banded edge index must agree with the plain test everywhere. */
static void contains_agrees_with_plain_crossing_test(void **state)
{
    (void)state;
    nj_registry *reg;
    nj_region *r;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_int_equal(nj_region_add(reg, 1, 3, 0, "star", &r), NJ_OK);
    uint64_t seed = 99;
    enum { OUTER = 600, HOLE = 37 };
    static double latlon[2 * (OUTER + HOLE)];
    for (int i = 0; i < OUTER; i++) {
        double angle = 2 * M_PI * i / OUTER, radius = 0.05 + 0.04 * next_unit(&seed);
        latlon[2 * i] = 35.1 + radius * sin(angle);
        latlon[2 * i + 1] = 126.8 + radius * cos(angle);
    }
    for (int i = 0; i < HOLE; i++) {
        double angle = -2 * M_PI * i / HOLE, radius = 0.01 + 0.015 * next_unit(&seed);
        latlon[2 * (OUTER + i)] = 35.1 + radius * sin(angle);
        latlon[2 * (OUTER + i) + 1] = 126.8 + radius * cos(angle);
    }
    /* A horizontal edge and a repeated vertex, the awkward cases. */
    latlon[2 * 10] = latlon[2 * 11];
    latlon[2 * 20] = latlon[2 * 21];
    latlon[2 * 20 + 1] = latlon[2 * 21 + 1];
    const uint32_t rings[1] = {2}, vertices[2] = {OUTER, HOLE};
    assert_int_equal(nj_region_set_boundary(reg, r, 1, rings, 2, vertices, OUTER + HOLE, latlon), NJ_OK);
    size_t inside_count = 0;
    for (int q = 0; q < 20000; q++) {
        double lat = 35.0 + 0.2 * next_unit(&seed);
        double lon = 126.7 + 0.2 * next_unit(&seed);
        if (q % 10 == 0) /* exactly on a vertex's parallel */
            lat = latlon[2 * (q % (OUTER + HOLE))];
        int expected = naive_ring_contains(latlon, OUTER, lat, lon) &&
                       !naive_ring_contains(latlon + 2 * OUTER, HOLE, lat, lon);
        int inside;
        assert_int_equal(nj_region_contains(r, lat, lon, &inside), NJ_OK);
        assert_int_equal(inside, expected);
        inside_count += (size_t)inside;
    }
    assert_true(inside_count > 5000 && inside_count < 15000);
    nj_registry_destroy(reg);
}

static void is_within(void **state)
{
    (void)state;
    nj_registry *reg = gwangju_tree();
    assert_int_equal(nj_region_add(reg, 29170, 2, 29, "북구", NULL), NJ_OK);
    nj_region *province = nj_region_get(reg, 29), *gwangsan = nj_region_get(reg, 29200),
              *dong = nj_region_get(reg, 2920051500), *bukgu = nj_region_get(reg, 29170);
    assert_true(nj_region_is_within(dong, dong));
    assert_true(nj_region_is_within(dong, gwangsan));
    assert_true(nj_region_is_within(dong, province));
    assert_false(nj_region_is_within(dong, bukgu));
    assert_false(nj_region_is_within(gwangsan, dong));
    assert_false(nj_region_is_within(NULL, dong));
    assert_false(nj_region_is_within(dong, NULL));
    nj_registry_destroy(reg);
}

static void iteration_visits_each_once(void **state)
{
    (void)state;
    nj_registry *reg;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    for (int64_t id = 1; id <= 1000; id++)
        assert_int_equal(nj_region_add(reg, id * 7919, 1, 0, "r", NULL), NJ_OK);
    for (int64_t id = 2; id <= 1000; id += 2)
        assert_int_equal(nj_region_remove(reg, id * 7919), NJ_OK);
    assert_int_equal(nj_region_count(reg), 500);
    int64_t sum = 0;
    for (size_t i = 0; i < nj_region_count(reg); i++)
        sum += nj_region_id(nj_region_at(reg, i)) / 7919;
    assert_int_equal(sum, 500 * 500); /* 1 + 3 + ... + 999 */
    assert_null(nj_region_at(reg, 500));
    for (int64_t id = 1; id <= 1000; id++)
        assert_int_equal(nj_region_get(reg, id * 7919) != NULL, id % 2 == 1);
    nj_registry_destroy(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_and_read_back),
        cmocka_unit_test(getters_tolerate_null),
        cmocka_unit_test(add_rejects_bad_input),
        cmocka_unit_test(names_must_be_strict_utf8),
        cmocka_unit_test(name_length_limit),
        cmocka_unit_test(set_name),
        cmocka_unit_test(remove_respects_references),
        cmocka_unit_test(boundary_round_trip),
        cmocka_unit_test(boundary_rejects_bad_input),
        cmocka_unit_test(shared_edge_belongs_to_one_region),
        cmocka_unit_test(locate_prefers_the_deepest),
        cmocka_unit_test(locate_at_the_edges_of_the_world),
        cmocka_unit_test(boundary_of_denormal_height),
        cmocka_unit_test(locate_agrees_with_a_scan),
        cmocka_unit_test(contains_agrees_with_plain_crossing_test),
        cmocka_unit_test(is_within),
        cmocka_unit_test(iteration_visits_each_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
