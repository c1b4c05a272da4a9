/*
 * CSV import and export at programme scale: N participants (id, birth
 * date, home, verification date) read from one in-memory CSV, then the
 * same registry exported. Baseline in the same run: the same N adds
 * through nj_participant_add() from parsed arrays, the floor any import of
 * them has to pay; the ratio is the parsing, checking and rollback
 * bookkeeping on top.
 *
 * usage: bench_csv [rows=1000000] [repeats=3]
 * prints: BENCH csv rows=<N> rows_per_s=<..> vs_direct=<ratio>
 *         export_rows_per_s=<..> bytes=<..>
 * (best of the repeats; every repeat must give the same registry).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nearjob.h"

#define BENCH_NAME "bench_csv"
#include "bench_util.h"

/* Row i: homes on a grid over Gwangju, birth dates over 60 years. */
static double lat_of(size_t i) { return 35.05 + 0.3 * (double)(i % 1000) / 1000.0; }
static double lon_of(size_t i) { return 126.65 + 0.3 * (double)(i / 1000 % 1000) / 1000.0; }
static int32_t birth_of(size_t i) { return 19500101 + (int32_t)(i % 60) * 10000 + (int32_t)(i % 28); }

static char *make_csv(size_t rows, size_t *len)
{
    size_t cap = 64 + rows * 64;
    char *csv = malloc(cap);
    if (!csv)
        exit(1);
    size_t n = (size_t)snprintf(csv, cap, "id,birth_date,lat,lon,verified_date\r\n");
    for (size_t i = 1; i <= rows; i++)
        n += (size_t)snprintf(csv + n, cap - n, "%zu,%d,%.3f,%.3f,2024-01-02\r\n", i,
                              (int)birth_of(i), lat_of(i), lon_of(i));
    *len = n;
    return csv;
}

static double time_import(const char *csv, size_t len, size_t rows, nj_registry **out)
{
    nj_registry *reg;
    size_t imported = 0;
    bench_check(nj_registry_create(&reg), NULL, "create");
    double t0 = bench_now_s();
    bench_check(nj_csv_import(reg, NJ_CSV_PARTICIPANTS, csv, len, NJ_ENCODING_UTF8, &imported), reg,
          "import");
    double t = bench_now_s() - t0;
    if (imported != rows || nj_participant_count(reg) != rows) {
        fprintf(stderr, "bench_csv: imported %zu of %zu rows\n", imported, rows);
        exit(1);
    }
    *out = reg;
    return t;
}

static double time_direct(size_t rows)
{
    nj_registry *reg;
    bench_check(nj_registry_create(&reg), NULL, "create");
    double t0 = bench_now_s();
    for (size_t i = 1; i <= rows; i++)
        bench_check(nj_participant_add(reg, (int64_t)i, birth_of(i), 0, lat_of(i), lon_of(i), 20240102,
                                 0, NULL), reg, "add");
    double t = bench_now_s() - t0;
    nj_registry_destroy(reg);
    return t;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    size_t len;
    char *csv = make_csv(rows, &len);
    double best_import = 1e30, best_direct = 1e30, best_export = 1e30;
    size_t exported = 0;
    char *first_export = NULL;
    for (int r = 0; r < repeats; r++) {
        nj_registry *reg;
        double t = time_import(csv, len, rows, &reg);
        best_import = t < best_import ? t : best_import;
        t = time_direct(rows);
        best_direct = t < best_direct ? t : best_direct;
        size_t size = 0;
        nj_csv_export(reg, NJ_CSV_PARTICIPANTS, NULL, 0, &size);
        char *out = malloc(size);
        double t0 = bench_now_s();
        bench_check(nj_csv_export(reg, NJ_CSV_PARTICIPANTS, out, size, &exported), reg, "export");
        t = bench_now_s() - t0;
        best_export = t < best_export ? t : best_export;
        if (first_export && memcmp(first_export, out, size) != 0) {
            fprintf(stderr, "bench_csv: repeats exported different bytes\n");
            return 1;
        }
        free(first_export);
        first_export = out;
        nj_registry_destroy(reg);
    }
    printf("BENCH csv rows=%zu rows_per_s=%.0f vs_direct=%.2f export_rows_per_s=%.0f bytes=%zu\n",
           rows, (double)rows / best_import, best_import / best_direct,
           (double)rows / best_export, len);
    free(first_export);
    free(csv);
    return 0;
}
