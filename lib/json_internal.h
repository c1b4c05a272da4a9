/*
 * A strict RFC 8259 parser building a small tree, for GeoJSON.
 *
 * Every member named "coordinates" whose value is an array is stored
 * compactly as a nested-array shape (positions, rings, polygons, a
 * multipolygon) with flat vertex arrays in the layout
 * nj_region_set_boundary() takes, so a country's boundaries do not cost a
 * tree node per number.
 */
#ifndef NJ_JSON_INTERNAL_H
#define NJ_JSON_INTERNAL_H

#include "shape_internal.h"

/* Deepest nesting of arrays and objects. */
#define NJ_JSON_MAX_DEPTH 64

typedef enum nj_json_type {
    NJ_JSON_NULL,
    NJ_JSON_BOOL,
    NJ_JSON_NUMBER,
    NJ_JSON_STRING,
    NJ_JSON_ARRAY,
    NJ_JSON_OBJECT,
    NJ_JSON_COORDS
} nj_json_type;

/* Shape of a "coordinates" array, counted from its innermost arrays. */
enum nj_coords_kind {
    NJ_COORDS_EMPTY = -1,       /* [] */
    NJ_COORDS_POSITION = 0,     /* [lon, lat] */
    NJ_COORDS_RING = 1,
    NJ_COORDS_POLYGON = 2,
    NJ_COORDS_MULTIPOLYGON = 3
};

/* Vertices as (lat, lon) pairs: GeoJSON's [lon, lat] swapped. */
typedef struct nj_json_coords {
    int kind;
    nj_shape shape;
} nj_json_coords;

typedef struct nj_json_value nj_json_value;
typedef struct nj_json_member nj_json_member;

struct nj_json_value {
    nj_json_type type;
    size_t offset; /* where the value starts in the input */
    union {
        int boolean;
        double number;
        struct {
            char *text; /* UTF-8, NUL-terminated, no NUL inside */
            size_t len;
        } string;
        struct {
            nj_json_value *items;
            size_t count;
        } array;
        struct {
            nj_json_member *members;
            size_t count;
        } object;
        nj_json_coords *coords;
    } u;
};

struct nj_json_member {
    char *key;
    nj_json_value value;
};

/* Where and why parsing failed. */
typedef struct nj_json_error {
    nj_status status;
    size_t offset;
    const char *what; /* static text */
} nj_json_error;

/*
 * Parses a whole document (a UTF-8 byte-order mark at the start is
 * skipped). Strings longer than `max_string` bytes are refused.
 * @return NJ_OK; NJ_E_CORRUPT (not JSON); NJ_E_ENCODING (invalid UTF-8,
 *         \u0000, a lone surrogate); NJ_E_RANGE (nesting, a number, a
 *         string over the limit); NJ_E_NOMEM. On failure *error says where.
 */
nj_status nj_json_parse(const nj_alloc *a, const char *text, size_t len,
                        size_t max_string, nj_json_value *out,
                        nj_json_error *error);

void nj_json_free(const nj_alloc *a, nj_json_value *value);

/* The value of `key` in an object (the first if repeated), or NULL. */
const nj_json_value *nj_json_get(const nj_json_value *object, const char *key);

/* Whether object["type"] is the string `type`. */
int nj_json_has_type(const nj_json_value *object, const char *type);

#endif
