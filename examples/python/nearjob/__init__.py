"""nearjob: Python binding of libnearjob (ctypes, standard library only).

Importing the package loads the shared library (NEARJOB_LIBRARY, then
ctypes.util.find_library, then a build tree; see nearjob._library) and
checks its version. docs/ffi.md describes the binding; the C headers are
the reference for every rule and status.

    import nearjob
    with nearjob.Registry() as reg:
        reg.add_facility(1, nearjob.FacilityKind.LIBRARY, "Example Library", 35.14, 126.79)
        ...
"""
from ._library import BINDING_VERSION
from .allocator import Allocator
from .enums import (MAX_RADIUS_M, STATS_COUNT_MAX, ApplicationStatus, CellState, CsvObject,
                    Encoding, FacilityKind, FollowOnKind, MatchFlag, MatchOrder, MatchTarget,
                    Measure, Option, PostingStatus, ProgrammeType, Ratio, RegionLevel, Rounding,
                    SelectionMethod, Status, TableKind)
from .errors import (BufferTooSmallError, CapError, ClosedError, CorruptError, EncodingError,
                     ExistsError, HandleClosedError, IneligibleError, InUseError, InvalidError,
                     NearjobError, NearjobIOError, NoMemoryError, NotFoundError, RangeError,
                     UnsupportedError, VersionError)
from .functions import (date_is_valid, distance, library_path, option_bounds, status_string,
                        version, version_number)
from .objects import Boundary, Facility, Objects, Participant, Posting, Region
from .registry import Registry
from .results import (Actual, BatchMatch, BoundingBox, Match, ParticipantApplication,
                      PostingApplication, PostingTotals, ProgrammeTotals, RatioValue, RowKey,
                      Selection, Statement, StatsRegion, TableCell, TableColumn, TableRow,
                      Target, WorkEntry)
from .stats import Stats, StatsTable

__version__ = "%d.%d" % BINDING_VERSION

__all__ = [
    "Actual", "Allocator", "ApplicationStatus", "BatchMatch", "BINDING_VERSION", "Boundary",
    "BoundingBox", "BufferTooSmallError", "CapError", "CellState", "ClosedError",
    "CorruptError", "CsvObject", "date_is_valid", "distance", "Encoding", "EncodingError",
    "ExistsError", "Facility", "FacilityKind", "FollowOnKind", "HandleClosedError",
    "IneligibleError", "InUseError", "InvalidError", "library_path", "Match", "MatchFlag",
    "MatchOrder", "MatchTarget", "MAX_RADIUS_M", "Measure", "NearjobError", "NearjobIOError",
    "NoMemoryError", "NotFoundError", "Objects", "Option", "option_bounds", "Participant",
    "ParticipantApplication", "Posting", "PostingApplication", "PostingStatus",
    "PostingTotals", "ProgrammeTotals", "ProgrammeType", "RangeError", "Ratio", "RatioValue",
    "Region", "RegionLevel", "Registry", "Rounding", "RowKey", "Selection", "SelectionMethod",
    "Statement", "Stats", "STATS_COUNT_MAX", "StatsRegion", "StatsTable", "Status",
    "status_string", "TableCell", "TableColumn", "TableKind", "TableRow", "Target",
    "UnsupportedError", "version", "version_number", "VersionError", "WorkEntry",
]
