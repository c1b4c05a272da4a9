/* Snapshot framing: the file header, sections with their CRC-32C, saving to
 * and loading from memory (docs/snapshot-format.md). */
#include "snapshot_internal.h"

#include <stdarg.h>
#include <stdio.h>

#include "crc32c_internal.h"

/* "\x89NJS\r\n\x1a\n": a high byte catches 7-bit transfers, CR LF and the
 * lone LF catch line-ending conversion, ^Z stops a DOS `type` (as PNG's). */
static const uint8_t MAGIC[8] = {0x89, 'N', 'J', 'S', '\r', '\n', 0x1A, '\n'};

/* In the order they are written and must be read (ascending types). */
static const nj_section sections[] = {
    {NJ_SECTION_SETTINGS, "settings", nj_settings_write, nj_settings_read},
    {NJ_SECTION_REGIONS, "regions", nj_regions_write, nj_regions_read},
    {NJ_SECTION_FACILITIES, "facilities", nj_facilities_write, nj_facilities_read},
    {NJ_SECTION_POSTINGS, "postings", nj_postings_write, nj_postings_read},
    {NJ_SECTION_PARTICIPANTS, "participants", nj_participants_write, nj_participants_read},
    {NJ_SECTION_APPLICATIONS, "applications", nj_applications_write, nj_applications_read},
    {NJ_SECTION_LEDGER, "ledger", nj_ledger_write, nj_ledger_read},
    {NJ_SECTION_STATISTICS, "statistics", nj_statistics_write, nj_statistics_read},
};
#define SECTION_COUNT (sizeof sections / sizeof sections[0])

/*
 * Fuzz builds skip the checksums, as libpng's do, so that mutated inputs
 * reach the section readers instead of stopping at the CRC.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CHECK_CRC 0
#else
#define CHECK_CRC 1
#endif

/* ---- writing ------------------------------------------------------------- */

static void put_at(nj_writer *w, size_t at, uint64_t v, size_t n)
{
    size_t saved = w->pos;
    w->pos = at;
    nj_put_u64(w, v, n);
    w->pos = saved;
}

static void write_header(nj_writer *w)
{
    size_t start = w->pos;
    nj_put_bytes(w, MAGIC, sizeof MAGIC);
    nj_put_u64(w, NJ_SNAPSHOT_MAJOR, 2);
    nj_put_u64(w, NJ_SNAPSHOT_MINOR, 2);
    nj_put_u32(w, 0); /* flags */
    nj_put_u32(w, (uint32_t)SECTION_COUNT);
    if (nj_writer_stores(w))
        nj_put_u32(w, nj_crc32c(0, w->buf + start, w->pos - start));
    else
        nj_put_u32(w, 0);
}

/* The section header goes in front of the payload once its length and
 * checksum are known; the CRC covers the header's first 16 bytes and the
 * payload. */
static nj_status write_section(const nj_registry *reg, nj_writer *w,
                               const nj_section *s)
{
    size_t start = w->pos;
    w->pos += NJ_SECTION_HEADER_SIZE;
    nj_status st = s->write(reg, w);
    if (st != NJ_OK || !nj_writer_stores(w))
        return st;
    size_t length = w->pos - start - NJ_SECTION_HEADER_SIZE;
    put_at(w, start, s->type, 4);
    put_at(w, start + 4, 0, 4); /* flags */
    put_at(w, start + 8, length, 8);
    uint32_t crc = nj_crc32c(0, w->buf + start, 16);
    crc = nj_crc32c(crc, w->buf + start + NJ_SECTION_HEADER_SIZE, length);
    put_at(w, start + 16, crc, 4);
    return NJ_OK;
}

static nj_status write_snapshot(const nj_registry *reg, nj_writer *w)
{
    write_header(w);
    for (size_t i = 0; i < SECTION_COUNT; i++) {
        nj_status st = write_section(reg, w, &sections[i]);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

static nj_status snapshot_size(const nj_registry *reg, size_t *size)
{
    nj_writer w = {NULL, 0, 0, &reg->alloc};
    nj_status st = write_snapshot(reg, &w);
    *size = w.pos;
    return st;
}

nj_status nj_snapshot_save_mem(const nj_registry *reg, void *buf,
                               size_t capacity, size_t *size)
{
    if (!reg || !size || (!buf && capacity > 0))
        return NJ_E_INVALID;
    nj_status st = snapshot_size(reg, size);
    if (st != NJ_OK)
        return st;
    if (capacity < *size)
        return NJ_E_BUFFER_TOO_SMALL;
    nj_writer w = {buf, 0, *size, &reg->alloc};
    return write_snapshot(reg, &w);
}

nj_status nj_snapshot_encode(const nj_registry *reg, uint8_t **out,
                             size_t *size)
{
    *out = NULL;
    nj_status st = snapshot_size(reg, size);
    if (st != NJ_OK)
        return st;
    uint8_t *buf = nj_alloc_malloc(&reg->alloc, *size);
    if (!buf)
        return NJ_E_NOMEM;
    nj_writer w = {buf, 0, *size, &reg->alloc};
    st = write_snapshot(reg, &w);
    if (st != NJ_OK) {
        nj_alloc_free(&reg->alloc, buf);
        return st;
    }
    *out = buf;
    return NJ_OK;
}

/* ---- messages ------------------------------------------------------------ */

static void locate_message(nj_loader *l, size_t at, const char *text)
{
    nj_buf_message(l->errmsg, l->errmsg_size,
                   "snapshot section '%s' at byte %zu: %s", l->section,
                   at, text);
}

nj_status nj_load_corrupt(nj_loader *l, size_t at, const char *fmt, ...)
{
    char text[NJ_ERRMSG_SIZE];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    locate_message(l, at, text);
    return NJ_E_CORRUPT;
}

nj_status nj_load_rejected(nj_loader *l, size_t at, nj_status status)
{
    locate_message(l, at, status == NJ_E_NOMEM ? "out of memory"
                                               : nj_registry_errmsg(l->reg));
    return status == NJ_E_NOMEM ? NJ_E_NOMEM : NJ_E_CORRUPT;
}

nj_status nj_load_unknown(nj_loader *l, size_t at, const char *what,
                          long long value)
{
    if (l->file_minor > NJ_SNAPSHOT_MINOR) {
        nj_buf_message(l->errmsg, l->errmsg_size,
                       "snapshot section '%s' at byte %zu: %s %lld is not known to "
                       "format version %d.%d (the file is version %d.%lu)",
                       l->section, at, what, value, NJ_SNAPSHOT_MAJOR,
                       NJ_SNAPSHOT_MINOR, NJ_SNAPSHOT_MAJOR,
                       (unsigned long)l->file_minor);
        return NJ_E_VERSION;
    }
    return nj_load_corrupt(l, at, "unknown %s %lld", what, value);
}

nj_status nj_load_count(nj_loader *l, size_t min_record, size_t *count)
{
    size_t at = l->pos;
    uint64_t n = nj_get_u64(l, 8);
    if (l->overrun)
        return nj_load_corrupt(l, at, "record count truncated");
    if (n > (l->end - l->pos) / min_record)
        return nj_load_corrupt(l, at,
                               "%llu records of at least %zu bytes do not fit in the %zu bytes left",
                               (unsigned long long)n, min_record, l->end - l->pos);
    *count = (size_t)n;
    return NJ_OK;
}

/* ---- loading ------------------------------------------------------------- */

static const nj_section *find_section(uint32_t type)
{
    for (size_t i = 0; i < SECTION_COUNT; i++)
        if (sections[i].type == type)
            return &sections[i];
    return NULL;
}

static nj_status read_header(nj_loader *l, size_t size, uint32_t *sections_in_file)
{
    const uint8_t *d = l->data;
    l->section = "header";
    if (size < NJ_SNAPSHOT_HEADER_SIZE)
        return nj_load_corrupt(l, 0, "%zu bytes, shorter than the %d-byte header",
                               size, NJ_SNAPSHOT_HEADER_SIZE);
    if (memcmp(d, MAGIC, sizeof MAGIC) != 0)
        return nj_load_corrupt(l, 0, "not a nearjob snapshot (wrong magic bytes)");
    unsigned major = (unsigned)(d[8] | d[9] << 8), minor = (unsigned)(d[10] | d[11] << 8);
    if (major > NJ_SNAPSHOT_MAJOR) {
        nj_buf_message(l->errmsg, l->errmsg_size,
                       "snapshot format version %u.%u is newer than this library's %d.%d",
                       major, minor, NJ_SNAPSHOT_MAJOR, NJ_SNAPSHOT_MINOR);
        return NJ_E_VERSION;
    }
    if (major < NJ_SNAPSHOT_MAJOR)
        return nj_load_corrupt(l, 8, "format version %u.%u does not exist", major, minor);
    if (CHECK_CRC && nj_crc32c(0, d, 20) != nj_le32(d + 20))
        return nj_load_corrupt(l, 20, "header checksum mismatch");
    l->file_minor = minor;
    if (nj_le32(d + 12) != 0)
        return nj_load_unknown(l, 12, "header flags", (long long)nj_le32(d + 12));
    *sections_in_file = nj_le32(d + 16);
    l->pos = NJ_SNAPSHOT_HEADER_SIZE;
    return NJ_OK;
}

/* Checks one section's header and checksum and runs its reader. */
static nj_status read_section(nj_loader *l, size_t size, uint32_t *last_type)
{
    size_t at = l->pos;
    const uint8_t *h = l->data + at;
    l->section = "(next section)";
    if (size - at < NJ_SECTION_HEADER_SIZE)
        return nj_load_corrupt(l, at, "section header truncated (%zu bytes left)",
                               size - at);
    uint32_t type = nj_le32(h), flags = nj_le32(h + 4);
    uint64_t length = nj_le32(h + 8) | (uint64_t)nj_le32(h + 12) << 32;
    const nj_section *s = find_section(type);
    l->section = s ? s->name : "(unknown)";
    if (length > size - at - NJ_SECTION_HEADER_SIZE)
        return nj_load_corrupt(l, at, "section of %llu bytes, but only %zu left",
                               (unsigned long long)length,
                               size - at - NJ_SECTION_HEADER_SIZE);
    uint32_t crc = nj_crc32c(nj_crc32c(0, h, 16), h + NJ_SECTION_HEADER_SIZE,
                             (size_t)length);
    if (CHECK_CRC && crc != nj_le32(h + 16))
        return nj_load_corrupt(l, at, "checksum mismatch");
    if (type <= *last_type)
        return nj_load_corrupt(l, at, "section type %lu after type %lu (types must ascend)",
                               (unsigned long)type, (unsigned long)*last_type);
    *last_type = type;
    l->pos = at + NJ_SECTION_HEADER_SIZE;
    l->end = l->pos + (size_t)length;
    if (flags & ~NJ_SECTION_OPTIONAL)
        return nj_load_unknown(l, at + 4, "section flags", (long long)flags);
    if (!s) {
        if (flags & NJ_SECTION_OPTIONAL) {
            l->pos = l->end;
            return NJ_OK;
        }
        return nj_load_unknown(l, at, "section type", (long long)type);
    }
    nj_status st = s->read(l);
    if (st == NJ_OK && l->pos != l->end)
        st = nj_load_corrupt(l, l->pos, "%zu bytes after the last record",
                             l->end - l->pos);
    return st;
}

static nj_status read_snapshot(nj_loader *l, size_t size)
{
    uint32_t count = 0, last_type = 0;
    nj_status st = read_header(l, size, &count);
    for (uint32_t i = 0; st == NJ_OK && i < count; i++)
        st = read_section(l, size, &last_type);
    if (st != NJ_OK)
        return st;
    l->section = "end";
    if (l->pos != size)
        return nj_load_corrupt(l, l->pos, "%zu bytes after the last section",
                               size - l->pos);
    /* The budget comes last: with it, re-recording the ledger could stop at
     * a budget that was lowered after the entries were made. */
    st = nj_registry_set_int64(l->reg, NJ_OPT_BUDGET_KRW, l->budget_krw);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, l->pos, st);
}

nj_status nj_snapshot_decode(const uint8_t *data, size_t size,
                             const nj_alloc *alloc, nj_registry **out,
                             char *errmsg, size_t errmsg_size)
{
    nj_buf_message(errmsg, errmsg_size, "%s", "");
    nj_registry *reg = NULL;
    nj_status st = nj_registry_create_with_allocator(alloc->malloc_fn, alloc->realloc_fn,
                                                     alloc->free_fn, alloc->user, &reg);
    if (st != NJ_OK) {
        nj_buf_message(errmsg, errmsg_size, "snapshot: out of memory");
        return st;
    }
    nj_loader l = {.reg = reg, .data = data, .errmsg = errmsg,
                   .errmsg_size = errmsg_size};
    st = read_snapshot(&l, size);
    if (st != NJ_OK) {
        nj_registry_destroy(reg);
        return st;
    }
    *out = reg;
    return NJ_OK;
}

nj_status nj_snapshot_load_mem_with_allocator(const void *buf, size_t size,
                                              nj_malloc_fn malloc_fn,
                                              nj_realloc_fn realloc_fn,
                                              nj_free_fn free_fn, void *user,
                                              nj_registry **out, char *errmsg,
                                              size_t errmsg_size)
{
    if (out)
        *out = NULL;
    if (!out || (!buf && size > 0) || !malloc_fn || !realloc_fn || !free_fn) {
        nj_buf_message(errmsg, errmsg_size, "snapshot load: NULL argument");
        return NJ_E_INVALID;
    }
    nj_alloc alloc = {malloc_fn, realloc_fn, free_fn, user};
    return nj_snapshot_decode(buf, size, &alloc, out, errmsg, errmsg_size);
}

nj_status nj_snapshot_load_mem(const void *buf, size_t size, nj_registry **out,
                               char *errmsg, size_t errmsg_size)
{
    const nj_alloc *a = &nj_alloc_default;
    return nj_snapshot_load_mem_with_allocator(buf, size, a->malloc_fn, a->realloc_fn,
                                               a->free_fn, a->user, out, errmsg,
                                               errmsg_size);
}
