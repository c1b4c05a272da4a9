/*
 * Load Korean administrative-dong (행정동) boundaries from a GeoJSON
 * FeatureCollection into an nj_registry, through the public API only.
 *
 * Example and test support code, not part of libnearjob (whose own GeoJSON
 * import comes later). The expected input is the vuski/admdongkor layout:
 *
 *   {"type": "FeatureCollection", "features": [
 *     {"type": "Feature",
 *      "properties": {"adm_nm": "광주광역시 광산구 송정1동",
 *                     "adm_cd2": "2920051000", "sgg": "29200", "sido": "29",
 *                     "sidonm": "광주광역시", "sggnm": "광산구",
 *                     "centroid_lat": 35.14, "centroid_lon": 126.79},
 *      "geometry": {"type": "MultiPolygon", "coordinates": [...]}}]}
 *
 * Each feature becomes a neighbourhood region: id adm_cd2, name the last word
 * of adm_nm, parent the district `sgg`, boundary from the geometry (GeoJSON's
 * lon,lat positions turned into the API's lat,lon pairs; a null geometry
 * gives a region without boundary). The district (id sgg, name sggnm, parent
 * the province) and the province (id sido, name sidonm) are created without a
 * boundary the first time they are needed and reused after that, also across
 * loads into the same registry. The codes may be JSON strings of digits or
 * JSON integers. centroid_lat and centroid_lon are optional.
 *
 * A load either adds every feature or, on any error, removes again each
 * region it added, so the registry is as it was.
 */
#ifndef NJ_EXAMPLES_GEOJSON_REGIONS_H
#define NJ_EXAMPLES_GEOJSON_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include <nearjob.h>

/** Limits on the input, beyond which the load fails with NJ_E_RANGE. */
#define GEOJSON_MAX_BYTES ((size_t)256 * 1024 * 1024)
/** Deepest nesting of arrays and objects (a MultiPolygon file needs 8). */
#define GEOJSON_MAX_DEPTH 64

/** What the loader reports about each neighbourhood it added. */
typedef struct geojson_feature {
    size_t index;          /**< position in the "features" array, from 0 */
    nj_region *region;     /**< the neighbourhood just added */
    int64_t region_id;     /**< adm_cd2 */
    int64_t district_id;   /**< sgg */
    int64_t province_id;   /**< sido */
    const char *full_name; /**< adm_nm; valid during the callback only */
    int has_centroid;      /**< 1 when both centroid properties are numbers */
    double centroid_lat;   /**< centroid_lat, NaN when absent */
    double centroid_lon;   /**< centroid_lon, NaN when absent */
} geojson_feature;

/**
 * Called after each neighbourhood is added. Return NJ_OK to go on; any other
 * status stops the load, which is then rolled back and returns that status.
 * The callback must not change the registry.
 */
typedef nj_status (*geojson_feature_fn)(const geojson_feature *feature,
                                        void *user);

/**
 * Load a GeoJSON file into `reg`.
 *
 * @param on_feature  optional callback (may be NULL)
 * @param user        passed to on_feature
 * @param err         optional buffer for an English message naming the
 *                    failure (byte offset as line:column for syntax errors,
 *                    the feature index and property otherwise)
 * @return NJ_OK; NJ_E_INVALID (NULL reg or path); NJ_E_IO; NJ_E_CORRUPT
 *         (not JSON, or not the layout above); NJ_E_ENCODING (a string is not
 *         valid UTF-8, or \u0000 or a lone surrogate); NJ_E_RANGE (a limit
 *         exceeded); NJ_E_NOMEM; or what nj_region_add() or
 *         nj_region_set_boundary() returned, such as NJ_E_EXISTS for a
 *         neighbourhood already in the registry.
 */
nj_status geojson_regions_load_file(nj_registry *reg, const char *path,
                                    geojson_feature_fn on_feature, void *user,
                                    char *err, size_t err_size);

/** As geojson_regions_load_file(), from `len` bytes of memory. */
nj_status geojson_regions_load_buffer(nj_registry *reg, const char *text,
                                      size_t len,
                                      geojson_feature_fn on_feature,
                                      void *user, char *err, size_t err_size);

#endif /* NJ_EXAMPLES_GEOJSON_REGIONS_H */
