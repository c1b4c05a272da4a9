package nearjob_test

import (
	"reflect"
	"sort"
	"testing"

	"nearjob.invalid/nearjob"
)

// splitmix64, as docs/selection.md defines it, computed here independently.
func splitmix64(seed uint64, n int) []uint64 {
	draws := make([]uint64, n)
	for i := range draws {
		seed += 0x9E3779B97F4A7C15
		z := seed
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		draws[i] = z ^ (z >> 31)
	}
	return draws
}

// The worked example of docs/selection.md: six applicants, 3 slots, seed
// 20230301.
func TestSelectionWorkedExample(t *testing.T) {
	draws := splitmix64(20230301, 6)
	equal(t, "draw of applicant 1", draws[0], 0x63B9B499E38D1859)
	equal(t, "draw of applicant 6", draws[5], 0x08B546978D7A2FDC)
	order := []int64{1, 2, 3, 4, 5, 6}
	sort.Slice(order, func(i, j int) bool { return draws[order[i]-1] < draws[order[j]-1] })
	equal(t, "order by draw", reflect.DeepEqual(order, []int64{6, 3, 1, 4, 5, 2}), true)

	r := newRegistry(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	p := must(r.AddPosting(10, 1, "도서 정리", 3))
	for who := int64(1); who <= 6; who++ {
		must(r.AddParticipant(who, 19800101, false, 35.18, 126.82, 20230101, 0))
		ok(t, r.SubmitApplication(who, 10, nearjob.Date(20230301+who)))
	}
	fails(t, r.SubmitApplication(1, 10, 20230310), nearjob.ErrExists)
	equal(t, "applied", must(r.ApplicationStatus(1, 10)), nearjob.ApplicationApplied)
	_, err := p.Selection()
	fails(t, err, nearjob.ErrNotFound, "no selection")
	ok(t, p.Select(nearjob.SelectLottery, 20230301, 20230315))
	fails(t, p.Select(nearjob.SelectLottery, 1, 20230316), nearjob.ErrClosed)

	sel := must(p.Selection())
	equal(t, "selection", sel, nearjob.Selection{Method: nearjob.SelectLottery, Seed: 20230301, Date: 20230315})
	equal(t, "closed", must(p.Status()), nearjob.PostingClosed)
	rank := map[int64]int32{}
	for _, a := range must(p.Applications()) {
		rank[a.ParticipantID] = a.Rank
		want := nearjob.ApplicationWaitlisted
		if a.Rank <= 3 {
			want = nearjob.ApplicationSelected
		}
		equal(t, "status by rank", a.Status, want)
		equal(t, "date", a.Date, nearjob.Date(20230301+a.ParticipantID))
	}
	equal(t, "ranks", reflect.DeepEqual(rank, map[int64]int32{6: 1, 3: 2, 1: 3, 4: 4, 5: 5, 2: 6}), true)
	equal(t, "selected", must(p.CountByStatus(nearjob.ApplicationSelected)), 3)
	equal(t, "applications", must(p.ApplicationCount()), 6)

	// 3 withdraws: 4, first on the waitlist, takes the slot.
	ok(t, r.WithdrawApplication(3, 10))
	fails(t, r.WithdrawApplication(3, 10), nearjob.ErrClosed)
	equal(t, "3 withdrawn", must(r.ApplicationStatus(3, 10)), nearjob.ApplicationWithdrawn)
	equal(t, "4 promoted", must(r.ApplicationStatus(4, 10)), nearjob.ApplicationSelected)
	_, err = r.ApplicationStatus(1, 99)
	fails(t, err, nearjob.ErrNotFound)
	mine := must(must(r.Participant(4)).Applications())
	equal(t, "participant's applications", reflect.DeepEqual(mine, []nearjob.ParticipantApplication{
		{PostingID: 10, Status: nearjob.ApplicationSelected, Date: 20230305}}), true)
	equal(t, "participant's count", must(must(r.Participant(4)).ApplicationCount()), 1)
	fails(t, r.RemoveParticipant(4), nearjob.ErrInUse)
	fails(t, r.RemovePosting(10), nearjob.ErrInUse)
}

// docs/selection.md: ratio 1.5 on 3 slots closes on the 5th application.
func TestEarlyClose(t *testing.T) {
	r := newRegistry(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	p := must(r.AddPosting(10, 1, "도서 정리", 3))
	ok(t, p.SetEarlyCloseRatio(1.5))
	for who := int64(1); who <= 6; who++ {
		must(r.AddParticipant(who, 19800101, false, 35.18, 126.82, 20230101, 0))
	}
	for who := int64(1); who <= 5; who++ {
		ok(t, r.SubmitApplication(who, 10, 20230301))
	}
	equal(t, "closed", must(p.Status()), nearjob.PostingClosed)
	fails(t, r.SubmitApplication(6, 10, 20230301), nearjob.ErrClosed)
}

func TestFollowOn(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	must(r.AddParticipant(3, 19800101, false, 35.18, 126.82, 20230101, 0))
	fails(t, r.RecordFollowOn(3, nearjob.FollowOnApplied, 20230601), nearjob.ErrIneligible)
	ok(t, r.RecordFollowOn(1, nearjob.FollowOnHired, 20230701))
	fails(t, r.RecordFollowOn(1, nearjob.FollowOnHired, 20230702), nearjob.ErrExists)
	fails(t, r.RecordFollowOn(1, 3, 20230702), nearjob.ErrInvalid)
	p := must(r.Participant(1))
	equal(t, "hired", must(p.FollowOn(nearjob.FollowOnHired)), 20230701)
	ok(t, r.ClearFollowOn(1, nearjob.FollowOnHired))
	equal(t, "cleared", must(p.FollowOn(nearjob.FollowOnHired)), 0)
	fails(t, r.ClearFollowOn(1, nearjob.FollowOnHired), nearjob.ErrNotFound)
}
