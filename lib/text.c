#include "text_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the sequence starting at s[i] (0 when invalid), per RFC 3629
 * table 3-7 of the Unicode standard. */
static size_t sequence_length(const unsigned char *s, size_t i, size_t len)
{
    unsigned char c = s[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (len - i < n)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    return n;
}

int nj_utf8_is_valid(const char *text, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = sequence_length(s, i, len);
        if (n == 0) {
            *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

void nj_buf_message(char *errmsg, size_t errmsg_size, const char *fmt, ...)
{
    if (!errmsg || errmsg_size == 0)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(errmsg, errmsg_size, fmt, args);
    va_end(args);
}
