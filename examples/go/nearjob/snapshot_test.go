package nearjob_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"nearjob.invalid/nearjob"
)

// save -> load -> save is byte-identical, and the loaded registry answers
// as the original did.
func TestSnapshotRoundTrip(t *testing.T) {
	r := gwangju(t)
	twoJobs(t, r)
	fortyAndSeventyHours(t, r)
	ok(t, r.VoidWork(100))
	ok(t, r.SetOption(nearjob.OptBudgetKRW, 5000000))
	data := must(r.SaveSnapshot())
	loaded := must(nearjob.LoadSnapshot(data))
	defer loaded.Close()
	equal(t, "saved again", bytes.Equal(must(loaded.SaveSnapshot()), data), true)
	equal(t, "statement", must(loaded.StipendStatement(1, 20230615)), must(r.StipendStatement(1, 20230615)))
	equal(t, "budget", must(loaded.Option(nearjob.OptBudgetKRW)), 5000000)
	equal(t, "located", must(loaded.Locate(35.1826649, 126.8278526)).ID(), 2920063000)
	equal(t, "selection", must(must(loaded.Posting(20)).Selection()), must(must(r.Posting(20)).Selection()))

	path := filepath.Join(t.TempDir(), "programme.njs")
	ok(t, r.SaveSnapshotFile(path))
	equal(t, "file = memory", bytes.Equal(must(os.ReadFile(path)), data), true)
	fromFile := must(nearjob.LoadSnapshotFile(path))
	defer fromFile.Close()
	equal(t, "loaded from file", bytes.Equal(must(fromFile.SaveSnapshot()), data), true)

	// A leftover temporary file stops a save, naming it.
	ok(t, os.WriteFile(path+".tmp", nil, 0o600))
	fails(t, r.SaveSnapshotFile(path), nearjob.ErrIO, path+".tmp")
	_, err := nearjob.LoadSnapshotFile(path + ".missing")
	fails(t, err, nearjob.ErrIO)

	// Damage is refused with the section and the byte offset.
	damaged := append([]byte(nil), data...)
	damaged[len(damaged)-10] ^= 1
	_, err = nearjob.LoadSnapshot(damaged)
	fails(t, err, nearjob.ErrCorrupt, "snapshot section '", "' at byte ")
	_, err = nearjob.LoadSnapshot(data[:23])
	fails(t, err, nearjob.ErrCorrupt)
}

// A snapshot loaded through a limited Allocator: refused with ErrNoMem
// below the memory it needs, accepted with room, and every byte returned at
// Close.
func TestSnapshotWithAllocator(t *testing.T) {
	r := gwangju(t)
	twoJobs(t, r)
	data := must(r.SaveSnapshot())
	path := filepath.Join(t.TempDir(), "s.njs")
	ok(t, r.SaveSnapshotFile(path))

	a := nearjob.NewAllocator(0)
	full := must(nearjob.LoadSnapshotWithAllocator(data, a))
	need := a.Peak()
	ok(t, full.Close())
	equal(t, "freed", a.InUse(), 0)

	tight := nearjob.NewAllocator(need / 2)
	_, err := nearjob.LoadSnapshotWithAllocator(data, tight)
	fails(t, err, nearjob.ErrNoMem)
	equal(t, "nothing held after a refused load", tight.InUse(), 0)
	_, err = nearjob.LoadSnapshotFileWithAllocator(path, tight)
	fails(t, err, nearjob.ErrNoMem)
	equal(t, "nothing held after a refused file load", tight.InUse(), 0)

	tight.SetLimit(2 * need)
	equal(t, "limit", tight.Limit(), 2*need)
	loaded := must(nearjob.LoadSnapshotFileWithAllocator(path, tight))
	equal(t, "loaded with room", bytes.Equal(must(loaded.SaveSnapshot()), data), true)
	// Matching allocates through the registry's allocator, on every thread.
	equal(t, "batch through the allocator", len(must(loaded.MatchBatch(20230301, 0, 0, 0, 4))) >= 0, true)
	ok(t, loaded.Close())
	equal(t, "freed", tight.InUse(), 0)
}
