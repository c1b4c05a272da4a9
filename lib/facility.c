#include "registry_internal.h"

#include <math.h>
#include <string.h>

#include "restore_internal.h"

static const char WHAT[] = "facility";

static int kind_is_valid(int32_t kind)
{
    return kind >= NJ_FACILITY_LIBRARY && kind <= NJ_FACILITY_OTHER;
}

static nj_status check_kind(nj_registry *reg, int64_t id, int32_t kind)
{
    if (!kind_is_valid(kind))
        return nj_fail(reg, NJ_E_INVALID,
                       "facility %lld: kind %d is not an nj_facility_kind (1..7)",
                       (long long)id, (int)kind);
    return NJ_OK;
}

/* The region the caller named, or the one derived from the location. */

nj_status nj_facility_add(nj_registry *reg, int64_t id, int32_t kind,
                          const char *name, double lat, double lon,
                          int64_t region_id, nj_facility **out)
{
    if (out)
        *out = NULL;
    if (!reg)
        return NJ_E_INVALID;
    size_t name_len;
    nj_region *region;
    nj_status st;
    if ((st = nj_check_new_id(reg, &reg->facilities, WHAT, id)) != NJ_OK ||
        (st = check_kind(reg, id, kind)) != NJ_OK ||
        (st = nj_check_name(reg, WHAT, id, "name", name, &name_len)) != NJ_OK ||
        (st = nj_check_location(reg, WHAT, id, &lat, &lon)) != NJ_OK ||
        (st = nj_choose_region(reg, WHAT, id, lat, lon, region_id, &region)) != NJ_OK)
        return st;

    nj_facility *facility = nj_alloc_malloc(&reg->alloc, sizeof *facility);
    char *name_copy = nj_alloc_strdup(&reg->alloc, name, name_len);
    if (!facility || !name_copy ||
        nj_table_reserve(&reg->facilities, &reg->alloc, 1) != NJ_OK ||
        nj_spatial_insert(&reg->facility_index, nj_index_key(facility), lat, lon) != NJ_OK) {
        nj_alloc_free(&reg->alloc, facility);
        nj_alloc_free(&reg->alloc, name_copy);
        return nj_fail(reg, NJ_E_NOMEM, "facility %lld: out of memory",
                       (long long)id);
    }
    memset(facility, 0, sizeof *facility);
    facility->head.id = id;
    facility->head.kind = NJ_KIND_FACILITY;
    facility->owner = reg;
    facility->name = name_copy;
    facility->kind = kind;
    facility->lat = lat;
    facility->lon = lon;
    facility->region_is_derived = region_id == 0;
    facility->region = region;
    nj_region_rereference(NULL, region);
    nj_table_insert(&reg->facilities, &facility->head);
    if (out)
        *out = facility;
    return NJ_OK;
}

void nj_facility_free(nj_registry *reg, nj_facility *facility)
{
    nj_alloc_free(&reg->alloc, facility->name);
    facility->head.kind = NJ_KIND_NONE;
    nj_alloc_free(&reg->alloc, facility);
}

nj_status nj_facility_remove(nj_registry *reg, int64_t id)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_facility *facility =
        (nj_facility *)nj_find_existing(reg, &reg->facilities, WHAT, id);
    if (!facility)
        return NJ_E_NOT_FOUND;
    if (facility->posting_count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "facility %lld still has postings (%zu); remove them first",
                       (long long)id, facility->posting_count);
    nj_region_rereference(facility->region, NULL);
    nj_spatial_remove(&reg->facility_index, nj_index_key(facility),
                      facility->lat, facility->lon);
    nj_table_remove(&reg->facilities, &facility->head);
    nj_facility_free(reg, facility);
    return NJ_OK;
}

nj_facility *nj_facility_get(const nj_registry *reg, int64_t id)
{
    return reg ? (nj_facility *)nj_table_find(&reg->facilities, id) : NULL;
}

size_t nj_facility_count(const nj_registry *reg)
{
    return reg ? reg->facilities.count : 0;
}

nj_facility *nj_facility_at(const nj_registry *reg, size_t index)
{
    return reg ? (nj_facility *)nj_table_at(&reg->facilities, index) : NULL;
}

int64_t nj_facility_id(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->head.id : 0;
}

int32_t nj_facility_kind(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->kind : 0;
}

const char *nj_facility_name(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->name : "";
}

double nj_facility_lat(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->lat : NAN;
}

double nj_facility_lon(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->lon : NAN;
}

int64_t nj_facility_region_id(const nj_facility *facility)
{
    return nj_is_facility(facility) && facility->region ? facility->region->head.id : 0;
}

size_t nj_facility_posting_count(const nj_facility *facility)
{
    return nj_is_facility(facility) ? facility->posting_count : 0;
}

static nj_status check_facility(nj_registry *reg, const nj_facility *facility)
{
    return nj_check_owner(reg, facility, NJ_KIND_FACILITY, WHAT);
}

nj_status nj_facility_set_name(nj_registry *reg, nj_facility *facility,
                               const char *name)
{
    nj_status st = check_facility(reg, facility);
    if (st != NJ_OK)
        return st;
    return nj_replace_name(reg, WHAT, facility->head.id, "name",
                           &facility->name, name);
}

nj_status nj_facility_set_kind(nj_registry *reg, nj_facility *facility,
                               int32_t kind)
{
    nj_status st = check_facility(reg, facility);
    if (st != NJ_OK || (st = check_kind(reg, facility->head.id, kind)) != NJ_OK)
        return st;
    facility->kind = kind;
    return NJ_OK;
}

static void assign_region(nj_facility *facility, nj_region *region,
                          int derived)
{
    nj_region_rereference(facility->region, region);
    facility->region = region;
    facility->region_is_derived = derived;
}

nj_status nj_facility_set_location(nj_registry *reg, nj_facility *facility,
                                   double lat, double lon)
{
    nj_status st = check_facility(reg, facility);
    if (st != NJ_OK ||
        (st = nj_check_location(reg, WHAT, facility->head.id, &lat, &lon)) != NJ_OK)
        return st;
    if (nj_spatial_move(&reg->facility_index, nj_index_key(facility), facility->lat,
                        facility->lon, lat, lon) != NJ_OK)
        return nj_fail(reg, NJ_E_NOMEM, "facility %lld: out of memory",
                       (long long)facility->head.id);
    facility->lat = lat;
    facility->lon = lon;
    if (facility->region_is_derived)
        assign_region(facility, nj_region_locate_point(reg, lat, lon), 1);
    return NJ_OK;
}

nj_status nj_facility_set_region(nj_registry *reg, nj_facility *facility,
                                 int64_t region_id)
{
    nj_region *region;
    nj_status st = check_facility(reg, facility);
    if (st != NJ_OK ||
        (st = nj_choose_region(reg, WHAT, facility->head.id, facility->lat,
                            facility->lon, region_id, &region)) != NJ_OK)
        return st;
    assign_region(facility, region, region_id == 0);
    return NJ_OK;
}

int nj_facility_region_is_derived(const nj_facility *facility)
{
    return facility->region_is_derived;
}

void nj_facility_restore_region(nj_facility *facility, nj_region *region, int derived)
{
    assign_region(facility, region, derived);
}
