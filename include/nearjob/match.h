/**
 * @file nearjob/match.h
 * @brief Radius queries over the spatial index and the matcher built on
 *        them: postings for a resident, residents for a posting, and the
 *        nightly batch of every open posting against every resident.
 *
 * Distances are great-circle distances on a sphere of radius 6 371 008.8 m
 * (the IUGG mean radius), computed with the haversine formula; a radius test
 * is inclusive (distance <= r). Coordinates are stored to 1e-7 degree
 * (about 1 cm), and every query is exact for the stored coordinates: its
 * result set equals a brute-force haversine scan's.
 *
 * The registry keeps two indexes up to date as objects are added, moved and
 * removed: one over participants' verified homes and one over postings
 * (at their facility's location).
 *
 * Results come back in an nj_matches handle, which owns a copy of its rows:
 * it stays valid after the registry changes or is destroyed, and is freed
 * with nj_matches_destroy() in any order.
 *
 * Every function here is read-only on the registry and may run from many
 * threads at once on an unchanged registry. None writes the registry's error
 * message; they report through their return value alone.
 */
#ifndef NEARJOB_MATCH_H
#define NEARJOB_MATCH_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A result set: rows of (id, distance), or (source, id, distance) for a batch. */
typedef struct nj_matches nj_matches;

/** Which index a raw query searches. Pinned values. */
enum nj_match_target {
    NJ_MATCH_PARTICIPANTS = 1, /**< participants' verified homes */
    NJ_MATCH_POSTINGS = 2      /**< postings, at their facility's location */
};

/** Order of the rows of a raw query. Pinned values. */
enum nj_match_order {
    NJ_ORDER_NONE = 0,     /**< unspecified order (fastest) */
    NJ_ORDER_DISTANCE = 1  /**< nearest first; equal distances by id */
};

/** Flags of nj_match_for_posting() and nj_match_batch(). Pinned values. */
enum nj_match_flag {
    /** Skip residents with no stipend minutes left under the cap in the
     *  ledger period of the posting's work start (or of `date`). */
    NJ_MATCH_SKIP_CAPPED = 1
};

/** Half the circumference of the sphere: a radius this large covers the Earth. */
#define NJ_MAX_RADIUS_M 20015114.442

/**
 * All objects of `target` within `radius_m` metres of (lat, lon).
 *
 * @param target    an nj_match_target value
 * @param lat, lon  the centre, WGS84 degrees
 * @param radius_m  >= 0; values above NJ_MAX_RADIUS_M match everything
 * @param order     an nj_match_order value
 * @param limit     0 for all; otherwise the `limit` nearest (rows are then
 *                  sorted by distance whatever `order` says)
 * @param[out] out  the result handle; NULL on failure
 * @return NJ_OK; NJ_E_INVALID (NULL reg or out, bad target or order),
 *         NJ_E_RANGE (centre NaN, infinite or out of range; radius NaN or
 *         negative), NJ_E_NOMEM. Read-only. @since 0.1
 */
NJ_API nj_status nj_query_radius(const nj_registry *reg, int32_t target,
                                 double lat, double lon, double radius_m,
                                 int32_t order, size_t limit,
                                 nj_matches **out);

/**
 * nj_query_radius() into caller arrays. `ids` and `distances_m` (either may
 * be NULL when `capacity` is 0) receive up to `capacity` rows; `count`
 * receives the number of rows of the full result.
 *
 * @return as nj_query_radius(), or NJ_E_BUFFER_TOO_SMALL when count >
 *         capacity (nothing written but `count`). Read-only. @since 0.1
 */
NJ_API nj_status nj_query_radius_into(const nj_registry *reg, int32_t target,
                                      double lat, double lon, double radius_m,
                                      int32_t order, size_t limit,
                                      int64_t *ids, double *distances_m,
                                      size_t capacity, size_t *count);

/**
 * The open postings within `radius_m` of the participant's verified home
 * that the participant is eligible for on `date`, nearest first, at most
 * `limit` (0 for all). Eligibility (docs/matching.md):
 * - the posting is open and `date` lies in its application window (if set);
 * - the participant's age on the posting's work start date (on `date` when
 *   the posting has no work period) lies in the posting's age range;
 * - a posting restricted to a region accepts only residents whose verified
 *   region lies in that region's subtree;
 * - a posting closed to foreign residents does not match them.
 *
 * Row ids are posting ids.
 * @return NJ_OK; NJ_E_INVALID (NULL argument, bad date), NJ_E_NOT_FOUND (no
 *         such participant), NJ_E_RANGE (radius), NJ_E_NOMEM. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_match_for_participant(const nj_registry *reg,
                                          int64_t participant_id,
                                          double radius_m, int32_t date,
                                          size_t limit, nj_matches **out);

/**
 * The participants within the posting's radius who are eligible for it on
 * `date` (the residents to notify), nearest first, at most `limit`
 * (0 for all). A closed posting, or a date outside its application window,
 * gives an empty result. `flags` is 0 or NJ_MATCH_SKIP_CAPPED.
 *
 * Row ids are participant ids.
 * @return NJ_OK; NJ_E_INVALID, NJ_E_NOT_FOUND (no such posting),
 *         NJ_E_UNSUPPORTED (unknown flag), NJ_E_NOMEM. Read-only.
 * @since 0.1
 */
NJ_API nj_status nj_match_for_posting(const nj_registry *reg,
                                      int64_t posting_id, int32_t date,
                                      size_t limit, uint32_t flags,
                                      nj_matches **out);

/**
 * Every open posting against every participant, with the rules of
 * nj_match_for_posting(), for a nightly notification run. Postings are
 * taken in iteration order (nj_posting_at()) from `first_posting`, at most
 * `posting_count` of them (0 for all the rest), so a large run can be done
 * in chunks. Rows are (posting id as source, participant id, distance),
 * ordered by posting position, then distance, then participant id, and are
 * identical whatever the thread count.
 *
 * @param threads 0 or 1 for the calling thread only; up to 64 worker threads
 * @return NJ_OK; NJ_E_INVALID (NULL argument, bad date), NJ_E_RANGE
 *         (threads > 64), NJ_E_UNSUPPORTED (unknown flag), NJ_E_NOMEM.
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_match_batch(const nj_registry *reg, int32_t date,
                                size_t first_posting, size_t posting_count,
                                uint32_t flags, uint32_t threads,
                                nj_matches **out);

/** Number of rows (0 for NULL). @since 0.1 */
NJ_API size_t nj_matches_count(const nj_matches *matches);
/** Id of row `index` (0 when out of range). @since 0.1 */
NJ_API int64_t nj_matches_id(const nj_matches *matches, size_t index);
/** Distance in metres of row `index` (NaN when out of range). @since 0.1 */
NJ_API double nj_matches_distance_m(const nj_matches *matches, size_t index);
/**
 * Id of the object row `index` was matched from: the posting in a batch,
 * the queried participant or posting otherwise, 0 for a raw query.
 * @since 0.1
 */
NJ_API int64_t nj_matches_source_id(const nj_matches *matches, size_t index);
/** Free a result handle; NULL does nothing. @since 0.1 */
NJ_API void nj_matches_destroy(nj_matches *matches);

/**
 * Great-circle distance in metres between two points on the sphere of
 * radius 6 371 008.8 m (haversine formula).
 * @return NJ_OK, NJ_E_INVALID (out NULL) or NJ_E_RANGE (a coordinate NaN,
 *         infinite or out of range). Thread-safe. @since 0.1
 */
NJ_API nj_status nj_distance(double lat1, double lon1, double lat2,
                             double lon2, double *out_m);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_MATCH_H */
