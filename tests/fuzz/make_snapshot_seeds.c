/*
 * Writes the seed corpus of fuzz_snapshot into the folder given: snapshots
 * of an empty, a small and a fuller registry (boundaries with holes,
 * applications in every status, a lottery, a ledger with a void and an
 * over-cap entry), each with no allocation failure and with a few failure
 * positions, plus a 1.1 file with an optional section to skip.
 *
 * With --fix-crc it instead recomputes the checksums of fuzz inputs in
 * place (the fuzzer skips them, so its finds carry stale ones): committed
 * inputs then reach the same code in builds that check checksums.
 *
 *   build/tests/fuzz/make_snapshot_seeds tests/fuzz/corpus/snapshot
 *   build/tests/fuzz/make_snapshot_seeds --fix-crc tests/fuzz/corpus/snapshot/<file>...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c_internal.h"
#include "nearjob.h"

static void check(nj_status st, const char *what)
{
    if (st != NJ_OK) {
        fprintf(stderr, "make_snapshot_seeds: %s: %s\n", what, nj_status_str(st));
        exit(1);
    }
}

static void square(nj_registry *reg, int64_t id, double lat, double lon, double size,
                   int with_hole)
{
    const double s = size, h = size / 4;
    const double ll[] = {lat, lon, lat, lon + s, lat + s, lon + s, lat + s, lon,
                         lat + h, lon + h, lat + h, lon + 2 * h, lat + 2 * h, lon + h};
    const uint32_t rings[1] = {with_hole ? 2u : 1u}, vertices[2] = {4, 3};
    check(nj_region_set_boundary(reg, nj_region_get(reg, id), 1, rings, rings[0], vertices,
                                 with_hole ? 7 : 4, ll), "boundary");
}

static nj_registry *small(void)
{
    nj_registry *reg;
    check(nj_registry_create(&reg), "create");
    check(nj_region_add(reg, 7, NJ_REGION_DISTRICT, 0, "동", NULL), "region");
    square(reg, 7, 35.0, 126.0, 1.0, 0);
    check(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "도서관", 35.5, 126.5, 0, NULL),
          "facility");
    check(nj_posting_add(reg, 2, 1, "일", 1, NULL), "posting");
    check(nj_participant_add(reg, 42, 19800101, 0, 35.5, 126.5, 20230101, 0, NULL),
          "participant");
    check(nj_application_submit(reg, 42, 2, 20230201), "apply");
    check(nj_posting_select(reg, 2, NJ_SELECT_LOTTERY, 99, 20230202), "select");
    check(nj_work_record(reg, 5, 42, 2, 20230203, 90), "entry");
    return reg;
}

static nj_registry *fuller(void)
{
    nj_registry *reg;
    check(nj_registry_create(&reg), "create");
    check(nj_registry_set_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, 300), "cap");
    check(nj_registry_set_int64(reg, NJ_OPT_ROUNDING, NJ_ROUND_HALF_UP), "rounding");
    check(nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주", NULL), "region");
    check(nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 29, "광산구", NULL), "region");
    check(nj_region_add(reg, 2920051, NJ_REGION_NEIGHBOURHOOD, 29200, "신가동", NULL), "region");
    square(reg, 29200, 35.0, 126.6, 0.4, 1);
    square(reg, 2920051, 35.3, 126.9, 0.05, 0);
    check(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관", 35.32, 126.92, 0, NULL),
          "facility");
    check(nj_facility_add(reg, 2, NJ_FACILITY_OTHER, "=A1", 37.5, 127.0, 29, NULL),
          "facility");
    nj_posting *p;
    check(nj_posting_add(reg, 10, 1, "도서 정리", 2, &p), "posting");
    check(nj_posting_set_hourly_stipend_krw(reg, p, 11930), "rate");
    check(nj_posting_set_work_period(reg, p, 20230301, 20230331), "work");
    check(nj_posting_set_early_close_ratio(reg, p, 5.0), "early");
    check(nj_posting_add(reg, 20, 2, "안내", 1, &p), "posting");
    check(nj_posting_set_residency_region(reg, p, 29200), "residency");
    for (int64_t id = 1; id <= 5; id++)
        check(nj_participant_add(reg, id, 19700101 + (int32_t)id, id == 2, 35.32, 126.92,
                                 20230101, id == 5 ? 29 : 0, NULL), "participant");
    for (int64_t id = 1; id <= 5; id++)
        check(nj_application_submit(reg, id, 10, 20230201), "apply");
    check(nj_application_submit(reg, 3, 20, 20230202), "apply");
    check(nj_application_withdraw(reg, 4, 10), "withdraw");
    check(nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 0x1234, 20230220), "select");
    int64_t who, worker = 0;
    int32_t status;
    for (size_t i = 0; nj_posting_application_at(nj_posting_get(reg, 10), i, &who, &status,
                                                 NULL, NULL) == NJ_OK; i++)
        if (status == NJ_APPLICATION_SELECTED) {
            worker = who;
            check(nj_work_record(reg, 100 + who, who, 10, 20230302, 200), "entry");
            check(nj_work_record(reg, 200 + who, who, 10, 20230303, 200), "entry");
        }
    check(nj_work_void(reg, 100 + worker), "void");
    return reg;
}

static void write_seed(const char *dir, const char *name, uint32_t fail_at,
                       const uint8_t *data, size_t size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    const uint8_t prefix[4] = {(uint8_t)fail_at, (uint8_t)(fail_at >> 8),
                               (uint8_t)(fail_at >> 16), (uint8_t)(fail_at >> 24)};
    if (!f || fwrite(prefix, 1, 4, f) != 4 || fwrite(data, 1, size, f) != size ||
        fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static uint8_t *snapshot(nj_registry *reg, size_t *size)
{
    nj_snapshot_save_mem(reg, NULL, 0, size);
    uint8_t *buf = malloc(*size + 24);
    if (!buf)
        exit(1);
    check(nj_snapshot_save_mem(reg, buf, *size, size), "save");
    nj_registry_destroy(reg);
    return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Version 1.1 with an optional section of type 99 appended. */
static void write_with_optional_section(const char *dir, uint8_t *buf, size_t size)
{
    uint8_t *s = buf + size;
    memset(s, 0, 24);
    buf[10] = 1;
    put32(buf + 16, buf[16] + 1u);
    put32(buf + 20, nj_crc32c(0, buf, 20));
    put32(s, 99);
    put32(s + 4, 1);
    s[8] = 4;
    put32(s + 16, nj_crc32c(nj_crc32c(0, s, 16), s + 20, 4));
    write_seed(dir, "optional-section", 0, buf, size + 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Header and section checksums of one input (4-byte prefix, snapshot),
 * up to the first section that runs past the end. */
static void fix_crc(const char *path)
{
    static uint8_t buf[1 << 20];
    FILE *f = fopen(path, "r+b");
    size_t size = f ? fread(buf, 1, sizeof buf, f) : 0;
    uint8_t *s = buf + 4;
    size_t n = size > 4 ? size - 4 : 0;
    if (n >= 24)
        put32(s + 20, nj_crc32c(0, s, 20));
    for (size_t at = 24; n >= 24 && at + 20 <= n;) {
        uint64_t len = get32(s + at + 8) | (uint64_t)get32(s + at + 12) << 32;
        if (len > n - at - 20)
            break;
        put32(s + at + 16, nj_crc32c(nj_crc32c(0, s + at, 16), s + at + 20, (size_t)len));
        at += 20 + (size_t)len;
    }
    if (!f || fseek(f, 0, SEEK_SET) != 0 || fwrite(buf, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--fix-crc") == 0) {
        for (int i = 2; i < argc; i++)
            fix_crc(argv[i]);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s FOLDER | --fix-crc FILE...\n", argv[0]);
        return 2;
    }
    nj_registry *empty;
    check(nj_registry_create(&empty), "create");
    size_t size;
    uint8_t *buf = snapshot(empty, &size);
    write_seed(argv[1], "empty", 0, buf, size);
    free(buf);

    buf = snapshot(small(), &size);
    write_seed(argv[1], "small", 0, buf, size);
    write_seed(argv[1], "small-fail-3", 3, buf, size);
    write_with_optional_section(argv[1], buf, size);
    free(buf);

    buf = snapshot(fuller(), &size);
    write_seed(argv[1], "fuller", 0, buf, size);
    write_seed(argv[1], "fuller-fail-10", 10, buf, size);
    write_seed(argv[1], "fuller-fail-40", 40, buf, size);
    free(buf);
    return 0;
}
