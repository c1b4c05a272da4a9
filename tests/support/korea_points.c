#include "korea_points.h"

#include <math.h>

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)
/* Kilometres per degree of latitude on the sphere of 6 371 008.8 m. */
#define KM_PER_DEG (6371.0088 * DEG)

static const double cities[KOREA_CITY_COUNT][2] = {
    {37.5665, 126.9780}, {35.1796, 129.0756}, {37.4563, 126.7052},
    {35.8714, 128.6014}, {36.3504, 127.3845}, {35.1595, 126.8526},
    {35.5384, 129.3114}, {37.2636, 127.0286}, {35.2281, 128.6811},
    {37.6584, 126.8320}, {37.4200, 127.1267}, {37.2411, 127.1776},
    {37.5034, 126.7660}, {36.6424, 127.4890}, {37.3219, 126.8309},
    {35.8242, 127.1480}, {36.8151, 127.1139}, {36.0190, 129.3435},
    {33.4996, 126.5312}, {35.2285, 128.8894},
};

uint64_t korea_rng_next(korea_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

double korea_rng_unit(korea_rng *r)
{
    return (double)(korea_rng_next(r) >> 11) * 0x1p-53;
}

double korea_rng_range(korea_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * korea_rng_unit(r);
}

size_t korea_rng_below(korea_rng *r, size_t n)
{
    return (size_t)(korea_rng_next(r) % n);
}

double korea_rng_gauss(korea_rng *r)
{
    double u = korea_rng_unit(r), v = korea_rng_unit(r);
    return sqrt(-2.0 * log(u > 0.0 ? u : 0x1p-53)) * cos(2.0 * PI * v);
}

void korea_mix_init(korea_mix *m, korea_rng *r)
{
    for (size_t c = 0; c < KOREA_CITY_COUNT; c++)
        m->sigma_km[c] = korea_rng_range(r, 3.0, 9.0);
}

void korea_point(korea_rng *r, const korea_mix *m, double *lat, double *lon)
{
    if (korea_rng_unit(r) < 0.3) {
        *lat = korea_rng_range(r, 33.0, 39.0);
        *lon = korea_rng_range(r, 124.0, 132.0);
        return;
    }
    size_t c = (size_t)(korea_rng_unit(r) * KOREA_CITY_COUNT);
    double s = m->sigma_km[c] / KM_PER_DEG;
    *lat = cities[c][0] + s * korea_rng_gauss(r);
    *lon = cities[c][1] + s * korea_rng_gauss(r) / cos(cities[c][0] * DEG);
}
