"""Regions, facilities, postings and participants, and the registry's
collections of them.

An object holds its registry and its id, never a C pointer: every access
looks the handle up again with nj_*_get (O(1)) under the registry's lock,
so an object whose C side was removed raises NotFoundError instead of
touching freed memory, and the registry stays alive while objects refer
to it.
"""
import array
from ctypes import c_double, c_int, c_int32, c_int64, c_size_t, c_uint32, c_uint64
from typing import (TYPE_CHECKING, Any, Callable, Generic, Iterator, List, NamedTuple,
                    Optional, Sequence, Tuple, Type, TypeVar)

from ._core import Text, c_string, call_with_outs, check_read_only, py_string, read_outs
from ._library import lib as _lib
from .enums import ApplicationStatus, FacilityKind, PostingStatus, RegionLevel, Status
from .errors import InvalidError, NotFoundError, RangeError
from .results import BoundingBox, ParticipantApplication, PostingApplication, Selection

if TYPE_CHECKING:
    from .registry import Registry

# (other id, status, date, rank) of nj_posting_application_at; the
# participant's version has the first three.
_APPLICATION = (c_int64, c_int32, c_int32, c_int32)

#: A boundary: polygons, each an outer ring then its holes, each ring a
#: list of (latitude, longitude) pairs.
Boundary = List[List[List[Tuple[float, float]]]]


class _Functions(NamedTuple):
    """The C functions every object type has."""
    get: Callable
    count: Callable
    at: Callable
    id: Callable
    remove: Callable


class _Entity:
    """An object of a registry, named by (registry, id)."""
    __slots__ = ("_registry", "_id")
    _KIND = ""

    def __init__(self, registry: "Registry", id: int) -> None:
        self._registry = registry
        self._id = id

    @staticmethod
    def _functions() -> _Functions:
        raise NotImplementedError

    @property
    def id(self) -> int:
        """The caller's id of the object."""
        return self._id

    @property
    def registry(self) -> "Registry":
        """The registry that owns the object."""
        return self._registry

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and other._registry is self._registry
                and other._id == self._id)

    def __hash__(self) -> int:
        return hash((type(self), id(self._registry), self._id))

    def __repr__(self) -> str:
        return "<nearjob.%s %d>" % (type(self).__name__, self._id)

    def _resolve(self, handle: Any) -> Any:
        """The C handle (under the registry's lock); NotFoundError once removed."""
        get = self._functions().get
        ptr = get(handle, self._id)
        if not ptr:
            raise NotFoundError("%s %d no longer exists" % (self._KIND, self._id),
                                function=get.__name__)
        return ptr

    def _get(self, getter: Callable, *args: Any) -> Any:
        with self._registry._shared as handle:
            return getter(self._resolve(handle), *args)

    def _get_text(self, getter: Callable) -> str:
        return py_string(self._get(getter))

    def _set(self, setter: Callable, *args: Any) -> None:
        self._registry._modify_entity(self, setter, *args)

    def _query(self, function: Callable, args: Sequence[Any],
               out_types: Sequence[Any]) -> List[Any]:
        return self._registry._query_entity(self, function, args, out_types)

    def remove(self) -> None:
        """Remove the object from its registry (see the C *_remove rules)."""
        self._registry._modify(self._functions().remove, self._id)


E = TypeVar("E", bound=_Entity)


class Objects(Generic[E]):
    """The objects of one type in a registry, by id: ``len()``, iteration,
    ``id in``, ``[id]`` (NotFoundError, a KeyError, when absent), get(),
    remove() and ``del [id]``."""

    def __init__(self, registry: "Registry", cls: Type[E]) -> None:
        self._registry = registry
        self._cls = cls

    def __len__(self) -> int:
        with self._registry._shared as handle:
            return self._cls._functions().count(handle)

    def ids(self) -> List[int]:
        """The ids, in the library's iteration order."""
        f = self._cls._functions()
        with self._registry._shared as handle:
            return [f.id(f.at(handle, i)) for i in range(f.count(handle))]

    def __iter__(self) -> Iterator[E]:
        return iter([self._cls(self._registry, i) for i in self.ids()])

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, int):
            return False
        with self._registry._shared as handle:
            return bool(self._cls._functions().get(handle, id))

    def get(self, id: int, default: Optional[E] = None) -> Optional[E]:
        """The object with that id, or `default`."""
        return self._cls(self._registry, id) if id in self else default

    def __getitem__(self, id: int) -> E:
        if id not in self:
            raise NotFoundError("no %s %d" % (self._cls._KIND, id))
        return self._cls(self._registry, id)

    def remove(self, id: int) -> None:
        """Remove the object with that id."""
        self._registry._modify(self._cls._functions().remove, id)

    __delitem__ = remove

    def __repr__(self) -> str:
        return "<nearjob.Objects of %s: %d>" % (self._cls.__name__, len(self))


def _uint32_array(values: List[int]) -> Any:
    typecode = "I" if array.array("I").itemsize == 4 else "L"
    try:
        data = array.array(typecode, values)
    except OverflowError as e:
        raise RangeError("boundary: %s" % e) from None
    return (c_uint32 * len(data)).from_buffer(data) if data else None


def _flatten(polygons: Boundary) -> Tuple[Any, int, Any, int, Any]:
    """A boundary as nj_region_set_boundary's arrays (and their lengths)."""
    rings_per_polygon, vertices_per_ring, latlon = [], [], array.array("d")
    for polygon in polygons:
        rings_per_polygon.append(len(polygon))
        for ring in polygon:
            vertices_per_ring.append(len(ring))
            for lat, lon in ring:
                latlon.append(lat)
                latlon.append(lon)
    coordinates = (c_double * len(latlon)).from_buffer(latlon) if latlon else None
    return (_uint32_array(rings_per_polygon), len(vertices_per_ring),
            _uint32_array(vertices_per_ring), len(latlon) // 2, coordinates)


class Region(_Entity):
    """An administrative area: province, district or neighbourhood."""
    __slots__ = ()
    _KIND = "region"

    @staticmethod
    def _functions() -> _Functions:
        return _Functions(_lib.nj_region_get, _lib.nj_region_count, _lib.nj_region_at,
                          _lib.nj_region_id, _lib.nj_region_remove)

    @property
    def level(self) -> RegionLevel:
        """The RegionLevel."""
        return RegionLevel(self._get(_lib.nj_region_level))

    @property
    def parent_id(self) -> int:
        """The parent's id, 0 for none."""
        return self._get(_lib.nj_region_parent_id)

    @property
    def name(self) -> str:
        """The UTF-8 name; assigning renames the region."""
        return self._get_text(_lib.nj_region_name)

    @name.setter
    def name(self, value: Text) -> None:
        self._set(_lib.nj_region_set_name, c_string(value, "name"))

    @property
    def boundary(self) -> Boundary:
        """The multipolygon boundary ([] for none), exactly as it was set.
        Assigning replaces it; assigning [] removes it."""
        with self._registry._shared as handle:
            region = self._resolve(handle)
            n_polygons, n_rings, n_vertices = read_outs(
                _lib.nj_region_boundary_counts, (region,), (c_size_t,) * 3, repr(self))
            if n_polygons == 0:
                return []
            rings = (c_uint32 * n_polygons)()
            vertices = (c_uint32 * n_rings)()
            latlon = (c_double * (2 * n_vertices))()
            status = _lib.nj_region_boundary_copy(region, rings, n_polygons, vertices,
                                                  n_rings, latlon, n_vertices)
        check_read_only(status, _lib.nj_region_boundary_copy, repr(self))
        points = iter(zip(latlon[0::2], latlon[1::2]))
        ring_sizes = iter(vertices)
        return [[[next(points) for _ in range(next(ring_sizes))] for _ in range(rings[p])]
                for p in range(n_polygons)]

    @boundary.setter
    def boundary(self, polygons: Boundary) -> None:
        rings, n_rings, vertices, n_vertices, latlon = _flatten(polygons)
        self._set(_lib.nj_region_set_boundary, len(polygons), rings, n_rings, vertices,
                  n_vertices, latlon)

    @property
    def bbox(self) -> Optional[BoundingBox]:
        """The boundary's bounding box, None when there is no boundary."""
        with self._registry._shared as handle:
            status, box = call_with_outs(_lib.nj_region_bbox, (self._resolve(handle),),
                                         (c_double,) * 4)
        if status == Status.NOT_FOUND:
            return None
        check_read_only(status, _lib.nj_region_bbox, repr(self))
        return BoundingBox(*box)

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies inside the boundary (half-open edge rule)."""
        inside, = self._query(_lib.nj_region_contains, (lat, lon), (c_int,))
        return bool(inside)

    def is_within(self, ancestor: "Region") -> bool:
        """Whether this region is `ancestor` or lies in its subtree."""
        if ancestor._registry is not self._registry:
            raise InvalidError("%r and %r belong to different registries" % (self, ancestor))
        with self._registry._shared as handle:
            return bool(_lib.nj_region_is_within(self._resolve(handle),
                                                 ancestor._resolve(handle)))


class Facility(_Entity):
    """A public facility that posts jobs."""
    __slots__ = ()
    _KIND = "facility"

    @staticmethod
    def _functions() -> _Functions:
        return _Functions(_lib.nj_facility_get, _lib.nj_facility_count, _lib.nj_facility_at,
                          _lib.nj_facility_id, _lib.nj_facility_remove)

    @property
    def kind(self) -> FacilityKind:
        """The FacilityKind; assignable."""
        return FacilityKind(self._get(_lib.nj_facility_kind))

    @kind.setter
    def kind(self, value: int) -> None:
        self._set(_lib.nj_facility_set_kind, value)

    @property
    def name(self) -> str:
        """The UTF-8 name; assignable."""
        return self._get_text(_lib.nj_facility_name)

    @name.setter
    def name(self, value: Text) -> None:
        self._set(_lib.nj_facility_set_name, c_string(value, "name"))

    @property
    def location(self) -> Tuple[float, float]:
        """(latitude, longitude), rounded to 1e-7 degree; assigning moves
        the facility (a derived region is derived again)."""
        with self._registry._shared as handle:
            facility = self._resolve(handle)
            return _lib.nj_facility_lat(facility), _lib.nj_facility_lon(facility)

    @location.setter
    def location(self, value: Tuple[float, float]) -> None:
        lat, lon = value
        self._set(_lib.nj_facility_set_location, lat, lon)

    @property
    def region_id(self) -> int:
        """The region's id, 0 for none; assign 0 to derive it from the location."""
        return self._get(_lib.nj_facility_region_id)

    @region_id.setter
    def region_id(self, value: int) -> None:
        self._set(_lib.nj_facility_set_region, value)

    @property
    def posting_count(self) -> int:
        """Number of postings at the facility."""
        return self._get(_lib.nj_facility_posting_count)


class Posting(_Entity):
    """A job posting at a facility. Every field but the id and the facility
    is an assignable property; pairs (work_period, application_window,
    age_range) are assigned as tuples, (0, 0) clearing a date pair."""
    __slots__ = ()
    _KIND = "posting"

    @staticmethod
    def _functions() -> _Functions:
        return _Functions(_lib.nj_posting_get, _lib.nj_posting_count, _lib.nj_posting_at,
                          _lib.nj_posting_id, _lib.nj_posting_remove)

    def _pair(self, first: Callable, second: Callable) -> Tuple[Any, Any]:
        with self._registry._shared as handle:
            posting = self._resolve(handle)
            return first(posting), second(posting)

    @property
    def facility_id(self) -> int:
        """The facility's id (fixed at creation)."""
        return self._get(_lib.nj_posting_facility_id)

    @property
    def title(self) -> str:
        """The UTF-8 title."""
        return self._get_text(_lib.nj_posting_title)

    @title.setter
    def title(self, value: Text) -> None:
        self._set(_lib.nj_posting_set_title, c_string(value, "title"))

    @property
    def programme_type(self) -> int:
        """A ProgrammeType, or a caller-defined type >= 1000."""
        return self._get(_lib.nj_posting_programme_type)

    @programme_type.setter
    def programme_type(self, value: int) -> None:
        self._set(_lib.nj_posting_set_programme_type, value)

    @property
    def slots(self) -> int:
        """People to be hired, 0 .. 1 000 000."""
        return self._get(_lib.nj_posting_slots)

    @slots.setter
    def slots(self, value: int) -> None:
        self._set(_lib.nj_posting_set_slots, value)

    @property
    def minutes_per_person(self) -> int:
        """Working minutes per person (default 6000, 100 hours)."""
        return self._get(_lib.nj_posting_minutes_per_person)

    @minutes_per_person.setter
    def minutes_per_person(self, value: int) -> None:
        self._set(_lib.nj_posting_set_minutes_per_person, value)

    @property
    def hourly_stipend_krw(self) -> int:
        """Hourly stipend in won; fixed once work entries are recorded."""
        return self._get(_lib.nj_posting_hourly_stipend_krw)

    @hourly_stipend_krw.setter
    def hourly_stipend_krw(self, value: int) -> None:
        self._set(_lib.nj_posting_set_hourly_stipend_krw, value)

    @property
    def work_start(self) -> int:
        """First day of work (YYYYMMDD), 0 for none."""
        return self._get(_lib.nj_posting_work_start)

    @property
    def work_end(self) -> int:
        """Last day of work (YYYYMMDD), 0 for none."""
        return self._get(_lib.nj_posting_work_end)

    @property
    def work_period(self) -> Tuple[int, int]:
        """(start, end) dates; (0, 0) for none."""
        return self._pair(_lib.nj_posting_work_start, _lib.nj_posting_work_end)

    @work_period.setter
    def work_period(self, value: Tuple[int, int]) -> None:
        start, end = value
        self._set(_lib.nj_posting_set_work_period, start, end)

    @property
    def application_window(self) -> Tuple[int, int]:
        """(open, close) dates; (0, 0): always open."""
        return self._pair(_lib.nj_posting_apply_open, _lib.nj_posting_apply_close)

    @application_window.setter
    def application_window(self, value: Tuple[int, int]) -> None:
        open_date, close_date = value
        self._set(_lib.nj_posting_set_application_window, open_date, close_date)

    @property
    def age_range(self) -> Tuple[int, int]:
        """(min, max) age in years, inclusive."""
        return self._pair(_lib.nj_posting_min_age, _lib.nj_posting_max_age)

    @age_range.setter
    def age_range(self, value: Tuple[int, int]) -> None:
        min_age, max_age = value
        self._set(_lib.nj_posting_set_age_range, min_age, max_age)

    @property
    def residency_region_id(self) -> int:
        """Applicants must live in this region's subtree; 0: anyone."""
        return self._get(_lib.nj_posting_residency_region_id)

    @residency_region_id.setter
    def residency_region_id(self, value: int) -> None:
        self._set(_lib.nj_posting_set_residency_region, value)

    @property
    def foreign_allowed(self) -> bool:
        """Whether foreign residents may apply."""
        return bool(self._get(_lib.nj_posting_foreign_allowed))

    @foreign_allowed.setter
    def foreign_allowed(self, value: bool) -> None:
        self._set(_lib.nj_posting_set_foreign_allowed, value)

    @property
    def radius_m(self) -> float:
        """Match radius in metres (default 2000)."""
        return self._get(_lib.nj_posting_radius_m)

    @radius_m.setter
    def radius_m(self, value: float) -> None:
        self._set(_lib.nj_posting_set_radius_m, value)

    @property
    def early_close_ratio(self) -> float:
        """Applications per slot that close the posting; 0: off."""
        return self._get(_lib.nj_posting_early_close_ratio)

    @early_close_ratio.setter
    def early_close_ratio(self, value: float) -> None:
        self._set(_lib.nj_posting_set_early_close_ratio, value)

    @property
    def status(self) -> PostingStatus:
        """PostingStatus.OPEN or CLOSED."""
        return PostingStatus(self._get(_lib.nj_posting_status))

    @status.setter
    def status(self, value: int) -> None:
        self._set(_lib.nj_posting_set_status, value)

    @property
    def application_count(self) -> int:
        """Applications received, withdrawn ones included."""
        return self._get(_lib.nj_posting_application_count)

    def count_by_status(self, status: int) -> int:
        """Applications with the given ApplicationStatus."""
        return self._get(_lib.nj_posting_count_by_status, status)

    def applications(self) -> List[PostingApplication]:
        """The applications in order of application."""
        with self._registry._shared as handle:
            posting = self._resolve(handle)
            rows = [read_outs(_lib.nj_posting_application_at, (posting, i), _APPLICATION)
                    for i in range(_lib.nj_posting_application_count(posting))]
        return [PostingApplication(p, ApplicationStatus(s), d, r) for p, s, d, r in rows]

    def select(self, method: int, seed: int, date: int) -> None:
        """Fill the slots from the applications (a SelectionMethod; `seed`
        drives a lottery) and close the posting; the draw is stored."""
        self._registry._modify(_lib.nj_posting_select, self._id, method, seed, date)

    @property
    def selection(self) -> Optional[Selection]:
        """The stored selection (method, seed, date), None before selection."""
        with self._registry._shared as handle:
            status, selection = call_with_outs(_lib.nj_posting_selection,
                                               (self._resolve(handle),),
                                               (c_int32, c_uint64, c_int32))
        if status == Status.NOT_FOUND:
            return None
        check_read_only(status, _lib.nj_posting_selection, repr(self))
        return Selection(*selection)


class Participant(_Entity):
    """A resident who may apply for postings."""
    __slots__ = ()
    _KIND = "participant"

    @staticmethod
    def _functions() -> _Functions:
        return _Functions(_lib.nj_participant_get, _lib.nj_participant_count,
                          _lib.nj_participant_at, _lib.nj_participant_id,
                          _lib.nj_participant_remove)

    @property
    def birth_date(self) -> int:
        """Birth date, YYYYMMDD; assignable."""
        return self._get(_lib.nj_participant_birth_date)

    @birth_date.setter
    def birth_date(self, value: int) -> None:
        self._set(_lib.nj_participant_set_birth_date, value)

    @property
    def is_foreign(self) -> bool:
        """Whether the participant is a foreign resident; assignable."""
        return bool(self._get(_lib.nj_participant_is_foreign))

    @is_foreign.setter
    def is_foreign(self, value: bool) -> None:
        self._set(_lib.nj_participant_set_foreign, value)

    @property
    def home(self) -> Tuple[float, float]:
        """The verified home (latitude, longitude); change it with set_home()."""
        with self._registry._shared as handle:
            participant = self._resolve(handle)
            return _lib.nj_participant_lat(participant), _lib.nj_participant_lon(participant)

    @property
    def verified_date(self) -> int:
        """The date the home was verified, YYYYMMDD."""
        return self._get(_lib.nj_participant_verified_date)

    def set_home(self, lat: float, lon: float, verified_date: int) -> None:
        """Record a new verified home (a derived region is derived again)."""
        self._set(_lib.nj_participant_set_home, lat, lon, verified_date)

    @property
    def region_id(self) -> int:
        """The verified region, 0 for none; assign 0 to derive it again."""
        return self._get(_lib.nj_participant_region_id)

    @region_id.setter
    def region_id(self, value: int) -> None:
        self._set(_lib.nj_participant_set_region, value)

    def age_on(self, date: int) -> int:
        """Age in whole years on `date` (YYYYMMDD)."""
        age, = self._query(_lib.nj_participant_age_on, (date,), (c_int32,))
        return age

    def applications(self) -> List[ParticipantApplication]:
        """The participant's applications in order of application."""
        with self._registry._shared as handle:
            participant = self._resolve(handle)
            rows = [read_outs(_lib.nj_participant_application_at, (participant, i),
                              _APPLICATION[:3])
                    for i in range(_lib.nj_participant_application_count(participant))]
        return [ParticipantApplication(p, ApplicationStatus(s), d) for p, s, d in rows]

    def follow_on(self, kind: int) -> Optional[int]:
        """Date of the FollowOnKind record, None when there is none."""
        return self._get(_lib.nj_participant_follow_on, kind) or None

    def record_follow_on(self, kind: int, date: int) -> None:
        """Record that the participant applied to, or took, a private job."""
        self._registry._modify(_lib.nj_follow_on_record, self._id, kind, date)

    def clear_follow_on(self, kind: int) -> None:
        """Forget a follow-on record."""
        self._registry._modify(_lib.nj_follow_on_clear, self._id, kind)
