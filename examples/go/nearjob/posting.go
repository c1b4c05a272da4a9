package nearjob

// #include <nearjob.h>
import "C"

// cposting is the C posting type.
type cposting = C.struct_nj_posting

// Posting is a job posting at a facility, named by its id. Fields other
// than the facility, title and slots start at the defaults of
// nearjob/posting.h and change through the setters; a setter that refuses
// its value (ErrInvalid or ErrRange, the message naming the limit) leaves
// the field as it was.
type Posting struct{ ref ref[cposting] }

var postingKind = &kind[cposting]{"posting",
	func(c *creg, id C.int64_t) *cposting { return C.nj_posting_get(c, id) }}

func wrapPosting(r ref[cposting]) *Posting { return &Posting{r} }

// AddPosting adds a posting at an existing facility: id >= 1 and unique
// among postings, a non-empty UTF-8 title of at most 1024 bytes, 0 to
// 1 000 000 slots. Errors: ErrInvalid, ErrRange, ErrEncoding, ErrExists,
// ErrNotFound (no such facility), ErrNoMem.
func (r *Registry) AddPosting(id, facilityID int64, title string, slots int32) (*Posting, error) {
	if err := noNUL("posting title", title); err != nil {
		return nil, err
	}
	err := r.write(func(c *creg) Status {
		return withCString(title, func(cs *C.char) Status {
			return Status(C.nj_posting_add(c, C.int64_t(id), C.int64_t(facilityID), cs, C.int32_t(slots), nil))
		})
	})
	if err != nil {
		return nil, err
	}
	return wrapPosting(ref[cposting]{r, id, postingKind}), nil
}

// RemovePosting removes a posting; ErrInUse while it has applications.
func (r *Registry) RemovePosting(id int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_posting_remove(c, C.int64_t(id))) })
}

// Posting returns the posting with the id, or ErrNotFound.
func (r *Registry) Posting(id int64) (*Posting, error) {
	return lookup(r, postingKind, id, wrapPosting)
}

// PostingCount is the number of postings.
func (r *Registry) PostingCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_posting_count(c) })
}

// Postings returns every posting, in the library's iteration order (the
// order MatchBatch takes them in).
func (r *Registry) Postings() ([]*Posting, error) {
	return all(r, postingKind, func(c *creg) C.size_t { return C.nj_posting_count(c) },
		func(c *creg, i C.size_t) int64 { return int64(C.nj_posting_id(C.nj_posting_at(c, i))) },
		wrapPosting)
}

// ID is the posting's id.
func (p *Posting) ID() int64 { return p.ref.id }

// Registry is the registry the posting belongs to.
func (p *Posting) Registry() *Registry { return p.ref.reg }

// FacilityID is the id of the posting's facility.
func (p *Posting) FacilityID() (int64, error) {
	return field(p.ref, func(h *cposting) int64 { return int64(C.nj_posting_facility_id(h)) })
}

// Title is the posting's UTF-8 title.
func (p *Posting) Title() (string, error) {
	return field(p.ref, func(h *cposting) string { return C.GoString(C.nj_posting_title(h)) })
}

// ProgrammeType is the posting's programme type (default ProgrammeDirectJobs).
func (p *Posting) ProgrammeType() (ProgrammeType, error) {
	return field(p.ref, func(h *cposting) ProgrammeType { return ProgrammeType(C.nj_posting_programme_type(h)) })
}

// Slots is the number of people to be hired.
func (p *Posting) Slots() (int32, error) {
	return field(p.ref, func(h *cposting) int32 { return int32(C.nj_posting_slots(h)) })
}

// MinutesPerPerson is the work offered per person (default 6000, 100 h).
func (p *Posting) MinutesPerPerson() (int32, error) {
	return field(p.ref, func(h *cposting) int32 { return int32(C.nj_posting_minutes_per_person(h)) })
}

// HourlyStipendKRW is the hourly rate in won (default 0).
func (p *Posting) HourlyStipendKRW() (int64, error) {
	return field(p.ref, func(h *cposting) int64 { return int64(C.nj_posting_hourly_stipend_krw(h)) })
}

// WorkPeriod is the first and last day of work, (0, 0) when none is set.
func (p *Posting) WorkPeriod() (start, end Date, err error) {
	err = p.ref.get(func(h *cposting) {
		start, end = Date(C.nj_posting_work_start(h)), Date(C.nj_posting_work_end(h))
	})
	return start, end, err
}

// ApplicationWindow is the first and last day applications are taken,
// (0, 0) when always open.
func (p *Posting) ApplicationWindow() (open, close Date, err error) {
	err = p.ref.get(func(h *cposting) {
		open, close = Date(C.nj_posting_apply_open(h)), Date(C.nj_posting_apply_close(h))
	})
	return open, close, err
}

// AgeRange is the youngest and oldest eligible age in years (default 0 to
// 150).
func (p *Posting) AgeRange() (min, max int32, err error) {
	err = p.ref.get(func(h *cposting) {
		min, max = int32(C.nj_posting_min_age(h)), int32(C.nj_posting_max_age(h))
	})
	return min, max, err
}

// ResidencyRegionID is the region applicants must live in (its subtree), 0
// for anyone.
func (p *Posting) ResidencyRegionID() (int64, error) {
	return field(p.ref, func(h *cposting) int64 { return int64(C.nj_posting_residency_region_id(h)) })
}

// ForeignAllowed reports whether foreign residents may apply (default true).
func (p *Posting) ForeignAllowed() (bool, error) {
	return field(p.ref, func(h *cposting) bool { return C.nj_posting_foreign_allowed(h) == 1 })
}

// RadiusM is the match radius in metres (default 2000).
func (p *Posting) RadiusM() (float64, error) {
	return field(p.ref, func(h *cposting) float64 { return float64(C.nj_posting_radius_m(h)) })
}

// EarlyCloseRatio is the early-close ratio, 0 when off.
func (p *Posting) EarlyCloseRatio() (float64, error) {
	return field(p.ref, func(h *cposting) float64 { return float64(C.nj_posting_early_close_ratio(h)) })
}

// Status is whether the posting accepts applications.
func (p *Posting) Status() (PostingStatus, error) {
	return field(p.ref, func(h *cposting) PostingStatus { return PostingStatus(C.nj_posting_status(h)) })
}

// SetTitle replaces the title (non-empty UTF-8, at most 1024 bytes).
func (p *Posting) SetTitle(title string) error {
	if err := noNUL("posting title", title); err != nil {
		return err
	}
	return p.ref.write(func(c *creg, h *cposting) Status {
		return withCString(title, func(cs *C.char) Status { return Status(C.nj_posting_set_title(c, h, cs)) })
	})
}

// SetProgrammeType sets the programme type: one of ProgrammeDirectJobs to
// ProgrammeOther, or ProgrammeCustomBase and above.
func (p *Posting) SetProgrammeType(t ProgrammeType) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_programme_type(c, h, C.int32_t(t)))
	})
}

// SetSlots sets the number of people to be hired, 0 to 1 000 000.
func (p *Posting) SetSlots(slots int32) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_slots(c, h, C.int32_t(slots)))
	})
}

// SetMinutesPerPerson sets the work offered per person, 0 to 1 000 000.
func (p *Posting) SetMinutesPerPerson(minutes int32) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_minutes_per_person(c, h, C.int32_t(minutes)))
	})
}

// SetHourlyStipendKRW sets the hourly rate, 0 to 1 000 000 won. ErrInUse
// once work entries are recorded against the posting: a paid amount never
// changes afterwards.
func (p *Posting) SetHourlyStipendKRW(krw int64) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_hourly_stipend_krw(c, h, C.int64_t(krw)))
	})
}

// SetWorkPeriod sets the first and last day of work (start <= end); (0, 0)
// clears it.
func (p *Posting) SetWorkPeriod(start, end Date) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_work_period(c, h, C.int32_t(start), C.int32_t(end)))
	})
}

// SetApplicationWindow sets the first and last day applications are taken
// (open <= close); (0, 0) makes it always open.
func (p *Posting) SetApplicationWindow(open, close Date) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_application_window(c, h, C.int32_t(open), C.int32_t(close)))
	})
}

// SetAgeRange sets the eligible ages in years, 0 <= min <= max <= 150.
func (p *Posting) SetAgeRange(min, max int32) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_age_range(c, h, C.int32_t(min), C.int32_t(max)))
	})
}

// SetResidencyRegion restricts applicants to residents of a region's
// subtree; 0 lifts the restriction. ErrNotFound for an unknown region.
func (p *Posting) SetResidencyRegion(regionID int64) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_residency_region(c, h, C.int64_t(regionID)))
	})
}

// SetForeignAllowed says whether foreign residents may apply.
func (p *Posting) SetForeignAllowed(allowed bool) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_foreign_allowed(c, h, cBool(allowed)))
	})
}

// SetRadiusM sets the match radius, 0 to 20 015 115 metres.
func (p *Posting) SetRadiusM(radiusM float64) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_radius_m(c, h, C.double(radiusM)))
	})
}

// SetEarlyCloseRatio sets the early-close ratio: 0 (off) or 1 to 1000. The
// posting closes itself once it has ceil(ratio x slots) applications.
func (p *Posting) SetEarlyCloseRatio(ratio float64) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_early_close_ratio(c, h, C.double(ratio)))
	})
}

// SetStatus opens or closes the posting.
func (p *Posting) SetStatus(status PostingStatus) error {
	return p.ref.write(func(c *creg, h *cposting) Status {
		return Status(C.nj_posting_set_status(c, h, C.int32_t(status)))
	})
}
