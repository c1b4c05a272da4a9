#include "json_internal.h"

#include <string.h>

#include "number_internal.h"
#include "text_internal.h"

typedef struct parser {
    const nj_alloc *alloc;
    const char *text;
    size_t len, pos;
    unsigned depth;
    size_t max_string;
    nj_json_error *error;
} parser;

static nj_status parse_value(parser *p, nj_json_value *out);

static nj_status fail(parser *p, nj_status status, size_t offset,
                      const char *what)
{
    p->error->status = status;
    p->error->offset = offset;
    p->error->what = what;
    return status;
}

static int peek(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
}

static void skip_whitespace(parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        p->pos++;
    }
}

/* Makes room for item `count` in *items (capacity *cap). */
static nj_status grow(parser *p, void **items, size_t *cap, size_t count,
                      size_t size)
{
    if (nj_alloc_grow(p->alloc, items, cap, count + 1, size) != NJ_OK)
        return fail(p, NJ_E_NOMEM, p->pos, "out of memory");
    return NJ_OK;
}

/* ---- strings ------------------------------------------------------------- */

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

/* The 4 hex digits of a \u escape at text[i], before `end`. */
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

/* Decodes the \u escape at text[*i] (the backslash), joining a surrogate
 * pair. */
static nj_status decode_unicode(parser *p, size_t *i, size_t end, char *out,
                                size_t *n)
{
    const char *text = p->text;
    size_t at = *i;
    uint32_t cp, low;
    if (!read_hex4(text, at + 2, end, &cp))
        return fail(p, NJ_E_CORRUPT, at, "malformed \\u escape");
    *i += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(p, NJ_E_ENCODING, at, "lone low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - *i < 6 || text[*i] != '\\' || text[*i + 1] != 'u' ||
            !read_hex4(text, *i + 2, end, &low) || low < 0xDC00 || low > 0xDFFF)
            return fail(p, NJ_E_ENCODING, at,
                        "high surrogate without a low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        *i += 6;
    }
    if (cp == 0)
        return fail(p, NJ_E_ENCODING, at, "\\u0000 in a string");
    *n += utf8_encode(cp, out + *n);
    return NJ_OK;
}

static nj_status decode_escape(parser *p, size_t *i, size_t end, char *out,
                               size_t *n)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    char c = *i + 1 < end ? p->text[*i + 1] : '\0';
    const char *hit = c ? strchr(from, c) : NULL;
    if (c == 'u')
        return decode_unicode(p, i, end, out, n);
    if (!hit)
        return fail(p, NJ_E_CORRUPT, *i, "unknown escape in a string");
    out[(*n)++] = to[hit - from];
    *i += 2;
    return NJ_OK;
}

/* Copies a run of plain characters [*i, next backslash or end). */
static nj_status copy_run(parser *p, size_t *i, size_t end, char *out,
                          size_t *n)
{
    size_t from = *i, bad;
    while (*i < end && p->text[*i] != '\\') {
        if ((unsigned char)p->text[*i] < 0x20)
            return fail(p, NJ_E_CORRUPT, *i, "control character in a string");
        (*i)++;
    }
    if (!nj_utf8_is_valid(p->text + from, *i - from, &bad))
        return fail(p, NJ_E_ENCODING, from + bad, "invalid UTF-8 in a string");
    memcpy(out + *n, p->text + from, *i - from);
    *n += *i - from;
    return NJ_OK;
}

static nj_status parse_string(parser *p, nj_json_value *out)
{
    size_t start = p->pos + 1, end = start;
    /* Find the closing quote first: the decoded text is never longer. */
    while (end < p->len && p->text[end] != '"')
        end += p->text[end] == '\\' ? 2 : 1;
    if (end >= p->len)
        return fail(p, NJ_E_CORRUPT, p->pos, "unterminated string");
    if (end - start > p->max_string)
        return fail(p, NJ_E_RANGE, p->pos,
                    "string longer than the limit (NJ_OPT_IMPORT_MAX_FIELD_BYTES)");
    char *buf = nj_alloc_malloc(p->alloc, end - start + 1);
    if (!buf)
        return fail(p, NJ_E_NOMEM, p->pos, "out of memory");
    size_t i = start, n = 0;
    nj_status st = NJ_OK;
    while (i < end && st == NJ_OK)
        st = p->text[i] == '\\' ? decode_escape(p, &i, end, buf, &n)
                                : copy_run(p, &i, end, buf, &n);
    if (st != NJ_OK) {
        nj_alloc_free(p->alloc, buf);
        return st;
    }
    buf[n] = '\0';
    p->pos = end + 1;
    out->type = NJ_JSON_STRING;
    out->u.string.text = buf;
    out->u.string.len = n;
    return NJ_OK;
}

/* ---- numbers and literals ------------------------------------------------ */

static nj_status parse_number(parser *p, double *out)
{
    size_t span = nj_number_span(p->text + p->pos, p->len - p->pos, NJ_NUMBER_JSON);
    if (span == 0)
        return fail(p, NJ_E_CORRUPT, p->pos, "expected a JSON value");
    nj_status st = nj_number_parse_double(p->text + p->pos, span, NJ_NUMBER_JSON, out);
    if (st != NJ_OK)
        return fail(p, st, p->pos,
                    "number out of range (more than 40 significant digits, "
                    "or magnitude outside [1e-300, 1e300))");
    p->pos += span;
    return NJ_OK;
}

static nj_status parse_literal(parser *p, const char *word, nj_json_type type,
                               int boolean, nj_json_value *out)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0)
        return fail(p, NJ_E_CORRUPT, p->pos, "expected a JSON value");
    p->pos += n;
    out->type = type;
    out->u.boolean = boolean;
    return NJ_OK;
}

/* ---- arrays and objects -------------------------------------------------- */

static nj_status enter(parser *p)
{
    if (p->depth == NJ_JSON_MAX_DEPTH)
        return fail(p, NJ_E_RANGE, p->pos, "arrays and objects nested too deeply");
    p->depth++;
    p->pos++; /* the opening bracket or brace */
    skip_whitespace(p);
    return NJ_OK;
}

/* Before the first item: `close` at once means an empty list. */
static int empty_list(parser *p, char close)
{
    if (peek(p) != close)
        return 0;
    p->pos++;
    p->depth--;
    return 1;
}

/* After an item: ',' means another one follows, `close` ends the list. */
static nj_status next_item(parser *p, char close, int *more)
{
    skip_whitespace(p);
    if (peek(p) == ',' || peek(p) == close) {
        *more = peek(p) == ',';
        p->pos++;
        p->depth -= !*more;
        return NJ_OK;
    }
    return fail(p, NJ_E_CORRUPT, p->pos,
                close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
}

static nj_status parse_array(parser *p, nj_json_value *out)
{
    size_t cap = 0;
    int more = 1;
    nj_status st = enter(p);
    out->type = NJ_JSON_ARRAY;
    out->u.array.items = NULL;
    out->u.array.count = 0;
    if (st != NJ_OK || empty_list(p, ']'))
        return st;
    while (more) {
        void *items = out->u.array.items;
        st = grow(p, &items, &cap, out->u.array.count, sizeof *out->u.array.items);
        out->u.array.items = items;
        if (st != NJ_OK ||
            (st = parse_value(p, &out->u.array.items[out->u.array.count])) != NJ_OK)
            break;
        out->u.array.count++;
        if ((st = next_item(p, ']', &more)) != NJ_OK)
            break;
    }
    if (st != NJ_OK)
        nj_json_free(p->alloc, out);
    return st;
}

/* ---- coordinates --------------------------------------------------------- */

/* Shape growth failures: out of memory, or a count over 32 bits. */
static nj_status shape_fail(parser *p, nj_status st)
{
    return st == NJ_OK ? st
                       : fail(p, st, p->pos,
                              st == NJ_E_NOMEM ? "out of memory"
                                               : "too many items in coordinates");
}

/* [lon, lat, ...]: the first two numbers; an altitude is ignored. */
static nj_status parse_position(parser *p, nj_json_coords *c)
{
    double xy[2];
    size_t n = 0;
    int more = 1;
    nj_status st = NJ_OK;
    while (more && st == NJ_OK) {
        skip_whitespace(p);
        double v;
        if ((st = parse_number(p, &v)) != NJ_OK)
            break;
        if (n < 2)
            xy[n] = v;
        n++;
        st = next_item(p, ']', &more);
    }
    if (st == NJ_OK && n < 2)
        return fail(p, NJ_E_CORRUPT, p->pos, "a position needs a longitude and a latitude");
    if (st != NJ_OK)
        return st;
    return shape_fail(p, nj_shape_add_vertex(&c->shape, p->alloc, xy[1], xy[0]));
}

static nj_status parse_coords_array(parser *p, nj_json_coords *c, int *kind);

/* The items of an array of arrays, all of one kind; records rings and
 * polygons as they close. */
static nj_status parse_coords_list(parser *p, nj_json_coords *c, int *kind)
{
    size_t count = 0;
    int child = NJ_COORDS_EMPTY, more = 1;
    nj_status st = NJ_OK;
    while (more && st == NJ_OK) {
        skip_whitespace(p);
        size_t at = p->pos;
        int k;
        if (peek(p) != '[')
            return fail(p, NJ_E_CORRUPT, at, "expected an array in coordinates");
        if ((st = parse_coords_array(p, c, &k)) != NJ_OK)
            return st;
        if (k == NJ_COORDS_EMPTY || (count > 0 && k != child))
            return fail(p, NJ_E_CORRUPT, at,
                        "coordinates mix nesting depths or hold an empty array");
        child = k;
        count++;
        st = next_item(p, ']', &more);
    }
    if (st != NJ_OK)
        return st;
    if (child == NJ_COORDS_MULTIPOLYGON)
        return fail(p, NJ_E_CORRUPT, p->pos, "coordinates nested deeper than a MultiPolygon");
    if (child == NJ_COORDS_POSITION)
        st = nj_shape_add_ring(&c->shape, p->alloc, count);
    else if (child == NJ_COORDS_RING)
        st = nj_shape_add_polygon(&c->shape, p->alloc, count);
    *kind = child + 1;
    return shape_fail(p, st);
}

static nj_status parse_coords_array(parser *p, nj_json_coords *c, int *kind)
{
    nj_status st = enter(p);
    if (st != NJ_OK)
        return st;
    if (empty_list(p, ']')) {
        *kind = NJ_COORDS_EMPTY;
        return NJ_OK;
    }
    if (peek(p) != '[') {
        *kind = NJ_COORDS_POSITION;
        return parse_position(p, c);
    }
    return parse_coords_list(p, c, kind);
}

static void coords_free(const nj_alloc *a, nj_json_coords *c)
{
    if (!c)
        return;
    nj_shape_free(&c->shape, a);
    nj_alloc_free(a, c);
}

static nj_status parse_coords(parser *p, nj_json_value *out)
{
    nj_json_coords *c = nj_alloc_malloc(p->alloc, sizeof *c);
    if (!c)
        return fail(p, NJ_E_NOMEM, p->pos, "out of memory");
    memset(c, 0, sizeof *c);
    nj_status st = parse_coords_array(p, c, &c->kind);
    if (st != NJ_OK) {
        coords_free(p->alloc, c);
        return st;
    }
    out->type = NJ_JSON_COORDS;
    out->u.coords = c;
    return NJ_OK;
}

static nj_status parse_member(parser *p, nj_json_member *member)
{
    nj_json_value key;
    skip_whitespace(p);
    if (peek(p) != '"')
        return fail(p, NJ_E_CORRUPT, p->pos, "expected a member name");
    nj_status st = parse_string(p, &key);
    if (st != NJ_OK)
        return st;
    member->key = key.u.string.text;
    skip_whitespace(p);
    if (peek(p) != ':') {
        nj_alloc_free(p->alloc, member->key);
        return fail(p, NJ_E_CORRUPT, p->pos, "expected ':'");
    }
    p->pos++;
    skip_whitespace(p);
    member->value.offset = p->pos;
    st = strcmp(member->key, "coordinates") == 0 && peek(p) == '['
             ? parse_coords(p, &member->value)
             : parse_value(p, &member->value);
    if (st != NJ_OK)
        nj_alloc_free(p->alloc, member->key);
    return st;
}

static nj_status parse_object(parser *p, nj_json_value *out)
{
    size_t cap = 0;
    int more = 1;
    nj_status st = enter(p);
    out->type = NJ_JSON_OBJECT;
    out->u.object.members = NULL;
    out->u.object.count = 0;
    if (st != NJ_OK || empty_list(p, '}'))
        return st;
    while (more) {
        void *members = out->u.object.members;
        st = grow(p, &members, &cap, out->u.object.count, sizeof *out->u.object.members);
        out->u.object.members = members;
        if (st != NJ_OK ||
            (st = parse_member(p, &out->u.object.members[out->u.object.count])) != NJ_OK)
            break;
        out->u.object.count++;
        if ((st = next_item(p, '}', &more)) != NJ_OK)
            break;
    }
    if (st != NJ_OK)
        nj_json_free(p->alloc, out);
    return st;
}

static nj_status parse_value(parser *p, nj_json_value *out)
{
    skip_whitespace(p);
    out->offset = p->pos;
    out->type = NJ_JSON_NULL;
    switch (peek(p)) {
    case '{': return parse_object(p, out);
    case '[': return parse_array(p, out);
    case '"': return parse_string(p, out);
    case 't': return parse_literal(p, "true", NJ_JSON_BOOL, 1, out);
    case 'f': return parse_literal(p, "false", NJ_JSON_BOOL, 0, out);
    case 'n': return parse_literal(p, "null", NJ_JSON_NULL, 0, out);
    case -1: return fail(p, NJ_E_CORRUPT, p->pos, "unexpected end of input");
    default:
        out->type = NJ_JSON_NUMBER;
        return parse_number(p, &out->u.number);
    }
}

/* ---- the tree ------------------------------------------------------------ */

nj_status nj_json_parse(const nj_alloc *a, const char *text, size_t len,
                        size_t max_string, nj_json_value *out,
                        nj_json_error *error)
{
    parser p = {a, text, len, 0, 0, max_string, error};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3;
    nj_status st = parse_value(&p, out);
    if (st != NJ_OK)
        return st;
    skip_whitespace(&p);
    if (p.pos != len) {
        nj_json_free(a, out);
        return fail(&p, NJ_E_CORRUPT, p.pos, "unexpected characters after the document");
    }
    return NJ_OK;
}

void nj_json_free(const nj_alloc *a, nj_json_value *value)
{
    switch (value->type) {
    case NJ_JSON_STRING:
        nj_alloc_free(a, value->u.string.text);
        break;
    case NJ_JSON_ARRAY:
        for (size_t i = 0; i < value->u.array.count; i++)
            nj_json_free(a, &value->u.array.items[i]);
        nj_alloc_free(a, value->u.array.items);
        break;
    case NJ_JSON_OBJECT:
        for (size_t i = 0; i < value->u.object.count; i++) {
            nj_alloc_free(a, value->u.object.members[i].key);
            nj_json_free(a, &value->u.object.members[i].value);
        }
        nj_alloc_free(a, value->u.object.members);
        break;
    case NJ_JSON_COORDS:
        coords_free(a, value->u.coords);
        break;
    case NJ_JSON_NULL:
    case NJ_JSON_BOOL:
    case NJ_JSON_NUMBER:
        break;
    }
    value->type = NJ_JSON_NULL;
}

const nj_json_value *nj_json_get(const nj_json_value *object, const char *key)
{
    if (!object || object->type != NJ_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->u.object.count; i++)
        if (strcmp(object->u.object.members[i].key, key) == 0)
            return &object->u.object.members[i].value;
    return NULL;
}

int nj_json_has_type(const nj_json_value *object, const char *type)
{
    const nj_json_value *value = nj_json_get(object, "type");
    return value && value->type == NJ_JSON_STRING &&
           strcmp(value->u.string.text, type) == 0;
}
