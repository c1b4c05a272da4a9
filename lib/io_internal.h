/*
 * CSV import and export, driven by one table of columns per object type
 * (io_schemas.c). Adding a type means a column table, a parsed-row apply
 * and undo, and an export order and fill; the reading, checking,
 * rollback, writing and messages are shared (io_import.c, io_export.c).
 */
#ifndef NJ_IO_INTERNAL_H
#define NJ_IO_INTERNAL_H

#include "csv_internal.h"
#include "file_io_internal.h"
#include "registry_internal.h"
#include "shape_internal.h"

/* How a column's cells are read and written. */
typedef enum nj_io_kind {
    NJ_IO_ID,       /* int64 >= 1 */
    NJ_IO_REF,      /* int64 >= 1; empty: 0 (none) */
    NJ_IO_INT,      /* int32; the object's rules check the range */
    NJ_IO_MONEY,    /* int64 KRW */
    NJ_IO_REAL,     /* double */
    NJ_IO_LAT,      /* double in [-90, 90] */
    NJ_IO_LON,      /* double in [-180, 180] */
    NJ_IO_DATE,     /* YYYYMMDD or YYYY-MM-DD; empty: 0 (none) */
    NJ_IO_TEXT,     /* free text: non-empty, at most 1024 bytes */
    NJ_IO_ENUM,     /* a word of the column's table, or its number */
    NJ_IO_GEOMETRY  /* WKT or a GeoJSON geometry; exported as WKT */
} nj_io_kind;

enum nj_io_column_flag {
    NJ_IO_REQUIRED = 1,    /* the column must be there and its cells filled */
    NJ_IO_EXPORT_ONLY = 2, /* written on export, accepted and ignored on import */
    NJ_IO_AUTO_ID = 4      /* when the column is absent, ids are assigned */
};

/* A word of an enum column. Export writes the first word of a value; a
 * word starting with '*' matches as a suffix ("*도서관": 공공도서관) and is
 * never written. */
typedef struct nj_io_word {
    const char *word;
    int32_t value;
} nj_io_word;

typedef struct nj_io_column {
    const char *name;          /* the canonical header, written on export */
    const char *aliases;       /* '|'-separated headers also accepted */
    nj_io_kind kind;
    unsigned flags;
    const nj_io_word *words;   /* NJ_IO_ENUM: ends with {NULL, 0} */
    int32_t open_from;         /* NJ_IO_ENUM: numbers from here on are valid too (0: none) */
} nj_io_column;

/* One cell, parsed (import) or to be written (export). */
typedef struct nj_io_value {
    int present;               /* in the file and not empty */
    int64_t i;                 /* ID, REF, INT, MONEY, DATE, ENUM */
    double d;                  /* REAL, LAT, LON */
    const char *s;             /* TEXT, NUL-terminated */
    size_t len;
    const nj_shape *shape;     /* GEOMETRY; NULL: no boundary */
} nj_io_value;

typedef struct nj_io_import nj_io_import;

/* What apply() leaves for undo(). */
typedef struct nj_io_undo {
    int64_t id;
    void *object;
    int32_t saved;
} nj_io_undo;

typedef struct nj_io_schema {
    const char *what;          /* "facility", for messages */
    const nj_io_column *columns;
    size_t n_columns;
    /* The largest id in use, for NJ_IO_AUTO_ID; may be NULL. */
    int64_t (*max_id)(const nj_registry *reg);
    /* Pass 1, per row: checks across rows (duplicates); may be NULL. */
    nj_status (*check)(nj_io_import *im, const nj_io_value *row);
    /* After pass 1: checks over all rows; may be NULL. */
    nj_status (*finish)(nj_io_import *im);
    /* Pass 2: applies a row; on failure sets im->fail_column. */
    nj_status (*apply)(nj_io_import *im, const nj_io_value *row, nj_io_undo *undo);
    /* After pass 2: work done once for all the applied rows; a failure
     * takes them all back. May be NULL. */
    nj_status (*commit)(nj_io_import *im);
    /* Takes back an applied row; rows are undone newest first. */
    void (*undo)(nj_registry *reg, const nj_io_undo *undo);
    /* Export: the objects (or ledger positions) in file order. */
    nj_status (*order)(const nj_registry *reg, void ***items, size_t *count);
    /* Export: the cells of one item (all cleared before); `shape` is room
     * for a boundary view. */
    nj_status (*fill)(const nj_registry *reg, const void *item, nj_io_value *row,
                      nj_shape *shape);
} nj_io_schema;

/* The schema of an nj_csv_object, or NULL (unknown or not yet built). */
const nj_io_schema *nj_io_schema_of(int32_t object);

extern const nj_io_schema nj_io_regions, nj_io_facilities, nj_io_participants,
    nj_io_postings, nj_io_applications, nj_io_work_entries, nj_io_targets;

/* Programme types: the English names, the Ministry's Korean names, "all". */
extern const nj_io_word nj_io_programme_words[];

/* 0/1, false/true, no/yes, n/y, 아니오/예, 내국인/외국인. */
extern const nj_io_word nj_io_flag_words[];

/* Cells for fill(): a number, a reference (0 stays empty), a double, a
 * NUL-terminated text. */
void nj_io_set_int(nj_io_value *v, int64_t i);
void nj_io_set_ref(nj_io_value *v, int64_t id);
void nj_io_set_real(nj_io_value *v, double d);
void nj_io_set_text(nj_io_value *v, const char *s);

/* The line each id of a file was first seen on, for duplicate messages. */
typedef struct nj_id_line {
    int64_t id; /* first: the id map reads it */
    size_t line;
} nj_id_line;

typedef struct nj_id_lines {
    nj_id_map map;
    nj_id_line *items;
    size_t count, cap;
} nj_id_lines;

void nj_id_lines_init(nj_id_lines *s);
void nj_id_lines_free(nj_id_lines *s, const nj_alloc *a);
/* The line of `id`, or SIZE_MAX. */
size_t nj_id_lines_find(const nj_id_lines *s, int64_t id);
/* Records an absent id; NJ_E_NOMEM leaves the set as it was. */
nj_status nj_id_lines_add(nj_id_lines *s, const nj_alloc *a, int64_t id, size_t line);

/* An import in progress. */
struct nj_io_import {
    nj_registry *reg;
    const nj_io_schema *schema;
    nj_csv_reader reader;
    size_t *field_of;          /* header field of each schema column, or SIZE_MAX */
    size_t header_fields;
    nj_io_value *row;
    char *text;                /* the row's text cells, NUL-terminated */
    size_t text_len, text_cap;
    nj_shape shape;            /* the row's geometry */
    int64_t auto_id_base;      /* ids for a file without an id column */
    size_t row_index;          /* data rows so far */
    nj_id_lines seen;          /* ids of the file so far, for duplicates */
    struct nj_io_key *keys;    /* nj_io_remember_key() */
    size_t key_count, key_cap;
    size_t fail_column;        /* set by apply() */
    int cp949;                 /* the file was converted from CP949 */
    int bulk;                  /* set by finish(): apply() leaves work to commit() */
    size_t count_before;       /* objects of the type before the import */
};

/* Reports a failure at `column` of the current row:
 * "line L, column C (name): reason". */
nj_status nj_io_fail(nj_io_import *im, nj_status status, size_t column,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Where the current row's cell in `column` starts (the row's start when
 * the column is not in the file). */
nj_text_pos nj_io_position(const nj_io_import *im, size_t column);

/* The failure message of a library call, prefixed with the current row's
 * position at im->fail_column. */
nj_status nj_io_fail_call(nj_io_import *im, nj_status status);

/* A two-part key of a row (participant and posting, say) and where it was. */
typedef struct nj_io_key {
    int64_t a, b;
    nj_text_pos pos;
} nj_io_key;

/* Records the current row's key, placed at `column`, for
 * nj_io_duplicate_key() after pass 1. */
nj_status nj_io_remember_key(nj_io_import *im, int64_t a, int64_t b, size_t column);

/* The key that repeats with the earliest second occurrence, or NULL;
 * *first is its first occurrence. */
const nj_io_key *nj_io_duplicate_key(nj_io_import *im, const nj_io_key **first);

/* Records `id` (column `column`) as seen on this line; NJ_E_EXISTS naming
 * both lines when it was seen before. */
nj_status nj_io_check_unique(nj_io_import *im, size_t column, int64_t id);

/*
 * Imports UTF-8 text (already converted) all or nothing.
 * @return as nj_csv_import().
 */
nj_status nj_io_import_text(nj_registry *reg, const nj_io_schema *schema,
                            const char *text, size_t len, int cp949,
                            int cp949_hint, size_t *rows);

/* Writes the CSV of `schema` to `sink` (bom, header, rows). */
nj_status nj_io_export(const nj_registry *reg, const nj_io_schema *schema,
                       nj_sink *sink);

/* Sorting helpers for order(): objects by id, regions parents first. */
int nj_io_compare_by_id(const void *a, const void *b);
nj_status nj_io_collect(const nj_registry *reg, const nj_table *table,
                        void ***items, size_t *count);

/* The public file functions, through `ops` (tests pass their own). */
nj_status nj_csv_import_file_ops(nj_registry *reg, int32_t object, const char *path,
                                 int32_t encoding, size_t *rows, const nj_file_ops *ops);
nj_status nj_csv_export_file_ops(const nj_registry *reg, int32_t object, const char *path,
                                 const nj_file_ops *ops, char *errmsg, size_t errmsg_size);

/* Reads an import's file whole, refusing one over NJ_OPT_IMPORT_MAX_BYTES;
 * the message starts with `what`. */
nj_status nj_io_load_file(nj_registry *reg, const char *path, const nj_file_ops *ops,
                          const char *what, uint8_t **data, size_t *len);

/* Turns a GeoJSON geometry object (Polygon, MultiPolygon or null) into a
 * shape. NJ_E_CORRUPT with *what and *offset. In geojson.c. */
nj_status nj_geojson_geometry(const nj_alloc *a, const char *text, size_t len,
                              size_t max_string, nj_shape *out, size_t *offset,
                              const char **what);

#endif
