/*
 * An id-keyed table of objects: a dense array of pointers (for count and
 * iteration by index) plus an open-addressing hash from id to position (for
 * O(1) expected lookup). Every object starts with an nj_object_head, which
 * records its id and its position in the dense array.
 *
 * Insertion never fails once nj_table_reserve() has succeeded, which is how
 * callers keep a failed add from changing anything.
 */
#ifndef NJ_TABLE_INTERNAL_H
#define NJ_TABLE_INTERNAL_H

#include "alloc_internal.h"

/* What an object is, in its head: set when it is made and cleared when it
 * is freed, so that a handle of another kind (a cast, or pointers mixed up
 * across an FFI) is refused instead of read with the wrong layout. The
 * values are unlikely byte patterns rather than 1, 2, 3. */
typedef enum nj_object_kind {
    NJ_KIND_NONE = 0,
    NJ_KIND_REGION = 0x4e4a5247,      /* "NJRG" */
    NJ_KIND_FACILITY = 0x4e4a4643,    /* "NJFC" */
    NJ_KIND_POSTING = 0x4e4a5053,     /* "NJPS" */
    NJ_KIND_PARTICIPANT = 0x4e4a5054  /* "NJPT" */
} nj_object_kind;

typedef struct nj_object_head {
    int64_t id;
    size_t position; /* index in the table's dense array */
    uint32_t kind;   /* an nj_object_kind */
} nj_object_head;

/* Whether a handle is a live object of that kind (NULL is not). */
static inline int nj_object_is(const void *handle, nj_object_kind kind)
{
    return handle && ((const nj_object_head *)handle)->kind == (uint32_t)kind;
}

typedef struct nj_table {
    nj_object_head **items; /* dense, count used, capacity allocated */
    size_t count;
    size_t capacity;
    uint32_t *slots;        /* hash: position + 1, or 0 for empty */
    size_t slot_count;      /* a power of two, or 0 before first use */
} nj_table;

void nj_table_init(nj_table *t);
/* Frees the table's arrays, not the objects. */
void nj_table_free(nj_table *t, const nj_alloc *a);
/* Positions fit in the 32-bit slots with 0 kept for "empty". */
#define NJ_TABLE_MAX_OBJECTS ((size_t)UINT32_MAX - 1)

/* Makes room for `extra` more objects (at most NJ_TABLE_MAX_OBJECTS in
 * all); NJ_E_NOMEM leaves the table as it was. */
nj_status nj_table_reserve(nj_table *t, const nj_alloc *a, size_t extra);
/* Adds an object whose id is absent; requires a successful reserve. */
void nj_table_insert(nj_table *t, nj_object_head *obj);
/* Removes an object; the last object moves into its position. */
void nj_table_remove(nj_table *t, nj_object_head *obj);
nj_object_head *nj_table_find(const nj_table *t, int64_t id);
nj_object_head *nj_table_at(const nj_table *t, size_t position);

#endif
