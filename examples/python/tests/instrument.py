"""Instruments every C call the binding makes while the tests run.

install() replaces each function of nearjob._library.lib by a wrapper that

- records its name in CALLED, so a full run can fail when some function
  was never reached through the binding;
- checks docs/threading.md's rule against the lock the calling thread
  holds, and records any breach in VIOLATIONS: a function taking a
  non-const nj_registry, nj_stats or nj_stats_table pointer needs the
  exclusive side of that object's lock, one taking it const either side;
  one taking only object handles (nj_posting_title, ...) needs some
  registry's lock held. The *_errmsg readers need the exclusive side: the
  binding reads a message in the same exclusive section as the change that
  failed. Result handles (nj_matches) and functions without a handle need
  no lock.

Which thread holds which side is tracked by wrapping RWLock's methods;
which Python object owns a handle, by wrapping Owned._own. A destroy run
by the garbage collector has no live owner and is not checked.
"""
import threading
import weakref
from typing import Callable, Dict, List, NamedTuple, Optional, Set, Tuple

from nearjob import _core, _library
from nearjob._prototypes import PROTOTYPES

from . import cdecl

CALLED: Set[str] = set()
VIOLATIONS: List[str] = []

_OWNER_TYPES = ("nj_registry", "nj_stats", "nj_stats_table")
_OBJECT_TYPES = ("nj_region", "nj_facility", "nj_posting", "nj_participant")


class _Rule(NamedTuple):
    """What a function needs: (argument index, exclusive?) per owner handle,
    and whether it takes object handles alone."""
    owners: Tuple[Tuple[int, bool], ...]
    objects_only: bool


def _rule(decl: cdecl.Declaration) -> _Rule:
    owners, objects = [], False
    for index, (c_type, _) in enumerate(decl.params):
        words = c_type.split()
        if words.count("*") != 1:
            continue  # a value, or an out-parameter (nj_stats **out)
        base = next(w for w in words if w not in ("const", "*"))
        if base in _OWNER_TYPES:
            exclusive = "const" not in words or decl.name.endswith("_errmsg")
            owners.append((index, exclusive))
        elif base in _OBJECT_TYPES:
            objects = True
    return _Rule(tuple(owners), objects and not owners)


class _Held(threading.local):
    """The modes ("shared", "exclusive") the current thread holds, per lock."""

    def __init__(self) -> None:
        self.modes: Dict[int, List[str]] = {}


_held = _Held()
_owners: "weakref.WeakValueDictionary[int, _core.Owned]" = weakref.WeakValueDictionary()


def _track(acquire: Callable, release: Callable, mode: str) -> Tuple[Callable, Callable]:
    def tracked_acquire(lock: _core.RWLock) -> None:
        acquire(lock)
        _held.modes.setdefault(id(lock), []).append(mode)

    def tracked_release(lock: _core.RWLock) -> None:
        _held.modes[id(lock)].remove(mode)
        release(lock)
    return tracked_acquire, tracked_release


def _breach(name: str, rule: _Rule, args: tuple) -> Optional[str]:
    """Why this call breaks the rule, or None."""
    for index, exclusive in rule.owners:
        handle = getattr(args[index], "value", args[index])
        owner = _owners.get(handle) if handle else None
        if owner is None:
            continue  # NULL, or collected: the garbage collector's destroy
        modes = _held.modes.get(id(owner._lock), [])
        if exclusive and "exclusive" not in modes:
            return "%s without the exclusive lock of %r" % (name, owner)
        if not modes:
            return "%s without the lock of %r" % (name, owner)
    if rule.objects_only and not any(_held.modes.values()):
        return "%s without any registry's lock" % name
    return None


def _instrumented(name: str, function: Callable, rule: _Rule) -> Callable:
    def call(*args):
        CALLED.add(name)
        breach = _breach(name, rule, args)
        if breach:
            VIOLATIONS.append("%s (thread %s)" % (breach, threading.current_thread().name))
        return function(*args)
    call.__name__ = name
    return call


def install() -> None:
    """Instrument the loaded library, the lock and handle ownership."""
    lock = _core.RWLock
    lock.acquire_shared, lock.release_shared = _track(lock.acquire_shared,
                                                      lock.release_shared, "shared")
    lock.acquire_exclusive, lock.release_exclusive = _track(
        lock.acquire_exclusive, lock.release_exclusive, "exclusive")
    own = _core.Owned._own

    def recording_own(self, handle, *args, **kwargs):
        own(self, handle, *args, **kwargs)
        _owners[handle.value] = self
    _core.Owned._own = recording_own
    declared = cdecl.by_name()
    for name in PROTOTYPES:
        setattr(_library.lib, name,
                _instrumented(name, getattr(_library.lib, name), _rule(declared[name])))
