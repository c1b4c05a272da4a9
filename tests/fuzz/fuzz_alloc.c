#include "fuzz_alloc.h"

#include <stdlib.h>

static int should_fail(fuzz_alloc *a, size_t size)
{
    a->calls++;
    if (a->calls == a->fail_at || size > FUZZ_MAX_ALLOCATION) {
        a->failures++;
        return 1;
    }
    return 0;
}

void *fuzz_malloc(size_t size, void *user)
{
    fuzz_alloc *a = user;
    if (should_fail(a, size))
        return NULL;
    void *p = malloc(size ? size : 1);
    if (!p)
        abort();
    a->live++;
    return p;
}

void *fuzz_realloc(void *ptr, size_t size, void *user)
{
    if (!ptr)
        return fuzz_malloc(size, user);
    if (should_fail(user, size))
        return NULL;
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void fuzz_free(void *ptr, void *user)
{
    fuzz_alloc *a = user;
    if (!ptr)
        return;
    a->live--;
    free(ptr);
}
