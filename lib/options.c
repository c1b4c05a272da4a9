/* Registry options: the ledger's (nearjob/stipend.h) and the import limits
 * (nearjob/io.h), set and read through one pair of functions. */
#include "registry_internal.h"

#include "date_internal.h"

#define MAX_CAP_MINUTES 1000000
#define MAX_BUDGET_KRW (INT64_MAX / 4)

#define DEFAULT_IMPORT_MAX_BYTES ((int64_t)1 << 30)
#define DEFAULT_IMPORT_MAX_ROWS 10000000
#define DEFAULT_IMPORT_MAX_FIELD_BYTES ((int64_t)16 << 20)

void nj_import_limits_init(nj_import_limits *limits)
{
    limits->max_bytes = DEFAULT_IMPORT_MAX_BYTES;
    limits->max_rows = DEFAULT_IMPORT_MAX_ROWS;
    limits->max_field_bytes = DEFAULT_IMPORT_MAX_FIELD_BYTES;
}

/* Where an option lives in the registry (every option is an int64_t). */
#define SLOT(member) offsetof(nj_registry, member)
_Static_assert(sizeof(((nj_registry *)0)->ledger.cap_minutes) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->ledger.period_start_mmdd) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->ledger.budget_krw) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->ledger.rounding) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->import_limits.max_bytes) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->import_limits.max_rows) == sizeof(int64_t) &&
                   sizeof(((nj_registry *)0)->import_limits.max_field_bytes) == sizeof(int64_t),
               "options are int64_t");

/* Every option, in ascending id order (a snapshot stores them that way):
 * the bounds of its values, where it is kept, and whether it shapes
 * recorded stipends, which freezes it once the ledger has entries (so a
 * statement never changes under an auditor's feet). A new option is one
 * more line here. */
static const struct option_def {
    int32_t id;
    int64_t min, max;
    size_t slot;
    int frozen_by_ledger;
} option_defs[] = {
    {NJ_OPT_STIPEND_CAP_MINUTES, 0, MAX_CAP_MINUTES, SLOT(ledger.cap_minutes), 1},
    {NJ_OPT_PERIOD_START_MMDD, 101, 1231, SLOT(ledger.period_start_mmdd), 1},
    {NJ_OPT_BUDGET_KRW, 0, MAX_BUDGET_KRW, SLOT(ledger.budget_krw), 0},
    {NJ_OPT_ROUNDING, NJ_ROUND_FLOOR, NJ_ROUND_HALF_UP, SLOT(ledger.rounding), 1},
    {NJ_OPT_IMPORT_MAX_BYTES, 1, (int64_t)1 << 62, SLOT(import_limits.max_bytes), 0},
    {NJ_OPT_IMPORT_MAX_ROWS, 1, (int64_t)1 << 40, SLOT(import_limits.max_rows), 0},
    {NJ_OPT_IMPORT_MAX_FIELD_BYTES, 1, (int64_t)1 << 31, SLOT(import_limits.max_field_bytes), 0},
};

#define OPTION_COUNT (sizeof option_defs / sizeof option_defs[0])

static const struct option_def *find_option(int32_t option)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (option_defs[i].id == option)
            return &option_defs[i];
    return NULL;
}

static int64_t *option_slot(const nj_registry *reg, const struct option_def *def)
{
    return (int64_t *)(void *)((char *)(uintptr_t)reg + def->slot);
}

size_t nj_option_count(void)
{
    return OPTION_COUNT;
}

int32_t nj_option_id(size_t i)
{
    return i < OPTION_COUNT ? option_defs[i].id : 0;
}

int64_t nj_option_value(const nj_registry *reg, size_t i)
{
    return i < OPTION_COUNT ? *option_slot(reg, &option_defs[i]) : 0;
}

nj_status nj_option_bounds(int32_t option, int64_t *min, int64_t *max)
{
    if (!min || !max)
        return NJ_E_INVALID;
    const struct option_def *def = find_option(option);
    if (!def)
        return NJ_E_UNSUPPORTED;
    *min = def->min;
    *max = def->max;
    return NJ_OK;
}

nj_status nj_registry_set_int64(nj_registry *reg, int32_t option, int64_t value)
{
    if (!reg)
        return NJ_E_INVALID;
    const struct option_def *def = find_option(option);
    if (!def)
        return nj_fail(reg, NJ_E_UNSUPPORTED, "option %ld is not known", (long)option);
    if (value < def->min || value > def->max ||
        (option == NJ_OPT_PERIOD_START_MMDD &&
         (value == 229 || !nj_date_is_valid(20000000 + (int32_t)value))))
        return nj_fail(reg, NJ_E_RANGE, "option %ld: value %lld outside [%lld, %lld]%s",
                       (long)option, (long long)value, (long long)def->min,
                       (long long)def->max,
                       option == NJ_OPT_PERIOD_START_MMDD ? " or not a month and day" : "");
    if (def->frozen_by_ledger && reg->ledger.count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "option %ld cannot change once the ledger has entries (%zu)",
                       (long)option, reg->ledger.count);
    *option_slot(reg, def) = value;
    return NJ_OK;
}

nj_status nj_registry_get_int64(const nj_registry *reg, int32_t option,
                                int64_t *value)
{
    if (!reg || !value)
        return NJ_E_INVALID;
    const struct option_def *def = find_option(option);
    if (!def)
        return NJ_E_UNSUPPORTED;
    *value = *option_slot(reg, def);
    return NJ_OK;
}
