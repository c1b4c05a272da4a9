/*
 * The shared half of every CSV import: header, cells, the two passes and
 * the rollback.
 *
 * Pass 1 reads every row, parses every cell and runs the schema's checks
 * across rows (duplicate ids), touching nothing. Pass 2 reads the same rows
 * again (parsing is deterministic, so only allocation can fail anew) and
 * applies them one by one through the library's own functions; a failure
 * undoes the applied rows newest first, so the registry ends as it began.
 */
#include "io_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number_internal.h"
#include "text_internal.h"
#include "wkt_internal.h"

/* ---- messages ------------------------------------------------------------ */

static size_t column_of_field(const nj_io_import *im, size_t field)
{
    for (size_t c = 0; c < im->schema->n_columns; c++)
        if (im->field_of && im->field_of[c] == field)
            return c;
    return SIZE_MAX;
}

nj_text_pos nj_io_position(const nj_io_import *im, size_t column)
{
    const nj_csv_reader *r = &im->reader;
    size_t f = column < im->schema->n_columns ? im->field_of[column] : SIZE_MAX;
    if (f == SIZE_MAX || f >= r->n_fields)
        f = 0;
    return nj_csv_position(r, f, r->fields[f].start.offset);
}

static nj_status out_of_memory(nj_io_import *im)
{
    return nj_fail(im->reg, NJ_E_NOMEM, "%s import: out of memory", im->schema->what);
}

/* "line L, column C (name): reason"; the name when the column is known. */
static nj_status fail_at(nj_io_import *im, nj_status status, nj_text_pos pos,
                         size_t column, const char *reason)
{
    char name[64] = "";
    if (column < im->schema->n_columns)
        snprintf(name, sizeof name, " (%s)", im->schema->columns[column].name);
    return nj_fail(im->reg, status, "line %zu, column %zu%s: %s", pos.line,
                   pos.column, name, reason);
}

nj_status nj_io_fail(nj_io_import *im, nj_status status, size_t column,
                     const char *fmt, ...)
{
    char reason[NJ_ERRMSG_SIZE];
    va_list args;
    va_start(args, fmt);
    vsnprintf(reason, sizeof reason, fmt, args);
    va_end(args);
    return fail_at(im, status, nj_io_position(im, column), column, reason);
}

nj_status nj_io_fail_call(nj_io_import *im, nj_status status)
{
    if (status == NJ_E_NOMEM)
        return out_of_memory(im);
    char reason[NJ_ERRMSG_SIZE];
    memcpy(reason, im->reg->errmsg, sizeof reason);
    return nj_io_fail(im, status, im->fail_column, "%s", reason);
}

static nj_status reader_failed(nj_io_import *im)
{
    const nj_csv_error *e = &im->reader.error;
    if (e->status == NJ_E_NOMEM)
        return out_of_memory(im);
    char reason[NJ_ERRMSG_SIZE];
    snprintf(reason, sizeof reason, "%s%s", e->reason,
             im->cp949 ? " (in the text converted from CP949)" : "");
    return fail_at(im, e->status, e->pos, column_of_field(im, e->field), reason);
}

void nj_id_lines_init(nj_id_lines *s)
{
    nj_id_map_init(&s->map);
    s->items = NULL;
    s->count = s->cap = 0;
}

void nj_id_lines_free(nj_id_lines *s, const nj_alloc *a)
{
    nj_id_map_free(&s->map, a);
    nj_alloc_free(a, s->items);
    nj_id_lines_init(s);
}

static nj_id_records id_line_records(const nj_id_lines *s)
{
    return (nj_id_records){s->items, sizeof *s->items};
}

size_t nj_id_lines_find(const nj_id_lines *s, int64_t id)
{
    size_t at = nj_id_map_find(&s->map, id_line_records(s), id);
    return at == SIZE_MAX ? SIZE_MAX : s->items[at].line;
}

nj_status nj_id_lines_add(nj_id_lines *s, const nj_alloc *a, int64_t id, size_t line)
{
    void *items = s->items;
    nj_status st = nj_alloc_grow(a, &items, &s->cap, s->count + 1, sizeof *s->items);
    s->items = items;
    if (st != NJ_OK ||
        (st = nj_id_map_reserve(&s->map, a, id_line_records(s), 1)) != NJ_OK)
        return st;
    s->items[s->count] = (nj_id_line){id, line};
    nj_id_map_insert_next(&s->map, id_line_records(s));
    s->count++;
    return NJ_OK;
}

nj_status nj_io_check_unique(nj_io_import *im, size_t column, int64_t id)
{
    size_t f = im->field_of[column] != SIZE_MAX ? im->field_of[column] : 0;
    size_t line = im->reader.fields[f].start.line;
    size_t earlier = nj_id_lines_find(&im->seen, id);
    if (earlier != SIZE_MAX)
        return nj_io_fail(im, NJ_E_EXISTS, column,
                          "%s %lld appears twice in the file, on lines %zu and %zu",
                          im->schema->what, (long long)id, earlier, line);
    if (nj_id_lines_add(&im->seen, &im->reg->alloc, id, line) != NJ_OK)
        return out_of_memory(im);
    return NJ_OK;
}

nj_status nj_io_remember_key(nj_io_import *im, int64_t a, int64_t b, size_t column)
{
    void *items = im->keys;
    nj_status st = nj_alloc_grow(&im->reg->alloc, &items, &im->key_cap, im->key_count + 1,
                                 sizeof *im->keys);
    im->keys = items;
    if (st != NJ_OK)
        return out_of_memory(im);
    im->keys[im->key_count++] = (nj_io_key){a, b, nj_io_position(im, column)};
    return NJ_OK;
}

static int compare_keys(const void *x, const void *y)
{
    const nj_io_key *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->pos.line > q->pos.line) - (p->pos.line < q->pos.line);
}

const nj_io_key *nj_io_duplicate_key(nj_io_import *im, const nj_io_key **first)
{
    const nj_io_key *second = NULL;
    if (im->key_count < 2)
        return NULL;
    qsort(im->keys, im->key_count, sizeof *im->keys, compare_keys);
    for (size_t i = 1; i < im->key_count; i++)
        if (im->keys[i].a == im->keys[i - 1].a && im->keys[i].b == im->keys[i - 1].b &&
            (!second || im->keys[i].pos.line < second->pos.line)) {
            second = &im->keys[i];
            *first = &im->keys[i - 1];
        }
    return second;
}

/* ---- the header ---------------------------------------------------------- */

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII letters match in any case; everything else byte for byte. */
static int same_word(const char *text, size_t len, const char *word, size_t word_len)
{
    if (len != word_len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (ascii_lower((unsigned char)text[i]) != ascii_lower((unsigned char)word[i]))
            return 0;
    return 1;
}

static void trim(const char **text, size_t *len)
{
    while (*len > 0 && (**text == ' ' || **text == '\t')) {
        (*text)++;
        (*len)--;
    }
    while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
        (*len)--;
}

/* Whether a header cell names the column (its name or an alias). */
static int names_column(const char *text, size_t len, const nj_io_column *col)
{
    if (same_word(text, len, col->name, strlen(col->name)))
        return 1;
    for (const char *a = col->aliases; a && *a;) {
        const char *end = strchr(a, '|');
        size_t n = end ? (size_t)(end - a) : strlen(a);
        if (same_word(text, len, a, n))
            return 1;
        a += end ? n + 1 : n;
    }
    return 0;
}

static nj_status map_header_cell(nj_io_import *im, size_t f)
{
    const nj_csv_field *cell = &im->reader.fields[f];
    const char *text = cell->text;
    size_t len = cell->len;
    trim(&text, &len);
    for (size_t c = 0; c < im->schema->n_columns; c++) {
        if (!names_column(text, len, &im->schema->columns[c]))
            continue;
        if (im->field_of[c] != SIZE_MAX) {
            nj_text_pos pos = nj_csv_position(&im->reader, f, cell->start.offset);
            char reason[160];
            snprintf(reason, sizeof reason,
                     "header cells %zu and %zu both name column %s",
                     im->field_of[c] + 1, f + 1, im->schema->columns[c].name);
            return fail_at(im, NJ_E_CORRUPT, pos, SIZE_MAX, reason);
        }
        im->field_of[c] = f;
        return NJ_OK;
    }
    return NJ_OK; /* an unknown column: ignored */
}

static nj_status check_required_columns(nj_io_import *im)
{
    for (size_t c = 0; c < im->schema->n_columns; c++) {
        const nj_io_column *col = &im->schema->columns[c];
        if (im->field_of[c] != SIZE_MAX || !(col->flags & NJ_IO_REQUIRED) ||
            ((col->flags & NJ_IO_AUTO_ID) && im->schema->max_id))
            continue;
        return nj_fail(im->reg, NJ_E_CORRUPT,
                       "line 1: required column %s is missing%s%s%s", col->name,
                       col->aliases ? " (also accepted: " : "",
                       col->aliases ? col->aliases : "", col->aliases ? ")" : "");
    }
    return NJ_OK;
}

static nj_status read_header(nj_io_import *im)
{
    if (nj_csv_read_record(&im->reader) != NJ_OK)
        return reader_failed(im);
    if (im->reader.n_fields == 0)
        return nj_fail(im->reg, NJ_E_CORRUPT,
                       "line 1: no header row (the file is empty)");
    im->header_fields = im->reader.n_fields;
    for (size_t f = 0; f < im->reader.n_fields; f++) {
        nj_status st = map_header_cell(im, f);
        if (st != NJ_OK)
            return st;
    }
    return check_required_columns(im);
}

/* ---- cells --------------------------------------------------------------- */

/* How much of a bad cell a message quotes. */
static int shown(size_t len)
{
    return len < 60 ? (int)len : 60;
}

static nj_status parse_integer(nj_io_import *im, size_t c, const char *s,
                               size_t len, int64_t lo, int64_t hi, int64_t *out)
{
    nj_status st = nj_number_parse_int64(s, len, out);
    if (st == NJ_E_CORRUPT)
        return nj_io_fail(im, st, c, "\"%.*s\" is not an integer", shown(len), s);
    if (st != NJ_OK || *out < lo || *out > hi)
        return nj_io_fail(im, NJ_E_RANGE, c, "%.*s outside [%lld, %lld]", shown(len), s,
                          (long long)lo, (long long)hi);
    return NJ_OK;
}

static nj_status parse_real(nj_io_import *im, size_t c, const char *s, size_t len,
                            double lo, double hi, double *out)
{
    nj_status st = nj_number_parse_double(s, len, NJ_NUMBER_LENIENT, out);
    if (st == NJ_E_CORRUPT)
        return nj_io_fail(im, st, c,
                          "\"%.*s\" is not a decimal number (no inf, nan, hex or "
                          "thousands separators)", shown(len), s);
    if (st != NJ_OK || *out < lo || *out > hi)
        return nj_io_fail(im, NJ_E_RANGE, c, "%.*s outside [%g, %g]", shown(len), s, lo, hi);
    return NJ_OK;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* YYYYMMDD or YYYY-MM-DD. */
static nj_status parse_date(nj_io_import *im, size_t c, const char *s, size_t len,
                            int64_t *out)
{
    char digits[8];
    if (len == 8 && all_digits(s, 8)) {
        memcpy(digits, s, 8);
    } else if (len == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
               all_digits(s + 5, 2) && all_digits(s + 8, 2)) {
        memcpy(digits, s, 4);
        memcpy(digits + 4, s + 5, 2);
        memcpy(digits + 6, s + 8, 2);
    } else {
        return nj_io_fail(im, NJ_E_CORRUPT, c,
                          "\"%.*s\" is not a date (YYYYMMDD or YYYY-MM-DD)", shown(len), s);
    }
    int32_t date = 0;
    for (int i = 0; i < 8; i++)
        date = date * 10 + (digits[i] - '0');
    if (!nj_date_is_valid(date))
        return nj_io_fail(im, NJ_E_INVALID, c,
                          "%.*s is not a calendar date between 1900-01-01 and 2999-12-31",
                          shown(len), s);
    *out = date;
    return NJ_OK;
}

static int word_matches(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (word[0] == '*')
        return len >= n - 1 && memcmp(s + len - (n - 1), word + 1, n - 1) == 0;
    return same_word(s, len, word, n);
}

static nj_status parse_enum(nj_io_import *im, size_t c, const char *s, size_t len,
                            int64_t *out)
{
    const nj_io_column *col = &im->schema->columns[c];
    int64_t number;
    for (const nj_io_word *w = col->words; w->word; w++)
        if (word_matches(s, len, w->word)) {
            *out = w->value;
            return NJ_OK;
        }
    if (nj_number_parse_int64(s, len, &number) == NJ_OK) {
        for (const nj_io_word *w = col->words; w->word; w++)
            if (w->value == number) {
                *out = number;
                return NJ_OK;
            }
        if (col->open_from > 0 && number >= col->open_from && number <= INT32_MAX) {
            *out = number;
            return NJ_OK;
        }
    }
    return nj_io_fail(im, NJ_E_INVALID, c,
                      "\"%.*s\" is not a known value (docs/csv.md lists them)", shown(len), s);
}

static nj_status parse_text(nj_io_import *im, size_t c, const char *s, size_t len,
                            nj_io_value *v)
{
    size_t skip = nj_csv_formula_prefix(s, len);
    s += skip;
    len -= skip;
    if (len > NJ_NAME_MAX_BYTES)
        return nj_io_fail(im, NJ_E_RANGE, c, "%zu bytes, longer than %d", len,
                          NJ_NAME_MAX_BYTES);
    /* Room was reserved for every text cell of the row (reserve_text). */
    char *copy = im->text + im->text_len;
    memcpy(copy, s, len);
    copy[len] = '\0';
    im->text_len += len + 1;
    v->s = copy;
    v->len = len;
    return NJ_OK;
}

static nj_status parse_geometry(nj_io_import *im, size_t c, const char *s,
                                size_t len, nj_io_value *v)
{
    size_t offset = 0;
    const char *what = NULL;
    int json = s[0] == '{';
    nj_status st = json ? nj_geojson_geometry(&im->reg->alloc, s, len,
                                              (size_t)im->reg->import_limits.max_field_bytes,
                                              &im->shape, &offset, &what)
                        : nj_wkt_parse(&im->reg->alloc, s, len, &im->shape, &offset, &what);
    if (st == NJ_E_NOMEM)
        return out_of_memory(im);
    if (st != NJ_OK)
        return nj_io_fail(im, st, c, "%s: %s at character %zu of the cell",
                          json ? "GeoJSON" : "WKT", what, offset + 1);
    v->shape = im->shape.n_polygons > 0 ? &im->shape : NULL;
    return NJ_OK;
}

static nj_status parse_cell(nj_io_import *im, size_t c, const nj_csv_field *cell,
                            nj_io_value *v)
{
    const nj_io_column *col = &im->schema->columns[c];
    const char *s = cell->text;
    size_t len = cell->len;
    if (col->kind != NJ_IO_TEXT)
        trim(&s, &len);
    v->present = len > 0;
    if (!v->present)
        return col->flags & NJ_IO_REQUIRED
                   ? nj_io_fail(im, NJ_E_INVALID, c, "empty, but the column is required")
                   : NJ_OK;
    switch (col->kind) {
    case NJ_IO_ID: return parse_integer(im, c, s, len, 1, INT64_MAX, &v->i);
    case NJ_IO_REF: return parse_integer(im, c, s, len, 1, INT64_MAX, &v->i);
    case NJ_IO_INT: return parse_integer(im, c, s, len, INT32_MIN, INT32_MAX, &v->i);
    case NJ_IO_MONEY: return parse_integer(im, c, s, len, INT64_MIN, INT64_MAX, &v->i);
    case NJ_IO_REAL: return parse_real(im, c, s, len, -1e300, 1e300, &v->d);
    case NJ_IO_LAT: return parse_real(im, c, s, len, -90, 90, &v->d);
    case NJ_IO_LON: return parse_real(im, c, s, len, -180, 180, &v->d);
    case NJ_IO_DATE: return parse_date(im, c, s, len, &v->i);
    case NJ_IO_TEXT: return parse_text(im, c, s, len, v);
    case NJ_IO_ENUM: return parse_enum(im, c, s, len, &v->i);
    case NJ_IO_GEOMETRY: return parse_geometry(im, c, s, len, v);
    }
    return NJ_E_INVALID;
}

/* Makes room for copies of every text cell of the current row. */
static nj_status reserve_text(nj_io_import *im)
{
    size_t need = 0;
    for (size_t c = 0; c < im->schema->n_columns; c++)
        if (im->schema->columns[c].kind == NJ_IO_TEXT && im->field_of[c] != SIZE_MAX)
            need += im->reader.fields[im->field_of[c]].len + 1;
    im->text_len = 0;
    void *text = im->text;
    nj_status st = nj_alloc_grow(&im->reg->alloc, &text, &im->text_cap, need, 1);
    im->text = text;
    return st == NJ_OK ? NJ_OK : out_of_memory(im);
}

static nj_status auto_id(nj_io_import *im, size_t c, nj_io_value *v)
{
    v->present = 1;
    if (__builtin_add_overflow(im->auto_id_base, (int64_t)im->row_index + 1, &v->i))
        return nj_io_fail(im, NJ_E_RANGE, c, "no id column, and the ids after %lld overflow",
                          (long long)im->auto_id_base);
    return NJ_OK;
}

static nj_status parse_row(nj_io_import *im)
{
    nj_status st = reserve_text(im);
    for (size_t c = 0; c < im->schema->n_columns && st == NJ_OK; c++) {
        const nj_io_column *col = &im->schema->columns[c];
        nj_io_value *v = &im->row[c];
        memset(v, 0, sizeof *v);
        if (col->flags & NJ_IO_EXPORT_ONLY)
            continue;
        if (im->field_of[c] != SIZE_MAX)
            st = parse_cell(im, c, &im->reader.fields[im->field_of[c]], v);
        else if (col->flags & NJ_IO_AUTO_ID)
            st = auto_id(im, c, v);
    }
    return st;
}

/* ---- the passes ---------------------------------------------------------- */

static int record_is_blank(const nj_csv_reader *r)
{
    for (size_t f = 0; f < r->n_fields; f++)
        if (r->fields[f].len > 0)
            return 0;
    return 1;
}

/* Reads the next data row into im->row; 0 at the end. */
static nj_status next_row(nj_io_import *im, int *more)
{
    nj_csv_reader *r = &im->reader;
    do {
        if (nj_csv_read_record(r) != NJ_OK)
            return reader_failed(im);
    } while (r->n_fields > 0 && record_is_blank(r));
    *more = r->n_fields > 0;
    if (!*more)
        return NJ_OK;
    if (im->row_index >= (uint64_t)im->reg->import_limits.max_rows)
        return nj_io_fail(im, NJ_E_RANGE, SIZE_MAX,
                          "more than %lld data rows (NJ_OPT_IMPORT_MAX_ROWS)",
                          (long long)im->reg->import_limits.max_rows);
    if (r->n_fields != im->header_fields) {
        size_t f = r->n_fields > im->header_fields ? im->header_fields : r->n_fields - 1;
        nj_text_pos pos = nj_csv_position(r, f, r->fields[f].start.offset);
        char reason[120];
        snprintf(reason, sizeof reason, "%zu fields, but the header has %zu",
                 r->n_fields, im->header_fields);
        return fail_at(im, NJ_E_CORRUPT, pos, SIZE_MAX, reason);
    }
    return parse_row(im);
}

static nj_status check_pass(nj_io_import *im)
{
    int more = 1;
    for (im->row_index = 0;; im->row_index++) {
        nj_status st = next_row(im, &more);
        if (st != NJ_OK || !more)
            return st;
        if (im->schema->check && (st = im->schema->check(im, im->row)) != NJ_OK)
            return st;
    }
}

static nj_status apply_pass(nj_io_import *im, nj_io_undo *undo)
{
    int more = 1;
    for (im->row_index = 0;; im->row_index++) {
        nj_status st = next_row(im, &more);
        if (st != NJ_OK || !more)
            return st;
        im->fail_column = SIZE_MAX;
        st = im->schema->apply(im, im->row, &undo[im->row_index]);
        if (st != NJ_OK)
            return nj_io_fail_call(im, st);
    }
}

static void rollback(nj_io_import *im, const nj_io_undo *undo, size_t applied)
{
    while (applied > 0)
        im->schema->undo(im->reg, &undo[--applied]);
}

static nj_status start(nj_io_import *im)
{
    nj_csv_reader_init(&im->reader, &im->reg->alloc, im->reader.data,
                       im->reader.len, im->reader.max_field_bytes,
                       im->reader.cp949_hint);
    for (size_t c = 0; c < im->schema->n_columns; c++)
        im->field_of[c] = SIZE_MAX;
    im->row_index = 0;
    return read_header(im);
}

/* Both passes; on success *rows is the number of rows applied. */
static nj_status run(nj_io_import *im, size_t *rows)
{
    nj_status st = start(im);
    if (st == NJ_OK && im->schema->max_id)
        im->auto_id_base = im->schema->max_id(im->reg);
    if (st != NJ_OK || (st = check_pass(im)) != NJ_OK ||
        (im->schema->finish && (st = im->schema->finish(im)) != NJ_OK))
        return st;
    size_t n = im->row_index;
    nj_io_undo *undo = nj_alloc_array(&im->reg->alloc, n ? n : 1, sizeof *undo);
    if (!undo)
        return out_of_memory(im);
    nj_csv_reader_free(&im->reader);
    st = start(im);
    if (st == NJ_OK)
        st = apply_pass(im, undo);
    if (st == NJ_OK && im->schema->commit)
        st = im->schema->commit(im);
    if (st != NJ_OK)
        rollback(im, undo, im->row_index);
    nj_alloc_free(&im->reg->alloc, undo);
    *rows = n;
    return st;
}

nj_status nj_io_import_text(nj_registry *reg, const nj_io_schema *schema,
                            const char *text, size_t len, int cp949,
                            int cp949_hint, size_t *rows)
{
    nj_io_import im;
    memset(&im, 0, sizeof im);
    im.reg = reg;
    im.schema = schema;
    im.cp949 = cp949;
    nj_id_lines_init(&im.seen);
    im.reader.data = text;
    im.reader.len = len;
    im.reader.max_field_bytes = (size_t)reg->import_limits.max_field_bytes;
    im.reader.cp949_hint = cp949_hint;
    im.field_of = nj_alloc_array(&reg->alloc, schema->n_columns, sizeof *im.field_of);
    im.row = nj_alloc_array(&reg->alloc, schema->n_columns, sizeof *im.row);
    nj_status st = im.field_of && im.row ? run(&im, rows) : out_of_memory(&im);
    nj_csv_reader_free(&im.reader);
    nj_alloc_free(&reg->alloc, im.field_of);
    nj_alloc_free(&reg->alloc, im.row);
    nj_alloc_free(&reg->alloc, im.text);
    nj_alloc_free(&reg->alloc, im.keys);
    nj_shape_free(&im.shape, &reg->alloc);
    nj_id_lines_free(&im.seen, &reg->alloc);
    return st;
}
