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

#include "csv_internal.h"


/* value / scale as a decimal with as many places as the scale has zeros. */
static void emit_scaled(nj_sink *s, int64_t value, int32_t scale)
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
    nj_sink_puts(s, text);
}

static void emit_int(nj_sink *s, int64_t value)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, value);
    nj_sink_puts(s, text);
}

/* ---- CSV --------------------------------------------------------------- */

static void emit_csv_cell(nj_sink *s, const nj_stats_table *t, size_t r, size_t c)
{
    int64_t value;
    int32_t state;
    nj_stats_table_cell(t, r, c, &value, &state);
    nj_sink_puts(s, ",");
    if (state == NJ_CELL_PUBLISHED)
        emit_scaled(s, value, nj_stats_table_column_scale(t, c));
    else if (state != NJ_CELL_UNDEFINED)
        nj_sink_puts(s, "x");
}

static void write_csv(nj_sink *s, const nj_stats_table *t)
{
    nj_csv_write_bom(s);
    nj_sink_puts(s, "region_id,programme_type,region");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        nj_sink_puts(s, ",");
        nj_sink_puts(s, nj_stats_table_column_name(t, c));
    }
    nj_csv_end_record(s);
    for (size_t r = 0; r < nj_stats_table_row_count(t); r++) {
        int64_t region;
        int32_t type;
        const char *label;
        nj_stats_table_row(t, r, &region, &type, &label);
        emit_int(s, region);
        nj_sink_puts(s, ",");
        emit_int(s, type);
        nj_csv_write_field(s, label, strlen(label), 0, 1);
        for (size_t c = 0; c < nj_stats_table_column_count(t); c++)
            emit_csv_cell(s, t, r, c);
        nj_csv_end_record(s);
    }
}

/* ---- JSON -------------------------------------------------------------- */

static void emit_json_string(nj_sink *s, const char *text)
{
    nj_sink_puts(s, "\"");
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        char escaped[8];
        if (*c == '"' || *c == '\\') {
            snprintf(escaped, sizeof escaped, "\\%c", *c);
            nj_sink_puts(s, escaped);
        } else if (*c < 0x20) {
            snprintf(escaped, sizeof escaped, "\\u%04x", *c);
            nj_sink_puts(s, escaped);
        } else {
            nj_sink_write(s, (const char *)c, 1);
        }
    }
    nj_sink_puts(s, "\"");
}

static void write_json_row(nj_sink *s, const nj_stats_table *t, size_t r)
{
    int64_t region;
    int32_t type;
    const char *label;
    nj_stats_table_row(t, r, &region, &type, &label);
    nj_sink_puts(s, r ? ",\n  {\"region_id\":" : "\n  {\"region_id\":");
    emit_int(s, region);
    nj_sink_puts(s, ",\"programme_type\":");
    emit_int(s, type);
    nj_sink_puts(s, ",\"region\":");
    emit_json_string(s, label);
    nj_sink_puts(s, ",\"cells\":[");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        int64_t value;
        int32_t state;
        nj_stats_table_cell(t, r, c, &value, &state);
        if (c)
            nj_sink_puts(s, ",");
        if (state == NJ_CELL_PUBLISHED)
            emit_scaled(s, value, nj_stats_table_column_scale(t, c));
        else
            nj_sink_puts(s, state == NJ_CELL_UNDEFINED ? "null" : "\"x\"");
    }
    nj_sink_puts(s, "]}");
}

static void write_json(nj_sink *s, const nj_stats_table *t)
{
    nj_sink_puts(s, "{\"columns\":[");
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++) {
        if (c)
            nj_sink_puts(s, ",");
        emit_json_string(s, nj_stats_table_column_name(t, c));
    }
    nj_sink_puts(s, "],\n \"rows\":[");
    for (size_t r = 0; r < nj_stats_table_row_count(t); r++)
        write_json_row(s, t, r);
    nj_sink_puts(s, "]}\n");
}

/* ---- entry points ------------------------------------------------------ */

static nj_status export_table(const nj_stats_table *t, void *buf,
                              size_t capacity, size_t *size,
                              void (*write)(nj_sink *, const nj_stats_table *))
{
    if (!t || !size || (!buf && capacity > 0))
        return NJ_E_INVALID;
    /* Without a flush hook the CSV writer's sink counts every byte and
     * stores those that fit: a first pass with no room measures. */
    nj_sink measure = {.status = NJ_OK};
    write(&measure, t);
    *size = measure.total;
    if (capacity < measure.total)
        return NJ_E_BUFFER_TOO_SMALL;
    nj_sink out = {.buf = buf, .cap = capacity, .status = NJ_OK};
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
