/*
 * The C column of docs/ffi.md's side-by-side example: the open postings
 * within 6 km of a resident who lives at 광산구청, nearest first, then a
 * refused call with its message. The Python (examples/python/example.py)
 * and Go (Example_sideBySide) versions print the same lines; the test
 * ffi-example-c compares this program's output with them.
 */
#include <nearjob.h>
#include <stdio.h>

int main(void)
{
    nj_registry *reg;
    nj_matches *m;
    if (nj_registry_create(&reg) != NJ_OK)
        return 1;
    nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "신가도서관", 35.1826649, 126.8278526, 0, NULL);
    nj_facility_add(reg, 2, NJ_FACILITY_LIBRARY, "운남어린이도서관", 35.1732666, 126.8218974, 0, NULL);
    nj_posting_add(reg, 10, 1, "도서 정리", 2, NULL);
    nj_posting_add(reg, 20, 2, "어린이 열람실", 3, NULL);
    nj_participant_add(reg, 1, 19630515, 0, 35.1395, 126.7937, 20230301, 0, NULL);

    if (nj_match_for_participant(reg, 1, 6000, 20230401, 0, &m) == NJ_OK) {
        for (size_t i = 0; i < nj_matches_count(m); i++) {
            int64_t id = nj_matches_id(m, i);
            printf("posting %lld at %.1f m: %s\n", (long long)id, nj_matches_distance_m(m, i),
                   nj_posting_title(nj_posting_get(reg, id)));
        }
        nj_matches_destroy(m);
    }

    nj_status st = nj_posting_set_slots(reg, nj_posting_get(reg, 10), -1);
    if (st != NJ_OK)
        printf("refused: %s\n", nj_registry_errmsg(reg));
    nj_registry_destroy(reg);
    return 0;
}
