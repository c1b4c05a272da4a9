/* The public CSV functions: arguments, encodings, files. */
#include "io_internal.h"

#include "file_io_internal.h"
#include "text_internal.h"

static nj_status schema_for(nj_registry *reg, int32_t object,
                            const nj_io_schema **schema)
{
    *schema = nj_io_schema_of(object);
    if (*schema)
        return NJ_OK;
    return reg ? nj_fail(reg, NJ_E_INVALID,
                         "object %ld is not an nj_csv_object (1..7)", (long)object)
               : NJ_E_INVALID;
}

/* Converts declared (or detected) CP949 input; *text is then owned. */
static nj_status convert_cp949(nj_registry *reg, const char *data, size_t len,
                               char **text, size_t *text_len)
{
    size_t bad = 0;
    nj_status st = nj_cp949_to_utf8(&reg->alloc, data, len, text, text_len, &bad);
    if (st == NJ_E_NOMEM)
        return nj_fail(reg, st, "CP949 conversion: out of memory");
    if (st == NJ_E_UNSUPPORTED)
        return nj_fail(reg, st, "the C library's iconv cannot convert from CP949");
    if (st != NJ_OK) {
        nj_text_anchor start = {0, 1, 0};
        /* iconv may stop past the last byte (glibc does on A2 E8, which
         * CP949 does not map): then there is no byte to name. */
        if (bad > len)
            bad = len;
        nj_text_pos pos = nj_text_locate(data, start, bad, 1);
        if (bad == len)
            return nj_fail(reg, st,
                           "line %zu, column %zu: the input ends in a character "
                           "CP949 does not map", pos.line, pos.column);
        return nj_fail(reg, st, "line %zu, column %zu: invalid CP949 byte 0x%02X",
                       pos.line, pos.column, (unsigned)(unsigned char)data[bad]);
    }
    return NJ_OK;
}

/* Whether AUTO takes the input as CP949: it is not UTF-8 (and has no BOM)
 * but reads as CP949. */
static int detect_cp949(const char *data, size_t len)
{
    size_t bad;
    return !nj_has_utf8_bom(data, len) && !nj_utf8_is_valid(data, len, &bad) &&
           nj_looks_cp949(data, len);
}

static nj_status import_bytes(nj_registry *reg, const nj_io_schema *schema,
                              const char *data, size_t len, int32_t encoding,
                              size_t *rows)
{
    int cp949 = encoding == NJ_ENCODING_CP949 ||
                (encoding == NJ_ENCODING_AUTO && detect_cp949(data, len));
    if (!cp949)
        return nj_io_import_text(reg, schema, data, len, 0,
                                 encoding == NJ_ENCODING_UTF8, rows);
    if (nj_has_utf8_bom(data, len))
        return nj_fail(reg, NJ_E_ENCODING,
                       "line 1, column 1: a UTF-8 byte-order mark, but CP949 was declared");
    char *text = NULL;
    size_t text_len = 0;
    nj_status st = convert_cp949(reg, data, len, &text, &text_len);
    if (st == NJ_OK)
        st = nj_io_import_text(reg, schema, text, text_len, 1, 0, rows);
    nj_alloc_free(&reg->alloc, text);
    return st;
}

static nj_status check_import(nj_registry *reg, int32_t object, int32_t encoding,
                              const nj_io_schema **schema)
{
    nj_status st = schema_for(reg, object, schema);
    if (st == NJ_OK && encoding != NJ_ENCODING_UTF8 && encoding != NJ_ENCODING_CP949 &&
        encoding != NJ_ENCODING_AUTO)
        st = nj_fail(reg, NJ_E_INVALID,
                     "encoding %ld is not 1 (UTF-8), 2 (CP949) or 3 (auto)", (long)encoding);
    return st;
}

nj_status nj_csv_import(nj_registry *reg, int32_t object, const char *data,
                        size_t len, int32_t encoding, size_t *rows)
{
    const nj_io_schema *schema;
    size_t n = 0;
    if (rows)
        *rows = 0;
    if (!reg)
        return NJ_E_INVALID;
    if (!data && len > 0)
        return nj_fail(reg, NJ_E_INVALID, "CSV import: data is NULL");
    nj_status st = check_import(reg, object, encoding, &schema);
    if (st != NJ_OK)
        return st;
    if (len > (uint64_t)reg->import_limits.max_bytes)
        return nj_fail(reg, NJ_E_RANGE,
                       "input of %zu bytes, over the limit of %lld (NJ_OPT_IMPORT_MAX_BYTES)",
                       len, (long long)reg->import_limits.max_bytes);
    st = import_bytes(reg, schema, data ? data : "", len, encoding, &n);
    if (st == NJ_OK && rows)
        *rows = n;
    return st;
}

nj_status nj_csv_import_file_ops(nj_registry *reg, int32_t object, const char *path,
                                 int32_t encoding, size_t *rows, const nj_file_ops *ops)
{
    const nj_io_schema *schema;
    if (rows)
        *rows = 0;
    if (!reg)
        return NJ_E_INVALID;
    if (!path)
        return nj_fail(reg, NJ_E_INVALID, "CSV import: path is NULL");
    nj_status st = check_import(reg, object, encoding, &schema);
    uint8_t *data = NULL;
    size_t len = 0;
    if (st == NJ_OK)
        st = nj_io_load_file(reg, path, ops, "CSV import", &data, &len);
    if (st == NJ_OK)
        st = nj_csv_import(reg, object, (const char *)data, len, encoding, rows);
    nj_alloc_free(&reg->alloc, data);
    return st;
}

nj_status nj_csv_import_file(nj_registry *reg, int32_t object, const char *path,
                             int32_t encoding, size_t *rows)
{
    return nj_csv_import_file_ops(reg, object, path, encoding, rows, &nj_file_ops_posix);
}

nj_status nj_io_load_file(nj_registry *reg, const char *path, const nj_file_ops *ops,
                          const char *what, uint8_t **data, size_t *len)
{
    const nj_file_report report = {what, "file", reg->errmsg, sizeof reg->errmsg};
    return nj_file_load(ops, &reg->alloc, path, (size_t)reg->import_limits.max_bytes,
                        "NJ_OPT_IMPORT_MAX_BYTES", data, len, &report);
}

nj_status nj_csv_export(const nj_registry *reg, int32_t object, char *buf,
                        size_t capacity, size_t *size)
{
    if (!reg || !size || (!buf && capacity > 0))
        return NJ_E_INVALID;
    const nj_io_schema *schema;
    nj_status st = schema_for(NULL, object, &schema);
    if (st != NJ_OK)
        return st;
    /* Count first, so a buffer that is too small is left untouched. */
    nj_sink count = {NULL, 0, 0, 0, NULL, NULL, NJ_OK};
    if ((st = nj_io_export(reg, schema, &count)) != NJ_OK)
        return st;
    *size = count.total;
    if (count.total > capacity)
        return NJ_E_BUFFER_TOO_SMALL;
    nj_sink out = {buf, capacity, 0, 0, NULL, NULL, NJ_OK};
    return nj_io_export(reg, schema, &out);
}

nj_status nj_csv_export_file_ops(const nj_registry *reg, int32_t object, const char *path,
                                 const nj_file_ops *ops, char *errmsg, size_t errmsg_size)
{
    const nj_io_schema *schema;
    nj_buf_message(errmsg, errmsg_size, "%s", "");
    if (!reg || !path) {
        nj_buf_message(errmsg, errmsg_size, "CSV export: %s is NULL", reg ? "path" : "reg");
        return NJ_E_INVALID;
    }
    if (schema_for(NULL, object, &schema) != NJ_OK) {
        nj_buf_message(errmsg, errmsg_size,
                       "CSV export: object %ld is not an nj_csv_object (1..7)", (long)object);
        return NJ_E_INVALID;
    }
    /* The whole file in memory first, so nothing touches the disk unless
     * the export can be made. */
    nj_sink count = {NULL, 0, 0, 0, NULL, NULL, NJ_OK};
    char *buf = NULL;
    nj_status st = nj_io_export(reg, schema, &count);
    if (st == NJ_OK && !(buf = nj_alloc_malloc(&reg->alloc, count.total)))
        st = NJ_E_NOMEM;
    nj_sink out = {buf, count.total, 0, 0, NULL, NULL, NJ_OK};
    if (st == NJ_OK)
        st = nj_io_export(reg, schema, &out);
    if (st == NJ_OK) {
        const nj_file_report report = {"CSV export", "file", errmsg, errmsg_size};
        st = nj_file_save(ops, &reg->alloc, path, buf, out.total, &report);
    } else {
        nj_buf_message(errmsg, errmsg_size, "CSV export: %s; the old file is untouched",
                       st == NJ_E_NOMEM ? "out of memory" : "a stipend total overflowed");
    }
    nj_alloc_free(&reg->alloc, buf);
    return st;
}

nj_status nj_csv_export_file(const nj_registry *reg, int32_t object, const char *path,
                             char *errmsg, size_t errmsg_size)
{
    return nj_csv_export_file_ops(reg, object, path, &nj_file_ops_posix, errmsg, errmsg_size);
}
