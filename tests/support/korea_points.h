/*
 * Seeded test data shared by the spatial tests and benchmarks: the
 * splitmix64 generator and issue 3's Korea-like point mix (70 % in Gaussian
 * clusters with sigma 3-9 km around 20 city centres, 30 % uniform over
 * lat 33-39, lon 124-132).
 */
#ifndef NJ_KOREA_POINTS_H
#define NJ_KOREA_POINTS_H

#include <stddef.h>
#include <stdint.h>

#define KOREA_CITY_COUNT 20

typedef struct korea_rng {
    uint64_t state;
} korea_rng;

/* splitmix64 (Steele, Lea and Flood 2014). */
uint64_t korea_rng_next(korea_rng *r);
/* Uniform in [0, 1), 53 bits. */
double korea_rng_unit(korea_rng *r);
/* Uniform in [lo, hi). */
double korea_rng_range(korea_rng *r, double lo, double hi);
/* Uniform in [0, n), n > 0. */
size_t korea_rng_below(korea_rng *r, size_t n);
/* Standard normal (Box-Muller). */
double korea_rng_gauss(korea_rng *r);

/* The cluster widths of one data set, drawn once from the generator. */
typedef struct korea_mix {
    double sigma_km[KOREA_CITY_COUNT];
} korea_mix;

void korea_mix_init(korea_mix *m, korea_rng *r);
/* One point of the mix, in degrees (not snapped). */
void korea_point(korea_rng *r, const korea_mix *m, double *lat, double *lon);

#endif
