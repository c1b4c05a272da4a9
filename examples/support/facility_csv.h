/*
 * Read the facility coordinates of a CSV file such as
 * facilities_gwangju_libraries.csv (header: name,type,...,lat,lon,adm_cd2,...).
 *
 * Example and test support code, not part of libnearjob. The library imports
 * such files itself (nj_csv_import_file(), docs/csv.md); the demo and the
 * tests read them here too, to compare the file's own adm_cd2 with the region
 * the library derives. The reader follows RFC 4180: fields are separated by commas,
 * records by CRLF (LF or a lone CR are accepted too), and a field in double
 * quotes may contain commas, line breaks and doubled quotes. A UTF-8
 * byte-order mark is skipped. The first record is the header; the columns
 * "name", "lat", "lon" and "adm_cd2" are found by name, in any order, and
 * every record must have as many fields as the header.
 */
#ifndef NJ_EXAMPLES_FACILITY_CSV_H
#define NJ_EXAMPLES_FACILITY_CSV_H

#include <stddef.h>
#include <stdint.h>

#include <nearjob.h>

/** Files larger than this are refused with NJ_E_RANGE. */
#define FACILITY_CSV_MAX_BYTES ((size_t)64 * 1024 * 1024)

/** One data record. */
typedef struct facility_csv_row {
    char *name;      /**< UTF-8 as found in the file (not validated) */
    double lat;      /**< parsed without regard to the locale */
    double lon;
    int64_t adm_cd2; /**< the dong code, or 0 when the cell is empty */
    size_t line;     /**< line where the record starts, from 1 */
} facility_csv_row;

/**
 * Read every data record of a CSV file.
 *
 * @param[out] rows    receives a malloc'ed array; free it with
 *                     facility_csv_free(). NULL on failure.
 * @param[out] n_rows  the number of rows
 * @param err          optional buffer for a message naming the line, the
 *                     column and the problem
 * @return NJ_OK; NJ_E_INVALID (a NULL argument); NJ_E_IO; NJ_E_RANGE (file
 *         too large); NJ_E_CORRUPT (bad quoting, a missing column, a wrong
 *         field count, an empty name, a malformed number or code);
 *         NJ_E_NOMEM.
 */
nj_status facility_csv_load_file(const char *path, facility_csv_row **rows,
                                 size_t *n_rows, char *err, size_t err_size);

/** As facility_csv_load_file(), from `len` bytes of memory. */
nj_status facility_csv_load_buffer(const char *text, size_t len,
                                   facility_csv_row **rows, size_t *n_rows,
                                   char *err, size_t err_size);

/** Free what a load returned. facility_csv_free(NULL, 0) does nothing. */
void facility_csv_free(facility_csv_row *rows, size_t n_rows);

#endif /* NJ_EXAMPLES_FACILITY_CSV_H */
