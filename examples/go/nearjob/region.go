package nearjob

// #include <nearjob.h>
import "C"

import "fmt"

// Point is a WGS84 position in degrees.
type Point struct {
	Lat float64 // latitude, -90 to 90
	Lon float64 // longitude, -180 to 180
}

// Ring is a closed ring of at least 3 vertices; repeating the first vertex
// at the end (as GeoJSON does) is allowed and kept.
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// BBox is a bounding box in degrees.
type BBox struct {
	MinLat float64 // southern edge
	MinLon float64 // western edge
	MaxLat float64 // northern edge
	MaxLon float64 // eastern edge
}

// cregion is the C region type.
type cregion = C.struct_nj_region

// Region is an administrative area (province, district or neighbourhood)
// of a registry, named by its id.
type Region struct{ ref ref[cregion] }

var regionKind = &kind[cregion]{"region",
	func(c *creg, id C.int64_t) *cregion { return C.nj_region_get(c, id) }}

func wrapRegion(r ref[cregion]) *Region { return &Region{r} }

// AddRegion adds a region: id >= 1 and unique among regions, parentID an
// existing region of a smaller level or 0, name non-empty UTF-8 of at most
// 1024 bytes. Errors: ErrInvalid, ErrRange, ErrEncoding, ErrExists,
// ErrNotFound (no such parent), ErrNoMem.
func (r *Registry) AddRegion(id int64, level Level, parentID int64, name string) (*Region, error) {
	if err := noNUL("region name", name); err != nil {
		return nil, err
	}
	err := r.write(func(c *creg) Status {
		return withCString(name, func(cs *C.char) Status {
			return Status(C.nj_region_add(c, C.int64_t(id), C.int32_t(level), C.int64_t(parentID), cs, nil))
		})
	})
	if err != nil {
		return nil, err
	}
	return wrapRegion(ref[cregion]{r, id, regionKind}), nil
}

// RemoveRegion removes a region. ErrInUse when it still has child regions
// or is the region of a facility or participant, a posting's residency
// restriction, or referenced by a target or recorded actual.
func (r *Registry) RemoveRegion(id int64) error {
	return r.write(func(c *creg) Status { return Status(C.nj_region_remove(c, C.int64_t(id))) })
}

// Region returns the region with the id, or ErrNotFound.
func (r *Registry) Region(id int64) (*Region, error) {
	return lookup(r, regionKind, id, wrapRegion)
}

// RegionCount is the number of regions.
func (r *Registry) RegionCount() (int, error) {
	return r.counted(func(c *creg) C.size_t { return C.nj_region_count(c) })
}

// Regions returns every region, in the library's (unspecified but stable)
// iteration order.
func (r *Registry) Regions() ([]*Region, error) {
	return all(r, regionKind, func(c *creg) C.size_t { return C.nj_region_count(c) },
		func(c *creg, i C.size_t) int64 { return int64(C.nj_region_id(C.nj_region_at(c, i))) },
		wrapRegion)
}

// Locate returns the deepest region whose boundary contains the point (a
// neighbourhood before its district), or ErrNotFound when none does.
// ErrRange for a coordinate that is NaN, infinite or out of range.
func (r *Registry) Locate(lat, lon float64) (*Region, error) {
	var id int64
	err := r.read(func(c *creg) error {
		var found *cregion
		st := Status(C.nj_region_locate(c, C.double(lat), C.double(lon), &found))
		id = int64(C.nj_region_id(found))
		return failure(st, fmt.Sprintf("locating (%v, %v)", lat, lon))
	})
	if err != nil {
		return nil, err
	}
	return wrapRegion(ref[cregion]{r, id, regionKind}), nil
}

// ID is the region's id.
func (g *Region) ID() int64 { return g.ref.id }

// Registry is the registry the region belongs to.
func (g *Region) Registry() *Registry { return g.ref.reg }

// Level is the region's level.
func (g *Region) Level() (Level, error) {
	return field(g.ref, func(h *cregion) Level { return Level(C.nj_region_level(h)) })
}

// ParentID is the parent region's id, 0 for none.
func (g *Region) ParentID() (int64, error) {
	return field(g.ref, func(h *cregion) int64 { return int64(C.nj_region_parent_id(h)) })
}

// Name is the region's UTF-8 name.
func (g *Region) Name() (string, error) {
	return field(g.ref, func(h *cregion) string { return C.GoString(C.nj_region_name(h)) })
}

// SetName renames the region; on failure the old name is kept.
func (g *Region) SetName(name string) error {
	if err := noNUL("region name", name); err != nil {
		return err
	}
	return g.ref.write(func(c *creg, h *cregion) Status {
		return withCString(name, func(cs *C.char) Status { return Status(C.nj_region_set_name(c, h, cs)) })
	})
}

// SetBoundary replaces the region's boundary with a multipolygon; nil or
// empty removes it. Errors: ErrInvalid (a polygon without rings, a ring of
// fewer than 3 vertices), ErrRange (a coordinate, more than 16 777 216
// vertices), ErrNoMem; the old boundary is kept on failure.
func (g *Region) SetBoundary(polygons []Polygon) error {
	var rings, vertices []C.uint32_t
	var latlon []C.double
	for _, p := range polygons {
		rings = append(rings, C.uint32_t(len(p)))
		for _, ring := range p {
			vertices = append(vertices, C.uint32_t(len(ring)))
			for _, pt := range ring {
				latlon = append(latlon, C.double(pt.Lat), C.double(pt.Lon))
			}
		}
	}
	return g.ref.write(func(c *creg, h *cregion) Status {
		return Status(C.nj_region_set_boundary(c, h, C.size_t(len(polygons)), first(rings),
			C.size_t(len(vertices)), first(vertices), C.size_t(len(latlon)/2), first(latlon)))
	})
}

// Boundary returns the boundary as it was set, nil when there is none.
func (g *Region) Boundary() ([]Polygon, error) {
	var out []Polygon
	err := g.ref.read(func(_ *creg, h *cregion) error {
		var np, nr, nv C.size_t
		if st := Status(C.nj_region_boundary_counts(h, &np, &nr, &nv)); st != StatusOK || np == 0 {
			return failure(st, fmt.Sprintf("region %d: boundary sizes", g.ref.id))
		}
		rings, vertices := make([]C.uint32_t, np), make([]C.uint32_t, nr)
		latlon := make([]C.double, 2*nv)
		st := Status(C.nj_region_boundary_copy(h, first(rings), np, first(vertices), nr, first(latlon), nv))
		if st != StatusOK {
			return failure(st, fmt.Sprintf("region %d: copying the boundary", g.ref.id))
		}
		out = assemblePolygons(rings, vertices, latlon)
		return nil
	})
	return out, err
}

// assemblePolygons rebuilds polygons from the library's flat arrays.
func assemblePolygons(rings, vertices []C.uint32_t, latlon []C.double) []Polygon {
	out := make([]Polygon, len(rings))
	ring, at := 0, 0
	for i, nrings := range rings {
		out[i] = make(Polygon, nrings)
		for j := range out[i] {
			pts := make(Ring, vertices[ring])
			for k := range pts {
				pts[k] = Point{float64(latlon[at]), float64(latlon[at+1])}
				at += 2
			}
			out[i][j] = pts
			ring++
		}
	}
	return out
}

// BBox is the bounding box of the boundary; ErrNotFound when there is none.
func (g *Region) BBox() (BBox, error) {
	var b BBox
	err := g.ref.read(func(_ *creg, h *cregion) error {
		var minLat, minLon, maxLat, maxLon C.double
		st := Status(C.nj_region_bbox(h, &minLat, &minLon, &maxLat, &maxLon))
		b = BBox{float64(minLat), float64(minLon), float64(maxLat), float64(maxLon)}
		return failure(st, fmt.Sprintf("region %d has no boundary", g.ref.id))
	})
	return b, err
}

// Contains reports whether the point lies inside the boundary (inside an
// outer ring and not in one of its holes; false without a boundary).
// ErrRange for a bad coordinate.
func (g *Region) Contains(lat, lon float64) (bool, error) {
	var inside C.int
	err := g.ref.read(func(_ *creg, h *cregion) error {
		st := Status(C.nj_region_contains(h, C.double(lat), C.double(lon), &inside))
		return failure(st, fmt.Sprintf("region %d: point (%v, %v)", g.ref.id, lat, lon))
	})
	return inside == 1, err
}

// IsWithin reports whether the region is ancestor or lies in its subtree.
// Both must belong to the same registry (ErrInvalid otherwise).
func (g *Region) IsWithin(ancestor *Region) (bool, error) {
	if ancestor.ref.reg != g.ref.reg {
		return false, &Error{Status: StatusInvalid, Message: "regions of different registries"}
	}
	var within C.int
	err := g.ref.read(func(c *creg, h *cregion) error {
		a := regionKind.get(c, C.int64_t(ancestor.ref.id))
		if a == nil {
			return ancestor.ref.missing()
		}
		within = C.nj_region_is_within(h, a)
		return nil
	})
	return within == 1, err
}
