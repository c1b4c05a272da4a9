package nearjob_test

import (
	"errors"
	"fmt"
	"log"

	"nearjob.invalid/nearjob"
)

// The side-by-side example of docs/ffi.md: the open postings within 6 km
// of a resident who lives at 광산구청, nearest first, then a refused call
// with its message. The C and Python versions print the same lines.
func Example_sideBySide() {
	reg, err := nearjob.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Close()
	check := func(_ interface{}, err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	check(reg.AddFacility(1, nearjob.FacilityLibrary, "신가도서관", 35.1826649, 126.8278526, 0))
	check(reg.AddFacility(2, nearjob.FacilityLibrary, "운남어린이도서관", 35.1732666, 126.8218974, 0))
	check(reg.AddPosting(10, 1, "도서 정리", 2))
	check(reg.AddPosting(20, 2, "어린이 열람실", 3))
	check(reg.AddParticipant(1, 19630515, false, 35.1395, 126.7937, 20230301, 0))

	matches, err := reg.MatchForParticipant(1, 6000, 20230401, 0)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range matches {
		posting, _ := reg.Posting(m.ID)
		title, _ := posting.Title()
		fmt.Printf("posting %d at %.1f m: %s\n", m.ID, m.DistanceM, title)
	}

	posting, _ := reg.Posting(10)
	var refused *nearjob.Error
	if err := posting.SetSlots(-1); errors.As(err, &refused) {
		fmt.Println("refused:", refused.Message)
	}
	// Output:
	// posting 20 at 4546.3 m: 어린이 열람실
	// posting 10 at 5716.3 m: 도서 정리
	// refused: posting 10: slots -1 outside [0, 1000000]
}
