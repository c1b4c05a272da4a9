/*
 * Region boundaries as OGC Well-Known Text: POLYGON and MULTIPOLYGON (2D,
 * "x y" = "longitude latitude"), read into an nj_shape and written back as
 * MULTIPOLYGON with every coordinate printed so it reads back exactly.
 */
#ifndef NJ_WKT_INTERNAL_H
#define NJ_WKT_INTERNAL_H

#include "csv_internal.h"
#include "shape_internal.h"

/*
 * Parses `len` bytes of WKT into `out` (cleared first). "POLYGON EMPTY"
 * and "MULTIPOLYGON EMPTY" give no polygons. Keywords are case-insensitive.
 * @return NJ_OK; NJ_E_CORRUPT (not a 2D POLYGON or MULTIPOLYGON; *what and
 *         *offset say why and where); NJ_E_RANGE (a number out of range or a
 *         count over 32 bits); NJ_E_NOMEM.
 */
nj_status nj_wkt_parse(const nj_alloc *a, const char *text, size_t len,
                       nj_shape *out, size_t *offset, const char **what);

/* Writes the boundary arrays as a MULTIPOLYGON. */
void nj_wkt_write(nj_sink *s, size_t n_polygons, const uint32_t *rings_per_polygon,
                  const uint32_t *vertices_per_ring, const double *latlon);

#endif
