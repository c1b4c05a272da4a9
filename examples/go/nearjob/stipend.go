package nearjob

// #include <nearjob.h>
import "C"

import "fmt"

// WorkRecord is one work entry to record with RecordWorkBatch.
type WorkRecord struct {
	EntryID       int64 // the entry's id, never used before in the registry
	ParticipantID int64 // who worked, selected for the posting
	PostingID     int64 // where
	Date          Date  // the day, inside the posting's work period
	Minutes       int32 // 1 to 1440
}

// WorkEntry is a recorded entry as the cap leaves it.
type WorkEntry struct {
	WorkRecord
	PaidMinutes int32 // the minutes paid under the cap
	AmountKRW   int64 // the stipend for them, in won
	Voided      bool  // voided entries stay for audit and pay nothing
}

// Statement is a participant's stipend statement for one period.
type Statement struct {
	WorkedMinutes    int64 // minutes of non-void entries
	PaidMinutes      int64 // of which paid under the cap
	OverCapMinutes   int64 // of which over the cap, unpaid
	RemainingMinutes int64 // minutes left under the cap
	AmountKRW        int64 // the stipend
}

// Totals are stipend totals of a posting or the programme for one period.
type Totals struct {
	WorkedMinutes  int64 // minutes of non-void entries
	PaidMinutes    int64 // of which paid under the cap
	OverCapMinutes int64 // of which over the cap, unpaid
	AmountKRW      int64 // the stipends, in won
}

// SetOption sets a registry option. The cap, the period start and the
// rounding change only while the ledger is empty (ErrInUse otherwise); the
// budget and the import limits any time. Errors: ErrUnsupported (unknown
// option), ErrRange (outside OptionBounds), ErrInUse.
func (r *Registry) SetOption(opt Option, value int64) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_registry_set_int64(c, C.int32_t(opt), C.int64_t(value)))
	})
}

// Option reads a registry option; ErrUnsupported for an unknown one.
func (r *Registry) Option(opt Option) (int64, error) {
	var v C.int64_t
	err := r.read(func(c *creg) error {
		return failure(Status(C.nj_registry_get_int64(c, C.int32_t(opt), &v)), fmt.Sprintf("option %d", opt))
	})
	return int64(v), err
}

// OptionBounds are the smallest and largest values of an option
// (OptPeriodStartMMDD also needs a real month and day other than 29
// February); ErrUnsupported for an unknown option.
func OptionBounds(opt Option) (min, max int64, err error) {
	var lo, hi C.int64_t
	st := Status(C.nj_option_bounds(C.int32_t(opt), &lo, &hi))
	return int64(lo), int64(hi), failure(st, fmt.Sprintf("option %d", opt))
}

// RecordWork records a work entry: entryID never used before in this
// registry (not even voided), a date inside the posting's work period,
// 1 to 1440 minutes. Errors: ErrInvalid, ErrExists (entry id), ErrNotFound,
// ErrIneligible (not selected for the posting), ErrRange, ErrCap (over the
// budget), ErrNoMem.
func (r *Registry) RecordWork(entryID, participantID, postingID int64, date Date, minutes int32) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_work_record(c, C.int64_t(entryID), C.int64_t(participantID),
			C.int64_t(postingID), C.int32_t(date), C.int32_t(minutes)))
	})
}

// RecordWorkBatch records entries all or nothing: the first failing one
// (its index in the message) leaves the ledger as it was.
func (r *Registry) RecordWorkBatch(entries []WorkRecord) error {
	n := len(entries)
	ids, who, postings := make([]C.int64_t, n), make([]C.int64_t, n), make([]C.int64_t, n)
	dates, minutes := make([]C.int32_t, n), make([]C.int32_t, n)
	for i, e := range entries {
		ids[i], who[i], postings[i] = C.int64_t(e.EntryID), C.int64_t(e.ParticipantID), C.int64_t(e.PostingID)
		dates[i], minutes[i] = C.int32_t(e.Date), C.int32_t(e.Minutes)
	}
	return r.write(func(c *creg) Status {
		return Status(C.nj_work_record_batch(c, C.size_t(n), first(ids), first(who), first(postings),
			first(dates), first(minutes)))
	})
}

// VoidWork voids an entry: it stays for audit, pays nothing, and the
// person's later entries in the period are paid again under the cap.
// ErrNotFound for an unknown entry, ErrClosed when already void.
func (r *Registry) VoidWork(entryID int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_work_void(c, C.int64_t(entryID))) })
}

// WorkEntryCount is the number of entries recorded, voided ones included.
func (r *Registry) WorkEntryCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_work_entry_count(c) })
}

// WorkEntryIDs returns the ids of every entry in recording order.
func (r *Registry) WorkEntryIDs() ([]int64, error) {
	var out []int64
	err := r.read(func(c *creg) error {
		out = make([]int64, C.nj_work_entry_count(c))
		for i := range out {
			var id C.int64_t
			if st := Status(C.nj_work_entry_id_at(c, C.size_t(i), &id)); st != StatusOK {
				return failure(st, fmt.Sprintf("work entry at %d", i))
			}
			out[i] = int64(id)
		}
		return nil
	})
	return out, err
}

// WorkEntry returns one entry; ErrNotFound for an unknown id.
func (r *Registry) WorkEntry(entryID int64) (WorkEntry, error) {
	var who, posting, amount C.int64_t
	var date, minutes, paid C.int32_t
	var voided C.int
	err := r.read(func(c *creg) error {
		st := Status(C.nj_work_entry(c, C.int64_t(entryID), &who, &posting, &date, &minutes, &paid,
			&amount, &voided))
		return failure(st, fmt.Sprintf("work entry %d", entryID))
	})
	return WorkEntry{
		WorkRecord:  WorkRecord{entryID, int64(who), int64(posting), Date(date), int32(minutes)},
		PaidMinutes: int32(paid), AmountKRW: int64(amount), Voided: voided == 1,
	}, err
}

// StipendStatement is the participant's statement for the period
// containing date. ErrNotFound for an unknown participant.
func (r *Registry) StipendStatement(participantID int64, date Date) (Statement, error) {
	var worked, paid, over, remaining, amount C.int64_t
	err := r.read(func(c *creg) error {
		st := Status(C.nj_stipend_statement(c, C.int64_t(participantID), C.int32_t(date), &worked, &paid,
			&over, &remaining, &amount))
		return failure(st, fmt.Sprintf("statement of participant %d on %d", participantID, date))
	})
	return Statement{int64(worked), int64(paid), int64(over), int64(remaining), int64(amount)}, err
}

// PostingStipendTotals are the totals of one posting's entries in the
// period containing date, each paid as its person's cap leaves it.
func (r *Registry) PostingStipendTotals(postingID int64, date Date) (Totals, error) {
	var worked, paid, over, amount C.int64_t
	err := r.read(func(c *creg) error {
		st := Status(C.nj_stipend_posting_totals(c, C.int64_t(postingID), C.int32_t(date), &worked, &paid,
			&over, &amount))
		return failure(st, fmt.Sprintf("stipend totals of posting %d on %d", postingID, date))
	})
	return Totals{int64(worked), int64(paid), int64(over), int64(amount)}, err
}

// ProgrammeStipendTotals are the programme's totals for the period
// containing date, and whether they exceed the budget (false without one).
func (r *Registry) ProgrammeStipendTotals(date Date) (t Totals, overBudget bool, err error) {
	var worked, paid, over, amount C.int64_t
	var exceeded C.int
	err = r.read(func(c *creg) error {
		st := Status(C.nj_stipend_programme_totals(c, C.int32_t(date), &worked, &paid, &over, &amount,
			&exceeded))
		return failure(st, fmt.Sprintf("programme stipend totals on %d", date))
	})
	return Totals{int64(worked), int64(paid), int64(over), int64(amount)}, exceeded == 1, err
}
