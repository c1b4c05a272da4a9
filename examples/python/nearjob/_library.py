"""Finding libnearjob, declaring its functions and checking its version.

The library is looked up in this order:

1. the environment variable NEARJOB_LIBRARY, a path to the shared library
   (when it is set, nothing else is tried);
2. ``ctypes.util.find_library("nearjob")`` (an installed library);
3. a Meson build tree: ``build*/lib/libnearjob.so*`` in the folders above
   this package, nearest first.

Every exported function gets the argtypes and restype of
nearjob._prototypes.PROTOTYPES. Functions taking integers or doubles are
wrapped so that a value the C type cannot hold raises RangeError and a
value of the wrong type raises TypeError: ctypes itself would silently
truncate 2**32 + 5 to 5 for an int32_t. The wrapper runs before the call;
the call itself is the plain ctypes one, which releases the GIL.
"""
import ctypes
import ctypes.util
import glob
import operator
import os
from typing import Callable, List, Optional, Tuple

from ._prototypes import PROTOTYPES
from .errors import RangeError

#: The library version this package was written for: (major, minor).
BINDING_VERSION = (0, 1)

# The integer types of the API (several are the same class on a given platform).
_INTEGER_TYPES = (ctypes.c_int32, ctypes.c_int64, ctypes.c_uint32, ctypes.c_uint64,
                  ctypes.c_int, ctypes.c_size_t)


def _candidates() -> List[Tuple[str, str]]:
    """(what, path-or-name) pairs to try, in order."""
    explicit = os.environ.get("NEARJOB_LIBRARY")
    if explicit:
        return [("NEARJOB_LIBRARY", explicit)]
    found = []
    name = ctypes.util.find_library("nearjob")
    if name:
        found.append(("find_library", name))
    folder = os.path.dirname(os.path.abspath(__file__))
    while True:
        for path in sorted(glob.glob(os.path.join(folder, "build*", "lib", "libnearjob.so*"))):
            if os.path.isfile(path):
                found.append(("build tree", path))
        parent = os.path.dirname(folder)
        if parent == folder:
            return found
        folder = parent


def _load() -> Tuple[ctypes.CDLL, str]:
    tried = []
    for what, path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s %s: %s" % (what, path, e))
    raise ImportError("nearjob: cannot load libnearjob (set NEARJOB_LIBRARY to its path); tried: "
                      + ("; ".join(tried) or "nothing found"))


def _integer_bounds(t) -> Tuple[int, int]:
    bits = 8 * ctypes.sizeof(t)
    if t(-1).value < 0:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _argument(name: str, index: int, value, check: Tuple[int, Optional[int], Optional[int], str]):
    """The value to pass for one checked argument, or an exception."""
    _, lo, hi, c_name = check
    if lo is None:  # a double
        if isinstance(value, (str, bytes)) or not hasattr(type(value), "__float__"):
            raise TypeError("%s() argument %d: expected a number, got %s"
                            % (name, index + 1, type(value).__name__))
        try:
            return float(value)
        except OverflowError:
            raise RangeError("%s() argument %d: %r does not fit a double"
                             % (name, index + 1, value), function=name) from None
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError("%s() argument %d: expected an integer, got %s"
                        % (name, index + 1, type(value).__name__)) from None
    if not lo <= value <= hi:
        raise RangeError("%s() argument %d: %d does not fit %s [%d, %d]"
                         % (name, index + 1, value, c_name, lo, hi), function=name)
    return value


def _guarded(name: str, function: Callable, checks):
    def call(*args):
        for check in checks:
            index, lo, hi, _ = check
            value = args[index]
            kind = type(value)
            if kind is int and lo is not None and lo <= value <= hi:
                continue
            if kind is float and lo is None:
                continue
            args = args[:index] + (_argument(name, index, value, check),) + args[index + 1:]
        return function(*args)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = "%s, arguments checked against their C types" % name
    return call


def _checks(argtypes) -> Tuple[Tuple[int, Optional[int], Optional[int], str], ...]:
    """(index, min, max, C type) of each number argument; min and max None for a double."""
    checks = []
    for index, t in enumerate(argtypes):
        if t is ctypes.c_double:
            checks.append((index, None, None, "double"))
        elif t in _INTEGER_TYPES:
            lo, hi = _integer_bounds(t)
            prefix = "int" if lo < 0 else "uint"
            checks.append((index, lo, hi, "%s%d_t" % (prefix, 8 * ctypes.sizeof(t))))
    return tuple(checks)


class Functions:
    """The library's functions as attributes, each with its prototype applied."""

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self.path = path
        for name, (restype, argtypes) in PROTOTYPES.items():
            try:
                function = getattr(cdll, name)
            except AttributeError:
                raise ImportError("nearjob: %s does not export %s (the binding needs "
                                  "libnearjob %d.%d or later)"
                                  % (path, name, *BINDING_VERSION)) from None
            function.restype = restype
            function.argtypes = argtypes
            checks = _checks(argtypes)
            setattr(self, name, _guarded(name, function, checks) if checks else function)


def _check_version(functions: Functions) -> None:
    number = functions.nj_version_number()
    major, minor = number // 10000, number // 100 % 100
    want_major, want_minor = BINDING_VERSION
    if major != want_major or minor < want_minor:
        raise ImportError("nearjob: %s is version %s; this binding needs %d.x with x >= %d"
                          % (functions.path, functions.nj_version_string().decode(),
                             want_major, want_minor))


def load() -> Functions:
    """Find, load and check the library (see the module docstring)."""
    cdll, path = _load()
    functions = Functions(cdll, path)
    _check_version(functions)
    return functions


#: The loaded library; importing the package loads it.
lib = load()
