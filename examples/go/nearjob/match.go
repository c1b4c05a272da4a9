package nearjob

// #include <nearjob.h>
import "C"

import (
	"fmt"
	"math"
)

// Match is one row of a query: the object found, its distance, and the
// object it was matched from (the posting in a batch, the queried
// participant or posting in a match, 0 for a radius query).
type Match struct {
	SourceID  int64   // the object matched from, 0 for a radius query
	ID        int64   // the object found
	DistanceM float64 // great-circle distance in metres
}

// takeMatches copies a result handle into a slice and frees it.
func takeMatches(m *C.struct_nj_matches) []Match {
	defer C.nj_matches_destroy(m)
	out := make([]Match, C.nj_matches_count(m))
	for i := range out {
		row := C.size_t(i)
		out[i] = Match{
			SourceID:  int64(C.nj_matches_source_id(m, row)),
			ID:        int64(C.nj_matches_id(m, row)),
			DistanceM: float64(C.nj_matches_distance_m(m, row)),
		}
	}
	return out
}

// query runs one of the library's result-handle queries under the shared
// lock; they never write the registry's message, so a failure carries what.
func (r *Registry) query(what string, fn func(*creg, **C.struct_nj_matches) Status) ([]Match, error) {
	var out []Match
	err := r.read(func(c *creg) error {
		var m *C.struct_nj_matches
		if st := fn(c, &m); st != StatusOK {
			return failure(st, what)
		}
		out = takeMatches(m)
		return nil
	})
	return out, err
}

// Distance is the great-circle distance in metres between two points on the
// sphere of radius 6 371 008.8 m (haversine). ErrRange for a coordinate that
// is NaN, infinite or out of range.
func Distance(lat1, lon1, lat2, lon2 float64) (float64, error) {
	var d C.double
	st := Status(C.nj_distance(C.double(lat1), C.double(lon1), C.double(lat2), C.double(lon2), &d))
	return float64(d), failure(st, fmt.Sprintf("distance (%v, %v) to (%v, %v)", lat1, lon1, lat2, lon2))
}

// QueryRadius returns every object of target within radiusM metres of
// (lat, lon), inclusive, in the given order; limit > 0 keeps the limit
// nearest (then sorted by distance). A radius of MaxRadiusM or more covers
// the Earth. Errors: ErrInvalid (bad target or order), ErrRange (centre,
// negative or NaN radius, negative limit), ErrNoMem.
func (r *Registry) QueryRadius(target MatchTarget, lat, lon, radiusM float64, order Order,
	limit int) ([]Match, error) {
	n, err := sizeArg("limit", limit)
	if err != nil {
		return nil, err
	}
	return r.query(fmt.Sprintf("radius query at (%v, %v), %v m", lat, lon, radiusM),
		func(c *creg, m **C.struct_nj_matches) Status {
			return Status(C.nj_query_radius(c, C.int32_t(target), C.double(lat), C.double(lon),
				C.double(radiusM), C.int32_t(order), n, m))
		})
}

// QueryRadiusInto is QueryRadius into caller storage: it reuses the
// capacity of ids and distances (growing them when the result is larger)
// and returns them resliced to the rows found, for loops that query often.
func (r *Registry) QueryRadiusInto(target MatchTarget, lat, lon, radiusM float64, order Order,
	limit int, ids []int64, distances []float64) ([]int64, []float64, error) {
	n, err := sizeArg("limit", limit)
	if err != nil {
		return nil, nil, err
	}
	err = r.read(func(c *creg) error {
		for {
			capacity := cap(ids)
			if cap(distances) < capacity {
				capacity = cap(distances)
			}
			ids, distances = ids[:capacity], distances[:capacity]
			var count C.size_t
			st := Status(C.nj_query_radius_into(c, C.int32_t(target), C.double(lat), C.double(lon),
				C.double(radiusM), C.int32_t(order), n, (*C.int64_t)(first(ids)),
				(*C.double)(first(distances)), C.size_t(capacity), &count))
			if st != StatusBufferTooSmall {
				ids, distances = ids[:count], distances[:count]
				return failure(st, fmt.Sprintf("radius query at (%v, %v), %v m", lat, lon, radiusM))
			}
			ids, distances = make([]int64, count), make([]float64, count)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return ids, distances, nil
}

// MatchForParticipant returns the open postings within radiusM of the
// participant's home that they are eligible for on date, nearest first, at
// most limit (0 for all). Row ids are posting ids. Errors: ErrInvalid (bad
// date), ErrNotFound (no such participant), ErrRange (radius), ErrNoMem.
func (r *Registry) MatchForParticipant(participantID int64, radiusM float64, date Date,
	limit int) ([]Match, error) {
	n, err := sizeArg("limit", limit)
	if err != nil {
		return nil, err
	}
	return r.query(fmt.Sprintf("matching participant %d on %d", participantID, date),
		func(c *creg, m **C.struct_nj_matches) Status {
			return Status(C.nj_match_for_participant(c, C.int64_t(participantID), C.double(radiusM),
				C.int32_t(date), n, m))
		})
}

// MatchForPosting returns the eligible participants within the posting's
// radius on date (the residents to notify), nearest first, at most limit
// (0 for all). A closed posting, or a date outside its window, gives no
// rows. Row ids are participant ids. Errors: ErrInvalid, ErrNotFound (no
// such posting), ErrUnsupported (unknown flag), ErrNoMem.
func (r *Registry) MatchForPosting(postingID int64, date Date, limit int, flags MatchFlag) ([]Match, error) {
	n, err := sizeArg("limit", limit)
	if err != nil {
		return nil, err
	}
	return r.query(fmt.Sprintf("matching posting %d on %d", postingID, date),
		func(c *creg, m **C.struct_nj_matches) Status {
			return Status(C.nj_match_for_posting(c, C.int64_t(postingID), C.int32_t(date), n,
				C.uint32_t(flags), m))
		})
}

// MatchBatch matches every open posting against every participant with the
// rules of MatchForPosting, for a nightly run: count postings (0 for all
// the rest) from position first of Postings' order, on up to 64 threads (0
// or 1: the calling thread). Rows are (posting, participant, distance) in
// posting order, then distance, then participant id, whatever the thread
// count. Errors: ErrInvalid, ErrRange (threads > 64), ErrUnsupported,
// ErrNoMem.
func (r *Registry) MatchBatch(date Date, first, count int, flags MatchFlag, threads int) ([]Match, error) {
	from, err := sizeArg("first posting", first)
	if err != nil {
		return nil, err
	}
	n, err := sizeArg("posting count", count)
	if err != nil {
		return nil, err
	}
	if threads < 0 || threads > math.MaxUint32 {
		return nil, &Error{Status: StatusRange, Message: fmt.Sprintf("threads %d outside [0, 64]", threads)}
	}
	return r.query(fmt.Sprintf("batch on %d", date), func(c *creg, m **C.struct_nj_matches) Status {
		return Status(C.nj_match_batch(c, C.int32_t(date), from, n, C.uint32_t(flags),
			C.uint32_t(threads), m))
	})
}
