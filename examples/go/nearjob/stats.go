package nearjob

// #include <nearjob.h>
import "C"

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// cstats is the C statistics type.
type cstats = C.struct_nj_stats

// Stats are target-attainment statistics computed from a registry or loaded
// from bytes. They do not refer to any registry: they can be saved, loaded
// anywhere and merged across districts. Safe for concurrent use; call Close
// when done.
type Stats struct {
	o     owner[cstats]
	alloc *Allocator // the allocator the statistics free through, kept alive
	order uint64     // lock order of Merge
}

// RowKey is the key of a statistics row. RegionID 0 collects postings at
// facilities outside every region.
type RowKey struct {
	Year          int32         // calendar year
	RegionID      int64         // region, 0 for postings outside every region
	ProgrammeType ProgrammeType // ProgrammeAll for the row of every programme
}

// Ratio is an exact ratio of a row, and its value rounded half up to the
// unit its RatioKind names (1242 for 124.2 %).
type Ratio struct {
	Numerator   int64 // exact numerator
	Denominator int64 // exact denominator, 0 when the ratio is undefined
	Rounded     int64 // Numerator / Denominator in the kind's unit, halves up
}

// StatsRegion is a region the statistics rows name.
type StatsRegion struct {
	ID       int64  // the region's id
	Level    Level  // its level
	ParentID int64  // its parent's id, 0 for none
	Name     string // its UTF-8 name
}

var statsOrder atomic.Uint64

func adoptStats(c *cstats, a *Allocator) *Stats {
	s := &Stats{alloc: a, order: statsOrder.Add(1)}
	s.o.c = c
	s.o.destroy = func(c *cstats) { C.nj_stats_destroy(c) }
	runtime.SetFinalizer(s, (*Stats).Close)
	return s
}

// ComputeStats computes statistics over the dates [from, to]: postings whose
// work starts in the range, actuals dated in it, and the targets of every
// year it touches. Read-only on the registry. Errors: ErrInvalid (bad date,
// from after to), ErrRange (a sum too large), ErrNoMem.
func (r *Registry) ComputeStats(from, to Date) (*Stats, error) {
	var s *cstats
	err := r.read(func(c *creg) error {
		st := Status(C.nj_stats_compute(c, C.int32_t(from), C.int32_t(to), &s))
		return failure(st, fmt.Sprintf("statistics from %d to %d", from, to))
	})
	if err != nil {
		return nil, err
	}
	return adoptStats(s, r.alloc), nil
}

// LoadStats reads statistics written by Save, validating everything first.
// Errors: ErrCorrupt (the message gives the byte offset), ErrVersion (a
// newer format), ErrNoMem.
func LoadStats(data []byte) (*Stats, error) { return LoadStatsWithAllocator(data, nil) }

// LoadStatsWithAllocator is LoadStats allocating through a (nil: malloc).
func LoadStatsWithAllocator(data []byte, a *Allocator) (*Stats, error) {
	if versionErr != nil {
		return nil, versionErr
	}
	var s *cstats
	var msg [errmsgSize]C.char
	var st Status
	if a == nil {
		st = Status(C.nj_stats_load(bytesArg(data), C.size_t(len(data)), &s, &msg[0], errmsgSize))
	} else {
		st = a.loadStats(data, &s, &msg[0])
	}
	if err := failure(st, C.GoString(&msg[0])); err != nil {
		return nil, err
	}
	return adoptStats(s, a), nil
}

// Close frees the statistics; afterwards every method returns
// ErrUseAfterClose. Tables published from them stay valid.
func (s *Stats) Close() error {
	s.o.close()
	runtime.SetFinalizer(s, nil)
	return nil
}

// Period is the first and last day the statistics cover.
func (s *Stats) Period() (from, to Date, err error) {
	err = s.o.read(func(c *cstats) error {
		from, to = Date(C.nj_stats_from_date(c)), Date(C.nj_stats_to_date(c))
		return nil
	})
	return from, to, err
}

// Rows returns the keys of every row in (year, region id, programme type)
// order; a row's index in this slice is what Value and Ratio take.
func (s *Stats) Rows() ([]RowKey, error) {
	var out []RowKey
	err := s.o.read(func(c *cstats) error {
		out = make([]RowKey, C.nj_stats_row_count(c))
		for i := range out {
			var year, programme C.int32_t
			var region C.int64_t
			if st := Status(C.nj_stats_row_key(c, C.size_t(i), &year, &region, &programme)); st != StatusOK {
				return failure(st, fmt.Sprintf("statistics row %d", i))
			}
			out[i] = RowKey{int32(year), int64(region), ProgrammeType(programme)}
		}
		return nil
	})
	return out, err
}

// FindRow returns the index of the row with a key; ErrNotFound when there is
// none.
func (s *Stats) FindRow(key RowKey) (int, error) {
	var index C.size_t
	err := s.o.read(func(c *cstats) error {
		st := Status(C.nj_stats_row_find(c, C.int32_t(key.Year), C.int64_t(key.RegionID),
			C.int32_t(key.ProgrammeType), &index))
		return failure(st, fmt.Sprintf("statistics row %+v", key))
	})
	return int(index), err
}

// Value is one figure of a row. ErrNotFound for a row out of range,
// ErrUnsupported for an unknown measure.
func (s *Stats) Value(row int, m Measure) (int64, error) {
	index, err := sizeArg("row", row)
	if err != nil {
		return 0, err
	}
	var v C.int64_t
	err = s.o.read(func(c *cstats) error {
		st := Status(C.nj_stats_row_value(c, index, C.int32_t(m), &v))
		return failure(st, fmt.Sprintf("statistics row %d, measure %d", row, m))
	})
	return int64(v), err
}

// Ratio is an exact ratio of a row. With a zero denominator (no target, no
// slots or no persons) it returns the fraction together with ErrRange.
// ErrNotFound for a row out of range, ErrUnsupported for an unknown ratio.
func (s *Stats) Ratio(row int, kind RatioKind) (Ratio, error) {
	index, err := sizeArg("row", row)
	if err != nil {
		return Ratio{}, err
	}
	var num, den, rounded C.int64_t
	err = s.o.read(func(c *cstats) error {
		st := Status(C.nj_stats_row_ratio(c, index, C.int32_t(kind), &num, &den, &rounded))
		return failure(st, fmt.Sprintf("statistics row %d, ratio %d", row, kind))
	})
	return Ratio{int64(num), int64(den), int64(rounded)}, err
}

// Regions returns the regions the rows name, in id order.
func (s *Stats) Regions() ([]StatsRegion, error) {
	var out []StatsRegion
	err := s.o.read(func(c *cstats) error {
		out = make([]StatsRegion, C.nj_stats_region_count(c))
		for i := range out {
			var id, parent C.int64_t
			var level C.int32_t
			if st := Status(C.nj_stats_region_at(c, C.size_t(i), &id, &level, &parent)); st != StatusOK {
				return failure(st, fmt.Sprintf("statistics region %d", i))
			}
			name := C.GoString(C.nj_stats_region_name(c, id))
			out[i] = StatsRegion{int64(id), Level(level), int64(parent), name}
		}
		return nil
	})
	return out, err
}

// Merge adds from into s: rows with the same key are summed and the region
// lists united, so merging the statistics of disjoint registries gives the
// statistics of their union. Both must cover the same dates and agree on
// every region both name (ErrInvalid otherwise); ErrRange for a sum too
// large. On failure s is unchanged.
func (s *Stats) Merge(from *Stats) error {
	// Lock in a global order, so that a.Merge(b) and b.Merge(a) running at
	// once cannot deadlock.
	switch {
	case from == s:
		s.o.mu.Lock()
	case from.order < s.order:
		from.o.mu.RLock()
		s.o.mu.Lock()
	default:
		s.o.mu.Lock()
		from.o.mu.RLock()
	}
	defer s.o.mu.Unlock()
	if from != s {
		defer from.o.mu.RUnlock()
	}
	if s.o.c == nil || from.o.c == nil {
		return ErrUseAfterClose
	}
	st := Status(C.nj_stats_merge(s.o.c, from.o.c))
	return failure(st, C.GoString(C.nj_stats_errmsg(s.o.c)))
}

// Save writes the statistics as bytes (little-endian, checksummed; the
// format is in docs/statistics.md). Equal statistics give identical bytes.
func (s *Stats) Save() ([]byte, error) {
	var out []byte
	err := s.o.read(func(c *cstats) (err error) {
		out, err = fill("saving statistics", func(buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
			return Status(C.nj_stats_save(c, buf, capacity, size))
		})
		return err
	})
	return out, err
}

// Publish builds the table of one year's statistics at one region level,
// hiding every count in 1 .. k-1 and, in the cross tables, enough further
// cells that none can be worked out from the totals (k from 1 to 1000; 3 is
// usual). Errors: ErrUnsupported (kind), ErrRange (year, level, k),
// ErrNoMem.
func (s *Stats) Publish(year int32, level Level, kind TableKind, k int32) (*StatsTable, error) {
	var t *ctable
	err := s.o.read(func(c *cstats) error {
		st := Status(C.nj_stats_publish(c, C.int32_t(year), C.int32_t(level), C.int32_t(kind), C.int32_t(k), &t))
		return failure(st, fmt.Sprintf("publishing table %d of %d at level %d, k = %d", kind, year, level, k))
	})
	if err != nil {
		return nil, err
	}
	return adoptTable(t, s.alloc), nil
}
