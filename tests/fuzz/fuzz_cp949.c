/*
 * The CP949 path: a facilities file declared CP949 (byte 0 even) or left to
 * detection (odd); bytes 1-2 the allocation to fail. The round trip goes
 * through the UTF-8 export. See fuzz_support.h.
 */
#include "fuzz_support.h"

static nj_status import_cp949(nj_registry *reg, const uint8_t *data, size_t len, void *user)
{
    int32_t encoding = *(const int32_t *)user;
    return nj_csv_import(reg, NJ_CSV_FACILITIES, (const char *)data, len, encoding, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < FUZZ_HEADER)
        return 0;
    int32_t encoding = data[0] % 2 ? NJ_ENCODING_AUTO : NJ_ENCODING_CP949;
    fuzz_run(data, len, import_cp949, &encoding, NJ_CSV_FACILITIES);
    return 0;
}
