"""Computed statistics and published tables.

Neither refers to a registry: a Stats object can be saved as bytes, loaded
anywhere and merged; a StatsTable is a copy of what it shows. Both own a C
handle (close() or a ``with`` block frees it) and a lock of their own:
reads run concurrently, merge() and close() exclusively.
"""
from ctypes import byref, c_char_p, c_int32, c_int64, c_size_t
from typing import List, Optional

from ._core import (Owned, c_data, call_with_outs, check_read_only, construct, py_string,
                    read_buffer, read_outs)
from ._library import lib as _lib
from ._prototypes import StatsPtr, StatsTablePtr
from .allocator import Allocator
from .enums import CellState, Status
from .errors import NotFoundError, error_for
from .results import RatioValue, RowKey, StatsRegion, TableCell, TableColumn, TableRow


class Stats(Owned):
    """Target-attainment statistics (Registry.compute_stats(), Stats.from_bytes())."""

    def __init__(self) -> None:
        raise TypeError("use Registry.compute_stats() or Stats.from_bytes()")

    @classmethod
    def _adopt(cls, handle: StatsPtr, allocator: Optional[Allocator]) -> "Stats":
        stats = cls.__new__(cls)
        stats._allocator = allocator
        stats._own(handle, _lib.nj_stats_destroy, allocator)
        return stats

    def __repr__(self) -> str:
        if self.closed:
            return "<nearjob.Stats closed>"
        return "<nearjob.Stats %d .. %d, %d rows>" % (self.from_date, self.to_date, len(self))

    def _message(self, handle: StatsPtr) -> str:
        return py_string(_lib.nj_stats_errmsg(handle))

    @classmethod
    def from_bytes(cls, data: bytes, allocator: Optional[Allocator] = None) -> "Stats":
        """Statistics written by to_bytes(), validated."""
        data = c_data(data)
        out = StatsPtr()
        construct(_lib.nj_stats_load, _lib.nj_stats_load_with_allocator, (data, len(data)),
                  allocator, out)
        return cls._adopt(out, allocator)

    def to_bytes(self) -> bytes:
        """The statistics as bytes (equal statistics give equal bytes)."""
        with self._shared as handle:
            status, data = read_buffer(_lib.nj_stats_save, handle)
        check_read_only(status, _lib.nj_stats_save)
        return data

    @property
    def from_date(self) -> int:
        """First day covered (YYYYMMDD)."""
        with self._shared as handle:
            return _lib.nj_stats_from_date(handle)

    @property
    def to_date(self) -> int:
        """Last day covered (YYYYMMDD)."""
        with self._shared as handle:
            return _lib.nj_stats_to_date(handle)

    def __len__(self) -> int:
        with self._shared as handle:
            return _lib.nj_stats_row_count(handle)

    def row_key(self, index: int) -> RowKey:
        """The key of row `index`."""
        return RowKey(*self._query(_lib.nj_stats_row_key, (index,),
                                   (c_int32, c_int64, c_int32), "row %d" % index))

    def rows(self) -> List[RowKey]:
        """Every row's key, in (year, region id, programme type) order."""
        return [self.row_key(i) for i in range(len(self))]

    def find_row(self, year: int, region_id: int, programme_type: int) -> int:
        """The index of the row with a key (NotFoundError when absent)."""
        index, = self._query(_lib.nj_stats_row_find, (year, region_id, programme_type),
                             (c_size_t,), "row %d/%d/%d" % (year, region_id, programme_type))
        return index

    def value(self, index: int, measure: int) -> int:
        """One Measure of a row."""
        value, = self._query(_lib.nj_stats_row_value, (index, measure), (c_int64,),
                             "row %d, measure %d" % (index, measure))
        return value

    def ratio(self, index: int, ratio: int) -> RatioValue:
        """A Ratio of a row, exact and rounded; rounded is None when the
        denominator is zero (no target, no slots or no persons)."""
        with self._shared as handle:
            status, (numerator, denominator, rounded) = call_with_outs(
                _lib.nj_stats_row_ratio, (handle, index, ratio), (c_int64,) * 3)
        if status == Status.RANGE and denominator == 0:
            return RatioValue(numerator, 0, None)
        check_read_only(status, _lib.nj_stats_row_ratio, "row %d, ratio %d" % (index, ratio))
        return RatioValue(numerator, denominator, rounded)

    def regions(self) -> List[StatsRegion]:
        """The regions the rows name, in id order."""
        with self._shared as handle:
            regions = [read_outs(_lib.nj_stats_region_at, (handle, i),
                                 (c_int64, c_int32, c_int64))
                       for i in range(_lib.nj_stats_region_count(handle))]
            return [StatsRegion(region_id, level, parent,
                                py_string(_lib.nj_stats_region_name(handle, region_id)))
                    for region_id, level, parent in regions]

    def region_name(self, region_id: int) -> Optional[str]:
        """The name of a region the rows name, None for another id."""
        with self._shared as handle:
            name = _lib.nj_stats_region_name(handle, region_id)
        return None if name is None else py_string(name)

    def merge(self, other: "Stats") -> None:
        """Add `other` into these statistics (same dates; disjoint registries
        give exactly the statistics of their union)."""
        # Lock the two in a fixed order, so a.merge(b) and b.merge(a) on two
        # threads cannot deadlock.
        accesses = sorted([(id(self), 0, self._exclusive), (id(other), 1, other._shared)],
                          key=lambda a: a[:2])
        with accesses[0][2] as first, accesses[1][2] as second:
            into, source = (first, second) if accesses[0][1] == 0 else (second, first)
            status = _lib.nj_stats_merge(into, source)
            if status:
                raise error_for(status, self._message(into), "nj_stats_merge")

    def publish(self, year: int, region_level: int, kind: int, k: int = 3) -> "StatsTable":
        """A TableKind table of one year at one RegionLevel, counts in
        1 .. k-1 suppressed."""
        out = StatsTablePtr()
        with self._shared as handle:
            status = _lib.nj_stats_publish(handle, year, region_level, kind, k, byref(out))
        check_read_only(status, _lib.nj_stats_publish,
                        "year %d, level %d, kind %d, k %d" % (year, region_level, kind, k))
        return StatsTable._adopt(out, self._allocator)


class StatsTable(Owned):
    """A published table (Stats.publish())."""

    def __init__(self) -> None:
        raise TypeError("use Stats.publish()")

    @classmethod
    def _adopt(cls, handle: StatsTablePtr, allocator: Optional[Allocator]) -> "StatsTable":
        table = cls.__new__(cls)
        table._own(handle, _lib.nj_stats_table_destroy, allocator)
        return table

    def __repr__(self) -> str:
        if self.closed:
            return "<nearjob.StatsTable closed>"
        return "<nearjob.StatsTable %d x %d>" % (len(self), self.column_count)

    def __len__(self) -> int:
        with self._shared as handle:
            return _lib.nj_stats_table_row_count(handle)

    @property
    def column_count(self) -> int:
        """Number of columns, totals included."""
        with self._shared as handle:
            return _lib.nj_stats_table_column_count(handle)

    def column(self, index: int) -> TableColumn:
        """Column `index`: its stable key and scale."""
        with self._shared as handle:
            name = _lib.nj_stats_table_column_name(handle, index)
            scale = _lib.nj_stats_table_column_scale(handle, index)
        if name is None:
            raise NotFoundError("column %d out of range" % index,
                                function="nj_stats_table_column_name")
        return TableColumn(py_string(name), scale)

    def columns(self) -> List[TableColumn]:
        """Every column."""
        return [self.column(i) for i in range(self.column_count)]

    def row(self, index: int) -> TableRow:
        """Row `index`: region id (0 for totals), programme type and label."""
        region_id, programme_type, label = self._query(
            _lib.nj_stats_table_row, (index,), (c_int64, c_int32, c_char_p),
            "row %d" % index)
        return TableRow(region_id, programme_type, py_string(label))

    def rows(self) -> List[TableRow]:
        """Every row."""
        return [self.row(i) for i in range(len(self))]

    def cell(self, row: int, column: int) -> TableCell:
        """A cell: its value (0 unless published) and CellState."""
        value, state = self._query(_lib.nj_stats_table_cell, (row, column),
                                   (c_int64, c_int32), "cell (%d, %d)" % (row, column))
        return TableCell(value, CellState(state))

    def to_csv(self) -> bytes:
        """The table as CSV (UTF-8 with a BOM, CRLF; suppressed cells "x")."""
        with self._shared as handle:
            status, data = read_buffer(_lib.nj_stats_table_csv, handle)
        check_read_only(status, _lib.nj_stats_table_csv)
        return data

    def to_json(self) -> str:
        """The table as JSON text."""
        with self._shared as handle:
            status, data = read_buffer(_lib.nj_stats_table_json, handle)
        check_read_only(status, _lib.nj_stats_table_json)
        return data.decode("utf-8")
