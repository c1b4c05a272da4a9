/*
 * The fuzz targets' allocator hooks (nj_registry_create_with_allocator()):
 * they count calls, fail the one numbered `fail_at` (1-based, 0 for none:
 * the libxml2 pattern) and every request above FUZZ_MAX_ALLOCATION (as
 * libpng's fuzzer fails those above 8 MB, so that a damaged count cannot
 * exhaust the fuzzer's memory), and count the blocks still live, so that a
 * harness can check that everything was freed.
 */
#ifndef NJ_FUZZ_ALLOC_H
#define NJ_FUZZ_ALLOC_H

#include <stddef.h>

#define FUZZ_MAX_ALLOCATION (64u << 20)

typedef struct fuzz_alloc {
    size_t calls;
    size_t fail_at;   /* 1-based call to fail; 0: none */
    size_t failures;  /* calls failed, by fail_at or by size */
    size_t live;      /* blocks allocated and not freed */
} fuzz_alloc;

/* The hooks; `user` is a fuzz_alloc. */
void *fuzz_malloc(size_t size, void *user);
void *fuzz_realloc(void *ptr, size_t size, void *user);
void fuzz_free(void *ptr, void *user);

#endif
