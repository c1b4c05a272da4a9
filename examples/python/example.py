"""The match query of docs/ffi.md in Python: the open postings near a
resident, nearest first, and a refused call with the library's message."""
import nearjob
from nearjob import FacilityKind

with nearjob.Registry() as reg:
    reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
    reg.add_facility(2, FacilityKind.LIBRARY, "운남어린이도서관", 35.1732666, 126.8218974)
    reg.add_posting(10, 1, "도서 정리", 2)
    reg.add_posting(20, 2, "어린이 열람실", 3)
    reg.add_participant(1, 19630515, False, 35.1395, 126.7937, 20230301)  # at 광산구청

    for posting_id, metres in reg.match_for_participant(1, 6000, 20230401):
        print("posting %d at %.1f m: %s" % (posting_id, metres, reg.postings[posting_id].title))

    try:
        reg.postings[10].slots = -1
    except nearjob.RangeError as e:
        print("refused:", e.message)
