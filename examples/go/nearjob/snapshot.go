package nearjob

// #include <nearjob.h>
import "C"

import "unsafe"

// SaveSnapshot returns a snapshot of the whole registry (docs/snapshot-
// format.md): saving the same registry twice, or a registry just loaded from
// a snapshot, gives the same bytes. Read-only.
func (r *Registry) SaveSnapshot() ([]byte, error) {
	var out []byte
	err := r.read(func(c *creg) (err error) {
		out, err = fill("saving a snapshot", func(buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
			return Status(C.nj_snapshot_save_mem(c, buf, capacity, size))
		})
		return err
	})
	return out, err
}

// SaveSnapshotFile saves a snapshot to path, replacing any file there
// atomically (path + ".tmp", fsync, rename, folder sync). A leftover
// path.tmp makes it fail with ErrIO; so does any failing step, the message
// naming the call, the file and the reason. Read-only.
func (r *Registry) SaveSnapshotFile(path string) error {
	if err := noNUL("path", path); err != nil {
		return err
	}
	return r.read(func(c *creg) error {
		var msg [errmsgSize]C.char
		st := withCString(path, func(cs *C.char) Status {
			return Status(C.nj_snapshot_save_file(c, cs, &msg[0], errmsgSize))
		})
		return failure(st, C.GoString(&msg[0]))
	})
}

// LoadSnapshot loads a snapshot into a new registry, validating everything
// first. Errors: ErrCorrupt (the message names the section and byte
// offset), ErrVersion (a newer format; both versions named), ErrNoMem.
func LoadSnapshot(data []byte) (*Registry, error) { return LoadSnapshotWithAllocator(data, nil) }

// LoadSnapshotWithAllocator is LoadSnapshot into a registry allocating
// through a (nil: malloc); the load allocates through it too.
func LoadSnapshotWithAllocator(data []byte, a *Allocator) (*Registry, error) {
	return load(a, func(out **creg, msg *C.char) Status {
		if a == nil {
			return Status(C.nj_snapshot_load_mem(bytesArg(data), C.size_t(len(data)), out, msg, errmsgSize))
		}
		return a.loadSnapshot(data, out, msg)
	})
}

// LoadSnapshotFile loads the snapshot at path into a new registry; ErrIO
// when the file cannot be read, otherwise as LoadSnapshot.
func LoadSnapshotFile(path string) (*Registry, error) {
	return LoadSnapshotFileWithAllocator(path, nil)
}

// LoadSnapshotFileWithAllocator is LoadSnapshotFile allocating through a
// (nil: malloc).
func LoadSnapshotFileWithAllocator(path string, a *Allocator) (*Registry, error) {
	if err := noNUL("path", path); err != nil {
		return nil, err
	}
	return load(a, func(out **creg, msg *C.char) Status {
		return withCString(path, func(cs *C.char) Status {
			if a == nil {
				return Status(C.nj_snapshot_load_file(cs, out, msg, errmsgSize))
			}
			return a.loadSnapshotFile(cs, out, msg)
		})
	})
}

// load runs one of the snapshot loads with a message buffer.
func load(a *Allocator, fn func(**creg, *C.char) Status) (*Registry, error) {
	if versionErr != nil {
		return nil, versionErr
	}
	var c *creg
	var msg [errmsgSize]C.char
	if err := failure(fn(&c, &msg[0]), C.GoString(&msg[0])); err != nil {
		return nil, err
	}
	return adoptRegistry(c, a), nil
}
