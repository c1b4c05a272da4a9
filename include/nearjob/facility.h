/**
 * @file nearjob/facility.h
 * @brief Public facilities that post jobs: libraries, welfare centres,
 *        children's centres and the like.
 *
 * A facility has the caller's id, a UTF-8 name, a kind, a WGS84 location and
 * a region. When the caller gives no region (region_id 0) the facility takes
 * the deepest region containing its location (nj_region_locate()) at the
 * time it is added or moved; it has no region when none contains it.
 *
 * Lifetime: an nj_facility pointer stays valid until the facility is removed
 * or the registry is destroyed. A facility with postings cannot be removed
 * (NJ_E_IN_USE): its postings carry applications and stipend records that
 * must not vanish silently, so remove the postings first.
 */
#ifndef NEARJOB_FACILITY_H
#define NEARJOB_FACILITY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of facility. Pinned values. */
enum nj_facility_kind {
    NJ_FACILITY_LIBRARY = 1,                  /**< 도서관 */
    NJ_FACILITY_WELFARE_CENTRE = 2,           /**< 복지관 */
    NJ_FACILITY_CHILDRENS_CENTRE = 3,         /**< 지역아동센터, 키움센터 */
    NJ_FACILITY_SENIOR_CENTRE = 4,            /**< 경로당, 노인복지관 */
    NJ_FACILITY_COMMUNITY_SERVICE_CENTRE = 5, /**< 행정복지센터 */
    NJ_FACILITY_YOUTH_CENTRE = 6,             /**< 청소년수련관 */
    NJ_FACILITY_OTHER = 7                     /**< anything else */
};

/**
 * Add a facility.
 *
 * @param id         caller's id, >= 1, unique among facilities
 * @param kind       an nj_facility_kind value
 * @param name       non-empty UTF-8, at most 1024 bytes; copied
 * @param lat, lon   WGS84 degrees, finite, in [-90, 90] and [-180, 180]
 * @param region_id  an existing region, or 0 to derive it from the location
 * @param[out] out   receives the facility (may be NULL)
 * @return NJ_OK; NJ_E_INVALID (NULL reg or name, bad kind, empty name),
 *         NJ_E_RANGE (id < 1, coordinate, name length), NJ_E_ENCODING,
 *         NJ_E_EXISTS, NJ_E_NOT_FOUND (no such region), NJ_E_NOMEM.
 * On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_facility_add(nj_registry *reg, int64_t id, int32_t kind,
                                 const char *name, double lat, double lon,
                                 int64_t region_id, nj_facility **out);

/**
 * Remove a facility that has no postings.
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_IN_USE. @since 0.1
 */
NJ_API nj_status nj_facility_remove(nj_registry *reg, int64_t id);

/** Look up by id, O(1) expected; NULL if absent. Read-only. @since 0.1 */
NJ_API nj_facility *nj_facility_get(const nj_registry *reg, int64_t id);
/** Number of facilities. Read-only. @since 0.1 */
NJ_API size_t nj_facility_count(const nj_registry *reg);
/** Facility at `index` for iteration (see nj_region_at()); NULL if out of range. @since 0.1 */
NJ_API nj_facility *nj_facility_at(const nj_registry *reg, size_t index);

/** The facility's id (0 for NULL). @since 0.1 */
NJ_API int64_t nj_facility_id(const nj_facility *facility);
/** The facility's nj_facility_kind (0 for NULL). @since 0.1 */
NJ_API int32_t nj_facility_kind(const nj_facility *facility);
/** The facility's name (owned by the library; "" for NULL). @since 0.1 */
NJ_API const char *nj_facility_name(const nj_facility *facility);
/** Latitude in degrees (NaN for NULL). @since 0.1 */
NJ_API double nj_facility_lat(const nj_facility *facility);
/** Longitude in degrees (NaN for NULL). @since 0.1 */
NJ_API double nj_facility_lon(const nj_facility *facility);
/** The facility's region id, or 0 when it has none. @since 0.1 */
NJ_API int64_t nj_facility_region_id(const nj_facility *facility);
/** Number of postings at the facility. @since 0.1 */
NJ_API size_t nj_facility_posting_count(const nj_facility *facility);

/** Rename. Errors as for nj_facility_add(); the old name is kept on failure. @since 0.1 */
NJ_API nj_status nj_facility_set_name(nj_registry *reg, nj_facility *facility,
                                      const char *name);
/** Change the kind. @return NJ_OK or NJ_E_INVALID. @since 0.1 */
NJ_API nj_status nj_facility_set_kind(nj_registry *reg, nj_facility *facility,
                                      int32_t kind);
/**
 * Move the facility. A region derived from the old location is derived
 * again; a region the caller set is kept.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_RANGE. @since 0.1
 */
NJ_API nj_status nj_facility_set_location(nj_registry *reg,
                                          nj_facility *facility, double lat,
                                          double lon);
/**
 * Set the region explicitly, or pass 0 to derive it from the location again.
 * @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. @since 0.1
 */
NJ_API nj_status nj_facility_set_region(nj_registry *reg,
                                        nj_facility *facility,
                                        int64_t region_id);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_FACILITY_H */
