package nearjob_test

import (
	"errors"
	"fmt"
	"log"

	"nearjob.invalid/nearjob"
)

// The postings near a resident, with a region derived from the location
// and an age rule that leaves one posting out.
func Example() {
	reg, err := nearjob.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Close()

	// A neighbourhood with a square boundary, a library inside it with two
	// postings, and a resident 445 m north of the library, aged 60.
	dong, err := reg.AddRegion(2920000001, nearjob.RegionNeighbourhood, 0, "Example-dong")
	if err != nil {
		log.Fatal(err)
	}
	square := nearjob.Ring{{35.13, 126.78}, {35.13, 126.80}, {35.15, 126.80}, {35.15, 126.78}}
	if err := dong.SetBoundary([]nearjob.Polygon{{square}}); err != nil {
		log.Fatal(err)
	}
	if _, err := reg.AddFacility(1, nearjob.FacilityLibrary, "Example Library", 35.14, 126.79, 0); err != nil {
		log.Fatal(err)
	}
	for id, title := range map[int64]string{10: "Shelving books", 11: "Reading to children"} {
		if _, err := reg.AddPosting(id, 1, title, 2); err != nil {
			log.Fatal(err)
		}
	}
	youth, _ := reg.Posting(11)
	if err := youth.SetAgeRange(19, 34); err != nil {
		log.Fatal(err)
	}
	if _, err := reg.AddParticipant(42, 19630515, false, 35.144, 126.79, 20240101, 0); err != nil {
		log.Fatal(err)
	}

	matches, err := reg.MatchForParticipant(42, 1000, 20240301, 0)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range matches {
		posting, _ := reg.Posting(m.ID)
		title, _ := posting.Title()
		fmt.Printf("posting %d %q at %.1f m\n", m.ID, title, m.DistanceM)
	}

	// A refused call: the status as a sentinel, the library's message.
	_, err = reg.AddParticipant(43, 19630515, false, 91.5, 126.79, 20240101, 0)
	fmt.Println(errors.Is(err, nearjob.ErrRange), err)
	// Output:
	// posting 10 "Shelving books" at 444.8 m
	// true nearjob: NJ_E_RANGE: value out of range: participant 43: latitude 91.5 outside [-90, 90]
}
