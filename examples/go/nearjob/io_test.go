package nearjob_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"nearjob.invalid/nearjob"
)

// Import is all or nothing, and the message places the fault by line and
// column (the cases of tests/test_io.c).
func TestCSVImportErrorsNameLineAndColumn(t *testing.T) {
	r := newRegistry(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	before := must(r.ExportCSV(nearjob.CSVFacilities))
	for _, c := range []struct {
		lat      string
		sentinel error
		why      string
	}{
		{"NaN", nearjob.ErrCorrupt, "not a decimal number"},
		{"0x1p3", nearjob.ErrCorrupt, "not a decimal number"},
		{"91.5", nearjob.ErrRange, "outside [-90, 90]"},
		{"-90.0000001", nearjob.ErrRange, "outside [-90, 90]"},
		{"", nearjob.ErrInvalid, "required"},
	} {
		csv := "id,kind,name,lat,lon\r\n7,library,a,35,126.8\r\n8,library,b," + c.lat + ",126.8\r\n"
		n, err := r.ImportCSV(nearjob.CSVFacilities, []byte(csv), nearjob.EncodingUTF8)
		fails(t, err, c.sentinel, "line 3, column 13 (lat)", c.why)
		equal(t, "rows imported", n, 0)
		equal(t, "registry unchanged", string(must(r.ExportCSV(nearjob.CSVFacilities))), string(before))
	}
	_, err := r.ImportCSV(nearjob.CSVFacilities, []byte("id,kind,name,lat,lon\n8,library,b,35,180.5\n"), nearjob.EncodingUTF8)
	fails(t, err, nearjob.ErrRange, "line 2, column 16 (lon)", "outside [-180, 180]")
	_, err = r.ImportCSV(nearjob.CSVFacilities, []byte("id,kind,name,lat,lon\n1,library,again,35,126\n"), nearjob.EncodingUTF8)
	fails(t, err, nearjob.ErrExists, "line 2")
	_, err = r.ImportCSV(nearjob.CSVFacilities, []byte("id,kind,name,lat,lon\n9,library,\"ab\xff\",35,126\n"), nearjob.EncodingUTF8)
	fails(t, err, nearjob.ErrEncoding, "line 2")
	_, err = r.ImportCSV(99, nil, nearjob.EncodingUTF8)
	fails(t, err, nearjob.ErrInvalid)
	n, err := r.ImportCSV(nearjob.CSVFacilities, []byte("id,kind,name,lat,lon\n8,library,pole, 90 ,-180\n9,other,x,-90.0,+180\n"), nearjob.EncodingUTF8)
	ok(t, err)
	equal(t, "rows imported", n, 2)
	equal(t, "pole", must(must(r.Facility(8)).Location()), nearjob.Point{Lat: 90, Lon: -180})
}

// Export, import into a new registry and export again: the same bytes, in
// memory and through files. (Selections and work entries are not CSV
// objects to restore: they come from Select, or from a snapshot.)
func TestCSVRoundTrip(t *testing.T) {
	r := gwangju(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	p := must(r.AddPosting(10, 1, "도서 정리, \"=SUM(A1)\"", 2))
	ok(t, p.SetWorkPeriod(20230301, 20230331))
	ok(t, p.SetResidencyRegion(29200))
	for who := int64(1); who <= 3; who++ {
		must(r.AddParticipant(who, 19630515, who == 2, 35.18, 126.82, 20230101, 0))
		ok(t, r.SubmitApplication(who, 10, 20230220))
	}
	ok(t, r.WithdrawApplication(3, 10))
	ok(t, r.SetTarget(2023, 29200, nearjob.ProgrammeAll, 18032))
	dir := t.TempDir()
	copy := newRegistry(t)
	for _, object := range []nearjob.CSVObject{nearjob.CSVRegions, nearjob.CSVFacilities, nearjob.CSVPostings,
		nearjob.CSVParticipants, nearjob.CSVApplications, nearjob.CSVTargets} {
		data := must(r.ExportCSV(object))
		equal(t, "BOM", bytes.HasPrefix(data, []byte("\xef\xbb\xbf")), true)
		path := filepath.Join(dir, "export.csv")
		ok(t, r.ExportCSVFile(object, path))
		equal(t, "file = memory", bytes.Equal(must(os.ReadFile(path)), data), true)
		must(copy.ImportCSVFile(object, path, nearjob.EncodingAuto))
		equal(t, "exported again", bytes.Equal(must(copy.ExportCSV(object)), data), true)
	}
	equal(t, "withdrawn in the copy", must(copy.ApplicationStatus(3, 10)), nearjob.ApplicationWithdrawn)
	equal(t, "region in the copy", must(must(copy.Participant(1)).RegionID()), must(must(r.Participant(1)).RegionID()))
	err := r.ExportCSVFile(nearjob.CSVFacilities, filepath.Join(dir, "no", "such", "dir.csv"))
	fails(t, err, nearjob.ErrIO, "no/such")
}

func TestGeoJSONErrors(t *testing.T) {
	r := newRegistry(t)
	_, err := r.ImportGeoJSONRegions([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature",`))
	fails(t, err, nearjob.ErrCorrupt, "line 1")
	_, err = r.ImportGeoJSONRegions([]byte(`[]`))
	fails(t, err, nearjob.ErrCorrupt)
	_, err = r.ImportGeoJSONRegionsFile(filepath.Join(t.TempDir(), "none.geojson"))
	fails(t, err, nearjob.ErrIO, "none.geojson")
	n, err := r.ImportGeoJSONRegions([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature",` +
		`"properties":{"id":7,"name":"Example-dong","level":3},"geometry":{"type":"Polygon",` +
		`"coordinates":[[[126.78,35.13],[126.80,35.13],[126.80,35.15],[126.78,35.15],[126.78,35.13]]]}}]}`))
	ok(t, err)
	equal(t, "regions", n, 1)
	equal(t, "located", must(r.Locate(35.14, 126.79)).ID(), 7)
}
