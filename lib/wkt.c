#include "wkt_internal.h"

#include <string.h>

#include "number_internal.h"

typedef struct wkt {
    const nj_alloc *alloc;
    const char *text;
    size_t len, pos;
    nj_shape *shape;
    const char *what;
} wkt;

static nj_status fail(wkt *w, nj_status status, const char *what)
{
    w->what = what;
    return status;
}

static void skip_space(wkt *w)
{
    while (w->pos < w->len && (w->text[w->pos] == ' ' || w->text[w->pos] == '\t' ||
                               w->text[w->pos] == '\r' || w->text[w->pos] == '\n'))
        w->pos++;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Consumes a keyword (ASCII, any case) that is not followed by a letter. */
static int keyword(wkt *w, const char *word)
{
    size_t n = strlen(word);
    skip_space(w);
    if (w->len - w->pos < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(w->text[w->pos + i]) != word[i])
            return 0;
    char next = w->pos + n < w->len ? lower(w->text[w->pos + n]) : ' ';
    if (next >= 'a' && next <= 'z')
        return 0;
    w->pos += n;
    return 1;
}

static int punct(wkt *w, char c)
{
    skip_space(w);
    if (w->pos < w->len && w->text[w->pos] == c) {
        w->pos++;
        return 1;
    }
    return 0;
}

static nj_status number(wkt *w, double *out)
{
    skip_space(w);
    size_t span = nj_number_span(w->text + w->pos, w->len - w->pos, NJ_NUMBER_LENIENT);
    if (span == 0)
        return fail(w, NJ_E_CORRUPT, "expected a number");
    nj_status st = nj_number_parse_double(w->text + w->pos, span, NJ_NUMBER_LENIENT, out);
    if (st != NJ_OK)
        return fail(w, st, "number out of range");
    w->pos += span;
    return NJ_OK;
}

static nj_status grown(wkt *w, nj_status st)
{
    return st == NJ_OK ? st
                       : fail(w, st, st == NJ_E_NOMEM ? "out of memory" : "too many items");
}

/* ( x y, x y, ... ) */
static nj_status ring(wkt *w)
{
    size_t n = 0;
    if (!punct(w, '('))
        return fail(w, NJ_E_CORRUPT, "expected '(' before a ring");
    do {
        double x, y;
        nj_status st;
        if ((st = number(w, &x)) != NJ_OK || (st = number(w, &y)) != NJ_OK)
            return st;
        skip_space(w);
        if (w->pos < w->len && w->text[w->pos] != ',' && w->text[w->pos] != ')')
            return fail(w, NJ_E_CORRUPT, "a point has exactly two numbers (x y)");
        if ((st = grown(w, nj_shape_add_vertex(w->shape, w->alloc, y, x))) != NJ_OK)
            return st;
        n++;
    } while (punct(w, ','));
    if (!punct(w, ')'))
        return fail(w, NJ_E_CORRUPT, "expected ',' or ')' in a ring");
    return grown(w, nj_shape_add_ring(w->shape, w->alloc, n));
}

/* ( ring, ring, ... ) */
static nj_status polygon(wkt *w)
{
    size_t n = 0;
    if (!punct(w, '('))
        return fail(w, NJ_E_CORRUPT, "expected '(' before a polygon");
    do {
        nj_status st = ring(w);
        if (st != NJ_OK)
            return st;
        n++;
    } while (punct(w, ','));
    if (!punct(w, ')'))
        return fail(w, NJ_E_CORRUPT, "expected ',' or ')' after a ring");
    return grown(w, nj_shape_add_polygon(w->shape, w->alloc, n));
}

static nj_status multipolygon(wkt *w)
{
    if (!punct(w, '('))
        return fail(w, NJ_E_CORRUPT, "expected '(' or EMPTY after MULTIPOLYGON");
    do {
        nj_status st = polygon(w);
        if (st != NJ_OK)
            return st;
    } while (punct(w, ','));
    if (!punct(w, ')'))
        return fail(w, NJ_E_CORRUPT, "expected ',' or ')' after a polygon");
    return NJ_OK;
}

nj_status nj_wkt_parse(const nj_alloc *a, const char *text, size_t len,
                       nj_shape *out, size_t *offset, const char **what)
{
    wkt w = {a, text, len, 0, out, NULL};
    nj_status st;
    nj_shape_clear(out);
    if (keyword(&w, "multipolygon"))
        st = keyword(&w, "empty") ? NJ_OK : multipolygon(&w);
    else if (keyword(&w, "polygon"))
        st = keyword(&w, "empty") ? NJ_OK : polygon(&w);
    else
        st = fail(&w, NJ_E_CORRUPT, "expected POLYGON or MULTIPOLYGON (2D WKT) or GeoJSON");
    skip_space(&w);
    if (st == NJ_OK && w.pos != len)
        st = fail(&w, NJ_E_CORRUPT, "unexpected text after the geometry");
    *offset = w.pos;
    *what = w.what;
    return st;
}

static void write_number(nj_sink *s, double x)
{
    char buf[NJ_NUMBER_TEXT_MAX];
    nj_sink_write(s, buf, nj_number_format_double(buf, x));
}

void nj_wkt_write(nj_sink *s, size_t n_polygons, const uint32_t *rings_per_polygon,
                  const uint32_t *vertices_per_ring, const double *latlon)
{
    size_t ring = 0, vertex = 0;
    nj_sink_puts(s, "MULTIPOLYGON (");
    for (size_t p = 0; p < n_polygons; p++) {
        nj_sink_puts(s, p ? ", (" : "(");
        for (uint32_t r = 0; r < rings_per_polygon[p]; r++, ring++) {
            nj_sink_puts(s, r ? ", (" : "(");
            for (uint32_t v = 0; v < vertices_per_ring[ring]; v++, vertex++) {
                if (v)
                    nj_sink_puts(s, ", ");
                write_number(s, latlon[2 * vertex + 1]);
                nj_sink_puts(s, " ");
                write_number(s, latlon[2 * vertex]);
            }
            nj_sink_puts(s, ")");
        }
        nj_sink_puts(s, ")");
    }
    nj_sink_puts(s, ")");
}
