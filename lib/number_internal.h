/*
 * Numbers in text files, parsed and printed without the C locale.
 *
 * strtod() follows LC_NUMERIC and accepts "inf", "nan", hex and
 * out-of-range values (reliability.md §5), so decimal text is parsed here:
 * the grammar is checked by hand and the conversion is correctly rounded
 * (round half to even) by exact big-integer comparison.
 */
#ifndef NJ_NUMBER_INTERNAL_H
#define NJ_NUMBER_INTERNAL_H

#include "nearjob/common.h"

/* Grammar of the text: a CSV cell or WKT accepts a leading '+', leading
 * zeros, "5." and ".5"; JSON takes RFC 8259 numbers only. */
enum nj_number_grammar {
    NJ_NUMBER_LENIENT = 0,
    NJ_NUMBER_JSON = 1
};

/* Decimal numbers must have at most this many significant digits. */
#define NJ_NUMBER_MAX_DIGITS 40
/* Nonzero magnitudes are accepted in [1e-300, 1e300). */
#define NJ_NUMBER_MAX_EXP10 299
#define NJ_NUMBER_MIN_EXP10 (-300)

/*
 * Length of the longest prefix of s[0, len) that has the shape of a number
 * in `grammar` (digits, one '.', an exponent), or 0. For tokenising JSON
 * and WKT; nj_number_parse_double() then judges the span.
 */
size_t nj_number_span(const char *s, size_t len, int grammar);

/*
 * Parses exactly `len` bytes as a decimal number.
 * @return NJ_OK; NJ_E_CORRUPT (not a decimal number in that grammar: "inf",
 *         "nan", "0x1p3", "1,5", "", ...); NJ_E_RANGE (too many significant
 *         digits, or a nonzero magnitude outside [1e-300, 1e300)).
 *         "-0" gives +0.
 */
nj_status nj_number_parse_double(const char *s, size_t len, int grammar,
                                 double *out);

/*
 * Parses exactly `len` bytes as a decimal integer: an optional sign, then
 * digits (leading zeros allowed).
 * @return NJ_OK, NJ_E_CORRUPT or NJ_E_RANGE (outside int64).
 */
nj_status nj_number_parse_int64(const char *s, size_t len, int64_t *out);

/* Longest text nj_number_format_*() write, with the NUL. */
#define NJ_NUMBER_TEXT_MAX 32

/*
 * Writes `x` (a finite double) so that it parses back to exactly `x`,
 * with '.' as the decimal point whatever the locale: a plain decimal of at
 * most 7 fraction digits when one is exact enough (coordinates, whole
 * numbers), else the shortest of %.15g, %.16g and %.17g that reads back.
 * Zero of either sign is "0". Returns the length.
 */
size_t nj_number_format_double(char buf[NJ_NUMBER_TEXT_MAX], double x);

/* Writes a decimal integer; returns the length. */
size_t nj_number_format_int64(char buf[NJ_NUMBER_TEXT_MAX], int64_t v);

#endif
