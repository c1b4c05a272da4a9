/*
 * minimal.c: the smallest complete nearjob program.
 *
 * Creates a registry, adds a neighbourhood with a square boundary, a library
 * inside it and a resident, asks which region contains a point, prints what
 * it finds, and destroys the registry. Every call's status is checked; on a
 * failure the registry's detailed message says what was wrong.
 *
 * Build against an installed library:
 *   cc -std=c11 -Wall -Wextra -Werror minimal.c \
 *      $(pkg-config --cflags --libs nearjob) -o minimal
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>

/* Print the failure of `what` and return 1, so callers can write
 * `if (failed(...)) goto out;`. */
static int failed(const nj_registry *reg, const char *what, nj_status st)
{
    if (st == NJ_OK)
        return 0;
    fprintf(stderr, "minimal: %s: %s (%s)\n", what, nj_status_str(st),
            nj_registry_errmsg(reg));
    return 1;
}

int main(void)
{
    nj_registry *reg = NULL;
    nj_region *dong = NULL;
    nj_region *found = NULL;
    nj_facility *library = NULL;
    nj_participant *resident = NULL;
    nj_status st;
    int rc = EXIT_FAILURE;

    /* A program built against one version and run against another can tell. */
    if (nj_version_number() / 10000 != NJ_VERSION_MAJOR) {
        fprintf(stderr, "minimal: built for nearjob %s, running %s\n",
                NJ_VERSION_STRING, nj_version_string());
        return EXIT_FAILURE;
    }
    printf("nearjob %s\n", nj_version_string());

    st = nj_registry_create(&reg);
    if (st != NJ_OK) {
        /* No registry, so no message: the status says it all. */
        fprintf(stderr, "minimal: nj_registry_create: %s\n", nj_status_str(st));
        return EXIT_FAILURE;
    }

    /* A neighbourhood (administrative dong) with the caller's 10-digit code
     * and no parent, bounded by a square 0.02 degrees on a side. Vertices
     * are (latitude, longitude) pairs; the ring closes itself. */
    st = nj_region_add(reg, 2920000001, NJ_REGION_NEIGHBOURHOOD, 0,
                       "Example-dong", &dong);
    if (failed(reg, "nj_region_add", st))
        goto out;
    {
        const uint32_t rings_per_polygon[1] = {1};
        const uint32_t vertices_per_ring[1] = {4};
        const double square[8] = {
            35.13, 126.78,
            35.13, 126.80,
            35.15, 126.80,
            35.15, 126.78,
        };
        st = nj_region_set_boundary(reg, dong, 1, rings_per_polygon, 1,
                                    vertices_per_ring, 4, square);
        if (failed(reg, "nj_region_set_boundary", st))
            goto out;
    }

    /* A library inside the square. region_id 0: the library derives its
     * region from its location. */
    st = nj_facility_add(reg, 1, NJ_FACILITY_LIBRARY, "Example Library",
                         35.140, 126.790, 0, &library);
    if (failed(reg, "nj_facility_add", st))
        goto out;

    /* A resident born on 1 March 1990, not a foreign resident, whose home
     * was verified on 2 January 2025; the region is derived as well. */
    st = nj_participant_add(reg, 42, 19900301, 0, 35.145, 126.795, 20250102,
                            0, &resident);
    if (failed(reg, "nj_participant_add", st))
        goto out;

    printf("facility %lld \"%s\" is in region %lld\n",
           (long long)nj_facility_id(library), nj_facility_name(library),
           (long long)nj_facility_region_id(library));
    printf("participant %lld is in region %lld\n",
           (long long)nj_participant_id(resident),
           (long long)nj_participant_region_id(resident));

    /* Which region contains a point? NJ_E_NOT_FOUND is an answer, not a
     * failure: the point lies in no known region. */
    {
        static const double points[2][2] = {
            {35.1400, 126.7900}, /* inside the square */
            {37.5665, 126.9780}, /* Seoul City Hall: outside */
        };
        for (int i = 0; i < 2; i++) {
            st = nj_region_locate(reg, points[i][0], points[i][1], &found);
            if (st == NJ_OK) {
                printf("(%.4f, %.4f) lies in %lld \"%s\"\n", points[i][0],
                       points[i][1], (long long)nj_region_id(found),
                       nj_region_name(found));
            } else if (st == NJ_E_NOT_FOUND) {
                printf("(%.4f, %.4f) lies in no known region\n",
                       points[i][0], points[i][1]);
            } else {
                failed(reg, "nj_region_locate", st);
                goto out;
            }
        }
    }

    /* What a rejected call looks like: the registry is left unchanged and
     * the message names the object, the field and the limit. */
    st = nj_participant_add(reg, 43, 19900301, 0, 91.5, 126.795, 20250102, 0,
                            NULL);
    if (st == NJ_OK) {
        fprintf(stderr, "minimal: a latitude of 91.5 was accepted\n");
        goto out;
    }
    printf("rejected as expected: %s: %s\n", nj_status_str(st),
           nj_registry_errmsg(reg));
    printf("participants: %zu\n", nj_participant_count(reg));

    rc = EXIT_SUCCESS;
out:
    nj_registry_destroy(reg);
    return rc;
}
