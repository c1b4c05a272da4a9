/*
 * Statistics as bytes (docs/statistics.md, "Bytes"), so that a province can
 * merge its districts' results in any engine that can call a C function.
 *
 *   "NJST" | u32 version | i32 from | i32 to | u32 fields | u32 regions |
 *   u32 rows | regions: i64 id, i64 parent, i32 level, u32 n, n name bytes |
 *   rows: i32 year, i32 type, i64 region, fields x i64 | u32 CRC-32C of all
 *   bytes before it
 *
 * All little-endian. Loading validates everything before the object is
 * handed back; a failure names the byte offset.
 */
#include "stats_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crc32c_internal.h"
#include "nearjob/participant.h"
#include "nearjob/region.h"
#include "text_internal.h"

#define STATS_MAGIC "NJST"
#define STATS_VERSION 1u
#define HEADER_BYTES 28u
#define REGION_FIXED_BYTES 24u
#define ROW_BYTES (16u + 8u * NJ_F_COUNT)
#define NAME_MAX_BYTES 1024u

/* ---- writing ----------------------------------------------------------- */

typedef struct writer {
    unsigned char *at;
} writer;

static void put_u32(writer *w, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        *w->at++ = (unsigned char)(v >> (8 * i));
}

static void put_u64(writer *w, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        *w->at++ = (unsigned char)(v >> (8 * i));
}

static size_t stats_bytes(const nj_stats *s)
{
    size_t n = HEADER_BYTES + 4 + s->row_count * ROW_BYTES;
    for (size_t i = 0; i < s->region_count; i++)
        n += REGION_FIXED_BYTES + strlen(s->regions[i].name);
    return n;
}

static void write_stats(const nj_stats *s, unsigned char *buf)
{
    writer w = {buf};
    memcpy(w.at, STATS_MAGIC, 4);
    w.at += 4;
    put_u32(&w, STATS_VERSION);
    put_u32(&w, (uint32_t)s->from_date);
    put_u32(&w, (uint32_t)s->to_date);
    put_u32(&w, NJ_F_COUNT);
    put_u32(&w, (uint32_t)s->region_count);
    put_u32(&w, (uint32_t)s->row_count);
    for (size_t i = 0; i < s->region_count; i++) {
        const nj_stats_region *r = &s->regions[i];
        size_t len = strlen(r->name);
        put_u64(&w, (uint64_t)r->id);
        put_u64(&w, (uint64_t)r->parent_id);
        put_u32(&w, (uint32_t)r->level);
        put_u32(&w, (uint32_t)len);
        memcpy(w.at, r->name, len);
        w.at += len;
    }
    for (size_t i = 0; i < s->row_count; i++) {
        const nj_stats_row *row = &s->rows[i];
        put_u32(&w, (uint32_t)row->year);
        put_u32(&w, (uint32_t)row->programme_type);
        put_u64(&w, (uint64_t)row->region_id);
        for (int f = 0; f < NJ_F_COUNT; f++)
            put_u64(&w, (uint64_t)row->field[f]);
    }
    put_u32(&w, nj_crc32c(0, buf, (size_t)(w.at - buf)));
}

nj_status nj_stats_save(const nj_stats *stats, void *buf, size_t capacity,
                        size_t *size)
{
    if (!stats || !size || (!buf && capacity > 0))
        return NJ_E_INVALID;
    *size = stats_bytes(stats);
    if (capacity < *size)
        return NJ_E_BUFFER_TOO_SMALL;
    write_stats(stats, buf);
    return NJ_OK;
}

/* ---- reading ----------------------------------------------------------- */

typedef struct reader {
    const unsigned char *base, *at, *end;
    char *errmsg;
    size_t errmsg_size;
} reader;

__attribute__((format(printf, 3, 4)))
static nj_status read_fail(reader *r, nj_status status, const char *fmt, ...)
{
    if (r->errmsg && r->errmsg_size > 0) {
        int n = snprintf(r->errmsg, r->errmsg_size, "statistics at byte %zu: ",
                         (size_t)(r->at - r->base));
        if (n >= 0 && (size_t)n < r->errmsg_size) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->errmsg + n, r->errmsg_size - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return status;
}

static int has(const reader *r, size_t n)
{
    return (size_t)(r->end - r->at) >= n;
}

static uint32_t get_u32(reader *r)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)*r->at++ << (8 * i);
    return v;
}

static uint64_t get_u64(reader *r)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)*r->at++ << (8 * i);
    return v;
}

static nj_status read_header(reader *r, nj_stats *s, uint32_t *regions,
                             uint32_t *rows)
{
    if (!has(r, HEADER_BYTES + 4) || memcmp(r->at, STATS_MAGIC, 4) != 0)
        return read_fail(r, NJ_E_CORRUPT, "not nearjob statistics (magic \"NJST\")");
    r->at += 4;
    uint32_t version = get_u32(r);
    if (version > STATS_VERSION)
        return read_fail(r, NJ_E_VERSION,
                         "format version %u is newer than this library's %u",
                         (unsigned)version, STATS_VERSION);
    s->from_date = (int32_t)get_u32(r);
    s->to_date = (int32_t)get_u32(r);
    uint32_t fields = get_u32(r);
    *regions = get_u32(r);
    *rows = get_u32(r);
    if (version == 0 || fields != NJ_F_COUNT)
        return read_fail(r, NJ_E_CORRUPT, "version %u with %u fields a row",
                         (unsigned)version, (unsigned)fields);
    if (!nj_date_is_valid(s->from_date) || !nj_date_is_valid(s->to_date) ||
        s->from_date > s->to_date)
        return read_fail(r, NJ_E_CORRUPT, "dates %ld-%ld", (long)s->from_date,
                         (long)s->to_date);
    /* Each region and row needs its fixed bytes: reject impossible counts
     * before allocating for them. */
    size_t left = (size_t)(r->end - r->at) - 4;
    if (*regions > left / REGION_FIXED_BYTES || *rows > left / ROW_BYTES)
        return read_fail(r, NJ_E_CORRUPT, "%u regions and %u rows in %zu bytes",
                         (unsigned)*regions, (unsigned)*rows, left);
    return NJ_OK;
}

static nj_status read_region(reader *r, nj_stats *s, nj_stats_region *out)
{
    if (!has(r, REGION_FIXED_BYTES))
        return read_fail(r, NJ_E_CORRUPT, "truncated region");
    out->id = (int64_t)get_u64(r);
    out->parent_id = (int64_t)get_u64(r);
    out->level = (int32_t)get_u32(r);
    uint32_t len = get_u32(r);
    size_t bad;
    if (out->id < 1 || out->parent_id < 0 || out->level < NJ_REGION_PROVINCE ||
        out->level > NJ_REGION_NEIGHBOURHOOD || len == 0 || len > NAME_MAX_BYTES)
        return read_fail(r, NJ_E_CORRUPT, "region %lld: level %ld, name of %u bytes",
                         (long long)out->id, (long)out->level, (unsigned)len);
    if (s->region_count > 0 && out->id <= s->regions[s->region_count - 1].id)
        return read_fail(r, NJ_E_CORRUPT, "region %lld out of order",
                         (long long)out->id);
    if (!has(r, len) || memchr(r->at, 0, len) ||
        !nj_utf8_is_valid((const char *)r->at, len, &bad))
        return read_fail(r, NJ_E_CORRUPT, "region %lld: name truncated or not UTF-8",
                         (long long)out->id);
    out->name = nj_alloc_strdup(&s->alloc, (const char *)r->at, len);
    if (!out->name)
        return NJ_E_NOMEM;
    r->at += len;
    return NJ_OK;
}

static nj_status check_row(reader *r, const nj_stats *s, const nj_stats_row *row)
{
    if (s->row_count > 0 && nj_stats_row_compare(&s->rows[s->row_count - 1], row) >= 0)
        return read_fail(r, NJ_E_CORRUPT, "row out of order");
    if (row->year < 1 || row->year > 9999 || row->programme_type < 0 ||
        row->region_id < 0 ||
        (row->region_id > 0 && !nj_stats_region_find(s, row->region_id)))
        return read_fail(r, NJ_E_CORRUPT, "row year %ld, type %ld, region %lld",
                         (long)row->year, (long)row->programme_type,
                         (long long)row->region_id);
    for (int f = 0; f < NJ_F_COUNT; f++)
        if (row->field[f] < 0 || (f == NJ_F_HAS_TARGET && row->field[f] > 1))
            return read_fail(r, NJ_E_CORRUPT, "row field %d is %lld", f,
                             (long long)row->field[f]);
    return NJ_OK;
}

static nj_status read_body(reader *r, nj_stats *s, uint32_t regions,
                           uint32_t rows)
{
    s->regions = nj_alloc_array(&s->alloc, regions + 1u, sizeof *s->regions);
    s->rows = nj_alloc_array(&s->alloc, rows + 1u, sizeof *s->rows);
    if (!s->regions || !s->rows)
        return NJ_E_NOMEM;
    for (uint32_t i = 0; i < regions; i++) {
        nj_status st = read_region(r, s, &s->regions[s->region_count]);
        if (st != NJ_OK)
            return st;
        s->region_count++;
    }
    for (uint32_t i = 0; i < rows; i++) {
        if (!has(r, ROW_BYTES))
            return read_fail(r, NJ_E_CORRUPT, "truncated row");
        nj_stats_row *row = &s->rows[s->row_count];
        row->year = (int32_t)get_u32(r);
        row->programme_type = (int32_t)get_u32(r);
        row->region_id = (int64_t)get_u64(r);
        for (int f = 0; f < NJ_F_COUNT; f++)
            row->field[f] = (int64_t)get_u64(r);
        nj_status st = check_row(r, s, row);
        if (st != NJ_OK)
            return st;
        s->row_count++;
    }
    return NJ_OK;
}

static nj_status read_stats(reader *r, nj_stats *s)
{
    uint32_t regions = 0, rows = 0;
    nj_status st = read_header(r, s, &regions, &rows);
    if (st == NJ_OK)
        st = read_body(r, s, regions, rows);
    if (st != NJ_OK)
        return st;
    if (r->end - r->at != 4)
        return read_fail(r, NJ_E_CORRUPT, "%td bytes where the checksum should end it",
                         r->end - r->at);
    uint32_t crc = nj_crc32c(0, r->base, (size_t)(r->at - r->base));
#ifndef NJ_FUZZING /* fuzzers reach deeper without the checksum */
    if (get_u32(r) != crc)
        return read_fail(r, NJ_E_CORRUPT, "checksum mismatch");
#else
    (void)crc;
#endif
    return NJ_OK;
}

nj_status nj_stats_load_with_allocator(const void *buf, size_t size,
                                       nj_malloc_fn malloc_fn,
                                       nj_realloc_fn realloc_fn,
                                       nj_free_fn free_fn, void *user,
                                       nj_stats **out, char *errmsg,
                                       size_t errmsg_size)
{
    if (errmsg && errmsg_size > 0)
        errmsg[0] = '\0';
    if (!out)
        return NJ_E_INVALID;
    *out = NULL;
    if ((!buf && size > 0) || !malloc_fn || !realloc_fn || !free_fn)
        return NJ_E_INVALID;
    nj_alloc alloc = {malloc_fn, realloc_fn, free_fn, user};
    reader r = {buf, buf, (const unsigned char *)buf + size, errmsg, errmsg_size};
    nj_stats *s = nj_stats_new(&alloc, 0, 0);
    if (!s)
        return NJ_E_NOMEM;
    nj_status st = read_stats(&r, s);
    if (st == NJ_E_NOMEM)
        read_fail(&r, st, "out of memory");
    if (st != NJ_OK) {
        nj_stats_destroy(s);
        return st;
    }
    *out = s;
    return NJ_OK;
}

nj_status nj_stats_load(const void *buf, size_t size, nj_stats **out,
                        char *errmsg, size_t errmsg_size)
{
    return nj_stats_load_with_allocator(buf, size, nj_alloc_default.malloc_fn,
                                        nj_alloc_default.realloc_fn,
                                        nj_alloc_default.free_fn, NULL, out,
                                        errmsg, errmsg_size);
}
