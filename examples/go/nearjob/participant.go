package nearjob

// #include <nearjob.h>
import "C"

import "fmt"

// cparticipant is the C participant type.
type cparticipant = C.struct_nj_participant

// Participant is a resident taking part in the programme, named by its id.
type Participant struct{ ref ref[cparticipant] }

var participantKind = &kind[cparticipant]{"participant",
	func(c *creg, id C.int64_t) *cparticipant { return C.nj_participant_get(c, id) }}

func wrapParticipant(r ref[cparticipant]) *Participant { return &Participant{r} }

// AddParticipant adds a resident with a birth date, a foreign-resident
// flag, a verified home (stored rounded to 1e-7 degree) and the date it was
// verified (not before the birth date). regionID 0 derives the region from
// the home. Errors: ErrInvalid (a bad date, verified before birth),
// ErrRange (id < 1, a coordinate), ErrExists, ErrNotFound (no such region),
// ErrNoMem.
func (r *Registry) AddParticipant(id int64, birth Date, foreign bool, lat, lon float64,
	verified Date, regionID int64) (*Participant, error) {
	err := r.write(func(c *creg) Status {
		return Status(C.nj_participant_add(c, C.int64_t(id), C.int32_t(birth), cBool(foreign),
			C.double(lat), C.double(lon), C.int32_t(verified), C.int64_t(regionID), nil))
	})
	if err != nil {
		return nil, err
	}
	return wrapParticipant(ref[cparticipant]{r, id, participantKind}), nil
}

// RemoveParticipant removes a participant; ErrInUse while they have
// applications.
func (r *Registry) RemoveParticipant(id int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_participant_remove(c, C.int64_t(id))) })
}

// Participant returns the participant with the id, or ErrNotFound.
func (r *Registry) Participant(id int64) (*Participant, error) {
	return lookup(r, participantKind, id, wrapParticipant)
}

// ParticipantCount is the number of participants.
func (r *Registry) ParticipantCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_participant_count(c) })
}

// Participants returns every participant, in the library's iteration order.
func (r *Registry) Participants() ([]*Participant, error) {
	return all(r, participantKind, func(c *creg) C.size_t { return C.nj_participant_count(c) },
		func(c *creg, i C.size_t) int64 { return int64(C.nj_participant_id(C.nj_participant_at(c, i))) },
		wrapParticipant)
}

// ID is the participant's id.
func (p *Participant) ID() int64 { return p.ref.id }

// Registry is the registry the participant belongs to.
func (p *Participant) Registry() *Registry { return p.ref.reg }

// BirthDate is the participant's birth date.
func (p *Participant) BirthDate() (Date, error) {
	return field(p.ref, func(h *cparticipant) Date { return Date(C.nj_participant_birth_date(h)) })
}

// IsForeign reports whether the participant is a foreign resident.
func (p *Participant) IsForeign() (bool, error) {
	return field(p.ref, func(h *cparticipant) bool { return C.nj_participant_is_foreign(h) == 1 })
}

// Home is the verified home as stored (rounded to 1e-7 degree).
func (p *Participant) Home() (Point, error) {
	return field(p.ref, func(h *cparticipant) Point {
		return Point{float64(C.nj_participant_lat(h)), float64(C.nj_participant_lon(h))}
	})
}

// VerifiedDate is the date the home was verified.
func (p *Participant) VerifiedDate() (Date, error) {
	return field(p.ref, func(h *cparticipant) Date { return Date(C.nj_participant_verified_date(h)) })
}

// RegionID is the participant's verified region, 0 when the home lies in no
// known region.
func (p *Participant) RegionID() (int64, error) {
	return field(p.ref, func(h *cparticipant) int64 { return int64(C.nj_participant_region_id(h)) })
}

// AgeOn is the age in whole years on a date (someone born on 29 February
// turns a year older on 1 March in common years). ErrInvalid for a bad
// date, ErrRange for a date before the birth date.
func (p *Participant) AgeOn(date Date) (int32, error) {
	var age C.int32_t
	err := p.ref.read(func(_ *creg, h *cparticipant) error {
		st := Status(C.nj_participant_age_on(h, C.int32_t(date), &age))
		return failure(st, fmt.Sprintf("participant %d: age on %d", p.ref.id, date))
	})
	return int32(age), err
}

// SetBirthDate corrects the birth date.
func (p *Participant) SetBirthDate(birth Date) error {
	return p.ref.write(func(c *creg, h *cparticipant) Status {
		return Status(C.nj_participant_set_birth_date(c, h, C.int32_t(birth)))
	})
}

// SetForeign sets the foreign-resident flag.
func (p *Participant) SetForeign(foreign bool) error {
	return p.ref.write(func(c *creg, h *cparticipant) Status {
		return Status(C.nj_participant_set_foreign(c, h, cBool(foreign)))
	})
}

// SetHome records a new verified home and its verification date. A region
// derived from the old home is derived again; a region set by the caller is
// kept.
func (p *Participant) SetHome(lat, lon float64, verified Date) error {
	return p.ref.write(func(c *creg, h *cparticipant) Status {
		return Status(C.nj_participant_set_home(c, h, C.double(lat), C.double(lon), C.int32_t(verified)))
	})
}

// SetRegion sets the region explicitly, or with 0 derives it from the home
// again.
func (p *Participant) SetRegion(regionID int64) error {
	return p.ref.write(func(c *creg, h *cparticipant) Status {
		return Status(C.nj_participant_set_region(c, h, C.int64_t(regionID)))
	})
}
