#include "alloc_internal.h"

#include <stdlib.h>
#include <string.h>

static void *libc_malloc(size_t size, void *user)
{
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *ptr, void *user)
{
    (void)user;
    free(ptr);
}

const nj_alloc nj_alloc_default = {libc_malloc, libc_realloc, libc_free, NULL};

void *nj_alloc_malloc(const nj_alloc *a, size_t size)
{
    return a->malloc_fn(size ? size : 1, a->user);
}

void *nj_alloc_array(const nj_alloc *a, size_t count, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes))
        return NULL;
    return nj_alloc_malloc(a, bytes);
}

void *nj_alloc_realloc_array(const nj_alloc *a, void *ptr, size_t count,
                             size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes))
        return NULL;
    return a->realloc_fn(ptr, bytes ? bytes : 1, a->user);
}

void nj_alloc_free(const nj_alloc *a, void *ptr)
{
    if (ptr)
        a->free_fn(ptr, a->user);
}

char *nj_alloc_strdup(const nj_alloc *a, const char *s, size_t len)
{
    char *copy = nj_alloc_malloc(a, len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

nj_status nj_alloc_grow(const nj_alloc *a, void **items, size_t *cap,
                        size_t needed, size_t size)
{
    if (needed <= *cap)
        return NJ_OK;
    size_t new_cap = *cap ? *cap : 4;
    while (new_cap < needed) {
        if (new_cap > SIZE_MAX / 2)
            return NJ_E_NOMEM;
        new_cap *= 2;
    }
    void *grown = nj_alloc_realloc_array(a, *items, new_cap, size);
    if (!grown)
        return NJ_E_NOMEM;
    *items = grown;
    *cap = new_cap;
    return NJ_OK;
}
