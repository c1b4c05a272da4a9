package nearjob

// #include <nearjob.h>
import "C"

import "fmt"

// Target is the target job count of a year, region and programme type.
type Target struct {
	Year          int32         // calendar year
	RegionID      int64         // the region the target is for
	ProgrammeType ProgrammeType // programme type, ProgrammeAll for all
	Target        int64         // target job count
}

// Actual is a record of jobs created outside the registry.
type Actual struct {
	ID            int64         // the record's id, unique among actuals
	Date          Date          // the day the jobs count for
	RegionID      int64         // the region they count for
	ProgrammeType ProgrammeType // the programme type they count for
	Jobs          int64         // the number of jobs
}

// SetTarget sets or replaces the target job count (0 to StatsCountMax) of a
// year (1 to 9999), region and programme type (ProgrammeAll for all). The
// region cannot be removed while the target exists. Errors: ErrInvalid (bad
// programme type), ErrRange, ErrNotFound (region), ErrNoMem.
func (r *Registry) SetTarget(year int32, regionID int64, programme ProgrammeType, target int64) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_target_set(c, C.int32_t(year), C.int64_t(regionID), C.int32_t(programme),
			C.int64_t(target)))
	})
}

// RemoveTarget removes a target; ErrNotFound when none is set.
func (r *Registry) RemoveTarget(year int32, regionID int64, programme ProgrammeType) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_target_remove(c, C.int32_t(year), C.int64_t(regionID), C.int32_t(programme)))
	})
}

// Target returns the target of a key; ErrNotFound when none is set.
func (r *Registry) Target(year int32, regionID int64, programme ProgrammeType) (int64, error) {
	var v C.int64_t
	err := r.read(func(c *creg) error {
		st := Status(C.nj_target_get(c, C.int32_t(year), C.int64_t(regionID), C.int32_t(programme), &v))
		return failure(st, fmt.Sprintf("target of %d, region %d, programme %d", year, regionID, programme))
	})
	return int64(v), err
}

// TargetCount is the number of targets.
func (r *Registry) TargetCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_target_count(c) })
}

// Targets returns every target in (year, region id, programme type) order.
func (r *Registry) Targets() ([]Target, error) {
	var out []Target
	err := r.read(func(c *creg) error {
		out = make([]Target, C.nj_target_count(c))
		for i := range out {
			var year, programme C.int32_t
			var region, target C.int64_t
			if st := Status(C.nj_target_at(c, C.size_t(i), &year, &region, &programme, &target)); st != StatusOK {
				return failure(st, fmt.Sprintf("target at %d", i))
			}
			out[i] = Target{int32(year), int64(region), ProgrammeType(programme), int64(target)}
		}
		return nil
	})
	return out, err
}

// RecordActual records jobs (1 to StatsCountMax) created outside the
// registry so that they count toward their key's achieved figure. The id
// (>= 1) can be recorded once, so a retried import never counts twice.
// Errors: ErrInvalid, ErrRange, ErrExists, ErrNotFound (region), ErrNoMem.
func (r *Registry) RecordActual(id int64, date Date, regionID int64, programme ProgrammeType, jobs int64) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_actual_record(c, C.int64_t(id), C.int32_t(date), C.int64_t(regionID),
			C.int32_t(programme), C.int64_t(jobs)))
	})
}

// RemoveActual removes a recorded actual; ErrNotFound for an unknown id.
func (r *Registry) RemoveActual(id int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_actual_remove(c, C.int64_t(id))) })
}

// ActualCount is the number of recorded actuals.
func (r *Registry) ActualCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_actual_count(c) })
}

// Actuals returns every recorded actual in id order.
func (r *Registry) Actuals() ([]Actual, error) {
	var out []Actual
	err := r.read(func(c *creg) error {
		out = make([]Actual, C.nj_actual_count(c))
		for i := range out {
			var id, region, jobs C.int64_t
			var date, programme C.int32_t
			if st := Status(C.nj_actual_at(c, C.size_t(i), &id, &date, &region, &programme, &jobs)); st != StatusOK {
				return failure(st, fmt.Sprintf("actual at %d", i))
			}
			out[i] = Actual{int64(id), Date(date), int64(region), ProgrammeType(programme), int64(jobs)}
		}
		return nil
	})
	return out, err
}

// RecordFollowOn records that a participant holding a selected application
// later applied to, or took, a private job; one date per kind. Errors:
// ErrInvalid, ErrNotFound, ErrIneligible (never selected), ErrExists.
func (r *Registry) RecordFollowOn(participantID int64, kind FollowOnKind, date Date) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_follow_on_record(c, C.int64_t(participantID), C.int32_t(kind), C.int32_t(date)))
	})
}

// ClearFollowOn forgets a follow-on record; ErrNotFound when there is none.
func (r *Registry) ClearFollowOn(participantID int64, kind FollowOnKind) error {
	return r.write(func(c *creg) Status {
		return Status(C.nj_follow_on_clear(c, C.int64_t(participantID), C.int32_t(kind)))
	})
}

// FollowOn is the date of the participant's follow-on record of a kind, 0
// when there is none.
func (p *Participant) FollowOn(kind FollowOnKind) (Date, error) {
	return field(p.ref, func(h *cparticipant) Date {
		return Date(C.nj_participant_follow_on(h, C.int32_t(kind)))
	})
}
