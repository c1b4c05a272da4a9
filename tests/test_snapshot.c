/*
 * Snapshots (reliability.md §2 items 1-4, §4): the exact bytes of a small
 * snapshot, the round trip of a registry holding every kind of object and
 * state, every truncation and bit flip of a snapshot, crafted damage with
 * its message, allocation failures in save and load, every system call of
 * a save failing in turn, and a child process killed at every system call
 * boundary and at random moments while saving.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crc32c_internal.h"
#include "restore_internal.h"
#include "snapshot_internal.h"
#include "test_support.h"

#define MSG_SIZE 320

/* ---- registries ----------------------------------------------------------- */

static nj_registry *new_registry(test_allocator *a)
{
    nj_registry *reg = NULL;
    if (a)
        reg = test_registry_new(a);
    else
        assert_int_equal(nj_registry_create(&reg), NJ_OK);
    assert_non_null(reg);
    return reg;
}

/* A square ring from (lat, lon), `closed` repeating its first vertex. */
static size_t put_square(double *ll, double lat, double lon, double size, int closed)
{
    const double v[5][2] = {{lat, lon}, {lat, lon + size}, {lat + size, lon + size},
                            {lat + size, lon}, {lat, lon}};
    size_t n = closed ? 5 : 4;
    memcpy(ll, v, n * 2 * sizeof *ll);
    return n;
}

/* The district: a square with a square hole, plus an island. */
static void set_district_boundary(nj_registry *reg)
{
    double ll[28];
    uint32_t rings[2] = {2, 1}, vertices[3];
    size_t n = 0;
    n += vertices[0] = (uint32_t)put_square(ll, 35.0, 126.6, 0.3, 1);
    n += vertices[1] = (uint32_t)put_square(ll + 2 * n, 35.10, 126.70, 0.02, 0);
    n += vertices[2] = (uint32_t)put_square(ll + 2 * n, 34.5, 126.0, 0.05, 1);
    assert_int_equal(nj_region_set_boundary(reg, nj_region_get(reg, 29200), 2, rings, 3,
                                            vertices, n, ll), NJ_OK);
}

static void add_regions(nj_registry *reg)
{
    assert_int_equal(nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주광역시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 29, "광산구", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 99, NJ_REGION_NEIGHBOURHOOD, 0, "임시", NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920052, NJ_REGION_NEIGHBOURHOOD, 29200, "운남동",
                                   NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 2920051, NJ_REGION_NEIGHBOURHOOD, 29200, "신가동",
                                   NULL), NJ_OK);
    assert_int_equal(nj_region_add(reg, 11, NJ_REGION_PROVINCE, 0, "서울특별시", NULL), NJ_OK);
    assert_int_equal(nj_region_remove(reg, 99), NJ_OK); /* 11 moves into its place */
    assert_int_equal(test_set_square(reg, nj_region_get(reg, 2920051), 35.17, 126.80, 0.03),
                     NJ_OK);
    assert_int_equal(test_set_square(reg, nj_region_get(reg, 2920052), 35.20, 126.80, 0.03),
                     NJ_OK);
}

static void add_facilities(nj_registry *reg)
{
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관", 35.18,
                                     126.81, 0, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 2, NJ_FACILITY_WELFARE_CENTRE, "복지관", 35.21,
                                     126.81, 29200, NULL), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 3, NJ_FACILITY_OTHER, "=SUM(A1) \"quoted\"", 37.5,
                                     127.0, 0, NULL), NJ_OK);
}

static void add_postings(nj_registry *reg)
{
    nj_posting *p;
    assert_int_equal(nj_posting_add(reg, 10, 1, "도서 정리", 2, &p), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, 11930), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230301, 20230331), NJ_OK);
    assert_int_equal(nj_posting_set_application_window(reg, p, 20230201, 20230228), NJ_OK);
    assert_int_equal(nj_posting_set_age_range(reg, p, 19, 80), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 1500.5), NJ_OK);
    assert_int_equal(nj_posting_set_minutes_per_person(reg, p, 1200), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 20, 2, "급식 보조", 1, &p), NJ_OK);
    assert_int_equal(nj_posting_set_hourly_stipend_krw(reg, p, 10030), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, p, 20230401, 20231231), NJ_OK);
    assert_int_equal(nj_posting_set_residency_region(reg, p, 29200), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 30, 3, "행사 안내", 3, &p), NJ_OK);
    assert_int_equal(nj_posting_set_early_close_ratio(reg, p, 2.0), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 40, 1, "빈 일자리", 0, &p), NJ_OK);
    assert_int_equal(nj_posting_set_programme_type(reg, p, NJ_PROGRAMME_CUSTOM_BASE + 1), NJ_OK);
    assert_int_equal(nj_posting_set_foreign_allowed(reg, p, 0), NJ_OK);
    assert_int_equal(nj_posting_set_radius_m(reg, p, 0.0), NJ_OK);
    assert_int_equal(nj_posting_set_status(reg, p, NJ_POSTING_CLOSED), NJ_OK);
}

/* 1-3 live in 신가동 (derived), 3 is a foreign resident, 4 lives there too
 * but is filed under 운남동 by the caller, 5 lives in no region, and 6 was
 * derived before the district had a boundary (so stays in none). */
static void add_participants(nj_registry *reg)
{
    for (int64_t id = 1; id <= 3; id++)
        assert_int_equal(nj_participant_add(reg, id, 19630515 + (int32_t)id, id == 3,
                                            35.18, 126.81, 20230101, 0, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 4, 19700101, 0, 35.181, 126.811, 20230102,
                                        2920052, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 5, 19800229, 0, 37.5, 127.0, 20230103, 0,
                                        NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 6, 19900101, 0, 35.25, 126.85, 20230104, 0,
                                        NULL), NJ_OK);
}

/* The applicant of `posting` with `status` and the lowest rank. */
static int64_t applicant_with(const nj_registry *reg, int64_t posting, int32_t status)
{
    const nj_posting *p = nj_posting_get(reg, posting);
    int64_t best = 0, who;
    int32_t best_rank = INT32_MAX, st, rank;
    for (size_t i = 0; i < nj_posting_application_count(p); i++) {
        assert_int_equal(nj_posting_application_at(p, i, &who, &st, NULL, &rank), NJ_OK);
        if (st == status && rank < best_rank) {
            best = who;
            best_rank = rank;
        }
    }
    assert_true(best != 0);
    return best;
}

static void add_applications(nj_registry *reg)
{
    /* 4 applies to 20 before 10: its own list differs from file order. */
    assert_int_equal(nj_application_submit(reg, 4, 20, 20230105), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 1, 20, 20230106), NJ_OK);
    for (int64_t who = 1; who <= 5; who++)
        assert_int_equal(nj_application_submit(reg, who, 10, 20230210 + (int32_t)who), NJ_OK);
    assert_int_equal(nj_application_withdraw(reg, 2, 10), NJ_OK);          /* before selection */
    assert_int_equal(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 0xDEADBEEFCAFEF00DULL, 20230228),
                     NJ_OK);
    assert_int_equal(nj_posting_select(reg, 20, NJ_SELECT_FIRST_COME, 0, 20230110), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 3, 30, 20230301), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 6, 30, 20230302), NJ_OK);
    assert_int_equal(nj_application_withdraw(reg, 6, 30), NJ_OK);
}

/* Entry ids out of recording order, an over-cap entry, a void; then the
 * first selected withdraws (keeping entries), the work period moves away
 * from the entries and the budget drops below what was paid: states the
 * rules for new entries would refuse. */
static void add_ledger(nj_registry *reg)
{
    int64_t s1 = applicant_with(reg, 10, NJ_APPLICATION_SELECTED);
    int64_t s2 = 0, who;
    int32_t st;
    const nj_posting *p10 = nj_posting_get(reg, 10);
    for (size_t i = 0; i < nj_posting_application_count(p10); i++) {
        nj_posting_application_at(p10, i, &who, &st, NULL, NULL);
        if (st == NJ_APPLICATION_SELECTED && who != s1)
            s2 = who;
    }
    assert_int_equal(nj_work_record(reg, 1001, s1, 10, 20230302, 400), NJ_OK);
    assert_int_equal(nj_work_record(reg, 2001, 4, 20, 20230402, 61), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1002, s1, 10, 20230303, 300), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1003, s2, 10, 20230302, 240), NJ_OK);
    assert_int_equal(nj_work_record(reg, 1004, s2, 10, 20230304, 60), NJ_OK);
    assert_int_equal(nj_work_void(reg, 1004), NJ_OK);
    assert_int_equal(nj_application_withdraw(reg, s1, 10), NJ_OK);
    assert_int_equal(nj_posting_set_work_period(reg, nj_posting_get(reg, 10), 20230310,
                                                20230331), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_BUDGET_KRW, 1000), NJ_OK);
}

/* Targets (one replaced), recorded actuals (one removed), follow-ons. */
static void add_statistics_inputs(nj_registry *reg)
{
    int64_t region = nj_region_id(nj_region_at(reg, 0));
    assert_int_equal(nj_target_set(reg, 2023, region, NJ_PROGRAMME_ALL, 20), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2023, region, NJ_PROGRAMME_DIRECT_JOBS, 7), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2022, region, 1000, 3), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2023, region, NJ_PROGRAMME_ALL, 21), NJ_OK);
    assert_int_equal(nj_actual_record(reg, 9, 20230930, region, 3, 400), NJ_OK);
    assert_int_equal(nj_actual_record(reg, 2, 20230101, region, 0, 5), NJ_OK);
    assert_int_equal(nj_actual_record(reg, 5, 20230102, region, 0, 6), NJ_OK);
    assert_int_equal(nj_actual_remove(reg, 5), NJ_OK);
    int64_t selected = applicant_with(reg, 10, NJ_APPLICATION_SELECTED);
    assert_int_equal(nj_follow_on_record(reg, selected, NJ_FOLLOW_ON_HIRED, 20230801), NJ_OK);
    assert_int_equal(nj_follow_on_record(reg, selected, NJ_FOLLOW_ON_APPLIED, 20230701), NJ_OK);
}

/* Every object type and state the format holds. */
static nj_registry *rich_registry(test_allocator *a)
{
    nj_registry *reg = new_registry(a);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, 600), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_PERIOD_START_MMDD, 301), NJ_OK);
    assert_int_equal(nj_registry_set_int64(reg, NJ_OPT_ROUNDING, NJ_ROUND_HALF_UP), NJ_OK);
    add_regions(reg);
    add_facilities(reg);
    add_participants(reg);
    set_district_boundary(reg); /* after participant 6 was placed */
    add_postings(reg);
    add_applications(reg);
    add_ledger(reg);
    assert_int_equal(nj_posting_set_status(reg, nj_posting_get(reg, 30), NJ_POSTING_CLOSED),
                     NJ_OK);
    add_statistics_inputs(reg);
    return reg;
}

/* One of everything, for the corruption loops. */
static nj_registry *small_registry(test_allocator *a)
{
    nj_registry *reg = new_registry(a);
    assert_int_equal(nj_region_add(reg, 7, NJ_REGION_DISTRICT, 0, "동", NULL), NJ_OK);
    assert_int_equal(test_set_square(reg, nj_region_get(reg, 7), 35.0, 126.0, 1.0), NJ_OK);
    assert_int_equal(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "도서관", 35.5, 126.5, 0,
                                     NULL), NJ_OK);
    assert_int_equal(nj_posting_add(reg, 2, 1, "일", 1, NULL), NJ_OK);
    assert_int_equal(nj_participant_add(reg, 42, 19800101, 0, 35.5, 126.5, 20230101, 0,
                                        NULL), NJ_OK);
    assert_int_equal(nj_application_submit(reg, 42, 2, 20230201), NJ_OK);
    assert_int_equal(nj_posting_select(reg, 2, NJ_SELECT_LOTTERY, 99, 20230202), NJ_OK);
    assert_int_equal(nj_work_record(reg, 5, 42, 2, 20230203, 90), NJ_OK);
    assert_int_equal(nj_target_set(reg, 2023, 7, NJ_PROGRAMME_ALL, 5), NJ_OK);
    assert_int_equal(nj_actual_record(reg, 1, 20230301, 7, NJ_PROGRAMME_ALL, 2), NJ_OK);
    assert_int_equal(nj_follow_on_record(reg, 42, NJ_FOLLOW_ON_APPLIED, 20230501), NJ_OK);
    return reg;
}

/* ---- snapshot bytes ------------------------------------------------------- */

typedef struct bytes {
    uint8_t *data;
    size_t size;
} bytes;

static bytes save(const nj_registry *reg)
{
    bytes b = {NULL, 0};
    assert_int_equal(nj_snapshot_save_mem(reg, NULL, 0, &b.size), NJ_E_BUFFER_TOO_SMALL);
    b.data = malloc(b.size);
    assert_non_null(b.data);
    size_t size = 0;
    assert_int_equal(nj_snapshot_save_mem(reg, b.data, b.size, &size), NJ_OK);
    assert_int_equal(size, b.size);
    return b;
}

static nj_registry *load(bytes b)
{
    nj_registry *reg = NULL;
    char msg[MSG_SIZE];
    nj_status st = nj_snapshot_load_mem(b.data, b.size, &reg, msg, sizeof msg);
    if (st != NJ_OK)
        print_error("load: %s\n", msg);
    assert_int_equal(st, NJ_OK);
    assert_string_equal(msg, "");
    return reg;
}

static void assert_same_bytes(bytes a, bytes b)
{
    assert_int_equal(a.size, b.size);
    assert_memory_equal(a.data, b.data, a.size);
}

/* Loads `b`, checks that saving the result gives `b` again, and returns
 * the loaded registry. */
static nj_registry *reload_same(bytes b)
{
    nj_registry *back = load(b);
    bytes again = save(back);
    assert_same_bytes(b, again);
    free(again.data);
    return back;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void set_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Offset of the header of the section of `type`, or 0. */
static size_t section_at(bytes b, uint32_t type)
{
    for (size_t at = NJ_SNAPSHOT_HEADER_SIZE; at + NJ_SECTION_HEADER_SIZE <= b.size;
         at += NJ_SECTION_HEADER_SIZE + le32(b.data + at + 8))
        if (le32(b.data + at) == type)
            return at;
    return 0;
}

/* Recomputes every checksum after a crafted change. */
static void fix_crcs(bytes b)
{
    set_le32(b.data + 20, nj_crc32c(0, b.data, 20));
    for (size_t at = NJ_SNAPSHOT_HEADER_SIZE; at + NJ_SECTION_HEADER_SIZE <= b.size;
         at += NJ_SECTION_HEADER_SIZE + le32(b.data + at + 8)) {
        uint32_t len = le32(b.data + at + 8);
        uint32_t crc = nj_crc32c(0, b.data + at, 16);
        set_le32(b.data + at + 16, nj_crc32c(crc, b.data + at + 20, len));
    }
}

/* ---- the format, by hand -------------------------------------------------- */

static void crc32c_check_value(void **state)
{
    (void)state;
    /* The standard check value (RFC 3720 B.4 and the CRC catalogue). */
    assert_int_equal(nj_crc32c(0, "123456789", 9), 0xE3069283u);
    /* Piecewise gives the same as at once, across the 8-byte steps. */
    assert_int_equal(nj_crc32c(nj_crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
    uint8_t zeros[32] = {0};
    assert_int_equal(nj_crc32c(0, zeros, 32), 0x8A9136AAu); /* RFC 3720 B.4 */
    assert_int_equal(nj_crc32c_portable(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(nj_crc32c_portable(0, zeros, 32), 0x8A9136AAu);
}

/* The crc32 instruction, where used, and the tables agree on every length
 * and alignment, whole or in pieces. */
static void crc32c_paths_agree(void **state)
{
    (void)state;
    uint8_t data[300];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 24);
    }
    for (size_t start = 0; start < 9; start++) {
        for (size_t len = 0; start + len <= sizeof data; len += 7) {
            uint32_t want = nj_crc32c_portable(0, data + start, len);
            assert_int_equal(nj_crc32c(0, data + start, len), want);
            assert_int_equal(nj_crc32c(nj_crc32c(0, data + start, len / 3),
                                       data + start + len / 3, len - len / 3), want);
        }
    }
}

/* An empty registry: the header, eight sections, the seven options at
 * their defaults (four of the ledger, three import limits) and nine empty
 * lists (the statistics section has three), 344 bytes. */
static void empty_registry_bytes(void **state)
{
    (void)state;
    nj_registry *reg = new_registry(NULL);
    bytes b = save(reg);
    assert_int_equal(b.size, 24 + 8 * 20 + (4 + 7 * 12) + 9 * 8);
    const uint8_t header[20] = {0x89, 'N', 'J', 'S', '\r', '\n', 0x1A, '\n', 1, 0, 0, 0,
                                0, 0, 0, 0, 8, 0, 0, 0};
    assert_memory_equal(b.data, header, 20);
    assert_int_equal(le32(b.data + 20), nj_crc32c(0, b.data, 20));
    /* settings: type 1, no flags, 88 bytes: 7 options, cap 6000 first */
    const uint8_t settings[] = {1, 0, 0, 0, 0, 0, 0, 0, 88, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(b.data + 24, settings, 16);
    const uint8_t options[] = {7, 0, 0, 0, 1, 0, 0, 0, 0x70, 0x17, 0, 0, 0, 0, 0, 0,
                               2, 0, 0, 0, 101, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(b.data + 44, options, sizeof options);
    /* then regions (type 2): 8 bytes, a zero count */
    size_t at = 44 + 88;
    const uint8_t regions[] = {2, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(b.data + at, regions, 16);
    nj_registry_destroy(reload_same(b));
    free(b.data);
    nj_registry_destroy(reg);
}

/* A participant record, field by field (docs/snapshot-format.md). */
static void participant_record_bytes(void **state)
{
    (void)state;
    nj_registry *reg = new_registry(NULL);
    assert_int_equal(nj_participant_add(reg, 0x0102030405060708LL, 19800101, 1, 35.5, -0.25,
                                        20230101, 0, NULL), NJ_OK);
    bytes b = save(reg);
    size_t at = section_at(b, NJ_SECTION_PARTICIPANTS);
    assert_int_equal(le32(b.data + at + 8), 8 + 42);
    const uint8_t *r = b.data + at + 20 + 8;
    const uint8_t expected[42] = {
        8, 7, 6, 5, 4, 3, 2, 1,                       /* id */
        0x25, 0x20, 0x2E, 0x01,                       /* 19800101 */
        1,                                            /* foreign */
        0, 0, 0, 0, 0, 0xC0, 0x41, 0x40,              /* 35.5 */
        0, 0, 0, 0, 0, 0, 0xD0, 0xBF,                 /* -0.25 */
        0xD5, 0xAF, 0x34, 0x01,                       /* 20230101 */
        0, 0, 0, 0, 0, 0, 0, 0,                       /* no region */
        1};                                           /* derived */
    assert_memory_equal(r, expected, 42);
    free(b.data);
    nj_registry_destroy(reg);
}

static void save_mem_arguments(void **state)
{
    (void)state;
    nj_registry *reg = small_registry(NULL);
    size_t size = 0, got = 0;
    assert_int_equal(nj_snapshot_save_mem(NULL, NULL, 0, &size), NJ_E_INVALID);
    assert_int_equal(nj_snapshot_save_mem(reg, NULL, 0, NULL), NJ_E_INVALID);
    assert_int_equal(nj_snapshot_save_mem(reg, NULL, 10, &size), NJ_E_INVALID);
    assert_int_equal(nj_snapshot_save_mem(reg, NULL, 0, &size), NJ_E_BUFFER_TOO_SMALL);
    uint8_t *buf = malloc(size + 1);
    memset(buf, 0xAB, size + 1);
    /* One byte short: nothing written, the size reported again. */
    assert_int_equal(nj_snapshot_save_mem(reg, buf, size - 1, &got), NJ_E_BUFFER_TOO_SMALL);
    assert_int_equal(got, size);
    for (size_t i = 0; i <= size; i++)
        assert_int_equal(buf[i], 0xAB);
    assert_int_equal(nj_snapshot_save_mem(reg, buf, size + 1, &got), NJ_OK);
    assert_int_equal(got, size);
    assert_int_equal(buf[size], 0xAB);
    nj_registry *out = (nj_registry *)buf;
    char msg[MSG_SIZE];
    assert_int_equal(nj_snapshot_load_mem(NULL, 5, &out, msg, sizeof msg), NJ_E_INVALID);
    assert_null(out);
    assert_int_equal(nj_snapshot_load_mem(buf, size, NULL, NULL, 0), NJ_E_INVALID);
    assert_int_equal(nj_snapshot_load_mem_with_allocator(buf, size, NULL, NULL, NULL, NULL,
                                                         &out, NULL, 0), NJ_E_INVALID);
    free(buf);
    nj_registry_destroy(reg);
}

/* ---- round trip ----------------------------------------------------------- */

/* What test_registry_dump() leaves out: table order (but regions, which
 * load in their canonical order), options, participants' own application
 * order, selections and the derived-region flags. */
static char *extra_dump(const nj_registry *reg)
{
    size_t cap = 1 << 16, len = 0;
    char *t = malloc(cap);
    assert_non_null(t);
#define PUT(...) (len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__), assert_true(len < cap))
    for (int32_t opt = 1; opt <= 4; opt++) {
        int64_t v;
        assert_int_equal(nj_registry_get_int64(reg, opt, &v), NJ_OK);
        PUT("option %d = %lld\n", (int)opt, (long long)v);
    }
    for (size_t i = 0; i < nj_facility_count(reg); i++) {
        const nj_facility *f = nj_facility_at(reg, i);
        PUT("facility[%zu] %lld derived %d\n", i, (long long)nj_facility_id(f),
            nj_facility_region_is_derived(f));
    }
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        int32_t method = 0, date = 0;
        uint64_t seed = 0;
        nj_status st = nj_posting_selection(p, &method, &seed, &date);
        PUT("posting[%zu] %lld selection %d %d %llx %d\n", i, (long long)nj_posting_id(p),
            (int)st, (int)method, (unsigned long long)seed, (int)date);
    }
    for (size_t i = 0; i < nj_participant_count(reg); i++) {
        const nj_participant *p = nj_participant_at(reg, i);
        PUT("participant[%zu] %lld derived %d:", i, (long long)nj_participant_id(p),
            nj_participant_region_is_derived(p));
        for (size_t k = 0; k < nj_participant_application_count(p); k++) {
            int64_t posting;
            int32_t status, date;
            nj_participant_application_at(p, k, &posting, &status, &date);
            PUT(" %lld/%d/%d", (long long)posting, (int)status, (int)date);
        }
        PUT("\n");
    }
    for (size_t i = 0; i < nj_work_entry_count(reg); i++) {
        int64_t id;
        nj_work_entry_id_at(reg, i, &id);
        PUT("entry[%zu] %lld\n", i, (long long)id);
    }
#undef PUT
    return t;
}

/* Everything within 100 km of 신가동, nearest first, as "id@metres". */
static void put_neighbours(const nj_registry *reg, int32_t target, char *out, size_t cap)
{
    nj_matches *m;
    assert_int_equal(nj_query_radius(reg, target, 35.18, 126.81, 100000.0, NJ_ORDER_DISTANCE,
                                     0, &m), NJ_OK);
    size_t len = 0;
    for (size_t i = 0; i < nj_matches_count(m); i++)
        len += (size_t)snprintf(out + len, cap - len, " %lld@%.3f",
                                (long long)nj_matches_id(m, i), nj_matches_distance_m(m, i));
    assert_true(len < cap);
    nj_matches_destroy(m);
}

static void assert_same_state(const nj_registry *a, const nj_registry *b)
{
    /* The spatial indexes, filed one by one or in bulk, answer alike. */
    for (int32_t target = NJ_MATCH_PARTICIPANTS; target <= NJ_MATCH_POSTINGS; target++) {
        char na[4096], nb[4096];
        put_neighbours(a, target, na, sizeof na);
        put_neighbours(b, target, nb, sizeof nb);
        assert_string_equal(na, nb);
        assert_true(strlen(na) > 0);
    }
    char *da = test_registry_dump(a), *db = test_registry_dump(b);
    char *ea = extra_dump(a), *eb = extra_dump(b);
    assert_string_equal(da, db);
    assert_string_equal(ea, eb);
    free(da);
    free(db);
    free(ea);
    free(eb);
}

static void round_trip_rich_registry(void **state)
{
    (void)state;
    nj_registry *reg = rich_registry(NULL);
    /* The states the rebuild has to bypass rules for are really there. */
    int32_t st;
    assert_int_equal(nj_application_status(reg, 2, 10, &st), NJ_OK);
    assert_int_equal(st, NJ_APPLICATION_WITHDRAWN);
    assert_true(nj_participant_region_id(nj_participant_get(reg, 6)) == 0);
    int64_t who;
    int32_t minutes, paid;
    assert_int_equal(nj_work_entry(reg, 1002, &who, NULL, NULL, &minutes, &paid, NULL, NULL),
                     NJ_OK);
    assert_int_equal(minutes - paid, 100); /* after 400 minutes, under a 600-minute cap */
    assert_int_equal(nj_application_status(reg, who, 10, &st), NJ_OK);
    assert_int_equal(st, NJ_APPLICATION_WITHDRAWN); /* withdrew after working */

    bytes first = save(reg);
    nj_registry *back = reload_same(first);
    assert_same_state(reg, back);

    /* A loaded registry behaves like the original: the budget still
     * refuses new entries, and a derived region is derived again. */
    int64_t s2 = applicant_with(back, 10, NJ_APPLICATION_SELECTED);
    assert_int_equal(nj_work_record(back, 3001, s2, 10, 20230315, 60), NJ_E_CAP);
    assert_int_equal(nj_participant_set_home(back, nj_participant_get(back, 6), 35.25, 126.85,
                                             20230601), NJ_OK);
    assert_int_equal(nj_participant_region_id(nj_participant_get(back, 6)), 29200);
    assert_int_equal(nj_participant_set_home(back, nj_participant_get(back, 4), 35.18, 126.81,
                                             20230601), NJ_OK);
    assert_int_equal(nj_participant_region_id(nj_participant_get(back, 4)), 2920052);
    free(first.data);
    nj_registry_destroy(back);
    nj_registry_destroy(reg);
}

/* Regions are written parents first, by (level, id): the table order of
 * the original (11 moved into a removed region's place) is not kept, and
 * the saved order is the same whatever the insertion history. */
static void regions_in_canonical_order(void **state)
{
    (void)state;
    nj_registry *reg = rich_registry(NULL);
    bytes b = save(reg);
    nj_registry *back = load(b);
    const int64_t expected[] = {11, 29, 29200, 2920051, 2920052};
    assert_int_equal(nj_region_count(back), 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(nj_region_id(nj_region_at(back, i)), expected[i]);
    free(b.data);
    nj_registry_destroy(back);
    nj_registry_destroy(reg);
}

/* ---- damage --------------------------------------------------------------- */

typedef struct load_result {
    nj_status status;
    char msg[MSG_SIZE];
} load_result;

/* Loads through the counting allocator; asserts nothing leaked. */
static load_result try_load(const uint8_t *data, size_t size)
{
    load_result r;
    test_allocator a = {0};
    nj_registry *reg = (nj_registry *)&r;
    r.status = nj_snapshot_load_mem_with_allocator(data, size, test_malloc_hook,
                                                   test_realloc_hook, test_free_hook, &a,
                                                   &reg, r.msg, sizeof r.msg);
    if (r.status == NJ_OK)
        nj_registry_destroy(reg);
    else
        assert_null(reg);
    assert_int_equal(a.live, 0);
    return r;
}

static void assert_rejected(load_result r)
{
    if (r.status == NJ_E_CORRUPT) {
        assert_non_null(strstr(r.msg, "snapshot section '"));
        assert_non_null(strstr(r.msg, "' at byte "));
    } else {
        assert_int_equal(r.status, NJ_E_VERSION);
        assert_non_null(strstr(r.msg, "version"));
    }
}

static void every_truncation(void **state)
{
    (void)state;
    nj_registry *reg = small_registry(NULL);
    bytes b = save(reg);
    for (size_t len = 0; len < b.size; len++) {
        load_result r = try_load(b.data, len);
        assert_int_equal(r.status, NJ_E_CORRUPT);
        assert_rejected(r);
    }
    printf("# %zu truncations of a %zu-byte snapshot rejected\n", b.size, b.size);
    bytes again = save(reg); /* the registry saved from is unchanged */
    assert_same_bytes(b, again);
    free(again.data);
    free(b.data);
    nj_registry_destroy(reg);
}

static void every_bit_flip(void **state)
{
    (void)state;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    /* Fuzz builds skip the checksums, so some flips load: nothing to test. */
    return;
#endif
    nj_registry *reg = small_registry(NULL);
    bytes b = save(reg);
    size_t corrupt = 0, version = 0;
    for (size_t bit = 0; bit < 8 * b.size; bit++) {
        b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        load_result r = try_load(b.data, b.size);
        b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_rejected(r);
        corrupt += r.status == NJ_E_CORRUPT;
        version += r.status == NJ_E_VERSION;
    }
    printf("# %zu bit flips: %zu NJ_E_CORRUPT, %zu NJ_E_VERSION\n", 8 * b.size, corrupt,
           version);
    /* Major version 1 -> 3, 5, 9, ... 129 (7 flips) or >= 257 (8 flips); the
     * eighth flip of its low byte gives 0, which does not exist. */
    assert_int_equal(version, 15);
    free(b.data);
    nj_registry_destroy(reg);
}

/* A crafted change with valid checksums, and the exact message. */
static void assert_crafted(bytes b, nj_status status, const char *msg)
{
    fix_crcs(b);
    load_result r = try_load(b.data, b.size);
    assert_int_equal(r.status, status);
    assert_string_equal(r.msg, msg);
}

static void crafted_damage_messages(void **state)
{
    (void)state;
    nj_registry *reg = small_registry(NULL);
    bytes ref = save(reg);
    bytes b = {malloc(ref.size + 64), ref.size};
    char msg[MSG_SIZE];

    memcpy(b.data, ref.data, ref.size);
    b.data[1] = 'X';
    assert_crafted(b, NJ_E_CORRUPT,
                   "snapshot section 'header' at byte 0: not a nearjob snapshot (wrong magic bytes)");

    memcpy(b.data, ref.data, ref.size);
    b.data[8] = 2;
    b.data[10] = 3;
    assert_crafted(b, NJ_E_VERSION,
                   "snapshot format version 2.3 is newer than this library's 1.0");

    /* A facility pointing at a missing region: a dangling reference. */
    memcpy(b.data, ref.data, ref.size);
    size_t at = section_at(b, NJ_SECTION_FACILITIES) + 20 + 8;
    size_t region_field = at + 8 + 4 + 4 + strlen("도서관") + 16;
    set_le64(b.data + region_field, 999);
    b.data[region_field + 8] = 0; /* set by the caller, not derived */
    snprintf(msg, sizeof msg,
             "snapshot section 'facilities' at byte %zu: facility 1: region 999 not found", at);
    assert_crafted(b, NJ_E_CORRUPT, msg);

    /* An out-of-range field: latitude 91.5. */
    memcpy(b.data, ref.data, ref.size);
    at = section_at(b, NJ_SECTION_PARTICIPANTS) + 20 + 8;
    double lat = 91.5;
    uint64_t bits;
    memcpy(&bits, &lat, sizeof bits);
    set_le64(b.data + at + 13, bits);
    snprintf(msg, sizeof msg,
             "snapshot section 'participants' at byte %zu: participant 42: latitude 91.5 "
             "outside [-90, 90]", at);
    assert_crafted(b, NJ_E_CORRUPT, msg);

    /* A count larger than the section can hold. */
    memcpy(b.data, ref.data, ref.size);
    at = section_at(b, NJ_SECTION_LEDGER) + 20;
    set_le64(b.data + at, 2);
    snprintf(msg, sizeof msg,
             "snapshot section 'ledger' at byte %zu: 2 records of at least 33 bytes do not "
             "fit in the 33 bytes left", at);
    assert_crafted(b, NJ_E_CORRUPT, msg);

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION /* fuzz builds skip checksums */
    /* A bad checksum names the section's position. */
    memcpy(b.data, ref.data, ref.size);
    at = section_at(b, NJ_SECTION_POSTINGS);
    b.data[at + 30] ^= 1;
    load_result r = try_load(b.data, b.size);
    snprintf(msg, sizeof msg, "snapshot section 'postings' at byte %zu: checksum mismatch",
             at);
    assert_int_equal(r.status, NJ_E_CORRUPT);
    assert_string_equal(r.msg, msg);
#endif
    free(b.data);
    free(ref.data);
    nj_registry_destroy(reg);
}

/* A section appended after the ledger, type 9, `flags`, minor version
 * `minor`. */
static load_result load_with_extra_section(bytes ref, uint32_t flags, uint8_t minor)
{
    bytes b = {malloc(ref.size + 24), ref.size + 24};
    memcpy(b.data, ref.data, ref.size);
    b.data[10] = minor;
    set_le32(b.data + 16, le32(b.data + 16) + 1);
    uint8_t *s = b.data + ref.size;
    set_le32(s, 9);
    set_le32(s + 4, flags);
    set_le64(s + 8, 4);
    set_le32(s + 20, 0xC0FFEE);
    fix_crcs(b);
    load_result r = try_load(b.data, b.size);
    free(b.data);
    return r;
}

static void unknown_sections(void **state)
{
    (void)state;
    nj_registry *reg = small_registry(NULL);
    bytes ref = save(reg);
    size_t at = ref.size;
    char msg[MSG_SIZE];
    /* Same minor version: a type this version does not have is damage. */
    load_result r = load_with_extra_section(ref, 0, 0);
    snprintf(msg, sizeof msg,
             "snapshot section '(unknown)' at byte %zu: unknown section type 9", at);
    assert_int_equal(r.status, NJ_E_CORRUPT);
    assert_string_equal(r.msg, msg);
    /* A newer minor version may add sections: required ones need a newer
     * library, optional ones are skipped. */
    r = load_with_extra_section(ref, 0, 1);
    snprintf(msg, sizeof msg,
             "snapshot section '(unknown)' at byte %zu: section type 9 is not known to format "
             "version 1.0 (the file is version 1.1)", at);
    assert_int_equal(r.status, NJ_E_VERSION);
    assert_string_equal(r.msg, msg);
    r = load_with_extra_section(ref, NJ_SECTION_OPTIONAL, 1);
    assert_int_equal(r.status, NJ_OK);
    r = load_with_extra_section(ref, NJ_SECTION_OPTIONAL, 0);
    assert_int_equal(r.status, NJ_OK);
    free(ref.data);
    nj_registry_destroy(reg);
}

/* ---- allocation failures -------------------------------------------------- */

/* A load from memory (`source` is a bytes) or a file (a path). */
typedef nj_status (*loader_fn)(const void *source, test_allocator *a, nj_registry **out,
                               char *msg);

static nj_status load_from_memory(const void *source, test_allocator *a, nj_registry **out,
                                  char *msg)
{
    const bytes *b = source;
    return nj_snapshot_load_mem_with_allocator(b->data, b->size, test_malloc_hook,
                                               test_realloc_hook, test_free_hook, a, out,
                                               msg, MSG_SIZE);
}

static nj_status load_from_file(const void *source, test_allocator *a, nj_registry **out,
                                char *msg)
{
    return nj_snapshot_load_file_with_allocator(source, test_malloc_hook, test_realloc_hook,
                                                test_free_hook, a, out, msg, MSG_SIZE);
}

/* Load with allocation n failing (and, with fail_all, every later one):
 * NJ_E_NOMEM exactly when a failure was injected, else success; nothing
 * leaks either way. Returns the number of failing runs. */
static size_t load_oom_loop(loader_fn loader, const void *source, int fail_all)
{
    for (size_t n = 1;; n++) {
        test_allocator a = {.fail_at = n, .fail_all = fail_all};
        nj_registry *reg = NULL;
        char msg[MSG_SIZE];
        nj_status st = loader(source, &a, &reg, msg);
        if (st == NJ_OK) {
            assert_int_equal(a.failures, 0);
            nj_registry_destroy(reg);
            assert_int_equal(a.live, 0);
            return n - 1;
        }
        assert_int_equal(st, NJ_E_NOMEM);
        assert_true(a.failures > 0);
        assert_non_null(strstr(msg, "out of memory"));
        assert_null(reg);
        assert_int_equal(a.live, 0);
    }
}

/* Save with allocation n failing: NJ_E_NOMEM or the same bytes, and the
 * registry unchanged. */
static size_t save_oom_loop(int fail_all)
{
    test_allocator a;
    nj_registry *reg = rich_registry(&a);
    bytes ref = save(reg);
    char *before = test_registry_dump(reg);
    uint8_t *buf = malloc(ref.size);
    for (size_t n = 1;; n++) {
        size_t size;
        a.fail_at = a.calls + n;
        a.fail_all = fail_all;
        a.failures = 0;
        nj_status st = nj_snapshot_save_mem(reg, buf, ref.size, &size);
        a.fail_at = 0;
        char *after = test_registry_dump(reg);
        assert_string_equal(before, after);
        free(after);
        if (st == NJ_OK) {
            assert_int_equal(a.failures, 0);
            assert_memory_equal(buf, ref.data, ref.size);
            free(buf);
            free(before);
            free(ref.data);
            nj_registry_destroy(reg);
            assert_int_equal(a.live, 0);
            return n - 1;
        }
        assert_int_equal(st, NJ_E_NOMEM);
    }
}

static void allocation_failures(void **state)
{
    (void)state;
    nj_registry *reg = rich_registry(NULL);
    bytes b = save(reg);
    for (int fail_all = 0; fail_all <= 1; fail_all++) {
        size_t loads = load_oom_loop(load_from_memory, &b, fail_all);
        size_t saves = save_oom_loop(fail_all);
        printf("# %s: %zu allocation failures in load, %zu in save\n",
               fail_all ? "fail-always" : "fail-once", loads, saves);
        assert_true(loads > 50);
        assert_true(saves >= 3); /* the region order, two boundary arrays */
    }
    free(b.data);
    nj_registry_destroy(reg);
}

/* ---- files: system calls failing in turn ---------------------------------- */

/* The file operations under test: the real calls, logged, with call
 * `fail_at` failing with EIO or the process killed before call `kill_at`
 * (both 1-based; 0 = never). Optionally writes are cut short and every
 * other one interrupted. */
typedef struct fault_ops {
    nj_file_ops ops;
    int calls, fail_at, kill_at, choppy, dir_fd;
    char log[8192];
} fault_ops;

static int begin_call(fault_ops *f, const char *what)
{
    f->calls++;
    size_t len = strlen(f->log);
    snprintf(f->log + len, sizeof f->log - len, "%s%s", len ? " " : "", what);
    if (f->calls == f->kill_at)
        raise(SIGKILL);
    if (f->calls == f->fail_at) {
        errno = EIO;
        return 1;
    }
    return 0;
}

static int f_open(void *ctx, const char *path, int flags, mode_t mode)
{
    fault_ops *f = ctx;
    const char *what = (flags & O_DIRECTORY) ? "open(dir)"
                       : (flags & O_EXCL)    ? "open(tmp,O_EXCL)"
                       : (flags & O_TRUNC)   ? "open(in-place)"
                                             : "open(read)";
    if (begin_call(f, what))
        return -1;
    int fd = open(path, flags, mode);
    if (flags & O_DIRECTORY)
        f->dir_fd = fd;
    return fd;
}

static ssize_t f_write(void *ctx, int fd, const void *buf, size_t n)
{
    fault_ops *f = ctx;
    if (begin_call(f, "write"))
        return -1;
    if (f->choppy && f->calls % 2 == 0) {
        errno = EINTR;
        return -1;
    }
    return write(fd, buf, f->choppy && n > 7 ? 7 : n);
}

static ssize_t f_read(void *ctx, int fd, void *buf, size_t n)
{
    fault_ops *f = ctx;
    return begin_call(f, "read") ? -1 : read(fd, buf, f->choppy && n > 7 ? 7 : n);
}

static int f_fstat(void *ctx, int fd, struct stat *st)
{
    return begin_call(ctx, "fstat") ? -1 : fstat(fd, st);
}

static int f_fsync(void *ctx, int fd)
{
    fault_ops *f = ctx;
    return begin_call(f, fd == f->dir_fd ? "fsync(dir)" : "fsync") ? -1 : fsync(fd);
}

static int f_close(void *ctx, int fd)
{
    fault_ops *f = ctx;
    int is_dir = fd == f->dir_fd;
    if (is_dir)
        f->dir_fd = -1;
    /* A failing close still releases the descriptor, as on Linux. */
    int failed = begin_call(f, is_dir ? "close(dir)" : "close");
    int rc = close(fd);
    if (failed) {
        errno = EIO;
        return -1;
    }
    return rc;
}

static int f_rename(void *ctx, const char *from, const char *to)
{
    return begin_call(ctx, "rename") ? -1 : rename(from, to);
}

static int f_unlink(void *ctx, const char *path)
{
    return begin_call(ctx, "unlink") ? -1 : unlink(path);
}

static int f_lstat(void *ctx, const char *path, struct stat *st)
{
    return begin_call(ctx, "lstat") ? -1 : lstat(path, st);
}

static void fault_ops_init(fault_ops *f)
{
    memset(f, 0, sizeof *f);
    f->ops = (nj_file_ops){f_open, f_write, f_read, f_fstat, f_fsync,
                           f_close, f_rename, f_unlink, f_lstat, f};
    f->dir_fd = -1;
}

typedef struct folder {
    char dir[64], path[96], tmp[100];
} folder;

static void folder_init(folder *d)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/nj-snapshot-test-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->path, sizeof d->path, "%s/registry.njs", d->dir);
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp", d->path);
}

static void folder_remove(folder *d)
{
    unlink(d->path);
    unlink(d->tmp);
    assert_int_equal(rmdir(d->dir), 0); /* nothing else was left there */
}

static bytes read_whole(const char *path)
{
    bytes b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return b;
    size_t cap = 1 << 12;
    b.data = malloc(cap);
    size_t n;
    while ((n = fread(b.data + b.size, 1, cap - b.size, f)) > 0) {
        b.size += n;
        if (b.size == cap)
            b.data = realloc(b.data, cap *= 2);
    }
    fclose(f);
    return b;
}

static int file_is(const char *path, bytes expected)
{
    bytes b = read_whole(path);
    int same = b.data && b.size == expected.size &&
               memcmp(b.data, expected.data, b.size) == 0;
    free(b.data);
    return same;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_plain(const char *path, bytes b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.size, f), b.size);
    assert_int_equal(fclose(f), 0);
}

static const char SAVE_ORDER[] =
    "lstat open(tmp,O_EXCL) write fsync close rename open(dir) fsync(dir) close(dir)";

static void save_syscall_order(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *reg = small_registry(NULL);
    bytes b = save(reg);
    fault_ops f;
    fault_ops_init(&f);
    char msg[MSG_SIZE];
    assert_int_equal(nj_snapshot_save_file_ops(reg, d.path, &f.ops, msg, sizeof msg), NJ_OK);
    assert_string_equal(f.log, SAVE_ORDER);
    assert_string_equal(msg, "");
    assert_true(file_is(d.path, b));
    struct stat st;
    assert_int_equal(stat(d.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Short writes and EINTR: every byte still lands, in order. */
    fault_ops_init(&f);
    f.choppy = 1;
    assert_int_equal(nj_snapshot_save_file_ops(reg, d.path, &f.ops, msg, sizeof msg), NJ_OK);
    assert_true(file_is(d.path, b));
    char expected[8192] = "lstat open(tmp,O_EXCL)";
    /* Every even-numbered call is interrupted: the first write (call 3)
     * lands, then each further 7-byte piece follows an EINTR. */
    size_t writes = 2 * ((b.size + 6) / 7) - 1;
    for (size_t i = 0; i < writes; i++)
        strcat(expected, " write");
    strcat(expected, " fsync close rename open(dir) fsync(dir) close(dir)");
    assert_string_equal(f.log, expected);

    /* Loading reads it back through the same table. */
    fault_ops_init(&f);
    nj_registry *back = NULL;
    assert_int_equal(nj_snapshot_load_file_ops(d.path, &nj_alloc_default, &f.ops, &back, msg,
                                               sizeof msg), NJ_OK);
    assert_string_equal(f.log, "open(read) fstat read close");
    assert_same_state(reg, back);
    nj_registry_destroy(back);
    free(b.data);
    nj_registry_destroy(reg);
    folder_remove(&d);
}

/* Each system call of a save fails in turn. Before the rename: NJ_E_IO,
 * the old file byte-identical, no temporary left. After it: NJ_E_IO ("not
 * durable") with the new file complete. fsync is called once, never
 * retried. */
static void save_fails_at_each_syscall(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *old_reg = small_registry(NULL), *new_reg = rich_registry(NULL);
    bytes old_bytes = save(old_reg), new_bytes = save(new_reg);
    const char *expected_after[] = {
        "lstat",
        "lstat open(tmp,O_EXCL)",
        "lstat open(tmp,O_EXCL) write close unlink",
        "lstat open(tmp,O_EXCL) write fsync close unlink",
        "lstat open(tmp,O_EXCL) write fsync close unlink",
        "lstat open(tmp,O_EXCL) write fsync close rename unlink",
        "lstat open(tmp,O_EXCL) write fsync close rename open(dir)",
        "lstat open(tmp,O_EXCL) write fsync close rename open(dir) fsync(dir) close(dir)",
        SAVE_ORDER,
    };
    const char *failing_call[] = {"lstat", "open", "write", "fsync", "close", "rename",
                                  "open", "fsync", "close"};
    int k;
    for (k = 1;; k++) {
        write_plain(d.path, old_bytes);
        fault_ops f;
        fault_ops_init(&f);
        f.fail_at = k;
        char msg[MSG_SIZE];
        nj_status st = nj_snapshot_save_file_ops(new_reg, d.path, &f.ops, msg, sizeof msg);
        assert_false(exists(d.tmp));
        if (st == NJ_OK) {
            assert_true(file_is(d.path, new_bytes));
            break;
        }
        assert_int_equal(st, NJ_E_IO);
        assert_true(k <= 9);
        assert_string_equal(f.log, expected_after[k - 1]);
        char call[32];
        snprintf(call, sizeof call, "snapshot save: %s(\"", failing_call[k - 1]);
        assert_memory_equal(msg, call, strlen(call));
        assert_non_null(strstr(msg, "Input/output error"));
        if (k <= 6) {
            assert_true(file_is(d.path, old_bytes));
            assert_non_null(strstr(msg, "the old snapshot is untouched"));
        } else {
            assert_true(file_is(d.path, new_bytes));
            assert_non_null(strstr(msg, "not durable"));
        }
    }
    printf("# %d system calls failed in turn\n", k - 1);
    assert_int_equal(k - 1, 9);
    free(old_bytes.data);
    free(new_bytes.data);
    nj_registry_destroy(old_reg);
    nj_registry_destroy(new_reg);
    folder_remove(&d);
}

/* A leftover temporary file (a running or crashed save) is not touched. */
static void leftover_tmp_blocks_save(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *reg = small_registry(NULL);
    bytes b = save(reg);
    write_plain(d.path, b);
    bytes junk = {(uint8_t *)"half", 4};
    write_plain(d.tmp, junk);
    char msg[MSG_SIZE];
    assert_int_equal(nj_snapshot_save_file(reg, d.path, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "File exists (another save is running, or one crashed"));
    assert_true(file_is(d.tmp, junk));
    assert_true(file_is(d.path, b));
    assert_int_equal(unlink(d.tmp), 0);
    assert_int_equal(nj_snapshot_save_file(reg, d.path, msg, sizeof msg), NJ_OK);
    /* A path without a folder: the folder synced is ".". */
    char cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(d.dir), 0);
    fault_ops f;
    fault_ops_init(&f);
    assert_int_equal(nj_snapshot_save_file_ops(reg, "registry.njs", &f.ops, msg, sizeof msg),
                     NJ_OK);
    assert_string_equal(f.log, SAVE_ORDER);
    assert_int_equal(chdir(cwd), 0);
    assert_true(file_is(d.path, b));
    assert_int_equal(nj_snapshot_save_file(NULL, d.path, msg, sizeof msg), NJ_E_INVALID);
    assert_int_equal(nj_snapshot_save_file(reg, NULL, NULL, 0), NJ_E_INVALID);
    free(b.data);
    nj_registry_destroy(reg);
    folder_remove(&d);
}

/* Allocation failures in the file save and load: NJ_E_NOMEM with the old
 * file untouched and no temporary left, or success; nothing leaks. */
static size_t save_file_oom_loop(const folder *d, bytes old_bytes, int fail_all)
{
    test_allocator a;
    nj_registry *reg = rich_registry(&a);
    bytes new_bytes = save(reg);
    size_t failures = 0;
    for (size_t n = 1;; n++) {
        write_plain(d->path, old_bytes);
        a.fail_at = a.calls + n;
        a.fail_all = fail_all;
        a.failures = 0;
        char msg[MSG_SIZE];
        nj_status st = nj_snapshot_save_file(reg, d->path, msg, sizeof msg);
        a.fail_at = 0;
        assert_false(exists(d->tmp));
        if (st == NJ_OK) {
            assert_int_equal(a.failures, 0);
            assert_true(file_is(d->path, new_bytes));
            break;
        }
        assert_int_equal(st, NJ_E_NOMEM);
        assert_non_null(strstr(msg, "out of memory; the old snapshot is untouched"));
        assert_true(file_is(d->path, old_bytes));
        failures++;
    }
    free(new_bytes.data);
    nj_registry_destroy(reg);
    assert_int_equal(a.live, 0);
    return failures;
}

static void file_allocation_failures(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *old_reg = small_registry(NULL);
    bytes old_bytes = save(old_reg);
    for (int fail_all = 0; fail_all <= 1; fail_all++) {
        size_t saves = save_file_oom_loop(&d, old_bytes, fail_all);
        size_t loads = load_oom_loop(load_from_file, d.path, fail_all);
        printf("# %s: %zu allocation failures in the file save, %zu in the file load\n",
               fail_all ? "fail-always" : "fail-once", saves, loads);
        assert_true(saves >= 5); /* file names, buffer, region order, boundary */
        assert_true(loads > 50);
    }
    free(old_bytes.data);
    nj_registry_destroy(old_reg);
    folder_remove(&d);
}

static void load_fails_at_each_syscall(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *reg = small_registry(NULL);
    assert_int_equal(nj_snapshot_save_file(reg, d.path, NULL, 0), NJ_OK);
    int k;
    for (k = 1;; k++) {
        fault_ops f;
        fault_ops_init(&f);
        f.fail_at = k;
        test_allocator a = {0};
        nj_alloc alloc = {test_malloc_hook, test_realloc_hook, test_free_hook, &a};
        nj_registry *back = NULL;
        char msg[MSG_SIZE];
        nj_status st = nj_snapshot_load_file_ops(d.path, &alloc, &f.ops, &back, msg,
                                                 sizeof msg);
        if (st == NJ_OK) {
            nj_registry_destroy(back);
            assert_int_equal(a.live, 0);
            break;
        }
        assert_int_equal(st, NJ_E_IO);
        assert_null(back);
        assert_int_equal(a.live, 0);
        assert_non_null(strstr(msg, "snapshot load: "));
        assert_non_null(strstr(msg, d.path));
    }
    assert_int_equal(k - 1, 4); /* open, fstat, read, close */
    char msg[MSG_SIZE];
    nj_registry *back = NULL;
    assert_int_equal(nj_snapshot_load_file(d.tmp, &back, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "No such file or directory"));
    assert_int_equal(nj_snapshot_load_file(d.dir, &back, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "is not a regular file"));
    assert_int_equal(nj_snapshot_load_file(NULL, &back, msg, sizeof msg), NJ_E_INVALID);
    nj_registry_destroy(reg);
    folder_remove(&d);
}

/* A path that is not a regular file: a save would rename a file over a
 * FIFO, a directory or a device, and a load of a FIFO would wait for a
 * writer; both refuse, and leave the path as it was. A symbolic link is
 * followed: the file it names is replaced, the link stays. */
static void non_regular_paths(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *reg = small_registry(NULL), *back = NULL;
    bytes b = save(reg);
    char msg[MSG_SIZE], fifo[128], link_path[128], dangling[128];
    struct stat st;
    snprintf(fifo, sizeof fifo, "%s/pipe", d.dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(nj_snapshot_save_file(reg, fifo, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "/pipe\" is not a regular file; the old snapshot is untouched"));
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(nj_snapshot_load_file(fifo, &back, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "snapshot load: \""));
    assert_non_null(strstr(msg, "/pipe\" is not a regular file"));
    assert_null(back);
    assert_int_equal(nj_snapshot_save_file(reg, d.dir, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "is not a regular file"));

    /* Through a link: the link is kept and its file gets the snapshot. */
    write_plain(d.path, (bytes){(uint8_t *)"old", 3});
    snprintf(link_path, sizeof link_path, "%s/current", d.dir);
    assert_int_equal(symlink("registry.njs", link_path), 0);
    fault_ops f;
    fault_ops_init(&f);
    assert_int_equal(nj_snapshot_save_file_ops(reg, link_path, &f.ops, msg, sizeof msg), NJ_OK);
    assert_string_equal(f.log, "lstat lstat open(tmp,O_EXCL) write fsync close rename open(dir) "
                               "fsync(dir) close(dir)");
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_true(file_is(d.path, b));
    assert_false(exists(d.tmp));
    /* A link to a FIFO is refused like the FIFO; one to nowhere too. */
    assert_int_equal(unlink(link_path), 0);
    assert_int_equal(symlink("pipe", link_path), 0);
    assert_int_equal(nj_snapshot_save_file(reg, link_path, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "/pipe\" is not a regular file"));
    snprintf(dangling, sizeof dangling, "%s/dangling", d.dir);
    assert_int_equal(symlink("missing/file", dangling), 0);
    assert_int_equal(nj_snapshot_save_file(reg, dangling, msg, sizeof msg), NJ_E_IO);
    assert_non_null(strstr(msg, "snapshot save: realpath(\""));
    assert_non_null(strstr(msg, "No such file or directory; the old snapshot is untouched"));
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(unlink(dangling), 0);
    assert_int_equal(unlink(link_path), 0);
    assert_int_equal(unlink(fifo), 0);
    free(b.data);
    nj_registry_destroy(reg);
    folder_remove(&d);
}

/* ---- crashes ---------------------------------------------------------------- */

typedef nj_status (*saver_fn)(const nj_registry *reg, const char *path, bytes b,
                              const nj_file_ops *ops);

static nj_status atomic_saver(const nj_registry *reg, const char *path, bytes b,
                              const nj_file_ops *ops)
{
    (void)b;
    return nj_snapshot_save_file_ops(reg, path, ops, NULL, 0);
}

/* The negative control: writes over the file in place, in 64-byte
 * pieces, as a naive program would. */
static nj_status in_place_saver(const nj_registry *reg, const char *path, bytes b,
                                const nj_file_ops *ops)
{
    (void)reg;
    int fd = ops->open(ops->ctx, path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    for (size_t at = 0; fd >= 0 && at < b.size; at += 64)
        ops->write(ops->ctx, fd, b.data + at, b.size - at < 64 ? b.size - at : 64);
    ops->fsync(ops->ctx, fd);
    ops->close(ops->ctx, fd);
    return NJ_OK;
}

/* Runs the saver in a child killed before system call `kill_at`, or at
 * the end when it makes fewer calls. */
static void save_in_child(saver_fn saver, const nj_registry *reg, const char *path,
                          bytes b, int kill_at)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fault_ops f;
        fault_ops_init(&f);
        f.kill_at = kill_at;
        saver(reg, path, b, &f.ops);
        raise(SIGKILL);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

typedef struct crash_count {
    int runs, old, new, torn, tmp_left;
} crash_count;

/* After a kill: the file must be the complete old or new snapshot. Puts
 * the old one back for the next run. */
static void judge_crash(const folder *d, bytes old_bytes, bytes new_bytes, crash_count *c)
{
    c->runs++;
    if (file_is(d->path, old_bytes))
        c->old++;
    else if (file_is(d->path, new_bytes))
        c->new++;
    else
        c->torn++;
    if (exists(d->tmp)) {
        c->tmp_left++;
        unlink(d->tmp);
    }
    write_plain(d->path, old_bytes);
}

static crash_count kill_at_each_boundary(saver_fn saver, const folder *d,
                                         const nj_registry *new_reg, bytes old_bytes,
                                         bytes new_bytes, int boundaries)
{
    crash_count c = {0};
    write_plain(d->path, old_bytes);
    for (int k = 1; k <= boundaries + 1; k++) {
        save_in_child(saver, new_reg, d->path, new_bytes, k);
        judge_crash(d, old_bytes, new_bytes, &c);
    }
    return c;
}

static void crash_at_each_syscall(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *old_reg = small_registry(NULL), *new_reg = rich_registry(NULL);
    bytes old_bytes = save(old_reg), new_bytes = save(new_reg);
    crash_count c = kill_at_each_boundary(atomic_saver, &d, new_reg, old_bytes, new_bytes, 9);
    printf("# atomic save killed at %d boundaries: %d old, %d new, %d torn (%d left a .tmp)\n",
           c.runs, c.old, c.new, c.torn, c.tmp_left);
    assert_int_equal(c.torn, 0);
    assert_int_equal(c.old, 6);     /* killed before lstat .. before rename */
    assert_int_equal(c.new, 4);     /* killed after the rename */
    assert_int_equal(c.tmp_left, 4);

    /* The harness catches an in-place writer. */
    int calls = 1 + (int)((new_bytes.size + 63) / 64) + 2;
    c = kill_at_each_boundary(in_place_saver, &d, new_reg, old_bytes, new_bytes, calls);
    printf("# in-place writer killed at %d boundaries: %d torn\n", c.runs, c.torn);
    assert_int_equal(c.torn, calls - 3); /* killed after open, before the last write */
    free(old_bytes.data);
    free(new_bytes.data);
    nj_registry_destroy(old_reg);
    nj_registry_destroy(new_reg);
    folder_remove(&d);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A registry big enough that a save takes a while (about 2 MB). */
static nj_registry *big_registry(void)
{
    nj_registry *reg = rich_registry(NULL);
    for (int64_t id = 100; id < 50100; id++)
        assert_int_equal(nj_participant_add(reg, id, 19800101, 0, 35.0 + (double)id * 1e-6,
                                            126.8, 20230101, 29200, NULL), NJ_OK);
    return reg;
}

/* 200 kills at random moments of a real save (reliability.md §2 item 3). */
static void crash_at_random_moments(void **state)
{
    (void)state;
    folder d;
    folder_init(&d);
    nj_registry *old_reg = small_registry(NULL), *new_reg = big_registry();
    bytes old_bytes = save(old_reg), new_bytes = save(new_reg);
    write_plain(d.path, old_bytes);
    double start = seconds_now();
    assert_int_equal(nj_snapshot_save_file(new_reg, d.path, NULL, 0), NJ_OK);
    double span = (seconds_now() - start) * 1.5;
    write_plain(d.path, old_bytes);
    crash_count c = {0};
    srand(12345);
    for (int i = 0; i < 200; i++) {
        int ready[2];
        char go;
        assert_int_equal(pipe(ready), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            /* The clock starts when the save does, not at the fork. */
            assert_int_equal(write(ready[1], "", 1), 1);
            nj_snapshot_save_file(new_reg, d.path, NULL, 0);
            raise(SIGKILL);
        }
        assert_int_equal(read(ready[0], &go, 1), 1);
        close(ready[0]);
        close(ready[1]);
        double delay = span * (double)rand() / RAND_MAX;
        struct timespec ts = {0, (long)(delay * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        judge_crash(&d, old_bytes, new_bytes, &c);
    }
    printf("# 200 random kills within %.1f ms: %d old, %d new, %d torn (%d left a .tmp)\n",
           span * 1e3, c.old, c.new, c.torn, c.tmp_left);
    assert_int_equal(c.torn, 0);
    free(old_bytes.data);
    free(new_bytes.data);
    nj_registry_destroy(old_reg);
    nj_registry_destroy(new_reg);
    folder_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32c_check_value),
        cmocka_unit_test(crc32c_paths_agree),
        cmocka_unit_test(empty_registry_bytes),
        cmocka_unit_test(participant_record_bytes),
        cmocka_unit_test(save_mem_arguments),
        cmocka_unit_test(round_trip_rich_registry),
        cmocka_unit_test(regions_in_canonical_order),
        cmocka_unit_test(every_truncation),
        cmocka_unit_test(every_bit_flip),
        cmocka_unit_test(crafted_damage_messages),
        cmocka_unit_test(unknown_sections),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(save_syscall_order),
        cmocka_unit_test(save_fails_at_each_syscall),
        cmocka_unit_test(leftover_tmp_blocks_save),
        cmocka_unit_test(file_allocation_failures),
        cmocka_unit_test(load_fails_at_each_syscall),
        cmocka_unit_test(non_regular_paths),
        cmocka_unit_test(crash_at_each_syscall),
        cmocka_unit_test(crash_at_random_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
