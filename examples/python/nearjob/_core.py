"""What the wrapper classes share: the readers-writer lock, owned C handles,
out-parameters, caller buffers and text conversion."""
import ctypes
import os
import threading
import weakref
from ctypes import byref
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from .enums import Status
from .errors import EncodingError, HandleClosedError, error_for

#: Size of the errmsg buffers of the snapshot and statistics loaders
#: (nearjob/snapshot.h: 256 bytes is enough for every message).
ERRMSG_SIZE = 512

Text = Union[str, bytes]
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class RWLock:
    """Many readers at once, or one writer.

    Writers take precedence over newly arriving readers, so a stream of
    queries cannot starve a change. The thread holding the write side may
    take either side again (the wrappers never upgrade a read to a write).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer: Optional[int] = None
        self._writer_depth = 0
        self._writers_waiting = 0

    def acquire_shared(self) -> None:
        """Enter as a reader."""
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._writer_depth += 1
                return
            while self._writer is not None or self._writers_waiting:
                self._cond.wait()
            self._readers += 1

    def release_shared(self) -> None:
        """Leave as a reader."""
        with self._cond:
            if self._writer == threading.get_ident():
                self._release_writer()
                return
            self._readers -= 1
            if self._readers == 0:
                self._cond.notify_all()

    def acquire_exclusive(self) -> None:
        """Enter as the writer."""
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._writer_depth += 1
                return
            self._writers_waiting += 1
            try:
                while self._writer is not None or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = me
            self._writer_depth = 1

    def release_exclusive(self) -> None:
        """Leave as the writer."""
        with self._cond:
            self._release_writer()

    def _release_writer(self) -> None:
        self._writer_depth -= 1
        if self._writer_depth == 0:
            self._writer = None
            self._cond.notify_all()


class _Access:
    """``with owner._shared as handle:`` holds the lock and yields the live
    C handle, or raises HandleClosedError once the owner is closed."""
    __slots__ = ("_owner", "_acquire", "_release")

    def __init__(self, owner: "Owned", acquire: Callable[[], None],
                 release: Callable[[], None]) -> None:
        self._owner = owner
        self._acquire = acquire
        self._release = release

    def __enter__(self) -> Any:
        self._acquire()
        handle = self._owner._handle
        if handle is None:
            self._release()
            raise HandleClosedError("%s is closed" % type(self._owner).__name__)
        return handle

    def __exit__(self, *exc: Any) -> None:
        self._release()


def _destroy(destroy: Callable[[Any], None], handle: Any, keep_alive: Any) -> None:
    # keep_alive (allocator hooks) must outlive the handle they free it with.
    destroy(handle)


class Owned:
    """A C handle owned by this object and destroyed exactly once: by close(),
    by leaving a ``with`` block, or, as a safety net, when the object is
    garbage-collected or the interpreter exits.

    Read-only calls run under the shared side of the object's lock (any
    number of threads at once); changes, and reading the error message a
    failed change left, run under the exclusive side.
    """

    _handle: Any = None

    def _own(self, handle: Any, destroy: Callable[[Any], None], keep_alive: Any = None) -> None:
        self._handle = handle
        self._lock = RWLock()
        self._shared = _Access(self, self._lock.acquire_shared, self._lock.release_shared)
        self._exclusive = _Access(self, self._lock.acquire_exclusive,
                                  self._lock.release_exclusive)
        self._finalizer = weakref.finalize(self, _destroy, destroy, handle, keep_alive)

    def close(self) -> None:
        """Destroy the C handle now. Closing twice does nothing; any other
        use afterwards raises HandleClosedError."""
        self._lock.acquire_exclusive()
        try:
            if self._handle is not None:
                self._handle = None
                self._finalizer()
        finally:
            self._lock.release_exclusive()

    @property
    def closed(self) -> bool:
        """Whether close() has been called."""
        return self._handle is None

    def __enter__(self):
        if self._handle is None:
            raise HandleClosedError("%s is closed" % type(self).__name__)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _message(self, handle: Any) -> str:
        """The detailed message of the last failed change (under the lock)."""
        raise NotImplementedError

    def _modify(self, function: Callable, *args: Any) -> None:
        """Call a changing function on the handle; raise with its message."""
        with self._exclusive as handle:
            status = function(handle, *args)
            if status:
                raise error_for(status, self._message(handle), function.__name__)

    def _query(self, function: Callable, args: Sequence[Any] = (),
               out_types: Sequence[Any] = (), subject: str = "") -> List[Any]:
        """Call a read-only function on the handle with out-parameters of
        `out_types` after `args`; return their values."""
        with self._shared as handle:
            return read_outs(function, (handle, *args), out_types, subject)


def call_with_outs(function: Callable, args: Sequence[Any],
                   out_types: Sequence[Any]) -> Tuple[int, List[Any]]:
    """Call `function(*args, &out...)`; return its status and the outs' values."""
    outs = [t() for t in out_types]
    status = function(*args, *[byref(o) for o in outs])
    return status, [o.value for o in outs]


def read_outs(function: Callable, args: Sequence[Any], out_types: Sequence[Any],
              subject: str = "") -> List[Any]:
    """call_with_outs() for a read-only function: the outs' values, or the
    exception check_read_only() raises."""
    status, values = call_with_outs(function, args, out_types)
    check_read_only(status, function, subject)
    return values


def check_read_only(status: int, function: Callable, subject: str = "") -> None:
    """Raise for a failed read-only call. Those write no message, so the
    exception names the function and what it was asked about."""
    if status:
        name = function.__name__
        raise error_for(status, "%s: %s" % (name, subject) if subject else name, name)


def read_buffer(function: Callable, *args: Any) -> Tuple[int, bytes]:
    """Call a function whose last parameters are (buf, capacity, size *):
    ask for the size, then fill a buffer of that size. Returns the status
    and, on success, the bytes."""
    size = ctypes.c_size_t(0)
    buffer, capacity = None, 0
    for _ in range(4):  # the size cannot change under the lock; retry anyway
        status = function(*args, buffer, capacity, byref(size))
        if status == Status.OK and size.value <= capacity:
            return status, buffer.raw[:size.value] if buffer is not None else b""
        if status not in (Status.OK, Status.BUFFER_TOO_SMALL):
            return status, b""
        capacity = size.value
        buffer = ctypes.create_string_buffer(capacity)
    return Status.BUFFER_TOO_SMALL, b""


def call_with_errmsg(function: Callable, *args: Any) -> Tuple[int, str]:
    """Call a function whose last parameters are (char *errmsg, size_t size)."""
    errmsg = ctypes.create_string_buffer(ERRMSG_SIZE)
    status = function(*args, errmsg, ERRMSG_SIZE)
    return status, errmsg.value.decode("utf-8", "replace")


def _encode(value: Any, what: str) -> bytes:
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise EncodingError("%s: %s" % (what, e)) from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError("%s: expected str or bytes, got %s" % (what, type(value).__name__))


def construct(plain: Callable, with_allocator: Callable, args: Sequence[Any],
              allocator: Any, out: Any) -> None:
    """Call a loader taking (args..., [malloc_fn, realloc_fn, free_fn, user,]
    out, errmsg, errmsg_size): the _with_allocator form when an Allocator
    is given. Raise with the message it wrote."""
    function = plain if allocator is None else with_allocator
    hooks = () if allocator is None else allocator.hooks()
    status, message = call_with_errmsg(function, *args, *hooks, byref(out))
    if status:
        raise error_for(status, message, function.__name__)


def c_string(value: Text, what: str) -> bytes:
    """A str (encoded as UTF-8) or bytes (passed as they are, for the library
    to validate) as a NUL-terminated C string."""
    data = _encode(value, what)
    if b"\0" in data:
        raise EncodingError("%s: contains a NUL character" % what)
    return data


def c_path(path: PathLike) -> bytes:
    """A file system path as a C string."""
    return c_string(os.fsencode(path), "path")


def c_data(data: Union[str, bytes, bytearray, memoryview]) -> bytes:
    """File contents for an import: bytes as they are, or str as UTF-8."""
    return _encode(data, "data")


def py_string(value: Optional[bytes]) -> str:
    """A string returned by the library (always UTF-8)."""
    return value.decode("utf-8") if value is not None else ""
