package nearjob_test

import (
	"math"
	"reflect"
	"sort"
	"testing"

	"nearjob.invalid/nearjob"
)

const earthRadiusM = 6371008.8 // the IUGG mean radius the library uses

func near(t *testing.T, what string, got, want, tolerance float64) {
	t.Helper()
	if math.Abs(got-want) > tolerance {
		t.Errorf("%s = %.10f, want %.10f", what, got, want)
	}
}

// haversine is the library's distance formula written out independently:
// 2R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))).
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Pow(math.Sin(dLat/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin(dLon/2), 2)
	return 2 * earthRadiusM * math.Asin(math.Sqrt(a))
}

func TestDistanceByHand(t *testing.T) {
	// Along a meridian or the equator the haversine distance is R x the
	// angle: one degree of the equator, and 0.01 degree north in Gwangsan-gu.
	near(t, "one degree of the equator", must(nearjob.Distance(0, 0, 0, 1)), earthRadiusM*math.Pi/180, 1e-6)
	equal(t, "one degree", math.Round(must(nearjob.Distance(0, 0, 0, 1))*1e6)/1e6, 111195.080234)
	near(t, "0.01 degree north", must(nearjob.Distance(35.14, 126.79, 35.15, 126.79)),
		earthRadiusM*0.01*math.Pi/180, 1e-6)
	// Pole to pole is half the circumference, MaxRadiusM.
	near(t, "pole to pole", must(nearjob.Distance(90, 0, -90, 0)), earthRadiusM*math.Pi, 1e-4)
	near(t, "MaxRadiusM", nearjob.MaxRadiusM, earthRadiusM*math.Pi, 1e-3)
	// Seoul City Hall to Gwangju City Hall (tests/test_match.c), and the
	// 신가도서관 to the welfare centre of twoJobs, 1.18 km apart.
	for _, c := range []struct{ lat1, lon1, lat2, lon2, want float64 }{
		{37.5663, 126.9779, 35.1601, 126.8514, 267797.1712447295},
		{35.1826649, 126.8278526, 35.1732666, 126.8218974, 1176.8904748477707},
	} {
		got := must(nearjob.Distance(c.lat1, c.lon1, c.lat2, c.lon2))
		near(t, "distance", got, c.want, 1e-6)
		near(t, "haversine", haversine(c.lat1, c.lon1, c.lat2, c.lon2), c.want, 1e-6)
		near(t, "symmetric", must(nearjob.Distance(c.lat2, c.lon2, c.lat1, c.lon1)), got, 1e-9)
	}
	_, err := nearjob.Distance(math.NaN(), 0, 0, 0)
	fails(t, err, nearjob.ErrRange)
	_, err = nearjob.Distance(0, 0, 0, 180.5)
	fails(t, err, nearjob.ErrRange)
	_, err = nearjob.Distance(-90.0000001, 0, 0, 0)
	fails(t, err, nearjob.ErrRange)
}

// residents adds n seeded participants around Gwangsan-gu, born 1970.
func residents(t *testing.T, r *nearjob.Registry, n int, seed uint64) {
	t.Helper()
	next := func() float64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>11) / (1 << 53)
	}
	for i := 1; i <= n; i++ {
		must(r.AddParticipant(int64(i), 19700101, false, 35.10+0.12*next(), 126.70+0.15*next(), 20230101, 0))
	}
}

// bruteWithin is every participant within radius of a point by the
// independent haversine, sorted by id.
func bruteWithin(t *testing.T, r *nearjob.Registry, lat, lon, radius float64) []int64 {
	ids := []int64{}
	for _, p := range must(r.Participants()) {
		home := must(p.Home())
		if haversine(lat, lon, home.Lat, home.Lon) <= radius {
			ids = append(ids, p.ID())
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func idsOf(rows []nearjob.Match) []int64 {
	ids := make([]int64, len(rows))
	for i, m := range rows {
		ids[i] = m.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func TestQueryRadiusIsExact(t *testing.T) {
	r := newRegistry(t)
	residents(t, r, 2000, 7)
	for _, radius := range []float64{0, 250, 1000, 3000} {
		want := bruteWithin(t, r, 35.16, 126.78, radius)
		rows := must(r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, radius, nearjob.OrderDistance, 0))
		equal(t, "rows", reflect.DeepEqual(idsOf(rows), want), true)
		for i := 1; i < len(rows); i++ {
			if rows[i].DistanceM < rows[i-1].DistanceM {
				t.Fatalf("row %d is nearer than row %d", i, i-1)
			}
		}
		for _, m := range rows {
			home := must(must(r.Participant(m.ID)).Home())
			// The index evaluates the same formula in another order: equal
			// to far below a millimetre.
			near(t, "distance", m.DistanceM, haversine(35.16, 126.78, home.Lat, home.Lon), 1e-6)
			equal(t, "source", m.SourceID, 0)
		}
		// Into caller storage: too small at first, grown by the binding.
		ids, dist, err := r.QueryRadiusInto(nearjob.MatchParticipants, 35.16, 126.78, radius,
			nearjob.OrderDistance, 0, make([]int64, 0, 1), nil)
		ok(t, err)
		equal(t, "rows into", len(ids), len(rows))
		for i := range ids {
			equal(t, "row into", nearjob.Match{ID: ids[i], DistanceM: dist[i]}, rows[i])
		}
	}
	nearest := must(r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, math.Inf(1), nearjob.OrderNone, 5))
	equal(t, "limit", len(nearest), 5)
	all := must(r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, nearjob.MaxRadiusM, nearjob.OrderNone, 0))
	equal(t, "everything", len(all), 2000)
	_, err := r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, -1, nearjob.OrderNone, 0)
	fails(t, err, nearjob.ErrRange, "radius query")
	_, err = r.QueryRadius(3, 35.16, 126.78, 1, nearjob.OrderNone, 0)
	fails(t, err, nearjob.ErrInvalid)
	_, err = r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, 1, nearjob.OrderNone, -1)
	fails(t, err, nearjob.ErrRange, "limit -1")
}

// Eligibility by age, foreign-resident rule and window, on one posting.
func TestMatchEligibility(t *testing.T) {
	r := newRegistry(t)
	must(r.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	p := must(r.AddPosting(10, 1, "청소년 멘토", 3))
	ok(t, p.SetAgeRange(19, 34))
	ok(t, p.SetWorkPeriod(20240301, 20240630))
	ok(t, p.SetForeignAllowed(false))
	ok(t, p.SetApplicationWindow(20240201, 20240215))
	// 1: 25 on the work start, 500 m north; 2: turns 19 on 20240302, the day
	// after the work starts; 3: foreign; 4: eligible but 2.5 km away.
	north := func(m float64) float64 { return 35.1826649 + m/(earthRadiusM*math.Pi/180) }
	must(r.AddParticipant(1, 19990101, false, north(500), 126.8278526, 20230101, 0))
	must(r.AddParticipant(2, 20050302, false, north(100), 126.8278526, 20230101, 0))
	must(r.AddParticipant(3, 19990101, true, north(200), 126.8278526, 20230101, 0))
	must(r.AddParticipant(4, 19990101, false, north(2500), 126.8278526, 20230101, 0))

	rows := must(r.MatchForPosting(10, 20240210, 0, 0))
	equal(t, "eligible", len(rows), 1)
	equal(t, "eligible participant", rows[0].ID, 1)
	equal(t, "source", rows[0].SourceID, 10)
	near(t, "distance", rows[0].DistanceM, 500, 1e-2)
	equal(t, "outside the window", len(must(r.MatchForPosting(10, 20240216, 0, 0))), 0)
	ok(t, p.SetRadiusM(3000))
	equal(t, "wider radius", len(must(r.MatchForPosting(10, 20240210, 0, 0))), 2)
	for who, want := range map[int64]int{1: 1, 2: 0, 3: 0, 4: 1} {
		equal(t, "postings for participant", len(must(r.MatchForParticipant(who, 3000, 20240210, 0))), want)
	}
	_, err := r.MatchForParticipant(99, 3000, 20240210, 0)
	fails(t, err, nearjob.ErrNotFound, "participant 99")
	_, err = r.MatchForParticipant(1, 3000, 20240230, 0)
	fails(t, err, nearjob.ErrInvalid)
	_, err = r.MatchForPosting(99, 20240210, 0, 0)
	fails(t, err, nearjob.ErrNotFound)
}

// The batch gives the same rows whatever the thread count, equal to one
// MatchForPosting per posting.
func TestMatchBatchIsDeterministic(t *testing.T) {
	r := newRegistry(t)
	residents(t, r, 1500, 11)
	for i := int64(1); i <= 12; i++ {
		must(r.AddFacility(i, nearjob.FacilityOther, "시설", 35.10+0.01*float64(i), 126.72+0.01*float64(i), 0))
		must(r.AddPosting(i, i, "일자리", 2))
	}
	one := must(r.MatchBatch(20240301, 0, 0, 0, 1))
	four := must(r.MatchBatch(20240301, 0, 0, 0, 4))
	equal(t, "threads", reflect.DeepEqual(one, four), true)
	var want []nearjob.Match
	for _, p := range must(r.Postings()) {
		want = append(want, must(r.MatchForPosting(p.ID(), 20240301, 0, 0))...)
	}
	equal(t, "batch = per posting", reflect.DeepEqual(one, want), true)
	equal(t, "rows", len(one) > 100, true)
	chunk := must(r.MatchBatch(20240301, 3, 2, 0, 2))
	postings := must(r.Postings())
	for _, m := range chunk {
		if m.SourceID != postings[3].ID() && m.SourceID != postings[4].ID() {
			t.Fatalf("chunk row of posting %d", m.SourceID)
		}
	}
	_, err := r.MatchBatch(20240301, 0, 0, 0, 65)
	fails(t, err, nearjob.ErrRange)
	_, err = r.MatchBatch(20240301, 0, 0, 2, 1)
	fails(t, err, nearjob.ErrUnsupported)
}

// Radius queries stay exact while the index changes under them: residents
// added south and north of everyone (rows outside the index's built range,
// which once went unscanned), moved and removed, each step checked against
// the independent haversine.
func TestQueryRadiusAfterUpdates(t *testing.T) {
	r := newRegistry(t)
	residents(t, r, 2000, 23)
	next := int64(3000)
	for step := 0; step < 20; step++ {
		offset := 0.0001 * float64(step+1)
		must(r.AddParticipant(next, 19700101, false, 35.10-offset, 126.70+0.15*float64(step)/20, 20230101, 0))
		must(r.AddParticipant(next+1, 19700101, false, 35.22+offset, 126.85-0.15*float64(step)/20, 20230101, 0))
		next += 2
		moved := must(r.Participant(int64(1 + 97*step)))
		ok(t, moved.SetHome(35.16+offset, 126.78-offset, 20230601))
		ok(t, r.RemoveParticipant(int64(50+97*step)))
		for _, q := range []struct{ lat, lon, radius float64 }{
			{35.16, 126.78, 1e5}, {35.10, 126.70, 800}, {35.22, 126.85, 800}, {35.16, 126.78, 150},
		} {
			got := idsOf(must(r.QueryRadius(nearjob.MatchParticipants, q.lat, q.lon, q.radius, nearjob.OrderNone, 0)))
			if want := bruteWithin(t, r, q.lat, q.lon, q.radius); !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d, %v: %d rows, want %d", step, q, len(got), len(want))
			}
		}
	}
	equal(t, "everyone within 100 km", len(must(r.QueryRadius(nearjob.MatchParticipants, 35.16, 126.78, 1e5,
		nearjob.OrderNone, 0))), 2000+40-20)
}
