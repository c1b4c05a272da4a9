package nearjob_test

import (
	"errors"
	"strings"
	"testing"

	"nearjob.invalid/nearjob"
)

// must returns v, panicking on err: for fixture steps whose failure makes
// the rest of a test meaningless.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// ok fails the test on err.
func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fails checks that err matches the sentinel and its message holds every
// fragment.
func fails(t *testing.T, err error, sentinel error, fragments ...string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got error %v, want %v", err, sentinel)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

// equal fails the test when got != want.
func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// newRegistry is an empty registry closed when the test ends.
func newRegistry(t *testing.T) *nearjob.Registry {
	t.Helper()
	r, err := nearjob.NewRegistry()
	ok(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// twoJobs is the fixture of tests/test_stipend.c: residents 1 and 2, both
// selected for a library posting (10, 11 930 KRW/h, Gwangsan-gu's 2023
// living wage, March 2023) and a welfare-centre posting (20, 10 030 KRW/h,
// the 2025 minimum wage, April to December 2023).
func twoJobs(t *testing.T, r *nearjob.Registry) {
	t.Helper()
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	must(r.AddFacility(2, nearjob.FacilityWelfareCentre, "복지관", 35.1732666, 126.8218974, 0))
	library := must(r.AddPosting(10, 1, "도서 정리", 2))
	welfare := must(r.AddPosting(20, 2, "급식 보조", 2))
	ok(t, library.SetHourlyStipendKRW(11930))
	ok(t, welfare.SetHourlyStipendKRW(10030))
	ok(t, library.SetWorkPeriod(20230301, 20230331))
	ok(t, welfare.SetWorkPeriod(20230401, 20231231))
	for who := int64(1); who <= 2; who++ {
		must(r.AddParticipant(who, 19630515, false, 35.18, 126.82, 20230101, 0))
		ok(t, r.SubmitApplication(who, 10, 20230220))
		ok(t, r.SubmitApplication(who, 20, 20230320))
	}
	ok(t, library.Select(nearjob.SelectFirstCome, 0, 20230225))
	ok(t, welfare.Select(nearjob.SelectFirstCome, 0, 20230325))
}

// fortyAndSeventyHours records, for resident 1, 40 h at the library (10
// days of 4 h, entries 100-109) and then 70 h at the welfare centre (14
// days of 5 h, entries 110-123).
func fortyAndSeventyHours(t *testing.T, r *nearjob.Registry) {
	t.Helper()
	id := int64(100)
	for day := nearjob.Date(1); day <= 10; day++ {
		ok(t, r.RecordWork(id, 1, 10, 20230300+day, 240))
		id++
	}
	for day := nearjob.Date(1); day <= 14; day++ {
		ok(t, r.RecordWork(id, 1, 20, 20230400+day, 300))
		id++
	}
}

// square is a closed ring of (lat, lon) corners.
func square(minLat, minLon, maxLat, maxLon float64) nearjob.Ring {
	return nearjob.Ring{{minLat, minLon}, {minLat, maxLon}, {maxLat, maxLon}, {maxLat, minLon}}
}
