/* CSV schemas of the objects that have a place: regions, facilities and
 * participants. docs/csv.md documents every column. */
#include "io_internal.h"
#include "restore_internal.h"

#include <math.h>
#include <stdlib.h>

const nj_io_word nj_io_flag_words[] = {
    {"0", 0},     {"1", 1},    {"false", 0}, {"true", 1},    {"no", 0},
    {"yes", 1},   {"n", 0},    {"y", 1},     {"아니오", 0},  {"예", 1},
    {"내국인", 0}, {"외국인", 1}, {NULL, 0}};

/* The id (column 0) must be new to the file and to `table`. */
static nj_status check_new(nj_io_import *im, const nj_table *table,
                           const nj_io_value *row)
{
    nj_status st = nj_io_check_unique(im, 0, row[0].i);
    if (st == NJ_OK && nj_table_find(table, row[0].i))
        return nj_io_fail(im, NJ_E_EXISTS, 0,
                          "%s %lld already exists in the registry",
                          im->schema->what, (long long)row[0].i);
    return st;
}

static int64_t region_of(const nj_region *region)
{
    return region ? region->head.id : 0;
}

/* ---- regions ------------------------------------------------------------- */

enum { R_ID, R_LEVEL, R_PARENT, R_NAME, R_GEOMETRY, R_COLUMNS };

static const nj_io_word level_words[] = {
    {"province", NJ_REGION_PROVINCE},
    {"district", NJ_REGION_DISTRICT},
    {"neighbourhood", NJ_REGION_NEIGHBOURHOOD},
    {"neighborhood", NJ_REGION_NEIGHBOURHOOD},
    {"시도", NJ_REGION_PROVINCE},
    {"시·도", NJ_REGION_PROVINCE},
    {"시군구", NJ_REGION_DISTRICT},
    {"시·군·구", NJ_REGION_DISTRICT},
    {"읍면동", NJ_REGION_NEIGHBOURHOOD},
    {"읍·면·동", NJ_REGION_NEIGHBOURHOOD},
    {"행정동", NJ_REGION_NEIGHBOURHOOD},
    {NULL, 0}};

static const nj_io_column region_columns[R_COLUMNS] = {
    [R_ID] = {"id", "region_id|code|코드|행정구역코드|행정동코드|adm_cd2", NJ_IO_ID,
              NJ_IO_REQUIRED, NULL, 0},
    [R_LEVEL] = {"level", "단계|구분", NJ_IO_ENUM, NJ_IO_REQUIRED, level_words, 0},
    [R_PARENT] = {"parent_id", "parent|상위코드|상위행정구역코드", NJ_IO_REF, 0, NULL, 0},
    [R_NAME] = {"name", "region_name|이름|명칭|행정구역명", NJ_IO_TEXT,
                NJ_IO_REQUIRED, NULL, 0},
    [R_GEOMETRY] = {"geometry", "boundary|wkt|geom|geojson|경계", NJ_IO_GEOMETRY, 0,
                    NULL, 0},
};

static nj_status region_check(nj_io_import *im, const nj_io_value *row)
{
    return check_new(im, &im->reg->regions, row);
}

static nj_status region_apply(nj_io_import *im, const nj_io_value *row,
                              nj_io_undo *undo)
{
    nj_region *region;
    nj_status st = nj_region_add(im->reg, row[R_ID].i, (int32_t)row[R_LEVEL].i,
                                 row[R_PARENT].i, row[R_NAME].s, &region);
    if (st != NJ_OK) {
        im->fail_column = R_PARENT;
        return st;
    }
    undo->id = row[R_ID].i;
    const nj_shape *s = row[R_GEOMETRY].shape;
    if (s && (st = nj_region_set_boundary(im->reg, region, s->n_polygons,
                                          s->rings_per_polygon, s->n_rings,
                                          s->vertices_per_ring, s->n_vertices,
                                          s->latlon)) != NJ_OK) {
        im->fail_column = R_GEOMETRY;
        nj_region_remove(im->reg, undo->id);
    }
    return st;
}

static void region_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_region_remove(reg, undo->id);
}

/* Parents before children: by depth, then id. */
static int compare_regions(const void *a, const void *b)
{
    const nj_region *x = *(const nj_region *const *)a;
    const nj_region *y = *(const nj_region *const *)b;
    if (x->depth != y->depth)
        return x->depth < y->depth ? -1 : 1;
    return nj_io_compare_by_id(a, b);
}

static nj_status region_order(const nj_registry *reg, void ***items, size_t *count)
{
    nj_status st = nj_io_collect(reg, &reg->regions, items, count);
    if (st == NJ_OK)
        qsort(*items, *count, sizeof **items, compare_regions);
    return st;
}

static nj_status region_fill(const nj_registry *reg, const void *item,
                             nj_io_value *row, nj_shape *shape)
{
    (void)reg;
    const nj_region *r = item;
    nj_io_set_int(&row[R_ID], r->head.id);
    nj_io_set_int(&row[R_LEVEL], r->level);
    nj_io_set_ref(&row[R_PARENT], region_of(r->parent));
    nj_io_set_text(&row[R_NAME], r->name);
    if (r->boundary) {
        const nj_boundary *b = r->boundary;
        *shape = (nj_shape){b->rings_per_polygon, b->n_polygons, 0,
                            b->vertices_per_ring, b->n_rings, 0,
                            b->latlon, b->n_vertices, 0};
        row[R_GEOMETRY].present = 1;
        row[R_GEOMETRY].shape = shape;
    }
    return NJ_OK;
}

const nj_io_schema nj_io_regions = {
    "region", region_columns, R_COLUMNS, NULL, region_check, NULL,
    region_apply, NULL, region_undo, region_order, region_fill};

/* ---- facilities ---------------------------------------------------------- */

enum { F_ID, F_KIND, F_NAME, F_LAT, F_LON, F_REGION, F_RESOLVED, F_COLUMNS };

/* English names first (export writes them), then Korean names by suffix,
 * the more specific before the more general. */
static const nj_io_word kind_words[] = {
    {"library", NJ_FACILITY_LIBRARY},
    {"welfare_centre", NJ_FACILITY_WELFARE_CENTRE},
    {"childrens_centre", NJ_FACILITY_CHILDRENS_CENTRE},
    {"senior_centre", NJ_FACILITY_SENIOR_CENTRE},
    {"community_service_centre", NJ_FACILITY_COMMUNITY_SERVICE_CENTRE},
    {"youth_centre", NJ_FACILITY_YOUTH_CENTRE},
    {"other", NJ_FACILITY_OTHER},
    {"welfare_center", NJ_FACILITY_WELFARE_CENTRE},
    {"childrens_center", NJ_FACILITY_CHILDRENS_CENTRE},
    {"senior_center", NJ_FACILITY_SENIOR_CENTRE},
    {"community_service_center", NJ_FACILITY_COMMUNITY_SERVICE_CENTRE},
    {"youth_center", NJ_FACILITY_YOUTH_CENTRE},
    {"*노인복지관", NJ_FACILITY_SENIOR_CENTRE},
    {"*노인복지센터", NJ_FACILITY_SENIOR_CENTRE},
    {"*경로당", NJ_FACILITY_SENIOR_CENTRE},
    {"*행정복지센터", NJ_FACILITY_COMMUNITY_SERVICE_CENTRE},
    {"*주민센터", NJ_FACILITY_COMMUNITY_SERVICE_CENTRE},
    {"*도서관", NJ_FACILITY_LIBRARY},
    {"*복지관", NJ_FACILITY_WELFARE_CENTRE},
    {"*아동센터", NJ_FACILITY_CHILDRENS_CENTRE},
    {"*키움센터", NJ_FACILITY_CHILDRENS_CENTRE},
    {"*청소년수련관", NJ_FACILITY_YOUTH_CENTRE},
    {"*청소년문화의집", NJ_FACILITY_YOUTH_CENTRE},
    {"*청소년센터", NJ_FACILITY_YOUTH_CENTRE},
    {"기타", NJ_FACILITY_OTHER},
    {NULL, 0}};

static const nj_io_column facility_columns[F_COLUMNS] = {
    [F_ID] = {"id", "아이디", NJ_IO_ID, NJ_IO_REQUIRED | NJ_IO_AUTO_ID, NULL, 0},
    [F_KIND] = {"kind", "type|시설유형|시설종류|시설구분|유형", NJ_IO_ENUM,
                NJ_IO_REQUIRED, kind_words, 0},
    [F_NAME] = {"name", "facility_name|시설명|기관명|명칭|이름|도서관명", NJ_IO_TEXT,
                NJ_IO_REQUIRED, NULL, 0},
    [F_LAT] = {"lat", "latitude|위도", NJ_IO_LAT, NJ_IO_REQUIRED, NULL, 0},
    [F_LON] = {"lon", "lng|longitude|경도", NJ_IO_LON, NJ_IO_REQUIRED, NULL, 0},
    [F_REGION] = {"region_id", "region|행정동코드", NJ_IO_REF, 0, NULL, 0},
    [F_RESOLVED] = {"resolved_region_id", NULL, NJ_IO_REF, NJ_IO_EXPORT_ONLY, NULL, 0},
};

static int64_t max_id_of(const nj_table *table)
{
    int64_t max = 0;
    for (size_t i = 0; i < table->count; i++)
        if (table->items[i]->id > max)
            max = table->items[i]->id;
    return max;
}

static int64_t facility_max_id(const nj_registry *reg)
{
    return max_id_of(&reg->facilities);
}

static nj_status facility_check(nj_io_import *im, const nj_io_value *row)
{
    return check_new(im, &im->reg->facilities, row);
}

static nj_status facility_apply(nj_io_import *im, const nj_io_value *row,
                                nj_io_undo *undo)
{
    nj_status st = nj_facility_add(im->reg, row[F_ID].i, (int32_t)row[F_KIND].i,
                                   row[F_NAME].s, row[F_LAT].d, row[F_LON].d,
                                   row[F_REGION].i, NULL);
    im->fail_column = st == NJ_E_NOT_FOUND ? F_REGION : F_ID;
    undo->id = row[F_ID].i;
    return st;
}

static void facility_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_facility_remove(reg, undo->id);
}

static nj_status facility_order(const nj_registry *reg, void ***items, size_t *count)
{
    return nj_io_collect(reg, &reg->facilities, items, count);
}

static nj_status facility_fill(const nj_registry *reg, const void *item,
                               nj_io_value *row, nj_shape *shape)
{
    (void)reg;
    (void)shape;
    const nj_facility *f = item;
    nj_io_set_int(&row[F_ID], f->head.id);
    nj_io_set_int(&row[F_KIND], f->kind);
    nj_io_set_text(&row[F_NAME], f->name);
    nj_io_set_real(&row[F_LAT], f->lat);
    nj_io_set_real(&row[F_LON], f->lon);
    nj_io_set_ref(&row[F_REGION], f->region_is_derived ? 0 : region_of(f->region));
    nj_io_set_ref(&row[F_RESOLVED], region_of(f->region));
    return NJ_OK;
}

const nj_io_schema nj_io_facilities = {
    "facility", facility_columns, F_COLUMNS, facility_max_id, facility_check, NULL,
    facility_apply, NULL, facility_undo, facility_order, facility_fill};

/* ---- participants -------------------------------------------------------- */

enum { P_ID, P_BIRTH, P_FOREIGN, P_LAT, P_LON, P_VERIFIED, P_REGION, P_RESOLVED,
       P_COLUMNS };

static const nj_io_column participant_columns[P_COLUMNS] = {
    [P_ID] = {"id", "participant_id|참여자번호", NJ_IO_ID, NJ_IO_REQUIRED, NULL, 0},
    [P_BIRTH] = {"birth_date", "birthdate|date_of_birth|생년월일", NJ_IO_DATE,
                 NJ_IO_REQUIRED, NULL, 0},
    [P_FOREIGN] = {"foreign", "is_foreign|외국인|외국인여부|내외국인", NJ_IO_ENUM, 0,
                   nj_io_flag_words, 0},
    [P_LAT] = {"lat", "latitude|위도", NJ_IO_LAT, NJ_IO_REQUIRED, NULL, 0},
    [P_LON] = {"lon", "lng|longitude|경도", NJ_IO_LON, NJ_IO_REQUIRED, NULL, 0},
    [P_VERIFIED] = {"verified_date", "verification_date|확인일|인증일", NJ_IO_DATE,
                    NJ_IO_REQUIRED, NULL, 0},
    [P_REGION] = {"region_id", "region|행정동코드", NJ_IO_REF, 0, NULL, 0},
    [P_RESOLVED] = {"resolved_region_id", NULL, NJ_IO_REF, NJ_IO_EXPORT_ONLY, NULL, 0},
};

static nj_status participant_check(nj_io_import *im, const nj_io_value *row)
{
    return check_new(im, &im->reg->participants, row);
}

/*
 * A file of more rows than the spatial index's delta takes (4 sqrt(n), at
 * least 1024) would rebuild the index every few thousand rows, O(n^1.5)
 * in all: such a file files its homes at the end, in one rebuild.
 */
static nj_status participant_finish(nj_io_import *im)
{
    size_t rows = im->row_index, total = im->reg->participants.count + rows;
    im->count_before = im->reg->participants.count;
    im->bulk = rows > 1024 && (double)rows > 4.0 * sqrt((double)total);
    return NJ_OK;
}

static nj_status participant_apply(nj_io_import *im, const nj_io_value *row,
                                   nj_io_undo *undo)
{
    nj_status st = nj_participant_add_filing(im->reg, row[P_ID].i, (int32_t)row[P_BIRTH].i,
                                             (int)row[P_FOREIGN].i, row[P_LAT].d,
                                             row[P_LON].d, (int32_t)row[P_VERIFIED].i,
                                             row[P_REGION].i, !im->bulk);
    im->fail_column = st == NJ_E_NOT_FOUND ? P_REGION
                      : st == NJ_E_INVALID ? P_VERIFIED
                                           : P_ID;
    undo->id = row[P_ID].i;
    return st;
}

static nj_status participant_commit(nj_io_import *im)
{
    return im->bulk ? nj_participants_index_from(im->reg, im->count_before) : NJ_OK;
}

static void participant_undo(nj_registry *reg, const nj_io_undo *undo)
{
    nj_participant_remove(reg, undo->id);
}

static nj_status participant_order(const nj_registry *reg, void ***items,
                                   size_t *count)
{
    return nj_io_collect(reg, &reg->participants, items, count);
}

static nj_status participant_fill(const nj_registry *reg, const void *item,
                                  nj_io_value *row, nj_shape *shape)
{
    (void)reg;
    (void)shape;
    const nj_participant *p = item;
    nj_io_set_int(&row[P_ID], p->head.id);
    nj_io_set_int(&row[P_BIRTH], p->birth_date);
    nj_io_set_int(&row[P_FOREIGN], p->is_foreign);
    nj_io_set_real(&row[P_LAT], p->lat);
    nj_io_set_real(&row[P_LON], p->lon);
    nj_io_set_int(&row[P_VERIFIED], p->verified_date);
    nj_io_set_ref(&row[P_REGION], p->region_is_derived ? 0 : region_of(p->region));
    nj_io_set_ref(&row[P_RESOLVED], region_of(p->region));
    return NJ_OK;
}

const nj_io_schema nj_io_participants = {
    "participant", participant_columns, P_COLUMNS, NULL, participant_check,
    participant_finish, participant_apply, participant_commit, participant_undo, participant_order, participant_fill};
