package nearjob_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"nearjob.invalid/nearjob"
)

// busyRegistry is Gwangju's dongs, 1 500 seeded residents, 12 postings and
// some applications: enough for every read-only query to have work to do.
func busyRegistry(t *testing.T) *nearjob.Registry {
	r := gwangju(t)
	residents(t, r, 1500, 19)
	for i := int64(1); i <= 12; i++ {
		must(r.AddFacility(i, nearjob.FacilityOther, "시설", 35.10+0.01*float64(i), 126.72+0.01*float64(i), 0))
		p := must(r.AddPosting(i, i, fmt.Sprintf("일자리 %d", i), 2))
		ok(t, p.SetWorkPeriod(20230301, 20230331))
		for _, m := range must(r.MatchForPosting(i, 20230201, 3, 0)) {
			ok(t, r.SubmitApplication(m.ID, i, 20230201))
		}
	}
	return r
}

// answers runs a fixed set of read-only queries and returns their results.
// With full, it also includes answers a concurrent writer would change.
func answers(r *nearjob.Registry, libraries []library, full bool) (map[string]any, error) {
	out := map[string]any{}
	var firstErr error
	keep := func(key string, v any, err error) {
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", key, err)
		}
		out[key] = v
	}
	for i, l := range libraries {
		if i%10 == 0 {
			region, err := r.Locate(l.lat, l.lon)
			if err == nil {
				keep("locate "+l.name, region.ID(), nil)
			} else {
				keep("locate "+l.name, nil, err)
			}
			rows, err := r.QueryRadius(nearjob.MatchParticipants, l.lat, l.lon, 1500, nearjob.OrderDistance, 0)
			keep("radius "+l.name, rows, err)
		}
	}
	for who := int64(1); who <= 1500; who += 50 {
		rows, err := r.MatchForParticipant(who, 3000, 20230201, 0)
		keep(fmt.Sprint("match participant ", who), rows, err)
	}
	batch, err := r.MatchBatch(20230201, 0, 0, 0, 2)
	keep("batch", batch, err)
	for _, p := range must(r.Postings()) {
		title, err := p.Title()
		keep(fmt.Sprint("title ", p.ID()), title, err)
		apps, err := p.Applications()
		keep(fmt.Sprint("applications ", p.ID()), apps, err)
	}
	postings, err := r.ExportCSV(nearjob.CSVPostings)
	keep("postings CSV", postings, err)
	if full {
		snapshot, err := r.SaveSnapshot()
		keep("snapshot", snapshot, err)
		people, err := r.ExportCSV(nearjob.CSVParticipants)
		keep("participants CSV", people, err)
	}
	return out, firstErr
}

// Read-only queries from many goroutines at once, against answers computed
// alone beforehand; then the same while writers change what the queries do
// not read, each checking that the error message it gets is its own.
// Run with go test -race.
func TestConcurrentReadOnlyQueries(t *testing.T) {
	r := busyRegistry(t)
	libraries := gwangjuLibraries(t)
	full := must(answers(r, libraries, true))
	partial := must(answers(r, libraries, false))
	// The answers are not trivial: rows in the batch and around libraries.
	equal(t, "answers", len(full), 32+32+30+1+24+3)
	equal(t, "batch rows", len(full["batch"].([]nearjob.Match)) > 30, true)
	equal(t, "rows around the first library", len(full["radius "+libraries[0].name].([]nearjob.Match)) > 0, true)
	check := func(want map[string]any, fullSet bool, rounds int) func() {
		return func() {
			for i := 0; i < rounds; i++ {
				got, err := answers(r, libraries, fullSet)
				if err != nil {
					t.Error(err)
					return
				}
				for key, w := range want {
					if !reflect.DeepEqual(got[key], w) {
						t.Errorf("%s differs from the answer computed alone", key)
					}
				}
			}
		}
	}
	run := func(workers ...func()) {
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func(w func()) {
				defer wg.Done()
				w()
			}(w)
		}
		wg.Wait()
	}

	readers := make([]func(), 6)
	for i := range readers {
		readers[i] = check(full, true, 2)
	}
	run(readers...)

	// Writers add and remove residents in Seoul, 270 km from every query,
	// and make failing calls whose message names their own participant.
	writer := func(base int64) func() {
		return func() {
			for i := int64(0); i < 200; i++ {
				id := base + i
				if _, err := r.AddParticipant(id, 19800101, false, 37.5663, 126.9779, 20230101, 0); err != nil {
					t.Error(err)
					return
				}
				_, err := r.AddParticipant(id+100000, 19800101, false, 91.5, 126.9779, 20230101, 0)
				want := fmt.Sprintf("participant %d: latitude 91.5 outside [-90, 90]", id+100000)
				if e, ok := err.(*nearjob.Error); !ok || !strings.Contains(e.Message, want) {
					t.Errorf("got %v, want a message naming participant %d", err, id+100000)
				}
				if err := r.RemoveParticipant(id); err != nil {
					t.Error(err)
				}
			}
		}
	}
	readers = make([]func(), 4)
	for i := range readers {
		readers[i] = check(partial, false, 2)
	}
	run(append(readers, writer(1000000), writer(2000000))...)
	equal(t, "participants after the writers", must(r.ParticipantCount()), 1500)
	equal(t, "snapshot after the writers", bytes.Equal(must(r.SaveSnapshot()), full["snapshot"].([]byte)), true)
}

// Closing a registry while other goroutines use it: every call either
// completes or returns ErrUseAfterClose.
func TestCloseWhileInUse(t *testing.T) {
	r := busyRegistry(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if _, err := r.QueryRadius(nearjob.MatchParticipants, 35.15, 126.8, 2000, 0, 0); err != nil {
					if err != nearjob.ErrUseAfterClose {
						t.Error(err)
					}
					return
				}
			}
		}()
	}
	ok(t, r.Close())
	wg.Wait()
	_, err := r.QueryRadius(nearjob.MatchParticipants, 35.15, 126.8, 2000, 0, 0)
	fails(t, err, nearjob.ErrUseAfterClose)
}

// Failing modifying calls from many goroutines at once: each error carries
// the message of its own call, read under the same lock.
func TestErrorMessageBelongsToItsCall(t *testing.T) {
	r := newRegistry(t)
	var wg sync.WaitGroup
	for g := int64(1); g <= 4; g++ {
		wg.Add(1)
		go func(g int64) {
			defer wg.Done()
			for i := int64(0); i < 2000; i++ {
				id := g*1000000 + i
				_, err := r.AddParticipant(id, 19800101, false, 91.5, 126.8, 20230101, 0)
				want := fmt.Sprintf("participant %d: latitude 91.5 outside [-90, 90]", id)
				if e, ok := err.(*nearjob.Error); !ok || e.Message != want {
					t.Errorf("got %v, want %q", err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
