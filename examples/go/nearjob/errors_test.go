package nearjob_test

import (
	"errors"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"

	"nearjob.invalid/nearjob"
)

// The sentinels carry the header's pinned values (nearjob/common.h) and the
// library's names for them.
func TestSentinelsMirrorTheHeader(t *testing.T) {
	for _, c := range []struct {
		sentinel *nearjob.Error
		value    int32
		name     string
	}{
		{nearjob.ErrInvalid, 1, "NJ_E_INVALID"},
		{nearjob.ErrNoMem, 2, "NJ_E_NOMEM"},
		{nearjob.ErrNotFound, 3, "NJ_E_NOT_FOUND"},
		{nearjob.ErrExists, 4, "NJ_E_EXISTS"},
		{nearjob.ErrRange, 5, "NJ_E_RANGE"},
		{nearjob.ErrIneligible, 6, "NJ_E_INELIGIBLE"},
		{nearjob.ErrClosed, 7, "NJ_E_CLOSED"},
		{nearjob.ErrCap, 8, "NJ_E_CAP"},
		{nearjob.ErrIO, 9, "NJ_E_IO"},
		{nearjob.ErrCorrupt, 10, "NJ_E_CORRUPT"},
		{nearjob.ErrVersion, 11, "NJ_E_VERSION"},
		{nearjob.ErrEncoding, 12, "NJ_E_ENCODING"},
		{nearjob.ErrBufferTooSmall, 13, "NJ_E_BUFFER_TOO_SMALL"},
		{nearjob.ErrUnsupported, 14, "NJ_E_UNSUPPORTED"},
		{nearjob.ErrInUse, 15, "NJ_E_IN_USE"},
	} {
		equal(t, c.name+" value", int32(c.sentinel.Status), c.value)
		if !strings.HasPrefix(c.sentinel.Status.String(), c.name+": ") {
			t.Errorf("status %d is %q, want %s", c.value, c.sentinel.Status, c.name)
		}
		err := error(&nearjob.Error{Status: nearjob.Status(c.value), Message: "detail"})
		if !errors.Is(err, c.sentinel) || errors.Unwrap(err) != c.sentinel {
			t.Errorf("%s: errors.Is/Unwrap do not reach the sentinel", c.name)
		}
		if c.sentinel != nearjob.ErrInvalid && errors.Is(err, nearjob.ErrInvalid) {
			t.Errorf("%s matches ErrInvalid", c.name)
		}
		equal(t, c.name+" text", err.Error(), "nearjob: "+c.sentinel.Status.String()+": detail")
	}
	equal(t, "OK", nearjob.StatusOK.String(), "NJ_OK: success")
	// A code from a later library: no sentinel, the library's generic name.
	future := &nearjob.Error{Status: 99, Message: "new"}
	equal(t, "unknown status", future.Status.String(), "unknown status")
	if errors.Unwrap(future) != nil {
		t.Error("an unknown status unwraps to a sentinel")
	}
	if errors.Is(future, nearjob.ErrInvalid) || !errors.Is(future, &nearjob.Error{Status: 99}) {
		t.Error("an unknown status matches the wrong errors")
	}
	var e *nearjob.Error
	if !errors.As(future, &e) || e.Message != "new" {
		t.Error("errors.As does not find the *Error")
	}
}

// Every status a caller can meet, provoked through the binding, with the
// registry's message naming the object, the field and the limit.
func TestStatusesOfRealCalls(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	_, err := r.AddRegion(1, 9, 0, "x")
	fails(t, err, nearjob.ErrInvalid, "level")
	_, err = r.AddFacility(1, nearjob.FacilityLibrary, "again", 35.1, 126.8, 0)
	fails(t, err, nearjob.ErrExists, "facility 1")
	fails(t, r.RemovePosting(99), nearjob.ErrNotFound, "99")
	_, err = r.AddParticipant(42, 19900101, false, 91.5, 126.8, 20230101, 0)
	fails(t, err, nearjob.ErrRange, "participant 42: latitude 91.5 outside [-90, 90]")
	_, err = r.AddRegion(5, nearjob.RegionProvince, 0, "\xff")
	fails(t, err, nearjob.ErrEncoding)
	fails(t, r.RemoveFacility(1), nearjob.ErrInUse, "facility 1")
	_, err = r.MatchForPosting(10, 20230301, 0, 1<<7)
	fails(t, err, nearjob.ErrUnsupported, "posting 10")

	// Applications: closed after selection, ineligible by age.
	must(r.AddParticipant(3, 19000101, false, 35.18, 126.82, 20230101, 0))
	fails(t, r.SubmitApplication(3, 10, 20230221), nearjob.ErrClosed)
	p := must(r.AddPosting(30, 1, "청소년 멘토", 1))
	ok(t, p.SetAgeRange(19, 34))
	fails(t, r.SubmitApplication(3, 30, 20230221), nearjob.ErrIneligible, "age")

	// The budget cap.
	ok(t, r.SetOption(nearjob.OptBudgetKRW, 1000))
	fails(t, r.RecordWork(1, 1, 10, 20230301, 60), nearjob.ErrCap)

	// Files and data.
	missing := filepath.Join(t.TempDir(), "missing.csv")
	_, err = r.ImportCSVFile(nearjob.CSVFacilities, missing, nearjob.EncodingUTF8)
	fails(t, err, nearjob.ErrIO, missing)
	_, err = nearjob.LoadSnapshot([]byte("not a snapshot at all, just text"))
	fails(t, err, nearjob.ErrCorrupt)
}

// A snapshot of a newer major format version is ErrVersion, naming both
// versions (docs/snapshot-format.md: u16 major at byte 8, the header's
// CRC-32C of bytes 0-19 at byte 20).
func TestNewerSnapshotIsErrVersion(t *testing.T) {
	r := newRegistry(t)
	data := must(r.SaveSnapshot())
	data[8], data[9] = 2, 0
	sum := crc32.Checksum(data[:20], crc32.MakeTable(crc32.Castagnoli))
	data[20], data[21], data[22], data[23] = byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24)
	_, err := nearjob.LoadSnapshot(data)
	fails(t, err, nearjob.ErrVersion, "version 2.0", "1.0")
}

// The library's NJ_E_NOMEM, provoked with a limited Allocator: the failed
// call changes nothing, and the registry works again once memory is there.
func TestAllocatorLimitGivesErrNoMem(t *testing.T) {
	a := nearjob.NewAllocator(0)
	r, err := nearjob.NewRegistryWithAllocator(a)
	ok(t, err)
	defer r.Close()
	twoJobs(t, r)
	before := must(r.ExportCSV(nearjob.CSVFacilities))
	a.SetLimit(a.InUse())
	_, err = r.AddFacility(3, nearjob.FacilityOther, "경로당", 35.17, 126.81, 0)
	fails(t, err, nearjob.ErrNoMem)
	if a.Failures() == 0 {
		t.Error("the allocator refused nothing")
	}
	a.SetLimit(0)
	equal(t, "facilities after ErrNoMem", string(must(r.ExportCSV(nearjob.CSVFacilities))), string(before))
	must(r.AddFacility(3, nearjob.FacilityOther, "경로당", 35.17, 126.81, 0))
	if a.Peak() < a.InUse() || a.InUse() == 0 {
		t.Errorf("in use %d, peak %d", a.InUse(), a.Peak())
	}
	ok(t, r.Close())
	equal(t, "bytes left after Close", a.InUse(), 0)
}

// Text with a NUL byte would reach C cut short: the binding refuses it.
func TestNULInTextIsRefused(t *testing.T) {
	r := newRegistry(t)
	_, err := r.AddRegion(1, nearjob.RegionProvince, 0, "광주\x00광역시")
	fails(t, err, nearjob.ErrEncoding, "NUL byte at offset 6")
	equal(t, "regions", must(r.RegionCount()), 0)
	_, err = nearjob.LoadSnapshotFile(string([]byte{'a', 0}))
	fails(t, err, nearjob.ErrEncoding)
}
