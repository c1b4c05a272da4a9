/*
 * The report's neighbourhood map (report.h): the district's real
 * boundaries shaded by published placements, the neighbouring
 * neighbourhoods for context, and the facilities with postings marked.
 * Longitude is scaled by cos(latitude) at the map's middle, so distances
 * look right at this scale.
 */
#include <nearjob.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAP_WIDTH 900.0
#define MAP_MARGIN 10.0
#define MAP_MAX_HEIGHT 1200.0
/* Vertices closer than this (pixels) to the last one drawn are skipped. */
#define MAP_MIN_STEP 0.7
#define PI 3.14159265358979323846

static const char *const shades[] = {"#eaf2f8", "#c6dbef", "#9ecae1", "#6baed6",
                                     "#3182bd", "#08519c"};
#define N_SHADES (sizeof shades / sizeof *shades)

static const char *const kind_colours[] = {"#7b8794", "#e8590c", "#7048e8",
                                           "#2b8a3e", "#c2255c", "#0b7285",
                                           "#5f3dc4", "#7b8794"};
static const char *const kind_names[] = {"기타", "도서관", "복지관", "지역아동센터",
                                         "노인복지시설", "행정복지센터",
                                         "청소년시설", "기타"};

typedef struct map_view {
    double min_lat, min_lon, max_lat, max_lon;
    double kx, scale, width, height;
} map_view;

typedef struct boundary {
    size_t n_polygons, n_rings, n_vertices;
    uint32_t *rings_per_polygon, *vertices_per_ring;
    double *latlon;
} boundary;

/* Placements per neighbourhood, as published. */
typedef struct shading {
    nj_stats_table *table;
    size_t placements_column;
    int64_t max;
} shading;

static void project(const map_view *v, double lat, double lon, double *x, double *y)
{
    *x = MAP_MARGIN + (lon - v->min_lon) * v->kx * v->scale;
    *y = MAP_MARGIN + (v->max_lat - lat) * v->scale;
}

static int has_boundary(const nj_region *r)
{
    size_t polygons = 0;
    return nj_region_boundary_counts(r, &polygons, NULL, NULL) == NJ_OK && polygons > 0;
}

static int in_district(const nj_registry *reg, const nj_region *r,
                       const report_figures *fig)
{
    return nj_region_level(r) == NJ_REGION_NEIGHBOURHOOD && has_boundary(r) &&
           nj_region_is_within(r, nj_region_get(reg, fig->district_id));
}

/* The bounding box of the district's neighbourhoods; 0 when none. */
static int make_view(const nj_registry *reg, const report_figures *fig, map_view *v)
{
    int found = 0;

    for (size_t i = 0; i < nj_region_count(reg); i++) {
        const nj_region *r = nj_region_at(reg, i);
        double a, b, c, d;
        if (!in_district(reg, r, fig) || nj_region_bbox(r, &a, &b, &c, &d) != NJ_OK)
            continue;
        if (!found++) {
            v->min_lat = a, v->min_lon = b, v->max_lat = c, v->max_lon = d;
            continue;
        }
        v->min_lat = fmin(v->min_lat, a), v->min_lon = fmin(v->min_lon, b);
        v->max_lat = fmax(v->max_lat, c), v->max_lon = fmax(v->max_lon, d);
    }
    if (!found || v->max_lat <= v->min_lat || v->max_lon <= v->min_lon)
        return 0;
    v->kx = cos((v->min_lat + v->max_lat) / 2 * PI / 180);
    v->scale = (MAP_WIDTH - 2 * MAP_MARGIN) / ((v->max_lon - v->min_lon) * v->kx);
    if ((v->max_lat - v->min_lat) * v->scale > MAP_MAX_HEIGHT - 2 * MAP_MARGIN)
        v->scale = (MAP_MAX_HEIGHT - 2 * MAP_MARGIN) / (v->max_lat - v->min_lat);
    v->width = (v->max_lon - v->min_lon) * v->kx * v->scale + 2 * MAP_MARGIN;
    v->height = (v->max_lat - v->min_lat) * v->scale + 2 * MAP_MARGIN;
    return 1;
}

static int boundary_read(const nj_region *r, boundary *b)
{
    nj_region_boundary_counts(r, &b->n_polygons, &b->n_rings, &b->n_vertices);
    b->rings_per_polygon = malloc((b->n_polygons + 1) * sizeof *b->rings_per_polygon);
    b->vertices_per_ring = malloc((b->n_rings + 1) * sizeof *b->vertices_per_ring);
    b->latlon = malloc((2 * b->n_vertices + 1) * sizeof *b->latlon);
    return b->rings_per_polygon && b->vertices_per_ring && b->latlon &&
           nj_region_boundary_copy(r, b->rings_per_polygon, b->n_polygons,
                                   b->vertices_per_ring, b->n_rings, b->latlon,
                                   b->n_vertices) == NJ_OK;
}

static void boundary_free(boundary *b)
{
    free(b->rings_per_polygon);
    free(b->vertices_per_ring);
    free(b->latlon);
}

/* Path data of every ring; a label point (the centre of the largest outer
 * ring by area, via the shoelace formula) into lx, ly. */
static void write_rings(FILE *out, const map_view *v, const boundary *b,
                        double *lx, double *ly)
{
    size_t vertex = 0, ring = 0;
    double best_area = -1;

    for (size_t p = 0; p < b->n_polygons; p++)
        for (uint32_t k = 0; k < b->rings_per_polygon[p]; k++, ring++) {
            double px = 0, py = 0, x0 = 0, y0 = 0, area = 0, cx = 0, cy = 0;
            for (uint32_t i = 0; i < b->vertices_per_ring[ring]; i++, vertex++) {
                double x, y;
                project(v, b->latlon[2 * vertex], b->latlon[2 * vertex + 1], &x, &y);
                if (i == 0) {
                    x0 = px = x, y0 = py = y;
                    fprintf(out, "M%.1f %.1f", x, y);
                    continue;
                }
                double cross = px * y - x * py;
                area += cross, cx += (px + x) * cross, cy += (py + y) * cross;
                if (fabs(x - px) + fabs(y - py) >= MAP_MIN_STEP) {
                    fprintf(out, "L%.1f %.1f", x, y);
                }
                px = x, py = y;
            }
            fputc('Z', out);
            double cross = px * y0 - x0 * py;
            area += cross, cx += (px + x0) * cross, cy += (py + y0) * cross;
            if (k == 0 && fabs(area) > best_area && area != 0) {
                best_area = fabs(area);
                *lx = cx / (3 * area), *ly = cy / (3 * area);
            }
        }
}

static int intersects(const nj_region *r, const map_view *v)
{
    double a, b, c, d;
    return nj_region_bbox(r, &a, &b, &c, &d) == NJ_OK && a <= v->max_lat &&
           c >= v->min_lat && b <= v->max_lon && d >= v->min_lon;
}

/* The published placements of a neighbourhood: 1 with the value, 0 when
 * suppressed, -1 when the table has no row for it. */
static int published_placements(const shading *sh, int64_t region, int64_t *value)
{
    for (size_t r = 0; sh->table && r < nj_stats_table_row_count(sh->table); r++) {
        int64_t id;
        int32_t type, state = 0;
        nj_stats_table_row(sh->table, r, &id, &type, NULL);
        if (id != region || type != NJ_PROGRAMME_ALL)
            continue;
        nj_stats_table_cell(sh->table, r, sh->placements_column, value, &state);
        return state == NJ_CELL_PUBLISHED;
    }
    return -1;
}

static void write_fill(FILE *out, const shading *sh, int64_t region)
{
    int64_t value = 0;
    int state = published_placements(sh, region, &value);
    size_t step;

    if (state < 0) {
        fputs("#ffffff", out);
        return;
    }
    if (state == 0) {
        fputs("url(#nj-suppressed)", out);
        return;
    }
    step = sh->max > 0 ? (size_t)((double)value * (N_SHADES - 1) / (double)sh->max + 0.5) : 0;
    fputs(shades[step < N_SHADES ? step : N_SHADES - 1], out);
}

static void write_title_text(FILE *out, const nj_region *r, const shading *sh)
{
    int64_t value = 0;
    int state = published_placements(sh, nj_region_id(r), &value);

    fputs("<title>", out);
    report_escape(out, nj_region_name(r));
    if (state > 0)
        fprintf(out, ": 선발 %lld명", (long long)value);
    else
        fputs(state == 0 ? ": 선발 x (작은 값 가림)" : ": 공고 없음", out);
    fputs("</title>", out);
}

/* One neighbourhood; the district's are shaded and labelled. */
static int write_region(FILE *out, const map_view *v, const nj_region *r,
                        const shading *sh, int focus)
{
    boundary b = {0};
    double lx = 0, ly = 0;
    int ok = boundary_read(r, &b);

    if (ok) {
        fputs("<path fill-rule=\"evenodd\" d=\"", out);
        write_rings(out, v, &b, &lx, &ly);
        if (focus) {
            fputs("\" fill=\"", out);
            write_fill(out, sh, nj_region_id(r));
            fputs("\" stroke=\"#334e68\" stroke-width=\"1\">", out);
            write_title_text(out, r, sh);
            /* below the centre, where the facility markers usually are */
            fprintf(out, "</path>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "text-anchor=\"middle\" fill=\"#102a43\">", lx, ly + 16);
            report_escape(out, nj_region_name(r));
            fputs("</text>\n", out);
        } else {
            fputs("\" fill=\"#f5f7fa\" stroke=\"#cbd2d9\" stroke-width=\"0.8\"/>\n", out);
        }
    }
    boundary_free(&b);
    if (!ok)
        fprintf(stderr, "nearjob: out of memory drawing the map\n");
    return ok ? 0 : -1;
}

static int write_regions(FILE *out, const nj_registry *reg, const map_view *v,
                         const shading *sh, const report_figures *fig)
{
    for (int focus = 0; focus <= 1; focus++)
        for (size_t i = 0; i < nj_region_count(reg); i++) {
            const nj_region *r = nj_region_at(reg, i);
            int mine = in_district(reg, r, fig);
            if (mine != focus || nj_region_level(r) != NJ_REGION_NEIGHBOURHOOD ||
                !has_boundary(r) || !intersects(r, v))
                continue;
            if (write_region(out, v, r, sh, focus) != 0)
                return -1;
        }
    return 0;
}

typedef struct facility_load {
    int64_t facility, slots, applicants;
} facility_load;

static int compare_loads(const void *a, const void *b)
{
    int64_t x = ((const facility_load *)a)->facility;
    int64_t y = ((const facility_load *)b)->facility;
    return (x > y) - (x < y);
}

static void write_marker(FILE *out, const map_view *v, const nj_facility *f,
                         int64_t postings, int64_t slots, int64_t applicants)
{
    int32_t kind = nj_facility_kind(f);
    double x, y;

    project(v, nj_facility_lat(f), nj_facility_lon(f), &x, &y);
    fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
            "fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"1.2\"><title>",
            x, y, 3.0 + 2.0 * sqrt((double)postings),
            kind_colours[kind >= 1 && kind <= 7 ? kind : 0]);
    report_escape(out, nj_facility_name(f));
    fprintf(out, ": 공고 %lld건, 모집 %lld명, 지원 %lld명</title></circle>\n",
            (long long)postings, (long long)slots, (long long)applicants);
}

/* A marker per facility of the district with postings in the year, its
 * area growing with the postings. */
static int write_facilities(FILE *out, const nj_registry *reg, const map_view *v,
                            const report_figures *fig)
{
    size_t n = nj_posting_count(reg), used = 0;
    facility_load *loads = malloc((n ? n : 1) * sizeof *loads);
    const nj_region *district = nj_region_get(reg, fig->district_id);

    if (!loads) {
        fprintf(stderr, "nearjob: out of memory drawing the map\n");
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        const nj_posting *p = nj_posting_at(reg, k);
        if (report_posting_year(p) == fig->year)
            loads[used++] = (facility_load){nj_posting_facility_id(p), nj_posting_slots(p),
                                            (int64_t)nj_posting_application_count(p)};
    }
    qsort(loads, used, sizeof *loads, compare_loads);
    for (size_t i = 0, run; i < used; i += run) {
        int64_t slots = 0, applicants = 0;
        const nj_facility *f = nj_facility_get(reg, loads[i].facility);
        const nj_region *home = nj_region_get(reg, nj_facility_region_id(f));
        for (run = 0; i + run < used && loads[i + run].facility == loads[i].facility; run++) {
            slots += loads[i + run].slots;
            applicants += loads[i + run].applicants;
        }
        if (home && nj_region_is_within(home, district))
            write_marker(out, v, f, (int64_t)run, slots, applicants);
    }
    free(loads);
    return 0;
}

static void write_legend(FILE *out, const shading *sh, const report_figures *fig)
{
    fputs("<p class=\"note\">행정동 색: 그 동 시설의 선발 인원(공표값, 최대 ", out);
    fprintf(out, "%lld명). 빗금: 3명 미만이라 가린 동. 흰색: 공고 없음. 원: 공고가 있는 "
            "시설(면적 ∝ 공고 수) — ", (long long)sh->max);
    for (int k = 1; k <= 7; k++)
        if (fig->facilities_by_kind[k] > 0)
            fprintf(out, "<span style=\"color:%s\">●</span> %s %zu곳 ", kind_colours[k],
                    kind_names[k], fig->facilities_by_kind[k]);
    fputs(". 회색 동은 이웃 구입니다.</p>\n", out);
}

static int load_shading(const nj_stats *stats, const report_figures *fig, shading *sh)
{
    if (nj_stats_publish(stats, fig->year, NJ_REGION_NEIGHBOURHOOD, NJ_TABLE_ATTAINMENT,
                         REPORT_SUPPRESSION_K, &sh->table) != NJ_OK)
        return -1;
    sh->placements_column = (size_t)-1;
    for (size_t c = 0; c < nj_stats_table_column_count(sh->table); c++)
        if (strcmp(nj_stats_table_column_name(sh->table, c), "placements") == 0)
            sh->placements_column = c;
    for (size_t r = 0; r < nj_stats_table_row_count(sh->table); r++) {
        int64_t value = 0;
        int32_t state = 0;
        nj_stats_table_cell(sh->table, r, sh->placements_column, &value, &state);
        if (state == NJ_CELL_PUBLISHED && value > sh->max)
            sh->max = value;
    }
    return 0;
}

int report_map_write(FILE *out, const nj_registry *reg, const nj_stats *stats,
                     const report_figures *fig)
{
    map_view v = {0};
    shading sh = {NULL, 0, 0};
    int rc = 0;

    fputs("<section>\n<h2>행정동 지도: 공고와 선발</h2>\n", out);
    if (!make_view(reg, fig, &v)) {
        fputs("<p class=\"note\">경계가 있는 행정동이 없어 지도를 그리지 "
              "않았습니다.</p>\n</section>\n", out);
        return 0;
    }
    if (load_shading(stats, fig, &sh) != 0) {
        fprintf(stderr, "nearjob: publishing the map's table failed\n");
        return -1;
    }
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"행정동 "
            "지도\" style=\"max-width:100%%;height:auto;overflow:hidden\">\n<defs><pattern "
            "id=\"nj-suppressed\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
            "fill=\"#f0f4f8\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
            "stroke=\"#9aa5b1\" stroke-width=\"2\"/></pattern></defs>\n",
            v.width, v.height, v.width, v.height);
    rc = write_regions(out, reg, &v, &sh, fig);
    if (rc == 0)
        rc = write_facilities(out, reg, &v, fig);
    fputs("</svg>\n", out);
    write_legend(out, &sh, fig);
    fputs("</section>\n", out);
    nj_stats_table_destroy(sh.table);
    return rc;
}
