#include "registry_internal.h"

#include <math.h>
#include <string.h>

static const char WHAT[] = "region";

static int level_is_valid(int32_t level)
{
    return level >= NJ_REGION_PROVINCE && level <= NJ_REGION_NEIGHBOURHOOD;
}

static nj_status check_parent(nj_registry *reg, int64_t id, int32_t level,
                              int64_t parent_id, nj_region **parent)
{
    *parent = NULL;
    if (parent_id == 0)
        return NJ_OK;
    *parent = (nj_region *)nj_table_find(&reg->regions, parent_id);
    if (!*parent)
        return nj_fail(reg, NJ_E_NOT_FOUND, "region %lld: parent %lld not found",
                       (long long)id, (long long)parent_id);
    if ((*parent)->level >= level)
        return nj_fail(reg, NJ_E_INVALID,
                       "region %lld: parent %lld has level %d, not above level %d",
                       (long long)id, (long long)parent_id,
                       (int)(*parent)->level, (int)level);
    return NJ_OK;
}

nj_status nj_region_add(nj_registry *reg, int64_t id, int32_t level,
                        int64_t parent_id, const char *name, nj_region **out)
{
    if (out)
        *out = NULL;
    if (!reg)
        return NJ_E_INVALID;
    nj_status st = nj_check_new_id(reg, &reg->regions, WHAT, id);
    if (st != NJ_OK)
        return st;
    if (!level_is_valid(level))
        return nj_fail(reg, NJ_E_INVALID,
                       "region %lld: level %d is not 1 (province), 2 (district) or 3 (neighbourhood)",
                       (long long)id, (int)level);
    nj_region *parent;
    size_t name_len;
    if ((st = check_parent(reg, id, level, parent_id, &parent)) != NJ_OK ||
        (st = nj_check_name(reg, WHAT, id, "name", name, &name_len)) != NJ_OK)
        return st;

    nj_region *region = nj_alloc_malloc(&reg->alloc, sizeof *region);
    char *name_copy = nj_alloc_strdup(&reg->alloc, name, name_len);
    if (!region || !name_copy ||
        nj_table_reserve(&reg->regions, &reg->alloc, 1) != NJ_OK ||
        nj_region_codes_reserve(reg) != NJ_OK) {
        nj_alloc_free(&reg->alloc, region);
        nj_alloc_free(&reg->alloc, name_copy);
        return nj_fail(reg, NJ_E_NOMEM, "region %lld: out of memory",
                       (long long)id);
    }
    memset(region, 0, sizeof *region);
    region->head.id = id;
    region->head.kind = NJ_KIND_REGION;
    region->owner = reg;
    region->parent = parent;
    region->name = name_copy;
    region->level = level;
    region->depth = parent ? parent->depth + 1 : 0;
    region->code = nj_region_codes_take(reg, parent ? parent->code : 0);
    if (parent)
        parent->child_count++;
    nj_table_insert(&reg->regions, &region->head);
    if (out)
        *out = region;
    return NJ_OK;
}

nj_status nj_region_codes_reserve(nj_registry *reg)
{
    nj_region_codes *rc = &reg->region_codes;
    void *parent = rc->parent, *free_codes = rc->free;
    nj_status st;
    if (rc->free_count > 0)
        return NJ_OK;
    if (rc->count >= UINT32_MAX - 1)
        return NJ_E_NOMEM;
    /* Codes 1 .. count + 1, and room to release every one of them. */
    st = nj_alloc_grow(&reg->alloc, &parent, &rc->parent_cap, (size_t)rc->count + 2,
                       sizeof *rc->parent);
    rc->parent = parent;
    if (st == NJ_OK)
        st = nj_alloc_grow(&reg->alloc, &free_codes, &rc->free_cap, (size_t)rc->count + 1,
                           sizeof *rc->free);
    rc->free = free_codes;
    return st;
}

uint32_t nj_region_codes_take(nj_registry *reg, uint32_t parent_code)
{
    nj_region_codes *rc = &reg->region_codes;
    uint32_t code = rc->free_count > 0 ? rc->free[--rc->free_count] : ++rc->count;
    rc->parent[code] = parent_code;
    return code;
}

void nj_region_codes_release(nj_registry *reg, uint32_t code)
{
    nj_region_codes *rc = &reg->region_codes;
    rc->free[rc->free_count++] = code;
}

void nj_region_codes_free(nj_registry *reg)
{
    nj_alloc_free(&reg->alloc, reg->region_codes.parent);
    nj_alloc_free(&reg->alloc, reg->region_codes.free);
    memset(&reg->region_codes, 0, sizeof reg->region_codes);
}

void nj_region_free(nj_registry *reg, nj_region *region)
{
    nj_boundary_destroy(&reg->alloc, region->boundary);
    nj_alloc_free(&reg->alloc, region->name);
    region->head.kind = NJ_KIND_NONE;
    nj_alloc_free(&reg->alloc, region);
}

nj_status nj_region_remove(nj_registry *reg, int64_t id)
{
    if (!reg)
        return NJ_E_INVALID;
    nj_region *region =
        (nj_region *)nj_find_existing(reg, &reg->regions, WHAT, id);
    if (!region)
        return NJ_E_NOT_FOUND;
    if (region->child_count > 0)
        return nj_fail(reg, NJ_E_IN_USE, "region %lld still has child regions (%zu)",
                       (long long)id, region->child_count);
    if (region->reference_count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "region %lld is still referenced by facilities, participants or postings (%zu)",
                       (long long)id, region->reference_count);
    if (region->boundary)
        nj_region_index_remove(&reg->region_index, region->index_nodes);
    if (region->parent)
        region->parent->child_count--;
    nj_region_codes_release(reg, region->code);
    nj_table_remove(&reg->regions, &region->head);
    nj_region_free(reg, region);
    return NJ_OK;
}

nj_region *nj_region_get(const nj_registry *reg, int64_t id)
{
    return reg ? (nj_region *)nj_table_find(&reg->regions, id) : NULL;
}

size_t nj_region_count(const nj_registry *reg)
{
    return reg ? reg->regions.count : 0;
}

nj_region *nj_region_at(const nj_registry *reg, size_t index)
{
    return reg ? (nj_region *)nj_table_at(&reg->regions, index) : NULL;
}

int64_t nj_region_id(const nj_region *region)
{
    return nj_is_region(region) ? region->head.id : 0;
}

int32_t nj_region_level(const nj_region *region)
{
    return nj_is_region(region) ? region->level : 0;
}

int64_t nj_region_parent_id(const nj_region *region)
{
    return nj_is_region(region) && region->parent ? region->parent->head.id : 0;
}

const char *nj_region_name(const nj_region *region)
{
    return nj_is_region(region) ? region->name : "";
}

nj_status nj_region_set_name(nj_registry *reg, nj_region *region,
                             const char *name)
{
    nj_status st = nj_check_owner(reg, region, NJ_KIND_REGION, WHAT);
    if (st != NJ_OK)
        return st;
    return nj_replace_name(reg, WHAT, region->head.id, "name", &region->name,
                           name);
}

static nj_status check_boundary_arrays(nj_registry *reg, int64_t id,
                                       size_t n_polygons,
                                       const uint32_t *rings_per_polygon,
                                       const uint32_t *vertices_per_ring,
                                       const double *latlon)
{
    if (n_polygons > 0 && (!rings_per_polygon || !vertices_per_ring || !latlon))
        return nj_fail(reg, NJ_E_INVALID,
                       "region %lld: boundary array is NULL", (long long)id);
    return NJ_OK;
}

nj_status nj_region_set_boundary(nj_registry *reg, nj_region *region,
                                 size_t n_polygons,
                                 const uint32_t *rings_per_polygon,
                                 size_t n_rings,
                                 const uint32_t *vertices_per_ring,
                                 size_t n_vertices, const double *latlon)
{
    nj_status st = nj_check_owner(reg, region, NJ_KIND_REGION, WHAT);
    if (st != NJ_OK ||
        (st = check_boundary_arrays(reg, region->head.id, n_polygons,
                                    rings_per_polygon, vertices_per_ring,
                                    latlon)) != NJ_OK)
        return st;
    nj_boundary *boundary = NULL;
    if (n_polygons > 0) {
        char why[200];
        st = nj_boundary_create(&reg->alloc, n_polygons, rings_per_polygon,
                                n_rings, vertices_per_ring, n_vertices, latlon,
                                why, sizeof why, &boundary);
        if (st != NJ_OK)
            return nj_fail(reg, st, "region %lld: boundary: %s",
                           (long long)region->head.id, why);
        if (nj_region_index_reserve(&reg->region_index, &reg->alloc) != NJ_OK) {
            nj_boundary_destroy(&reg->alloc, boundary);
            return nj_fail(reg, NJ_E_NOMEM, "region %lld: out of memory",
                           (long long)region->head.id);
        }
    } else if (n_rings != 0 || n_vertices != 0) {
        return nj_fail(reg, NJ_E_INVALID,
                       "region %lld: boundary: no polygons but %zu rings and %zu vertices",
                       (long long)region->head.id, n_rings, n_vertices);
    }
    if (region->boundary)
        nj_region_index_remove(&reg->region_index, region->index_nodes);
    nj_boundary_destroy(&reg->alloc, region->boundary);
    region->boundary = boundary;
    if (boundary)
        nj_region_index_insert(&reg->region_index, region->index_nodes, region,
                               &boundary->bbox);
    return NJ_OK;
}

nj_status nj_region_boundary_counts(const nj_region *region, size_t *n_polygons,
                                    size_t *n_rings, size_t *n_vertices)
{
    if (!nj_is_region(region))
        return NJ_E_INVALID;
    const nj_boundary *b = region->boundary;
    if (n_polygons)
        *n_polygons = b ? b->n_polygons : 0;
    if (n_rings)
        *n_rings = b ? b->n_rings : 0;
    if (n_vertices)
        *n_vertices = b ? b->n_vertices : 0;
    return NJ_OK;
}

nj_status nj_region_boundary_copy(const nj_region *region,
                                  uint32_t *rings_per_polygon,
                                  size_t polygons_cap,
                                  uint32_t *vertices_per_ring, size_t rings_cap,
                                  double *latlon, size_t vertices_cap)
{
    if (!nj_is_region(region))
        return NJ_E_INVALID;
    const nj_boundary *b = region->boundary;
    if (!b)
        return NJ_OK;
    if (!rings_per_polygon || !vertices_per_ring || !latlon)
        return NJ_E_INVALID;
    if (polygons_cap < b->n_polygons || rings_cap < b->n_rings ||
        vertices_cap < b->n_vertices)
        return NJ_E_BUFFER_TOO_SMALL;
    memcpy(rings_per_polygon, b->rings_per_polygon,
           b->n_polygons * sizeof *rings_per_polygon);
    memcpy(vertices_per_ring, b->vertices_per_ring,
           b->n_rings * sizeof *vertices_per_ring);
    memcpy(latlon, b->latlon, b->n_vertices * 2 * sizeof *latlon);
    return NJ_OK;
}

nj_status nj_region_bbox(const nj_region *region, double *min_lat,
                         double *min_lon, double *max_lat, double *max_lon)
{
    if (!nj_is_region(region) || !min_lat || !min_lon || !max_lat || !max_lon)
        return NJ_E_INVALID;
    if (!region->boundary)
        return NJ_E_NOT_FOUND;
    *min_lat = region->boundary->bbox.min_lat;
    *min_lon = region->boundary->bbox.min_lon;
    *max_lat = region->boundary->bbox.max_lat;
    *max_lon = region->boundary->bbox.max_lon;
    return NJ_OK;
}

nj_status nj_region_contains(const nj_region *region, double lat, double lon,
                             int *inside)
{
    if (!nj_is_region(region) || !inside)
        return NJ_E_INVALID;
    *inside = 0;
    if (!nj_lat_is_valid(lat) || !nj_lon_is_valid(lon))
        return NJ_E_RANGE;
    *inside = region->boundary &&
              nj_boundary_contains(region->boundary, lat, lon);
    return NJ_OK;
}

typedef struct locate_state {
    double lat, lon;
    nj_region *best;
} locate_state;

static int deeper(const nj_region *candidate, const nj_region *best)
{
    if (!best || candidate->depth != best->depth)
        return !best || candidate->depth > best->depth;
    return candidate->head.id < best->head.id;
}

static void consider(void *owner, void *user)
{
    nj_region *candidate = owner;
    locate_state *state = user;
    if (deeper(candidate, state->best) &&
        nj_boundary_contains(candidate->boundary, state->lat, state->lon))
        state->best = candidate;
}

nj_region *nj_region_locate_point(const nj_registry *reg, double lat,
                                  double lon)
{
    locate_state state = {lat, lon, NULL};
    nj_region_index_query(&reg->region_index, lat, lon, consider, &state);
    return state.best;
}

nj_status nj_region_locate(const nj_registry *reg, double lat, double lon,
                           nj_region **out)
{
    if (out)
        *out = NULL;
    if (!reg || !out)
        return NJ_E_INVALID;
    if (!nj_lat_is_valid(lat) || !nj_lon_is_valid(lon))
        return NJ_E_RANGE;
    *out = nj_region_locate_point(reg, lat, lon);
    return *out ? NJ_OK : NJ_E_NOT_FOUND;
}

int nj_region_is_within(const nj_region *region, const nj_region *ancestor)
{
    if (!nj_is_region(region) || !nj_is_region(ancestor))
        return 0;
    for (const nj_region *r = region; r; r = r->parent)
        if (r == ancestor)
            return 1;
    return 0;
}
