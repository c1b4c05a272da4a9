/**
 * @file nearjob/region.h
 * @brief Administrative regions: the province / district / neighbourhood
 *        tree, boundaries, point-in-region tests and location lookup.
 *
 * A region has the caller's id (for Korea, the 10-digit 행정동 code), a level,
 * an optional parent of a shallower level, a UTF-8 name and an optional
 * multipolygon boundary. Coordinates are WGS84 degrees, given as
 * (latitude, longitude) pairs everywhere in this API.
 *
 * Lifetime: an nj_region pointer stays valid until that region is removed or
 * the registry is destroyed. Strings returned are owned by the library and
 * stay valid until the region's name changes or the region is removed.
 */
#ifndef NEARJOB_REGION_H
#define NEARJOB_REGION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Levels of the region tree; a parent's level is always smaller. Pinned. */
enum nj_region_level {
    NJ_REGION_PROVINCE = 1,      /**< 시·도 */
    NJ_REGION_DISTRICT = 2,      /**< 시·군·구 */
    NJ_REGION_NEIGHBOURHOOD = 3  /**< 읍·면·동 (administrative dong) */
};

/**
 * Add a region.
 *
 * @param reg        the registry
 * @param id         caller's id, >= 1, unique among regions
 * @param level      an nj_region_level value
 * @param parent_id  id of an existing region of a smaller level, or 0 for none
 * @param name       non-empty UTF-8, at most 1024 bytes; copied
 * @param[out] out   receives the new region (may be NULL if not wanted)
 * @return NJ_OK; NJ_E_INVALID (reg or name NULL, bad level, parent level not
 *         smaller, empty name), NJ_E_RANGE (id < 1, name too long),
 *         NJ_E_ENCODING (name not UTF-8), NJ_E_EXISTS (id taken),
 *         NJ_E_NOT_FOUND (no such parent), NJ_E_NOMEM.
 * On failure nothing changes. @since 0.1
 */
NJ_API nj_status nj_region_add(nj_registry *reg, int64_t id, int32_t level,
                               int64_t parent_id, const char *name,
                               nj_region **out);

/**
 * Remove a region. A region that still has child regions, or that is the
 * region of a facility or participant or the residency restriction of a
 * posting, is not removed (NJ_E_IN_USE): remove or move those first.
 *
 * @return NJ_OK, NJ_E_INVALID, NJ_E_NOT_FOUND or NJ_E_IN_USE. @since 0.1
 */
NJ_API nj_status nj_region_remove(nj_registry *reg, int64_t id);

/**
 * Look up a region by id in O(1) expected time.
 * @return the region, or NULL if there is none (or reg is NULL).
 * Read-only. @since 0.1
 */
NJ_API nj_region *nj_region_get(const nj_registry *reg, int64_t id);

/** Number of regions in the registry (0 for NULL). Read-only. @since 0.1 */
NJ_API size_t nj_region_count(const nj_registry *reg);

/**
 * The region at position `index` (0 <= index < nj_region_count()), for
 * iteration. The order is unspecified but does not change while the registry
 * is unchanged; removing a region may move another into its position.
 * @return the region, or NULL when index is out of range. Read-only. @since 0.1
 */
NJ_API nj_region *nj_region_at(const nj_registry *reg, size_t index);

/** The region's id (0 for NULL). @since 0.1 */
NJ_API int64_t nj_region_id(const nj_region *region);
/** The region's nj_region_level (0 for NULL). @since 0.1 */
NJ_API int32_t nj_region_level(const nj_region *region);
/** The parent's id, or 0 when the region has no parent. @since 0.1 */
NJ_API int64_t nj_region_parent_id(const nj_region *region);
/** The region's name (UTF-8, owned by the library; "" for NULL). @since 0.1 */
NJ_API const char *nj_region_name(const nj_region *region);

/**
 * Rename a region.
 * @return NJ_OK, NJ_E_INVALID, NJ_E_RANGE, NJ_E_ENCODING or NJ_E_NOMEM; on
 *         failure the old name is kept. @since 0.1
 */
NJ_API nj_status nj_region_set_name(nj_registry *reg, nj_region *region,
                                    const char *name);

/**
 * Replace the region's boundary with a multipolygon.
 *
 * The boundary has `n_polygons` polygons. Polygon i has
 * `rings_per_polygon[i]` rings: the outer ring first, then its holes. Ring j
 * has `vertices_per_ring[j]` vertices, at least 3, read in order from
 * `latlon` as (latitude, longitude) pairs. A ring may repeat its first vertex
 * at the end (as GeoJSON does) or not; it is closed either way. Orientation
 * is ignored. The arrays are copied.
 *
 * Passing n_polygons = 0 (all arrays may then be NULL) removes the boundary.
 *
 * @param n_rings     length of vertices_per_ring; must equal the sum of
 *                    rings_per_polygon
 * @param n_vertices  number of (lat, lon) pairs in latlon; must equal the sum
 *                    of vertices_per_ring
 * @return NJ_OK; NJ_E_INVALID (NULL array, counts that do not add up, a
 *         polygon without rings, a ring with fewer than 3 vertices),
 *         NJ_E_RANGE (a coordinate NaN, infinite or out of range; more than
 *         16 777 216 vertices), NJ_E_NOMEM. On failure the old boundary is
 *         kept. @since 0.1
 */
NJ_API nj_status nj_region_set_boundary(nj_registry *reg, nj_region *region,
                                        size_t n_polygons,
                                        const uint32_t *rings_per_polygon,
                                        size_t n_rings,
                                        const uint32_t *vertices_per_ring,
                                        size_t n_vertices,
                                        const double *latlon);

/**
 * Sizes of the region's boundary, for nj_region_boundary_copy(). All zero
 * when the region has no boundary. Any out-pointer may be NULL.
 * @return NJ_OK or NJ_E_INVALID (region NULL). @since 0.1
 */
NJ_API nj_status nj_region_boundary_counts(const nj_region *region,
                                           size_t *n_polygons, size_t *n_rings,
                                           size_t *n_vertices);

/**
 * Copy the boundary into caller arrays laid out as for
 * nj_region_set_boundary() (closing vertices kept as they were given).
 * @return NJ_OK, NJ_E_INVALID (NULL argument) or NJ_E_BUFFER_TOO_SMALL
 *         (a capacity below the count from nj_region_boundary_counts();
 *         nothing is written). @since 0.1
 */
NJ_API nj_status nj_region_boundary_copy(const nj_region *region,
                                         uint32_t *rings_per_polygon,
                                         size_t polygons_cap,
                                         uint32_t *vertices_per_ring,
                                         size_t rings_cap, double *latlon,
                                         size_t vertices_cap);

/**
 * Bounding box of the boundary.
 * @return NJ_OK, NJ_E_INVALID (NULL argument) or NJ_E_NOT_FOUND (the region
 *         has no boundary). @since 0.1
 */
NJ_API nj_status nj_region_bbox(const nj_region *region, double *min_lat,
                                double *min_lon, double *max_lat,
                                double *max_lon);

/**
 * Whether the point lies inside the boundary: inside an outer ring and not
 * inside one of that polygon's holes. A point exactly on an edge is decided
 * by the half-open crossing rule, so a point on an edge shared by two
 * neighbouring regions belongs to exactly one of them.
 *
 * @param[out] inside 1 if inside, 0 if not (0 when there is no boundary)
 * @return NJ_OK, NJ_E_INVALID (NULL argument) or NJ_E_RANGE (coordinate NaN,
 *         infinite or out of range). Read-only. @since 0.1
 */
NJ_API nj_status nj_region_contains(const nj_region *region, double lat,
                                    double lon, int *inside);

/**
 * The deepest region whose boundary contains the point: a neighbourhood in
 * preference to its district, a district in preference to its province.
 * Regions without a boundary never match. Should two regions of the same
 * depth both contain the point (overlapping data), the smaller id wins.
 *
 * Uses an index over region bounding boxes, so the cost does not grow with
 * the number of regions far from the point.
 *
 * @param[out] out the region, or NULL when none contains the point
 * @return NJ_OK, NJ_E_NOT_FOUND (no region contains it; *out is NULL),
 *         NJ_E_INVALID (reg or out NULL) or NJ_E_RANGE (coordinate NaN,
 *         infinite or out of range). Read-only. @since 0.1
 */
NJ_API nj_status nj_region_locate(const nj_registry *reg, double lat,
                                  double lon, nj_region **out);

/**
 * Whether `region` is `ancestor` or lies in its subtree.
 * @return 1 if so, 0 if not or if either is NULL. Read-only. @since 0.1
 */
NJ_API int nj_region_is_within(const nj_region *region,
                               const nj_region *ancestor);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_REGION_H */
