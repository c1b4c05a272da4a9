"""Functions that need no registry (all thread-safe)."""
from ctypes import c_double, c_int64
from typing import Tuple

from ._core import py_string, read_outs
from ._library import lib as _lib


def version() -> str:
    """nj_version_string(): the loaded library's version, "MAJOR.MINOR.PATCH"."""
    return py_string(_lib.nj_version_string())


def version_number() -> int:
    """nj_version_number(): MAJOR * 10000 + MINOR * 100 + PATCH."""
    return _lib.nj_version_number()


def library_path() -> str:
    """The path (or name) the shared library was loaded from."""
    return _lib.path


def status_string(status: int) -> str:
    """nj_status_str(): the English name of a status ("unknown status" if new)."""
    return py_string(_lib.nj_status_str(status))


def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, sphere of 6 371 008.8 m)."""
    metres, = read_outs(_lib.nj_distance, (lat1, lon1, lat2, lon2), (c_double,),
                        "(%r, %r) to (%r, %r)" % (lat1, lon1, lat2, lon2))
    return metres


def date_is_valid(yyyymmdd: int) -> bool:
    """Whether a YYYYMMDD value is a calendar date in 19000101 .. 29991231."""
    return bool(_lib.nj_date_is_valid(yyyymmdd))


def option_bounds(option: int) -> Tuple[int, int]:
    """(min, max) of a registry Option's values."""
    low, high = read_outs(_lib.nj_option_bounds, (option,), (c_int64, c_int64),
                          "option %d" % option)
    return low, high
