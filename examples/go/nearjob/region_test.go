package nearjob_test

import (
	"reflect"
	"testing"

	"nearjob.invalid/nearjob"
)

// The square with a square hole of docs/concepts.md.
func TestBoundaryContainsAndLocate(t *testing.T) {
	r := newRegistry(t)
	province := must(r.AddRegion(29, nearjob.RegionProvince, 0, "광주광역시"))
	dong := must(r.AddRegion(2920000001, nearjob.RegionNeighbourhood, 29, "Example-dong"))
	outer := square(35.10, 126.80, 35.20, 126.90)
	hole := square(35.14, 126.84, 35.16, 126.86)
	boundary := []nearjob.Polygon{{outer, hole}}
	ok(t, dong.SetBoundary(boundary))

	equal(t, "boundary", reflect.DeepEqual(must(dong.Boundary()), boundary), true)
	equal(t, "bbox", must(dong.BBox()), nearjob.BBox{MinLat: 35.10, MinLon: 126.80, MaxLat: 35.20, MaxLon: 126.90})
	for _, c := range []struct {
		lat, lon float64
		inside   bool
	}{{35.12, 126.82, true}, {35.15, 126.85, false}, {35.25, 126.85, false}} {
		equal(t, "contains", must(dong.Contains(c.lat, c.lon)), c.inside)
	}
	_, err := dong.Contains(35.1, 181)
	fails(t, err, nearjob.ErrRange)

	found := must(r.Locate(35.12, 126.82))
	equal(t, "located", found.ID(), dong.ID())
	equal(t, "located name", must(found.Name()), "Example-dong")
	_, err = r.Locate(35.15, 126.85) // in the hole
	fails(t, err, nearjob.ErrNotFound)
	equal(t, "dong within province", must(dong.IsWithin(province)), true)
	equal(t, "province within dong", must(province.IsWithin(dong)), false)
	equal(t, "parent", must(dong.ParentID()), 29)
	equal(t, "level", must(dong.Level()), nearjob.RegionNeighbourhood)

	// A facility derives its region from its location, which keeps the
	// region from being removed.
	f := must(r.AddFacility(1, nearjob.FacilityLibrary, "Example Library", 35.12, 126.82, 0))
	equal(t, "derived region", must(f.RegionID()), dong.ID())
	fails(t, r.RemoveRegion(dong.ID()), nearjob.ErrInUse, "2920000001")
	fails(t, r.RemoveRegion(29), nearjob.ErrInUse, "child")
	ok(t, f.SetRegion(29))
	ok(t, f.SetLocation(35.15, 126.85))
	equal(t, "given region kept", must(f.RegionID()), 29)
	ok(t, r.RemoveRegion(dong.ID()))
	_, err = dong.Name()
	fails(t, err, nearjob.ErrNotFound, "region 2920000001")

	// A refused boundary keeps the old one; nil removes it.
	ok(t, province.SetBoundary(boundary))
	fails(t, province.SetBoundary([]nearjob.Polygon{{outer[:2]}}), nearjob.ErrInvalid)
	equal(t, "kept boundary", reflect.DeepEqual(must(province.Boundary()), boundary), true)
	ok(t, province.SetBoundary(nil))
	equal(t, "no boundary", must(province.Boundary()) == nil, true)
	_, err = province.BBox()
	fails(t, err, nearjob.ErrNotFound)
	ok(t, province.SetName("광주"))
	equal(t, "renamed", must(province.Name()), "광주")
	fails(t, province.SetName(""), nearjob.ErrInvalid)
	regions := must(r.Regions())
	equal(t, "regions", len(regions), 1)
	equal(t, "region id", regions[0].ID(), 29)
}

func TestIsWithinAcrossRegistries(t *testing.T) {
	a, b := newRegistry(t), newRegistry(t)
	ra := must(a.AddRegion(1, nearjob.RegionProvince, 0, "a"))
	rb := must(b.AddRegion(1, nearjob.RegionProvince, 0, "b"))
	_, err := ra.IsWithin(rb)
	fails(t, err, nearjob.ErrInvalid, "different registries")
}
