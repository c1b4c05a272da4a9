/*
 * The stipend ledger at programme scale: N work entries over P residents,
 * recorded in date order in batches of 65 536 (as a nightly import would
 * send them; `single` records them one call each instead), then statements.
 * Baseline in the same run: appending the same entries to a plain array,
 * the cost floor of any ledger.
 *
 * usage: bench_ledger [entries=10000000] [participants=1000000] [batch|single]
 * prints: BENCH ledger entries=<N> participants=<P> entries_per_s=<..>
 *         statement_us=<..> vs_append=<ratio> api=<batch|single>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nearjob.h"

#define BENCH_NAME "bench_ledger"
#include "bench_util.h"

#define POSTINGS 1000

/* Every resident is selected for one of POSTINGS postings (first come). */
static nj_registry *programme(size_t participants)
{
    nj_registry *reg;
    bench_check(nj_registry_create(&reg), NULL, "create");
    bench_check(nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "library", 35.18, 126.82, 0, NULL),
          reg, "facility");
    for (int64_t p = 1; p <= POSTINGS; p++) {
        nj_posting *posting;
        bench_check(nj_posting_add(reg, p, 1, "job", (int32_t)(participants / POSTINGS + 1), &posting),
              reg, "posting");
        bench_check(nj_posting_set_hourly_stipend_krw(reg, posting, 11930), reg, "rate");
    }
    for (size_t i = 1; i <= participants; i++) {
        double lat = 35.05 + 0.3 * (double)(i % 1000) / 1000.0;
        double lon = 126.65 + 0.3 * (double)(i / 1000 % 1000) / 1000.0;
        bench_check(nj_participant_add(reg, (int64_t)i, 19700101, 0, lat, lon, 20230101, 0, NULL),
              reg, "participant");
        bench_check(nj_application_submit(reg, (int64_t)i, (int64_t)(i % POSTINGS) + 1, 20230201), reg, "apply");
    }
    for (int64_t p = 1; p <= POSTINGS; p++)
        bench_check(nj_posting_select(reg, p, NJ_SELECT_FIRST_COME, 0, 20230210), reg, "select");
    return reg;
}

typedef struct entry {
    int64_t id, participant, posting;
    int32_t date, minutes;
} entry;

#define BATCH 65536

/* The entries [first, first + n) as the batch API's parallel arrays. */
typedef struct columns {
    int64_t ids[BATCH], participants[BATCH], postings[BATCH];
    int32_t dates[BATCH], minutes[BATCH];
} columns;

static void record_one_by_one(nj_registry *reg, const entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const entry *e = &entries[i];
        bench_check(nj_work_record(reg, e->id, e->participant, e->posting, e->date, e->minutes),
              reg, "record");
    }
}

static void record_in_batches(nj_registry *reg, const entry *entries, size_t n)
{
    static columns c;
    for (size_t first = 0; first < n; first += BATCH) {
        size_t count = n - first < BATCH ? n - first : BATCH;
        for (size_t i = 0; i < count; i++) {
            const entry *e = &entries[first + i];
            c.ids[i] = e->id;
            c.participants[i] = e->participant;
            c.postings[i] = e->posting;
            c.dates[i] = e->date;
            c.minutes[i] = e->minutes;
        }
        bench_check(nj_work_record_batch(reg, count, c.ids, c.participants, c.postings,
                                   c.dates, c.minutes), reg, "record");
    }
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000;
    size_t participants = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
    int single = argc > 3 && strcmp(argv[3], "single") == 0;
    nj_registry *reg = programme(participants);
    entry *entries = malloc(n * sizeof *entries);
    entry *copy = malloc(n * sizeof *entries);
    if (!entries || !copy)
        return 1;
    /* Entries in date order over one year, residents in rotation. */
    for (size_t i = 0; i < n; i++) {
        size_t who = i % participants + 1;
        int32_t day = (int32_t)(i * 336 / n); /* 12 months of 28 days */
        entries[i] = (entry){(int64_t)i + 1, (int64_t)who, (int64_t)(who % POSTINGS) + 1,
                             20230101 + (day / 28) * 100 + day % 28, 60 + (int32_t)(i % 5) * 60};
    }
    double t0 = bench_now_s();
    int64_t checksum = 0;
    for (size_t i = 0; i < n; i++) {
        copy[i] = entries[i];
        checksum += copy[i].minutes;
    }
    double append_s = bench_now_s() - t0;
    t0 = bench_now_s();
    (single ? record_one_by_one : record_in_batches)(reg, entries, n);
    double record_s = bench_now_s() - t0;
    const size_t statements = 100000;
    int64_t paid_sum = 0;
    t0 = bench_now_s();
    for (size_t i = 0; i < statements; i++) {
        int64_t paid;
        bench_check(nj_stipend_statement(reg, (int64_t)(i * 7919 % participants) + 1, 20230601, NULL,
                                   &paid, NULL, NULL, NULL), reg, "statement");
        paid_sum += paid;
    }
    double statement_s = bench_now_s() - t0;
    printf("BENCH ledger entries=%zu participants=%zu entries_per_s=%.0f statement_us=%.3f "
           "vs_append=%.1f api=%s paid_check=%lld minutes_check=%lld\n", n, participants,
           (double)n / record_s, statement_s / (double)statements * 1e6,
           record_s / (append_s > 0 ? append_s : 1e-9), single ? "single" : "batch",
           (long long)paid_sum, (long long)checksum);
    free(entries);
    free(copy);
    nj_registry_destroy(reg);
    return 0;
}
