/* YYYYMMDD dates. */
#ifndef NJ_DATE_INTERNAL_H
#define NJ_DATE_INTERNAL_H

#include <stdint.h>

#define NJ_DATE_MIN 19000101
#define NJ_DATE_MAX 29991231

/* Whole years from `birth` to `date`, both valid and date >= birth. */
int32_t nj_date_age(int32_t birth, int32_t date);

#endif
