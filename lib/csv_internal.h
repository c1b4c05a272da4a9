/*
 * RFC 4180 reading and writing, independent of what the columns mean.
 *
 * Reading: records are separated by CRLF, LF or a lone CR; fields by
 * commas. A field that starts with '"' is quoted: it may hold commas, line
 * breaks and doubled quotes, and must be followed by a comma, a line break
 * or the end. An unquoted field may contain a '"', taken literally. Every
 * field is checked for NUL bytes, UTF-8 and the field-length limit as it is
 * read; errors carry the physical line and the character column.
 *
 * Writing: a sink that counts, fills a caller buffer, or streams to a file.
 */
#ifndef NJ_CSV_INTERNAL_H
#define NJ_CSV_INTERNAL_H

#include "alloc_internal.h"
#include "encoding_internal.h"

/* One field of the current record. */
typedef struct nj_csv_field {
    const char *text;       /* unescaped content; not NUL-terminated */
    size_t len;
    size_t scratch_at;      /* while reading: offset in scratch, or SIZE_MAX */
    nj_text_anchor start;   /* its first byte (the opening quote, if any) */
} nj_csv_field;

/* Why reading stopped. `reason` never ends with a period. */
typedef struct nj_csv_error {
    nj_status status;
    nj_text_pos pos;
    size_t field;           /* index in the record, or SIZE_MAX */
    char reason[200];
} nj_csv_error;

typedef struct nj_csv_reader {
    const nj_alloc *alloc;
    const char *data;
    size_t len;
    nj_text_anchor at;       /* where the next record starts */
    size_t max_field_bytes;
    int cp949_hint;          /* invalid UTF-8 in text that looks CP949 gets the
                                "declare the encoding" hint */
    nj_csv_field *fields;    /* the current record */
    size_t n_fields, fields_cap;
    char *scratch;           /* unescaped quoted fields */
    size_t scratch_len, scratch_cap;
    nj_csv_error error;
} nj_csv_reader;

/* Reads `data` (a UTF-8 byte-order mark at the start is skipped). */
void nj_csv_reader_init(nj_csv_reader *r, const nj_alloc *a, const char *data,
                        size_t len, size_t max_field_bytes, int cp949_hint);
void nj_csv_reader_free(nj_csv_reader *r);

/*
 * Reads the next record into r->fields. At the end of the input it returns
 * NJ_OK with n_fields 0. Errors (r->error): NJ_E_CORRUPT (unterminated
 * quote, text after a closing quote), NJ_E_ENCODING (a NUL byte, invalid
 * UTF-8), NJ_E_RANGE (a field over the limit), NJ_E_NOMEM.
 */
nj_status nj_csv_read_record(nj_csv_reader *r);

/* Line and column of a byte inside the current record's field `field`. */
nj_text_pos nj_csv_position(const nj_csv_reader *r, size_t field,
                            size_t offset);

/*
 * Free text (names, titles) is neutralised against formula injection on
 * export: a cell whose first character other than "'" is one of
 * = + - @ TAB CR gets one more "'" in front, which import takes off again.
 * Returns the number of leading bytes import drops (0 or 1).
 */
size_t nj_csv_formula_prefix(const char *text, size_t len);

/* ---- writing ------------------------------------------------------------- */

typedef struct nj_sink nj_sink;
struct nj_sink {
    char *buf;              /* NULL with cap 0: count only */
    size_t cap, used;       /* used: bytes now in buf */
    size_t total;           /* bytes produced so far */
    /* Empties a full buf (file export); NULL: bytes past cap are counted
     * but not stored. */
    nj_status (*flush)(nj_sink *sink);
    void *user;
    nj_status status;       /* the first flush error */
};

void nj_sink_write(nj_sink *s, const char *bytes, size_t n);
void nj_sink_puts(nj_sink *s, const char *text);

/* The byte-order mark spreadsheet programs need to read UTF-8. */
void nj_csv_write_bom(nj_sink *s);
/* A field, quoted when it holds a comma, quote or line break; separated
 * from the previous one unless `first`. Free text is neutralised. */
void nj_csv_write_field(nj_sink *s, const char *text, size_t len, int first,
                        int free_text);
void nj_csv_end_record(nj_sink *s);

#endif
