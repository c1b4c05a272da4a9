"""Allocator hooks written in Python (nj_registry_create_with_allocator)."""
import ctypes
import threading
from typing import Optional, Tuple

from ._prototypes import FreeFn, MallocFn, ReallocFn

_libc = ctypes.CDLL(None)
_libc.malloc.restype = ctypes.c_void_p
_libc.malloc.argtypes = (ctypes.c_size_t,)
_libc.realloc.restype = ctypes.c_void_p
_libc.realloc.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_libc.free.restype = None
_libc.free.argtypes = (ctypes.c_void_p,)


class Allocator:
    """Routes every allocation of a registry (or loaded statistics) through
    Python, counting the blocks in use.

    The default methods call the C library's malloc, realloc and free;
    override them to put the memory elsewhere or to fail allocations. A
    malloc or realloc that raises, or returns None, fails that one
    allocation: the nearjob call then raises NoMemoryError and changes
    nothing.

    The hooks run with the GIL held, from whichever thread the library
    allocates on (nj_match_batch's worker threads included), so keep them
    short, and never call into nearjob from them. The object must stay
    alive as long as anything allocated through it; the Registry, Stats
    and StatsTable objects using it hold a reference for that.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.blocks_in_use = 0
        self.calls = 0
        self._c_hooks = (MallocFn(self._malloc_hook), ReallocFn(self._realloc_hook),
                         FreeFn(self._free_hook))

    def malloc(self, size: int) -> Optional[int]:
        """Allocate `size` bytes; the address, or None on failure."""
        return _libc.malloc(size)

    def realloc(self, ptr: Optional[int], size: int) -> Optional[int]:
        """Resize a block (ptr None: allocate); the new address, or None."""
        return _libc.realloc(ptr, size)

    def free(self, ptr: Optional[int]) -> None:
        """Free a block (None: do nothing)."""
        _libc.free(ptr)

    def hooks(self) -> Tuple[MallocFn, ReallocFn, FreeFn, None]:
        """The (malloc_fn, realloc_fn, free_fn, user) arguments of the C API."""
        return self._c_hooks + (None,)

    def _count(self, calls: int, blocks: int) -> None:
        with self._lock:
            self.calls += calls
            self.blocks_in_use += blocks

    def _malloc_hook(self, size: int, user: Optional[int]) -> Optional[int]:
        try:
            ptr = self.malloc(size)
        except Exception:
            ptr = None
        self._count(1, 1 if ptr else 0)
        return ptr

    def _realloc_hook(self, ptr: Optional[int], size: int, user: Optional[int]) -> Optional[int]:
        try:
            new = self.realloc(ptr, size)
        except Exception:
            new = None
        self._count(1, 1 if new and not ptr else 0)
        return new

    def _free_hook(self, ptr: Optional[int], user: Optional[int]) -> None:
        if ptr:
            self._count(0, -1)
        self.free(ptr)
