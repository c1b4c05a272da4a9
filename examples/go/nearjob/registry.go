package nearjob

// #include <nearjob.h>
import "C"

import "runtime"

// creg is the C registry type.
type creg = C.struct_nj_registry

// Registry is the in-memory database of one programme: its regions,
// facilities, postings, participants, applications, stipend ledger, targets
// and options. It is safe for concurrent use: read-only methods share a
// lock and run in parallel, modifying ones take it alone.
type Registry struct {
	o     owner[creg]
	alloc *Allocator // keeps the allocator alive while the registry uses it
}

// NewRegistry creates an empty registry that allocates with the C library's
// malloc.
func NewRegistry() (*Registry, error) { return NewRegistryWithAllocator(nil) }

// NewRegistryWithAllocator creates an empty registry whose every allocation
// goes through a (nil: the C library's malloc). Errors: ErrNoMem, and
// ErrVersion when the library loaded is not one this binding was built for.
func NewRegistryWithAllocator(a *Allocator) (*Registry, error) {
	if versionErr != nil {
		return nil, versionErr
	}
	var c *creg
	var st Status
	if a == nil {
		st = Status(C.nj_registry_create(&c))
	} else {
		st = a.createRegistry(&c)
	}
	if err := failure(st, "creating a registry"); err != nil {
		return nil, err
	}
	return adoptRegistry(c, a), nil
}

// adoptRegistry wraps a registry the library created.
func adoptRegistry(c *creg, a *Allocator) *Registry {
	r := &Registry{alloc: a}
	r.o.c = c
	r.o.destroy = func(c *creg) { C.nj_registry_destroy(c) }
	runtime.SetFinalizer(r, (*Registry).Close)
	return r
}

// Close frees the registry and everything in it. It waits for calls running
// on other goroutines; afterwards every method of the registry and of its
// objects returns ErrUseAfterClose. Closing twice does nothing.
func (r *Registry) Close() error {
	r.o.close()
	runtime.SetFinalizer(r, nil)
	return nil
}

// read runs a read-only call under the shared lock. Such calls never write
// the registry's message, so their errors carry the binding's own.
func (r *Registry) read(fn func(*creg) error) error { return r.o.read(fn) }

// write runs a modifying call under the exclusive lock. On failure the
// error carries the registry's message, read before the lock is released so
// that no other call can replace it.
func (r *Registry) write(fn func(*creg) Status) error {
	return r.o.write(func(c *creg) error { return registryFailure(c, fn(c)) })
}

// registryFailure is nil for StatusOK, else an *Error with the registry's
// message. Call it with the exclusive lock held.
func registryFailure(c *creg, st Status) error {
	if st == StatusOK {
		return nil
	}
	return &Error{Status: st, Message: C.GoString(C.nj_registry_errmsg(c))}
}
