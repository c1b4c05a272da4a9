/*
 * Published tables as CSV (UTF-8 with a byte-order mark, CRLF: what
 * spreadsheet programs open correctly) and as JSON. A published figure is
 * written as a decimal (value / scale), a suppressed one as "x" (the
 * statistical-office sign for a confidential cell), an undefined one empty
 * (CSV) or null (JSON).
 */
#include "stats_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Counts every byte and stores those that fit; a first pass with no room
 * measures, a second writes. */
typedef struct sink {
    char *buf;
    size_t capacity, length;
} sink;

static void emit(sink *s, const char *bytes, size_t n)
{
    if (s->length + n <= s->capacity)
        memcpy(s->buf + s->length, bytes, n);
    s->length += n;
}

static void emit_text(sink *s, const char *text)
{
    emit(s, text, strlen(text));
}

/* value / scale as a decimal with as many places as the scale has zeros. */
static void emit_scaled(sink *s, int64_t value, int32_t scale)
{
    char text[48];
    int places = scale >= 100 ? 2 : scale >= 10 ? 1 : 0;
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    uint64_t whole = magnitude / (uint64_t)scale, part = magnitude % (uint64_t)scale;
    if (places == 0)
        snprintf(text, sizeof text, "%s%" PRIu64, value < 0 ? "-" : "", whole);
    else
        snprintf(text, sizeof text, "%s%" PRIu64 ".%0*" PRIu64, value < 0 ? "-" : "",
                 whole, places, part);
    emit_text(s, text);
}

static void emit_int(sink *s, int64_t value)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, value);
    emit_text(s, text);
}

/* ---- CSV --------------------------------------------------------------- */

/* A free-text cell, quoted when needed, with a leading ' when it would
 * start a spreadsheet formula. */
static void emit_csv_text(sink *s, const char *text)
{
    int formula = text[0] != '\0' && strchr("=+-@\t\r", text[0]) != NULL;
    int quote = formula || strpbrk(text, ",\"\r\n") != NULL;
    if (quote)
        emit_text(s, "\"");
    if (formula)
        emit_text(s, "'");
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            emit_text(s, "\"\"");
        else
            emit(s, c, 1);
    }
    if (quote)
        emit_text(s, "\"");
}

static void emit_csv_cell(sink *s, const nj_stats_table *t, size_t r, size_t c)
{
    int64_t value;
    int32_t state;
    nj_stats_table_cell(t, r, c, &value, &state);
    emit_text(s, ",");
    if (state == NJ_CELL_PUBLISHED)
        emit_scaled(s, value, nj_stats_table_column_scale(t, c));
    else if (state != NJ_CELL_UNDEFINED)
        emit_text(s, "x");
}

static void write_csv(sink *s, const nj_stats_table *t)
{
    emit_text(s, "\xEF\xBB\xBFregion_id,programme_type,region");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        emit_text(s, ",");
        emit_text(s, nj_stats_table_column_name(t, c));
    }
    emit_text(s, "\r\n");
    for (size_t r = 0; r < nj_stats_table_row_count(t); r++) {
        int64_t region;
        int32_t type;
        const char *label;
        nj_stats_table_row(t, r, &region, &type, &label);
        emit_int(s, region);
        emit_text(s, ",");
        emit_int(s, type);
        emit_text(s, ",");
        emit_csv_text(s, label);
        for (size_t c = 0; c < nj_stats_table_column_count(t); c++)
            emit_csv_cell(s, t, r, c);
        emit_text(s, "\r\n");
    }
}

/* ---- JSON -------------------------------------------------------------- */

static void emit_json_string(sink *s, const char *text)
{
    emit_text(s, "\"");
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        char escaped[8];
        if (*c == '"' || *c == '\\') {
            snprintf(escaped, sizeof escaped, "\\%c", *c);
            emit_text(s, escaped);
        } else if (*c < 0x20) {
            snprintf(escaped, sizeof escaped, "\\u%04x", *c);
            emit_text(s, escaped);
        } else {
            emit(s, (const char *)c, 1);
        }
    }
    emit_text(s, "\"");
}

static void write_json_row(sink *s, const nj_stats_table *t, size_t r)
{
    int64_t region;
    int32_t type;
    const char *label;
    nj_stats_table_row(t, r, &region, &type, &label);
    emit_text(s, r ? ",\n  {\"region_id\":" : "\n  {\"region_id\":");
    emit_int(s, region);
    emit_text(s, ",\"programme_type\":");
    emit_int(s, type);
    emit_text(s, ",\"region\":");
    emit_json_string(s, label);
    emit_text(s, ",\"cells\":[");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        int64_t value;
        int32_t state;
        nj_stats_table_cell(t, r, c, &value, &state);
        if (c)
            emit_text(s, ",");
        if (state == NJ_CELL_PUBLISHED)
            emit_scaled(s, value, nj_stats_table_column_scale(t, c));
        else
            emit_text(s, state == NJ_CELL_UNDEFINED ? "null" : "\"x\"");
    }
    emit_text(s, "]}");
}

static void write_json(sink *s, const nj_stats_table *t)
{
    emit_text(s, "{\"columns\":[");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        if (c)
            emit_text(s, ",");
        emit_json_string(s, nj_stats_table_column_name(t, c));
    }
    emit_text(s, "],\n \"rows\":[");
    for (size_t r = 0; r < nj_stats_table_row_count(t); r++)
        write_json_row(s, t, r);
    emit_text(s, "]}\n");
}

/* ---- entry points ------------------------------------------------------ */

static nj_status export_table(const nj_stats_table *t, void *buf,
                              size_t capacity, size_t *size,
                              void (*write)(sink *, const nj_stats_table *))
{
    if (!t || !size || (!buf && capacity > 0))
        return NJ_E_INVALID;
    sink measure = {NULL, 0, 0};
    write(&measure, t);
    *size = measure.length;
    if (capacity < measure.length)
        return NJ_E_BUFFER_TOO_SMALL;
    sink out = {buf, capacity, 0};
    write(&out, t);
    return NJ_OK;
}

nj_status nj_stats_table_csv(const nj_stats_table *table, void *buf,
                             size_t capacity, size_t *size)
{
    return export_table(table, buf, capacity, size, write_csv);
}

nj_status nj_stats_table_json(const nj_stats_table *table, void *buf,
                              size_t capacity, size_t *size)
{
    return export_table(table, buf, capacity, size, write_json);
}
