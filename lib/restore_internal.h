/*
 * What loading a snapshot needs to put objects back exactly as they were
 * saved. A saved state may be one that the rules for new changes would not
 * produce again (an application outside a window that has since moved, a
 * region derived before a boundary changed), so these bypass those rules;
 * the snapshot loader validates what it passes. Only lib/snapshot*.c uses
 * them.
 */
#ifndef NJ_RESTORE_INTERNAL_H
#define NJ_RESTORE_INTERNAL_H

#include "nearjob/common.h"

/* 1 when the object's region was derived from its location, 0 when the
 * caller set it. */
int nj_facility_region_is_derived(const nj_facility *facility);
int nj_participant_region_is_derived(const nj_participant *participant);

/* Sets the region (NULL for none) and its derived flag without locating. */
void nj_facility_restore_region(nj_facility *facility, nj_region *region,
                                int derived);

/*
 * Participants in bulk: nj_participants_reserve() makes room for n more;
 * nj_participant_restore() adds one as nj_participant_add() would, but with
 * the region (0: none) and derived flag as saved and without filing the
 * home in the spatial index; nj_participants_index() then files every
 * participant at once (one sort instead of a million incremental inserts).
 * Queries must not run in between; the index must hold no one before.
 *
 * A bulk CSV import adds with nj_participant_add_filing(..., 0), which is
 * nj_participant_add() without the filing (1: with it), and then files the participants
 * from table position `first` on (those it added, which a table appends)
 * with nj_participants_index_from(): one rebuild instead of one every
 * 4 sqrt(n) inserts. On failure the index is as it was; removing an
 * unfiled participant leaves the index alone.
 */
nj_status nj_participants_reserve(nj_registry *reg, size_t n);
nj_status nj_participant_restore(nj_registry *reg, int64_t id, int32_t birth_date,
                                 int is_foreign, double lat, double lon,
                                 int32_t verified_date, int64_t region_id,
                                 int derived);
nj_status nj_participants_index(nj_registry *reg);
nj_status nj_participant_add_filing(nj_registry *reg, int64_t id, int32_t birth_date,
                                    int is_foreign, double lat, double lon,
                                    int32_t verified_date, int64_t region_id,
                                    int file_home);
nj_status nj_participants_index_from(nj_registry *reg, size_t first);

/*
 * Applications come back in two passes, so that both the posting's and the
 * participant's list keep their saved order:
 * 1. nj_application_restore_slot() once per application of the participant
 *    opens an empty slot at the end of the participant's list;
 * 2. nj_application_restore() fills slot `participant_index` of it and
 *    appends to the posting's list.
 * Between the passes the participant's list holds NULL slots: nothing but
 * pass 2 or destroying the registry may run then. Pass 2 fails with
 * NJ_E_EXISTS (the pair is already there), NJ_E_RANGE (no such slot),
 * NJ_E_CORRUPT (slot filled twice) or NJ_E_NOMEM, with a message.
 */
nj_status nj_application_restore_slot(nj_registry *reg,
                                      nj_participant *participant);
nj_status nj_application_restore(nj_registry *reg, nj_participant *participant,
                                 nj_posting *posting, int32_t date,
                                 int32_t status, int32_t rank,
                                 size_t participant_index);

/* Replaces the status of an existing application, returning the old one
 * (NJ_E_NOT_FOUND when the participant has not applied). */
nj_status nj_application_swap_status(const nj_participant *participant,
                                     const nj_posting *posting,
                                     int32_t status, int32_t *old_status);

/* Marks the posting's selection as done with the saved method, seed and
 * date (as nj_posting_selection() reports them). */
void nj_posting_restore_selection(nj_posting *posting, int32_t method,
                                  uint64_t seed, int32_t date);

#endif
