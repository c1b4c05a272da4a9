package nearjob_test

import (
	"testing"

	"nearjob.invalid/nearjob"
)

// The worked example of docs/stipend.md: 40 h at 11 930 KRW/h and 70 h at
// 10 030 KRW/h against the 100-hour cap.
func TestHundredHourCapByHand(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	fortyAndSeventyHours(t, r)

	s, err := r.StipendStatement(1, 20230615)
	ok(t, err)
	// 2 400 min x 11 930 / 60 = 477 200; 3 600 min x 10 030 / 60 = 601 800.
	want := nearjob.Statement{WorkedMinutes: 6600, PaidMinutes: 6000, OverCapMinutes: 600,
		RemainingMinutes: 0, AmountKRW: 477200 + 601800}
	equal(t, "statement", s, want)
	equal(t, "amount", s.AmountKRW, 1079000)

	// Entry by entry: a library day is 240 min = 47 720 KRW; welfare days 1
	// to 12 are paid 300 min = 50 150 KRW; days 13 and 14 nothing.
	for _, c := range []struct {
		id     int64
		paid   int32
		amount int64
	}{{100, 240, 47720}, {121, 300, 50150}, {122, 0, 0}, {123, 0, 0}} {
		e, err := r.WorkEntry(c.id)
		ok(t, err)
		equal(t, "paid minutes", e.PaidMinutes, c.paid)
		equal(t, "amount", e.AmountKRW, c.amount)
	}
	e := must(r.WorkEntry(110))
	equal(t, "entry 110", e, nearjob.WorkEntry{
		WorkRecord:  nearjob.WorkRecord{EntryID: 110, ParticipantID: 1, PostingID: 20, Date: 20230401, Minutes: 300},
		PaidMinutes: 300, AmountKRW: 50150})

	welfare, err := r.PostingStipendTotals(20, 20230101)
	ok(t, err)
	equal(t, "welfare totals", welfare, nearjob.Totals{WorkedMinutes: 4200, PaidMinutes: 3600,
		OverCapMinutes: 600, AmountKRW: 601800})
	programme, over, err := r.ProgrammeStipendTotals(20231231)
	ok(t, err)
	equal(t, "programme amount", programme.AmountKRW, 1079000)
	equal(t, "over budget", over, false)
	// The next year is a new period.
	next := must(r.StipendStatement(1, 20240101))
	equal(t, "worked in 2024", next.WorkedMinutes, 0)
	equal(t, "remaining in 2024", next.RemainingMinutes, 6000)

	// Voiding the first library day gives 240 of the first unpaid welfare
	// day's 300 minutes (240 x 10 030 / 60 = 40 120 KRW).
	ok(t, r.VoidWork(100))
	s = must(r.StipendStatement(1, 20230615))
	equal(t, "paid after void", s.PaidMinutes, 6000)
	equal(t, "over cap after void", s.OverCapMinutes, 360)
	// 9 x 47 720 + 12 x 50 150 + 40 120 = 429 480 + 601 800 + 40 120.
	equal(t, "amount after void", s.AmountKRW, 1071400)
	fails(t, r.VoidWork(100), nearjob.ErrClosed)
	voided := must(r.WorkEntry(100))
	equal(t, "entry 100 voided", voided.Voided, true)
	equal(t, "entry 100 paid", voided.PaidMinutes, 0)
	ids := must(r.WorkEntryIDs())
	equal(t, "entries", len(ids), 24)
	equal(t, "first entry", ids[0], 100)
	equal(t, "last entry", ids[23], 123)
	equal(t, "entry count", must(r.WorkEntryCount()), 24)
}

// A rate is fixed once an entry is paid at it; the message is the
// library's, read under the registry's lock.
func TestRateIsFixedOncePaid(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	library := must(r.Posting(10))
	ok(t, library.SetHourlyStipendKRW(12000))
	ok(t, r.RecordWork(1, 1, 10, 20230302, 60))
	err := library.SetHourlyStipendKRW(6000)
	fails(t, err, nearjob.ErrInUse)
	equal(t, "message", err.(*nearjob.Error).Message,
		"posting 10: hourly stipend cannot change after 1 work entries")
	equal(t, "rate", must(library.HourlyStipendKRW()), 12000)
	equal(t, "amount", must(r.StipendStatement(1, 20230302)).AmountKRW, 12000)
}

func TestCapBoundariesAndBatch(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	// 5 999 minutes paid, then an entry of 2: 1 paid, 1 over, and
	// 1 x 10 030 / 60 = 167.17, rounded down to 167 KRW.
	var batch []nearjob.WorkRecord
	for i := 0; i < 5; i++ { // 5 x 1 199 = 5 995 minutes
		batch = append(batch, nearjob.WorkRecord{EntryID: int64(1 + i), ParticipantID: 1, PostingID: 20,
			Date: nearjob.Date(20230501 + i), Minutes: 1199})
	}
	batch = append(batch, nearjob.WorkRecord{EntryID: 6, ParticipantID: 1, PostingID: 20, Date: 20230510, Minutes: 4})
	ok(t, r.RecordWorkBatch(batch))
	equal(t, "remaining", must(r.StipendStatement(1, 20230601)).RemainingMinutes, 1)
	ok(t, r.RecordWork(7, 1, 20, 20230511, 2))
	e := must(r.WorkEntry(7))
	equal(t, "paid", e.PaidMinutes, 1)
	equal(t, "amount", e.AmountKRW, 167)

	// All or nothing: the duplicate id in the second row refuses the batch.
	err := r.RecordWorkBatch([]nearjob.WorkRecord{
		{EntryID: 8, ParticipantID: 2, PostingID: 20, Date: 20230512, Minutes: 60},
		{EntryID: 8, ParticipantID: 2, PostingID: 20, Date: 20230513, Minutes: 60},
	})
	fails(t, err, nearjob.ErrExists)
	equal(t, "entries after a refused batch", must(r.WorkEntryCount()), 7)
	fails(t, r.RecordWork(9, 2, 20, 20230514, 1441), nearjob.ErrRange)
	fails(t, r.RecordWork(9, 2, 10, 20230401, 60), nearjob.ErrRange) // outside the work period
}

func TestOptionsAndBudget(t *testing.T) {
	r := newRegistry(t)
	twoJobs(t, r)
	equal(t, "default cap", must(r.Option(nearjob.OptStipendCapMinutes)), 6000)
	equal(t, "default rounding", must(r.Option(nearjob.OptRounding)), int64(nearjob.RoundFloor))
	lo, hi, err := nearjob.OptionBounds(nearjob.OptStipendCapMinutes)
	ok(t, err)
	equal(t, "cap bounds", [2]int64{lo, hi}, [2]int64{0, 1000000})
	_, _, err = nearjob.OptionBounds(99)
	fails(t, err, nearjob.ErrUnsupported)
	fails(t, r.SetOption(99, 1), nearjob.ErrUnsupported)
	fails(t, r.SetOption(nearjob.OptStipendCapMinutes, 1000001), nearjob.ErrRange)
	ok(t, r.SetOption(nearjob.OptRounding, int64(nearjob.RoundHalfUp)))

	// A budget of 100 000 KRW, amounts rounded half up: 598 minutes at
	// 10 030 KRW/h are 99 965.67 -> 99 966 KRW; another entry of one minute
	// (167.17 -> 167 KRW) would take the total to 100 133.
	ok(t, r.SetOption(nearjob.OptBudgetKRW, 100000))
	ok(t, r.RecordWork(1, 1, 20, 20230401, 598))
	fails(t, r.RecordWork(2, 2, 20, 20230401, 1), nearjob.ErrCap, "budget")
	fails(t, r.SetOption(nearjob.OptRounding, int64(nearjob.RoundFloor)), nearjob.ErrInUse)
	totals, over, err := r.ProgrammeStipendTotals(20230401)
	ok(t, err)
	equal(t, "amount", totals.AmountKRW, 99966)
	equal(t, "over budget", over, false)
}
