package nearjob_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"nearjob.invalid/nearjob"
)

// The project's real fixtures (tests/data, see its README.md).
var testData = filepath.Join("..", "..", "..", "tests", "data")

// gwangju is a registry holding the 96 administrative dongs of Gwangju,
// with their province and 5 districts.
func gwangju(t *testing.T) *nearjob.Registry {
	t.Helper()
	r := newRegistry(t)
	n, err := r.ImportGeoJSONRegionsFile(filepath.Join(testData, "admdong_gwangju_all.geojson"))
	ok(t, err)
	equal(t, "regions imported", n, 1+5+96)
	return r
}

type library struct {
	name     string
	lat, lon float64
	dong     int64
}

// gwangjuLibraries reads the 318 libraries of Gwangju with the dong a
// point-in-polygon test put each in.
func gwangjuLibraries(t *testing.T) []library {
	t.Helper()
	f, err := os.Open(filepath.Join(testData, "facilities_gwangju_libraries.csv"))
	ok(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	ok(t, err)
	var out []library
	for _, row := range rows[1:] { // name, type, sido, sigungu, address, lat, lon, adm_cd2, ...
		lat := must(strconv.ParseFloat(row[5], 64))
		lon := must(strconv.ParseFloat(row[6], 64))
		out = append(out, library{row[0], lat, lon, must(strconv.ParseInt(row[7], 10, 64))})
	}
	return out
}

// As tests/test_locate_realdata.c: every library lies in the dong its
// adm_cd2 names.
func TestGwangjuLibrariesLocateTheirDong(t *testing.T) {
	r := gwangju(t)
	equal(t, "송정1동", must(must(r.Region(2920051500)).Name()), "송정1동")
	gwangsan := must(r.Region(29200))
	equal(t, "광산구", must(gwangsan.Name()), "광산구")
	libraries := gwangjuLibraries(t)
	equal(t, "libraries", len(libraries), 318)
	for _, l := range libraries {
		found, err := r.Locate(l.lat, l.lon)
		if err != nil || found.ID() != l.dong {
			t.Errorf("%s (%v, %v): got %v %v, want %d", l.name, l.lat, l.lon, found, err, l.dong)
		}
	}
	// 신가도서관 lies in 신가동 of 광산구 of 광주광역시.
	singa := must(r.Locate(35.1826649, 126.8278526))
	equal(t, "신가동", singa.ID(), 2920063000)
	equal(t, "in 광산구", must(singa.IsWithin(gwangsan)), true)
	equal(t, "in 동구", must(singa.IsWithin(must(r.Region(29110)))), false)
	for _, p := range []nearjob.Point{{37.5663, 126.9779}, {33.4996, 126.5312}, {35.25, 127.0}} {
		_, err := r.Locate(p.Lat, p.Lon)
		fails(t, err, nearjob.ErrNotFound)
	}
}
