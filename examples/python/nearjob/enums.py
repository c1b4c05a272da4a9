"""The pinned enum values of the C headers, as IntEnum classes.

Names drop the C prefix (NJ_REGION_PROVINCE is RegionLevel.PROVINCE);
values are exactly the headers'. tests/test_enums.py compares every one
with include/nearjob/*.h. Being IntEnums, they can be passed wherever the
C API takes the plain number, and values the C library may add later
still work as plain ints.
"""
from enum import IntEnum


class Status(IntEnum):
    """nj_status_code (nearjob/common.h)."""
    OK = 0
    INVALID = 1
    NOMEM = 2
    NOT_FOUND = 3
    EXISTS = 4
    RANGE = 5
    INELIGIBLE = 6
    CLOSED = 7
    CAP = 8
    IO = 9
    CORRUPT = 10
    VERSION = 11
    ENCODING = 12
    BUFFER_TOO_SMALL = 13
    UNSUPPORTED = 14
    IN_USE = 15


class RegionLevel(IntEnum):
    """nj_region_level (nearjob/region.h)."""
    PROVINCE = 1
    DISTRICT = 2
    NEIGHBOURHOOD = 3


class FacilityKind(IntEnum):
    """nj_facility_kind (nearjob/facility.h)."""
    LIBRARY = 1
    WELFARE_CENTRE = 2
    CHILDRENS_CENTRE = 3
    SENIOR_CENTRE = 4
    COMMUNITY_SERVICE_CENTRE = 5
    YOUTH_CENTRE = 6
    OTHER = 7


class ProgrammeType(IntEnum):
    """nj_programme_type (nearjob/posting.h) and NJ_PROGRAMME_ALL (nearjob/stats.h).

    Values from CUSTOM_BASE (1000) on are caller-defined; pass them as ints.
    """
    ALL = 0
    DIRECT_JOBS = 1
    VOCATIONAL_TRAINING = 2
    EMPLOYMENT_SERVICES = 3
    EMPLOYMENT_SUBSIDIES = 4
    STARTUP_SUPPORT = 5
    UNEMPLOYMENT_INCOME_SUPPORT = 6
    JOB_INFRASTRUCTURE = 7
    OTHER = 8
    CUSTOM_BASE = 1000


class PostingStatus(IntEnum):
    """nj_posting_status (nearjob/posting.h)."""
    OPEN = 1
    CLOSED = 2


class MatchTarget(IntEnum):
    """nj_match_target (nearjob/match.h)."""
    PARTICIPANTS = 1
    POSTINGS = 2


class MatchOrder(IntEnum):
    """nj_match_order (nearjob/match.h)."""
    NONE = 0
    DISTANCE = 1


class MatchFlag(IntEnum):
    """nj_match_flag (nearjob/match.h)."""
    SKIP_CAPPED = 1


#: NJ_MAX_RADIUS_M: half the circumference of the sphere; covers the Earth.
MAX_RADIUS_M = 20015114.442


class ApplicationStatus(IntEnum):
    """nj_application_status (nearjob/application.h)."""
    APPLIED = 1
    WITHDRAWN = 2
    SELECTED = 3
    WAITLISTED = 4


class SelectionMethod(IntEnum):
    """nj_selection_method (nearjob/application.h)."""
    LOTTERY = 1
    FIRST_COME = 2


class Option(IntEnum):
    """Registry options (nearjob/registry.h): nj_stipend_option
    (nearjob/stipend.h) and nj_io_option (nearjob/io.h)."""
    STIPEND_CAP_MINUTES = 1
    PERIOD_START_MMDD = 2
    BUDGET_KRW = 3
    ROUNDING = 4
    IMPORT_MAX_BYTES = 5
    IMPORT_MAX_ROWS = 6
    IMPORT_MAX_FIELD_BYTES = 7


class Rounding(IntEnum):
    """nj_rounding (nearjob/stipend.h)."""
    FLOOR = 1
    HALF_UP = 2


class FollowOnKind(IntEnum):
    """nj_follow_on_kind (nearjob/stats.h)."""
    APPLIED = 1
    HIRED = 2


#: NJ_STATS_COUNT_MAX: the largest target, job count or statistics cell.
STATS_COUNT_MAX = 1000000000000


class Measure(IntEnum):
    """nj_measure (nearjob/stats.h).

    AGE_DECADE_BASE + d (d = 0 .. 9) and FACILITY_KIND_BASE + kind are
    measures too: see age_decade() and facility_kind().
    """
    TARGET = 1
    HAS_TARGET = 2
    ACHIEVED = 3
    PLACEMENTS = 4
    RECORDED_JOBS = 5
    PERSONS = 6
    SURPLUS = 7
    APPLICANTS = 8
    SLOTS = 9
    POSTINGS = 10
    WORKED_MINUTES = 11
    PAID_MINUTES = 12
    OVER_CAP_MINUTES = 13
    AMOUNT_KRW = 14
    PAID_PERSONS = 15
    FOREIGN_PLACEMENTS = 16
    FOLLOW_ON_APPLIED = 17
    FOLLOW_ON_HIRED = 18
    AGE_YOUTH = 19
    AGE_MIDDLE = 20
    AGE_SENIOR = 21
    AGE_OTHER = 22
    AGE_DECADE_BASE = 100
    FACILITY_KIND_BASE = 200

    @staticmethod
    def age_decade(decade: int) -> int:
        """The measure of placements aged 10*decade .. 10*decade + 9 (9: 90 and over)."""
        return Measure.AGE_DECADE_BASE + decade

    @staticmethod
    def facility_kind(kind: int) -> int:
        """The measure of placements at facilities of a FacilityKind."""
        return Measure.FACILITY_KIND_BASE + kind


class Ratio(IntEnum):
    """nj_ratio (nearjob/stats.h)."""
    ATTAINMENT = 1
    COMPETITION = 2
    FILL_RATE = 3
    FOLLOW_ON_APPLIED = 4
    FOLLOW_ON_HIRED = 5


class TableKind(IntEnum):
    """nj_stats_table_kind (nearjob/stats.h)."""
    ATTAINMENT = 1
    PLACEMENTS_BY_PROGRAMME = 2
    PLACEMENTS_BY_AGE_DECADE = 3
    PLACEMENTS_BY_AGE_BAND = 4
    PLACEMENTS_BY_RESIDENCY = 5
    PLACEMENTS_BY_FACILITY_KIND = 6


class CellState(IntEnum):
    """nj_cell_state (nearjob/stats.h)."""
    PUBLISHED = 1
    SUPPRESSED = 2
    SUPPRESSED_SECONDARY = 3
    UNDEFINED = 4


class CsvObject(IntEnum):
    """nj_csv_object (nearjob/io.h)."""
    REGIONS = 1
    FACILITIES = 2
    POSTINGS = 3
    PARTICIPANTS = 4
    APPLICATIONS = 5
    WORK_ENTRIES = 6
    TARGETS = 7


class Encoding(IntEnum):
    """nj_encoding (nearjob/io.h)."""
    UTF8 = 1
    CP949 = 2
    AUTO = 3
