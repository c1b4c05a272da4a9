/*
 * GeoJSON administrative-dong loader for the examples and tests.
 * See geojson_regions.h.
 *
 * The input is parsed into a small in-memory JSON tree first (a strict
 * RFC 8259 recursive-descent parser with a depth limit), then the tree is
 * walked and turned into regions. Parsing everything before touching the
 * registry keeps syntax errors from ever reaching it.
 */
#include "geojson_regions.h"
#include "text_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a message prefix: a file name and a position. */
#define PREFIX_MAX 512
/* Largest double that is an exact integer with every smaller one: 2^53. */
#define EXACT_INTEGER_MAX 9007199254740992.0

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */
/* ------------------------------------------------------------------------ */

static void vformat(char *err, size_t err_size, const char *prefix,
                    const char *fmt, va_list args)
{
    int used;

    if (!err || err_size == 0)
        return;
    used = snprintf(err, err_size, "%s", prefix);
    if (used >= 0 && (size_t)used < err_size)
        vsnprintf(err + used, err_size - (size_t)used, fmt, args);
}

/* realloc() to `count` items of `size` bytes, refusing size_t overflow. */
static void *resize_array(void *items, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return realloc(items, count * size);
}

/*
 * Grow `items` (which holds *cap items) to twice its capacity, at least
 * `min_cap`. Returns the new block, or NULL with `items` untouched.
 */
static void *grow_array(void *items, size_t *cap, size_t size, size_t min_cap)
{
    size_t new_cap = *cap < min_cap ? min_cap : *cap * 2;
    void *grown;

    if (new_cap < *cap)
        return NULL;
    grown = resize_array(items, new_cap, size);
    if (grown)
        *cap = new_cap;
    return grown;
}

/* ------------------------------------------------------------------------ */
/* JSON tree                                                                */
/* ------------------------------------------------------------------------ */

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_value json_value;
typedef struct json_member json_member;

struct json_value {
    json_type type;
    size_t offset; /* where the value starts in the input, for messages */
    union {
        int boolean;
        double number;
        char *string; /* UTF-8, NUL-terminated, never contains a NUL */
        struct {
            json_value *items;
            size_t count;
        } array;
        struct {
            json_member *members;
            size_t count;
        } object;
    } u;
};

struct json_member {
    char *key;
    json_value value;
};

static void json_free(json_value *value)
{
    size_t i;

    switch (value->type) {
    case JSON_STRING:
        free(value->u.string);
        break;
    case JSON_ARRAY:
        for (i = 0; i < value->u.array.count; i++)
            json_free(&value->u.array.items[i]);
        free(value->u.array.items);
        break;
    case JSON_OBJECT:
        for (i = 0; i < value->u.object.count; i++) {
            free(value->u.object.members[i].key);
            json_free(&value->u.object.members[i].value);
        }
        free(value->u.object.members);
        break;
    case JSON_NULL:
    case JSON_BOOL:
    case JSON_NUMBER:
        break;
    }
    value->type = JSON_NULL;
}

/* The value of `key` in `object` (the first one if repeated), or NULL. */
static const json_value *json_member_get(const json_value *object,
                                         const char *key)
{
    if (!object || object->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->u.object.count; i++) {
        if (strcmp(object->u.object.members[i].key, key) == 0)
            return &object->u.object.members[i].value;
    }
    return NULL;
}

/* Whether object["type"] is the string `type`. */
static int json_has_type(const json_value *object, const char *type)
{
    const json_value *value = json_member_get(object, "type");
    return value && value->type == JSON_STRING &&
           strcmp(value->u.string, type) == 0;
}

/* ------------------------------------------------------------------------ */
/* JSON parser                                                              */
/* ------------------------------------------------------------------------ */

typedef struct json_parser {
    const char *text;
    size_t len;
    size_t pos;
    unsigned depth;
    size_t error_pos;       /* where the first error was found */
    const char *error_what; /* static description of it */
} json_parser;

static nj_status parse_value(json_parser *p, json_value *out);

static nj_status parse_fail(json_parser *p, nj_status status, size_t pos,
                            const char *what)
{
    p->error_pos = pos;
    p->error_what = what;
    return status;
}

static int peek(const json_parser *p)
{
    return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
}

static void skip_whitespace(json_parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/*
 * Length of the well-formed UTF-8 sequence at `s` (Unicode table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (s[0] == 0xE0)
        lo = 0xA0;
    else if (s[0] == 0xED)
        hi = 0x9F;
    else if (s[0] == 0xF0)
        lo = 0x90;
    else if (s[0] == 0xF4)
        hi = 0x8F;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return n;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Read the 4 hex digits of a \u escape at text[i], before `end`. */
static int read_hex4(const char *text, size_t i, size_t end, uint32_t *out)
{
    uint32_t cp = 0;

    if (end - i < 4)
        return 0;
    for (size_t k = i; k < i + 4; k++) {
        char c = text[k];
        uint32_t digit;
        if (c >= '0' && c <= '9')
            digit = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = (uint32_t)(c - 'A' + 10);
        else
            return 0;
        cp = cp * 16 + digit;
    }
    *out = cp;
    return 1;
}

/*
 * Decode the \u escape at text[*i] (pointing at the backslash), joining a
 * surrogate pair, into out + *n.
 */
static nj_status decode_unicode_escape(json_parser *p, size_t *i, size_t end,
                                       char *out, size_t *n)
{
    const char *text = p->text;
    uint32_t cp, low;

    if (!read_hex4(text, *i + 2, end, &cp))
        return parse_fail(p, NJ_E_CORRUPT, *i, "malformed \\u escape");
    *i += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return parse_fail(p, NJ_E_ENCODING, *i - 6, "lone low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - *i < 6 || text[*i] != '\\' || text[*i + 1] != 'u' ||
            !read_hex4(text, *i + 2, end, &low) || low < 0xDC00 ||
            low > 0xDFFF)
            return parse_fail(p, NJ_E_ENCODING, *i - 6,
                              "high surrogate without a low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        *i += 6;
    }
    if (cp == 0)
        return parse_fail(p, NJ_E_ENCODING, *i - 6, "\\u0000 in a string");
    *n += utf8_encode(cp, out + *n);
    return NJ_OK;
}

/* Decode the escape at text[*i] (pointing at the backslash). */
static nj_status decode_escape(json_parser *p, size_t *i, size_t end,
                               char *out, size_t *n)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    char c = p->text[*i + 1];
    const char *hit;

    if (c == 'u')
        return decode_unicode_escape(p, i, end, out, n);
    hit = c ? strchr(from, c) : NULL;
    if (!hit)
        return parse_fail(p, NJ_E_CORRUPT, *i, "unknown escape in string");
    out[(*n)++] = to[hit - from];
    *i += 2;
    return NJ_OK;
}

static nj_status decode_string_body(json_parser *p, size_t start, size_t end,
                                    char *out)
{
    const unsigned char *bytes = (const unsigned char *)p->text;
    size_t i = start;
    size_t n = 0;
    nj_status rc;

    while (i < end) {
        if (bytes[i] == '\\') {
            rc = decode_escape(p, &i, end, out, &n);
            if (rc != NJ_OK)
                return rc;
        } else if (bytes[i] < 0x20) {
            return parse_fail(p, NJ_E_CORRUPT, i,
                              "control character in a string");
        } else {
            size_t k = utf8_sequence_length(bytes + i, end - i);
            if (k == 0)
                return parse_fail(p, NJ_E_ENCODING, i, "invalid UTF-8");
            memcpy(out + n, bytes + i, k);
            n += k;
            i += k;
        }
    }
    out[n] = '\0';
    return NJ_OK;
}

static nj_status parse_string(json_parser *p, char **out)
{
    size_t start = p->pos + 1;
    size_t end = start;
    char *buf;
    nj_status rc;

    /* Find the closing quote first: the decoded text is never longer. */
    while (end < p->len && p->text[end] != '"')
        end += p->text[end] == '\\' ? 2 : 1;
    if (end >= p->len)
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "unterminated string");
    buf = malloc(end - start + 1);
    if (!buf)
        return parse_fail(p, NJ_E_NOMEM, p->pos, "out of memory");
    rc = decode_string_body(p, start, end, buf);
    if (rc != NJ_OK) {
        free(buf);
        return rc;
    }
    p->pos = end + 1;
    *out = buf;
    return NJ_OK;
}

static nj_status parse_number(json_parser *p, json_value *out)
{
    size_t span = text_number_span(p->text + p->pos, p->len - p->pos);
    nj_status rc;

    if (span == 0)
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "expected a JSON value");
    rc = text_parse_double(p->text + p->pos, span, &out->u.number);
    if (rc == NJ_E_RANGE)
        return parse_fail(p, rc, p->pos, "number too large for a double");
    if (rc != NJ_OK)
        return parse_fail(p, rc, p->pos, "number longer than 64 characters");
    out->type = JSON_NUMBER;
    p->pos += span;
    return NJ_OK;
}

static nj_status parse_literal(json_parser *p, const char *word,
                               json_type type, int boolean, json_value *out)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0)
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "expected a JSON value");
    p->pos += n;
    out->type = type;
    out->u.boolean = boolean;
    return NJ_OK;
}

static nj_status enter(json_parser *p)
{
    if (p->depth == GEOJSON_MAX_DEPTH)
        return parse_fail(p, NJ_E_RANGE, p->pos,
                          "arrays and objects nested too deeply");
    p->depth++;
    p->pos++; /* the opening bracket or brace */
    skip_whitespace(p);
    return NJ_OK;
}

/* After an item: ',' means another one follows, `close` ends the list. */
static nj_status next_item(json_parser *p, char close, int *more)
{
    skip_whitespace(p);
    if (peek(p) == ',') {
        p->pos++;
        *more = 1;
        return NJ_OK;
    }
    if (peek(p) == close) {
        p->pos++;
        p->depth--;
        *more = 0;
        return NJ_OK;
    }
    return parse_fail(p, NJ_E_CORRUPT, p->pos,
                      close == ']' ? "expected ',' or ']'"
                                   : "expected ',' or '}'");
}

static nj_status parse_array(json_parser *p, json_value *out)
{
    json_value *items = NULL;
    size_t count = 0, cap = 0;
    int more = 1;
    nj_status rc = enter(p);

    if (rc != NJ_OK)
        return rc;
    if (peek(p) == ']') {
        p->pos++;
        p->depth--;
        more = 0;
    }
    while (more) {
        if (count == cap) {
            json_value *grown = grow_array(items, &cap, sizeof *items, 4);
            if (!grown) {
                rc = parse_fail(p, NJ_E_NOMEM, p->pos, "out of memory");
                break;
            }
            items = grown;
        }
        rc = parse_value(p, &items[count]);
        if (rc != NJ_OK)
            break;
        count++;
        rc = next_item(p, ']', &more);
        if (rc != NJ_OK)
            break;
    }
    out->type = JSON_ARRAY;
    out->u.array.items = items;
    out->u.array.count = count;
    if (rc != NJ_OK)
        json_free(out);
    return rc;
}

static nj_status parse_member(json_parser *p, json_member *member)
{
    nj_status rc;

    skip_whitespace(p);
    if (peek(p) != '"')
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "expected a member name");
    rc = parse_string(p, &member->key);
    if (rc != NJ_OK)
        return rc;
    skip_whitespace(p);
    if (peek(p) != ':') {
        free(member->key);
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "expected ':'");
    }
    p->pos++;
    rc = parse_value(p, &member->value);
    if (rc != NJ_OK)
        free(member->key);
    return rc;
}

static nj_status parse_object(json_parser *p, json_value *out)
{
    json_member *members = NULL;
    size_t count = 0, cap = 0;
    int more = 1;
    nj_status rc = enter(p);

    if (rc != NJ_OK)
        return rc;
    if (peek(p) == '}') {
        p->pos++;
        p->depth--;
        more = 0;
    }
    while (more) {
        if (count == cap) {
            json_member *grown = grow_array(members, &cap, sizeof *members, 4);
            if (!grown) {
                rc = parse_fail(p, NJ_E_NOMEM, p->pos, "out of memory");
                break;
            }
            members = grown;
        }
        rc = parse_member(p, &members[count]);
        if (rc != NJ_OK)
            break;
        count++;
        rc = next_item(p, '}', &more);
        if (rc != NJ_OK)
            break;
    }
    out->type = JSON_OBJECT;
    out->u.object.members = members;
    out->u.object.count = count;
    if (rc != NJ_OK)
        json_free(out);
    return rc;
}

static nj_status parse_value(json_parser *p, json_value *out)
{
    skip_whitespace(p);
    out->offset = p->pos;
    switch (peek(p)) {
    case '{':
        return parse_object(p, out);
    case '[':
        return parse_array(p, out);
    case '"':
        out->type = JSON_STRING;
        return parse_string(p, &out->u.string);
    case 't':
        return parse_literal(p, "true", JSON_BOOL, 1, out);
    case 'f':
        return parse_literal(p, "false", JSON_BOOL, 0, out);
    case 'n':
        return parse_literal(p, "null", JSON_NULL, 0, out);
    case -1:
        return parse_fail(p, NJ_E_CORRUPT, p->pos, "unexpected end of input");
    default:
        return parse_number(p, out);
    }
}

/* 1-based line and byte column of `offset` in `text`. */
static void line_and_column(const char *text, size_t offset, size_t *line,
                            size_t *column)
{
    size_t line_start = 0;

    *line = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            line_start = i + 1;
        }
    }
    *column = offset - line_start + 1;
}

/*
 * The start of every message: "source: line 3, column 9: " or, inside a
 * feature, "source: feature 2 (line 3, column 9): ". `source` may be NULL.
 */
static void location_prefix(char *buf, size_t size, const char *source,
                            const char *text, size_t offset,
                            const size_t *feature)
{
    size_t line, column;
    int used = 0;

    line_and_column(text, offset, &line, &column);
    if (source)
        used = snprintf(buf, size, "%s: ", source);
    if (used < 0 || (size_t)used >= size)
        return;
    if (feature)
        snprintf(buf + used, size - (size_t)used,
                 "feature %zu (line %zu, column %zu): ", *feature, line,
                 column);
    else
        snprintf(buf + used, size - (size_t)used, "line %zu, column %zu: ",
                 line, column);
}

static void format_at(char *err, size_t err_size, const char *source,
                      const char *text, size_t offset, const char *fmt, ...)
{
    char prefix[PREFIX_MAX];
    va_list args;

    location_prefix(prefix, sizeof prefix, source, text, offset, NULL);
    va_start(args, fmt);
    vformat(err, err_size, prefix, fmt, args);
    va_end(args);
}

/* Parse a whole document; a UTF-8 byte-order mark at the start is skipped. */
static nj_status json_parse(const char *source, const char *text, size_t len,
                            json_value *doc, char *err, size_t err_size)
{
    json_parser p = {text, len, 0, 0, 0, NULL};
    nj_status rc;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3;
    rc = parse_value(&p, doc);
    if (rc == NJ_OK) {
        skip_whitespace(&p);
        if (p.pos != len) {
            json_free(doc);
            rc = parse_fail(&p, NJ_E_CORRUPT, p.pos,
                            "unexpected characters after the document");
        }
    }
    if (rc != NJ_OK)
        format_at(err, err_size, source, text, p.error_pos, "%s",
                  p.error_what);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* GeoJSON to regions                                                       */
/* ------------------------------------------------------------------------ */

typedef struct loader {
    nj_registry *reg;
    geojson_feature_fn on_feature;
    void *user;
    const char *source; /* file name for messages, or NULL */
    const char *text;   /* the input, to turn offsets into line:column */
    char *err;
    size_t err_size;
    size_t index;  /* the feature being loaded */
    int64_t *added; /* ids of the regions added so far, for the rollback */
    size_t n_added;
    size_t cap_added;
} loader;

/* What a feature's properties say. */
typedef struct feature_props {
    int64_t id;
    int64_t district_id;
    int64_t province_id;
    const char *full_name;
    const char *short_name;
    const char *district_name;
    const char *province_name;
    int has_centroid;
    double centroid_lat;
    double centroid_lon;
} feature_props;

/* A boundary in the layout nj_region_set_boundary() takes. */
typedef struct boundary {
    uint32_t *rings_per_polygon;
    size_t n_polygons;
    uint32_t *vertices_per_ring;
    size_t n_rings;
    double *latlon;
    size_t n_vertices;
} boundary;

/* Record a failure of the current feature. */
static nj_status feature_fail(loader *ld, nj_status status,
                              const json_value *where, const char *fmt, ...)
{
    char prefix[PREFIX_MAX];
    va_list args;

    location_prefix(prefix, sizeof prefix, ld->source, ld->text,
                    where->offset, &ld->index);
    va_start(args, fmt);
    vformat(ld->err, ld->err_size, prefix, fmt, args);
    va_end(args);
    return status;
}

static nj_status read_code(loader *ld, const json_value *props,
                           const char *key, int64_t *out)
{
    const json_value *value = json_member_get(props, key);

    if (value && value->type == JSON_STRING &&
        text_parse_code(value->u.string, strlen(value->u.string), out) ==
            NJ_OK &&
        *out >= 1)
        return NJ_OK;
    if (value && value->type == JSON_NUMBER && value->u.number >= 1 &&
        value->u.number <= EXACT_INTEGER_MAX &&
        floor(value->u.number) == value->u.number) {
        *out = (int64_t)value->u.number;
        return NJ_OK;
    }
    return feature_fail(ld, NJ_E_CORRUPT, value ? value : props,
                        "property \"%s\" is missing or not a positive code",
                        key);
}

static nj_status read_name(loader *ld, const json_value *props,
                           const char *key, const char **out)
{
    const json_value *value = json_member_get(props, key);

    if (!value || value->type != JSON_STRING || value->u.string[0] == '\0')
        return feature_fail(ld, NJ_E_CORRUPT, value ? value : props,
                            "property \"%s\" is missing or not a non-empty "
                            "string", key);
    *out = value->u.string;
    return NJ_OK;
}

/* Centroid properties are optional, but half a centroid is an error. */
static nj_status read_centroid(loader *ld, const json_value *props,
                               feature_props *fp)
{
    const json_value *lat = json_member_get(props, "centroid_lat");
    const json_value *lon = json_member_get(props, "centroid_lon");

    fp->has_centroid = 0;
    fp->centroid_lat = NAN;
    fp->centroid_lon = NAN;
    if (!lat && !lon)
        return NJ_OK;
    if (!lat || !lon || lat->type != JSON_NUMBER || lon->type != JSON_NUMBER)
        return feature_fail(ld, NJ_E_CORRUPT, lat ? lat : lon,
                            "centroid_lat and centroid_lon must both be "
                            "numbers");
    fp->has_centroid = 1;
    fp->centroid_lat = lat->u.number;
    fp->centroid_lon = lon->u.number;
    return NJ_OK;
}

static nj_status read_props(loader *ld, const json_value *feature,
                            feature_props *fp)
{
    const json_value *props = json_member_get(feature, "properties");
    const char *space;
    nj_status rc;

    if (!props || props->type != JSON_OBJECT)
        return feature_fail(ld, NJ_E_CORRUPT, feature,
                            "\"properties\" is missing or not an object");
    if ((rc = read_code(ld, props, "adm_cd2", &fp->id)) != NJ_OK ||
        (rc = read_code(ld, props, "sgg", &fp->district_id)) != NJ_OK ||
        (rc = read_code(ld, props, "sido", &fp->province_id)) != NJ_OK ||
        (rc = read_name(ld, props, "adm_nm", &fp->full_name)) != NJ_OK ||
        (rc = read_name(ld, props, "sggnm", &fp->district_name)) != NJ_OK ||
        (rc = read_name(ld, props, "sidonm", &fp->province_name)) != NJ_OK)
        return rc;
    /* "광주광역시 광산구 송정1동" -> "송정1동" */
    space = strrchr(fp->full_name, ' ');
    fp->short_name = space ? space + 1 : fp->full_name;
    if (fp->short_name[0] == '\0')
        return feature_fail(ld, NJ_E_CORRUPT, props,
                            "adm_nm \"%s\" ends with a space", fp->full_name);
    return read_centroid(ld, props, fp);
}

/* Add a region and remember it for the rollback. */
static nj_status add_region(loader *ld, const json_value *where, int64_t id,
                            int32_t level, int64_t parent_id, const char *name,
                            nj_region **out)
{
    nj_status rc;

    if (ld->n_added == ld->cap_added) {
        int64_t *grown =
            grow_array(ld->added, &ld->cap_added, sizeof *ld->added, 64);
        if (!grown)
            return feature_fail(ld, NJ_E_NOMEM, where, "out of memory");
        ld->added = grown;
    }
    rc = nj_region_add(ld->reg, id, level, parent_id, name, out);
    if (rc != NJ_OK)
        return feature_fail(ld, rc, where, "adding region %lld \"%s\": %s",
                            (long long)id, name, nj_registry_errmsg(ld->reg));
    ld->added[ld->n_added++] = id;
    return NJ_OK;
}

/* Reuse the province or district `id` if it exists, else add it. */
static nj_status ensure_region(loader *ld, const json_value *where, int64_t id,
                               int32_t level, int64_t parent_id,
                               const char *name)
{
    const nj_region *existing = nj_region_get(ld->reg, id);

    if (!existing)
        return add_region(ld, where, id, level, parent_id, name, NULL);
    if (nj_region_level(existing) != level ||
        nj_region_parent_id(existing) != parent_id)
        return feature_fail(ld, NJ_E_EXISTS, where,
                            "region %lld exists with level %d under %lld, "
                            "not level %d under %lld",
                            (long long)id, (int)nj_region_level(existing),
                            (long long)nj_region_parent_id(existing),
                            (int)level, (long long)parent_id);
    return NJ_OK;
}

static void rollback(loader *ld)
{
    /*
     * Newest first, so children go before their parents. Nothing else can
     * refer to these regions yet, so removal cannot fail with NJ_E_IN_USE.
     */
    while (ld->n_added > 0)
        (void)nj_region_remove(ld->reg, ld->added[--ld->n_added]);
}

static int is_position(const json_value *v)
{
    return v->type == JSON_ARRAY && v->u.array.count >= 2 &&
           v->u.array.items[0].type == JSON_NUMBER &&
           v->u.array.items[1].type == JSON_NUMBER;
}

/* Check one polygon (an array of rings of [lon, lat, ...]) and count it. */
static nj_status count_polygon(loader *ld, const json_value *polygon,
                               size_t *n_rings, size_t *n_vertices)
{
    if (polygon->type != JSON_ARRAY || polygon->u.array.count > UINT32_MAX)
        return feature_fail(ld, NJ_E_CORRUPT, polygon,
                            "a polygon must be an array of rings");
    for (size_t r = 0; r < polygon->u.array.count; r++) {
        const json_value *ring = &polygon->u.array.items[r];
        if (ring->type != JSON_ARRAY || ring->u.array.count > UINT32_MAX)
            return feature_fail(ld, NJ_E_CORRUPT, ring,
                                "a ring must be an array of positions");
        for (size_t v = 0; v < ring->u.array.count; v++) {
            if (!is_position(&ring->u.array.items[v]))
                return feature_fail(ld, NJ_E_CORRUPT,
                                    &ring->u.array.items[v],
                                    "a position must be [lon, lat]");
        }
        *n_vertices += ring->u.array.count;
    }
    *n_rings += polygon->u.array.count;
    return NJ_OK;
}

/* Append a checked polygon to `b`, swapping GeoJSON's lon,lat to lat,lon. */
static void append_polygon(boundary *b, const json_value *polygon)
{
    b->rings_per_polygon[b->n_polygons++] = (uint32_t)polygon->u.array.count;
    for (size_t r = 0; r < polygon->u.array.count; r++) {
        const json_value *ring = &polygon->u.array.items[r];
        b->vertices_per_ring[b->n_rings++] = (uint32_t)ring->u.array.count;
        for (size_t v = 0; v < ring->u.array.count; v++) {
            const json_value *xy = ring->u.array.items[v].u.array.items;
            b->latlon[2 * b->n_vertices] = xy[1].u.number;
            b->latlon[2 * b->n_vertices + 1] = xy[0].u.number;
            b->n_vertices++;
        }
    }
}

static void boundary_free(boundary *b)
{
    free(b->rings_per_polygon);
    free(b->vertices_per_ring);
    free(b->latlon);
}

/*
 * Turn a Polygon or MultiPolygon geometry into `b`. A Polygon's coordinates
 * are one polygon; a MultiPolygon's are an array of them.
 */
static nj_status build_boundary(loader *ld, const json_value *geometry,
                                boundary *b)
{
    const json_value *coords = json_member_get(geometry, "coordinates");
    int multi = json_has_type(geometry, "MultiPolygon");
    size_t n_polygons, n_rings = 0, n_vertices = 0;
    nj_status rc;

    if (!multi && !json_has_type(geometry, "Polygon"))
        return feature_fail(ld, NJ_E_CORRUPT, geometry,
                            "geometry must be a Polygon or a MultiPolygon");
    if (!coords || coords->type != JSON_ARRAY)
        return feature_fail(ld, NJ_E_CORRUPT, geometry,
                            "\"coordinates\" is missing or not an array");
    n_polygons = multi ? coords->u.array.count : 1;
    for (size_t i = 0; i < n_polygons; i++) {
        rc = count_polygon(ld, multi ? &coords->u.array.items[i] : coords,
                           &n_rings, &n_vertices);
        if (rc != NJ_OK)
            return rc;
    }
    b->rings_per_polygon = resize_array(NULL, n_polygons, sizeof(uint32_t));
    b->vertices_per_ring = resize_array(NULL, n_rings, sizeof(uint32_t));
    b->latlon = resize_array(NULL, n_vertices, 2 * sizeof(double));
    if ((n_polygons && !b->rings_per_polygon) ||
        (n_rings && !b->vertices_per_ring) || (n_vertices && !b->latlon))
        return feature_fail(ld, NJ_E_NOMEM, geometry, "out of memory");
    for (size_t i = 0; i < n_polygons; i++)
        append_polygon(b, multi ? &coords->u.array.items[i] : coords);
    return NJ_OK;
}

/* Set the region's boundary; a null geometry leaves it without one. */
static nj_status set_geometry(loader *ld, const json_value *feature,
                              nj_region *region)
{
    const json_value *geometry = json_member_get(feature, "geometry");
    boundary b = {NULL, 0, NULL, 0, NULL, 0};
    nj_status rc;

    if (!geometry)
        return feature_fail(ld, NJ_E_CORRUPT, feature,
                            "\"geometry\" is missing");
    if (geometry->type == JSON_NULL)
        return NJ_OK;
    rc = build_boundary(ld, geometry, &b);
    if (rc == NJ_OK) {
        rc = nj_region_set_boundary(ld->reg, region, b.n_polygons,
                                    b.rings_per_polygon, b.n_rings,
                                    b.vertices_per_ring, b.n_vertices,
                                    b.latlon);
        if (rc != NJ_OK)
            feature_fail(ld, rc, geometry, "boundary of region %lld: %s",
                         (long long)nj_region_id(region),
                         nj_registry_errmsg(ld->reg));
    }
    boundary_free(&b);
    return rc;
}

static nj_status report_feature(loader *ld, const json_value *feature,
                                const feature_props *fp, nj_region *region)
{
    geojson_feature info;
    nj_status rc;

    if (!ld->on_feature)
        return NJ_OK;
    info.index = ld->index;
    info.region = region;
    info.region_id = fp->id;
    info.district_id = fp->district_id;
    info.province_id = fp->province_id;
    info.full_name = fp->full_name;
    info.has_centroid = fp->has_centroid;
    info.centroid_lat = fp->centroid_lat;
    info.centroid_lon = fp->centroid_lon;
    rc = ld->on_feature(&info, ld->user);
    if (rc != NJ_OK)
        feature_fail(ld, rc, feature, "the feature callback stopped the load");
    return rc;
}

static nj_status load_feature(loader *ld, const json_value *feature)
{
    feature_props fp;
    nj_region *region = NULL;
    nj_status rc;

    if (feature->type != JSON_OBJECT || !json_has_type(feature, "Feature"))
        return feature_fail(ld, NJ_E_CORRUPT, feature,
                            "not an object with \"type\": \"Feature\"");
    if ((rc = read_props(ld, feature, &fp)) != NJ_OK ||
        (rc = ensure_region(ld, feature, fp.province_id, NJ_REGION_PROVINCE,
                            0, fp.province_name)) != NJ_OK ||
        (rc = ensure_region(ld, feature, fp.district_id, NJ_REGION_DISTRICT,
                            fp.province_id, fp.district_name)) != NJ_OK ||
        (rc = add_region(ld, feature, fp.id, NJ_REGION_NEIGHBOURHOOD,
                         fp.district_id, fp.short_name, &region)) != NJ_OK ||
        (rc = set_geometry(ld, feature, region)) != NJ_OK)
        return rc;
    return report_feature(ld, feature, &fp, region);
}

static nj_status load_collection(loader *ld, const json_value *doc)
{
    const json_value *features = json_member_get(doc, "features");
    nj_status rc;

    if (!json_has_type(doc, "FeatureCollection") || !features ||
        features->type != JSON_ARRAY) {
        format_at(ld->err, ld->err_size, ld->source, ld->text, doc->offset,
                  "not a GeoJSON FeatureCollection with a \"features\" "
                  "array");
        return NJ_E_CORRUPT;
    }
    for (size_t i = 0; i < features->u.array.count; i++) {
        ld->index = i;
        rc = load_feature(ld, &features->u.array.items[i]);
        if (rc != NJ_OK)
            return rc;
    }
    return NJ_OK;
}

static void format_plain(char *err, size_t err_size, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vformat(err, err_size, "", fmt, args);
    va_end(args);
}

static nj_status load_text(nj_registry *reg, const char *source,
                           const char *text, size_t len,
                           geojson_feature_fn on_feature, void *user,
                           char *err, size_t err_size)
{
    loader ld = {reg, on_feature, user, source, text, err, err_size,
                 0,   NULL,       0,    0};
    json_value doc;
    nj_status rc;

    if (len > GEOJSON_MAX_BYTES) {
        format_plain(err, err_size, "%s%sinput of %zu bytes exceeds the "
                     "limit of %zu", source ? source : "", source ? ": " : "",
                     len, GEOJSON_MAX_BYTES);
        return NJ_E_RANGE;
    }
    rc = json_parse(source, text, len, &doc, err, err_size);
    if (rc != NJ_OK)
        return rc;
    rc = load_collection(&ld, &doc);
    if (rc != NJ_OK)
        rollback(&ld);
    free(ld.added);
    json_free(&doc);
    return rc;
}

nj_status geojson_regions_load_buffer(nj_registry *reg, const char *text,
                                      size_t len,
                                      geojson_feature_fn on_feature,
                                      void *user, char *err, size_t err_size)
{
    if (err && err_size > 0)
        err[0] = '\0';
    if (!reg || !text) {
        format_plain(err, err_size, "registry and text must not be NULL");
        return NJ_E_INVALID;
    }
    return load_text(reg, NULL, text, len, on_feature, user, err, err_size);
}

nj_status geojson_regions_load_file(nj_registry *reg, const char *path,
                                    geojson_feature_fn on_feature, void *user,
                                    char *err, size_t err_size)
{
    char *text;
    size_t len;
    nj_status rc;

    if (err && err_size > 0)
        err[0] = '\0';
    if (!reg || !path) {
        format_plain(err, err_size, "registry and path must not be NULL");
        return NJ_E_INVALID;
    }
    rc = text_read_file(path, GEOJSON_MAX_BYTES, &text, &len);
    if (rc == NJ_E_IO)
        format_plain(err, err_size, "%s: %s", path, strerror(errno));
    else if (rc == NJ_E_RANGE)
        format_plain(err, err_size, "%s: larger than %zu bytes", path,
                     GEOJSON_MAX_BYTES);
    else if (rc == NJ_E_NOMEM)
        format_plain(err, err_size, "%s: out of memory", path);
    if (rc != NJ_OK)
        return rc;
    rc = load_text(reg, path, text, len, on_feature, user, err, err_size);
    free(text);
    return rc;
}
