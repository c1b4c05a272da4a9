package nearjob

// #include <nearjob.h>
import "C"

import "fmt"

// PostingApplication is one application to a posting, in order of
// application. Rank is the 1-based selection rank (selected first, then the
// waitlist); 0 before selection or for a withdrawal before selection.
type PostingApplication struct {
	ParticipantID int64             // the applicant
	Status        ApplicationStatus // the application's status
	Date          Date              // the day it was submitted
	Rank          int32             // 1-based selection rank, 0 before selection
}

// ParticipantApplication is one application a participant has made, in
// order of application.
type ParticipantApplication struct {
	PostingID int64             // the posting applied for
	Status    ApplicationStatus // the application's status
	Date      Date              // the day it was submitted
}

// Selection is the stored selection of a posting, enough for an auditor to
// run the draw again.
type Selection struct {
	Method SelectionMethod // how ties were broken
	Seed   uint64          // the seed given to Select
	Date   Date            // the day of the selection
}

// SubmitApplication applies the participant for the posting on date. Errors:
// ErrInvalid (bad date), ErrNotFound (participant or posting), ErrExists
// (applied before, even if withdrawn), ErrClosed (posting closed, selection
// done, or date outside the window), ErrIneligible (age, residency or
// foreign-resident rule; the message names it), ErrNoMem.
func (r *Registry) SubmitApplication(participantID, postingID int64, date Date) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_application_submit(c, C.int64_t(participantID), C.int64_t(postingID), C.int32_t(date)))
	})
}

// WithdrawApplication withdraws an application; after selection a
// withdrawn selected applicant's slot goes to the first on the waitlist. ErrNotFound when there
// is no such application, ErrClosed when it is already withdrawn.
func (r *Registry) WithdrawApplication(participantID, postingID int64) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_application_withdraw(c, C.int64_t(participantID), C.int64_t(postingID)))
	})
}

// Select fills the posting's slots and closes it: applicants with fewer
// stipend minutes paid in the period first, ties broken by the lottery drawn
// from seed or by order of application; the rest are waitlisted. The same
// registry, applications and seed always give the same winners. Errors:
// ErrInvalid, ErrNotFound, ErrClosed (selection already done), ErrRange,
// ErrNoMem.
func (p *Posting) Select(method SelectionMethod, seed uint64, date Date) error {
	return p.ref.write(func(c *creg, _ *cposting) Status {
		return Status(C.nj_posting_select(c, C.int64_t(p.ref.id), C.int32_t(method), C.uint64_t(seed),
			C.int32_t(date)))
	})
}

// ApplicationStatus is the status of one application; ErrNotFound when the
// participant has not applied for the posting.
func (r *Registry) ApplicationStatus(participantID, postingID int64) (ApplicationStatus, error) {
	var status C.int32_t
	err := r.read(func(c *creg) error {
		st := Status(C.nj_application_status(c, C.int64_t(participantID), C.int64_t(postingID), &status))
		return failure(st, fmt.Sprintf("application of participant %d to posting %d", participantID, postingID))
	})
	return ApplicationStatus(status), err
}

// ApplicationCount is the number of applications received, withdrawn ones
// included.
func (p *Posting) ApplicationCount() (int, error) {
	return field(p.ref, func(h *cposting) int { return int(C.nj_posting_application_count(h)) })
}

// CountByStatus is the number of the posting's applications with a status.
func (p *Posting) CountByStatus(status ApplicationStatus) (int, error) {
	return field(p.ref, func(h *cposting) int {
		return int(C.nj_posting_count_by_status(h, C.int32_t(status)))
	})
}

// Applications returns the posting's applications in order of application.
func (p *Posting) Applications() ([]PostingApplication, error) {
	var out []PostingApplication
	err := p.ref.read(func(_ *creg, h *cposting) error {
		out = make([]PostingApplication, C.nj_posting_application_count(h))
		for i := range out {
			var who C.int64_t
			var status, date, rank C.int32_t
			if st := Status(C.nj_posting_application_at(h, C.size_t(i), &who, &status, &date, &rank)); st != StatusOK {
				return failure(st, fmt.Sprintf("posting %d: application %d", p.ref.id, i))
			}
			out[i] = PostingApplication{int64(who), ApplicationStatus(status), Date(date), int32(rank)}
		}
		return nil
	})
	return out, err
}

// Selection is the posting's stored selection; ErrNotFound before Select.
func (p *Posting) Selection() (Selection, error) {
	var method, date C.int32_t
	var seed C.uint64_t
	err := p.ref.read(func(_ *creg, h *cposting) error {
		st := Status(C.nj_posting_selection(h, &method, &seed, &date))
		return failure(st, fmt.Sprintf("posting %d has no selection yet", p.ref.id))
	})
	return Selection{SelectionMethod(method), uint64(seed), Date(date)}, err
}

// ApplicationCount is the number of applications the participant has made.
func (p *Participant) ApplicationCount() (int, error) {
	return field(p.ref, func(h *cparticipant) int { return int(C.nj_participant_application_count(h)) })
}

// Applications returns the participant's applications in order of
// application.
func (p *Participant) Applications() ([]ParticipantApplication, error) {
	var out []ParticipantApplication
	err := p.ref.read(func(_ *creg, h *cparticipant) error {
		out = make([]ParticipantApplication, C.nj_participant_application_count(h))
		for i := range out {
			var posting C.int64_t
			var status, date C.int32_t
			if st := Status(C.nj_participant_application_at(h, C.size_t(i), &posting, &status, &date)); st != StatusOK {
				return failure(st, fmt.Sprintf("participant %d: application %d", p.ref.id, i))
			}
			out[i] = ParticipantApplication{int64(posting), ApplicationStatus(status), Date(date)}
		}
		return nil
	})
	return out, err
}
