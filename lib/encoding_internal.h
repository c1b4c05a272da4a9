/*
 * Text encodings of imported files: positions (line, column) for messages,
 * the CP949 look-alike test behind the "declare the encoding" hint, and
 * the CP949 to UTF-8 conversion through iconv.
 */
#ifndef NJ_ENCODING_INTERNAL_H
#define NJ_ENCODING_INTERNAL_H

#include "alloc_internal.h"

/* A place in a text: 1-based physical line (CRLF, LF and a lone CR each
 * end one) and 1-based column counted in characters. */
typedef struct nj_text_pos {
    size_t line, column;
} nj_text_pos;

/* A known point of the text: byte offset, its line and where that line
 * starts. Scanning from an anchor avoids rescanning the whole input. */
typedef struct nj_text_anchor {
    size_t offset, line, line_start;
} nj_text_anchor;

/* The anchor of `target` (>= from.offset): line breaks counted on the way. */
nj_text_anchor nj_text_advance(const char *text, nj_text_anchor from, size_t target);

/* Characters are counted as UTF-8 code points, or as CP949 characters
 * (one byte below 0x80, else two) when `cp949` is set. */
nj_text_pos nj_text_locate(const char *text, nj_text_anchor from,
                           size_t target, int cp949);

/* Whether the UTF-8 byte-order mark starts the text. */
int nj_has_utf8_bom(const char *text, size_t len);

/*
 * Whether the text reads as CP949: every byte is ASCII or a lead byte
 * 0x81..0xFE followed by a trail byte 0x41..0x5A, 0x61..0x7A or
 * 0x81..0xFE, and there is at least one such pair.
 */
int nj_looks_cp949(const char *text, size_t len);

/*
 * Converts CP949 text to UTF-8 with iconv("UTF-8", "CP949") into a buffer
 * from `a` (NUL-terminated; *out_len excludes the NUL).
 * @return NJ_OK; NJ_E_ENCODING (*bad_offset: the first byte that is not
 *         CP949, or where a truncated character starts, or len when iconv
 *         consumed the last character and could not map it, as glibc does
 *         with a final A2 E8); NJ_E_UNSUPPORTED (the C library's iconv has
 *         no CP949); NJ_E_NOMEM.
 */
nj_status nj_cp949_to_utf8(const nj_alloc *a, const char *in, size_t len,
                           char **out, size_t *out_len, size_t *bad_offset);

#endif
