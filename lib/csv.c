#include "csv_internal.h"

#include <stdio.h>
#include <string.h>

#include "text_internal.h"

void nj_csv_reader_init(nj_csv_reader *r, const nj_alloc *a, const char *data,
                        size_t len, size_t max_field_bytes, int cp949_hint)
{
    memset(r, 0, sizeof *r);
    r->alloc = a;
    r->data = data;
    r->len = len;
    r->at.line = 1;
    if (nj_has_utf8_bom(data, len))
        r->at.offset = r->at.line_start = 3;
    r->max_field_bytes = max_field_bytes;
    r->cp949_hint = cp949_hint;
    r->error.field = SIZE_MAX;
}

void nj_csv_reader_free(nj_csv_reader *r)
{
    nj_alloc_free(r->alloc, r->fields);
    nj_alloc_free(r->alloc, r->scratch);
    r->fields = NULL;
    r->scratch = NULL;
}

nj_text_pos nj_csv_position(const nj_csv_reader *r, size_t field, size_t offset)
{
    return nj_text_locate(r->data, r->fields[field].start, offset, 0);
}

static nj_status fail_at(nj_csv_reader *r, nj_status status, size_t field,
                         size_t offset, const char *reason)
{
    r->error.status = status;
    r->error.field = field;
    r->error.pos = nj_csv_position(r, field, offset);
    snprintf(r->error.reason, sizeof r->error.reason, "%s", reason);
    return status;
}

static nj_status out_of_memory(nj_csv_reader *r)
{
    r->error.status = NJ_E_NOMEM;
    r->error.field = SIZE_MAX;
    snprintf(r->error.reason, sizeof r->error.reason, "out of memory");
    return NJ_E_NOMEM;
}

/* ---- one field ----------------------------------------------------------- */

static nj_status push_field(nj_csv_reader *r, nj_text_anchor start)
{
    if (r->n_fields == r->fields_cap) {
        void *items = r->fields;
        nj_status st = nj_alloc_grow(r->alloc, &items, &r->fields_cap,
                                     r->n_fields + 1, sizeof *r->fields);
        r->fields = items;
        if (st != NJ_OK)
            return out_of_memory(r);
    }
    r->fields[r->n_fields] = (nj_csv_field){NULL, 0, SIZE_MAX, start};
    r->n_fields++;
    return NJ_OK;
}

/* NUL bytes and UTF-8 over the raw bytes [from, to) of field `f`. */
/* Whether every byte is printable-range ASCII or TAB, CR, LF: the common
 * case, checked without the full UTF-8 decoder. */
static int plain_ascii(const unsigned char *s, size_t n)
{
    /* s | (0x80 - s) has bit 7 set exactly for 0 and for 0x80 .. 0xFF. */
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= (unsigned)s[i] | (0x80u - s[i]);
    return !(bad & 0x80);
}

static nj_status check_bytes(nj_csv_reader *r, size_t f, size_t from, size_t to)
{
    if (plain_ascii((const unsigned char *)r->data + from, to - from))
        return NJ_OK;
    const char *nul = memchr(r->data + from, '\0', to - from);
    size_t bad;
    if (nul)
        return fail_at(r, NJ_E_ENCODING, f, (size_t)(nul - r->data),
                       "embedded NUL byte");
    if (nj_utf8_is_valid(r->data + from, to - from, &bad))
        return NJ_OK;
    char reason[96];
    snprintf(reason, sizeof reason, "invalid UTF-8 byte 0x%02X%s",
             (unsigned)(unsigned char)r->data[from + bad],
             r->cp949_hint && nj_looks_cp949(r->data, r->len)
                 ? " (looks CP949/EUC-KR; declare the encoding)"
                 : "");
    return fail_at(r, NJ_E_ENCODING, f, from + bad, reason);
}

static nj_status check_length(nj_csv_reader *r, size_t f, size_t len)
{
    if (len <= r->max_field_bytes)
        return NJ_OK;
    char reason[120];
    snprintf(reason, sizeof reason,
             "field of %zu bytes, over the limit of %zu (NJ_OPT_IMPORT_MAX_FIELD_BYTES)",
             len, r->max_field_bytes);
    return fail_at(r, NJ_E_RANGE, f, r->fields[f].start.offset, reason);
}

/* Copies the quoted content [from, to) with "" made ", into scratch. */
static nj_status unescape(nj_csv_reader *r, nj_csv_field *field, size_t from,
                          size_t to)
{
    void *items = r->scratch;
    if (nj_alloc_grow(r->alloc, &items, &r->scratch_cap,
                      r->scratch_len + (to - from), 1) != NJ_OK)
        return out_of_memory(r);
    r->scratch = items;
    /* Scratch may move while the record grows: keep an offset for now. */
    field->scratch_at = r->scratch_len;
    for (size_t i = from; i < to; i++) {
        r->scratch[r->scratch_len++] = r->data[i];
        if (r->data[i] == '"')
            i++; /* the second of a pair */
    }
    field->len = r->scratch_len - field->scratch_at;
    return NJ_OK;
}

/* Moves the cursor over a quoted field's content; returns the offset of
 * the closing quote (r->len when there is none). */
static size_t find_closing_quote(const nj_csv_reader *r, size_t pos,
                                 int *doubled)
{
    while (pos < r->len) {
        const char *q = memchr(r->data + pos, '"', r->len - pos);
        if (!q)
            return r->len;
        pos = (size_t)(q - r->data);
        if (pos + 1 < r->len && r->data[pos + 1] == '"') {
            *doubled = 1;
            pos += 2;
            continue;
        }
        return pos;
    }
    return r->len;
}

static int ends_field(const nj_csv_reader *r, size_t pos)
{
    if (pos == r->len)
        return 1;
    char c = r->data[pos];
    /* One comparison for the common case: every delimiter is below '-'. */
    return c < '-' && (c == ',' || c == '\r' || c == '\n');
}

static nj_status read_quoted(nj_csv_reader *r, size_t f, size_t *pos)
{
    size_t open = *pos;
    int doubled = 0;
    size_t close = find_closing_quote(r, open + 1, &doubled);
    if (close == r->len)
        return fail_at(r, NJ_E_CORRUPT, f, open,
                       "unterminated quoted field (the quote opened here is never closed)");
    nj_status st = check_bytes(r, f, open + 1, close);
    if (st != NJ_OK)
        return st;
    if (!ends_field(r, close + 1))
        return fail_at(r, NJ_E_CORRUPT, f, close + 1,
                       "text after the closing quote of a quoted field");
    nj_csv_field *field = &r->fields[f];
    *pos = close + 1;
    if (doubled) {
        if ((st = unescape(r, field, open + 1, close)) != NJ_OK)
            return st;
    } else {
        field->text = r->data + open + 1;
        field->len = close - open - 1;
    }
    return check_length(r, f, field->len);
}

static nj_status read_plain(nj_csv_reader *r, size_t f, size_t *pos)
{
    size_t start = *pos, end = start;
    while (!ends_field(r, end))
        end++;
    nj_status st = check_bytes(r, f, start, end);
    if (st != NJ_OK)
        return st;
    r->fields[f].text = r->data + start;
    r->fields[f].len = end - start;
    *pos = end;
    return check_length(r, f, end - start);
}

/* ---- one record ---------------------------------------------------------- */

/* After the record: a line break (CRLF, LF or CR) or the end. */
static void end_record(nj_csv_reader *r, nj_text_anchor *a, size_t pos)
{
    a->offset = pos; /* the last field's line breaks are counted already */
    if (pos < r->len) {
        pos += r->data[pos] == '\r' && pos + 1 < r->len && r->data[pos + 1] == '\n' ? 2 : 1;
        a->line++;
        a->line_start = pos;
        a->offset = pos;
    }
    r->at = *a;
}

/* Line breaks inside a record come only from quoted fields, so the anchor
 * of a field is the previous one moved along its line, unless a quoted
 * field came between: only that field is scanned for line breaks. */
static nj_status read_field(nj_csv_reader *r, nj_text_anchor *a, size_t *pos)
{
    a->offset = *pos;
    nj_status st = push_field(r, *a);
    if (st != NJ_OK)
        return st;
    size_t f = r->n_fields - 1;
    if (*pos < r->len && r->data[*pos] == '"') {
        st = read_quoted(r, f, pos);
        *a = nj_text_advance(r->data, *a, *pos);
        return st;
    }
    return read_plain(r, f, pos);
}

nj_status nj_csv_read_record(nj_csv_reader *r)
{
    r->n_fields = 0;
    r->scratch_len = 0;
    nj_text_anchor a = r->at;
    size_t pos = a.offset;
    if (pos >= r->len)
        return NJ_OK;
    for (;;) {
        nj_status st = read_field(r, &a, &pos);
        if (st != NJ_OK)
            return st;
        if (pos == r->len || r->data[pos] != ',')
            break;
        pos++;
    }
    for (size_t f = 0; f < r->n_fields; f++)
        if (r->fields[f].scratch_at != SIZE_MAX)
            r->fields[f].text = r->scratch + r->fields[f].scratch_at;
    end_record(r, &a, pos);
    return NJ_OK;
}

/* ---- writing ------------------------------------------------------------- */

/* Whether the first character other than "'" is one of = + - @ TAB CR. */
static int starts_formula(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && text[i] == '\'')
        i++;
    return i < len && text[i] != '\0' && strchr("=+-@\t\r", text[i]);
}

size_t nj_csv_formula_prefix(const char *text, size_t len)
{
    return len > 0 && text[0] == '\'' && starts_formula(text + 1, len - 1);
}

void nj_sink_write(nj_sink *s, const char *bytes, size_t n)
{
    if (s->status != NJ_OK)
        return;
    s->total += n;
    while (n > 0) {
        if (s->used == s->cap) {
            if (!s->flush)
                return;
            if ((s->status = s->flush(s)) != NJ_OK)
                return;
        }
        size_t k = s->cap - s->used < n ? s->cap - s->used : n;
        memcpy(s->buf + s->used, bytes, k);
        s->used += k;
        bytes += k;
        n -= k;
    }
}

void nj_sink_puts(nj_sink *s, const char *text)
{
    nj_sink_write(s, text, strlen(text));
}

void nj_csv_write_bom(nj_sink *s)
{
    nj_sink_write(s, "\xEF\xBB\xBF", 3);
}

static int needs_quotes(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n')
            return 1;
    return 0;
}

void nj_csv_write_field(nj_sink *s, const char *text, size_t len, int first,
                        int free_text)
{
    if (!first)
        nj_sink_write(s, ",", 1);
    int quoted = needs_quotes(text, len);
    if (quoted)
        nj_sink_write(s, "\"", 1);
    if (free_text && starts_formula(text, len))
        nj_sink_write(s, "'", 1);
    if (!quoted) {
        nj_sink_write(s, text, len);
        return;
    }
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '"')
            continue;
        nj_sink_write(s, text + from, i + 1 - from); /* the quote ... */
        nj_sink_write(s, "\"", 1);                  /* ... doubled */
        from = i + 1;
    }
    nj_sink_write(s, text + from, len - from);
    nj_sink_write(s, "\"", 1);
}

void nj_csv_end_record(nj_sink *s)
{
    nj_sink_write(s, "\r\n", 2);
}
