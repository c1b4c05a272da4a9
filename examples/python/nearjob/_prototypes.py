"""Prototypes of every function libnearjob exports (lib/nearjob.map).

PROTOTYPES stays a plain dict literal keyed by the exported names:
tests/abi/check_bindings.py reads it with ast, without loading anything,
to check that the binding covers exactly lib/nearjob.map.

PROTOTYPES maps each exported name to (restype, argtypes). Handles are
c_void_p subclasses, one per opaque type, so a pointer is never truncated
to the default int restype and a handle of one type is not silently
accepted where another is expected. nj_status results are c_int32.
tests/test_prototypes.py checks every entry against the header
declaration and the key set against the version script.
"""
from ctypes import (CFUNCTYPE, POINTER, c_char, c_char_p, c_double, c_int,
                    c_int32, c_int64, c_size_t, c_uint32, c_uint64, c_void_p)


class RegistryPtr(c_void_p):
    """nj_registry *"""


class RegionPtr(c_void_p):
    """nj_region *"""


class FacilityPtr(c_void_p):
    """nj_facility *"""


class PostingPtr(c_void_p):
    """nj_posting *"""


class ParticipantPtr(c_void_p):
    """nj_participant *"""


class MatchesPtr(c_void_p):
    """nj_matches *"""


class StatsPtr(c_void_p):
    """nj_stats *"""


class StatsTablePtr(c_void_p):
    """nj_stats_table *"""


#: nj_malloc_fn: void *(*)(size_t size, void *user)
MallocFn = CFUNCTYPE(c_void_p, c_size_t, c_void_p)
#: nj_realloc_fn: void *(*)(void *ptr, size_t size, void *user)
ReallocFn = CFUNCTYPE(c_void_p, c_void_p, c_size_t, c_void_p)
#: nj_free_fn: void (*)(void *ptr, void *user)
FreeFn = CFUNCTYPE(None, c_void_p, c_void_p)

STATUS = c_int32


PROTOTYPES = {
    # nearjob/common.h
    "nj_status_str": (c_char_p, (STATUS,)),
    "nj_version_number": (c_int32, ()),
    "nj_version_string": (c_char_p, ()),
    # nearjob/registry.h
    "nj_registry_create": (STATUS, (POINTER(RegistryPtr),)),
    "nj_registry_create_with_allocator": (STATUS, (MallocFn, ReallocFn, FreeFn, c_void_p,
                                           POINTER(RegistryPtr))),
    "nj_registry_destroy": (None, (RegistryPtr,)),
    "nj_registry_errmsg": (c_char_p, (RegistryPtr,)),
    "nj_registry_set_int64": (STATUS, (RegistryPtr, c_int32, c_int64)),
    "nj_registry_get_int64": (STATUS, (RegistryPtr, c_int32, POINTER(c_int64))),
    "nj_option_bounds": (STATUS, (c_int32, POINTER(c_int64), POINTER(c_int64))),
    # nearjob/region.h
    "nj_region_add": (STATUS, (RegistryPtr, c_int64, c_int32, c_int64, c_char_p,
                       POINTER(RegionPtr))),
    "nj_region_remove": (STATUS, (RegistryPtr, c_int64)),
    "nj_region_get": (RegionPtr, (RegistryPtr, c_int64)),
    "nj_region_count": (c_size_t, (RegistryPtr,)),
    "nj_region_at": (RegionPtr, (RegistryPtr, c_size_t)),
    "nj_region_id": (c_int64, (RegionPtr,)),
    "nj_region_level": (c_int32, (RegionPtr,)),
    "nj_region_parent_id": (c_int64, (RegionPtr,)),
    "nj_region_name": (c_char_p, (RegionPtr,)),
    "nj_region_set_name": (STATUS, (RegistryPtr, RegionPtr, c_char_p)),
    "nj_region_set_boundary": (STATUS, (RegistryPtr, RegionPtr, c_size_t, POINTER(c_uint32),
                                c_size_t, POINTER(c_uint32), c_size_t, POINTER(c_double))),
    "nj_region_boundary_counts": (STATUS, (RegionPtr, POINTER(c_size_t), POINTER(c_size_t),
                                   POINTER(c_size_t))),
    "nj_region_boundary_copy": (STATUS, (RegionPtr, POINTER(c_uint32), c_size_t, POINTER(c_uint32),
                                 c_size_t, POINTER(c_double), c_size_t)),
    "nj_region_bbox": (STATUS, (RegionPtr, POINTER(c_double), POINTER(c_double), POINTER(c_double),
                        POINTER(c_double))),
    "nj_region_contains": (STATUS, (RegionPtr, c_double, c_double, POINTER(c_int))),
    "nj_region_locate": (STATUS, (RegistryPtr, c_double, c_double, POINTER(RegionPtr))),
    "nj_region_is_within": (c_int, (RegionPtr, RegionPtr)),
    # nearjob/facility.h
    "nj_facility_add": (STATUS, (RegistryPtr, c_int64, c_int32, c_char_p, c_double, c_double,
                         c_int64, POINTER(FacilityPtr))),
    "nj_facility_remove": (STATUS, (RegistryPtr, c_int64)),
    "nj_facility_get": (FacilityPtr, (RegistryPtr, c_int64)),
    "nj_facility_count": (c_size_t, (RegistryPtr,)),
    "nj_facility_at": (FacilityPtr, (RegistryPtr, c_size_t)),
    "nj_facility_id": (c_int64, (FacilityPtr,)),
    "nj_facility_kind": (c_int32, (FacilityPtr,)),
    "nj_facility_name": (c_char_p, (FacilityPtr,)),
    "nj_facility_lat": (c_double, (FacilityPtr,)),
    "nj_facility_lon": (c_double, (FacilityPtr,)),
    "nj_facility_region_id": (c_int64, (FacilityPtr,)),
    "nj_facility_posting_count": (c_size_t, (FacilityPtr,)),
    "nj_facility_set_name": (STATUS, (RegistryPtr, FacilityPtr, c_char_p)),
    "nj_facility_set_kind": (STATUS, (RegistryPtr, FacilityPtr, c_int32)),
    "nj_facility_set_location": (STATUS, (RegistryPtr, FacilityPtr, c_double, c_double)),
    "nj_facility_set_region": (STATUS, (RegistryPtr, FacilityPtr, c_int64)),
    # nearjob/posting.h
    "nj_posting_add": (STATUS, (RegistryPtr, c_int64, c_int64, c_char_p, c_int32,
                        POINTER(PostingPtr))),
    "nj_posting_remove": (STATUS, (RegistryPtr, c_int64)),
    "nj_posting_get": (PostingPtr, (RegistryPtr, c_int64)),
    "nj_posting_count": (c_size_t, (RegistryPtr,)),
    "nj_posting_at": (PostingPtr, (RegistryPtr, c_size_t)),
    "nj_posting_id": (c_int64, (PostingPtr,)),
    "nj_posting_facility_id": (c_int64, (PostingPtr,)),
    "nj_posting_title": (c_char_p, (PostingPtr,)),
    "nj_posting_programme_type": (c_int32, (PostingPtr,)),
    "nj_posting_slots": (c_int32, (PostingPtr,)),
    "nj_posting_minutes_per_person": (c_int32, (PostingPtr,)),
    "nj_posting_hourly_stipend_krw": (c_int64, (PostingPtr,)),
    "nj_posting_work_start": (c_int32, (PostingPtr,)),
    "nj_posting_work_end": (c_int32, (PostingPtr,)),
    "nj_posting_apply_open": (c_int32, (PostingPtr,)),
    "nj_posting_apply_close": (c_int32, (PostingPtr,)),
    "nj_posting_min_age": (c_int32, (PostingPtr,)),
    "nj_posting_max_age": (c_int32, (PostingPtr,)),
    "nj_posting_residency_region_id": (c_int64, (PostingPtr,)),
    "nj_posting_foreign_allowed": (c_int, (PostingPtr,)),
    "nj_posting_radius_m": (c_double, (PostingPtr,)),
    "nj_posting_early_close_ratio": (c_double, (PostingPtr,)),
    "nj_posting_status": (c_int32, (PostingPtr,)),
    "nj_posting_set_title": (STATUS, (RegistryPtr, PostingPtr, c_char_p)),
    "nj_posting_set_programme_type": (STATUS, (RegistryPtr, PostingPtr, c_int32)),
    "nj_posting_set_slots": (STATUS, (RegistryPtr, PostingPtr, c_int32)),
    "nj_posting_set_minutes_per_person": (STATUS, (RegistryPtr, PostingPtr, c_int32)),
    "nj_posting_set_hourly_stipend_krw": (STATUS, (RegistryPtr, PostingPtr, c_int64)),
    "nj_posting_set_work_period": (STATUS, (RegistryPtr, PostingPtr, c_int32, c_int32)),
    "nj_posting_set_application_window": (STATUS, (RegistryPtr, PostingPtr, c_int32, c_int32)),
    "nj_posting_set_age_range": (STATUS, (RegistryPtr, PostingPtr, c_int32, c_int32)),
    "nj_posting_set_residency_region": (STATUS, (RegistryPtr, PostingPtr, c_int64)),
    "nj_posting_set_foreign_allowed": (STATUS, (RegistryPtr, PostingPtr, c_int)),
    "nj_posting_set_radius_m": (STATUS, (RegistryPtr, PostingPtr, c_double)),
    "nj_posting_set_early_close_ratio": (STATUS, (RegistryPtr, PostingPtr, c_double)),
    "nj_posting_set_status": (STATUS, (RegistryPtr, PostingPtr, c_int32)),
    # nearjob/participant.h
    "nj_participant_add": (STATUS, (RegistryPtr, c_int64, c_int32, c_int, c_double, c_double,
                            c_int32, c_int64, POINTER(ParticipantPtr))),
    "nj_participant_remove": (STATUS, (RegistryPtr, c_int64)),
    "nj_participant_get": (ParticipantPtr, (RegistryPtr, c_int64)),
    "nj_participant_count": (c_size_t, (RegistryPtr,)),
    "nj_participant_at": (ParticipantPtr, (RegistryPtr, c_size_t)),
    "nj_participant_id": (c_int64, (ParticipantPtr,)),
    "nj_participant_birth_date": (c_int32, (ParticipantPtr,)),
    "nj_participant_is_foreign": (c_int, (ParticipantPtr,)),
    "nj_participant_lat": (c_double, (ParticipantPtr,)),
    "nj_participant_lon": (c_double, (ParticipantPtr,)),
    "nj_participant_verified_date": (c_int32, (ParticipantPtr,)),
    "nj_participant_region_id": (c_int64, (ParticipantPtr,)),
    "nj_participant_age_on": (STATUS, (ParticipantPtr, c_int32, POINTER(c_int32))),
    "nj_participant_set_birth_date": (STATUS, (RegistryPtr, ParticipantPtr, c_int32)),
    "nj_participant_set_foreign": (STATUS, (RegistryPtr, ParticipantPtr, c_int)),
    "nj_participant_set_home": (STATUS, (RegistryPtr, ParticipantPtr, c_double, c_double,
                                 c_int32)),
    "nj_participant_set_region": (STATUS, (RegistryPtr, ParticipantPtr, c_int64)),
    "nj_date_is_valid": (c_int, (c_int32,)),
    # nearjob/match.h
    "nj_query_radius": (STATUS, (RegistryPtr, c_int32, c_double, c_double, c_double, c_int32,
                         c_size_t, POINTER(MatchesPtr))),
    "nj_query_radius_into": (STATUS, (RegistryPtr, c_int32, c_double, c_double, c_double, c_int32,
                              c_size_t, POINTER(c_int64), POINTER(c_double), c_size_t,
                              POINTER(c_size_t))),
    "nj_match_for_participant": (STATUS, (RegistryPtr, c_int64, c_double, c_int32, c_size_t,
                                  POINTER(MatchesPtr))),
    "nj_match_for_posting": (STATUS, (RegistryPtr, c_int64, c_int32, c_size_t, c_uint32,
                              POINTER(MatchesPtr))),
    "nj_match_batch": (STATUS, (RegistryPtr, c_int32, c_size_t, c_size_t, c_uint32, c_uint32,
                        POINTER(MatchesPtr))),
    "nj_matches_count": (c_size_t, (MatchesPtr,)),
    "nj_matches_id": (c_int64, (MatchesPtr, c_size_t)),
    "nj_matches_distance_m": (c_double, (MatchesPtr, c_size_t)),
    "nj_matches_source_id": (c_int64, (MatchesPtr, c_size_t)),
    "nj_matches_destroy": (None, (MatchesPtr,)),
    "nj_distance": (STATUS, (c_double, c_double, c_double, c_double, POINTER(c_double))),
    # nearjob/application.h
    "nj_application_submit": (STATUS, (RegistryPtr, c_int64, c_int64, c_int32)),
    "nj_application_withdraw": (STATUS, (RegistryPtr, c_int64, c_int64)),
    "nj_posting_select": (STATUS, (RegistryPtr, c_int64, c_int32, c_uint64, c_int32)),
    "nj_application_status": (STATUS, (RegistryPtr, c_int64, c_int64, POINTER(c_int32))),
    "nj_posting_application_count": (c_size_t, (PostingPtr,)),
    "nj_posting_count_by_status": (c_size_t, (PostingPtr, c_int32)),
    "nj_posting_application_at": (STATUS, (PostingPtr, c_size_t, POINTER(c_int64),
                                   POINTER(c_int32), POINTER(c_int32), POINTER(c_int32))),
    "nj_participant_application_count": (c_size_t, (ParticipantPtr,)),
    "nj_participant_application_at": (STATUS, (ParticipantPtr, c_size_t, POINTER(c_int64),
                                       POINTER(c_int32), POINTER(c_int32))),
    "nj_posting_selection": (STATUS, (PostingPtr, POINTER(c_int32), POINTER(c_uint64),
                              POINTER(c_int32))),
    # nearjob/stipend.h
    "nj_work_record": (STATUS, (RegistryPtr, c_int64, c_int64, c_int64, c_int32, c_int32)),
    "nj_work_record_batch": (STATUS, (RegistryPtr, c_size_t, POINTER(c_int64), POINTER(c_int64),
                              POINTER(c_int64), POINTER(c_int32), POINTER(c_int32))),
    "nj_work_void": (STATUS, (RegistryPtr, c_int64)),
    "nj_work_entry_count": (c_size_t, (RegistryPtr,)),
    "nj_work_entry_id_at": (STATUS, (RegistryPtr, c_size_t, POINTER(c_int64))),
    "nj_work_entry": (STATUS, (RegistryPtr, c_int64, POINTER(c_int64), POINTER(c_int64),
                       POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), POINTER(c_int64),
                       POINTER(c_int))),
    "nj_stipend_statement": (STATUS, (RegistryPtr, c_int64, c_int32, POINTER(c_int64),
                              POINTER(c_int64), POINTER(c_int64), POINTER(c_int64),
                              POINTER(c_int64))),
    "nj_stipend_posting_totals": (STATUS, (RegistryPtr, c_int64, c_int32, POINTER(c_int64),
                                   POINTER(c_int64), POINTER(c_int64), POINTER(c_int64))),
    "nj_stipend_programme_totals": (STATUS, (RegistryPtr, c_int32, POINTER(c_int64),
                                     POINTER(c_int64), POINTER(c_int64), POINTER(c_int64),
                                     POINTER(c_int))),
    # nearjob/stats.h
    "nj_target_set": (STATUS, (RegistryPtr, c_int32, c_int64, c_int32, c_int64)),
    "nj_target_remove": (STATUS, (RegistryPtr, c_int32, c_int64, c_int32)),
    "nj_target_get": (STATUS, (RegistryPtr, c_int32, c_int64, c_int32, POINTER(c_int64))),
    "nj_target_count": (c_size_t, (RegistryPtr,)),
    "nj_target_at": (STATUS, (RegistryPtr, c_size_t, POINTER(c_int32), POINTER(c_int64),
                      POINTER(c_int32), POINTER(c_int64))),
    "nj_actual_record": (STATUS, (RegistryPtr, c_int64, c_int32, c_int64, c_int32, c_int64)),
    "nj_actual_remove": (STATUS, (RegistryPtr, c_int64)),
    "nj_actual_count": (c_size_t, (RegistryPtr,)),
    "nj_actual_at": (STATUS, (RegistryPtr, c_size_t, POINTER(c_int64), POINTER(c_int32),
                      POINTER(c_int64), POINTER(c_int32), POINTER(c_int64))),
    "nj_follow_on_record": (STATUS, (RegistryPtr, c_int64, c_int32, c_int32)),
    "nj_follow_on_clear": (STATUS, (RegistryPtr, c_int64, c_int32)),
    "nj_participant_follow_on": (c_int32, (ParticipantPtr, c_int32)),
    "nj_stats_compute": (STATUS, (RegistryPtr, c_int32, c_int32, POINTER(StatsPtr))),
    "nj_stats_destroy": (None, (StatsPtr,)),
    "nj_stats_errmsg": (c_char_p, (StatsPtr,)),
    "nj_stats_from_date": (c_int32, (StatsPtr,)),
    "nj_stats_to_date": (c_int32, (StatsPtr,)),
    "nj_stats_row_count": (c_size_t, (StatsPtr,)),
    "nj_stats_row_key": (STATUS, (StatsPtr, c_size_t, POINTER(c_int32), POINTER(c_int64),
                          POINTER(c_int32))),
    "nj_stats_row_find": (STATUS, (StatsPtr, c_int32, c_int64, c_int32, POINTER(c_size_t))),
    "nj_stats_row_value": (STATUS, (StatsPtr, c_size_t, c_int32, POINTER(c_int64))),
    "nj_stats_row_ratio": (STATUS, (StatsPtr, c_size_t, c_int32, POINTER(c_int64),
                            POINTER(c_int64), POINTER(c_int64))),
    "nj_stats_region_count": (c_size_t, (StatsPtr,)),
    "nj_stats_region_at": (STATUS, (StatsPtr, c_size_t, POINTER(c_int64), POINTER(c_int32),
                            POINTER(c_int64))),
    "nj_stats_region_name": (c_char_p, (StatsPtr, c_int64)),
    "nj_stats_merge": (STATUS, (StatsPtr, StatsPtr)),
    "nj_stats_save": (STATUS, (StatsPtr, c_void_p, c_size_t, POINTER(c_size_t))),
    "nj_stats_load": (STATUS, (c_void_p, c_size_t, POINTER(StatsPtr), POINTER(c_char), c_size_t)),
    "nj_stats_load_with_allocator": (STATUS, (c_void_p, c_size_t, MallocFn, ReallocFn, FreeFn,
                                      c_void_p, POINTER(StatsPtr), POINTER(c_char), c_size_t)),
    "nj_stats_publish": (STATUS, (StatsPtr, c_int32, c_int32, c_int32, c_int32,
                          POINTER(StatsTablePtr))),
    "nj_stats_table_destroy": (None, (StatsTablePtr,)),
    "nj_stats_table_row_count": (c_size_t, (StatsTablePtr,)),
    "nj_stats_table_column_count": (c_size_t, (StatsTablePtr,)),
    "nj_stats_table_column_name": (c_char_p, (StatsTablePtr, c_size_t)),
    "nj_stats_table_column_scale": (c_int32, (StatsTablePtr, c_size_t)),
    "nj_stats_table_row": (STATUS, (StatsTablePtr, c_size_t, POINTER(c_int64), POINTER(c_int32),
                            POINTER(c_char_p))),
    "nj_stats_table_cell": (STATUS, (StatsTablePtr, c_size_t, c_size_t, POINTER(c_int64),
                             POINTER(c_int32))),
    "nj_stats_table_csv": (STATUS, (StatsTablePtr, c_void_p, c_size_t, POINTER(c_size_t))),
    "nj_stats_table_json": (STATUS, (StatsTablePtr, c_void_p, c_size_t, POINTER(c_size_t))),
    # nearjob/snapshot.h
    "nj_snapshot_save_mem": (STATUS, (RegistryPtr, c_void_p, c_size_t, POINTER(c_size_t))),
    "nj_snapshot_save_file": (STATUS, (RegistryPtr, c_char_p, POINTER(c_char), c_size_t)),
    "nj_snapshot_load_mem": (STATUS, (c_void_p, c_size_t, POINTER(RegistryPtr), POINTER(c_char),
                              c_size_t)),
    "nj_snapshot_load_mem_with_allocator": (STATUS, (c_void_p, c_size_t, MallocFn, ReallocFn,
                                             FreeFn, c_void_p, POINTER(RegistryPtr),
                                             POINTER(c_char), c_size_t)),
    "nj_snapshot_load_file": (STATUS, (c_char_p, POINTER(RegistryPtr), POINTER(c_char), c_size_t)),
    "nj_snapshot_load_file_with_allocator": (STATUS, (c_char_p, MallocFn, ReallocFn, FreeFn,
                                              c_void_p, POINTER(RegistryPtr), POINTER(c_char),
                                              c_size_t)),
    # nearjob/io.h
    "nj_csv_import": (STATUS, (RegistryPtr, c_int32, c_char_p, c_size_t, c_int32,
                       POINTER(c_size_t))),
    "nj_csv_import_file": (STATUS, (RegistryPtr, c_int32, c_char_p, c_int32, POINTER(c_size_t))),
    "nj_csv_export": (STATUS, (RegistryPtr, c_int32, POINTER(c_char), c_size_t,
                       POINTER(c_size_t))),
    "nj_csv_export_file": (STATUS, (RegistryPtr, c_int32, c_char_p, POINTER(c_char),
                            c_size_t)),
    "nj_geojson_import_regions": (STATUS, (RegistryPtr, c_char_p, c_size_t, POINTER(c_size_t))),
    "nj_geojson_import_regions_file": (STATUS, (RegistryPtr, c_char_p, POINTER(c_size_t))),
}
