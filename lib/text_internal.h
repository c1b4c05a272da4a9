/* Validation of caller text. */
#ifndef NJ_TEXT_INTERNAL_H
#define NJ_TEXT_INTERNAL_H

#include <stddef.h>

/* Longest name or title accepted, in bytes. */
#define NJ_NAME_MAX_BYTES 1024

/*
 * Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns 1 when valid; otherwise 0 and the offset of the first bad byte.
 */
int nj_utf8_is_valid(const char *s, size_t len, size_t *bad_offset);

/* snprintf into an optional caller buffer (NULL or size 0: nothing), for
 * the functions that report through an errmsg argument instead of the
 * registry's message (snapshots, CSV export to a file). */
void nj_buf_message(char *errmsg, size_t errmsg_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
