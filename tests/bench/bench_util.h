/* Shared by the benchmarks: a monotonic clock and a fatal status check.
 * Define BENCH_NAME before including it. */
#ifndef NJ_BENCH_UTIL_H
#define NJ_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nearjob.h"

static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Exits with the status and the registry's message (reg may be NULL). */
static inline void bench_check(nj_status st, const nj_registry *reg,
                               const char *what)
{
    if (st != NJ_OK) {
        fprintf(stderr, "%s: %s: %s (%s)\n", BENCH_NAME, what, nj_status_str(st),
                reg ? nj_registry_errmsg(reg) : "");
        exit(1);
    }
}

#endif
