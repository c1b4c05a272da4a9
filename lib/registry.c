#include "registry_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date_internal.h"
#include "text_internal.h"

static nj_status create(const nj_alloc *alloc, nj_registry **out)
{
    nj_registry *reg = nj_alloc_malloc(alloc, sizeof *reg);
    if (!reg)
        return NJ_E_NOMEM;
    memset(reg, 0, sizeof *reg);
    reg->alloc = *alloc;
    nj_table_init(&reg->regions);
    nj_table_init(&reg->facilities);
    nj_table_init(&reg->postings);
    nj_table_init(&reg->participants);
    nj_region_index_init(&reg->region_index);
    nj_spatial_init_tagged(&reg->participant_index, &reg->alloc);
    nj_spatial_init(&reg->facility_index, &reg->alloc);
    nj_ledger_init(&reg->ledger);
    nj_import_limits_init(&reg->import_limits);
    *out = reg;
    return NJ_OK;
}

nj_status nj_registry_create(nj_registry **out)
{
    if (!out)
        return NJ_E_INVALID;
    *out = NULL;
    return create(&nj_alloc_default, out);
}

nj_status nj_registry_create_with_allocator(nj_malloc_fn malloc_fn,
                                            nj_realloc_fn realloc_fn,
                                            nj_free_fn free_fn, void *user,
                                            nj_registry **out)
{
    if (!out)
        return NJ_E_INVALID;
    *out = NULL;
    if (!malloc_fn || !realloc_fn || !free_fn)
        return NJ_E_INVALID;
    nj_alloc alloc = {malloc_fn, realloc_fn, free_fn, user};
    return create(&alloc, out);
}

void nj_registry_destroy(nj_registry *reg)
{
    if (!reg)
        return;
    for (size_t i = 0; i < reg->postings.count; i++)
        nj_posting_free(reg, (nj_posting *)reg->postings.items[i]);
    for (size_t i = 0; i < reg->facilities.count; i++)
        nj_facility_free(reg, (nj_facility *)reg->facilities.items[i]);
    for (size_t i = 0; i < reg->participants.count; i++)
        nj_participant_free(reg, (nj_participant *)reg->participants.items[i]);
    for (size_t i = 0; i < reg->regions.count; i++)
        nj_region_free(reg, (nj_region *)reg->regions.items[i]);
    nj_table_free(&reg->postings, &reg->alloc);
    nj_table_free(&reg->facilities, &reg->alloc);
    nj_table_free(&reg->participants, &reg->alloc);
    nj_table_free(&reg->regions, &reg->alloc);
    nj_region_index_free(&reg->region_index, &reg->alloc);
    nj_region_codes_free(reg);
    nj_spatial_free(&reg->participant_index);
    nj_spatial_free(&reg->facility_index);
    nj_ledger_free(&reg->ledger, &reg->alloc);
    nj_stats_inputs_free(reg);
    nj_alloc alloc = reg->alloc;
    nj_alloc_free(&alloc, reg);
}

int nj_programme_type_is_valid(int32_t type)
{
    return (type >= NJ_PROGRAMME_DIRECT_JOBS && type <= NJ_PROGRAMME_OTHER) ||
           type >= NJ_PROGRAMME_CUSTOM_BASE;
}

const char *nj_registry_errmsg(const nj_registry *reg)
{
    return reg ? reg->errmsg : "";
}

nj_status nj_fail(nj_registry *reg, nj_status status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(reg->errmsg, sizeof reg->errmsg, fmt, args);
    va_end(args);
    return status;
}

nj_status nj_check_owner(nj_registry *reg, const void *handle,
                         nj_object_kind kind, const char *what)
{
    if (!reg)
        return NJ_E_INVALID;
    if (!handle)
        return nj_fail(reg, NJ_E_INVALID, "%s handle is NULL", what);
    if (!nj_object_is(handle, kind))
        return nj_fail(reg, NJ_E_INVALID,
                       "the %s handle is not a %s (another kind of object, or freed)",
                       what, what);
    if (((const nj_owned_head *)handle)->owner != reg)
        return nj_fail(reg, NJ_E_INVALID, "%s %lld belongs to another registry",
                       what, (long long)((const nj_object_head *)handle)->id);
    return NJ_OK;
}

nj_status nj_check_new_id(nj_registry *reg, const nj_table *table,
                          const char *what, int64_t id)
{
    if (id < 1)
        return nj_fail(reg, NJ_E_RANGE, "%s id %lld: ids must be >= 1", what,
                       (long long)id);
    if (nj_table_find(table, id))
        return nj_fail(reg, NJ_E_EXISTS, "%s %lld already exists", what,
                       (long long)id);
    return NJ_OK;
}

nj_status nj_resolve_region(nj_registry *reg, const char *what, int64_t id,
                            int64_t region_id, nj_region **out)
{
    *out = NULL;
    if (region_id == 0)
        return NJ_OK;
    *out = (nj_region *)nj_table_find(&reg->regions, region_id);
    if (!*out)
        return nj_fail(reg, NJ_E_NOT_FOUND, "%s %lld: region %lld not found",
                       what, (long long)id, (long long)region_id);
    return NJ_OK;
}

nj_status nj_choose_region(nj_registry *reg, const char *what, int64_t id,
                           double lat, double lon, int64_t region_id,
                           nj_region **out)
{
    if (region_id != 0)
        return nj_resolve_region(reg, what, id, region_id, out);
    *out = nj_region_locate_point(reg, lat, lon);
    return NJ_OK;
}

void nj_region_rereference(nj_region *from, nj_region *to)
{
    if (from)
        from->reference_count--;
    if (to)
        to->reference_count++;
}

nj_status nj_check_name(nj_registry *reg, const char *what, int64_t id,
                        const char *field, const char *text, size_t *len)
{
    if (!text)
        return nj_fail(reg, NJ_E_INVALID, "%s %lld: %s is NULL", what,
                       (long long)id, field);
    *len = strnlen(text, NJ_NAME_MAX_BYTES + 1);
    if (*len == 0)
        return nj_fail(reg, NJ_E_INVALID, "%s %lld: %s is empty", what,
                       (long long)id, field);
    if (*len > NJ_NAME_MAX_BYTES)
        return nj_fail(reg, NJ_E_RANGE, "%s %lld: %s longer than %d bytes",
                       what, (long long)id, field, NJ_NAME_MAX_BYTES);
    size_t bad;
    if (!nj_utf8_is_valid(text, *len, &bad))
        return nj_fail(reg, NJ_E_ENCODING,
                       "%s %lld: %s is not valid UTF-8 (byte 0x%02X at offset %zu)",
                       what, (long long)id, field,
                       (unsigned)(unsigned char)text[bad], bad);
    return NJ_OK;
}

nj_status nj_replace_name(nj_registry *reg, const char *what, int64_t id,
                          const char *field, char **slot, const char *text)
{
    size_t len = 0;
    nj_status st = nj_check_name(reg, what, id, field, text, &len);
    if (st != NJ_OK)
        return st;
    char *copy = nj_alloc_strdup(&reg->alloc, text, len);
    if (!copy)
        return nj_fail(reg, NJ_E_NOMEM, "%s %lld: out of memory", what,
                       (long long)id);
    nj_alloc_free(&reg->alloc, *slot);
    *slot = copy;
    return NJ_OK;
}

nj_object_head *nj_find_existing(nj_registry *reg, const nj_table *table,
                                 const char *what, int64_t id)
{
    nj_object_head *found = nj_table_find(table, id);
    if (!found)
        nj_fail(reg, NJ_E_NOT_FOUND, "%s %lld not found", what, (long long)id);
    return found;
}

nj_status nj_check_location(nj_registry *reg, const char *what, int64_t id,
                            double *lat, double *lon)
{
    char num[32];
    if (!nj_lat_is_valid(*lat))
        return nj_fail(reg, NJ_E_RANGE, "%s %lld: latitude %s outside [-90, 90]",
                       what, (long long)id, nj_format_double(num, *lat));
    if (!nj_lon_is_valid(*lon))
        return nj_fail(reg, NJ_E_RANGE,
                       "%s %lld: longitude %s outside [-180, 180]", what,
                       (long long)id, nj_format_double(num, *lon));
    *lat = nj_spatial_snap_deg(*lat);
    *lon = nj_spatial_snap_deg(*lon);
    return NJ_OK;
}

nj_status nj_check_date(nj_registry *reg, const char *what, int64_t id,
                        const char *field, int32_t date)
{
    if (!nj_date_is_valid(date))
        return nj_fail(reg, NJ_E_INVALID,
                       "%s %lld: %s %ld is not a calendar date in [%d, %d]",
                       what, (long long)id, field, (long)date, NJ_DATE_MIN,
                       NJ_DATE_MAX);
    return NJ_OK;
}
