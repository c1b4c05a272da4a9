/*
 * Secondary suppression for a table with row and column totals.
 *
 * Write the table with its totals negated in an extra row and column: then
 * every row and every column of that grid sums to zero, and publishing the
 * visible cells fixes each line's sum of hidden cells. The hidden cells
 * form a bipartite graph (row lines to column lines). A hidden cell is
 * determined by the published ones exactly when it is a bridge of that
 * graph; when it lies on a cycle, adding +1 and -1 alternately around the
 * cycle keeps every line sum and, since every hidden cell is >= 1, keeps
 * every count >= 0, so the cell has at least two consistent values.
 *
 * So: for each hidden cell that is a bridge, hide the cheapest rectangle
 * (r, c), (r, c'), (r', c), (r', c') of cells >= 1 through it. A rectangle
 * with the totals always exists, and a cell on a cycle stays on it, so one
 * pass suffices.
 */
#include "stats_internal.h"

#include <string.h>

typedef struct grid {
    const int64_t *values;
    unsigned char *hidden;
    size_t lines_r, lines_c;  /* rows + 1, columns + 1 */
    size_t *queue;            /* BFS over lines_r + lines_c nodes */
    unsigned char *seen;
} grid;

static size_t cell(const grid *g, size_t r, size_t c)
{
    return r * g->lines_c + c;
}

/* Is there a path of hidden cells from row line r to column line c that
 * does not use the cell (r, c) itself? */
static int on_cycle(grid *g, size_t r, size_t c)
{
    size_t nodes = g->lines_r + g->lines_c, head = 0, tail = 0;
    memset(g->seen, 0, nodes);
    g->queue[tail++] = r;
    g->seen[r] = 1;
    while (head < tail) {
        size_t node = g->queue[head++];
        int is_row = node < g->lines_r;
        size_t span = is_row ? g->lines_c : g->lines_r;
        for (size_t other = 0; other < span; other++) {
            size_t rr = is_row ? node : other;
            size_t cc = is_row ? other : node - g->lines_r;
            size_t next = is_row ? g->lines_r + other : other;
            if (!g->hidden[cell(g, rr, cc)] || (rr == r && cc == c) ||
                g->seen[next])
                continue;
            if (next == g->lines_r + c)
                return 1;
            g->seen[next] = 1;
            g->queue[tail++] = next;
        }
    }
    return 0;
}

/* Cost of hiding a cell: its value if still visible, 0 if hidden, -1 if it
 * cannot take part (a zero cannot go down around a cycle). */
static int64_t hide_cost(const grid *g, size_t r, size_t c)
{
    size_t i = cell(g, r, c);
    if (g->values[i] < 1)
        return -1;
    return g->hidden[i] ? 0 : g->values[i];
}

static void hide_cheapest_rectangle(grid *g, size_t r, size_t c)
{
    size_t best_r = g->lines_r, best_c = g->lines_c;
    int64_t best_cost = INT64_MAX;
    for (size_t r2 = 0; r2 < g->lines_r; r2++) {
        int64_t down = r2 == r ? -1 : hide_cost(g, r2, c);
        for (size_t c2 = 0; down >= 0 && c2 < g->lines_c; c2++) {
            int64_t across = c2 == c ? -1 : hide_cost(g, r, c2);
            int64_t corner = across < 0 ? -1 : hide_cost(g, r2, c2);
            if (corner < 0)
                continue;
            /* Values are counts <= NJ_STATS_COUNT_MAX: no overflow. */
            int64_t cost = down + across + corner;
            if (cost < best_cost) {
                best_cost = cost;
                best_r = r2;
                best_c = c2;
            }
        }
    }
    if (best_cost == INT64_MAX)
        return; /* only when the totals do not add up */
    size_t corners[3] = {cell(g, r, best_c), cell(g, best_r, c),
                         cell(g, best_r, best_c)};
    for (int i = 0; i < 3; i++)
        if (!g->hidden[corners[i]])
            g->hidden[corners[i]] = 2;
}

nj_status nj_suppress_secondary(const nj_alloc *alloc, const int64_t *values,
                                size_t rows, size_t columns,
                                unsigned char *hidden)
{
    grid g = {values, hidden, rows + 1, columns + 1, NULL, NULL};
    size_t nodes = g.lines_r + g.lines_c;
    g.queue = nj_alloc_array(alloc, nodes, sizeof *g.queue);
    g.seen = nj_alloc_malloc(alloc, nodes);
    if (!g.queue || !g.seen) {
        nj_alloc_free(alloc, g.queue);
        nj_alloc_free(alloc, g.seen);
        return NJ_E_NOMEM;
    }
    for (size_t r = 0; r < g.lines_r; r++)
        for (size_t c = 0; c < g.lines_c; c++)
            if (hidden[cell(&g, r, c)] && !on_cycle(&g, r, c))
                hide_cheapest_rectangle(&g, r, c);
    nj_alloc_free(alloc, g.queue);
    nj_alloc_free(alloc, g.seen);
    return NJ_OK;
}
