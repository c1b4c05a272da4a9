/*
 * Snapshots at programme scale: P participants and Q postings (at Q / 10
 * facilities) saved to memory and to a file, and loaded back from both.
 * Baselines in the same run, on the same number of bytes:
 * - write: one write() of the bytes to a new file, then fsync (what the
 *   file save does at the least);
 * - copy: reading a file of those bytes and writing it to another, then
 *   fsync (issue 6's "copying the same bytes file-to-file").
 * Each is run `reps` times; the best and the median are printed.
 *
 * usage: bench_snapshot [participants=1000000] [postings=100000] [reps=5] [dir=.]
 * prints: BENCH snapshot participants=<P> postings=<Q> bytes=<..>
 *         save_mb_s=<..> load_mb_s=<..> vs_copy=<ratio>
 *         (file save and load, best of reps; vs_copy: the slower of the
 *         two against the copy)
 *         and a line per measurement with best/median.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nearjob.h"

#define BENCH_NAME "bench_snapshot"
#include "bench_util.h"

#define MAX_REPS 25

static void check(nj_status st, const char *what, const char *msg)
{
    if (st != NJ_OK) {
        fprintf(stderr, "bench_snapshot: %s: %s (%s)\n", what, nj_status_str(st), msg);
        exit(1);
    }
}

static nj_registry *programme(size_t participants, size_t postings)
{
    nj_registry *reg;
    check(nj_registry_create(&reg), "create", "");
    size_t facilities = postings / 10 + 1;
    for (size_t f = 1; f <= facilities; f++)
        check(nj_facility_add(reg, (int64_t)f, NJ_FACILITY_LIBRARY, "도서관",
                              35.05 + 0.3 * (double)(f % 97) / 97.0,
                              126.65 + 0.3 * (double)(f % 89) / 89.0, 0, NULL),
              "facility", nj_registry_errmsg(reg));
    for (size_t q = 1; q <= postings; q++) {
        nj_posting *p;
        check(nj_posting_add(reg, (int64_t)q, (int64_t)(q % facilities) + 1, "도서 정리 도우미",
                             3, &p), "posting", nj_registry_errmsg(reg));
        check(nj_posting_set_hourly_stipend_krw(reg, p, 11930), "rate", nj_registry_errmsg(reg));
        check(nj_posting_set_work_period(reg, p, 20230301, 20231130), "work",
              nj_registry_errmsg(reg));
    }
    for (size_t i = 1; i <= participants; i++) {
        double lat = 35.05 + 0.3 * (double)(i % 1000) / 1000.0;
        double lon = 126.65 + 0.3 * (double)(i / 1000 % 1000) / 1000.0;
        check(nj_participant_add(reg, (int64_t)i, 19700101 + (int32_t)(i % 28), (int)(i % 50 == 0),
                                 lat, lon, 20230101, 0, NULL),
              "participant", nj_registry_errmsg(reg));
    }
    return reg;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct timing {
    double runs[MAX_REPS];
    int n;
} timing;

static double best(timing *t)
{
    qsort(t->runs, (size_t)t->n, sizeof t->runs[0], compare_doubles);
    return t->runs[0];
}

static double median(timing *t)
{
    qsort(t->runs, (size_t)t->n, sizeof t->runs[0], compare_doubles);
    return t->runs[t->n / 2];
}

static void write_file(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const char *p = data;
    for (size_t left = size; fd >= 0 && left > 0;) {
        ssize_t n = write(fd, p, left);
        if (n <= 0)
            break;
        p += n;
        left -= (size_t)n;
    }
    if (fd < 0 || fsync(fd) != 0 || close(fd) != 0) {
        perror(path);
        exit(1);
    }
}

/* Reads the file whole, then writes it to another: a plain copy. */
static void copy_file(const char *from, const char *to, size_t size)
{
    char *buf = malloc(size);
    int fd = open(from, O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    ssize_t n;
    while (fd >= 0 && got < size && (n = read(fd, buf + got, size - got)) > 0)
        got += (size_t)n;
    if (!buf || fd < 0 || got != size || close(fd) != 0) {
        perror(from);
        exit(1);
    }
    write_file(to, buf, size);
    free(buf);
}

static void report(const char *what, timing *t, double mb, double baseline)
{
    printf("# %-10s best %8.1f ms (%7.1f MB/s)  median %8.1f ms  %.2fx the baseline\n", what,
           best(t) * 1e3, mb / best(t), median(t) * 1e3, best(t) / baseline);
}

int main(int argc, char **argv)
{
    size_t participants = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t postings = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    const char *dir = argc > 4 ? argv[4] : ".";
    if (reps < 1 || reps > MAX_REPS)
        reps = 5;
    char path[4096], copy[4200], plain[4200], msg[320];
    snprintf(path, sizeof path, "%s/bench_snapshot.njs", dir);
    snprintf(copy, sizeof copy, "%s.copy", path);
    snprintf(plain, sizeof plain, "%s.plain", path);

    nj_registry *reg = programme(participants, postings);
    size_t size;
    nj_snapshot_save_mem(reg, NULL, 0, &size);
    char *buf = malloc(size);
    if (!buf)
        return 1;
    double mb = (double)size / 1e6;
    timing save_mem = {0}, save_file = {0}, load_mem = {0}, load_file = {0};
    timing plain_write = {0}, file_copy = {0};
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now_s();
        check(nj_snapshot_save_mem(reg, buf, size, &size), "save_mem", "");
        double t1 = bench_now_s();
        check(nj_snapshot_save_file(reg, path, msg, sizeof msg), "save_file", msg);
        double t2 = bench_now_s();
        write_file(plain, buf, size);
        double t3 = bench_now_s();
        copy_file(path, copy, size);
        double t4 = bench_now_s();
        nj_registry *back;
        check(nj_snapshot_load_mem(buf, size, &back, msg, sizeof msg), "load_mem", msg);
        double t5 = bench_now_s();
        nj_registry_destroy(back);
        double t6 = bench_now_s();
        check(nj_snapshot_load_file(path, &back, msg, sizeof msg), "load_file", msg);
        double t7 = bench_now_s();
        nj_registry_destroy(back);
        save_mem.runs[save_mem.n++] = t1 - t0;
        save_file.runs[save_file.n++] = t2 - t1;
        plain_write.runs[plain_write.n++] = t3 - t2;
        file_copy.runs[file_copy.n++] = t4 - t3;
        load_mem.runs[load_mem.n++] = t5 - t4;
        load_file.runs[load_file.n++] = t7 - t6;
    }
    double write_best = best(&plain_write), copy_best = best(&file_copy);
    printf("# %zu bytes, %d runs; baselines: write+fsync %.1f ms (median %.1f), "
           "copy+fsync %.1f ms (median %.1f)\n", size, reps, write_best * 1e3,
           median(&plain_write) * 1e3, copy_best * 1e3, median(&file_copy) * 1e3);
    report("save_mem", &save_mem, mb, write_best);
    report("save_file", &save_file, mb, write_best);
    report("load_mem", &load_mem, mb, copy_best);
    report("load_file", &load_file, mb, copy_best);
    double slower = best(&save_file) > best(&load_file) ? best(&save_file) : best(&load_file);
    printf("BENCH snapshot participants=%zu postings=%zu bytes=%zu save_mb_s=%.1f "
           "load_mb_s=%.1f vs_copy=%.2f\n", participants, postings, size,
           mb / best(&save_file), mb / best(&load_file), slower / copy_best);
    unlink(path);
    unlink(copy);
    unlink(plain);
    free(buf);
    nj_registry_destroy(reg);
    return 0;
}
