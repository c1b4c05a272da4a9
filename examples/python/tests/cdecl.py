"""Read the NJ_API declarations of the public headers, for the tests.

The binding's table (nearjob/_prototypes.py) is written by hand; these
helpers parse include/nearjob/*.h independently so that test_prototypes.py
can check every entry against the header it mirrors, and list the
exported names of lib/nearjob.map.
"""
import ctypes
import os
import re
from typing import Dict, List, NamedTuple, Tuple

from nearjob import _prototypes as P

SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
INCLUDE_DIR = os.path.join(SOURCE_ROOT, "include", "nearjob")
MAP_PATH = os.path.join(SOURCE_ROOT, "lib", "nearjob.map")


class Declaration(NamedTuple):
    """One exported function as its header declares it."""
    name: str
    restype: str
    params: Tuple[Tuple[str, str], ...]  # (C type, parameter name)
    header: str


_SCALARS = {
    "nj_status": ctypes.c_int32,
    "int32_t": ctypes.c_int32,
    "int64_t": ctypes.c_int64,
    "uint32_t": ctypes.c_uint32,
    "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t,
    "int": ctypes.c_int,
    "double": ctypes.c_double,
    "char": ctypes.c_char,
}

_HANDLES = {
    "nj_registry": P.RegistryPtr,
    "nj_region": P.RegionPtr,
    "nj_facility": P.FacilityPtr,
    "nj_posting": P.PostingPtr,
    "nj_participant": P.ParticipantPtr,
    "nj_matches": P.MatchesPtr,
    "nj_stats": P.StatsPtr,
    "nj_stats_table": P.StatsTablePtr,
}

_CALLBACKS = {
    "nj_malloc_fn": P.MallocFn,
    "nj_realloc_fn": P.ReallocFn,
    "nj_free_fn": P.FreeFn,
}


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _split_type_and_name(param: str) -> Tuple[str, str]:
    match = re.match(r"^(.*?)([A-Za-z_][A-Za-z0-9_]*)$", param.strip())
    if not match:
        raise ValueError("cannot parse parameter %r" % param)
    return " ".join(match.group(1).replace("*", " * ").split()), match.group(2)


def declarations() -> List[Declaration]:
    """Every `NJ_API` function declared under include/nearjob/, in header order."""
    found = []
    for header in sorted(os.listdir(INCLUDE_DIR)):
        with open(os.path.join(INCLUDE_DIR, header), encoding="utf-8") as f:
            text = _strip_comments(f.read())
        for match in re.finditer(r"^\s*NJ_API\s+([^;]*?)\(([^;]*?)\)\s*;", text, flags=re.M):
            restype, name = _split_type_and_name(match.group(1))
            params = match.group(2).strip()
            parsed = ()
            if params != "void":
                parsed = tuple(_split_type_and_name(p) for p in params.split(","))
            found.append(Declaration(name, restype, parsed, header))
    return found


def exported_names() -> List[str]:
    """The global symbols of lib/nearjob.map, sorted."""
    with open(MAP_PATH, encoding="utf-8") as f:
        text = _strip_comments(f.read())
    names = []
    for block in re.findall(r"global:(.*?)local:", text, flags=re.S):
        names += [n.strip() for n in block.split(";") if n.strip()]
    return sorted(names)


def ctype_of(c_type: str):
    """The ctypes type a C type of the API must be declared as."""
    words = c_type.replace("const", " ").split()
    stars = words.count("*")
    base = " ".join(w for w in words if w != "*")
    if base == "void":
        return None if stars == 0 else ctypes.c_void_p  # void * is one pointer level
    if base in _CALLBACKS and stars == 0:
        return _CALLBACKS[base]
    if base in _HANDLES:
        t = _HANDLES[base]
        stars -= 1  # the handle class is itself the pointer
    elif base == "char" and stars >= 1 and "const" in c_type.split("*")[0]:
        t = ctypes.c_char_p  # const char *: a NUL-terminated string
        stars -= 1
    elif base in _SCALARS:
        t = _SCALARS[base]
    else:
        raise ValueError("no ctypes mapping for %r" % c_type)
    for _ in range(stars):
        t = ctypes.POINTER(t)
    return t


def expected_prototype(decl: Declaration) -> Tuple[object, Tuple[object, ...]]:
    """(restype, argtypes) the header's declaration calls for."""
    return ctype_of(decl.restype), tuple(ctype_of(t) for t, _ in decl.params)


def by_name() -> Dict[str, Declaration]:
    """The declarations keyed by function name."""
    return {d.name: d for d in declarations()}
