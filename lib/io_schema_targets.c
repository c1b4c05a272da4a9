/* CSV schema of job targets (nearjob/stats.h): one row per year x region x
 * programme type. docs/csv.md documents the columns. */
#include "io_internal.h"

#include <string.h>

enum { T_YEAR, T_REGION, T_TYPE, T_TARGET, T_COLUMNS };

static const nj_io_column target_columns[T_COLUMNS] = {
    [T_YEAR] = {"year", "연도|년도", NJ_IO_INT, NJ_IO_REQUIRED, NULL, 0},
    [T_REGION] = {"region_id", "region|지역코드|행정구역코드", NJ_IO_REF, NJ_IO_REQUIRED, NULL, 0},
    [T_TYPE] = {"programme_type", "program_type|사업유형", NJ_IO_ENUM, 0,
                nj_io_programme_words, NJ_PROGRAMME_CUSTOM_BASE},
    [T_TARGET] = {"target", "목표|목표일자리수", NJ_IO_MONEY, NJ_IO_REQUIRED, NULL, 0},
};

/* Without the column (or with an empty cell), a target covers all
 * programmes. */
static int32_t type_of(const nj_io_value *row)
{
    return row[T_TYPE].present ? (int32_t)row[T_TYPE].i : NJ_PROGRAMME_ALL;
}

/* A key is new to the registry and, after pass 1, to the file. */
static nj_status target_check(nj_io_import *im, const nj_io_value *row)
{
    int64_t existing;
    int32_t year = (int32_t)row[T_YEAR].i, type = type_of(row);
    if (nj_target_get(im->reg, year, row[T_REGION].i, type, &existing) == NJ_OK)
        return nj_io_fail(im, NJ_E_EXISTS, T_YEAR,
                          "the registry already has a target for %ld, region %lld, "
                          "programme type %ld", (long)year, (long long)row[T_REGION].i,
                          (long)type);
    /* Year and type in one int64: both fit 32 bits. */
    int64_t year_and_type = (int64_t)((uint64_t)(uint32_t)year << 32 | (uint32_t)type);
    return nj_io_remember_key(im, row[T_REGION].i, year_and_type, T_YEAR);
}

static nj_status target_finish(nj_io_import *im)
{
    const nj_io_key *first, *second = nj_io_duplicate_key(im, &first);
    if (!second)
        return NJ_OK;
    return nj_fail(im->reg, NJ_E_EXISTS,
                   "line %zu, column %zu (year): the target for %ld, region %lld, "
                   "programme type %ld is given twice, on lines %zu and %zu",
                   second->pos.line, second->pos.column,
                   (long)(int32_t)(uint32_t)((uint64_t)second->b >> 32), (long long)second->a,
                   (long)(int32_t)(uint32_t)second->b, first->pos.line, second->pos.line);
}

static nj_status target_apply(nj_io_import *im, const nj_io_value *row, nj_io_undo *undo)
{
    nj_status st = nj_target_set(im->reg, (int32_t)row[T_YEAR].i, row[T_REGION].i,
                                 type_of(row), row[T_TARGET].i);
    im->fail_column = st == NJ_E_NOT_FOUND ? T_REGION
                      : st == NJ_E_INVALID ? T_TYPE
                      : st == NJ_E_RANGE && row[T_YEAR].i >= 1 && row[T_YEAR].i <= 9999
                          ? T_TARGET
                          : T_YEAR;
    undo->id = row[T_REGION].i;
    undo->saved = (int32_t)row[T_YEAR].i;
    undo->object = (void *)(intptr_t)type_of(row);
    return st;
}

static void target_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_target_remove(reg, undo->saved, undo->id, (int32_t)(intptr_t)undo->object);
}

/* Targets are kept in (year, region, type) order: the items are their
 * positions. */
static nj_status target_order(const nj_registry *reg, void ***items, size_t *count)
{
    size_t n = nj_target_count(reg);
    void **out = nj_alloc_array(&reg->alloc, n ? n : 1, sizeof *out);
    if (!out)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        out[i] = &reg->targets[i];
    *items = out;
    *count = n;
    return NJ_OK;
}

static nj_status target_fill(const nj_registry *reg, const void *item, nj_io_value *row,
                             nj_shape *shape)
{
    (void)reg;
    (void)shape;
    const nj_target *t = item;
    nj_io_set_int(&row[T_YEAR], t->year);
    nj_io_set_ref(&row[T_REGION], t->region->head.id);
    nj_io_set_int(&row[T_TYPE], t->programme_type);
    nj_io_set_int(&row[T_TARGET], t->count);
    return NJ_OK;
}

const nj_io_schema nj_io_targets = {
    "target", target_columns, T_COLUMNS, NULL, target_check, target_finish,
    target_apply, NULL, target_undo, target_order, target_fill};
