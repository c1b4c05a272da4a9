package nearjob

// #include <nearjob.h>
import "C"

import (
	"fmt"
	"unsafe"
)

// ImportCSV imports a CSV file held in memory (docs/csv.md gives every
// schema) and returns the number of rows imported. Import is all or
// nothing: on any failure the registry is unchanged and the message says
// "line L, column C (field): reason". Errors: ErrInvalid, ErrCorrupt,
// ErrEncoding, ErrRange, ErrExists, ErrNotFound, ErrIneligible, ErrClosed,
// ErrCap, ErrUnsupported (no CP949 converter), ErrNoMem.
func (r *Registry) ImportCSV(object CSVObject, data []byte, encoding Encoding) (int, error) {
	var rows C.size_t
	err := r.write(func(c *creg) Status {
		return Status(C.nj_csv_import(c, C.int32_t(object), (*C.char)(bytesArg(data)), C.size_t(len(data)),
			C.int32_t(encoding), &rows))
	})
	return int(rows), err
}

// ImportCSVFile is ImportCSV from a path; ErrIO when the file cannot be
// read (the message names the path and the reason).
func (r *Registry) ImportCSVFile(object CSVObject, path string, encoding Encoding) (int, error) {
	if err := noNUL("path", path); err != nil {
		return 0, err
	}
	var rows C.size_t
	err := r.write(func(c *creg) Status {
		return withCString(path, func(cs *C.char) Status {
			return Status(C.nj_csv_import_file(c, C.int32_t(object), cs, C.int32_t(encoding), &rows))
		})
	})
	return int(rows), err
}

// ExportCSV exports every object of a type as CSV: UTF-8 with a byte-order
// mark, CRLF line ends, a header of the canonical column names, objects in a
// fixed order. Importing an export and exporting again gives the same bytes.
// Read-only.
func (r *Registry) ExportCSV(object CSVObject) ([]byte, error) {
	var out []byte
	err := r.read(func(c *creg) (err error) {
		out, err = fill(fmt.Sprintf("CSV export of object type %d", object),
			func(buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
				return Status(C.nj_csv_export(c, C.int32_t(object), (*C.char)(buf), capacity, size))
			})
		return err
	})
	return out, err
}

// ExportCSVFile exports to a file atomically (a temporary file of mode 0600
// in the same folder, flushed and renamed over path); on failure an existing
// file is untouched. ErrIO names the step, the path and the reason.
// Read-only.
func (r *Registry) ExportCSVFile(object CSVObject, path string) error {
	if err := noNUL("path", path); err != nil {
		return err
	}
	return r.read(func(c *creg) error {
		var msg [errmsgSize]C.char
		st := withCString(path, func(cs *C.char) Status {
			return Status(C.nj_csv_export_file(c, C.int32_t(object), cs, &msg[0], errmsgSize))
		})
		return failure(st, C.GoString(&msg[0]))
	})
}

// ImportGeoJSONRegions imports regions from a GeoJSON FeatureCollection
// (the vuski/admdongkor layout or the generic one of docs/csv.md) and
// returns the number of regions added, provinces and districts included.
// All or nothing, as for CSV. Errors: ErrCorrupt, ErrEncoding, ErrRange,
// ErrExists, ErrNotFound, ErrNoMem.
func (r *Registry) ImportGeoJSONRegions(data []byte) (int, error) {
	var n C.size_t
	err := r.write(func(c *creg) Status {
		return Status(C.nj_geojson_import_regions(c, (*C.char)(bytesArg(data)), C.size_t(len(data)), &n))
	})
	return int(n), err
}

// ImportGeoJSONRegionsFile is ImportGeoJSONRegions from a path; ErrIO when
// the file cannot be read.
func (r *Registry) ImportGeoJSONRegionsFile(path string) (int, error) {
	if err := noNUL("path", path); err != nil {
		return 0, err
	}
	var n C.size_t
	err := r.write(func(c *creg) Status {
		return withCString(path, func(cs *C.char) Status {
			return Status(C.nj_geojson_import_regions_file(c, cs, &n))
		})
	})
	return int(n), err
}
