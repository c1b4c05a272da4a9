"""Exceptions: one class per nj_status, all derived from NearjobError.

Each carries ``status`` (the nj_status code), ``message`` (the library's
detailed message: nj_registry_errmsg() read under the registry's lock right
after the failing call, the errmsg buffer of the snapshot and statistics
loaders, or for read-only functions, which write no message, the function
and its subject) and ``function`` (the C function that failed).

Where a Python built-in exception means the same thing, the class derives
from it too, so ``except ValueError`` catches bad input and ``except
KeyError`` catches a missing object.
"""
from typing import Dict, Optional, Type

from .enums import Status


class NearjobError(Exception):
    """A nearjob call failed; ``status`` says how, ``message`` says where."""

    #: The status this class stands for (None: any, e.g. a code added later).
    STATUS: Optional[int] = None

    def __init__(self, message: str = "", *, status: Optional[int] = None,
                 function: Optional[str] = None) -> None:
        super().__init__(message)
        self.status: Optional[int] = self.STATUS if status is None else status
        self.message = message
        self.function = function

    def __str__(self) -> str:
        from . import _library  # the library is loaded before any error can occur
        text = _library.lib.nj_status_str(self.status).decode() if self.status is not None else ""
        if not self.message:
            return text
        return "%s (%s)" % (self.message, text) if text else self.message


class InvalidError(NearjobError, ValueError):
    """NJ_E_INVALID: an argument is malformed (bad enum, bad date, NaN, ...)."""
    STATUS = Status.INVALID


class NoMemoryError(NearjobError, MemoryError):
    """NJ_E_NOMEM: an allocation failed; nothing was changed."""
    STATUS = Status.NOMEM


class NotFoundError(NearjobError, KeyError):
    """NJ_E_NOT_FOUND: no object with that id (or it has been removed)."""
    STATUS = Status.NOT_FOUND


class ExistsError(NearjobError):
    """NJ_E_EXISTS: an object with that id already exists."""
    STATUS = Status.EXISTS


class RangeError(NearjobError, ValueError):
    """NJ_E_RANGE: a value is outside its documented range (or its C type)."""
    STATUS = Status.RANGE


class IneligibleError(NearjobError):
    """NJ_E_INELIGIBLE: the participant does not meet the posting's rules."""
    STATUS = Status.INELIGIBLE


class ClosedError(NearjobError):
    """NJ_E_CLOSED: the posting or application window is closed."""
    STATUS = Status.CLOSED


class CapError(NearjobError):
    """NJ_E_CAP: a stipend or budget cap has been reached."""
    STATUS = Status.CAP


class NearjobIOError(NearjobError, OSError):
    """NJ_E_IO: a file operation failed (the message names the call and file)."""
    STATUS = Status.IO


class CorruptError(NearjobError, ValueError):
    """NJ_E_CORRUPT: stored or imported data is malformed."""
    STATUS = Status.CORRUPT


class VersionError(NearjobError):
    """NJ_E_VERSION: data written by a newer, incompatible version."""
    STATUS = Status.VERSION


class EncodingError(NearjobError, ValueError):
    """NJ_E_ENCODING: text is not valid UTF-8 (or its declared encoding)."""
    STATUS = Status.ENCODING


class BufferTooSmallError(NearjobError):
    """NJ_E_BUFFER_TOO_SMALL: the wrappers retry with a larger buffer, so this
    reaches the caller only if the size needed keeps changing."""
    STATUS = Status.BUFFER_TOO_SMALL


class UnsupportedError(NearjobError):
    """NJ_E_UNSUPPORTED: an unknown option or flag, or a feature not built in."""
    STATUS = Status.UNSUPPORTED


class InUseError(NearjobError):
    """NJ_E_IN_USE: the object is still referenced and cannot be removed."""
    STATUS = Status.IN_USE


class HandleClosedError(InvalidError):
    """The Registry, Stats or StatsTable was closed; its C handle is gone."""


_BY_STATUS: Dict[int, Type[NearjobError]] = {
    cls.STATUS: cls for cls in (
        InvalidError, NoMemoryError, NotFoundError, ExistsError, RangeError,
        IneligibleError, ClosedError, CapError, NearjobIOError, CorruptError,
        VersionError, EncodingError, BufferTooSmallError, UnsupportedError, InUseError)
}


def error_for(status: int, message: str, function: Optional[str] = None) -> NearjobError:
    """The exception for a failed call: its class is that of the status,
    NearjobError itself for a code this binding does not know."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        return NearjobError(message, status=status, function=function)
    return cls(message, function=function)
