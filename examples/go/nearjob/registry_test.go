package nearjob_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"nearjob.invalid/nearjob"
)

func TestVersions(t *testing.T) {
	equal(t, "library version", nearjob.LibraryVersion(), nearjob.Version)
	equal(t, "library version number", nearjob.LibraryVersionNumber(), nearjob.VersionNumber)
	equal(t, "version number", nearjob.VersionNumber/10000, 0)
}

// After Close every call returns ErrUseAfterClose, on the registry and on
// the objects, statistics and tables taken from it; nothing crashes.
func TestUseAfterClose(t *testing.T) {
	r, err := nearjob.NewRegistry()
	ok(t, err)
	twoJobs(t, r)
	region := must(r.AddRegion(1, nearjob.RegionProvince, 0, "광주광역시"))
	facility := must(r.Facility(1))
	posting := must(r.Posting(10))
	participant := must(r.Participant(1))
	stats := must(r.ComputeStats(20230101, 20231231))
	table := must(stats.Publish(2023, nearjob.RegionProvince, nearjob.TableAttainment, 1))
	ok(t, r.Close())
	ok(t, r.Close()) // twice is fine

	calls := map[string]error{
		"AddRegion":         second(r.AddRegion(2, nearjob.RegionProvince, 0, "x")),
		"Locate":            second(r.Locate(35.1, 126.8)),
		"RegionCount":       second(r.RegionCount()),
		"QueryRadius":       second(r.QueryRadius(nearjob.MatchParticipants, 35.1, 126.8, 100, 0, 0)),
		"MatchBatch":        second(r.MatchBatch(20230301, 0, 0, 0, 2)),
		"SubmitApplication": r.SubmitApplication(1, 20, 20230301),
		"SaveSnapshot":      second(r.SaveSnapshot()),
		"ExportCSV":         second(r.ExportCSV(nearjob.CSVPostings)),
		"ImportCSV":         second(r.ImportCSV(nearjob.CSVPostings, nil, nearjob.EncodingUTF8)),
		"Region.Name":       second(region.Name()),
		"Facility.Kind":     second(facility.Kind()),
		"Posting.Slots":     second(posting.Slots()),
		"Posting.SetSlots":  posting.SetSlots(3),
		"Participant.Home":  second(participant.Home()),
		"ComputeStats":      second(r.ComputeStats(20230101, 20231231)),
	}
	for name, err := range calls {
		if !errors.Is(err, nearjob.ErrUseAfterClose) {
			t.Errorf("%s after Close: %v", name, err)
		}
	}
	// Statistics and tables do not depend on the registry.
	equal(t, "stats rows after the registry's Close", len(must(stats.Rows())) > 0, true)
	ok(t, stats.Close())
	equal(t, "table columns after the stats' Close", len(must(table.Columns())) > 0, true)
	_, err = stats.Rows()
	fails(t, err, nearjob.ErrUseAfterClose)
	ok(t, table.Close())
	_, err = table.CSV()
	fails(t, err, nearjob.ErrUseAfterClose)
	fails(t, stats.Merge(stats), nearjob.ErrUseAfterClose)
}

func second[T any](_ T, err error) error { return err }

// Objects are looked up by id on every call: once removed, ErrNotFound, and
// an object of the same id added later is found again.
func TestObjectAfterRemove(t *testing.T) {
	r := newRegistry(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	p := must(r.AddPosting(10, 1, "도서 정리", 2))
	ok(t, r.RemovePosting(10))
	_, err := p.Title()
	fails(t, err, nearjob.ErrNotFound, "posting 10 is not in the registry")
	fails(t, p.SetSlots(1), nearjob.ErrNotFound)
	_, err = p.Applications()
	fails(t, err, nearjob.ErrNotFound)
	_, err = r.Posting(10)
	fails(t, err, nearjob.ErrNotFound)
	must(r.AddPosting(10, 1, "서가 정리", 1))
	equal(t, "title of the new posting 10", must(p.Title()), "서가 정리")
}

// The objects keep their registry alive, and the finalizers free whatever
// was not closed without disturbing anything still in use.
func TestFinalizersAreASafetyNet(t *testing.T) {
	kept := func() *nearjob.Posting {
		r := must(nearjob.NewRegistry())
		must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
		return must(r.AddPosting(10, 1, "도서 정리", 2))
	}()
	a := nearjob.NewAllocator(0)
	for i := 0; i < 50; i++ {
		r := must(nearjob.NewRegistryWithAllocator(a))
		twoJobs(t, r)
		must(r.ComputeStats(20230101, 20231231))
	}
	// Finalizers run on their own goroutine after a collection: give them
	// a bounded number of chances.
	for i := 0; i < 200 && a.InUse() > 0; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	equal(t, "bytes the finalizers left", a.InUse(), 0)
	equal(t, "title after GC", must(kept.Title()), "도서 정리")
}
