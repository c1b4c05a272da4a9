/* Allocator hooks carried by a registry; every allocation goes through them. */
#ifndef NJ_ALLOC_INTERNAL_H
#define NJ_ALLOC_INTERNAL_H

#include "nearjob/common.h"

typedef struct nj_alloc {
    nj_malloc_fn malloc_fn;
    nj_realloc_fn realloc_fn;
    nj_free_fn free_fn;
    void *user;
} nj_alloc;

void *nj_alloc_malloc(const nj_alloc *a, size_t size);
/* Allocates count * size bytes, or returns NULL when the product overflows. */
void *nj_alloc_array(const nj_alloc *a, size_t count, size_t size);
/* Resizes to count * size bytes; NULL on overflow or failure, ptr untouched. */
void *nj_alloc_realloc_array(const nj_alloc *a, void *ptr, size_t count,
                             size_t size);
void nj_alloc_free(const nj_alloc *a, void *ptr);
/* Copies a NUL-terminated string of known length. */
char *nj_alloc_strdup(const nj_alloc *a, const char *s, size_t len);

/*
 * Makes room for `needed` elements of `size` bytes in *items (capacity in
 * *cap), growing geometrically. NJ_E_NOMEM leaves both as they were.
 */
nj_status nj_alloc_grow(const nj_alloc *a, void **items, size_t *cap,
                        size_t needed, size_t size);

/* The C library's malloc/realloc/free as hooks. */
extern const nj_alloc nj_alloc_default;

#endif
