/*
 * Shared parts of the fuzz targets (public API only):
 *
 * - the input's first bytes choose what is fuzzed: byte 0 a selector, bytes
 *   1-2 the position of an allocation to fail (little-endian, 0 = none: the
 *   libxml2 pattern), the rest is the file;
 * - a fixture registry with every kind of object, built through a counting
 *   allocator that can fail the chosen allocation;
 * - the invariants, which abort() when broken: a failed allocation is
 *   reported as NJ_E_NOMEM and never missed; a failed import changes
 *   nothing; an import that succeeds exports, re-imports into a fresh
 *   fixture and exports again to identical bytes and an identical registry.
 */
#ifndef NJ_FUZZ_SUPPORT_H
#define NJ_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <nearjob.h>

#include "fuzz_alloc.h"

/* Bytes in front of the file. */
#define FUZZ_HEADER 3

/* How much of the fixture to build, each level adding to the one before:
 * regions (광주 > 광산구 > 송정1동, squares); a library; two postings (one
 * closing early) and three residents; 100 selected for posting 10. */
enum fuzz_level {
    FUZZ_EMPTY,
    FUZZ_REGIONS,
    FUZZ_FACILITY,
    FUZZ_PEOPLE,
    FUZZ_SELECTED
};

/* A fixture registry through `a`; smaller limits keep each run fast. */
nj_registry *fuzz_fixture(fuzz_alloc *a, int level);

/* Every object of every type, as the CSV exports; caller frees. */
char *fuzz_dump(const nj_registry *reg, size_t *len);

/* Runs `import` on the fixture `object` needs (everything it refers to,
 * none of its own kind) with the chosen allocation failing, and checks the
 * invariants. When it succeeded, `object` is exported and the export
 * imported into a fresh such fixture (an empty one for regions, whose
 * export holds the fixture's regions too) must give the same bytes and
 * the same registry. */
typedef nj_status (*fuzz_import_fn)(nj_registry *reg, const uint8_t *data, size_t len,
                                    void *user);
void fuzz_run(const uint8_t *data, size_t len, fuzz_import_fn import, void *user,
              int32_t object);

#endif
