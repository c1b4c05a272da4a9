/*
 * GeoJSON FeatureCollections of regions, and GeoJSON geometries in CSV
 * cells. The whole document is parsed before the registry is touched; the
 * features are then added in order and, on any failure, the regions added
 * so far are removed again, newest first.
 */
#include "io_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_internal.h"
#include "number_internal.h"

/* Largest double that is an exact integer with every smaller one: 2^53. */
#define EXACT_INTEGER_MAX 9007199254740992.0

/* ---- geometry ------------------------------------------------------------ */

/* The shape of a Polygon, MultiPolygon or null geometry; NULL for null or
 * empty coordinates. */
static nj_status geometry_shape(const nj_json_value *geometry, nj_shape **shape,
                                const nj_json_value **where, const char **what)
{
    *shape = NULL;
    *where = geometry;
    if (geometry->type == NJ_JSON_NULL)
        return NJ_OK;
    int multi = nj_json_has_type(geometry, "MultiPolygon");
    if (!multi && !nj_json_has_type(geometry, "Polygon")) {
        *what = "the geometry must be a Polygon or a MultiPolygon";
        return NJ_E_CORRUPT;
    }
    const nj_json_value *coords = nj_json_get(geometry, "coordinates");
    if (!coords || coords->type != NJ_JSON_COORDS) {
        *what = "\"coordinates\" is missing or not an array";
        return NJ_E_CORRUPT;
    }
    *where = coords;
    int kind = coords->u.coords->kind;
    if (kind == NJ_COORDS_EMPTY)
        return NJ_OK;
    if (kind != (multi ? NJ_COORDS_MULTIPOLYGON : NJ_COORDS_POLYGON)) {
        *what = multi ? "MultiPolygon coordinates must be polygons of rings of positions"
                      : "Polygon coordinates must be rings of positions";
        return NJ_E_CORRUPT;
    }
    *shape = &coords->u.coords->shape;
    return NJ_OK;
}

nj_status nj_geojson_geometry(const nj_alloc *a, const char *text, size_t len,
                              size_t max_string, nj_shape *out, size_t *offset,
                              const char **what)
{
    nj_json_value doc;
    nj_json_error error;
    nj_status st = nj_json_parse(a, text, len, max_string, &doc, &error);
    if (st != NJ_OK) {
        *offset = error.offset;
        *what = error.what;
        return st;
    }
    const nj_json_value *where;
    nj_shape *shape;
    st = doc.type == NJ_JSON_OBJECT ? geometry_shape(&doc, &shape, &where, what)
                                    : NJ_E_CORRUPT;
    if (doc.type != NJ_JSON_OBJECT) {
        *what = "expected a GeoJSON geometry object";
        where = &doc;
    }
    *offset = where->offset;
    nj_shape_clear(out);
    if (st == NJ_OK && shape) {
        /* Hand the parsed arrays over instead of copying them. */
        nj_shape_free(out, a);
        *out = *shape;
        memset(shape, 0, sizeof *shape);
    }
    nj_json_free(a, &doc);
    return st;
}

/* ---- features ------------------------------------------------------------ */

typedef struct loader {
    nj_registry *reg;
    const char *text;
    size_t index;               /* the feature being loaded */
    int64_t *added;             /* regions added, for the rollback */
    size_t n_added, cap_added;
    nj_id_lines lines;          /* region id -> line of its feature */
    nj_text_anchor at;          /* a known line start, for positions */
} loader;

/* Line and column of `offset`. Features come in file order, so positions
 * are found from the last one instead of from the start each time. */
static nj_text_pos position_of(loader *ld, size_t offset)
{
    if (offset < ld->at.offset)
        ld->at = (nj_text_anchor){0, 1, 0};
    nj_text_pos pos = nj_text_locate(ld->text, ld->at, offset, 0);
    ld->at = nj_text_advance(ld->text, ld->at, offset);
    return pos;
}

/* "line L, column C: feature N: reason" */
static nj_status feature_fail(loader *ld, nj_status status, const nj_json_value *where,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static nj_status feature_fail(loader *ld, nj_status status, const nj_json_value *where,
                              const char *fmt, ...)
{
    char reason[NJ_ERRMSG_SIZE];
    va_list args;
    va_start(args, fmt);
    vsnprintf(reason, sizeof reason, fmt, args);
    va_end(args);
    nj_text_pos pos = position_of(ld, where->offset);
    return nj_fail(ld->reg, status, "line %zu, column %zu: feature %zu: %s", pos.line,
                   pos.column, ld->index, reason);
}

static size_t line_of(loader *ld, const nj_json_value *v)
{
    return position_of(ld, v->offset).line;
}

/* A positive code: a string of 1 to 18 digits or a JSON integer. */
static nj_status read_code(loader *ld, const nj_json_value *props, const char *key,
                           int required, int64_t *out)
{
    const nj_json_value *v = nj_json_get(props, key);
    *out = 0;
    if (!v && !required)
        return NJ_OK;
    if (v && v->type == NJ_JSON_STRING && v->u.string.len <= 18 &&
        nj_number_parse_int64(v->u.string.text, v->u.string.len, out) == NJ_OK &&
        v->u.string.text[0] >= '0' && v->u.string.text[0] <= '9' && *out >= 1)
        return NJ_OK;
    if (v && v->type == NJ_JSON_NUMBER && v->u.number >= 1 &&
        v->u.number <= EXACT_INTEGER_MAX && (double)(int64_t)v->u.number == v->u.number) {
        *out = (int64_t)v->u.number;
        return NJ_OK;
    }
    return feature_fail(ld, NJ_E_CORRUPT, v ? v : props,
                        "property \"%s\" is missing or not a positive code", key);
}

static nj_status read_name(loader *ld, const nj_json_value *props, const char *key,
                           const char **out)
{
    const nj_json_value *v = nj_json_get(props, key);
    if (!v || v->type != NJ_JSON_STRING || v->u.string.len == 0)
        return feature_fail(ld, NJ_E_CORRUPT, v ? v : props,
                            "property \"%s\" is missing or not a non-empty string", key);
    *out = v->u.string.text;
    return NJ_OK;
}

static nj_status remember(loader *ld, const nj_json_value *feature, int64_t id)
{
    void *added = ld->added;
    nj_status st = nj_alloc_grow(&ld->reg->alloc, &added, &ld->cap_added,
                                 ld->n_added + 1, sizeof *ld->added);
    ld->added = added;
    if (st != NJ_OK ||
        nj_id_lines_add(&ld->lines, &ld->reg->alloc, id, line_of(ld, feature)) != NJ_OK)
        return nj_fail(ld->reg, NJ_E_NOMEM, "GeoJSON import: out of memory");
    ld->added[ld->n_added++] = id;
    return NJ_OK;
}

static nj_status add_region(loader *ld, const nj_json_value *feature, int64_t id,
                            int32_t level, int64_t parent_id, const char *name,
                            nj_region **out)
{
    size_t earlier = nj_id_lines_find(&ld->lines, id);
    if (earlier != SIZE_MAX)
        return feature_fail(ld, NJ_E_EXISTS, feature,
                            "region %lld appears twice, in the features on lines %zu and %zu",
                            (long long)id, earlier, line_of(ld, feature));
    nj_status st = nj_region_add(ld->reg, id, level, parent_id, name, out);
    if (st == NJ_OK && (st = remember(ld, feature, id)) != NJ_OK)
        nj_region_remove(ld->reg, id);
    else if (st != NJ_OK && st != NJ_E_NOMEM) {
        char reason[NJ_ERRMSG_SIZE];
        memcpy(reason, ld->reg->errmsg, sizeof reason);
        return feature_fail(ld, st, feature, "%s", reason);
    }
    return st == NJ_E_NOMEM ? nj_fail(ld->reg, st, "GeoJSON import: out of memory") : st;
}

/* A province or district shared by many dongs: reused when it exists with
 * the same level and parent, created (without a boundary) otherwise. */
static nj_status ensure_region(loader *ld, const nj_json_value *feature, int64_t id,
                               int32_t level, int64_t parent_id, const char *name)
{
    const nj_region *existing = nj_region_get(ld->reg, id);
    if (!existing)
        return add_region(ld, feature, id, level, parent_id, name, NULL);
    if (existing->level != level || nj_region_parent_id(existing) != parent_id)
        return feature_fail(ld, NJ_E_EXISTS, feature,
                            "region %lld exists with level %d under %lld, not level %d under %lld",
                            (long long)id, (int)existing->level,
                            (long long)nj_region_parent_id(existing), (int)level,
                            (long long)parent_id);
    return NJ_OK;
}

static nj_status set_geometry(loader *ld, const nj_json_value *feature,
                              nj_region *region)
{
    const nj_json_value *geometry = nj_json_get(feature, "geometry"), *where;
    nj_shape *s;
    const char *what = NULL;
    if (!geometry)
        return feature_fail(ld, NJ_E_CORRUPT, feature, "\"geometry\" is missing");
    nj_status st = geometry_shape(geometry, &s, &where, &what);
    if (st != NJ_OK)
        return feature_fail(ld, st, where, "%s", what);
    if (!s)
        return NJ_OK;
    st = nj_region_set_boundary(ld->reg, region, s->n_polygons, s->rings_per_polygon,
                                s->n_rings, s->vertices_per_ring, s->n_vertices,
                                s->latlon);
    if (st == NJ_E_NOMEM)
        return nj_fail(ld->reg, st, "GeoJSON import: out of memory");
    if (st != NJ_OK) {
        char reason[NJ_ERRMSG_SIZE];
        memcpy(reason, ld->reg->errmsg, sizeof reason);
        return feature_fail(ld, st, where, "%s", reason);
    }
    return NJ_OK;
}

/* vuski/admdongkor: a dong under its district under its province. */
static nj_status load_admdong(loader *ld, const nj_json_value *feature,
                              const nj_json_value *props, nj_region **region)
{
    int64_t id, district, province;
    const char *full = NULL, *district_name = NULL, *province_name = NULL;
    nj_status st;
    if ((st = read_code(ld, props, "adm_cd2", 1, &id)) != NJ_OK ||
        (st = read_code(ld, props, "sgg", 1, &district)) != NJ_OK ||
        (st = read_code(ld, props, "sido", 1, &province)) != NJ_OK ||
        (st = read_name(ld, props, "adm_nm", &full)) != NJ_OK ||
        (st = read_name(ld, props, "sggnm", &district_name)) != NJ_OK ||
        (st = read_name(ld, props, "sidonm", &province_name)) != NJ_OK)
        return st;
    /* "광주광역시 광산구 송정1동" -> "송정1동" */
    const char *space = strrchr(full, ' ');
    const char *name = space ? space + 1 : full;
    if (name[0] == '\0')
        return feature_fail(ld, NJ_E_CORRUPT, props, "adm_nm \"%s\" ends with a space", full);
    if ((st = ensure_region(ld, feature, province, NJ_REGION_PROVINCE, 0,
                            province_name)) != NJ_OK ||
        (st = ensure_region(ld, feature, district, NJ_REGION_DISTRICT, province,
                            district_name)) != NJ_OK)
        return st;
    return add_region(ld, feature, id, NJ_REGION_NEIGHBOURHOOD, district, name, region);
}

static nj_status read_level(loader *ld, const nj_json_value *props, int32_t *level)
{
    static const char *const names[] = {"province", "district", "neighbourhood"};
    const nj_json_value *v = nj_json_get(props, "level");
    *level = NJ_REGION_NEIGHBOURHOOD;
    if (!v)
        return NJ_OK;
    for (int32_t l = 1; l <= 3; l++)
        if ((v->type == NJ_JSON_NUMBER && v->u.number == l) ||
            (v->type == NJ_JSON_STRING && strcmp(v->u.string.text, names[l - 1]) == 0)) {
            *level = l;
            return NJ_OK;
        }
    return feature_fail(ld, NJ_E_INVALID, v,
                        "\"level\" must be 1, 2, 3, province, district or neighbourhood");
}

/* The generic layout: id, name, level (default neighbourhood), parent_id. */
static nj_status load_generic(loader *ld, const nj_json_value *feature,
                              const nj_json_value *props, nj_region **region)
{
    int64_t id, parent;
    int32_t level;
    const char *name = NULL;
    nj_status st;
    if ((st = read_code(ld, props, "id", 1, &id)) != NJ_OK ||
        (st = read_name(ld, props, "name", &name)) != NJ_OK ||
        (st = read_level(ld, props, &level)) != NJ_OK ||
        (st = read_code(ld, props, "parent_id", 0, &parent)) != NJ_OK)
        return st;
    return add_region(ld, feature, id, level, parent, name, region);
}

static nj_status load_feature(loader *ld, const nj_json_value *feature)
{
    if (feature->type != NJ_JSON_OBJECT || !nj_json_has_type(feature, "Feature"))
        return feature_fail(ld, NJ_E_CORRUPT, feature,
                            "not an object with \"type\": \"Feature\"");
    const nj_json_value *props = nj_json_get(feature, "properties");
    if (!props || props->type != NJ_JSON_OBJECT)
        return feature_fail(ld, NJ_E_CORRUPT, feature,
                            "\"properties\" is missing or not an object");
    nj_region *region = NULL;
    nj_status st = nj_json_get(props, "adm_cd2") ? load_admdong(ld, feature, props, &region)
                                                 : load_generic(ld, feature, props, &region);
    return st == NJ_OK ? set_geometry(ld, feature, region) : st;
}

static nj_status load_collection(loader *ld, const nj_json_value *doc)
{
    const nj_json_value *features = nj_json_get(doc, "features");
    if (!nj_json_has_type(doc, "FeatureCollection") || !features ||
        features->type != NJ_JSON_ARRAY)
        return feature_fail(ld, NJ_E_CORRUPT, doc,
                            "not a GeoJSON FeatureCollection with a \"features\" array");
    if (features->u.array.count > (uint64_t)ld->reg->import_limits.max_rows)
        return feature_fail(ld, NJ_E_RANGE, features,
                            "%zu features, more than %lld (NJ_OPT_IMPORT_MAX_ROWS)",
                            features->u.array.count,
                            (long long)ld->reg->import_limits.max_rows);
    for (ld->index = 0; ld->index < features->u.array.count; ld->index++) {
        nj_status st = load_feature(ld, &features->u.array.items[ld->index]);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

static nj_status load(nj_registry *reg, const char *text, size_t len, size_t *regions)
{
    nj_json_value doc;
    nj_json_error error;
    nj_status st = nj_json_parse(&reg->alloc, text, len,
                                 (size_t)reg->import_limits.max_field_bytes, &doc, &error);
    if (st != NJ_OK) {
        nj_text_anchor start = {0, 1, 0};
        nj_text_pos pos = nj_text_locate(text, start, error.offset, 0);
        return st == NJ_E_NOMEM
                   ? nj_fail(reg, st, "GeoJSON import: out of memory")
                   : nj_fail(reg, st, "line %zu, column %zu: %s", pos.line, pos.column,
                             error.what);
    }
    loader ld = {reg, text, 0, NULL, 0, 0, {{NULL, 0, 0}, NULL, 0, 0}, {0, 1, 0}};
    nj_id_lines_init(&ld.lines);
    st = load_collection(&ld, &doc);
    if (st != NJ_OK)
        while (ld.n_added > 0) /* newest first: children before parents */
            nj_region_remove(reg, ld.added[--ld.n_added]);
    *regions = ld.n_added;
    nj_alloc_free(&reg->alloc, ld.added);
    nj_id_lines_free(&ld.lines, &reg->alloc);
    nj_json_free(&reg->alloc, &doc);
    return st;
}

nj_status nj_geojson_import_regions(nj_registry *reg, const char *data, size_t len,
                                    size_t *regions)
{
    size_t n = 0;
    if (regions)
        *regions = 0;
    if (!reg)
        return NJ_E_INVALID;
    if (!data)
        return nj_fail(reg, NJ_E_INVALID, "GeoJSON import: data is NULL");
    if (len > (uint64_t)reg->import_limits.max_bytes)
        return nj_fail(reg, NJ_E_RANGE,
                       "input of %zu bytes, over the limit of %lld (NJ_OPT_IMPORT_MAX_BYTES)",
                       len, (long long)reg->import_limits.max_bytes);
    nj_status st = load(reg, data, len, &n);
    if (st == NJ_OK && regions)
        *regions = n;
    return st;
}

nj_status nj_geojson_import_regions_file(nj_registry *reg, const char *path,
                                         size_t *regions)
{
    if (regions)
        *regions = 0;
    if (!reg)
        return NJ_E_INVALID;
    if (!path)
        return nj_fail(reg, NJ_E_INVALID, "GeoJSON import: path is NULL");
    uint8_t *data = NULL;
    size_t len = 0;
    nj_status st = nj_io_load_file(reg, path, &nj_file_ops_posix, "GeoJSON import", &data, &len);
    if (st == NJ_OK)
        st = nj_geojson_import_regions(reg, (const char *)data, len, regions);
    nj_alloc_free(&reg->alloc, data);
    return st;
}
