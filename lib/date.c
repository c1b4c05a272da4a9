#include "date_internal.h"

#include "nearjob/participant.h"

static int is_leap_year(int32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int32_t days_in_month(int32_t year, int32_t month)
{
    static const int32_t days[12] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

int nj_date_is_valid(int32_t yyyymmdd)
{
    if (yyyymmdd < NJ_DATE_MIN || yyyymmdd > NJ_DATE_MAX)
        return 0;
    int32_t year = yyyymmdd / 10000;
    int32_t month = yyyymmdd / 100 % 100;
    int32_t day = yyyymmdd % 100;
    return month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

int32_t nj_date_age(int32_t birth, int32_t date)
{
    int32_t years = date / 10000 - birth / 10000;
    /* MMDD comparison: the birthday counts from its own day. */
    if (date % 10000 < birth % 10000)
        years--;
    return years;
}
