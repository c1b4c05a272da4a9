/*
 * Small text helpers shared by the example loaders: whole-file reading with
 * a size limit, and strict, locale-independent number parsing.
 *
 * Example and test support code, not part of libnearjob.
 */
#ifndef NJ_EXAMPLES_TEXT_UTIL_H
#define NJ_EXAMPLES_TEXT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <nearjob.h>

/**
 * Read a whole file into a NUL-terminated malloc'ed buffer.
 *
 * @param max_bytes  files larger than this are refused with NJ_E_RANGE
 * @param[out] text  the contents, to be freed with free(); NULL on failure
 * @param[out] len   the number of bytes read (the NUL is not counted)
 * @return NJ_OK, NJ_E_IO (cannot open or read; errno tells why), NJ_E_RANGE
 *         or NJ_E_NOMEM.
 */
nj_status text_read_file(const char *path, size_t max_bytes, char **text,
                         size_t *len);

/**
 * Length of the JSON number (RFC 8259 grammar:
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) at the start of `text`,
 * or 0 when `text` does not start with one.
 */
size_t text_number_span(const char *text, size_t len);

/**
 * Parse exactly `len` bytes as a JSON number, whatever LC_NUMERIC says.
 *
 * The grammar is checked by hand, so "inf", "nan", hex, "+1" and "1." are
 * refused. The conversion itself is strtod's (correctly rounded in glibc),
 * after the '.' is replaced by the current locale's decimal point, the
 * approach jansson takes. Numbers longer than 64 bytes are refused.
 *
 * @return NJ_OK, NJ_E_CORRUPT (not a number) or NJ_E_RANGE (magnitude
 *         overflows a double; underflow gives 0 and is accepted).
 */
nj_status text_parse_double(const char *text, size_t len, double *out);

/**
 * Parse exactly `len` bytes as an administrative code: 1 to 18 ASCII digits,
 * no sign, leading zeros allowed.
 * @return NJ_OK or NJ_E_CORRUPT.
 */
nj_status text_parse_code(const char *text, size_t len, int64_t *out);

#endif /* NJ_EXAMPLES_TEXT_UTIL_H */
