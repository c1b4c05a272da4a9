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

#endif
