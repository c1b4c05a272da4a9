/*
 * libFuzzer target for snapshot loading (reliability.md §2 item 5).
 *
 * Input: a u32 (little-endian) naming the allocation to fail (1-based, 0
 * for none; the libxml2 pattern), then the snapshot bytes. Checks, each
 * failure an abort():
 * - a load either succeeds or says NJ_E_CORRUPT / NJ_E_VERSION (with a
 *   message), or NJ_E_NOMEM exactly when an allocation was failed; a
 *   success never hides a failed allocation;
 * - snapshot -> load -> snapshot: whatever loads saves to bytes that load
 *   again and save to the same bytes;
 * - every allocation is freed.
 * Fuzz builds (-Dfuzz=true) skip the CRC checks, so mutations reach the
 * section readers. Without libFuzzer, standalone_driver.c runs the corpus.
 *
 *   CC=clang meson setup b-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
 *   b-fuzz/tests/fuzz/fuzz_snapshot -max_total_time=60 -max_len=65536 \
 *       tests/fuzz/corpus/snapshot  (new inputs go into the corpus folder)
 *   b-fuzz/tests/fuzz/make_snapshot_seeds tests/fuzz/corpus/snapshot  (the seeds)
 * Before committing new inputs (minimised with -merge=1), give them valid
 * checksums with make_snapshot_seeds --fix-crc, so that the replay in
 * builds that check checksums reaches the same code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearjob.h"

#include "fuzz_alloc.h"

static void fail(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_snapshot: %s (%s)\n", what, msg);
    abort();
}

/* A status is reported truly: NJ_E_NOMEM if and only if an allocation
 * failed. Returns 1 when the call succeeded. */
static int check_status(nj_status st, const fuzz_alloc *a, const char *msg,
                        nj_status other_allowed)
{
    if (st == NJ_OK && a->failures > 0)
        fail("a failed allocation went unreported", msg);
    if (st == NJ_E_NOMEM && a->failures == 0)
        fail("out of memory reported without a failed allocation", msg);
    if (st != NJ_OK && st != NJ_E_NOMEM && st != other_allowed && st != NJ_E_VERSION)
        fail("unexpected status", nj_status_str(st));
    return st == NJ_OK;
}

static nj_registry *load(const uint8_t *data, size_t size, fuzz_alloc *a, nj_status *st)
{
    nj_registry *reg = NULL;
    char msg[320];
    *st = nj_snapshot_load_mem_with_allocator(data, size, fuzz_malloc, fuzz_realloc,
                                              fuzz_free, a, &reg, msg, sizeof msg);
    if (!check_status(*st, a, msg, NJ_E_CORRUPT))
        return NULL;
    return reg;
}

/* The snapshot in a malloc'd buffer, or NULL when an allocation failed. */
static uint8_t *save(const nj_registry *reg, const fuzz_alloc *a, size_t *size)
{
    nj_status st = nj_snapshot_save_mem(reg, NULL, 0, size);
    if (st != NJ_E_BUFFER_TOO_SMALL && !check_status(st, a, "size", NJ_E_RANGE))
        return NULL;
    uint8_t *buf = malloc(*size ? *size : 1);
    if (!buf)
        abort();
    size_t written;
    st = nj_snapshot_save_mem(reg, buf, *size, &written);
    if (!check_status(st, a, "save", NJ_E_RANGE)) {
        free(buf);
        return NULL;
    }
    if (written != *size)
        fail("save wrote another size than it announced", "");
    return buf;
}

/* Loads what `first` saved and checks that it saves to the same bytes. */
static void check_round_trip(const uint8_t *first, size_t size, fuzz_alloc *a)
{
    nj_status st;
    nj_registry *reg = load(first, size, a, &st);
    if (!reg)
        fail("a saved snapshot does not load", nj_status_str(st));
    size_t again_size;
    uint8_t *again = save(reg, a, &again_size);
    if (!again || again_size != size || memcmp(first, again, size) != 0)
        fail("snapshot -> load -> snapshot changed the bytes", "");
    free(again);
    nj_registry_destroy(reg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    fuzz_alloc a = {0};
    a.fail_at = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
                (size_t)data[3] << 24;
    nj_status st;
    nj_registry *reg = load(data + 4, size - 4, &a, &st);
    if (reg) {
        size_t first_size;
        uint8_t *first = save(reg, &a, &first_size); /* may meet the failure */
        nj_registry_destroy(reg);
        if (first && a.failures == 0) {
            a.fail_at = 0;
            check_round_trip(first, first_size, &a);
        }
        free(first);
    }
    if (a.live != 0)
        fail("memory leaked", nj_status_str(st));
    return 0;
}
