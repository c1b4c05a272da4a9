package nearjob_test

import (
	"bytes"
	"reflect"
	"testing"

	"nearjob.invalid/nearjob"
)

// district adds to r the province of Gwangju and one of its districts, a
// library there with a 2-slot direct-jobs posting in March 2023, and three
// applicants aged 59 of whom the first two are selected.
func district(t *testing.T, r *nearjob.Registry, districtID int64, name string, base int64) {
	t.Helper()
	if _, err := r.Region(29); err != nil {
		must(r.AddRegion(29, nearjob.RegionProvince, 0, "광주광역시"))
	}
	must(r.AddRegion(districtID, nearjob.RegionDistrict, 29, name))
	must(r.AddFacility(base, nearjob.FacilityLibrary, name+" 도서관", 35.18, 126.82, districtID))
	p := must(r.AddPosting(base, base, "도서 정리", 2))
	ok(t, p.SetWorkPeriod(20230301, 20230331))
	for who := base; who < base+3; who++ {
		must(r.AddParticipant(who, 19630515, false, 35.18, 126.82, 20230101, 0))
		ok(t, r.SubmitApplication(who, base, 20230220))
	}
	ok(t, p.Select(nearjob.SelectFirstCome, 0, 20230225))
}

func TestStatisticsByHand(t *testing.T) {
	r := newRegistry(t)
	district(t, r, 29200, "광산구", 10)
	ok(t, r.SetTarget(2023, 29200, nearjob.ProgrammeAll, 4))
	ok(t, r.RecordActual(1, 20230601, 29200, nearjob.ProgrammeDirectJobs, 3))
	equal(t, "target", must(r.Target(2023, 29200, nearjob.ProgrammeAll)), 4)
	_, err := r.Target(2024, 29200, nearjob.ProgrammeAll)
	fails(t, err, nearjob.ErrNotFound)
	equal(t, "targets", reflect.DeepEqual(must(r.Targets()),
		[]nearjob.Target{{Year: 2023, RegionID: 29200, ProgrammeType: nearjob.ProgrammeAll, Target: 4}}), true)
	equal(t, "actuals", reflect.DeepEqual(must(r.Actuals()), []nearjob.Actual{{ID: 1, Date: 20230601,
		RegionID: 29200, ProgrammeType: nearjob.ProgrammeDirectJobs, Jobs: 3}}), true)
	equal(t, "target count", must(r.TargetCount()), 1)
	equal(t, "actual count", must(r.ActualCount()), 1)
	fails(t, r.RecordActual(1, 20230601, 29200, nearjob.ProgrammeDirectJobs, 3), nearjob.ErrExists)
	fails(t, r.SetTarget(2023, 99, nearjob.ProgrammeAll, 4), nearjob.ErrNotFound)
	fails(t, r.SetTarget(2023, 29200, nearjob.ProgrammeAll, nearjob.StatsCountMax+1), nearjob.ErrRange)
	fails(t, r.RemoveRegion(29200), nearjob.ErrInUse)

	s := must(r.ComputeStats(20230101, 20231231))
	defer s.Close()
	from, to, err := s.Period()
	ok(t, err)
	equal(t, "period", [2]nearjob.Date{from, to}, [2]nearjob.Date{20230101, 20231231})
	row := must(s.FindRow(nearjob.RowKey{Year: 2023, RegionID: 29200, ProgrammeType: nearjob.ProgrammeAll}))
	// 2 placements + 3 recorded jobs against a target of 4.
	for m, want := range map[nearjob.Measure]int64{
		nearjob.MeasureTarget: 4, nearjob.MeasureHasTarget: 1, nearjob.MeasurePlacements: 2,
		nearjob.MeasureRecordedJobs: 3, nearjob.MeasureAchieved: 5, nearjob.MeasureSurplus: 1,
		nearjob.MeasurePersons: 2, nearjob.MeasureApplicants: 3, nearjob.MeasureSlots: 2,
		nearjob.MeasurePostings: 1, nearjob.MeasureAgeMiddle: 2, nearjob.MeasureAgeDecade(5): 2,
		nearjob.MeasureFacilityKind(nearjob.FacilityLibrary): 2, nearjob.MeasureForeignPlacements: 0,
	} {
		equal(t, "measure", must(s.Value(row, m)), want)
	}
	_, err = s.Value(row, 99)
	fails(t, err, nearjob.ErrUnsupported)
	_, err = s.Value(1000, nearjob.MeasureTarget)
	fails(t, err, nearjob.ErrNotFound)
	// 5 / 4 = 125.0 %; 3 applicants / 2 slots = 1.50; 2 / 2 = 100.0 %.
	equal(t, "attainment", must(s.Ratio(row, nearjob.RatioAttainment)), nearjob.Ratio{Numerator: 5, Denominator: 4, Rounded: 1250})
	equal(t, "competition", must(s.Ratio(row, nearjob.RatioCompetition)), nearjob.Ratio{Numerator: 3, Denominator: 2, Rounded: 150})
	equal(t, "fill rate", must(s.Ratio(row, nearjob.RatioFillRate)), nearjob.Ratio{Numerator: 2, Denominator: 2, Rounded: 1000})
	// The province has no target: the fraction comes with ErrRange.
	province := must(s.FindRow(nearjob.RowKey{Year: 2023, RegionID: 29, ProgrammeType: nearjob.ProgrammeAll}))
	ratio, err := s.Ratio(province, nearjob.RatioAttainment)
	fails(t, err, nearjob.ErrRange)
	equal(t, "province attainment", [2]int64{ratio.Numerator, ratio.Denominator}, [2]int64{5, 0})
	rows := must(s.Rows())
	equal(t, "row key", rows[row], nearjob.RowKey{Year: 2023, RegionID: 29200, ProgrammeType: nearjob.ProgrammeAll})
	equal(t, "regions", reflect.DeepEqual(must(s.Regions()), []nearjob.StatsRegion{
		{ID: 29, Level: nearjob.RegionProvince, Name: "광주광역시"},
		{ID: 29200, Level: nearjob.RegionDistrict, ParentID: 29, Name: "광산구"}}), true)

	// Publication: with k = 3 the 2 persons are a small cell.
	table := must(s.Publish(2023, nearjob.RegionDistrict, nearjob.TableAttainment, 3))
	defer table.Close()
	columns := must(table.Columns())
	col := map[string]int{}
	for i, c := range columns {
		col[c.Name] = i
	}
	trows := must(table.Rows())
	equal(t, "first row", trows[0], nearjob.TableRow{RegionID: 29200, ProgrammeType: nearjob.ProgrammeAll, Label: "광산구"})
	equal(t, "target cell", must(table.Cell(0, col["target"])), nearjob.Cell{Value: 4, State: nearjob.CellPublished})
	equal(t, "persons cell", must(table.Cell(0, col["persons"])).State, nearjob.CellSuppressed)
	equal(t, "attainment scale", columns[col["attainment_pct"]].Scale, 10)
	// The 2 placements are hidden, so achieved (2 + 3) and the attainment
	// computed from it are hidden with them.
	equal(t, "placements cell", must(table.Cell(0, col["placements"])).State, nearjob.CellSuppressed)
	equal(t, "attainment cell", must(table.Cell(0, col["attainment_pct"])),
		nearjob.Cell{State: nearjob.CellSuppressedSecondary})
	open := must(s.Publish(2023, nearjob.RegionDistrict, nearjob.TableAttainment, 1))
	defer open.Close()
	equal(t, "attainment with k = 1", must(open.Cell(0, col["attainment_pct"])),
		nearjob.Cell{Value: 1250, State: nearjob.CellPublished})
	_, err = table.Cell(0, len(columns))
	fails(t, err, nearjob.ErrNotFound)
	csv := must(table.CSV())
	equal(t, "CSV starts with a BOM", bytes.HasPrefix(csv, []byte("\xef\xbb\xbfregion_id,programme_type,region,")), true)
	equal(t, "CSV has the row", bytes.Contains(csv, []byte("\r\n29200,0,광산구,4,x,x,x,x,3,x,")), true)
	json := must(table.JSON())
	equal(t, "JSON", bytes.HasPrefix(json, []byte(`{"columns":`)), true)
	_, err = s.Publish(2023, nearjob.RegionDistrict, 99, 3)
	fails(t, err, nearjob.ErrUnsupported)
	_, err = s.Publish(2023, nearjob.RegionDistrict, nearjob.TableAttainment, 0)
	fails(t, err, nearjob.ErrRange)

	// Bytes: saved, loaded and saved again identically; damage is refused.
	data := must(s.Save())
	loaded := must(nearjob.LoadStats(data))
	defer loaded.Close()
	equal(t, "saved again", bytes.Equal(must(loaded.Save()), data), true)
	damaged := append([]byte(nil), data...)
	damaged[len(damaged)/2] ^= 0x40
	_, err = nearjob.LoadStats(damaged)
	fails(t, err, nearjob.ErrCorrupt)
	_, err = nearjob.LoadStats(data[:10])
	fails(t, err, nearjob.ErrCorrupt)
	a := nearjob.NewAllocator(0)
	withAlloc := must(nearjob.LoadStatsWithAllocator(data, a))
	equal(t, "allocator used", a.InUse() > 0, true)
	ok(t, withAlloc.Close())
	equal(t, "allocator emptied", a.InUse(), 0)

	ok(t, r.RemoveTarget(2023, 29200, nearjob.ProgrammeAll))
	fails(t, r.RemoveTarget(2023, 29200, nearjob.ProgrammeAll), nearjob.ErrNotFound)
	ok(t, r.RemoveActual(1))
	fails(t, r.RemoveActual(1), nearjob.ErrNotFound)
}

// Merging the statistics of two districts' registries gives exactly the
// statistics of one registry holding both.
func TestMergeEqualsUnion(t *testing.T) {
	a, b, union := newRegistry(t), newRegistry(t), newRegistry(t)
	district(t, a, 29200, "광산구", 10)
	district(t, b, 29110, "동구", 20)
	district(t, union, 29200, "광산구", 10)
	district(t, union, 29110, "동구", 20)
	sa := must(a.ComputeStats(20230101, 20231231))
	sb := must(b.ComputeStats(20230101, 20231231))
	su := must(union.ComputeStats(20230101, 20231231))
	ok(t, sa.Merge(sb))
	equal(t, "merged = union", bytes.Equal(must(sa.Save()), must(su.Save())), true)
	other := must(a.ComputeStats(20230101, 20230630))
	fails(t, sa.Merge(other), nearjob.ErrInvalid, "date")
	equal(t, "unchanged by a refused merge", bytes.Equal(must(sa.Save()), must(su.Save())), true)
	_, err := a.ComputeStats(20231231, 20230101)
	fails(t, err, nearjob.ErrInvalid)
}
