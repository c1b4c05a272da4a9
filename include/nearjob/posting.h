/**
 * @file nearjob/posting.h
 * @brief Job postings at facilities: slots, hours, stipend, dates and
 *        eligibility rules.
 *
 * A posting is created with its id, facility, title and slot count; every
 * other field starts at the default listed below and is changed through a
 * setter, so fields can be added in later versions without an ABI break.
 *
 * | field                  | default                 | range                      |
 * |------------------------|-------------------------|----------------------------|
 * | programme type         | NJ_PROGRAMME_DIRECT_JOBS| nj_programme_type or >= 1000|
 * | slots                  | (given)                 | 0 .. 1 000 000             |
 * | minutes per person     | 6000 (100 h)            | 0 .. 1 000 000             |
 * | hourly stipend (KRW)   | 0                       | 0 .. 1 000 000             |
 * | work period            | none (0, 0)             | valid dates, start <= end  |
 * | application window     | none (0, 0): always open| valid dates, open <= close |
 * | age range (years)      | 0 .. 150                | 0 <= min <= max <= 150     |
 * | residency region       | 0 (anyone)              | an existing region         |
 * | foreign residents      | allowed (1)             | 0 or 1                     |
 * | match radius (metres)  | 2000                    | 0 .. 20 015 115 (half the Earth's circumference) |
 * | early-close ratio      | 0 (off)                 | 0, or 1 .. 1000            |
 * | status                 | NJ_POSTING_OPEN         | nj_posting_status          |
 *
 * Dates are int32 YYYYMMDD values between 19000101 and 29991231.
 *
 * Lifetime: an nj_posting pointer stays valid until the posting is removed
 * or the registry is destroyed. The title string stays valid until the title
 * changes or the posting is removed.
 */
#ifndef NEARJOB_POSTING_H
#define NEARJOB_POSTING_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Programme types: the Ministry of Employment and Labor's categories of the
 * local job-target disclosure system. Values >= NJ_PROGRAMME_CUSTOM_BASE are
 * caller-defined categories. Pinned values.
 */
enum nj_programme_type {
    NJ_PROGRAMME_DIRECT_JOBS = 1,                 /**< 직접일자리 */
    NJ_PROGRAMME_VOCATIONAL_TRAINING = 2,         /**< 직업능력개발훈련 */
    NJ_PROGRAMME_EMPLOYMENT_SERVICES = 3,         /**< 고용서비스 */
    NJ_PROGRAMME_EMPLOYMENT_SUBSIDIES = 4,        /**< 고용장려금 */
    NJ_PROGRAMME_STARTUP_SUPPORT = 5,             /**< 창업지원 */
    NJ_PROGRAMME_UNEMPLOYMENT_INCOME_SUPPORT = 6, /**< 실업소득 유지·지원 */
    NJ_PROGRAMME_JOB_INFRASTRUCTURE = 7,          /**< 일자리 인프라 */
    NJ_PROGRAMME_OTHER = 8,                       /**< 기타 */
    NJ_PROGRAMME_CUSTOM_BASE = 1000               /**< first caller-defined category */
};

/** Whether a posting accepts applications. Pinned values. */
enum nj_posting_status {
    NJ_POSTING_OPEN = 1,   /**< accepting applications */
    NJ_POSTING_CLOSED = 2  /**< closed by the caller or by early close */
};

/**
 * Add a posting at an existing facility.
 *
 * @param id           caller's id, >= 1, unique among postings
 * @param facility_id  an existing facility
 * @param title        non-empty UTF-8, at most 1024 bytes; copied
 * @param slots        people to be hired, 0 .. 1 000 000
 * @param[out] out     receives the posting (may be NULL)
 * @return NJ_OK; NJ_E_INVALID, NJ_E_RANGE, NJ_E_ENCODING, NJ_E_EXISTS,
 *         NJ_E_NOT_FOUND (no such facility), NJ_E_NOMEM.
 * On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_posting_add(nj_registry *reg, int64_t id,
                                int64_t facility_id, const char *title,
                                int32_t slots, nj_posting **out);

/** Remove a posting. @return NJ_OK, NJ_E_INVALID or NJ_E_NOT_FOUND. @since 0.1 */
NJ_API nj_status nj_posting_remove(nj_registry *reg, int64_t id);

/** Look up by id, O(1) expected; NULL if absent. Read-only. @since 0.1 */
NJ_API nj_posting *nj_posting_get(const nj_registry *reg, int64_t id);
/** Number of postings. Read-only. @since 0.1 */
NJ_API size_t nj_posting_count(const nj_registry *reg);
/** Posting at `index` for iteration (see nj_region_at()); NULL if out of range. @since 0.1 */
NJ_API nj_posting *nj_posting_at(const nj_registry *reg, size_t index);

/** @name Getters (0, "" or NaN for a NULL posting). @since 0.1 */
/** @{ */
NJ_API int64_t nj_posting_id(const nj_posting *posting);
NJ_API int64_t nj_posting_facility_id(const nj_posting *posting);
NJ_API const char *nj_posting_title(const nj_posting *posting);
NJ_API int32_t nj_posting_programme_type(const nj_posting *posting);
NJ_API int32_t nj_posting_slots(const nj_posting *posting);
NJ_API int32_t nj_posting_minutes_per_person(const nj_posting *posting);
NJ_API int64_t nj_posting_hourly_stipend_krw(const nj_posting *posting);
NJ_API int32_t nj_posting_work_start(const nj_posting *posting);
NJ_API int32_t nj_posting_work_end(const nj_posting *posting);
NJ_API int32_t nj_posting_apply_open(const nj_posting *posting);
NJ_API int32_t nj_posting_apply_close(const nj_posting *posting);
NJ_API int32_t nj_posting_min_age(const nj_posting *posting);
NJ_API int32_t nj_posting_max_age(const nj_posting *posting);
/** The residency restriction: applicants must live in this region's subtree; 0 = anyone. */
NJ_API int64_t nj_posting_residency_region_id(const nj_posting *posting);
NJ_API int nj_posting_foreign_allowed(const nj_posting *posting);
NJ_API double nj_posting_radius_m(const nj_posting *posting);
NJ_API double nj_posting_early_close_ratio(const nj_posting *posting);
NJ_API int32_t nj_posting_status(const nj_posting *posting);
/** @} */

/**
 * @name Setters
 * Each validates its value against the table above and returns NJ_OK,
 * NJ_E_INVALID (NULL handle, posting of another registry, bad enum or date,
 * start after end) or NJ_E_RANGE; title setters may also return
 * NJ_E_ENCODING or NJ_E_NOMEM, the residency setter NJ_E_NOT_FOUND, and the
 * hourly stipend setter NJ_E_IN_USE once work entries are recorded against
 * the posting (a paid amount never changes afterwards). On failure the
 * field keeps its old value. A date pair of (0, 0) clears it.
 * @since 0.1
 */
/** @{ */
NJ_API nj_status nj_posting_set_title(nj_registry *reg, nj_posting *posting,
                                      const char *title);
NJ_API nj_status nj_posting_set_programme_type(nj_registry *reg,
                                               nj_posting *posting,
                                               int32_t type);
NJ_API nj_status nj_posting_set_slots(nj_registry *reg, nj_posting *posting,
                                      int32_t slots);
NJ_API nj_status nj_posting_set_minutes_per_person(nj_registry *reg,
                                                   nj_posting *posting,
                                                   int32_t minutes);
NJ_API nj_status nj_posting_set_hourly_stipend_krw(nj_registry *reg,
                                                   nj_posting *posting,
                                                   int64_t krw);
NJ_API nj_status nj_posting_set_work_period(nj_registry *reg,
                                            nj_posting *posting,
                                            int32_t start_date,
                                            int32_t end_date);
NJ_API nj_status nj_posting_set_application_window(nj_registry *reg,
                                                   nj_posting *posting,
                                                   int32_t open_date,
                                                   int32_t close_date);
NJ_API nj_status nj_posting_set_age_range(nj_registry *reg,
                                          nj_posting *posting,
                                          int32_t min_age, int32_t max_age);
/** region_id 0 lifts the restriction. */
NJ_API nj_status nj_posting_set_residency_region(nj_registry *reg,
                                                 nj_posting *posting,
                                                 int64_t region_id);
NJ_API nj_status nj_posting_set_foreign_allowed(nj_registry *reg,
                                                nj_posting *posting,
                                                int allowed);
NJ_API nj_status nj_posting_set_radius_m(nj_registry *reg, nj_posting *posting,
                                         double radius_m);
NJ_API nj_status nj_posting_set_early_close_ratio(nj_registry *reg,
                                                  nj_posting *posting,
                                                  double ratio);
NJ_API nj_status nj_posting_set_status(nj_registry *reg, nj_posting *posting,
                                       int32_t status);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_POSTING_H */
