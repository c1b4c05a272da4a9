package nearjob

// #include <stddef.h>
import "C"

import (
	"sync"
	"unsafe"
)

// owner holds one C object (a registry, statistics or a table) behind a
// readers-writer lock. Readers share it, writers and Close have it alone,
// and once it is closed every call gets ErrUseAfterClose.
type owner[T any] struct {
	mu      sync.RWMutex
	c       *T
	destroy func(*T)
}

// read runs fn under the shared lock.
func (o *owner[T]) read(fn func(*T) error) error {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.c == nil {
		return ErrUseAfterClose
	}
	return fn(o.c)
}

// write runs fn under the exclusive lock.
func (o *owner[T]) write(fn func(*T) error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.c == nil {
		return ErrUseAfterClose
	}
	return fn(o.c)
}

// close destroys the object once; later calls do nothing.
func (o *owner[T]) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.c != nil {
		o.destroy(o.c)
		o.c = nil
	}
}

// errmsgSize is the size of the message buffers of the functions that take
// one (the snapshot and statistics loads and the snapshot file save).
const errmsgSize = 512

// bytesArg is the address of data's first byte, or nil when it is empty.
func bytesArg(data []byte) unsafe.Pointer {
	if len(data) == 0 {
		return nil
	}
	return unsafe.Pointer(&data[0])
}

// fill runs a library function of the (buf, capacity, *size) kind twice:
// first with no buffer to learn the size, then into a buffer of that size.
// Run it under the lock that keeps the object unchanged between the calls.
func fill(what string, call func(buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status) ([]byte, error) {
	var size C.size_t
	st := call(nil, 0, &size)
	if st == StatusOK {
		return []byte{}, nil
	}
	if st == StatusBufferTooSmall {
		buf := make([]byte, size)
		if st = call(unsafe.Pointer(&buf[0]), size, &size); st == StatusOK {
			return buf[:size], nil
		}
	}
	return nil, failure(st, what)
}
