/**
 * @file nearjob/participant.h
 * @brief Residents who take part in the programme.
 *
 * A participant has the caller's id, a birth date, a foreign-resident flag,
 * a verified home location with its verification date, and a verified
 * region. When the caller gives no region (region_id 0) it is derived from
 * the home location with nj_region_locate() when the participant is added or
 * the home is re-verified; it is 0 when no region contains the home.
 *
 * Lifetime: an nj_participant pointer stays valid until the participant is
 * removed or the registry is destroyed.
 */
#ifndef NEARJOB_PARTICIPANT_H
#define NEARJOB_PARTICIPANT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Add a participant.
 *
 * @param id             caller's id, >= 1, unique among participants
 * @param birth_date     YYYYMMDD, 19000101 .. 29991231
 * @param is_foreign     1 for a foreign resident, 0 otherwise
 * @param lat, lon       verified home, WGS84 degrees
 * @param verified_date  YYYYMMDD date of the location verification, not
 *                       before the birth date
 * @param region_id      an existing region, or 0 to derive it from the home
 * @param[out] out       receives the participant (may be NULL)
 * @return NJ_OK; NJ_E_INVALID (NULL reg, bad date, flag not 0/1, verified
 *         before birth), NJ_E_RANGE (id < 1, coordinate), NJ_E_EXISTS,
 *         NJ_E_NOT_FOUND (no such region), NJ_E_NOMEM.
 * On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_participant_add(nj_registry *reg, int64_t id,
                                    int32_t birth_date, int is_foreign,
                                    double lat, double lon,
                                    int32_t verified_date, int64_t region_id,
                                    nj_participant **out);

/** Remove a participant. @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. @since 0.1 */
NJ_API nj_status nj_participant_remove(nj_registry *reg, int64_t id);

/** Look up by id, O(1) expected; NULL if absent. Read-only. @since 0.1 */
NJ_API nj_participant *nj_participant_get(const nj_registry *reg, int64_t id);
/** Number of participants. Read-only. @since 0.1 */
NJ_API size_t nj_participant_count(const nj_registry *reg);
/** Participant at `index` for iteration (see nj_region_at()); NULL if out of range. @since 0.1 */
NJ_API nj_participant *nj_participant_at(const nj_registry *reg, size_t index);

/** @name Getters (0 or NaN for a NULL participant). @since 0.1 */
/** @{ */
NJ_API int64_t nj_participant_id(const nj_participant *participant);
NJ_API int32_t nj_participant_birth_date(const nj_participant *participant);
NJ_API int nj_participant_is_foreign(const nj_participant *participant);
NJ_API double nj_participant_lat(const nj_participant *participant);
NJ_API double nj_participant_lon(const nj_participant *participant);
NJ_API int32_t nj_participant_verified_date(const nj_participant *participant);
/** The verified region id, or 0 when the home lies in no known region. */
NJ_API int64_t nj_participant_region_id(const nj_participant *participant);
/** @} */

/**
 * Age in whole years on `date` (the birthday counts from its day; someone
 * born on 29 February turns a year older on 1 March in common years).
 * @param[out] age the age
 * @return NJ_OK, NJ_E_INVALID (NULL argument, bad date) or NJ_E_RANGE (date
 *         before the birth date). Read-only. @since 0.1
 */
NJ_API nj_status nj_participant_age_on(const nj_participant *participant,
                                       int32_t date, int32_t *age);

/**
 * @name Setters
 * @return NJ_OK, NJ_E_INVALID or NJ_E_RANGE (nj_participant_set_region also
 * NJ_E_NOT_FOUND); on failure the participant is unchanged. @since 0.1
 */
/** @{ */
NJ_API nj_status nj_participant_set_birth_date(nj_registry *reg,
                                               nj_participant *participant,
                                               int32_t birth_date);
NJ_API nj_status nj_participant_set_foreign(nj_registry *reg,
                                            nj_participant *participant,
                                            int is_foreign);
/**
 * Record a new verified home. A region derived from the old home is derived
 * again; a region the caller set is kept.
 */
NJ_API nj_status nj_participant_set_home(nj_registry *reg,
                                         nj_participant *participant,
                                         double lat, double lon,
                                         int32_t verified_date);
/** Set the region explicitly, or 0 to derive it from the home again. */
NJ_API nj_status nj_participant_set_region(nj_registry *reg,
                                           nj_participant *participant,
                                           int64_t region_id);
/** @} */

/**
 * Whether `yyyymmdd` is a calendar date between 19000101 and 29991231
 * (20240229 is, 20230229 and 20240230 are not).
 * @return 1 or 0. Thread-safe. @since 0.1
 */
NJ_API int nj_date_is_valid(int32_t yyyymmdd);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_PARTICIPANT_H */
