/*
 * CSV import of every object type. Byte 0 picks the type (value % 7) and
 * the declared encoding (value / 7 % 3: UTF-8, CP949, auto); bytes 1-2 the
 * allocation to fail; the rest is the file. See fuzz_support.h for the
 * invariants.
 */
#include "fuzz_support.h"

typedef struct choice {
    int32_t object, encoding;
} choice;

static nj_status import_csv(nj_registry *reg, const uint8_t *data, size_t len, void *user)
{
    const choice *c = user;
    return nj_csv_import(reg, c->object, (const char *)data, len, c->encoding, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < FUZZ_HEADER)
        return 0;
    choice c = {NJ_CSV_REGIONS + data[0] % 7, NJ_ENCODING_UTF8 + data[0] / 7 % 3};
    fuzz_run(data, len, import_csv, &c, c.object);
    return 0;
}
