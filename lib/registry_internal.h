/* The registry and the objects it owns, as the library sees them. */
#ifndef NJ_REGISTRY_INTERNAL_H
#define NJ_REGISTRY_INTERNAL_H

#include "nearjob/registry.h"
#include "nearjob/region.h"
#include "nearjob/facility.h"
#include "nearjob/posting.h"
#include "nearjob/participant.h"
#include "nearjob/match.h"
#include "nearjob/application.h"
#include "nearjob/stipend.h"
#include "nearjob/stats.h"
#include "nearjob/io.h"

#include "alloc_internal.h"
#include "geometry_internal.h"
#include "id_map_internal.h"
#include "region_index_internal.h"
#include "spatial_internal.h"
#include "table_internal.h"

#define NJ_ERRMSG_SIZE 320

/* One resident's application to one posting. */
typedef struct nj_application {
    nj_participant *participant;
    nj_posting *posting;
    int32_t date;
    int32_t status;   /* nj_application_status */
    int32_t rank;     /* 1-based selection rank, 0 before selection */
} nj_application;

/* A growable array of applications (a posting's or a participant's). */
typedef struct nj_application_list {
    nj_application **items;
    size_t count, cap;
} nj_application_list;

/* A work entry of the stipend ledger (40 bytes on 64-bit targets). Links
 * to other entries are ledger positions + 1 in 32 bits, 0 meaning none. */
typedef struct nj_entry {
    int64_t id;       /* first: the id map reads it (id_map_internal.h) */
    nj_participant *participant;
    nj_posting *posting;
    int32_t date;
    int32_t period;   /* first day of its ledger period */
    uint32_t next;    /* the person's next entry in (date, id) order */
    int16_t minutes;  /* 1 .. 1440 */
    uint8_t voided;
} nj_entry;

/* Minutes and won of a set of entries under the cap. */
typedef struct nj_totals {
    int64_t worked, paid, over_cap, amount;
} nj_totals;

typedef struct nj_period_totals {
    int32_t period;
    nj_totals totals;
} nj_period_totals;

typedef struct nj_ledger {
    int64_t cap_minutes;
    int64_t period_start_mmdd;
    int64_t budget_krw;
    int64_t rounding;
    nj_entry *entries;        /* in recording order; only the last one is
                                 ever removed (to undo a batch) */
    size_t count, cap;        /* count <= NJ_ID_MAP_MAX_RECORDS */
    nj_id_map ids;            /* entry id -> position */
    nj_period_totals *periods; /* running programme totals per period */
    size_t period_count, period_cap;
} nj_ledger;

/* A job target (stats.h); the registry keeps them in key order. */
typedef struct nj_target {
    int32_t year;
    int32_t programme_type;
    nj_region *region;
    int64_t count;
} nj_target;

/* Jobs recorded from outside the registry; kept in id order. */
typedef struct nj_actual {
    int64_t id;
    int32_t date;
    int32_t programme_type;
    nj_region *region;
    int64_t jobs;
} nj_actual;
/* Bounds on one import (NJ_OPT_IMPORT_*). */
typedef struct nj_import_limits {
    int64_t max_bytes, max_rows, max_field_bytes;
} nj_import_limits;

void nj_import_limits_init(nj_import_limits *limits);

/* The known options: how many, and the i-th's id (ascending) and value
 * in `reg` (0 past the end). */
size_t nj_option_count(void);
int32_t nj_option_id(size_t i);
int64_t nj_option_value(const nj_registry *reg, size_t i);

/*
 * Small codes for regions, for the participant index's eligibility tags:
 * every region has a code >= 1, kept while it exists and reused after it is
 * removed (only unreferenced regions can be), so codes stay below the
 * number of regions ever alive at once. parent[c] is the code of region c's
 * parent, 0 for a root.
 */
typedef struct nj_region_codes {
    uint32_t *parent;       /* indexed by code */
    uint32_t *free;         /* codes of removed regions */
    size_t parent_cap, free_cap;
    uint32_t count;         /* codes handed out: 1 .. count */
    uint32_t free_count;
} nj_region_codes;

struct nj_registry {
    nj_alloc alloc;
    nj_table regions;
    nj_table facilities;
    nj_table postings;
    nj_table participants;
    nj_region_index region_index;
    nj_region_codes region_codes;
    /* Facilities are indexed by object address (nj_index_key): a query
     * reaches a facility's postings without a hash lookup. Participants are
     * indexed by id, with their eligibility data as the tag
     * (nj_participant_tag): the matcher filters residents without touching
     * the participant objects at all. */
    nj_spatial participant_index;   /* verified homes */
    nj_spatial facility_index;      /* facility locations */
    nj_ledger ledger;
    nj_target *targets;
    size_t target_count, target_cap;
    nj_actual *actuals;
    size_t actual_count, actual_cap;
    nj_import_limits import_limits;
    char errmsg[NJ_ERRMSG_SIZE];
};

struct nj_region {
    nj_object_head head;        /* must stay first */
    nj_registry *owner;
    nj_region *parent;
    char *name;
    int32_t level;
    int32_t depth;              /* 0 for a root, parent's depth + 1 otherwise */
    uint32_t code;              /* see nj_region_codes */
    size_t child_count;
    size_t reference_count;     /* facilities, participants, postings using it */
    nj_boundary *boundary;      /* NULL when the region has none */
    nj_region_index_node index_nodes[NJ_REGION_INDEX_MAX_CELLS];
};

struct nj_facility {
    nj_object_head head;        /* must stay first */
    nj_registry *owner;
    char *name;
    int32_t kind;
    int region_is_derived;      /* re-derive when the location changes */
    double lat, lon;
    nj_region *region;          /* NULL when none */
    size_t posting_count;
    nj_posting *first_posting;  /* list through nj_posting.next_at_facility */
};

struct nj_posting {
    nj_object_head head;        /* must stay first */
    nj_registry *owner;
    nj_facility *facility;
    nj_posting *prev_at_facility, *next_at_facility;
    char *title;
    int32_t programme_type;
    int32_t slots;
    int32_t minutes_per_person;
    int32_t work_start, work_end;
    int32_t apply_open, apply_close;
    int32_t min_age, max_age;
    int32_t status;
    int foreign_allowed;
    int64_t hourly_stipend_krw;
    nj_region *residency_region; /* NULL: anyone */
    double radius_m;
    double early_close_ratio;
    nj_application_list applications; /* in order of application */
    int selected;                /* selection done */
    int32_t selection_method;
    int32_t selection_date;
    uint64_t selection_seed;
    /* Work entries recorded against it (voided ones too): its hourly rate
     * is fixed once there is one, so paid amounts never change. */
    size_t entry_count;
};

struct nj_participant {
    nj_object_head head;        /* must stay first */
    nj_registry *owner;
    int32_t birth_date;
    int32_t verified_date;
    int is_foreign;
    int region_is_derived;
    double lat, lon;
    nj_region *region;          /* NULL when none */
    nj_application_list applications; /* in order of application */
    /* The person's work entries in (date, entry id) order, a list through
     * nj_entry.next: first and last as ledger positions + 1 (0: none). */
    uint32_t first_entry, last_entry;
    /* The totals of period `totals_period` (0: none cached), kept so that
     * recording in date order costs O(1) instead of a walk. */
    nj_totals period_totals;
    int32_t totals_period;
    /* Follow-on dates by nj_follow_on_kind - 1 (0: none recorded). */
    int32_t follow_on[2];
};

/* The key an object is filed under in a spatial index, and back. */
static inline int64_t nj_index_key(const void *object)
{
    return (int64_t)(intptr_t)object;
}

static inline const void *nj_index_object(int64_t key)
{
    return (const void *)(intptr_t)key;
}

/* Records a formatted message on the registry and returns `status`. */
nj_status nj_fail(nj_registry *reg, nj_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Checks that `reg` is non-NULL and that a handle is an object of `kind`
 * (starting with its nj_object_head, then its owner) that belongs to it. */
nj_status nj_check_owner(nj_registry *reg, const void *handle,
                         nj_object_kind kind, const char *what);

/* Validates a caller id (>= 1) and that the table does not hold it yet. */
nj_status nj_check_new_id(nj_registry *reg, const nj_table *table,
                          const char *what, int64_t id);

/* The region with `region_id`, which must exist; 0 gives NULL. */
nj_status nj_resolve_region(nj_registry *reg, const char *what, int64_t id,
                            int64_t region_id, nj_region **out);

/* The region the caller named, or, for region_id 0, the deepest region
 * containing the point (NULL when none does). */
nj_status nj_choose_region(nj_registry *reg, const char *what, int64_t id,
                           double lat, double lon, int64_t region_id,
                           nj_region **out);

/* Region codes (region.c): make room for one more before anything
 * changes (NJ_E_NOMEM), then take it; release it when the region goes. */
nj_status nj_region_codes_reserve(nj_registry *reg);
uint32_t nj_region_codes_take(nj_registry *reg, uint32_t parent_code);
void nj_region_codes_release(nj_registry *reg, uint32_t code);
void nj_region_codes_free(nj_registry *reg);

/* Moves a reference from one region (or NULL) to another (or NULL). */
void nj_region_rereference(nj_region *from, nj_region *to);

/* Validates a name or title: non-NULL, non-empty, UTF-8, at most
 * NJ_NAME_MAX_BYTES. Writes its length on success. */
nj_status nj_check_name(nj_registry *reg, const char *what, int64_t id,
                        const char *field, const char *text, size_t *len);

/* Validates `text` like nj_check_name, then replaces *slot with a copy of
 * it; on failure *slot is untouched. */
nj_status nj_replace_name(nj_registry *reg, const char *what, int64_t id,
                          const char *field, char **slot, const char *text);

/* The object with `id` in `table`, or NULL after recording "<what> <id> not
 * found" (the caller returns NJ_E_NOT_FOUND). */
nj_object_head *nj_find_existing(nj_registry *reg, const nj_table *table,
                                 const char *what, int64_t id);

/* Validates a coordinate pair, naming the object in the message, and
 * rounds it to the 1e-7 degree the spatial index stores (about 1 cm), so
 * every query is exact for the coordinates the registry reports. */
nj_status nj_check_location(nj_registry *reg, const char *what, int64_t id,
                            double *lat, double *lon);

/* An nj_programme_type value or a custom category (>= 1000). */
int nj_programme_type_is_valid(int32_t type);

/* Validates a YYYYMMDD date, naming the object and field. */
nj_status nj_check_date(nj_registry *reg, const char *what, int64_t id,
                        const char *field, int32_t date);

/* Free one object and what it owns (no bookkeeping on other objects). */
void nj_region_free(nj_registry *reg, nj_region *region);
void nj_facility_free(nj_registry *reg, nj_facility *facility);
void nj_posting_free(nj_registry *reg, nj_posting *posting);
void nj_participant_free(nj_registry *reg, nj_participant *participant);

/* Targets and recorded actuals (target.c). */
void nj_stats_inputs_free(nj_registry *reg);

/* Ledger lifecycle (ledger.c). */
void nj_ledger_init(nj_ledger *ledger);
void nj_ledger_free(nj_ledger *ledger, const nj_alloc *a);

/* Takes back the last recorded entry, voided or not (batch and import
 * rollback). */
void nj_ledger_unrecord_last(nj_registry *reg);

/* First day of the ledger period containing `date`. */
int32_t nj_ledger_period_of(const nj_ledger *ledger, int32_t date);

/* A participant's totals in a period (O(their entries)). */
nj_status nj_person_period_totals(const nj_registry *reg,
                                  const nj_participant *participant,
                                  int32_t period, nj_totals *totals);

/* The application of a participant to a posting, or NULL. */
nj_application *nj_application_find(const nj_participant *participant,
                                    const nj_posting *posting);

/* Takes back the newest application of `p`, which is also the newest of
 * `posting`, and restores the posting's status (import rollback). */
void nj_application_unapply_last(nj_registry *reg, nj_participant *p,
                                 nj_posting *posting, int32_t posting_status);

/* Application lists are freed with their owner. */
void nj_application_list_free(nj_application_list *list, const nj_alloc *a);

/* Deepest region containing a valid point, or NULL. */
nj_region *nj_region_locate_point(const nj_registry *reg, double lat,
                                  double lon);

/* Whether a handle is a live object of that kind (NULL is not). */
static inline int nj_is_region(const nj_region *r) { return nj_object_is(r, NJ_KIND_REGION); }
static inline int nj_is_facility(const nj_facility *f) { return nj_object_is(f, NJ_KIND_FACILITY); }
static inline int nj_is_posting(const nj_posting *p) { return nj_object_is(p, NJ_KIND_POSTING); }
static inline int nj_is_participant(const nj_participant *p) { return nj_object_is(p, NJ_KIND_PARTICIPANT); }

/* nj_check_owner() reads the owner of every kind at the same place. */
typedef struct nj_owned_head {
    nj_object_head head;
    nj_registry *owner;
} nj_owned_head;
_Static_assert(offsetof(struct nj_region, owner) == offsetof(nj_owned_head, owner), "owner");
_Static_assert(offsetof(struct nj_facility, owner) == offsetof(nj_owned_head, owner), "owner");
_Static_assert(offsetof(struct nj_posting, owner) == offsetof(nj_owned_head, owner), "owner");
_Static_assert(offsetof(struct nj_participant, owner) == offsetof(nj_owned_head, owner), "owner");

#endif
