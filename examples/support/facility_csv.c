/*
 * RFC 4180 reader for facility coordinates. See facility_csv.h.
 */
#include "facility_csv.h"
#include "text_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns the reader needs, found by name in the header. */
enum csv_column { COL_NAME, COL_LAT, COL_LON, COL_ADM_CD2, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"name", "lat", "lon",
                                                     "adm_cd2"};

typedef struct csv_reader {
    const char *source; /* file name for messages, or NULL */
    const char *text;
    size_t len;
    size_t pos;
    size_t line;        /* line at `pos`, from 1 */
    size_t record_line; /* line where the current record starts */
    /*
     * The current record's fields, unquoted and each NUL-terminated. A
     * record never decodes to more bytes than it occupies in the input plus
     * one, so len + 1 bytes always suffice.
     */
    char *scratch;
    size_t *starts; /* where each field starts in scratch */
    size_t n_fields;
    size_t cap_fields;
    char *err;
    size_t err_size;
} csv_reader;

/* "source: line 3, field 6: ...", the field left out when it is 0. */
static nj_status csv_fail(csv_reader *r, nj_status status, size_t line,
                          size_t field, const char *fmt, ...)
{
    int used;
    va_list args;

    if (!r->err || r->err_size == 0)
        return status;
    used = snprintf(r->err, r->err_size, "%s%sline %zu", r->source ? r->source : "",
                    r->source ? ": " : "", line);
    if (used >= 0 && (size_t)used < r->err_size && field > 0)
        used += snprintf(r->err + used, r->err_size - (size_t)used,
                         ", field %zu", field);
    if (used >= 0 && (size_t)used < r->err_size)
        used += snprintf(r->err + used, r->err_size - (size_t)used, ": ");
    if (used >= 0 && (size_t)used < r->err_size) {
        va_start(args, fmt);
        vsnprintf(r->err + used, r->err_size - (size_t)used, fmt, args);
        va_end(args);
    }
    return status;
}

static int ends_field(char c)
{
    return c == ',' || c == '\r' || c == '\n';
}

/* Count a line break at `pos`: LF, CRLF (counted at the LF) or a lone CR. */
static void count_line_break(csv_reader *r)
{
    char c = r->text[r->pos];

    if (c == '\n' || (c == '\r' && (r->pos + 1 == r->len ||
                                    r->text[r->pos + 1] != '\n')))
        r->line++;
}

static nj_status read_quoted(csv_reader *r, size_t field, size_t *used)
{
    size_t open_line = r->line;

    r->pos++; /* the opening quote */
    for (;;) {
        char c;
        if (r->pos == r->len)
            return csv_fail(r, NJ_E_CORRUPT, open_line, field,
                            "quoted field never closed");
        c = r->text[r->pos];
        if (c == '"') {
            if (r->pos + 1 < r->len && r->text[r->pos + 1] == '"') {
                r->scratch[(*used)++] = '"';
                r->pos += 2;
                continue;
            }
            r->pos++;
            break;
        }
        if (c == '\0')
            return csv_fail(r, NJ_E_CORRUPT, r->line, field, "NUL byte");
        count_line_break(r);
        r->scratch[(*used)++] = c;
        r->pos++;
    }
    if (r->pos < r->len && !ends_field(r->text[r->pos]))
        return csv_fail(r, NJ_E_CORRUPT, r->line, field,
                        "text after a closing quote");
    return NJ_OK;
}

static nj_status read_unquoted(csv_reader *r, size_t field, size_t *used)
{
    while (r->pos < r->len && !ends_field(r->text[r->pos])) {
        char c = r->text[r->pos];
        if (c == '"')
            return csv_fail(r, NJ_E_CORRUPT, r->line, field,
                            "quote inside an unquoted field");
        if (c == '\0')
            return csv_fail(r, NJ_E_CORRUPT, r->line, field, "NUL byte");
        r->scratch[(*used)++] = c;
        r->pos++;
    }
    return NJ_OK;
}

static nj_status start_field(csv_reader *r, size_t used)
{
    if (r->n_fields == r->cap_fields) {
        size_t new_cap = r->cap_fields ? r->cap_fields * 2 : 16;
        size_t *grown = NULL;
        if (new_cap <= SIZE_MAX / sizeof *grown)
            grown = realloc(r->starts, new_cap * sizeof *grown);
        if (!grown)
            return csv_fail(r, NJ_E_NOMEM, r->line, 0, "out of memory");
        r->starts = grown;
        r->cap_fields = new_cap;
    }
    r->starts[r->n_fields++] = used;
    return NJ_OK;
}

/* Read one record; r->pos must be before the end of the input. */
static nj_status read_record(csv_reader *r)
{
    size_t used = 0;
    nj_status rc;

    r->n_fields = 0;
    r->record_line = r->line;
    for (;;) {
        if ((rc = start_field(r, used)) != NJ_OK)
            return rc;
        if (r->pos < r->len && r->text[r->pos] == '"')
            rc = read_quoted(r, r->n_fields, &used);
        else
            rc = read_unquoted(r, r->n_fields, &used);
        if (rc != NJ_OK)
            return rc;
        r->scratch[used++] = '\0';
        if (r->pos == r->len || r->text[r->pos] != ',')
            break;
        r->pos++;
    }
    /* The record ends at the end of the input or at CRLF, LF or CR. */
    if (r->pos < r->len) {
        count_line_break(r);
        if (r->text[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->len && r->text[r->pos] == '\n')
            r->pos++;
    }
    return NJ_OK;
}

static const char *field_text(const csv_reader *r, size_t index)
{
    return r->scratch + r->starts[index];
}

/* Map each needed column to its field index in the header record. */
static nj_status read_header(csv_reader *r, size_t columns[COL_COUNT])
{
    nj_status rc = read_record(r);

    if (rc != NJ_OK)
        return rc;
    for (int c = 0; c < COL_COUNT; c++) {
        size_t f = 0;
        while (f < r->n_fields && strcmp(field_text(r, f), column_names[c]))
            f++;
        if (f == r->n_fields)
            return csv_fail(r, NJ_E_CORRUPT, r->record_line, 0,
                            "no \"%s\" column in the header",
                            column_names[c]);
        columns[c] = f;
    }
    return NJ_OK;
}

static nj_status parse_coordinate(csv_reader *r, size_t field, double *out)
{
    const char *text = field_text(r, field);

    if (text_parse_double(text, strlen(text), out) != NJ_OK)
        return csv_fail(r, NJ_E_CORRUPT, r->record_line, field + 1,
                        "\"%s\" is not a decimal number", text);
    return NJ_OK;
}

/* Fill `row` from the current record; row->name is malloc'ed on success. */
static nj_status parse_row(csv_reader *r, const size_t columns[COL_COUNT],
                           size_t n_header_fields, facility_csv_row *row)
{
    const char *name = field_text(r, columns[COL_NAME]);
    const char *code = field_text(r, columns[COL_ADM_CD2]);
    size_t name_len = strlen(name);
    nj_status rc;

    if (r->n_fields != n_header_fields)
        return csv_fail(r, NJ_E_CORRUPT, r->record_line, 0,
                        "%zu fields, the header has %zu", r->n_fields,
                        n_header_fields);
    if (name_len == 0)
        return csv_fail(r, NJ_E_CORRUPT, r->record_line,
                        columns[COL_NAME] + 1, "empty name");
    if ((rc = parse_coordinate(r, columns[COL_LAT], &row->lat)) != NJ_OK ||
        (rc = parse_coordinate(r, columns[COL_LON], &row->lon)) != NJ_OK)
        return rc;
    row->adm_cd2 = 0;
    if (code[0] != '\0' &&
        text_parse_code(code, strlen(code), &row->adm_cd2) != NJ_OK)
        return csv_fail(r, NJ_E_CORRUPT, r->record_line,
                        columns[COL_ADM_CD2] + 1,
                        "\"%s\" is not a code of 1 to 18 digits", code);
    row->line = r->record_line;
    row->name = malloc(name_len + 1);
    if (!row->name)
        return csv_fail(r, NJ_E_NOMEM, r->record_line, 0, "out of memory");
    memcpy(row->name, name, name_len + 1);
    return NJ_OK;
}

static nj_status read_rows(csv_reader *r, facility_csv_row **rows,
                           size_t *n_rows)
{
    size_t columns[COL_COUNT];
    size_t n_header_fields, cap = 0;
    nj_status rc = read_header(r, columns);

    n_header_fields = r->n_fields;
    while (rc == NJ_OK && r->pos < r->len) {
        if (*n_rows == cap) {
            size_t new_cap = cap ? cap * 2 : 64;
            facility_csv_row *grown = NULL;
            if (new_cap <= SIZE_MAX / sizeof *grown)
                grown = realloc(*rows, new_cap * sizeof *grown);
            if (!grown)
                return csv_fail(r, NJ_E_NOMEM, r->line, 0, "out of memory");
            *rows = grown;
            cap = new_cap;
        }
        rc = read_record(r);
        if (rc == NJ_OK)
            rc = parse_row(r, columns, n_header_fields, &(*rows)[*n_rows]);
        if (rc == NJ_OK)
            (*n_rows)++;
    }
    return rc;
}

static nj_status load_text(const char *source, const char *text, size_t len,
                           facility_csv_row **rows, size_t *n_rows, char *err,
                           size_t err_size)
{
    csv_reader r = {source, text, len, 0, 1, 1, NULL, NULL, 0, 0, err,
                    err_size};
    nj_status rc;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    if (r.pos == len)
        return csv_fail(&r, NJ_E_CORRUPT, 1, 0, "empty file, no header");
    r.scratch = malloc(len + 1);
    if (!r.scratch)
        return csv_fail(&r, NJ_E_NOMEM, 1, 0, "out of memory");
    rc = read_rows(&r, rows, n_rows);
    free(r.scratch);
    free(r.starts);
    if (rc != NJ_OK) {
        facility_csv_free(*rows, *n_rows);
        *rows = NULL;
        *n_rows = 0;
    }
    return rc;
}

nj_status facility_csv_load_buffer(const char *text, size_t len,
                                   facility_csv_row **rows, size_t *n_rows,
                                   char *err, size_t err_size)
{
    if (err && err_size > 0)
        err[0] = '\0';
    if (!rows || !n_rows)
        return NJ_E_INVALID;
    *rows = NULL;
    *n_rows = 0;
    if (!text)
        return NJ_E_INVALID;
    return load_text(NULL, text, len, rows, n_rows, err, err_size);
}

nj_status facility_csv_load_file(const char *path, facility_csv_row **rows,
                                 size_t *n_rows, char *err, size_t err_size)
{
    char *text;
    size_t len;
    nj_status rc;

    if (err && err_size > 0)
        err[0] = '\0';
    if (!rows || !n_rows)
        return NJ_E_INVALID;
    *rows = NULL;
    *n_rows = 0;
    if (!path)
        return NJ_E_INVALID;
    rc = text_read_file(path, FACILITY_CSV_MAX_BYTES, &text, &len);
    if (rc != NJ_OK) {
        if (err && err_size > 0)
            snprintf(err, err_size, "%s: %s", path,
                     rc == NJ_E_IO      ? strerror(errno)
                     : rc == NJ_E_RANGE ? "file too large"
                                        : "out of memory");
        return rc;
    }
    rc = load_text(path, text, len, rows, n_rows, err, err_size);
    free(text);
    return rc;
}

void facility_csv_free(facility_csv_row *rows, size_t n_rows)
{
    for (size_t i = 0; i < n_rows; i++)
        free(rows[i].name);
    free(rows);
}
