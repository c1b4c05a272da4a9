/**
 * @file nearjob/io.h
 * @brief CSV import and export of every object type, and GeoJSON import of
 *        regions.
 *
 * docs/csv.md gives every schema (column names, Korean aliases, value
 * formats), the encoding rules, the limits and the export format.
 *
 * **Import is all or nothing.** The whole file is parsed and every row
 * checked (including duplicate ids within the file and against the
 * registry) before anything is applied; rows are then applied in file order
 * through the same rules as the per-object functions (nj_facility_add(),
 * nj_application_submit(), nj_work_record(), ...). Any failure, out of memory included,
 * takes back what was applied, so the registry is exactly as before, and
 * nj_registry_errmsg() says "line L, column C (field): reason". Lines are
 * physical lines of the file (a quoted cell spanning two lines counts two);
 * columns count characters from 1.
 *
 * **Export** writes UTF-8 with a byte-order mark, CRLF line ends and a
 * header row of the canonical column names; free-text cells that start like
 * a spreadsheet formula get a leading "'". Importing an export and
 * exporting again gives the same bytes.
 *
 * Import limits are registry options (nj_registry_set_int64()):
 * NJ_OPT_IMPORT_MAX_BYTES, NJ_OPT_IMPORT_MAX_ROWS and
 * NJ_OPT_IMPORT_MAX_FIELD_BYTES.
 */
#ifndef NEARJOB_IO_H
#define NEARJOB_IO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The object type of a CSV file. Pinned values. */
enum nj_csv_object {
    NJ_CSV_REGIONS = 1,      /**< id, level, parent, name, boundary (WKT or GeoJSON) */
    NJ_CSV_FACILITIES = 2,   /**< id, kind, name, lat, lon, region */
    NJ_CSV_POSTINGS = 3,     /**< id, facility, title, slots and every posting field */
    NJ_CSV_PARTICIPANTS = 4, /**< id, birth date, foreign flag, home, verification date, region */
    NJ_CSV_APPLICATIONS = 5, /**< participant, posting, date, status (applied or withdrawn) */
    NJ_CSV_WORK_ENTRIES = 6, /**< entry id, participant, posting, date, minutes, void flag */
    NJ_CSV_TARGETS = 7       /**< job targets: year, region, programme type, target (nearjob/stats.h) */
};

/** Encoding of an imported CSV file. Pinned values. */
enum nj_encoding {
    NJ_ENCODING_UTF8 = 1,  /**< UTF-8, with or without a byte-order mark */
    NJ_ENCODING_CP949 = 2, /**< CP949 (Windows Korean, a superset of EUC-KR) */
    NJ_ENCODING_AUTO = 3   /**< UTF-8 when the file is valid UTF-8 or has a BOM, else CP949 */
};

/**
 * Import limits, set with nj_registry_set_int64() and read with
 * nj_registry_get_int64() and nj_option_bounds(). They bound the work and
 * memory one import can take; exceeding one fails the import with
 * NJ_E_RANGE naming the limit. Pinned values, in the nj_option space.
 */
enum nj_io_option {
    NJ_OPT_IMPORT_MAX_BYTES = 5,      /**< input size; default 1 GiB, 1 .. 2^62 */
    NJ_OPT_IMPORT_MAX_ROWS = 6,       /**< data rows (features for GeoJSON); default 10 000 000, 1 .. 2^40 */
    NJ_OPT_IMPORT_MAX_FIELD_BYTES = 7 /**< one cell or JSON string; default 16 MiB, 1 .. 2^31 */
};

/**
 * Import a CSV file held in memory.
 *
 * @param reg       the registry
 * @param object    an nj_csv_object value
 * @param data      the file's bytes (need not be NUL-terminated; may be
 *                  NULL when len is 0)
 * @param len       number of bytes
 * @param encoding  an nj_encoding value
 * @param[out] rows number of rows imported (may be NULL); 0 on failure
 * @return NJ_OK; NJ_E_INVALID (NULL reg or data, bad object or encoding;
 *         a value the object's rules refuse, such as a bad date or enum);
 *         NJ_E_UNSUPPORTED (no CP949 converter in the C library);
 *         NJ_E_CORRUPT (RFC 4180 violation, no header, a required
 *         column missing, a wrong number of fields, a malformed number);
 *         NJ_E_ENCODING (invalid UTF-8 or CP949, an embedded NUL);
 *         NJ_E_RANGE (a limit, a value out of range); NJ_E_EXISTS (a
 *         duplicate id within the file or against the registry; the message
 *         names both); NJ_E_NOT_FOUND (a referenced object is missing);
 *         NJ_E_INELIGIBLE, NJ_E_CLOSED, NJ_E_CAP (application and ledger
 *         rules); NJ_E_NOMEM. On failure the registry is unchanged.
 * @since 0.1
 */
NJ_API nj_status nj_csv_import(nj_registry *reg, int32_t object,
                               const char *data, size_t len, int32_t encoding,
                               size_t *rows);

/**
 * Import a CSV file from a path. As nj_csv_import(), and NJ_E_IO when the
 * file cannot be opened or read (the message names the path and the
 * system's reason) or is not a regular file (a FIFO or a device, whose
 * size is unknown, is refused at once), NJ_E_RANGE when it is larger than
 * NJ_OPT_IMPORT_MAX_BYTES (checked before reading). @since 0.1
 */
NJ_API nj_status nj_csv_import_file(nj_registry *reg, int32_t object,
                                    const char *path, int32_t encoding,
                                    size_t *rows);

/**
 * Export every object of a type as CSV into a caller buffer (no NUL is
 * added). Objects are written in a fixed order (by id; regions parents
 * first; applications in an order that keeps every posting's and
 * participant's order of application; work entries in recording order;
 * targets by year, region and programme type).
 *
 * Call with capacity 0 (buf may then be NULL) to learn the size.
 *
 * @param[out] size  bytes written, or on NJ_E_BUFFER_TOO_SMALL the bytes
 *                   needed
 * @return NJ_OK; NJ_E_INVALID (NULL reg or size, NULL buf with capacity >
 *         0, bad object); NJ_E_BUFFER_TOO_SMALL (nothing written); NJ_E_RANGE (a ledger
 *         total overflowed); NJ_E_NOMEM (scratch for the ordering comes from
 *         the registry's allocator). Read-only: writes no message.
 * @since 0.1
 */
NJ_API nj_status nj_csv_export(const nj_registry *reg, int32_t object,
                               char *buf, size_t capacity, size_t *size);

/**
 * Export to a file, atomically: the CSV is written to a new temporary file
 * in the same folder (mode 0600: the files hold personal data), flushed to
 * disk, and renamed over `path`; the folder is synced after. On failure the
 * temporary file is removed and an existing file at `path` is untouched.
 * Symbolic links and paths that are not regular files are handled as by
 * nj_snapshot_save_file(): the link's file is replaced, the others refused.
 *
 * Like the snapshot saves, this is read-only on the registry (it may run
 * beside other readers), so it does not write the registry's message: it
 * writes it into the optional caller buffer `errmsg` of `errmsg_size` bytes
 * (NULL / 0 for none; always NUL-terminated, truncated to fit; "" on
 * success; 256 bytes hold every message).
 *
 * @param reg     the registry
 * @param object  an nj_csv_object value
 * @param path    the file to replace (or create)
 * @param[out] errmsg       optional message buffer
 * @param[in]  errmsg_size  its size in bytes
 * @return as nj_csv_export() without NJ_E_BUFFER_TOO_SMALL, and NJ_E_IO (the
 *         message names the step, the path and the system's reason).
 *         Read-only. @since 0.1
 */
NJ_API nj_status nj_csv_export_file(const nj_registry *reg, int32_t object,
                                    const char *path, char *errmsg,
                                    size_t errmsg_size);

/**
 * Import regions from a GeoJSON FeatureCollection (RFC 7946; UTF-8; a
 * Polygon, MultiPolygon or null geometry per feature). Two property
 * layouts are read (docs/csv.md): the Korean administrative-dong layout of
 * vuski/admdongkor (adm_cd2, adm_nm, sgg, sggnm, sido, sidonm; the province
 * and district are created without a boundary when missing), and a
 * generic one (id, name, level, parent_id). All or nothing, as for CSV;
 * messages name the line, column and feature.
 *
 * @param[out] regions  regions added, provinces and districts included
 *                      (may be NULL)
 * @return NJ_OK; NJ_E_INVALID (NULL reg or data); NJ_E_CORRUPT (not JSON,
 *         not a FeatureCollection, a missing or malformed property or
 *         geometry); NJ_E_ENCODING; NJ_E_RANGE (a limit, a coordinate);
 *         NJ_E_EXISTS; NJ_E_NOT_FOUND (a parent); NJ_E_NOMEM. On failure
 *         the registry is unchanged. @since 0.1
 */
NJ_API nj_status nj_geojson_import_regions(nj_registry *reg, const char *data,
                                           size_t len, size_t *regions);

/** As nj_geojson_import_regions(), from a path; NJ_E_IO as for nj_csv_import_file(). @since 0.1 */
NJ_API nj_status nj_geojson_import_regions_file(nj_registry *reg,
                                                const char *path,
                                                size_t *regions);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_IO_H */
