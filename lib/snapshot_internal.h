/*
 * The snapshot format's building blocks (docs/snapshot-format.md): the
 * little-endian writer and reader, the section table, and the file
 * operations table the save and load go through.
 *
 * Adding a section: give it the next type number (and a line in the
 * format document), write a writer/reader pair with the signatures below,
 * and add one entry to nj_snapshot_sections[] in snapshot.c. Sections are
 * written in the table's order, which must be ascending by type and put
 * every section after the ones it refers to; readers run in that order.
 */
#ifndef NJ_SNAPSHOT_INTERNAL_H
#define NJ_SNAPSHOT_INTERNAL_H

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "file_io_internal.h"
#include "registry_internal.h"
#include "text_internal.h"
#include "nearjob/snapshot.h"

/* Format version written; files of the same major and any minor load. */
#define NJ_SNAPSHOT_MAJOR 1
#define NJ_SNAPSHOT_MINOR 0

#define NJ_SNAPSHOT_HEADER_SIZE 24
#define NJ_SECTION_HEADER_SIZE 20
/* Section flag: a reader that does not know the type may skip it. */
#define NJ_SECTION_OPTIONAL 1u

/* Section types (pinned; docs/snapshot-format.md). */
enum nj_section_type {
    NJ_SECTION_SETTINGS = 1,
    NJ_SECTION_REGIONS = 2,
    NJ_SECTION_FACILITIES = 3,
    NJ_SECTION_POSTINGS = 4,
    NJ_SECTION_PARTICIPANTS = 5,
    NJ_SECTION_APPLICATIONS = 6,
    NJ_SECTION_LEDGER = 7,
    NJ_SECTION_STATISTICS = 8 /* targets, actuals, follow-ons */
};

/* ---- writing ------------------------------------------------------------- */

/* Appends at `pos`, storing only what fits in `cap` bytes; with buf NULL
 * and cap 0 it only counts, which is how the size is found before anything
 * is written. */
typedef struct nj_writer {
    uint8_t *buf;
    size_t pos, cap;
    const nj_alloc *alloc; /* for scratch memory (the registry's hooks) */
} nj_writer;

/* Whether the writer stores bytes (a sizing pass does not). */
static inline int nj_writer_stores(const nj_writer *w)
{
    return w->buf != NULL;
}

/* Every value goes out byte by byte, least significant first, whatever the
 * host's byte order. */
static inline void nj_put_u64(nj_writer *w, uint64_t v, size_t n)
{
    if (w->pos <= w->cap && w->cap - w->pos >= n)
        for (size_t i = 0; i < n; i++)
            w->buf[w->pos + i] = (uint8_t)(v >> (8 * i));
    w->pos += n;
}

static inline void nj_put_u8(nj_writer *w, uint8_t v) { nj_put_u64(w, v, 1); }
static inline void nj_put_u32(nj_writer *w, uint32_t v) { nj_put_u64(w, v, 4); }
static inline void nj_put_i32(nj_writer *w, int32_t v) { nj_put_u64(w, (uint32_t)v, 4); }
static inline void nj_put_i64(nj_writer *w, int64_t v) { nj_put_u64(w, (uint64_t)v, 8); }

static inline void nj_put_f64(nj_writer *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    nj_put_u64(w, bits, 8);
}

static inline void nj_put_bytes(nj_writer *w, const void *data, size_t n)
{
    if (n > 0 && w->pos <= w->cap && w->cap - w->pos >= n)
        memcpy(w->buf + w->pos, data, n);
    w->pos += n;
}

/* ---- reading ------------------------------------------------------------- */

typedef struct nj_loader {
    nj_registry *reg;        /* the registry being built */
    const uint8_t *data;     /* the whole snapshot */
    size_t pos;              /* next byte, from the start of the snapshot */
    size_t end;              /* end of the current section's payload */
    int overrun;             /* a read went past `end` */
    const char *section;     /* name of the current section, for messages */
    uint32_t file_minor;     /* the file's minor version */
    int64_t budget_krw;      /* applied once the ledger is back */
    char *errmsg;
    size_t errmsg_size;
} nj_loader;

/* Reads n <= 8 bytes as a little-endian number; past the end of the
 * section it sets `overrun` and gives 0, so a record is read whole and
 * checked once. */
static inline uint64_t nj_get_u64(nj_loader *l, size_t n)
{
    if (l->end - l->pos < n) {
        l->overrun = 1;
        l->pos = l->end;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)l->data[l->pos + i] << (8 * i);
    l->pos += n;
    return v;
}

static inline uint8_t nj_get_u8(nj_loader *l) { return (uint8_t)nj_get_u64(l, 1); }
static inline uint32_t nj_get_u32(nj_loader *l) { return (uint32_t)nj_get_u64(l, 4); }
static inline int32_t nj_get_i32(nj_loader *l) { return (int32_t)nj_get_u32(l); }
static inline int64_t nj_get_i64(nj_loader *l) { return (int64_t)nj_get_u64(l, 8); }

static inline double nj_get_f64(nj_loader *l)
{
    uint64_t bits = nj_get_u64(l, 8);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Little-endian numbers at p, byte by byte whatever the host (compilers
 * make each a single load where the host allows). */
static inline uint32_t nj_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t nj_le64(const uint8_t *p)
{
    return (uint64_t)nj_le32(p) | (uint64_t)nj_le32(p + 4) << 32;
}

static inline double nj_le_f64(const uint8_t *p)
{
    uint64_t bits = nj_le64(p);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* The next n bytes of the section, to decode a fixed-size record with the
 * above at once; NULL (and `overrun` set) if fewer are left. */
static inline const uint8_t *nj_get_record(nj_loader *l, size_t n)
{
    const uint8_t *r = l->data + l->pos;
    if (l->end - l->pos < n) {
        l->overrun = 1;
        l->pos = l->end;
        return NULL;
    }
    l->pos += n;
    return r;
}

/* Records "snapshot section '<section>' at byte <at>: <message>" and
 * returns NJ_E_CORRUPT. */
nj_status nj_load_corrupt(nj_loader *l, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A rebuilding call failed: NJ_E_NOMEM stays NJ_E_NOMEM, anything else is
 * corrupt data, with the registry's message naming the object and field. */
nj_status nj_load_rejected(nj_loader *l, size_t at, nj_status status);

/* Something this library does not know (a section type, an option): a
 * file of a newer minor version gives NJ_E_VERSION, otherwise the file is
 * corrupt. */
nj_status nj_load_unknown(nj_loader *l, size_t at, const char *what,
                          long long value);

/* Reads a record count and checks that `count` records of at least
 * `min_record` bytes fit in the rest of the section. */
nj_status nj_load_count(nj_loader *l, size_t min_record, size_t *count);

/* A list: a count (nj_load_count()), then the records read one by one.
 * `reserve`, if given, first makes room for them all. */
nj_status nj_load_records(nj_loader *l, size_t min_record,
                          nj_status (*reserve)(nj_registry *reg, size_t n),
                          nj_status (*read_record)(nj_loader *l));

/* ---- sections ------------------------------------------------------------ */

typedef nj_status (*nj_section_write_fn)(const nj_registry *reg, nj_writer *w);
typedef nj_status (*nj_section_read_fn)(nj_loader *l);

typedef struct nj_section {
    uint32_t type;
    const char *name;
    nj_section_write_fn write;
    nj_section_read_fn read;
} nj_section;

/* snapshot_sections.c */
nj_status nj_settings_write(const nj_registry *reg, nj_writer *w);
nj_status nj_settings_read(nj_loader *l);
nj_status nj_regions_write(const nj_registry *reg, nj_writer *w);
nj_status nj_regions_read(nj_loader *l);
nj_status nj_facilities_write(const nj_registry *reg, nj_writer *w);
nj_status nj_facilities_read(nj_loader *l);
nj_status nj_postings_write(const nj_registry *reg, nj_writer *w);
nj_status nj_postings_read(nj_loader *l);
nj_status nj_participants_write(const nj_registry *reg, nj_writer *w);
nj_status nj_participants_read(nj_loader *l);
nj_status nj_applications_write(const nj_registry *reg, nj_writer *w);
nj_status nj_applications_read(nj_loader *l);
nj_status nj_ledger_write(const nj_registry *reg, nj_writer *w);
nj_status nj_ledger_read(nj_loader *l);
nj_status nj_statistics_write(const nj_registry *reg, nj_writer *w);
nj_status nj_statistics_read(nj_loader *l);

/* The whole snapshot in a new buffer from the registry's allocator. */
nj_status nj_snapshot_encode(const nj_registry *reg, uint8_t **out,
                             size_t *size);

/* Loads a snapshot into a new registry using `alloc`. */
nj_status nj_snapshot_decode(const uint8_t *data, size_t size,
                             const nj_alloc *alloc, nj_registry **out,
                             char *errmsg, size_t errmsg_size);

/* ---- files --------------------------------------------------------------- */

/* Save and load through `ops` (file_io_internal.h); tests pass their own. */
nj_status nj_snapshot_save_file_ops(const nj_registry *reg, const char *path,
                                    const nj_file_ops *ops, char *errmsg,
                                    size_t errmsg_size);
nj_status nj_snapshot_load_file_ops(const char *path, const nj_alloc *alloc,
                                    const nj_file_ops *ops, nj_registry **out,
                                    char *errmsg, size_t errmsg_size);

#endif
