/*
 * GeoJSON import of regions; byte 0 is unused, bytes 1-2 the allocation to
 * fail. The round trip goes through the regions CSV (WKT boundaries). See
 * fuzz_support.h.
 */
#include "fuzz_support.h"

static nj_status import_geojson(nj_registry *reg, const uint8_t *data, size_t len, void *user)
{
    (void)user;
    return nj_geojson_import_regions(reg, (const char *)data, len, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    fuzz_run(data, len, import_geojson, NULL, NJ_CSV_REGIONS);
    return 0;
}
