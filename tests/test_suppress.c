/* Secondary suppression, audited exactly: on random tables with totals, no
 * published count is small and no hidden cell can be worked out from the
 * published cells and totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats_internal.h"

#define PRIME UINT64_C(2147483647)

static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t power_mod(uint64_t b, uint64_t e)
{
    uint64_t r = 1;
    for (b %= PRIME; e; e >>= 1, b = b * b % PRIME)
        if (e & 1)
            r = r * b % PRIME;
    return r;
}

/* Rank of an n x m matrix mod PRIME (destroys it). The constraint matrix of
 * a table is totally unimodular and stays so with a unit row appended, so
 * its rank mod a prime is its rank over the rationals. */
static size_t rank_mod_p(uint64_t *a, size_t n, size_t m)
{
    size_t rank = 0;
    for (size_t col = 0; col < m && rank < n; col++) {
        size_t pivot = rank;
        while (pivot < n && a[pivot * m + col] == 0)
            pivot++;
        if (pivot == n)
            continue;
        for (size_t j = 0; j < m; j++) {
            uint64_t t = a[pivot * m + j];
            a[pivot * m + j] = a[rank * m + j];
            a[rank * m + j] = t;
        }
        uint64_t inv = power_mod(a[rank * m + col], PRIME - 2);
        for (size_t i = 0; i < n; i++) {
            uint64_t f = a[i * m + col] * inv % PRIME;
            if (i == rank || f == 0)
                continue;
            for (size_t j = 0; j < m; j++)
                a[i * m + j] = (a[i * m + j] + (PRIME - f) * a[rank * m + j]) % PRIME;
        }
        rank++;
    }
    return rank;
}

/*
 * The published cells fix, for each row and column of the table with its
 * totals, the sum of its hidden cells (in the grid where the totals are
 * negated every line sums to 0). Hidden cell h is determined exactly when
 * the unit vector e_h lies in the row space of those line equations.
 * Returns the number of hidden cells that are determined.
 */
static size_t determined_cells(const unsigned char *hidden, size_t rows,
                               size_t columns)
{
    size_t lr = rows + 1, lc = columns + 1, cells = lr * lc;
    size_t *unknown = malloc(cells * sizeof *unknown), m = 0;
    for (size_t i = 0; i < cells; i++)
        if (hidden[i])
            unknown[m++] = i;
    size_t equations = lr + lc, determined = 0;
    uint64_t *a = calloc((equations + 1) * (m + 1), sizeof *a);
    for (size_t target = 0; target < m; target++) {
        memset(a, 0, (equations + 1) * (m + 1) * sizeof *a);
        for (size_t u = 0; u < m; u++) {
            a[(unknown[u] / lc) * m + u] = 1;
            a[(lr + unknown[u] % lc) * m + u] = 1;
        }
        uint64_t *copy = malloc((equations + 1) * m * sizeof *copy + 1);
        memcpy(copy, a, equations * m * sizeof *a);
        size_t base = rank_mod_p(copy, equations, m);
        memcpy(copy, a, equations * m * sizeof *a);
        memset(&copy[equations * m], 0, m * sizeof *copy);
        copy[equations * m + target] = 1;
        determined += rank_mod_p(copy, equations + 1, m) == base;
        free(copy);
    }
    free(a);
    free(unknown);
    return determined;
}

/* A random table with totals: mostly small counts, some zeros, a few large. */
static int64_t *random_table(uint64_t *rng, size_t rows, size_t columns)
{
    size_t lc = columns + 1;
    int64_t *v = calloc((rows + 1) * lc, sizeof *v);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < columns; c++) {
            uint64_t pick = next_random(rng) % 10;
            int64_t x = pick < 2 ? 0 : pick < 6 ? (int64_t)(next_random(rng) % 5)
                                                : (int64_t)(next_random(rng) % 200);
            v[r * lc + c] = x;
            v[r * lc + columns] += x;
            v[rows * lc + c] += x;
            v[rows * lc + columns] += x;
        }
    return v;
}

static void primary(const int64_t *v, size_t cells, int64_t k, unsigned char *hidden)
{
    for (size_t i = 0; i < cells; i++)
        hidden[i] = v[i] >= 1 && v[i] < k;
}

static void random_tables_pass_the_audit(void **state)
{
    (void)state;
    uint64_t rng = 2023;
    size_t tables = 0, hidden_total = 0, secondary_total = 0;
    for (int round = 0; round < 400; round++) {
        size_t rows = 1 + next_random(&rng) % 7, columns = 1 + next_random(&rng) % 6;
        int64_t k = next_random(&rng) % 2 ? 3 : 5;
        size_t cells = (rows + 1) * (columns + 1);
        int64_t *v = random_table(&rng, rows, columns);
        unsigned char *hidden = malloc(cells);
        primary(v, cells, k, hidden);
        assert_int_equal(nj_suppress_secondary(&nj_alloc_default, v, rows, columns, hidden),
                         NJ_OK);
        for (size_t i = 0; i < cells; i++) {
            /* Nothing small is published; everything hidden is >= 1. */
            if (!hidden[i])
                assert_false(v[i] >= 1 && v[i] < k);
            else
                assert_true(v[i] >= 1);
            hidden_total += hidden[i] != 0;
            secondary_total += hidden[i] == 2;
        }
        assert_int_equal(determined_cells(hidden, rows, columns), 0);
        free(hidden);
        free(v);
        tables++;
    }
    assert_int_equal(tables, 400);
    assert_true(secondary_total > 0 && secondary_total < hidden_total);
}

/* The audit itself must catch a table protected by primary suppression
 * alone: one small cell in a row is its row total minus the others. */
static void the_audit_catches_primary_only(void **state)
{
    (void)state;
    const int64_t v[] = {
        10, 2, 12,
        20, 30, 50,
        30, 32, 62,
    };
    unsigned char hidden[9];
    primary(v, 9, 3, hidden);
    assert_int_equal(determined_cells(hidden, 2, 2), 1);
    assert_int_equal(nj_suppress_secondary(&nj_alloc_default, v, 2, 2, hidden), NJ_OK);
    assert_int_equal(determined_cells(hidden, 2, 2), 0);
    /* The cheapest rectangle through the 2 is the one through 10, 20, 30
     * (cost 60) rather than one through the totals. */
    const unsigned char expected[] = {2, 1, 0, 2, 2, 0, 0, 0, 0};
    assert_memory_equal(hidden, expected, sizeof expected);
}

/* A single cell table: the cell, its row total, column total and grand
 * total are all the same count, so all four go. */
static void one_cell_table(void **state)
{
    (void)state;
    const int64_t v[] = {2, 2, 2, 2};
    unsigned char hidden[4];
    primary(v, 4, 3, hidden);
    assert_int_equal(nj_suppress_secondary(&nj_alloc_default, v, 1, 1, hidden), NJ_OK);
    const unsigned char expected[] = {1, 1, 1, 1};
    assert_memory_equal(hidden, expected, sizeof expected);
    assert_int_equal(determined_cells(hidden, 1, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_audit_catches_primary_only),
        cmocka_unit_test(one_cell_table),
        cmocka_unit_test(random_tables_pass_the_audit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
