package nearjob_test

import (
	"math"
	"testing"

	"nearjob.invalid/nearjob"
)

// The defaults table of nearjob/posting.h, then every setter with a value
// it accepts and one it refuses (the field keeps its value).
func TestPostingDefaultsAndSetters(t *testing.T) {
	r := newRegistry(t)
	must(r.AddRegion(29200, nearjob.RegionDistrict, 0, "광산구"))
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 29200))
	p := must(r.AddPosting(10, 1, "도서 정리", 2))
	equal(t, "facility", must(p.FacilityID()), 1)
	equal(t, "title", must(p.Title()), "도서 정리")
	equal(t, "programme", must(p.ProgrammeType()), nearjob.ProgrammeDirectJobs)
	equal(t, "slots", must(p.Slots()), 2)
	equal(t, "minutes", must(p.MinutesPerPerson()), 6000)
	equal(t, "stipend", must(p.HourlyStipendKRW()), 0)
	start, end, err := p.WorkPeriod()
	ok(t, err)
	equal(t, "work period", [2]nearjob.Date{start, end}, [2]nearjob.Date{0, 0})
	open, close, err := p.ApplicationWindow()
	ok(t, err)
	equal(t, "window", [2]nearjob.Date{open, close}, [2]nearjob.Date{0, 0})
	min, max, err := p.AgeRange()
	ok(t, err)
	equal(t, "ages", [2]int32{min, max}, [2]int32{0, 150})
	equal(t, "residency", must(p.ResidencyRegionID()), 0)
	equal(t, "foreign allowed", must(p.ForeignAllowed()), true)
	equal(t, "radius", must(p.RadiusM()), 2000)
	equal(t, "early close", must(p.EarlyCloseRatio()), 0)
	equal(t, "status", must(p.Status()), nearjob.PostingOpen)

	ok(t, p.SetTitle("서가 정리"))
	fails(t, p.SetTitle("bad\xc0\xaf"), nearjob.ErrEncoding)
	equal(t, "title", must(p.Title()), "서가 정리")
	ok(t, p.SetProgrammeType(nearjob.ProgrammeCustomBase+7))
	fails(t, p.SetProgrammeType(9), nearjob.ErrInvalid)
	equal(t, "programme", must(p.ProgrammeType()), nearjob.ProgrammeCustomBase+7)
	ok(t, p.SetSlots(1000000))
	fails(t, p.SetSlots(1000001), nearjob.ErrRange)
	equal(t, "slots", must(p.Slots()), 1000000)
	ok(t, p.SetMinutesPerPerson(3000))
	fails(t, p.SetMinutesPerPerson(-1), nearjob.ErrRange)
	equal(t, "minutes", must(p.MinutesPerPerson()), 3000)
	ok(t, p.SetHourlyStipendKRW(11930))
	fails(t, p.SetHourlyStipendKRW(1000001), nearjob.ErrRange)
	equal(t, "stipend", must(p.HourlyStipendKRW()), 11930)
	ok(t, p.SetWorkPeriod(20240301, 20240630))
	fails(t, p.SetWorkPeriod(20230229, 20230630), nearjob.ErrInvalid)
	fails(t, p.SetWorkPeriod(20240701, 20240630), nearjob.ErrInvalid)
	start, end = must2(p.WorkPeriod())
	equal(t, "work period", [2]nearjob.Date{start, end}, [2]nearjob.Date{20240301, 20240630})
	ok(t, p.SetApplicationWindow(20240201, 20240215))
	open, close = must2(p.ApplicationWindow())
	equal(t, "window", [2]nearjob.Date{open, close}, [2]nearjob.Date{20240201, 20240215})
	ok(t, p.SetAgeRange(19, 34))
	fails(t, p.SetAgeRange(40, 30), nearjob.ErrRange)
	min, max = must2(p.AgeRange())
	equal(t, "ages", [2]int32{min, max}, [2]int32{19, 34})
	ok(t, p.SetResidencyRegion(29200))
	fails(t, p.SetResidencyRegion(1), nearjob.ErrNotFound)
	equal(t, "residency", must(p.ResidencyRegionID()), 29200)
	ok(t, p.SetForeignAllowed(false))
	equal(t, "foreign allowed", must(p.ForeignAllowed()), false)
	ok(t, p.SetRadiusM(20015115))
	fails(t, p.SetRadiusM(math.NaN()), nearjob.ErrRange)
	fails(t, p.SetRadiusM(20015116), nearjob.ErrRange)
	equal(t, "radius", must(p.RadiusM()), 20015115)
	ok(t, p.SetEarlyCloseRatio(1.5))
	fails(t, p.SetEarlyCloseRatio(0.5), nearjob.ErrRange)
	equal(t, "early close", must(p.EarlyCloseRatio()), 1.5)
	ok(t, p.SetStatus(nearjob.PostingClosed))
	fails(t, p.SetStatus(3), nearjob.ErrInvalid)
	equal(t, "status", must(p.Status()), nearjob.PostingClosed)

	_, err = r.AddPosting(11, 2, "no facility", 1)
	fails(t, err, nearjob.ErrNotFound, "facility 2")
	equal(t, "postings", must(r.PostingCount()), 1)
	equal(t, "postings listed", len(must(r.Postings())), 1)
	equal(t, "postings of the facility", must(must(r.Facility(1)).PostingCount()), 1)
}

func must2[T, U any](a T, b U, err error) (T, U) {
	if err != nil {
		panic(err)
	}
	return a, b
}

func TestFacilityFields(t *testing.T) {
	r := newRegistry(t)
	f := must(r.AddFacility(7, nearjob.FacilityLibrary, "Uam Library", 35.123456789, 126.8517, 0))
	equal(t, "kind", must(f.Kind()), nearjob.FacilityLibrary)
	equal(t, "name", must(f.Name()), "Uam Library")
	// Locations are stored rounded to 1e-7 degree.
	equal(t, "location", must(f.Location()), nearjob.Point{Lat: 35.1234568, Lon: 126.8517})
	equal(t, "region", must(f.RegionID()), 0)
	ok(t, f.SetName("우암도서관"))
	equal(t, "name", must(f.Name()), "우암도서관")
	ok(t, f.SetKind(nearjob.FacilityYouthCentre))
	fails(t, f.SetKind(8), nearjob.ErrInvalid)
	equal(t, "kind", must(f.Kind()), nearjob.FacilityYouthCentre)
	fails(t, f.SetLocation(91, 0), nearjob.ErrRange)
	fails(t, f.SetRegion(5), nearjob.ErrNotFound)
	equal(t, "facilities", must(r.FacilityCount()), 1)
	equal(t, "facilities listed", must(r.Facilities())[0].ID(), 7)
	ok(t, r.RemoveFacility(7))
	fails(t, r.RemoveFacility(7), nearjob.ErrNotFound)
}

func TestParticipantFields(t *testing.T) {
	r := newRegistry(t)
	dong := must(r.AddRegion(2920000001, nearjob.RegionNeighbourhood, 0, "Example-dong"))
	ok(t, dong.SetBoundary([]nearjob.Polygon{{square(35.13, 126.78, 35.15, 126.80)}}))
	p := must(r.AddParticipant(42, 20000229, true, 35.14, 126.79, 20230101, 0))
	equal(t, "birth", must(p.BirthDate()), 20000229)
	equal(t, "foreign", must(p.IsForeign()), true)
	equal(t, "home", must(p.Home()), nearjob.Point{Lat: 35.14, Lon: 126.79})
	equal(t, "verified", must(p.VerifiedDate()), 20230101)
	equal(t, "derived region", must(p.RegionID()), dong.ID())
	// Born on 29 February: a year older on 1 March in common years.
	equal(t, "age on 28 Feb", must(p.AgeOn(20230228)), 22)
	equal(t, "age on 1 Mar", must(p.AgeOn(20230301)), 23)
	equal(t, "age on 29 Feb", must(p.AgeOn(20240229)), 24)
	_, err := p.AgeOn(19991231)
	fails(t, err, nearjob.ErrRange)
	_, err = p.AgeOn(20230229)
	fails(t, err, nearjob.ErrInvalid)

	ok(t, p.SetForeign(false))
	equal(t, "foreign", must(p.IsForeign()), false)
	ok(t, p.SetBirthDate(19630515))
	fails(t, p.SetBirthDate(20230102), nearjob.ErrInvalid) // after the verification
	equal(t, "birth", must(p.BirthDate()), 19630515)
	ok(t, p.SetHome(35.20, 126.90, 20230601)) // outside the dong: the derived region goes
	equal(t, "region after moving", must(p.RegionID()), 0)
	ok(t, p.SetRegion(dong.ID()))
	equal(t, "given region", must(p.RegionID()), dong.ID())
	fails(t, p.SetHome(35.2, 126.9, 20230230), nearjob.ErrInvalid)
	equal(t, "participants", must(r.ParticipantCount()), 1)
	equal(t, "listed", must(r.Participants())[0].ID(), 42)
	ok(t, r.RemoveParticipant(42))
	_, err = p.Home()
	fails(t, err, nearjob.ErrNotFound, "participant 42")

	for d, valid := range map[nearjob.Date]bool{20240229: true, 20230229: false, 20240230: false,
		19000101: true, 18991231: false, 29991231: true, 30000101: false} {
		equal(t, d.String(), d.Valid(), valid)
	}
	equal(t, "DateOf", nearjob.DateOf(2024, 2, 29), 20240229)
	equal(t, "String", nearjob.Date(20240229).String(), "2024-02-29")
}
