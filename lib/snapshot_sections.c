/*
 * The snapshot's sections: each object type written through the public
 * accessors and rebuilt through the public constructors and setters (plus
 * restore_internal.h where a saved state must come back exactly), so the
 * format does not depend on how the registry stores anything.
 * docs/snapshot-format.md gives every record's layout.
 */
#include "snapshot_internal.h"

#include <stdlib.h>

#include "restore_internal.h"
#include "text_internal.h"

/* Fixed record sizes in bytes, for the sizing pass and the count check. */
#define OPTION_RECORD 12
#define REGION_MIN_RECORD 36
#define FACILITY_MIN_RECORD 41
#define POSTING_MIN_RECORD 109
#define PARTICIPANT_RECORD 42
#define APPLICATION_RECORD 32
#define ENTRY_RECORD 33

/* ---- shared pieces ------------------------------------------------------- */

static void put_text(nj_writer *w, const char *text)
{
    size_t len = strlen(text);
    nj_put_u32(w, (uint32_t)len);
    nj_put_bytes(w, text, len);
}

/* A name or title into `text` (NJ_NAME_MAX_BYTES + 1 bytes), terminated. */
static nj_status get_text(nj_loader *l, char *text)
{
    size_t at = l->pos;
    uint32_t len = nj_get_u32(l);
    if (l->overrun || l->end - l->pos < len)
        return nj_load_corrupt(l, at, "text truncated");
    if (len > NJ_NAME_MAX_BYTES)
        return nj_load_corrupt(l, at, "text of %lu bytes, longer than %d",
                               (unsigned long)len, NJ_NAME_MAX_BYTES);
    memcpy(text, l->data + l->pos, len);
    text[len] = '\0';
    if (memchr(text, '\0', len))
        return nj_load_corrupt(l, at, "text holds a NUL byte");
    l->pos += len;
    return NJ_OK;
}

static nj_status check_flag(nj_loader *l, size_t at, const char *what, uint8_t flag)
{
    if (flag > 1)
        return nj_load_corrupt(l, at, "%s flag is %u, not 0 or 1", what, (unsigned)flag);
    return NJ_OK;
}

/* The sizing pass of a section of fixed-size records needs no walk. */
static int sized_without_walk(nj_writer *w, size_t count, size_t record)
{
    if (nj_writer_stores(w))
        return 0;
    w->pos += 8 + count * record;
    return 1;
}

nj_status nj_load_records(nj_loader *l, size_t min_record,
                          nj_status (*reserve)(nj_registry *reg, size_t n),
                          nj_status (*read_record)(nj_loader *l))
{
    size_t n, at = l->pos;
    nj_status st = nj_load_count(l, min_record, &n);
    if (st == NJ_OK && reserve && (st = reserve(l->reg, n)) != NJ_OK)
        return nj_load_rejected(l, at, st);
    for (size_t i = 0; i < n && st == NJ_OK; i++)
        st = read_record(l);
    return st;
}

/* A saved region and its derived flag: region 0 is always derived (a
 * caller cannot set "no region" explicitly). */
static nj_status check_region_flag(nj_loader *l, size_t at, int64_t region_id,
                                   uint8_t derived)
{
    if (derived > 1)
        return check_flag(l, at, "region-derived", derived);
    if (region_id == 0 && !derived)
        return nj_load_corrupt(l, at, "region 0 must be marked derived");
    return NJ_OK;
}

/* ---- settings ------------------------------------------------------------ */

nj_status nj_settings_write(const nj_registry *reg, nj_writer *w)
{
    size_t count = nj_option_count();
    nj_put_u32(w, (uint32_t)count);
    for (size_t i = 0; i < count; i++) {
        nj_put_i32(w, nj_option_id(i));
        nj_put_i64(w, nj_option_value(reg, i));
    }
    return NJ_OK;
}

static nj_status read_option(nj_loader *l, int32_t *last)
{
    size_t at = l->pos;
    int32_t opt = nj_get_i32(l);
    int64_t value = nj_get_i64(l), lo, hi;
    if (opt <= *last)
        return nj_load_corrupt(l, at, "option %ld after option %ld (ids must ascend)",
                               (long)opt, (long)*last);
    *last = opt;
    if (nj_option_bounds(opt, &lo, &hi) != NJ_OK)
        return nj_load_unknown(l, at, "option", opt);
    if (opt != NJ_OPT_BUDGET_KRW) {
        nj_status st = nj_registry_set_int64(l->reg, opt, value);
        return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
    }
    if (value < lo || value > hi)
        return nj_load_corrupt(l, at, "budget %lld KRW outside [%lld, %lld]",
                               (long long)value, (long long)lo, (long long)hi);
    l->budget_krw = value; /* set after the ledger (snapshot.c) */
    return NJ_OK;
}

nj_status nj_settings_read(nj_loader *l)
{
    size_t at = l->pos;
    uint32_t count = nj_get_u32(l);
    if (l->overrun || count > (l->end - l->pos) / OPTION_RECORD)
        return nj_load_corrupt(l, at, "option count %lu does not fit the section",
                               (unsigned long)count);
    int32_t last = 0;
    for (uint32_t i = 0; i < count; i++) {
        nj_status st = read_option(l, &last);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

/* ---- regions ------------------------------------------------------------- */

/* A boundary in the layout of nj_region_boundary_copy(). */
typedef struct boundary {
    uint32_t *rings_per_polygon, *vertices_per_ring;
    double *latlon;
    size_t n_polygons, n_rings, n_vertices;
    size_t polygons_cap, rings_cap, latlon_cap;
} boundary;

static nj_status boundary_reserve(boundary *b, const nj_alloc *a)
{
    void *rpp = b->rings_per_polygon, *vpr = b->vertices_per_ring, *ll = b->latlon;
    nj_status st = nj_alloc_grow(a, &rpp, &b->polygons_cap, b->n_polygons,
                                 sizeof *b->rings_per_polygon);
    b->rings_per_polygon = rpp;
    if (st == NJ_OK)
        st = nj_alloc_grow(a, &vpr, &b->rings_cap, b->n_rings,
                           sizeof *b->vertices_per_ring);
    b->vertices_per_ring = vpr;
    if (st == NJ_OK)
        st = nj_alloc_grow(a, &ll, &b->latlon_cap, 2 * b->n_vertices, sizeof *b->latlon);
    b->latlon = ll;
    return st;
}

static void boundary_free(boundary *b, const nj_alloc *a)
{
    nj_alloc_free(a, b->rings_per_polygon);
    nj_alloc_free(a, b->vertices_per_ring);
    nj_alloc_free(a, b->latlon);
}

/* Parents before children: a parent's level is always smaller. */
static int region_before(const void *x, const void *y)
{
    const nj_region *a = *(const nj_region *const *)x, *b = *(const nj_region *const *)y;
    int32_t la = nj_region_level(a), lb = nj_region_level(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    int64_t ia = nj_region_id(a), ib = nj_region_id(b);
    return (ia > ib) - (ia < ib);
}

static nj_status put_boundary(nj_writer *w, const nj_region *r, boundary *b)
{
    nj_region_boundary_counts(r, &b->n_polygons, &b->n_rings, &b->n_vertices);
    nj_put_u32(w, (uint32_t)b->n_polygons);
    nj_put_u32(w, (uint32_t)b->n_rings);
    nj_put_u32(w, (uint32_t)b->n_vertices);
    if (!nj_writer_stores(w)) {
        w->pos += 4 * (b->n_polygons + b->n_rings) + 16 * b->n_vertices;
        return NJ_OK;
    }
    if (boundary_reserve(b, w->alloc) != NJ_OK)
        return NJ_E_NOMEM;
    nj_region_boundary_copy(r, b->rings_per_polygon, b->polygons_cap,
                            b->vertices_per_ring, b->rings_cap, b->latlon,
                            b->latlon_cap / 2);
    for (size_t i = 0; i < b->n_polygons; i++)
        nj_put_u32(w, b->rings_per_polygon[i]);
    for (size_t i = 0; i < b->n_rings; i++)
        nj_put_u32(w, b->vertices_per_ring[i]);
    for (size_t i = 0; i < 2 * b->n_vertices; i++)
        nj_put_f64(w, b->latlon[i]);
    return NJ_OK;
}

nj_status nj_regions_write(const nj_registry *reg, nj_writer *w)
{
    size_t n = nj_region_count(reg);
    const nj_region **order = nj_alloc_array(w->alloc, n, sizeof *order);
    if (!order)
        return NJ_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = nj_region_at(reg, i);
    qsort(order, n, sizeof *order, region_before);
    nj_put_u64(w, n, 8);
    boundary b = {0};
    nj_status st = NJ_OK;
    for (size_t i = 0; i < n && st == NJ_OK; i++) {
        const nj_region *r = order[i];
        nj_put_i64(w, nj_region_id(r));
        nj_put_i32(w, nj_region_level(r));
        nj_put_i64(w, nj_region_parent_id(r));
        put_text(w, nj_region_name(r));
        st = put_boundary(w, r, &b);
    }
    boundary_free(&b, w->alloc);
    nj_alloc_free(w->alloc, order);
    return st;
}

/* Reads the boundary counts and arrays; the counts are checked against the
 * bytes left before anything is allocated. */
static nj_status get_boundary(nj_loader *l, boundary *b)
{
    size_t at = l->pos;
    uint64_t np = nj_get_u32(l), nr = nj_get_u32(l), nv = nj_get_u32(l);
    if (l->overrun)
        return nj_load_corrupt(l, at, "boundary counts truncated");
    if (4 * (np + nr) + 16 * nv > l->end - l->pos)
        return nj_load_corrupt(l, at,
                               "boundary of %llu polygons, %llu rings and %llu vertices "
                               "does not fit in the %zu bytes left",
                               (unsigned long long)np, (unsigned long long)nr,
                               (unsigned long long)nv, l->end - l->pos);
    b->n_polygons = (size_t)np;
    b->n_rings = (size_t)nr;
    b->n_vertices = (size_t)nv;
    if (boundary_reserve(b, &l->reg->alloc) != NJ_OK)
        return nj_load_rejected(l, at, NJ_E_NOMEM);
    for (size_t i = 0; i < b->n_polygons; i++)
        b->rings_per_polygon[i] = nj_get_u32(l);
    for (size_t i = 0; i < b->n_rings; i++)
        b->vertices_per_ring[i] = nj_get_u32(l);
    for (size_t i = 0; i < 2 * b->n_vertices; i++)
        b->latlon[i] = nj_get_f64(l);
    return NJ_OK;
}

static nj_status add_region(nj_loader *l, boundary *b)
{
    size_t at = l->pos;
    char name[NJ_NAME_MAX_BYTES + 1];
    int64_t id = nj_get_i64(l);
    int32_t level = nj_get_i32(l);
    int64_t parent = nj_get_i64(l);
    nj_region *region;
    nj_status st = get_text(l, name);
    if (st == NJ_OK)
        st = get_boundary(l, b);
    if (st != NJ_OK)
        return st;
    if (b->n_polygons == 0 && (b->n_rings != 0 || b->n_vertices != 0))
        return nj_load_corrupt(l, at, "rings or vertices without a polygon");
    if ((st = nj_region_add(l->reg, id, level, parent, name, &region)) != NJ_OK)
        return nj_load_rejected(l, at, st);
    if (b->n_polygons == 0)
        return NJ_OK;
    st = nj_region_set_boundary(l->reg, region, b->n_polygons, b->rings_per_polygon,
                                b->n_rings, b->vertices_per_ring, b->n_vertices,
                                b->latlon);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

static nj_status read_region(nj_loader *l)
{
    boundary b = {0};
    nj_status st = add_region(l, &b);
    boundary_free(&b, &l->reg->alloc);
    return st;
}

nj_status nj_regions_read(nj_loader *l)
{
    return nj_load_records(l, REGION_MIN_RECORD, NULL, read_region);
}

/* ---- facilities ---------------------------------------------------------- */

nj_status nj_facilities_write(const nj_registry *reg, nj_writer *w)
{
    size_t n = nj_facility_count(reg);
    nj_put_u64(w, n, 8);
    for (size_t i = 0; i < n; i++) {
        const nj_facility *f = nj_facility_at(reg, i);
        nj_put_i64(w, nj_facility_id(f));
        nj_put_i32(w, nj_facility_kind(f));
        put_text(w, nj_facility_name(f));
        nj_put_f64(w, nj_facility_lat(f));
        nj_put_f64(w, nj_facility_lon(f));
        nj_put_i64(w, nj_facility_region_id(f));
        nj_put_u8(w, (uint8_t)nj_facility_region_is_derived(f));
    }
    return NJ_OK;
}

static nj_status read_facility(nj_loader *l)
{
    size_t at = l->pos;
    char name[NJ_NAME_MAX_BYTES + 1];
    int64_t id = nj_get_i64(l);
    int32_t kind = nj_get_i32(l);
    nj_status st = get_text(l, name);
    if (st != NJ_OK)
        return st;
    double lat = nj_get_f64(l), lon = nj_get_f64(l);
    int64_t region_id = nj_get_i64(l);
    uint8_t derived = nj_get_u8(l);
    if (l->overrun)
        return nj_load_corrupt(l, at, "facility record truncated");
    if ((st = check_region_flag(l, at, region_id, derived)) != NJ_OK)
        return st;
    nj_facility *f;
    st = nj_facility_add(l->reg, id, kind, name, lat, lon, region_id, &f);
    if (st != NJ_OK)
        return nj_load_rejected(l, at, st);
    if (derived)
        nj_facility_restore_region(f, nj_region_get(l->reg, region_id), 1);
    return NJ_OK;
}

nj_status nj_facilities_read(nj_loader *l)
{
    return nj_load_records(l, FACILITY_MIN_RECORD, NULL, read_facility);
}

/* ---- postings ------------------------------------------------------------ */

nj_status nj_postings_write(const nj_registry *reg, nj_writer *w)
{
    size_t n = nj_posting_count(reg);
    nj_put_u64(w, n, 8);
    for (size_t i = 0; i < n; i++) {
        const nj_posting *p = nj_posting_at(reg, i);
        int32_t method = 0, date = 0;
        uint64_t seed = 0;
        nj_posting_selection(p, &method, &seed, &date); /* zeros if not done */
        nj_put_i64(w, nj_posting_id(p));
        nj_put_i64(w, nj_posting_facility_id(p));
        put_text(w, nj_posting_title(p));
        nj_put_i32(w, nj_posting_programme_type(p));
        nj_put_i32(w, nj_posting_slots(p));
        nj_put_i32(w, nj_posting_minutes_per_person(p));
        nj_put_i64(w, nj_posting_hourly_stipend_krw(p));
        nj_put_i32(w, nj_posting_work_start(p));
        nj_put_i32(w, nj_posting_work_end(p));
        nj_put_i32(w, nj_posting_apply_open(p));
        nj_put_i32(w, nj_posting_apply_close(p));
        nj_put_i32(w, nj_posting_min_age(p));
        nj_put_i32(w, nj_posting_max_age(p));
        nj_put_i64(w, nj_posting_residency_region_id(p));
        nj_put_u8(w, (uint8_t)nj_posting_foreign_allowed(p));
        nj_put_f64(w, nj_posting_radius_m(p));
        nj_put_f64(w, nj_posting_early_close_ratio(p));
        nj_put_i32(w, nj_posting_status(p));
        nj_put_i32(w, method);
        nj_put_u64(w, seed, 8);
        nj_put_i32(w, date);
    }
    return NJ_OK;
}

/* The fields after the title, as nj_postings_write() puts them. */
typedef struct posting_fields {
    int32_t type, slots, minutes;
    int64_t krw;
    int32_t work_start, work_end, open, close, min_age, max_age;
    int64_t residency;
    int foreign;
    double radius, early_close;
    int32_t status, method;
    uint64_t seed;
    int32_t selection_date;
} posting_fields;

static nj_status get_posting_fields(nj_loader *l, size_t at, posting_fields *f)
{
    f->type = nj_get_i32(l);
    f->slots = nj_get_i32(l);
    f->minutes = nj_get_i32(l);
    f->krw = nj_get_i64(l);
    f->work_start = nj_get_i32(l);
    f->work_end = nj_get_i32(l);
    f->open = nj_get_i32(l);
    f->close = nj_get_i32(l);
    f->min_age = nj_get_i32(l);
    f->max_age = nj_get_i32(l);
    f->residency = nj_get_i64(l);
    f->foreign = nj_get_u8(l); /* its setter checks 0 or 1 */
    f->radius = nj_get_f64(l);
    f->early_close = nj_get_f64(l);
    f->status = nj_get_i32(l);
    f->method = nj_get_i32(l);
    f->seed = nj_get_u64(l, 8);
    f->selection_date = nj_get_i32(l);
    if (l->overrun)
        return nj_load_corrupt(l, at, "posting record truncated");
    return NJ_OK;
}

static nj_status check_selection(nj_loader *l, size_t at, const posting_fields *f)
{
    if (f->method == 0 && (f->seed != 0 || f->selection_date != 0))
        return nj_load_corrupt(l, at, "a seed or date for a selection not done");
    if (f->method != 0 && f->method != NJ_SELECT_LOTTERY && f->method != NJ_SELECT_FIRST_COME)
        return nj_load_corrupt(l, at, "selection method %ld is not 0, 1 or 2",
                               (long)f->method);
    if (f->method != 0 && !nj_date_is_valid(f->selection_date))
        return nj_load_corrupt(l, at, "selection date %ld is not a calendar date",
                               (long)f->selection_date);
    return NJ_OK;
}

static nj_status apply_posting_fields(nj_registry *reg, nj_posting *p,
                                      const posting_fields *f)
{
    nj_status st;
    if ((st = nj_posting_set_programme_type(reg, p, f->type)) != NJ_OK ||
        (st = nj_posting_set_minutes_per_person(reg, p, f->minutes)) != NJ_OK ||
        (st = nj_posting_set_hourly_stipend_krw(reg, p, f->krw)) != NJ_OK ||
        (st = nj_posting_set_work_period(reg, p, f->work_start, f->work_end)) != NJ_OK ||
        (st = nj_posting_set_application_window(reg, p, f->open, f->close)) != NJ_OK ||
        (st = nj_posting_set_age_range(reg, p, f->min_age, f->max_age)) != NJ_OK ||
        (st = nj_posting_set_residency_region(reg, p, f->residency)) != NJ_OK ||
        (st = nj_posting_set_foreign_allowed(reg, p, f->foreign)) != NJ_OK ||
        (st = nj_posting_set_radius_m(reg, p, f->radius)) != NJ_OK ||
        (st = nj_posting_set_early_close_ratio(reg, p, f->early_close)) != NJ_OK ||
        (st = nj_posting_set_status(reg, p, f->status)) != NJ_OK)
        return st;
    if (f->method != 0)
        nj_posting_restore_selection(p, f->method, f->seed, f->selection_date);
    return NJ_OK;
}

static nj_status read_posting(nj_loader *l)
{
    size_t at = l->pos;
    char title[NJ_NAME_MAX_BYTES + 1];
    int64_t id = nj_get_i64(l), facility_id = nj_get_i64(l);
    posting_fields f;
    nj_status st;
    if ((st = get_text(l, title)) != NJ_OK ||
        (st = get_posting_fields(l, at, &f)) != NJ_OK ||
        (st = check_selection(l, at, &f)) != NJ_OK)
        return st;
    nj_posting *p;
    if ((st = nj_posting_add(l->reg, id, facility_id, title, f.slots, &p)) != NJ_OK ||
        (st = apply_posting_fields(l->reg, p, &f)) != NJ_OK)
        return nj_load_rejected(l, at, st);
    return NJ_OK;
}

nj_status nj_postings_read(nj_loader *l)
{
    return nj_load_records(l, POSTING_MIN_RECORD, NULL, read_posting);
}

/* ---- participants -------------------------------------------------------- */

nj_status nj_participants_write(const nj_registry *reg, nj_writer *w)
{
    size_t n = nj_participant_count(reg);
    if (sized_without_walk(w, n, PARTICIPANT_RECORD))
        return NJ_OK;
    nj_put_u64(w, n, 8);
    for (size_t i = 0; i < n; i++) {
        const nj_participant *p = nj_participant_at(reg, i);
        nj_put_i64(w, nj_participant_id(p));
        nj_put_i32(w, nj_participant_birth_date(p));
        nj_put_u8(w, (uint8_t)nj_participant_is_foreign(p));
        nj_put_f64(w, nj_participant_lat(p));
        nj_put_f64(w, nj_participant_lon(p));
        nj_put_i32(w, nj_participant_verified_date(p));
        nj_put_i64(w, nj_participant_region_id(p));
        nj_put_u8(w, (uint8_t)nj_participant_region_is_derived(p));
    }
    return NJ_OK;
}

/* Fields as nj_participants_write() puts them: the record is 42 bytes. */
static nj_status read_participant(nj_loader *l)
{
    size_t at = l->pos;
    const uint8_t *r = nj_get_record(l, PARTICIPANT_RECORD);
    if (!r)
        return nj_load_corrupt(l, at, "participant record truncated");
    int64_t id = (int64_t)nj_le64(r), region_id = (int64_t)nj_le64(r + 33);
    int32_t birth = (int32_t)nj_le32(r + 8), verified = (int32_t)nj_le32(r + 29);
    int foreign = r[12]; /* nj_participant_add checks 0 or 1 */
    double lat = nj_le_f64(r + 13), lon = nj_le_f64(r + 21);
    uint8_t derived = r[41];
    nj_status st = check_region_flag(l, at, region_id, derived);
    if (st != NJ_OK)
        return st;
    st = nj_participant_restore(l->reg, id, birth, foreign, lat, lon, verified, region_id,
                                derived);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

nj_status nj_participants_read(nj_loader *l)
{
    nj_status st = nj_load_records(l, PARTICIPANT_RECORD, nj_participants_reserve,
                                  read_participant);
    if (st == NJ_OK && (st = nj_participants_index(l->reg)) != NJ_OK)
        return nj_load_rejected(l, l->pos, st);
    return st;
}

/* ---- applications -------------------------------------------------------- */

static size_t count_applications(const nj_registry *reg)
{
    size_t total = 0;
    for (size_t i = 0; i < nj_posting_count(reg); i++)
        total += nj_posting_application_count(nj_posting_at(reg, i));
    return total;
}

/* Where the participant's own list holds their application to `posting`. */
static uint32_t index_at_participant(const nj_participant *p, int64_t posting_id)
{
    int64_t id = 0;
    size_t i = 0;
    while (nj_participant_application_at(p, i, &id, NULL, NULL) == NJ_OK &&
           id != posting_id)
        i++;
    return (uint32_t)i;
}

/* Grouped by posting in table order, each posting's in order of
 * application; the participant's order goes with each as an index. */
nj_status nj_applications_write(const nj_registry *reg, nj_writer *w)
{
    size_t total = count_applications(reg);
    if (sized_without_walk(w, total, APPLICATION_RECORD))
        return NJ_OK;
    nj_put_u64(w, total, 8);
    for (size_t i = 0; i < nj_posting_count(reg); i++) {
        const nj_posting *posting = nj_posting_at(reg, i);
        int64_t posting_id = nj_posting_id(posting);
        for (size_t k = 0; k < nj_posting_application_count(posting); k++) {
            int64_t who;
            int32_t status, date, rank;
            nj_posting_application_at(posting, k, &who, &status, &date, &rank);
            nj_put_i64(w, posting_id);
            nj_put_i64(w, who);
            nj_put_i32(w, date);
            nj_put_i32(w, status);
            nj_put_i32(w, rank);
            nj_put_u32(w, index_at_participant(nj_participant_get(reg, who), posting_id));
        }
    }
    return NJ_OK;
}

typedef struct application_record {
    int64_t posting_id, participant_id;
    int32_t date, status, rank;
    uint32_t index;
} application_record;

static void get_application(nj_loader *l, application_record *a)
{
    a->posting_id = nj_get_i64(l);
    a->participant_id = nj_get_i64(l);
    a->date = nj_get_i32(l);
    a->status = nj_get_i32(l);
    a->rank = nj_get_i32(l);
    a->index = nj_get_u32(l);
}

static nj_status find_participant(nj_loader *l, size_t at, int64_t id,
                                  nj_participant **out)
{
    *out = nj_participant_get(l->reg, id);
    return *out ? NJ_OK
                : nj_load_corrupt(l, at, "participant %lld not found", (long long)id);
}

static nj_status find_posting(nj_loader *l, size_t at, int64_t id, nj_posting **out)
{
    *out = nj_posting_get(l->reg, id);
    return *out ? NJ_OK
                : nj_load_corrupt(l, at, "posting %lld not found", (long long)id);
}

/* Status and rank as selection leaves them: before it, applied or
 * withdrawn and unranked; after it, nobody is merely "applied", and the
 * selected and waitlisted have a rank. */
static nj_status check_application(nj_loader *l, size_t at,
                                   const application_record *a,
                                   const nj_posting *posting)
{
    if (!nj_date_is_valid(a->date))
        return nj_load_corrupt(l, at, "application date %ld is not a calendar date",
                               (long)a->date);
    if (a->status < NJ_APPLICATION_APPLIED || a->status > NJ_APPLICATION_WAITLISTED)
        return nj_load_corrupt(l, at, "application status %ld is not 1..4",
                               (long)a->status);
    int selected = nj_posting_selection(posting, NULL, NULL, NULL) == NJ_OK;
    int ranked = a->status == NJ_APPLICATION_SELECTED ||
                 a->status == NJ_APPLICATION_WAITLISTED;
    if (a->rank < 0 || (!selected && a->rank != 0) || (ranked && a->rank == 0))
        return nj_load_corrupt(l, at, "rank %ld does not fit status %ld",
                               (long)a->rank, (long)a->status);
    if ((selected && a->status == NJ_APPLICATION_APPLIED) || (!selected && ranked))
        return nj_load_corrupt(l, at, "status %ld on a posting whose selection is %s",
                               (long)a->status, selected ? "done" : "not done");
    return NJ_OK;
}

/* Pass 1 (restore_internal.h): a slot in each participant's list. */
static nj_status open_slots(nj_loader *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t at = l->pos;
        application_record a;
        nj_participant *p;
        get_application(l, &a);
        nj_status st = find_participant(l, at, a.participant_id, &p);
        if (st == NJ_OK && (st = nj_application_restore_slot(l->reg, p)) != NJ_OK)
            st = nj_load_rejected(l, at, st);
        if (st != NJ_OK)
            return st;
    }
    return NJ_OK;
}

static nj_status restore_application(nj_loader *l)
{
    size_t at = l->pos;
    application_record a;
    nj_participant *p;
    nj_posting *posting;
    get_application(l, &a);
    nj_status st;
    if ((st = find_participant(l, at, a.participant_id, &p)) != NJ_OK ||
        (st = find_posting(l, at, a.posting_id, &posting)) != NJ_OK ||
        (st = check_application(l, at, &a, posting)) != NJ_OK)
        return st;
    st = nj_application_restore(l->reg, p, posting, a.date, a.status, a.rank, a.index);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

nj_status nj_applications_read(nj_loader *l)
{
    size_t n;
    nj_status st = nj_load_count(l, APPLICATION_RECORD, &n);
    size_t first = l->pos;
    if (st != NJ_OK || (st = open_slots(l, n)) != NJ_OK)
        return st;
    l->pos = first;
    for (size_t i = 0; i < n && st == NJ_OK; i++)
        st = restore_application(l);
    return st;
}

/* ---- ledger -------------------------------------------------------------- */

/* In recording order, voided ones included. */
nj_status nj_ledger_write(const nj_registry *reg, nj_writer *w)
{
    size_t n = nj_work_entry_count(reg);
    if (sized_without_walk(w, n, ENTRY_RECORD))
        return NJ_OK;
    nj_put_u64(w, n, 8);
    for (size_t i = 0; i < n; i++) {
        int64_t id, who, posting;
        int32_t date, minutes;
        int voided;
        nj_status st = nj_work_entry_id_at(reg, i, &id);
        if (st == NJ_OK)
            st = nj_work_entry(reg, id, &who, &posting, &date, &minutes, NULL,
                               NULL, &voided);
        if (st != NJ_OK)
            return st;
        nj_put_i64(w, id);
        nj_put_i64(w, who);
        nj_put_i64(w, posting);
        nj_put_i32(w, date);
        nj_put_i32(w, minutes);
        nj_put_u8(w, (uint8_t)voided);
    }
    return NJ_OK;
}

/*
 * An entry is recorded again through nj_work_record(). The rules it checks
 * held when the entry was made but may not now: the person may have
 * withdrawn since, or the posting's work period may have moved. For the one
 * call, the application counts as selected and the work period as open.
 * (The budget is set only after the whole ledger; snapshot.c.)
 */
static nj_status record_entry(nj_loader *l, size_t at, int64_t id, nj_participant *p,
                              nj_posting *posting, int32_t date, int32_t minutes)
{
    int32_t status;
    if (nj_application_swap_status(p, posting, NJ_APPLICATION_SELECTED, &status) != NJ_OK)
        return nj_load_corrupt(l, at, "entry %lld: participant %lld never applied to posting %lld",
                               (long long)id, (long long)nj_participant_id(p),
                               (long long)nj_posting_id(posting));
    int32_t start = nj_posting_work_start(posting), end = nj_posting_work_end(posting);
    int outside = start != 0 && (date < start || date > end);
    if (outside)
        nj_posting_set_work_period(l->reg, posting, 0, 0);
    nj_status st = nj_work_record(l->reg, id, nj_participant_id(p),
                                  nj_posting_id(posting), date, minutes);
    if (outside)
        nj_posting_set_work_period(l->reg, posting, start, end);
    nj_application_swap_status(p, posting, status, &status);
    return st == NJ_OK ? NJ_OK : nj_load_rejected(l, at, st);
}

static nj_status read_entry(nj_loader *l)
{
    size_t at = l->pos;
    int64_t id = nj_get_i64(l), who = nj_get_i64(l), posting_id = nj_get_i64(l);
    int32_t date = nj_get_i32(l), minutes = nj_get_i32(l);
    uint8_t voided = nj_get_u8(l);
    nj_participant *p;
    nj_posting *posting;
    nj_status st;
    if ((st = check_flag(l, at, "void", voided)) != NJ_OK ||
        (st = find_participant(l, at, who, &p)) != NJ_OK ||
        (st = find_posting(l, at, posting_id, &posting)) != NJ_OK ||
        (st = record_entry(l, at, id, p, posting, date, minutes)) != NJ_OK)
        return st;
    if (voided && (st = nj_work_void(l->reg, id)) != NJ_OK)
        return nj_load_rejected(l, at, st);
    return NJ_OK;
}

nj_status nj_ledger_read(nj_loader *l)
{
    return nj_load_records(l, ENTRY_RECORD, NULL, read_entry);
}
