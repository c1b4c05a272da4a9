package nearjob

// #include <nearjob.h>
// #include <stdlib.h>
import "C"

import (
	"fmt"
	"unsafe"
)

// kind describes one object type of the registry: its name in messages and
// its lookup by id.
type kind[H any] struct {
	name string
	get  func(*creg, C.int64_t) *H
}

// ref names one object by its registry and id. Every call looks the object
// up again under the registry's lock, so an object removed meanwhile gives
// ErrNotFound instead of a dangling handle.
type ref[H any] struct {
	reg  *Registry
	id   int64
	kind *kind[H]
}

func (r ref[H]) missing() error {
	return &Error{Status: StatusNotFound, Message: fmt.Sprintf("%s %d is not in the registry", r.kind.name, r.id)}
}

// read runs a read-only call on the object under the shared lock.
func (r ref[H]) read(fn func(*creg, *H) error) error {
	return r.reg.read(func(c *creg) error {
		h := r.kind.get(c, C.int64_t(r.id))
		if h == nil {
			return r.missing()
		}
		return fn(c, h)
	})
}

// get runs a getter that cannot fail once the object is found.
func (r ref[H]) get(fn func(*H)) error {
	return r.read(func(_ *creg, h *H) error {
		fn(h)
		return nil
	})
}

// write runs a modifying call on the object under the exclusive lock.
func (r ref[H]) write(fn func(*creg, *H) Status) error {
	return r.reg.o.write(func(c *creg) error {
		h := r.kind.get(c, C.int64_t(r.id))
		if h == nil {
			return r.missing()
		}
		return registryFailure(c, fn(c, h))
	})
}

// lookup returns the object with the id, or ErrNotFound.
func lookup[H any, T any](reg *Registry, k *kind[H], id int64, wrap func(ref[H]) T) (T, error) {
	r := ref[H]{reg: reg, id: id, kind: k}
	var zero T
	if err := r.get(func(*H) {}); err != nil {
		return zero, err
	}
	return wrap(r), nil
}

// all returns every object of a type, in the library's iteration order.
func all[H any, T any](reg *Registry, k *kind[H], count func(*creg) C.size_t,
	at func(*creg, C.size_t) int64, wrap func(ref[H]) T) ([]T, error) {
	var out []T
	err := reg.read(func(c *creg) error {
		n := count(c)
		out = make([]T, n)
		for i := range out {
			out[i] = wrap(ref[H]{reg: reg, id: at(c, C.size_t(i)), kind: k})
		}
		return nil
	})
	return out, err
}

// counted returns a count read under the shared lock.
func (r *Registry) counted(count func(*creg) C.size_t) (int, error) {
	var n C.size_t
	err := r.read(func(c *creg) error {
		n = count(c)
		return nil
	})
	return int(n), err
}

// withCString passes s to fn as a C string freed afterwards.
func withCString[T any](s string, fn func(*C.char) T) T {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return fn(cs)
}

// cBool is 1 or 0.
func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// sizeArg converts a non-negative count or index for the library.
func sizeArg(what string, v int) (C.size_t, error) {
	if v < 0 {
		return 0, &Error{Status: StatusRange, Message: fmt.Sprintf("%s %d is negative", what, v)}
	}
	return C.size_t(v), nil
}

// first is the address of s[0], or nil when s is empty.
func first[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// noNUL refuses text the C library would see cut short at a NUL byte.
func noNUL(what, s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return &Error{Status: StatusEncoding, Message: fmt.Sprintf("%s holds a NUL byte at offset %d", what, i)}
		}
	}
	return nil
}

// field reads one value of an object under the shared lock.
func field[H any, T any](r ref[H], fn func(*H) T) (T, error) {
	var v T
	err := r.get(func(h *H) { v = fn(h) })
	return v, err
}
