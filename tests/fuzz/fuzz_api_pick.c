/*
 * The API-sequence target's input reader and argument pickers: each picker
 * reads a mode byte (and the value's bytes) and gives mostly values the
 * calls accept, so that sequences build a registry, and every so often a
 * hostile one, so that every error path is reached.
 */
#include "fuzz_api.h"

#include <float.h>
#include <math.h>
#include <string.h>

uint8_t in_u8(fuzz_input *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

uint16_t in_u16(fuzz_input *in)
{
    uint16_t lo = in_u8(in);
    return (uint16_t)(lo | in_u8(in) << 8);
}

uint64_t in_u64(fuzz_input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)in_u8(in) << (8 * i);
    return v;
}

static double in_double(fuzz_input *in)
{
    uint64_t bits = in_u64(in);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

int64_t pick_id(fuzz_input *in)
{
    uint8_t b = in_u8(in);
    if (b < 224)
        return b % 12 + 1;
    switch (b % 8) {
    case 0: return 0;
    case 1: return -1;
    case 2: return INT64_MAX;
    case 3: return INT64_MIN;
    case 4: return 2920051500; /* a real 행정동 code */
    case 5: return (int64_t)in_u64(in);
    default: return b; /* 224 .. 255, beyond the small ids */
    }
}

/* A tracked participant's home or facility's location, by index. */
static int tracked_point(const harness *h, uint8_t k, double *lat, double *lon)
{
    size_t n = h->participants.count + h->facilities.count;
    if (n == 0)
        return 0;
    size_t i = k % n;
    if (i < h->participants.count) {
        const nj_participant *p = nj_participant_get(h->reg, h->participants.ids[i]);
        *lat = nj_participant_lat(p);
        *lon = nj_participant_lon(p);
    } else {
        const nj_facility *f =
            nj_facility_get(h->reg, h->facilities.ids[i - h->participants.count]);
        *lat = nj_facility_lat(f);
        *lon = nj_facility_lon(f);
    }
    return 1;
}

static const double edge_lat[] = {90, -90, 0, 89.9999999, -89.9999999, 37.5, -0.0};
static const double edge_lon[] = {180, -180, 0, 179.9999999, -179.9999999, 127.0, -0.0};
static const double hostile[] = {NAN, INFINITY, -INFINITY, 90.0000001, 180.0000001,
                                 -1e308, -180.0000001, DBL_MAX};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void pick_point(const harness *h, fuzz_input *in, double *lat, double *lon)
{
    uint8_t mode = in_u8(in) % 16;
    switch (mode) {
    case 8: /* on a tracked object */
    case 9: /* a few 1e-7 degree steps beside it */
        if (tracked_point(h, in_u8(in), lat, lon)) {
            if (mode == 9) {
                *lat += (int8_t)in_u8(in) * 1e-7;
                *lon += (int8_t)in_u8(in) * 1e-7;
            }
            return;
        }
        break;
    case 10:
        *lat = edge_lat[in_u8(in) % COUNT(edge_lat)];
        *lon = edge_lon[in_u8(in) % COUNT(edge_lon)];
        return;
    case 11: {
        uint8_t b = in_u8(in);
        *lat = b & 1 ? hostile[b / 2 % COUNT(hostile)] : 35.15;
        *lon = b & 1 ? 126.75 : hostile[b / 2 % COUNT(hostile)];
        return;
    }
    case 12:
        *lat = in_double(in);
        *lon = in_double(in);
        return;
    case 13: /* anywhere on Earth */
        *lat = -90 + 180.0 * in_u16(in) / 65535;
        *lon = -180 + 360.0 * in_u16(in) / 65535;
        return;
    default:
        break;
    }
    /* The harness's area: 광산구, steps of 0.0005 degrees (about 50 m). */
    *lat = 35.10 + in_u8(in) * 0.0005;
    *lon = 126.70 + in_u8(in) * 0.0005;
}

double pick_radius(const harness *h, fuzz_input *in, double lat, double lon)
{
    uint8_t mode = in_u8(in) % 14;
    double plat, plon, d;
    switch (mode) {
    case 6: return in_u8(in) & 1 ? -0.0 : 0.0;
    case 7: /* exactly on an object, or one step inside or outside */
    case 8:
    case 9:
        if (!tracked_point(h, in_u8(in), &plat, &plon) ||
            nj_distance(lat, lon, plat, plon, &d) != NJ_OK)
            return 1000;
        return mode == 7 ? d : nextafter(d, mode == 8 ? INFINITY : 0);
    case 10: {
        const double far[] = {NJ_MAX_RADIUS_M, nextafter(NJ_MAX_RADIUS_M, INFINITY),
                              nextafter(NJ_MAX_RADIUS_M, 0), 2e7, INFINITY, 1e300};
        return far[in_u8(in) % COUNT(far)];
    }
    case 11: {
        static const double bad[] = {NAN, -1, -INFINITY, -DBL_MIN, -NAN};
        return bad[in_u8(in) % COUNT(bad)];
    }
    case 12: return in_double(in);
    case 13: return in_u16(in) * 1000.0;
    default: return in_u16(in) + in_u8(in) / 256.0;
    }
}

int32_t pick_date(fuzz_input *in)
{
    uint8_t mode = in_u8(in) % 13;
    if (mode < 10) { /* mostly the programme's years, else a birth year */
        uint8_t y = in_u8(in);
        int32_t year = mode < 7 ? 2023 + y % 4 : 1930 + y % 100;
        int32_t month = 1 + in_u8(in) % 12, day = 1 + in_u8(in) % 28;
        return year * 10000 + month * 100 + day;
    }
    if (mode == 10) {
        static const int32_t edge[] = {19000101, 29991231, 20240229, 20250301,
                                       20241231, 20250101, 20240101, 19600229};
        return edge[in_u8(in) % COUNT(edge)];
    }
    if (mode == 11) {
        static const int32_t bad[] = {0, 20230229, 20241301, 20240132, 18991231,
                                      30000101, -1, INT32_MAX, INT32_MIN, 20240100};
        return bad[in_u8(in) % COUNT(bad)];
    }
    return (int32_t)(uint32_t)in_u64(in);
}

int32_t pick_int32(fuzz_input *in, int32_t lo, int32_t hi)
{
    uint8_t b = in_u8(in);
    if (b < 208) {
        uint32_t span = (uint32_t)((int64_t)hi - lo) + 1;
        uint32_t v = in_u16(in);
        return (int32_t)((int64_t)lo + (span ? v % span : v));
    }
    switch (b % 8) {
    case 0: return 0;
    case 1: return -1;
    case 2: return hi == INT32_MAX ? hi : hi + 1;
    case 3: return INT32_MAX;
    case 4: return INT32_MIN;
    case 5: return hi;
    case 6: return lo;
    default: return (int32_t)(uint32_t)in_u64(in);
    }
}

int64_t pick_int64(fuzz_input *in, int64_t limit)
{
    uint8_t b = in_u8(in);
    if (b < 200)
        return in_u16(in);
    switch (b % 8) {
    case 0: return 0;
    case 1: return -1;
    case 2: return limit;
    case 3: return limit == INT64_MAX ? limit : limit + 1;
    case 4: return INT64_MAX;
    case 5: return INT64_MIN;
    case 6: return limit - 1;
    default: return (int64_t)in_u64(in);
    }
}

const char *pick_text(fuzz_input *in)
{
    static char longest[1025], too_long[1026];
    if (!longest[0]) {
        memset(longest, 'a', 1024);
        memset(too_long, 'b', 1025);
    }
    static const char *const texts[] = {
        "송정도서관", "A", "", "\xff\xfe", "\xed\xa0\x80" /* a surrogate */,
        "\xc0\xaf" /* overlong */, "=SUM(A1)", "x,\"y\"\r\nz", "\xf4\x90\x80\x80" /* > U+10FFFF */,
        "독서 지도", "e\xcc\x81", NULL};
    uint8_t b = in_u8(in);
    if (b == 254)
        return longest;
    if (b == 255)
        return too_long;
    return texts[b % COUNT(texts)];
}

/* Where a handle picker looks: the other registry's object (they all have
 * id 1), NULL for an object of `reg` of another kind (a cast the library
 * must refuse: objects carry their kind), or one of `reg`'s by a picked
 * id. */
static const nj_registry *pick_owner(const harness *h, fuzz_input *in, int64_t *id)
{
    uint8_t b = in_u8(in) % 16;
    if (b == 15) {
        *id = 1;
        return h->other;
    }
    *id = pick_id(in);
    return b == 14 ? NULL : h->reg;
}

/* Each picker's wrong kind is the next in region, facility, posting,
 * participant, region. */
nj_region *pick_region(const harness *h, fuzz_input *in)
{
    int64_t id;
    const nj_registry *reg = pick_owner(h, in, &id);
    return reg ? nj_region_get(reg, id) : (nj_region *)(void *)nj_facility_get(h->reg, id);
}

nj_facility *pick_facility(const harness *h, fuzz_input *in)
{
    int64_t id;
    const nj_registry *reg = pick_owner(h, in, &id);
    return reg ? nj_facility_get(reg, id) : (nj_facility *)(void *)nj_posting_get(h->reg, id);
}

nj_posting *pick_posting(const harness *h, fuzz_input *in)
{
    int64_t id;
    const nj_registry *reg = pick_owner(h, in, &id);
    return reg ? nj_posting_get(reg, id)
               : (nj_posting *)(void *)nj_participant_get(h->reg, id);
}

nj_participant *pick_participant(const harness *h, fuzz_input *in)
{
    int64_t id;
    const nj_registry *reg = pick_owner(h, in, &id);
    return reg ? nj_participant_get(reg, id)
               : (nj_participant *)(void *)nj_region_get(h->reg, id);
}
