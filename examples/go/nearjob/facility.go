package nearjob

// #include <nearjob.h>
import "C"

// cfacility is the C facility type.
type cfacility = C.struct_nj_facility

// Facility is a public facility that posts jobs, named by its id.
type Facility struct{ ref ref[cfacility] }

var facilityKind = &kind[cfacility]{"facility",
	func(c *creg, id C.int64_t) *cfacility { return C.nj_facility_get(c, id) }}

func wrapFacility(r ref[cfacility]) *Facility { return &Facility{r} }

// AddFacility adds a facility at a WGS84 location (stored rounded to 1e-7
// degree). regionID 0 derives the region from the location (none when no
// region contains it). Errors: ErrInvalid (bad kind, empty name), ErrRange
// (id < 1, a coordinate, name length), ErrEncoding, ErrExists, ErrNotFound
// (no such region), ErrNoMem.
func (r *Registry) AddFacility(id int64, kind FacilityKind, name string, lat, lon float64,
	regionID int64) (*Facility, error) {
	if err := noNUL("facility name", name); err != nil {
		return nil, err
	}
	err := r.write(func(c *creg) Status {
		return withCString(name, func(cs *C.char) Status {
			return Status(C.nj_facility_add(c, C.int64_t(id), C.int32_t(kind), cs, C.double(lat),
				C.double(lon), C.int64_t(regionID), nil))
		})
	})
	if err != nil {
		return nil, err
	}
	return wrapFacility(ref[cfacility]{r, id, facilityKind}), nil
}

// RemoveFacility removes a facility; ErrInUse while it has postings.
func (r *Registry) RemoveFacility(id int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_facility_remove(c, C.int64_t(id))) })
}

// Facility returns the facility with the id, or ErrNotFound.
func (r *Registry) Facility(id int64) (*Facility, error) {
	return lookup(r, facilityKind, id, wrapFacility)
}

// FacilityCount is the number of facilities.
func (r *Registry) FacilityCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_facility_count(c) })
}

// Facilities returns every facility, in the library's iteration order.
func (r *Registry) Facilities() ([]*Facility, error) {
	return all(r, facilityKind, func(c *creg) C.size_t { return C.nj_facility_count(c) },
		func(c *creg, i C.size_t) int64 { return int64(C.nj_facility_id(C.nj_facility_at(c, i))) },
		wrapFacility)
}

// ID is the facility's id.
func (f *Facility) ID() int64 { return f.ref.id }

// Registry is the registry the facility belongs to.
func (f *Facility) Registry() *Registry { return f.ref.reg }

// Kind is the facility's kind.
func (f *Facility) Kind() (FacilityKind, error) {
	return field(f.ref, func(h *cfacility) FacilityKind { return FacilityKind(C.nj_facility_kind(h)) })
}

// Name is the facility's UTF-8 name.
func (f *Facility) Name() (string, error) {
	return field(f.ref, func(h *cfacility) string { return C.GoString(C.nj_facility_name(h)) })
}

// Location is the facility's location as stored (rounded to 1e-7 degree).
func (f *Facility) Location() (Point, error) {
	var p Point
	err := f.ref.get(func(h *cfacility) {
		p = Point{float64(C.nj_facility_lat(h)), float64(C.nj_facility_lon(h))}
	})
	return p, err
}

// RegionID is the facility's region, 0 when it has none.
func (f *Facility) RegionID() (int64, error) {
	return field(f.ref, func(h *cfacility) int64 { return int64(C.nj_facility_region_id(h)) })
}

// PostingCount is the number of postings at the facility.
func (f *Facility) PostingCount() (int, error) {
	return field(f.ref, func(h *cfacility) int { return int(C.nj_facility_posting_count(h)) })
}

// SetName renames the facility; on failure the old name is kept.
func (f *Facility) SetName(name string) error {
	if err := noNUL("facility name", name); err != nil {
		return err
	}
	return f.ref.write(func(c *creg, h *cfacility) Status {
		return withCString(name, func(cs *C.char) Status { return Status(C.nj_facility_set_name(c, h, cs)) })
	})
}

// SetKind changes the facility's kind.
func (f *Facility) SetKind(kind FacilityKind) error {
	return f.ref.write(func(c *creg, h *cfacility) Status {
		return Status(C.nj_facility_set_kind(c, h, C.int32_t(kind)))
	})
}

// SetLocation moves the facility. A region derived from the old location is
// derived again; a region the caller set is kept.
func (f *Facility) SetLocation(lat, lon float64) error {
	return f.ref.write(func(c *creg, h *cfacility) Status {
		return Status(C.nj_facility_set_location(c, h, C.double(lat), C.double(lon)))
	})
}

// SetRegion sets the region explicitly, or with 0 derives it from the
// location again.
func (f *Facility) SetRegion(regionID int64) error {
	return f.ref.write(func(c *creg, h *cfacility) Status {
		return Status(C.nj_facility_set_region(c, h, C.int64_t(regionID)))
	})
}
