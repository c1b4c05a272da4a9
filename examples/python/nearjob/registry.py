"""The registry: the in-memory database of one programme."""
import array
from ctypes import byref, c_double, c_int, c_int32, c_int64, c_size_t
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

from ._core import (Owned, PathLike, Text, c_data, c_path, c_string, call_with_errmsg,
                    check_read_only, construct, py_string, read_buffer, read_outs)
from ._library import lib as _lib
from ._prototypes import MatchesPtr, RegionPtr, RegistryPtr, StatsPtr
from .allocator import Allocator
from .enums import ApplicationStatus, Encoding, MatchOrder, Status
from .errors import InvalidError, RangeError, error_for
from .objects import Facility, Objects, Participant, Posting, Region, _Entity
from .results import (Actual, BatchMatch, Match, PostingTotals, ProgrammeTotals, Statement,
                      Target, WorkEntry)
from .stats import Stats

Data = Union[str, bytes, bytearray, memoryview]

_TOTALS = (c_int64,) * 4


def _rows(matches: MatchesPtr, batch: bool) -> list:
    """The rows of a result handle, which is destroyed."""
    try:
        n = _lib.nj_matches_count(matches)
        ids = [_lib.nj_matches_id(matches, i) for i in range(n)]
        distances = [_lib.nj_matches_distance_m(matches, i) for i in range(n)]
        if not batch:
            return [Match(*row) for row in zip(ids, distances)]
        sources = [_lib.nj_matches_source_id(matches, i) for i in range(n)]
        return [BatchMatch(*row) for row in zip(ids, distances, sources)]
    finally:
        _lib.nj_matches_destroy(matches)


def _column(typecode: str, values: Sequence[int], what: str) -> Tuple[Any, Any]:
    """An array of C integers (and the array, which must stay alive)."""
    try:
        data = array.array(typecode, values)
    except OverflowError as e:
        raise RangeError("%s: %s" % (what, e)) from None
    ctype = c_int64 if typecode == "q" else c_int32
    return (ctype * len(data)).from_buffer(data) if data else None, data


class Registry(Owned):
    """A registry of regions, facilities, postings and participants, with
    applications, the stipend ledger and job targets.

    Use it as a context manager, or call close(): both destroy the C
    registry at once (the garbage collector is only a safety net).
    Objects obtained from it keep it alive; after close() every use raises
    HandleClosedError.

    Threads: read-only calls (docs/threading.md) run concurrently, the GIL
    being released during each C call; changes take the registry for
    themselves, so a change, and the error message read after it fails,
    never overlap another call on the same registry.
    """

    def __init__(self, allocator: Optional[Allocator] = None) -> None:
        """An empty registry, allocating through `allocator` if given."""
        out = RegistryPtr()
        if allocator is None:
            status = _lib.nj_registry_create(byref(out))
        else:
            status = _lib.nj_registry_create_with_allocator(*allocator.hooks(), byref(out))
        if status:
            raise error_for(status, "cannot create a registry", "nj_registry_create")
        self._adopt(out, allocator)

    def _adopt(self, handle: RegistryPtr, allocator: Optional[Allocator]) -> None:
        self._allocator = allocator
        self._own(handle, _lib.nj_registry_destroy, allocator)
        #: The regions, by id.
        self.regions: Objects[Region] = Objects(self, Region)
        #: The facilities, by id.
        self.facilities: Objects[Facility] = Objects(self, Facility)
        #: The postings, by id.
        self.postings: Objects[Posting] = Objects(self, Posting)
        #: The participants, by id.
        self.participants: Objects[Participant] = Objects(self, Participant)

    def __repr__(self) -> str:
        return "<nearjob.Registry%s>" % (" closed" if self.closed else "")

    # ---- plumbing used by the object classes -----------------------------

    def _message(self, handle: RegistryPtr) -> str:
        return py_string(_lib.nj_registry_errmsg(handle))

    def _modify_entity(self, entity: _Entity, setter: Callable, *args: Any) -> None:
        with self._exclusive as handle:
            status = setter(handle, entity._resolve(handle), *args)
            if status:
                raise error_for(status, self._message(handle), setter.__name__)

    def _query_entity(self, entity: _Entity, function: Callable, args: Sequence[Any],
                      out_types: Sequence[Any]) -> List[Any]:
        with self._shared as handle:
            return read_outs(function, (entity._resolve(handle), *args), out_types,
                             repr(entity))

    def _add(self, adder: Callable, cls: type, id: int, *args: Any) -> Any:
        self._modify(adder, id, *args, None)
        return cls(self, id)

    @property
    def last_error_message(self) -> str:
        """nj_registry_errmsg(): the message of the last failed change ("" if none)."""
        with self._exclusive as handle:
            return self._message(handle)

    # ---- objects ----------------------------------------------------------

    def add_region(self, id: int, level: int, name: Text, parent_id: int = 0) -> Region:
        """Add a region of a RegionLevel under `parent_id` (0: none)."""
        return self._add(_lib.nj_region_add, Region, id, level, parent_id,
                         c_string(name, "name"))

    def add_facility(self, id: int, kind: int, name: Text, lat: float, lon: float,
                     region_id: int = 0) -> Facility:
        """Add a facility of a FacilityKind; region_id 0 derives the region."""
        return self._add(_lib.nj_facility_add, Facility, id, kind, c_string(name, "name"),
                         lat, lon, region_id)

    def add_posting(self, id: int, facility_id: int, title: Text, slots: int) -> Posting:
        """Add a posting at an existing facility; other fields take defaults."""
        return self._add(_lib.nj_posting_add, Posting, id, facility_id,
                         c_string(title, "title"), slots)

    def add_participant(self, id: int, birth_date: int, is_foreign: bool, lat: float,
                        lon: float, verified_date: int, region_id: int = 0) -> Participant:
        """Add a resident with a verified home; region_id 0 derives the region."""
        return self._add(_lib.nj_participant_add, Participant, id, birth_date, is_foreign,
                         lat, lon, verified_date, region_id)

    def locate(self, lat: float, lon: float) -> Optional[Region]:
        """The deepest region containing the point, None when none does."""
        out = RegionPtr()
        with self._shared as handle:
            status = _lib.nj_region_locate(handle, lat, lon, byref(out))
            found = _lib.nj_region_id(out) if status == Status.OK else 0
        if status != Status.NOT_FOUND:
            check_read_only(status, _lib.nj_region_locate, "(%r, %r)" % (lat, lon))
        return Region(self, found) if found else None

    # ---- matching -----------------------------------------------------------

    def _matches(self, function: Callable, args: Sequence[Any], subject: str,
                 batch: bool = False) -> list:
        out = MatchesPtr()
        with self._shared as handle:
            status = function(handle, *args, byref(out))
        check_read_only(status, function, subject)
        return _rows(out, batch)

    def query_radius(self, target: int, lat: float, lon: float, radius_m: float,
                     order: int = MatchOrder.DISTANCE, limit: int = 0) -> List[Match]:
        """All participants or postings (a MatchTarget) within `radius_m` of
        the point, as Match(id, distance_m) rows; `limit` > 0: the nearest."""
        return self._matches(_lib.nj_query_radius, (target, lat, lon, radius_m, order, limit),
                             "radius %r m around (%r, %r)" % (radius_m, lat, lon))

    def query_radius_arrays(self, target: int, lat: float, lon: float, radius_m: float,
                            order: int = MatchOrder.DISTANCE,
                            limit: int = 0) -> Tuple["array.array[int]", "array.array[float]"]:
        """As query_radius(), as two arrays (ids, distances): compact for
        large results (nj_query_radius_into, sized and retried)."""
        args = (target, lat, lon, radius_m, order, limit)
        ids, distances = array.array("q"), array.array("d")
        count = c_size_t(0)
        with self._shared as handle:
            status = _lib.nj_query_radius_into(handle, *args, None, None, 0, byref(count))
            while status == Status.BUFFER_TOO_SMALL:
                ids, distances = array.array("q", bytes(8 * count.value)), array.array(
                    "d", bytes(8 * count.value))
                status = _lib.nj_query_radius_into(
                    handle, *args, (c_int64 * count.value).from_buffer(ids),
                    (c_double * count.value).from_buffer(distances), count.value, byref(count))
        check_read_only(status, _lib.nj_query_radius_into,
                        "radius %r m around (%r, %r)" % (radius_m, lat, lon))
        return ids, distances

    def match_for_participant(self, participant_id: int, radius_m: float, date: int,
                              limit: int = 0) -> List[Match]:
        """The open postings within `radius_m` the participant is eligible
        for on `date`, nearest first: Match(posting id, distance_m)."""
        return self._matches(_lib.nj_match_for_participant,
                             (participant_id, radius_m, date, limit),
                             "participant %d" % participant_id)

    def match_for_posting(self, posting_id: int, date: int, limit: int = 0,
                          flags: int = 0) -> List[Match]:
        """The eligible residents within the posting's radius on `date`,
        nearest first: Match(participant id, distance_m)."""
        return self._matches(_lib.nj_match_for_posting, (posting_id, date, limit, flags),
                             "posting %d" % posting_id)

    def match_batch(self, date: int, first_posting: int = 0, posting_count: int = 0,
                    flags: int = 0, threads: int = 0) -> List[BatchMatch]:
        """Every open posting against every participant (nightly run):
        BatchMatch(participant id, distance_m, posting id) rows."""
        return self._matches(_lib.nj_match_batch,
                             (date, first_posting, posting_count, flags, threads),
                             "date %d" % date, batch=True)

    # ---- applications -------------------------------------------------------

    def submit_application(self, participant_id: int, posting_id: int, date: int) -> None:
        """Apply for a posting on `date` (Posting.select() fills its slots)."""
        self._modify(_lib.nj_application_submit, participant_id, posting_id, date)

    def withdraw_application(self, participant_id: int, posting_id: int) -> None:
        """Withdraw an application (after selection the waitlist moves up)."""
        self._modify(_lib.nj_application_withdraw, participant_id, posting_id)

    def application_status(self, participant_id: int, posting_id: int) -> ApplicationStatus:
        """The ApplicationStatus of one application."""
        status, = self._query(_lib.nj_application_status, (participant_id, posting_id),
                              (c_int32,),
                              "participant %d, posting %d" % (participant_id, posting_id))
        return ApplicationStatus(status)

    # ---- options and the stipend ledger ---------------------------------

    def set_option(self, option: int, value: int) -> None:
        """Set a registry Option."""
        self._modify(_lib.nj_registry_set_int64, option, value)

    def get_option(self, option: int) -> int:
        """Read a registry Option."""
        value, = self._query(_lib.nj_registry_get_int64, (option,), (c_int64,),
                             "option %d" % option)
        return value

    def record_work(self, entry_id: int, participant_id: int, posting_id: int, date: int,
                    minutes: int) -> None:
        """Record a work entry (entry ids are never reusable)."""
        self._modify(_lib.nj_work_record, entry_id, participant_id, posting_id, date, minutes)

    def record_work_batch(self, entries: Iterable[Tuple[int, int, int, int, int]]) -> None:
        """Record (entry_id, participant_id, posting_id, date, minutes)
        entries, all or nothing."""
        rows = [tuple(e) for e in entries]
        for i, row in enumerate(rows):
            if len(row) != 5:
                raise InvalidError("entry %d: expected 5 fields, got %d" % (i, len(row)))
        columns = list(zip(*rows)) or [()] * 5
        keep = [_column(code, values, "work entries") for code, values in
                zip("qqqii", columns)]
        self._modify(_lib.nj_work_record_batch, len(rows), *[c for c, _ in keep])

    def void_work(self, entry_id: int) -> None:
        """Void an entry: it stays for audit, pays nothing, and the person's
        later entries are recomputed under the cap."""
        self._modify(_lib.nj_work_void, entry_id)

    def work_entry_ids(self) -> List[int]:
        """Entry ids in recording order, voided ones included."""
        with self._shared as handle:
            ids = [read_outs(_lib.nj_work_entry_id_at, (handle, i), (c_int64,))[0]
                   for i in range(_lib.nj_work_entry_count(handle))]
        return ids

    def work_entry(self, entry_id: int) -> WorkEntry:
        """One entry as the cap leaves it."""
        values = self._query(_lib.nj_work_entry, (entry_id,),
                             (c_int64, c_int64, c_int32, c_int32, c_int32, c_int64, c_int),
                             "entry %d" % entry_id)
        return WorkEntry(entry_id, *values[:-1], bool(values[-1]))

    def stipend_statement(self, participant_id: int, date: int) -> Statement:
        """A participant's statement for the period containing `date`."""
        return Statement(*self._query(_lib.nj_stipend_statement, (participant_id, date),
                                      (c_int64,) * 5, "participant %d" % participant_id))

    def posting_totals(self, posting_id: int, date: int) -> PostingTotals:
        """A posting's totals for the period containing `date`."""
        return PostingTotals(*self._query(_lib.nj_stipend_posting_totals, (posting_id, date),
                                          _TOTALS, "posting %d" % posting_id))

    def programme_totals(self, date: int) -> ProgrammeTotals:
        """The programme's totals for the period containing `date`."""
        *totals, over = self._query(_lib.nj_stipend_programme_totals, (date,),
                                    _TOTALS + (c_int,), "date %d" % date)
        return ProgrammeTotals(*totals, bool(over))

    # ---- targets, actuals and statistics -----------------------------------

    def set_target(self, year: int, region_id: int, programme_type: int, target: int) -> None:
        """Set (or replace) the target job count of a key."""
        self._modify(_lib.nj_target_set, year, region_id, programme_type, target)

    def remove_target(self, year: int, region_id: int, programme_type: int) -> None:
        """Remove a target."""
        self._modify(_lib.nj_target_remove, year, region_id, programme_type)

    def target(self, year: int, region_id: int, programme_type: int) -> int:
        """The target of a key (NotFoundError when none is set)."""
        value, = self._query(_lib.nj_target_get, (year, region_id, programme_type),
                             (c_int64,), "target %d/%d/%d" % (year, region_id, programme_type))
        return value

    def targets(self) -> List[Target]:
        """Every target, in (year, region id, programme type) order."""
        with self._shared as handle:
            return [Target(*read_outs(_lib.nj_target_at, (handle, i),
                                      (c_int32, c_int64, c_int32, c_int64)))
                    for i in range(_lib.nj_target_count(handle))]

    def record_actual(self, actual_id: int, date: int, region_id: int, programme_type: int,
                      jobs: int) -> None:
        """Record jobs created outside the registry (once per id)."""
        self._modify(_lib.nj_actual_record, actual_id, date, region_id, programme_type, jobs)

    def remove_actual(self, actual_id: int) -> None:
        """Remove a recorded actual."""
        self._modify(_lib.nj_actual_remove, actual_id)

    def actuals(self) -> List[Actual]:
        """Every recorded actual, in id order."""
        with self._shared as handle:
            return [Actual(*read_outs(_lib.nj_actual_at, (handle, i),
                                      (c_int64, c_int32, c_int64, c_int32, c_int64)))
                    for i in range(_lib.nj_actual_count(handle))]

    def compute_stats(self, from_date: int, to_date: int) -> Stats:
        """Statistics over the dates [from_date, to_date]."""
        out = StatsPtr()
        with self._shared as handle:
            status = _lib.nj_stats_compute(handle, from_date, to_date, byref(out))
        check_read_only(status, _lib.nj_stats_compute, "%d .. %d" % (from_date, to_date))
        return Stats._adopt(out, self._allocator)

    # ---- snapshots ------------------------------------------------------------

    @classmethod
    def _adopted(cls, handle: RegistryPtr, allocator: Optional[Allocator]) -> "Registry":
        registry = cls.__new__(cls)
        registry._adopt(handle, allocator)
        return registry

    @classmethod
    def load_snapshot(cls, path: PathLike, allocator: Optional[Allocator] = None) -> "Registry":
        """A new registry from the snapshot file at `path`."""
        out = RegistryPtr()
        construct(_lib.nj_snapshot_load_file, _lib.nj_snapshot_load_file_with_allocator,
                  (c_path(path),), allocator, out)
        return cls._adopted(out, allocator)

    @classmethod
    def from_snapshot_bytes(cls, data: bytes,
                            allocator: Optional[Allocator] = None) -> "Registry":
        """A new registry from a snapshot held in memory."""
        data = c_data(data)
        out = RegistryPtr()
        construct(_lib.nj_snapshot_load_mem, _lib.nj_snapshot_load_mem_with_allocator,
                  (data, len(data)), allocator, out)
        return cls._adopted(out, allocator)

    def _write_file(self, function: Callable, *args: Any) -> None:
        """Call a read-only file writer taking (reg, args..., errmsg, size);
        raise with the message it wrote into the buffer."""
        with self._shared as handle:
            status, message = call_with_errmsg(function, handle, *args)
        if status:
            raise error_for(status, message, function.__name__)

    def save_snapshot(self, path: PathLike) -> None:
        """Replace the file at `path` atomically with a snapshot."""
        self._write_file(_lib.nj_snapshot_save_file, c_path(path))

    def snapshot_bytes(self) -> bytes:
        """A snapshot of the registry as bytes (the same registry gives the
        same bytes)."""
        with self._shared as handle:
            status, data = read_buffer(_lib.nj_snapshot_save_mem, handle)
        check_read_only(status, _lib.nj_snapshot_save_mem)
        return data

    # ---- CSV and GeoJSON ---------------------------------------------------

    def _import(self, function: Callable, *args: Any) -> int:
        count = c_size_t(0)
        self._modify(function, *args, byref(count))
        return count.value

    def import_csv(self, object: int, data: Data, encoding: int = Encoding.UTF8) -> int:
        """Import a CSV file's contents (a CsvObject), all or nothing; the
        number of rows imported."""
        data = c_data(data)
        return self._import(_lib.nj_csv_import, object, data, len(data), encoding)

    def import_csv_file(self, object: int, path: PathLike,
                        encoding: int = Encoding.UTF8) -> int:
        """Import a CSV file (a CsvObject), all or nothing; rows imported."""
        return self._import(_lib.nj_csv_import_file, object, c_path(path), encoding)

    def export_csv(self, object: int) -> bytes:
        """Every object of a CsvObject type as CSV (UTF-8 with a BOM, CRLF)."""
        with self._shared as handle:
            status, data = read_buffer(_lib.nj_csv_export, handle, object)
        check_read_only(status, _lib.nj_csv_export, "object %d" % object)
        return data

    def export_csv_file(self, object: int, path: PathLike) -> None:
        """Export a CsvObject type to a file, replacing it atomically
        (read-only: it runs beside other queries)."""
        self._write_file(_lib.nj_csv_export_file, object, c_path(path))

    def import_geojson(self, data: Data) -> int:
        """Import regions from a GeoJSON FeatureCollection; regions added."""
        data = c_data(data)
        return self._import(_lib.nj_geojson_import_regions, data, len(data))

    def import_geojson_file(self, path: PathLike) -> int:
        """Import regions from a GeoJSON file; regions added."""
        return self._import(_lib.nj_geojson_import_regions_file, c_path(path))
