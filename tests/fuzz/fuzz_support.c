#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz invariant broken: %s\n", what);
        abort();
    }
}

static void square(nj_registry *reg, int64_t id, double lat, double lon, double size)
{
    const uint32_t rings[1] = {1}, vertices[1] = {4};
    const double latlon[8] = {lat, lon, lat, lon + size, lat + size, lon + size, lat + size, lon};
    check(nj_region_set_boundary(reg, nj_region_get(reg, id), 1, rings, 1, vertices, 4, latlon) ==
              NJ_OK, "fixture boundary");
}

static int add_regions(nj_registry *reg)
{
    int ok = nj_region_add(reg, 29, NJ_REGION_PROVINCE, 0, "광주광역시", NULL) == NJ_OK &&
             nj_region_add(reg, 29200, NJ_REGION_DISTRICT, 29, "광산구", NULL) == NJ_OK &&
             nj_region_add(reg, 2920051500, NJ_REGION_NEIGHBOURHOOD, 29200, "송정1동", NULL) == NJ_OK;
    check(ok, "fixture regions");
    square(reg, 29200, 35.0, 126.6, 0.4);
    square(reg, 2920051500, 35.1, 126.7, 0.1);
    return ok;
}

static int add_people(nj_registry *reg)
{
    nj_posting *q;
    return nj_posting_add(reg, 10, 1, "도서 정리", 2, &q) == NJ_OK &&
           nj_posting_set_hourly_stipend_krw(reg, q, 10030) == NJ_OK &&
           nj_posting_add(reg, 11, 1, "독서 지도", 1, &q) == NJ_OK &&
           nj_posting_set_early_close_ratio(reg, q, 2) == NJ_OK &&
           nj_posting_set_age_range(reg, q, 20, 70) == NJ_OK &&
           nj_participant_add(reg, 100, 19600515, 0, 35.16, 126.76, 20240102, 0, NULL) == NJ_OK &&
           nj_participant_add(reg, 101, 20100101, 0, 35.17, 126.77, 20240102, 0, NULL) == NJ_OK &&
           nj_participant_add(reg, 102, 19900101, 1, 35.5, 127.5, 20240102, 0, NULL) == NJ_OK;
}

nj_registry *fuzz_fixture(fuzz_alloc *a, int level)
{
    nj_registry *reg = NULL;
    memset(a, 0, sizeof *a);
    check(nj_registry_create_with_allocator(fuzz_malloc, fuzz_realloc, fuzz_free, a, &reg) ==
              NJ_OK, "fixture registry");
    int ok = nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_ROWS, 2000) == NJ_OK &&
             nj_registry_set_int64(reg, NJ_OPT_IMPORT_MAX_FIELD_BYTES, 1 << 16) == NJ_OK &&
             (level < FUZZ_REGIONS || add_regions(reg)) &&
             (level < FUZZ_FACILITY ||
              nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "송정도서관", 35.15, 126.75, 0, NULL) ==
                  NJ_OK) &&
             (level < FUZZ_PEOPLE || add_people(reg)) &&
             (level < FUZZ_SELECTED || (nj_application_submit(reg, 100, 10, 20240201) == NJ_OK &&
                                        nj_posting_select(reg, 10, NJ_SELECT_LOTTERY, 7, 20240215) == NJ_OK));
    check(ok, "fixture objects");
    return reg;
}

/* The fixture an import of `object` starts from. */
static int level_for(int32_t object)
{
    switch (object) {
    case NJ_CSV_POSTINGS: return FUZZ_FACILITY;
    case NJ_CSV_APPLICATIONS: return FUZZ_PEOPLE;
    case NJ_CSV_WORK_ENTRIES: return FUZZ_SELECTED;
    default: return FUZZ_REGIONS;
    }
}

static char *export_one(const nj_registry *reg, int32_t object, size_t *len)
{
    size_t size = 0;
    check(nj_csv_export(reg, object, NULL, 0, &size) == NJ_E_BUFFER_TOO_SMALL, "export size");
    char *buf = malloc(size);
    check(buf && nj_csv_export(reg, object, buf, size, len) == NJ_OK && *len == size, "export");
    return buf;
}

char *fuzz_dump(const nj_registry *reg, size_t *len)
{
    char *all = NULL;
    *len = 0;
    for (int32_t object = NJ_CSV_REGIONS; object <= NJ_CSV_TARGETS; object++) {
        size_t n;
        char *one = export_one(reg, object, &n);
        all = realloc(all, *len + n);
        check(all != NULL, "dump memory");
        memcpy(all + *len, one, n);
        *len += n;
        free(one);
    }
    return all;
}

static int same(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

/* The second half of the round trip: export, import into a fresh fixture,
 * export again. */
static void round_trip(const nj_registry *reg, int32_t object)
{
    size_t e1_len, e2_len, d1_len, d2_len;
    char *e1 = export_one(reg, object, &e1_len);
    fuzz_alloc a;
    nj_registry *again = fuzz_fixture(&a, object == NJ_CSV_REGIONS ? FUZZ_EMPTY : level_for(object));
    nj_status st = nj_csv_import(again, object, e1, e1_len, NJ_ENCODING_UTF8, NULL);
    if (st != NJ_OK)
        fprintf(stderr, "re-import: %s\n", nj_registry_errmsg(again));
    check(st == NJ_OK, "an export imports again");
    char *e2 = export_one(again, object, &e2_len);
    check(same(e1, e1_len, e2, e2_len), "export -> import -> export gives the same bytes");
    char *d1 = fuzz_dump(reg, &d1_len), *d2 = fuzz_dump(again, &d2_len);
    check(same(d1, d1_len, d2, d2_len), "export -> import gives the same registry");
    free(e1);
    free(e2);
    free(d1);
    free(d2);
    nj_registry_destroy(again);
}

void fuzz_run(const uint8_t *data, size_t len, fuzz_import_fn import, void *user,
              int32_t object)
{
    if (len < FUZZ_HEADER)
        return;
    size_t fail_after = (size_t)data[1] | (size_t)data[2] << 8;
    fuzz_alloc a;
    nj_registry *reg = fuzz_fixture(&a, level_for(object));
    /* Fixtures are always built the same way: dump each level once. */
    static char *before_of[FUZZ_SELECTED + 1];
    static size_t before_len_of[FUZZ_SELECTED + 1];
    int level = level_for(object);
    if (!before_of[level])
        before_of[level] = fuzz_dump(reg, &before_len_of[level]);
    const char *before = before_of[level];
    size_t before_len = before_len_of[level], after_len;
    a.fail_at = fail_after ? a.calls + fail_after : 0;
    nj_status st = import(reg, data + FUZZ_HEADER, len - FUZZ_HEADER, user);
    a.fail_at = 0;
    if (getenv("NJ_FUZZ_VERBOSE")) /* for curating the corpus */
        fprintf(stderr, "object %d: %s %s\n", (int)object, nj_status_str(st),
                st == NJ_OK ? "" : nj_registry_errmsg(reg));
    check(!(a.failures > 0 && st == NJ_OK), "an allocation failure went unreported");
    check(!(a.failures == 0 && st == NJ_E_NOMEM), "NJ_E_NOMEM without an allocation failure");
    if (st != NJ_OK) {
        char *after = fuzz_dump(reg, &after_len);
        check(same(before, before_len, after, after_len), "a failed import changed the registry");
        free(after);
    } else {
        round_trip(reg, object);
    }
    nj_registry_destroy(reg);
}
