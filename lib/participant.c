#include "registry_internal.h"
#include "eligibility_internal.h"

#include <math.h>
#include <string.h>

#include "date_internal.h"
#include "restore_internal.h"

static const char WHAT[] = "participant";

static nj_status check_flag(nj_registry *reg, int64_t id, int is_foreign)
{
    if (is_foreign != 0 && is_foreign != 1)
        return nj_fail(reg, NJ_E_INVALID,
                       "participant %lld: foreign-resident flag must be 0 or 1, not %d",
                       (long long)id, is_foreign);
    return NJ_OK;
}

static nj_status check_dates(nj_registry *reg, int64_t id, int32_t birth_date,
                             int32_t verified_date)
{
    nj_status st;
    if ((st = nj_check_date(reg, WHAT, id, "birth date", birth_date)) != NJ_OK ||
        (st = nj_check_date(reg, WHAT, id, "verification date", verified_date)) != NJ_OK)
        return st;
    if (verified_date < birth_date)
        return nj_fail(reg, NJ_E_INVALID,
                       "participant %lld: verification date %ld is before birth date %ld",
                       (long long)id, (long)verified_date, (long)birth_date);
    return NJ_OK;
}

/*
 * Adds a participant. A caller's add (`restored_derived` < 0) derives the
 * region when region_id is 0; a snapshot load (0 or 1) takes the region and
 * its derived flag as saved. `file_home` files the home in the spatial
 * index at once; bulk loads leave that to nj_participants_index() or
 * nj_participants_index_from().
 */
static nj_status add_participant(nj_registry *reg, int64_t id, int32_t birth_date,
                                 int is_foreign, double lat, double lon,
                                 int32_t verified_date, int64_t region_id,
                                 int restored_derived, int file_home,
                                 nj_participant **out)
{
    if (out)
        *out = NULL;
    if (!reg)
        return NJ_E_INVALID;
    int restoring = restored_derived >= 0;
    nj_region *region;
    nj_status st;
    if ((st = nj_check_new_id(reg, &reg->participants, WHAT, id)) != NJ_OK ||
        (st = check_dates(reg, id, birth_date, verified_date)) != NJ_OK ||
        (st = check_flag(reg, id, is_foreign)) != NJ_OK ||
        (st = nj_check_location(reg, WHAT, id, &lat, &lon)) != NJ_OK ||
        (st = restoring ? nj_resolve_region(reg, WHAT, id, region_id, &region)
                        : nj_choose_region(reg, WHAT, id, lat, lon, region_id,
                                           &region)) != NJ_OK)
        return st;

    nj_participant *p = nj_alloc_malloc(&reg->alloc, sizeof *p);
    if (p) {
        memset(p, 0, sizeof *p);
        p->head.id = id;
        p->head.kind = NJ_KIND_PARTICIPANT;
        p->owner = reg;
        p->birth_date = birth_date;
        p->verified_date = verified_date;
        p->is_foreign = is_foreign;
        p->lat = lat;
        p->lon = lon;
        p->region_is_derived = restoring ? restored_derived : region_id == 0;
        p->region = region;
    }
    if (!p || nj_table_reserve(&reg->participants, &reg->alloc, 1) != NJ_OK ||
        (file_home &&
         nj_spatial_insert_tagged(&reg->participant_index, id, lat, lon,
                                  nj_participant_tag(p)) != NJ_OK)) {
        nj_alloc_free(&reg->alloc, p);
        return nj_fail(reg, NJ_E_NOMEM, "participant %lld: out of memory",
                       (long long)id);
    }
    nj_region_rereference(NULL, region);
    nj_table_insert(&reg->participants, &p->head);
    if (out)
        *out = p;
    return NJ_OK;
}

nj_status nj_participant_add(nj_registry *reg, int64_t id, int32_t birth_date,
                             int is_foreign, double lat, double lon,
                             int32_t verified_date, int64_t region_id,
                             nj_participant **out)
{
    return add_participant(reg, id, birth_date, is_foreign, lat, lon, verified_date,
                           region_id, -1, 1, out);
}

nj_status nj_participant_add_filing(nj_registry *reg, int64_t id, int32_t birth_date,
                                    int is_foreign, double lat, double lon,
                                    int32_t verified_date, int64_t region_id,
                                    int file_home)
{
    return add_participant(reg, id, birth_date, is_foreign, lat, lon, verified_date,
                           region_id, -1, file_home, NULL);
}

void nj_participant_free(nj_registry *reg, nj_participant *participant)
{
    nj_application_list_free(&participant->applications, &reg->alloc);
    participant->head.kind = NJ_KIND_NONE;
    nj_alloc_free(&reg->alloc, participant);
}

nj_status nj_participant_remove(nj_registry *reg, int64_t id)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_participant *p =
        (nj_participant *)nj_find_existing(reg, &reg->participants, WHAT, id);
    if (!p)
        return NJ_E_NOT_FOUND;
    if (p->applications.count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "participant %lld still has applications (%zu)",
                       (long long)id, p->applications.count);
    nj_region_rereference(p->region, NULL);
    nj_spatial_remove(&reg->participant_index, p->head.id, p->lat, p->lon);
    nj_table_remove(&reg->participants, &p->head);
    nj_participant_free(reg, p);
    return NJ_OK;
}

nj_participant *nj_participant_get(const nj_registry *reg, int64_t id)
{
    return reg ? (nj_participant *)nj_table_find(&reg->participants, id) : NULL;
}

size_t nj_participant_count(const nj_registry *reg)
{
    return reg ? reg->participants.count : 0;
}

nj_participant *nj_participant_at(const nj_registry *reg, size_t index)
{
    return reg ? (nj_participant *)nj_table_at(&reg->participants, index) : NULL;
}

int64_t nj_participant_id(const nj_participant *p) { return nj_is_participant(p) ? p->head.id : 0; }
int32_t nj_participant_birth_date(const nj_participant *p) { return nj_is_participant(p) ? p->birth_date : 0; }
int nj_participant_is_foreign(const nj_participant *p) { return nj_is_participant(p) ? p->is_foreign : 0; }
double nj_participant_lat(const nj_participant *p) { return nj_is_participant(p) ? p->lat : NAN; }
double nj_participant_lon(const nj_participant *p) { return nj_is_participant(p) ? p->lon : NAN; }
int32_t nj_participant_verified_date(const nj_participant *p) { return nj_is_participant(p) ? p->verified_date : 0; }

int64_t nj_participant_region_id(const nj_participant *p)
{
    return nj_is_participant(p) && p->region ? p->region->head.id : 0;
}

nj_status nj_participant_age_on(const nj_participant *p, int32_t date,
                                int32_t *age)
{
    if (!nj_is_participant(p) || !age || !nj_date_is_valid(date))
        return NJ_E_INVALID;
    if (date < p->birth_date)
        return NJ_E_RANGE;
    *age = nj_date_age(p->birth_date, date);
    return NJ_OK;
}

static nj_status check_participant(nj_registry *reg, const nj_participant *p)
{
    return nj_check_owner(reg, p, NJ_KIND_PARTICIPANT, WHAT);
}

nj_status nj_participant_set_birth_date(nj_registry *reg, nj_participant *p,
                                        int32_t birth_date)
{
    nj_status st = check_participant(reg, p);
    if (st != NJ_OK ||
        (st = check_dates(reg, p->head.id, birth_date, p->verified_date)) != NJ_OK)
        return st;
    p->birth_date = birth_date;
    nj_participant_sync_tag(p);
    return NJ_OK;
}

nj_status nj_participant_set_foreign(nj_registry *reg, nj_participant *p,
                                     int is_foreign)
{
    nj_status st = check_participant(reg, p);
    if (st != NJ_OK || (st = check_flag(reg, p->head.id, is_foreign)) != NJ_OK)
        return st;
    p->is_foreign = is_foreign;
    nj_participant_sync_tag(p);
    return NJ_OK;
}

static void assign_region(nj_participant *p, nj_region *region, int derived)
{
    nj_region_rereference(p->region, region);
    p->region = region;
    p->region_is_derived = derived;
    nj_participant_sync_tag(p);
}

nj_status nj_participant_set_home(nj_registry *reg, nj_participant *p,
                                  double lat, double lon, int32_t verified_date)
{
    nj_status st = check_participant(reg, p);
    if (st != NJ_OK ||
        (st = check_dates(reg, p->head.id, p->birth_date, verified_date)) != NJ_OK ||
        (st = nj_check_location(reg, WHAT, p->head.id, &lat, &lon)) != NJ_OK)
        return st;
    if (nj_spatial_move(&reg->participant_index, p->head.id, p->lat, p->lon,
                        lat, lon) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "participant %lld: out of memory",
                       (long long)p->head.id);
    p->lat = lat;
    p->lon = lon;
    p->verified_date = verified_date;
    if (p->region_is_derived)
        assign_region(p, nj_region_locate_point(reg, lat, lon), 1);
    return NJ_OK;
}

nj_status nj_participant_set_region(nj_registry *reg, nj_participant *p,
                                    int64_t region_id)
{
    nj_region *region;
    nj_status st = check_participant(reg, p);
    if (st != NJ_OK ||
        (st = nj_choose_region(reg, WHAT, p->head.id, p->lat, p->lon, region_id,
                            &region)) != NJ_OK)
        return st;
    assign_region(p, region, region_id == 0);
    return NJ_OK;
}

int nj_participant_region_is_derived(const nj_participant *participant)
{
    return participant->region_is_derived;
}

nj_status nj_participant_restore(nj_registry *reg, int64_t id, int32_t birth_date,
                                 int is_foreign, double lat, double lon,
                                 int32_t verified_date, int64_t region_id,
                                 int derived)
{
    return add_participant(reg, id, birth_date, is_foreign, lat, lon, verified_date,
                           region_id, derived != 0, 0, NULL);
}

nj_status nj_participants_reserve(nj_registry *reg, size_t n)
{
    if (nj_table_reserve(&reg->participants, &reg->alloc, n) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "%zu participants: out of memory", n);
    return NJ_OK;
}

/* The participants from position `first` on, as points of the index. */
typedef struct unfiled {
    const nj_registry *reg;
    size_t first;
} unfiled;

/* Participant first + i of the registry as a point of its spatial index. */
static void participant_point(const void *ctx, size_t i, nj_spatial_point *pt)
{
    const unfiled *u = ctx;
    const nj_participant *p =
        (const nj_participant *)u->reg->participants.items[u->first + i];
    pt->id = p->head.id;
    pt->lat = p->lat;
    pt->lon = p->lon;
    pt->tag = nj_participant_tag(p);
}

nj_status nj_participants_index(nj_registry *reg)
{
    return nj_participants_index_from(reg, 0);
}

nj_status nj_participants_index_from(nj_registry *reg, size_t first)
{
    const unfiled u = {reg, first};
    nj_status st = nj_spatial_bulk_load_from(&reg->participant_index,
                                             reg->participants.count - first,
                                             participant_point, &u);
    return st == NJ_OK ? NJ_OK
                       : nj_fail(reg, st, "participants: out of memory for the spatial index");
}
