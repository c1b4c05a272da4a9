package nearjob

/*
#include <nearjob.h>
#include <limits.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// A counting allocator with an optional limit, for the library's allocator
// hooks. It lives in C memory and uses only C atomics, so the hooks run on
// any thread (nj_match_batch's workers included) without calling into Go.
// Each block carries its size in a header of the strictest alignment.
typedef struct njgo_alloc {
	atomic_llong in_use, peak, limit, failures;
} njgo_alloc;

enum { NJGO_HEADER = alignof(max_align_t) };

static int njgo_reserve(njgo_alloc *a, size_t n)
{
	long long limit = atomic_load(&a->limit), now = atomic_load(&a->in_use);
	do {
		if (n > (size_t)(LLONG_MAX - now) || (limit > 0 && now + (long long)n > limit)) {
			atomic_fetch_add(&a->failures, 1);
			return 0;
		}
	} while (!atomic_compare_exchange_weak(&a->in_use, &now, now + (long long)n));
	long long used = now + (long long)n, peak = atomic_load(&a->peak);
	while (used > peak && !atomic_compare_exchange_weak(&a->peak, &peak, used))
		;
	return 1;
}

static void njgo_release(njgo_alloc *a, size_t n) { atomic_fetch_sub(&a->in_use, (long long)n); }

static void *njgo_block(unsigned char *base, size_t size)
{
	memcpy(base, &size, sizeof size);
	return base + NJGO_HEADER;
}

static void *njgo_malloc(size_t size, void *user)
{
	njgo_alloc *a = user;
	if (size > SIZE_MAX - NJGO_HEADER || !njgo_reserve(a, size))
		return NULL;
	unsigned char *base = malloc(NJGO_HEADER + size);
	if (!base) {
		njgo_release(a, size);
		return NULL;
	}
	return njgo_block(base, size);
}

static void *njgo_realloc(void *ptr, size_t size, void *user)
{
	if (!ptr)
		return njgo_malloc(size, user);
	njgo_alloc *a = user;
	unsigned char *base = (unsigned char *)ptr - NJGO_HEADER;
	size_t old;
	memcpy(&old, base, sizeof old);
	if (size > SIZE_MAX - NJGO_HEADER || (size > old && !njgo_reserve(a, size - old)))
		return NULL;
	unsigned char *grown = realloc(base, NJGO_HEADER + size);
	if (!grown) {
		if (size > old)
			njgo_release(a, size - old);
		return NULL;
	}
	if (size < old)
		njgo_release(a, old - size);
	return njgo_block(grown, size);
}

static void njgo_free(void *ptr, void *user)
{
	if (!ptr)
		return;
	unsigned char *base = (unsigned char *)ptr - NJGO_HEADER;
	size_t size;
	memcpy(&size, base, sizeof size);
	njgo_release(user, size);
	free(base);
}

static nj_malloc_fn njgo_malloc_hook(void) { return njgo_malloc; }
static nj_realloc_fn njgo_realloc_hook(void) { return njgo_realloc; }
static nj_free_fn njgo_free_hook(void) { return njgo_free; }

static njgo_alloc *njgo_alloc_new(long long limit)
{
	njgo_alloc *a = calloc(1, sizeof *a);
	if (a)
		atomic_store(&a->limit, limit);
	return a;
}
static long long njgo_alloc_in_use(njgo_alloc *a) { return atomic_load(&a->in_use); }
static long long njgo_alloc_peak(njgo_alloc *a) { return atomic_load(&a->peak); }
static long long njgo_alloc_limit(njgo_alloc *a) { return atomic_load(&a->limit); }
static long long njgo_alloc_failures(njgo_alloc *a) { return atomic_load(&a->failures); }
static void njgo_alloc_set_limit(njgo_alloc *a, long long limit) { atomic_store(&a->limit, limit); }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Allocator is a thread-safe C-heap allocator for the library's allocator
// hooks: it counts the bytes held by the registries and statistics created
// with it and refuses allocations beyond a limit, which the library then
// reports as ErrNoMem, changing nothing. Use one to bound the memory a
// snapshot or an import from an untrusted source may take.
//
// An Allocator may serve several registries at once. Every Registry, Stats
// and StatsTable created with it keeps it alive; it is freed by the garbage
// collector once none of them is left.
type Allocator struct {
	c *C.njgo_alloc
}

// NewAllocator returns an allocator refusing any allocation that would take
// the bytes in use above limit; limit 0 means no limit.
func NewAllocator(limit int64) *Allocator {
	c := C.njgo_alloc_new(C.longlong(limit))
	if c == nil {
		panic("nearjob: out of C memory for an Allocator")
	}
	a := &Allocator{c: c}
	runtime.SetFinalizer(a, func(a *Allocator) { C.free(unsafe.Pointer(a.c)) })
	return a
}

// InUse is the number of bytes currently allocated (block headers excluded).
func (a *Allocator) InUse() int64 { return int64(C.njgo_alloc_in_use(a.c)) }

// Peak is the largest InUse seen so far.
func (a *Allocator) Peak() int64 { return int64(C.njgo_alloc_peak(a.c)) }

// Limit is the current limit in bytes, 0 for none.
func (a *Allocator) Limit() int64 { return int64(C.njgo_alloc_limit(a.c)) }

// SetLimit changes the limit (0 for none). Blocks already held stay.
func (a *Allocator) SetLimit(limit int64) { C.njgo_alloc_set_limit(a.c, C.longlong(limit)) }

// Failures is the number of allocations refused because of the limit.
func (a *Allocator) Failures() int64 { return int64(C.njgo_alloc_failures(a.c)) }

// The library's *_with_allocator functions. The hooks are C functions of
// this file's preamble, so the calls live here.

func (a *Allocator) createRegistry(out **C.struct_nj_registry) Status {
	return Status(C.nj_registry_create_with_allocator(C.njgo_malloc_hook(),
		C.njgo_realloc_hook(), C.njgo_free_hook(), unsafe.Pointer(a.c), out))
}

func (a *Allocator) loadSnapshot(data []byte, out **C.struct_nj_registry, msg *C.char) Status {
	return Status(C.nj_snapshot_load_mem_with_allocator(bytesArg(data), C.size_t(len(data)),
		C.njgo_malloc_hook(), C.njgo_realloc_hook(), C.njgo_free_hook(), unsafe.Pointer(a.c),
		out, msg, errmsgSize))
}

func (a *Allocator) loadSnapshotFile(path *C.char, out **C.struct_nj_registry, msg *C.char) Status {
	return Status(C.nj_snapshot_load_file_with_allocator(path, C.njgo_malloc_hook(),
		C.njgo_realloc_hook(), C.njgo_free_hook(), unsafe.Pointer(a.c), out, msg, errmsgSize))
}

func (a *Allocator) loadStats(data []byte, out **C.struct_nj_stats, msg *C.char) Status {
	return Status(C.nj_stats_load_with_allocator(bytesArg(data), C.size_t(len(data)),
		C.njgo_malloc_hook(), C.njgo_realloc_hook(), C.njgo_free_hook(), unsafe.Pointer(a.c),
		out, msg, errmsgSize))
}
