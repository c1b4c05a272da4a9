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

/* Every option, in ascending id order (a snapshot stores them that way),
 * with the bounds of its values. A new option is one more line here and
 * one in option_slot(). */
static const struct option_def {
    int32_t id;
    int64_t min, max;
} option_defs[] = {
    {NJ_OPT_STIPEND_CAP_MINUTES, 0, MAX_CAP_MINUTES},
    {NJ_OPT_PERIOD_START_MMDD, 101, 1231},
    {NJ_OPT_BUDGET_KRW, 0, MAX_BUDGET_KRW},
    {NJ_OPT_ROUNDING, NJ_ROUND_FLOOR, NJ_ROUND_HALF_UP},
    {NJ_OPT_IMPORT_MAX_BYTES, 1, (int64_t)1 << 62},
    {NJ_OPT_IMPORT_MAX_ROWS, 1, (int64_t)1 << 40},
    {NJ_OPT_IMPORT_MAX_FIELD_BYTES, 1, (int64_t)1 << 31},
};

size_t nj_option_count(void)
{
    return sizeof option_defs / sizeof option_defs[0];
}

int32_t nj_option_id(size_t i)
{
    return i < nj_option_count() ? option_defs[i].id : 0;
}

nj_status nj_option_bounds(int32_t option, int64_t *min, int64_t *max)
{
    if (!min || !max)
        return NJ_E_INVALID;
    for (size_t i = 0; i < nj_option_count(); i++) {
        if (option_defs[i].id == option) {
            *min = option_defs[i].min;
            *max = option_defs[i].max;
            return NJ_OK;
        }
    }
    return NJ_E_UNSUPPORTED;
}

static int64_t *option_slot(nj_registry *reg, int32_t option)
{
    switch (option) {
    case NJ_OPT_STIPEND_CAP_MINUTES: return &reg->ledger.cap_minutes;
    case NJ_OPT_PERIOD_START_MMDD: return &reg->ledger.period_start_mmdd;
    case NJ_OPT_BUDGET_KRW: return &reg->ledger.budget_krw;
    case NJ_OPT_ROUNDING: return &reg->ledger.rounding;
    case NJ_OPT_IMPORT_MAX_BYTES: return &reg->import_limits.max_bytes;
    case NJ_OPT_IMPORT_MAX_ROWS: return &reg->import_limits.max_rows;
    case NJ_OPT_IMPORT_MAX_FIELD_BYTES: return &reg->import_limits.max_field_bytes;
    default: return NULL;
    }
}

/* Options that shape recorded stipends are frozen once there are entries,
 * so a statement never changes under an auditor's feet. */
static int frozen_by_ledger(int32_t option)
{
    return option == NJ_OPT_STIPEND_CAP_MINUTES ||
           option == NJ_OPT_PERIOD_START_MMDD || option == NJ_OPT_ROUNDING;
}

nj_status nj_registry_set_int64(nj_registry *reg, int32_t option, int64_t value)
{
    if (!reg)
        return NJ_E_INVALID;
    int64_t lo, hi;
    if (nj_option_bounds(option, &lo, &hi) != NJ_OK)
        return nj_fail(reg, NJ_E_UNSUPPORTED, "option %ld is not known", (long)option);
    if (value < lo || value > hi ||
        (option == NJ_OPT_PERIOD_START_MMDD &&
         (value == 229 || !nj_date_is_valid(20000000 + (int32_t)value))))
        return nj_fail(reg, NJ_E_RANGE, "option %ld: value %lld outside [%lld, %lld]%s",
                       (long)option, (long long)value, (long long)lo, (long long)hi,
                       option == NJ_OPT_PERIOD_START_MMDD ? " or not a month and day" : "");
    if (frozen_by_ledger(option) && reg->ledger.count > 0)
        return nj_fail(reg, NJ_E_IN_USE,
                       "option %ld cannot change once the ledger has entries (%zu)",
                       (long)option, reg->ledger.count);
    *option_slot(reg, option) = value;
    return NJ_OK;
}

nj_status nj_registry_get_int64(const nj_registry *reg, int32_t option,
                                int64_t *value)
{
    if (!reg || !value)
        return NJ_E_INVALID;
    int64_t *slot = option_slot((nj_registry *)reg, option);
    if (!slot)
        return NJ_E_UNSUPPORTED;
    *value = *slot;
    return NJ_OK;
}
