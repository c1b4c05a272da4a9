/* Coordinates and multipolygon boundaries. */
#ifndef NJ_GEOMETRY_INTERNAL_H
#define NJ_GEOMETRY_INTERNAL_H

#include "alloc_internal.h"

/* Most vertices one boundary may hold (keeps ring offsets in uint32). */
#define NJ_BOUNDARY_MAX_VERTICES ((size_t)1 << 24)

typedef struct nj_bbox {
    double min_lat, min_lon, max_lat, max_lon;
} nj_bbox;

/*
 * A multipolygon. Polygon p owns rings [first_ring[p], first_ring[p+1]);
 * ring r owns vertices [first_vertex[r], first_vertex[r+1]) of latlon.
 * The caller's counts are kept too, so the boundary can be copied back as
 * it was given.
 */
/*
 * Edges of one ring filed by latitude band, so a containment test reads only
 * the edges that can cross the point's parallel: band k covers
 * [lat_min + k / scale, lat_min + (k + 1) / scale) and lists every edge whose
 * latitude span touches it (edge e runs from vertex e - 1, or the ring's
 * last vertex, to vertex e).
 */
typedef struct nj_ring_bands {
    double lat_min, lat_max;
    double scale;          /* bands per degree */
    uint32_t band_count;
    uint32_t first_band;   /* index into nj_boundary.band_start */
} nj_ring_bands;

typedef struct nj_boundary {
    size_t n_polygons, n_rings, n_vertices;
    uint32_t *rings_per_polygon;
    uint32_t *vertices_per_ring;
    uint32_t *first_ring;       /* n_polygons + 1 entries */
    uint32_t *first_vertex;     /* n_rings + 1 entries */
    double *latlon;             /* 2 * n_vertices */
    nj_bbox *polygon_bbox;      /* per polygon, from its outer ring */
    nj_ring_bands *ring_bands;  /* per ring */
    uint32_t *band_start;       /* per ring: band_count + 1 offsets into band_edges */
    uint32_t *band_edges;       /* vertex index of each edge's end */
    nj_bbox bbox;
} nj_boundary;

/* 1 when lat is finite and in [-90, 90]; lon likewise in [-180, 180]. */
int nj_lat_is_valid(double lat);
int nj_lon_is_valid(double lon);

/* Formats a double for messages, independent of the C locale. */
const char *nj_format_double(char buf[32], double x);

/*
 * Validates the caller's arrays (nj_region_set_boundary) and builds a
 * boundary. On error returns the status and writes a reason to `why`.
 */
nj_status nj_boundary_create(const nj_alloc *a, size_t n_polygons,
                             const uint32_t *rings_per_polygon, size_t n_rings,
                             const uint32_t *vertices_per_ring,
                             size_t n_vertices, const double *latlon,
                             char *why, size_t why_size, nj_boundary **out);
void nj_boundary_destroy(const nj_alloc *a, nj_boundary *b);

int nj_bbox_contains(const nj_bbox *box, double lat, double lon);
/* Point in multipolygon with holes, half-open crossing rule on edges. */
int nj_boundary_contains(const nj_boundary *b, double lat, double lon);

#endif
