#include "encoding_internal.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

static int is_utf8_continuation(unsigned char c)
{
    return c >= 0x80 && c <= 0xBF;
}

static size_t count_characters(const unsigned char *s, size_t from, size_t to,
                               int cp949)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        if (cp949) {
            if (s[i] >= 0x81 && s[i] <= 0xFE && i + 1 < to)
                i++;
            n++;
        } else {
            n += !is_utf8_continuation(s[i]);
        }
    }
    return n;
}

nj_text_anchor nj_text_advance(const char *text, nj_text_anchor from, size_t target)
{
    for (size_t i = from.offset; i < target; i++) {
        if (text[i] == '\r' && i + 1 < target && text[i + 1] == '\n')
            i++;
        if (text[i] == '\r' || text[i] == '\n') {
            from.line++;
            from.line_start = i + 1;
        }
    }
    from.offset = target;
    return from;
}

nj_text_pos nj_text_locate(const char *text, nj_text_anchor from,
                           size_t target, int cp949)
{
    nj_text_anchor at = nj_text_advance(text, from, target);
    nj_text_pos pos = {at.line, count_characters((const unsigned char *)text,
                                                 at.line_start, target, cp949) + 1};
    return pos;
}

int nj_has_utf8_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

static int is_cp949_trail(unsigned char c)
{
    return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) ||
           (c >= 0x81 && c <= 0xFE);
}

int nj_looks_cp949(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    int pairs = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0x80)
            continue;
        if (s[i] > 0xFE || s[i] == 0x80 || i + 1 == len || !is_cp949_trail(s[i + 1]))
            return 0;
        i++;
        pairs = 1;
    }
    return pairs;
}

/* A CP949 character is at most 2 bytes and becomes at most 3 in UTF-8. */
static size_t utf8_capacity(size_t len)
{
    size_t cap;
    if (__builtin_add_overflow(len, len / 2, &cap) ||
        __builtin_add_overflow(cap, 8, &cap))
        return 0;
    return cap;
}

static nj_status convert(iconv_t cd, const nj_alloc *a, const char *in,
                         size_t len, char **out, size_t *out_len,
                         size_t *bad_offset)
{
    size_t cap = utf8_capacity(len);
    char *buf = cap ? nj_alloc_malloc(a, cap) : NULL;
    if (!buf)
        return NJ_E_NOMEM;
    char *src = (char *)in, *dst = buf; /* iconv does not write the input */
    size_t src_left = len, dst_left = cap - 1;
    while (src_left > 0) {
        if (iconv(cd, &src, &src_left, &dst, &dst_left) != (size_t)-1)
            continue;
        /* E2BIG cannot happen with the capacity above; treat every error
         * as bad input at the byte iconv stopped on. */
        *bad_offset = (size_t)(src - in);
        nj_alloc_free(a, buf);
        return NJ_E_ENCODING;
    }
    *dst = '\0';
    *out = buf;
    *out_len = (size_t)(dst - buf);
    return NJ_OK;
}

nj_status nj_cp949_to_utf8(const nj_alloc *a, const char *in, size_t len,
                           char **out, size_t *out_len, size_t *bad_offset)
{
    /* CP949, not EUC-KR: EUC-KR lacks the 8,822 extra Hangul (똠 = 8C 63). */
    iconv_t cd = iconv_open("UTF-8", "CP949");
    if (cd == (iconv_t)-1)
        return NJ_E_UNSUPPORTED;
    nj_status st = convert(cd, a, in, len, out, out_len, bad_offset);
    iconv_close(cd);
    return st;
}
