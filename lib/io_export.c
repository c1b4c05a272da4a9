/* The shared half of every CSV export: cells by kind, the header, the rows. */
#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

#include "number_internal.h"
#include "wkt_internal.h"

void nj_io_set_int(nj_io_value *v, int64_t i)
{
    v->present = 1;
    v->i = i;
}

void nj_io_set_ref(nj_io_value *v, int64_t id)
{
    v->present = id != 0;
    v->i = id;
}

void nj_io_set_real(nj_io_value *v, double d)
{
    v->present = 1;
    v->d = d;
}

void nj_io_set_text(nj_io_value *v, const char *s)
{
    v->present = 1;
    v->s = s;
    v->len = strlen(s);
}

int nj_io_compare_by_id(const void *a, const void *b)
{
    int64_t x = (*(const nj_object_head *const *)a)->id;
    int64_t y = (*(const nj_object_head *const *)b)->id;
    return (x > y) - (x < y);
}

nj_status nj_io_collect(const nj_registry *reg, const nj_table *table,
                        void ***items, size_t *count)
{
    void **out = nj_alloc_array(&reg->alloc, table->count ? table->count : 1,
                                sizeof *out);
    if (!out)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < table->count; i++)
        out[i] = table->items[i];
    qsort(out, table->count, sizeof *out, nj_io_compare_by_id);
    *items = out;
    *count = table->count;
    return NJ_OK;
}

/* The word export writes for an enum value: its first plain word, or the
 * number for caller-defined values. */
static const char *word_of(const nj_io_column *col, int64_t value)
{
    for (const nj_io_word *w = col->words; w->word; w++)
        if (w->value == value && w->word[0] != '*')
            return w->word;
    return NULL;
}

static void write_date(nj_sink *s, int64_t date, int first)
{
    char buf[11] = "0000-00-00";
    int64_t v = date;
    for (int i = 9; i >= 0; i--) {
        if (buf[i] == '-')
            continue;
        buf[i] = (char)('0' + v % 10);
        v /= 10;
    }
    nj_csv_write_field(s, buf, 10, first, 0);
}

static void write_cell(nj_sink *s, const nj_io_column *col, const nj_io_value *v,
                       int first)
{
    char buf[NJ_NUMBER_TEXT_MAX];
    const char *word;
    if (!v->present) {
        nj_csv_write_field(s, "", 0, first, 0);
        return;
    }
    switch (col->kind) {
    case NJ_IO_REAL:
    case NJ_IO_LAT:
    case NJ_IO_LON:
        nj_csv_write_field(s, buf, nj_number_format_double(buf, v->d), first, 0);
        return;
    case NJ_IO_DATE:
        write_date(s, v->i, first);
        return;
    case NJ_IO_TEXT:
        nj_csv_write_field(s, v->s, v->len, first, 1);
        return;
    case NJ_IO_ENUM:
        if ((word = word_of(col, v->i)) != NULL) {
            nj_csv_write_field(s, word, strlen(word), first, 0);
            return;
        }
        break;
    case NJ_IO_GEOMETRY:
        nj_sink_puts(s, first ? "\"" : ",\"");
        nj_wkt_write(s, v->shape->n_polygons, v->shape->rings_per_polygon,
                     v->shape->vertices_per_ring, v->shape->latlon);
        nj_sink_puts(s, "\"");
        return;
    default:
        break;
    }
    nj_csv_write_field(s, buf, nj_number_format_int64(buf, v->i), first, 0);
}

static void write_header(nj_sink *s, const nj_io_schema *schema)
{
    nj_csv_write_bom(s);
    for (size_t c = 0; c < schema->n_columns; c++)
        nj_csv_write_field(s, schema->columns[c].name, strlen(schema->columns[c].name),
                           c == 0, 0);
    nj_csv_end_record(s);
}

static nj_status write_rows(const nj_registry *reg, const nj_io_schema *schema,
                            void **items, size_t count, nj_io_value *row,
                            nj_sink *s)
{
    nj_shape shape;
    for (size_t i = 0; i < count && s->status == NJ_OK; i++) {
        memset(row, 0, schema->n_columns * sizeof *row);
        nj_status st = schema->fill(reg, items[i], row, &shape);
        if (st != NJ_OK)
            return st;
        for (size_t c = 0; c < schema->n_columns; c++)
            write_cell(s, &schema->columns[c], &row[c], c == 0);
        nj_csv_end_record(s);
    }
    return s->status;
}

nj_status nj_io_export(const nj_registry *reg, const nj_io_schema *schema,
                       nj_sink *sink)
{
    const nj_alloc *a = &reg->alloc;
    void **items = NULL;
    size_t count = 0;
    nj_io_value *row = nj_alloc_array(a, schema->n_columns, sizeof *row);
    nj_status st = row ? schema->order(reg, &items, &count) : NJ_E_NOMEM;
    if (st == NJ_OK) {
        write_header(sink, schema);
        st = write_rows(reg, schema, items, count, row, sink);
    }
    nj_alloc_free(a, items);
    nj_alloc_free(a, row);
    return st;
}

const nj_io_schema *nj_io_schema_of(int32_t object)
{
    switch (object) {
    case NJ_CSV_REGIONS: return &nj_io_regions;
    case NJ_CSV_FACILITIES: return &nj_io_facilities;
    case NJ_CSV_POSTINGS: return &nj_io_postings;
    case NJ_CSV_PARTICIPANTS: return &nj_io_participants;
    case NJ_CSV_APPLICATIONS: return &nj_io_applications;
    case NJ_CSV_WORK_ENTRIES: return &nj_io_work_entries;
    case NJ_CSV_TARGETS: return &nj_io_targets;
    default: return NULL;
    }
}
