package nearjob

import (
	"path/filepath"
	"testing"
	"time"
)

// lockFixture is a registry with one object of each kind: region 29 with a
// boundary, facility 1 in it, posting 10 there, participant 1 who applied.
type lockFixture struct {
	r    *Registry
	reg  *Region
	fac  *Facility
	post *Posting
	who  *Participant
	dir  string
}

func newLockFixture(t *testing.T) *lockFixture {
	t.Helper()
	r, err := NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	f := &lockFixture{r: r, dir: t.TempDir()}
	steps := []func() error{
		func() (err error) { f.reg, err = r.AddRegion(29, RegionProvince, 0, "광주광역시"); return },
		func() error {
			return f.reg.SetBoundary([]Polygon{{{{35.0, 126.7}, {35.0, 127.0}, {35.3, 127.0}, {35.3, 126.7}}}})
		},
		func() (err error) {
			f.fac, err = r.AddFacility(1, FacilityLibrary, "신가도서관", 35.18, 126.82, 0)
			return
		},
		func() (err error) { f.post, err = r.AddPosting(10, 1, "도서 정리", 2); return },
		func() error { return f.post.SetWorkPeriod(20230301, 20230331) },
		func() (err error) {
			f.who, err = r.AddParticipant(1, 19630515, false, 35.18, 126.82, 20230101, 0)
			return
		},
		func() error { return r.SubmitApplication(1, 10, 20230220) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// errOf drops a result and keeps the error.
func errOf[T any](_ T, err error) error { return err }

// lockCase is one method of a Registry or of its objects.
type lockCase struct {
	name string
	call func(f *lockFixture) error
}

// readOnlyCases call the methods whose C functions are read-only.
var readOnlyCases = []lockCase{
	{"Region", func(f *lockFixture) error { return errOf(f.r.Region(29)) }},
	{"RegionCount", func(f *lockFixture) error { return errOf(f.r.RegionCount()) }},
	{"Regions", func(f *lockFixture) error { return errOf(f.r.Regions()) }},
	{"Locate", func(f *lockFixture) error { return errOf(f.r.Locate(35.18, 126.82)) }},
	{"Facility", func(f *lockFixture) error { return errOf(f.r.Facility(1)) }},
	{"FacilityCount", func(f *lockFixture) error { return errOf(f.r.FacilityCount()) }},
	{"Facilities", func(f *lockFixture) error { return errOf(f.r.Facilities()) }},
	{"Posting", func(f *lockFixture) error { return errOf(f.r.Posting(10)) }},
	{"PostingCount", func(f *lockFixture) error { return errOf(f.r.PostingCount()) }},
	{"Postings", func(f *lockFixture) error { return errOf(f.r.Postings()) }},
	{"Participant", func(f *lockFixture) error { return errOf(f.r.Participant(1)) }},
	{"ParticipantCount", func(f *lockFixture) error { return errOf(f.r.ParticipantCount()) }},
	{"Participants", func(f *lockFixture) error { return errOf(f.r.Participants()) }},
	{"QueryRadius", func(f *lockFixture) error {
		return errOf(f.r.QueryRadius(MatchParticipants, 35.18, 126.82, 500, OrderDistance, 0))
	}},
	{"QueryRadiusInto", func(f *lockFixture) error {
		_, _, err := f.r.QueryRadiusInto(MatchPostings, 35.18, 126.82, 500, OrderNone, 0, nil, nil)
		return err
	}},
	{"MatchForParticipant", func(f *lockFixture) error {
		return errOf(f.r.MatchForParticipant(1, 2000, 20230220, 0))
	}},
	{"MatchForPosting", func(f *lockFixture) error { return errOf(f.r.MatchForPosting(10, 20230220, 0, 0)) }},
	{"MatchBatch", func(f *lockFixture) error { return errOf(f.r.MatchBatch(20230220, 0, 0, 0, 2)) }},
	{"ApplicationStatus", func(f *lockFixture) error { return errOf(f.r.ApplicationStatus(1, 10)) }},
	{"Option", func(f *lockFixture) error { return errOf(f.r.Option(OptStipendCapMinutes)) }},
	{"WorkEntryCount", func(f *lockFixture) error { return errOf(f.r.WorkEntryCount()) }},
	{"WorkEntryIDs", func(f *lockFixture) error { return errOf(f.r.WorkEntryIDs()) }},
	{"WorkEntry", func(f *lockFixture) error { return ignoreNotFound(errOf(f.r.WorkEntry(5))) }},
	{"StipendStatement", func(f *lockFixture) error { return errOf(f.r.StipendStatement(1, 20230301)) }},
	{"PostingStipendTotals", func(f *lockFixture) error {
		return errOf(f.r.PostingStipendTotals(10, 20230301))
	}},
	{"ProgrammeStipendTotals", func(f *lockFixture) error {
		_, _, err := f.r.ProgrammeStipendTotals(20230301)
		return err
	}},
	{"Target", func(f *lockFixture) error {
		return ignoreNotFound(errOf(f.r.Target(2023, 29, ProgrammeAll)))
	}},
	{"TargetCount", func(f *lockFixture) error { return errOf(f.r.TargetCount()) }},
	{"Targets", func(f *lockFixture) error { return errOf(f.r.Targets()) }},
	{"ActualCount", func(f *lockFixture) error { return errOf(f.r.ActualCount()) }},
	{"Actuals", func(f *lockFixture) error { return errOf(f.r.Actuals()) }},
	{"ComputeStats", func(f *lockFixture) error {
		s, err := f.r.ComputeStats(20230101, 20231231)
		if err == nil {
			s.Close()
		}
		return err
	}},
	{"SaveSnapshot", func(f *lockFixture) error { return errOf(f.r.SaveSnapshot()) }},
	{"SaveSnapshotFile", func(f *lockFixture) error {
		return f.r.SaveSnapshotFile(filepath.Join(f.dir, "s.njs"))
	}},
	{"ExportCSV", func(f *lockFixture) error { return errOf(f.r.ExportCSV(CSVPostings)) }},
	{"ExportCSVFile", func(f *lockFixture) error {
		return f.r.ExportCSVFile(CSVPostings, filepath.Join(f.dir, "p.csv"))
	}},
	{"Region.Level", func(f *lockFixture) error { return errOf(f.reg.Level()) }},
	{"Region.ParentID", func(f *lockFixture) error { return errOf(f.reg.ParentID()) }},
	{"Region.Name", func(f *lockFixture) error { return errOf(f.reg.Name()) }},
	{"Region.Boundary", func(f *lockFixture) error { return errOf(f.reg.Boundary()) }},
	{"Region.BBox", func(f *lockFixture) error { return errOf(f.reg.BBox()) }},
	{"Region.Contains", func(f *lockFixture) error { return errOf(f.reg.Contains(35.1, 126.8)) }},
	{"Region.IsWithin", func(f *lockFixture) error { return errOf(f.reg.IsWithin(f.reg)) }},
	{"Facility.Kind", func(f *lockFixture) error { return errOf(f.fac.Kind()) }},
	{"Facility.Name", func(f *lockFixture) error { return errOf(f.fac.Name()) }},
	{"Facility.Location", func(f *lockFixture) error { return errOf(f.fac.Location()) }},
	{"Facility.RegionID", func(f *lockFixture) error { return errOf(f.fac.RegionID()) }},
	{"Facility.PostingCount", func(f *lockFixture) error { return errOf(f.fac.PostingCount()) }},
	{"Posting.FacilityID", func(f *lockFixture) error { return errOf(f.post.FacilityID()) }},
	{"Posting.Title", func(f *lockFixture) error { return errOf(f.post.Title()) }},
	{"Posting.ProgrammeType", func(f *lockFixture) error { return errOf(f.post.ProgrammeType()) }},
	{"Posting.Slots", func(f *lockFixture) error { return errOf(f.post.Slots()) }},
	{"Posting.MinutesPerPerson", func(f *lockFixture) error { return errOf(f.post.MinutesPerPerson()) }},
	{"Posting.HourlyStipendKRW", func(f *lockFixture) error { return errOf(f.post.HourlyStipendKRW()) }},
	{"Posting.WorkPeriod", func(f *lockFixture) error {
		_, _, err := f.post.WorkPeriod()
		return err
	}},
	{"Posting.ApplicationWindow", func(f *lockFixture) error {
		_, _, err := f.post.ApplicationWindow()
		return err
	}},
	{"Posting.AgeRange", func(f *lockFixture) error {
		_, _, err := f.post.AgeRange()
		return err
	}},
	{"Posting.ResidencyRegionID", func(f *lockFixture) error { return errOf(f.post.ResidencyRegionID()) }},
	{"Posting.ForeignAllowed", func(f *lockFixture) error { return errOf(f.post.ForeignAllowed()) }},
	{"Posting.RadiusM", func(f *lockFixture) error { return errOf(f.post.RadiusM()) }},
	{"Posting.EarlyCloseRatio", func(f *lockFixture) error { return errOf(f.post.EarlyCloseRatio()) }},
	{"Posting.Status", func(f *lockFixture) error { return errOf(f.post.Status()) }},
	{"Posting.ApplicationCount", func(f *lockFixture) error { return errOf(f.post.ApplicationCount()) }},
	{"Posting.CountByStatus", func(f *lockFixture) error {
		return errOf(f.post.CountByStatus(ApplicationApplied))
	}},
	{"Posting.Applications", func(f *lockFixture) error { return errOf(f.post.Applications()) }},
	{"Posting.Selection", func(f *lockFixture) error { return ignoreNotFound(errOf(f.post.Selection())) }},
	{"Participant.BirthDate", func(f *lockFixture) error { return errOf(f.who.BirthDate()) }},
	{"Participant.IsForeign", func(f *lockFixture) error { return errOf(f.who.IsForeign()) }},
	{"Participant.Home", func(f *lockFixture) error { return errOf(f.who.Home()) }},
	{"Participant.VerifiedDate", func(f *lockFixture) error { return errOf(f.who.VerifiedDate()) }},
	{"Participant.RegionID", func(f *lockFixture) error { return errOf(f.who.RegionID()) }},
	{"Participant.AgeOn", func(f *lockFixture) error { return errOf(f.who.AgeOn(20230301)) }},
	{"Participant.ApplicationCount", func(f *lockFixture) error { return errOf(f.who.ApplicationCount()) }},
	{"Participant.Applications", func(f *lockFixture) error { return errOf(f.who.Applications()) }},
	{"Participant.FollowOn", func(f *lockFixture) error { return errOf(f.who.FollowOn(FollowOnHired)) }},
}

// modifyingCases call the methods whose C functions modify the registry.
var modifyingCases = []lockCase{
	{"AddRegion", func(f *lockFixture) error { return errOf(f.r.AddRegion(30, RegionProvince, 0, "x")) }},
	{"RemoveRegion", func(f *lockFixture) error { return f.r.RemoveRegion(30) }},
	{"AddFacility", func(f *lockFixture) error {
		return errOf(f.r.AddFacility(2, FacilityOther, "x", 35.1, 126.8, 0))
	}},
	{"RemoveFacility", func(f *lockFixture) error { return f.r.RemoveFacility(2) }},
	{"AddPosting", func(f *lockFixture) error { return errOf(f.r.AddPosting(11, 1, "x", 1)) }},
	{"RemovePosting", func(f *lockFixture) error { return f.r.RemovePosting(11) }},
	{"AddParticipant", func(f *lockFixture) error {
		return errOf(f.r.AddParticipant(2, 19800101, false, 35.1, 126.8, 20230101, 0))
	}},
	{"RemoveParticipant", func(f *lockFixture) error { return f.r.RemoveParticipant(2) }},
	{"SubmitApplication", func(f *lockFixture) error { return f.r.SubmitApplication(1, 10, 20230221) }},
	{"WithdrawApplication", func(f *lockFixture) error { return f.r.WithdrawApplication(1, 10) }},
	{"SetOption", func(f *lockFixture) error { return f.r.SetOption(OptBudgetKRW, 1000) }},
	{"RecordWork", func(f *lockFixture) error { return f.r.RecordWork(1, 1, 10, 20230301, 60) }},
	{"RecordWorkBatch", func(f *lockFixture) error {
		return f.r.RecordWorkBatch([]WorkRecord{{EntryID: 2, ParticipantID: 1, PostingID: 10, Date: 20230302, Minutes: 60}})
	}},
	{"VoidWork", func(f *lockFixture) error { return f.r.VoidWork(1) }},
	{"SetTarget", func(f *lockFixture) error { return f.r.SetTarget(2023, 29, ProgrammeAll, 5) }},
	{"RemoveTarget", func(f *lockFixture) error { return f.r.RemoveTarget(2023, 29, ProgrammeAll) }},
	{"RecordActual", func(f *lockFixture) error { return f.r.RecordActual(1, 20230601, 29, ProgrammeAll, 1) }},
	{"RemoveActual", func(f *lockFixture) error { return f.r.RemoveActual(1) }},
	{"RecordFollowOn", func(f *lockFixture) error { return f.r.RecordFollowOn(1, FollowOnHired, 20230701) }},
	{"ClearFollowOn", func(f *lockFixture) error { return f.r.ClearFollowOn(1, FollowOnHired) }},
	{"ImportCSV", func(f *lockFixture) error { return errOf(f.r.ImportCSV(CSVFacilities, nil, EncodingUTF8)) }},
	{"ImportCSVFile", func(f *lockFixture) error {
		return errOf(f.r.ImportCSVFile(CSVFacilities, filepath.Join(f.dir, "none.csv"), EncodingUTF8))
	}},
	{"ImportGeoJSONRegions", func(f *lockFixture) error { return errOf(f.r.ImportGeoJSONRegions(nil)) }},
	{"ImportGeoJSONRegionsFile", func(f *lockFixture) error {
		return errOf(f.r.ImportGeoJSONRegionsFile(filepath.Join(f.dir, "none.geojson")))
	}},
	{"Close", func(f *lockFixture) error { return f.r.Close() }},
	{"Region.SetName", func(f *lockFixture) error { return f.reg.SetName("광주") }},
	{"Region.SetBoundary", func(f *lockFixture) error { return f.reg.SetBoundary(nil) }},
	{"Facility.SetName", func(f *lockFixture) error { return f.fac.SetName("x") }},
	{"Facility.SetKind", func(f *lockFixture) error { return f.fac.SetKind(FacilityOther) }},
	{"Facility.SetLocation", func(f *lockFixture) error { return f.fac.SetLocation(35.1, 126.8) }},
	{"Facility.SetRegion", func(f *lockFixture) error { return f.fac.SetRegion(29) }},
	{"Posting.Select", func(f *lockFixture) error { return f.post.Select(SelectFirstCome, 0, 20230225) }},
	{"Posting.SetTitle", func(f *lockFixture) error { return f.post.SetTitle("x") }},
	{"Posting.SetProgrammeType", func(f *lockFixture) error { return f.post.SetProgrammeType(ProgrammeOther) }},
	{"Posting.SetSlots", func(f *lockFixture) error { return f.post.SetSlots(3) }},
	{"Posting.SetMinutesPerPerson", func(f *lockFixture) error { return f.post.SetMinutesPerPerson(60) }},
	{"Posting.SetHourlyStipendKRW", func(f *lockFixture) error { return f.post.SetHourlyStipendKRW(100) }},
	{"Posting.SetWorkPeriod", func(f *lockFixture) error { return f.post.SetWorkPeriod(0, 0) }},
	{"Posting.SetApplicationWindow", func(f *lockFixture) error {
		return f.post.SetApplicationWindow(20230101, 20230201)
	}},
	{"Posting.SetAgeRange", func(f *lockFixture) error { return f.post.SetAgeRange(19, 34) }},
	{"Posting.SetResidencyRegion", func(f *lockFixture) error { return f.post.SetResidencyRegion(29) }},
	{"Posting.SetForeignAllowed", func(f *lockFixture) error { return f.post.SetForeignAllowed(false) }},
	{"Posting.SetRadiusM", func(f *lockFixture) error { return f.post.SetRadiusM(100) }},
	{"Posting.SetEarlyCloseRatio", func(f *lockFixture) error { return f.post.SetEarlyCloseRatio(2) }},
	{"Posting.SetStatus", func(f *lockFixture) error { return f.post.SetStatus(PostingClosed) }},
	{"Participant.SetBirthDate", func(f *lockFixture) error { return f.who.SetBirthDate(19630516) }},
	{"Participant.SetForeign", func(f *lockFixture) error { return f.who.SetForeign(true) }},
	{"Participant.SetHome", func(f *lockFixture) error { return f.who.SetHome(35.1, 126.8, 20230601) }},
	{"Participant.SetRegion", func(f *lockFixture) error { return f.who.SetRegion(29) }},
}

func ignoreNotFound(err error) error {
	if e, ok := err.(*Error); ok && e.Status == StatusNotFound {
		return nil
	}
	return err
}

// Every method of a Registry and of its objects locks the registry as
// docs/threading.md classifies its C function: while another goroutine
// holds the shared lock, a read-only method runs to its end and a modifying
// one waits for the lock to be free. (The race detector cannot see this:
// it does not instrument the library's C code.)
func TestLockDiscipline(t *testing.T) {
	for _, c := range readOnlyCases {
		f, done := besideReader(t, c)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s waits while another goroutine only reads", c.name)
		}
		f.r.o.mu.RUnlock()
	}
	for _, c := range modifyingCases {
		f, done := besideReader(t, c)
		select {
		case err := <-done:
			t.Errorf("%s ran while another goroutine was reading (%v)", c.name, err)
			f.r.o.mu.RUnlock()
		case <-time.After(20 * time.Millisecond):
			f.r.o.mu.RUnlock()
			<-done
		}
	}
}

// besideReader takes the shared lock of a new fixture, as a reader would,
// and starts the case's call on another goroutine; the call's error
// arrives on the channel. The caller releases the lock.
func besideReader(t *testing.T, c lockCase) (*lockFixture, <-chan error) {
	f := newLockFixture(t)
	f.r.o.mu.RLock()
	done := make(chan error, 1)
	go func() { done <- c.call(f) }()
	return f, done
}
