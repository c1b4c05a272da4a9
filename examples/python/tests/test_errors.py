"""nj_status -> exception mapping, and every status provoked through the
binding with the library's own message."""
import ctypes
import os
import pickle
import tempfile
import unittest

import nearjob
from nearjob import FacilityKind, Option, RegionLevel, Status
from nearjob._core import check_read_only, read_buffer
from nearjob.errors import error_for

from . import support
from .support import RegistryTestCase

CLASSES = {
    Status.INVALID: nearjob.InvalidError,
    Status.NOMEM: nearjob.NoMemoryError,
    Status.NOT_FOUND: nearjob.NotFoundError,
    Status.EXISTS: nearjob.ExistsError,
    Status.RANGE: nearjob.RangeError,
    Status.INELIGIBLE: nearjob.IneligibleError,
    Status.CLOSED: nearjob.ClosedError,
    Status.CAP: nearjob.CapError,
    Status.IO: nearjob.NearjobIOError,
    Status.CORRUPT: nearjob.CorruptError,
    Status.VERSION: nearjob.VersionError,
    Status.ENCODING: nearjob.EncodingError,
    Status.BUFFER_TOO_SMALL: nearjob.BufferTooSmallError,
    Status.UNSUPPORTED: nearjob.UnsupportedError,
    Status.IN_USE: nearjob.InUseError,
}


class Mapping(unittest.TestCase):
    def test_one_class_per_status(self):
        self.assertEqual(sorted(CLASSES), [s for s in Status if s != Status.OK])
        for status, cls in CLASSES.items():
            e = error_for(status, "the message", "nj_fn")
            self.assertIs(type(e), cls)
            self.assertIsInstance(e, nearjob.NearjobError)
            self.assertEqual(e.status, status)
            self.assertIs(type(e.status), Status)
            self.assertEqual(e.message, "the message")
            self.assertEqual(e.function, "nj_fn")
            self.assertEqual(str(e), "the message (%s)" % nearjob.status_string(status))

    def test_builtin_bases(self):
        self.assertTrue(issubclass(nearjob.InvalidError, ValueError))
        self.assertTrue(issubclass(nearjob.RangeError, ValueError))
        self.assertTrue(issubclass(nearjob.NotFoundError, KeyError))
        self.assertTrue(issubclass(nearjob.NoMemoryError, MemoryError))
        self.assertTrue(issubclass(nearjob.NearjobIOError, OSError))
        self.assertTrue(issubclass(nearjob.HandleClosedError, nearjob.InvalidError))

    def test_an_unknown_status_is_a_generic_error(self):
        e = error_for(99, "later", "nj_fn")
        self.assertIs(type(e), nearjob.NearjobError)
        self.assertEqual(e.status, 99)
        self.assertEqual(str(e), "later (unknown status)")

    def test_status_strings(self):
        self.assertEqual(nearjob.status_string(Status.NOT_FOUND), "NJ_E_NOT_FOUND: not found")
        self.assertEqual(nearjob.status_string(0), "NJ_OK: success")
        self.assertEqual(nearjob.status_string(-7), "unknown status")

    def test_exceptions_pickle(self):
        e = pickle.loads(pickle.dumps(error_for(Status.EXISTS, "facility 1 already exists")))
        self.assertIs(type(e), nearjob.ExistsError)
        self.assertEqual(e.status, Status.EXISTS)
        self.assertEqual(str(e), "facility 1 already exists (NJ_E_EXISTS: already exists)")


class Provoked(RegistryTestCase):
    """Each status from a real call, carrying the message read under the lock."""

    def assert_fails(self, cls, message, call, *args):
        with self.assertRaises(cls) as cm:
            call(*args)
        self.assertEqual(cm.exception.message, message)
        return cm.exception

    def test_invalid(self):
        reg = self.keep(nearjob.Registry())
        e = self.assert_fails(nearjob.InvalidError,
                              "facility 2: kind 8 is not an nj_facility_kind (1..7)",
                              reg.add_facility, 2, 8, "a", 35.1, 126.8)
        self.assertEqual(e.function, "nj_facility_add")
        self.assertEqual(reg.last_error_message,
                         "facility 2: kind 8 is not an nj_facility_kind (1..7)")

    def test_no_memory(self):
        allocator = support.FailingAllocator()
        reg = self.keep(nearjob.Registry(allocator))
        reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구")
        allocator.fail_from = allocator.seen + 1
        with self.assertRaises(nearjob.NoMemoryError) as cm:
            reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.18, 126.82)
        self.assertEqual(cm.exception.status, Status.NOMEM)
        allocator.fail_from = None
        self.assertEqual(len(reg.facilities), 0)  # nothing changed; retry works
        reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.18, 126.82)
        self.assertEqual(len(reg.facilities), 1)

    def test_no_memory_when_creating(self):
        with self.assertRaises(nearjob.NoMemoryError) as cm:
            nearjob.Registry(support.FailingAllocator(fail_from=1))
        self.assertEqual(cm.exception.message, "cannot create a registry")

    def test_not_found_and_exists(self):
        reg = self.keep(support.two_jobs())
        self.assert_fails(nearjob.NotFoundError, "participant 99 not found",
                          reg.submit_application, 99, 10, 20230221)
        self.assert_fails(nearjob.ExistsError, "facility 1 already exists",
                          reg.add_facility, 1, 1, "dup", 35.1, 126.8)

    def test_range(self):
        reg = self.keep(nearjob.Registry())
        self.assert_fails(nearjob.RangeError, "facility 2: latitude 90.0000001 outside [-90, 90]",
                          reg.add_facility, 2, 1, "a", 90.0000001, 126.8)
        reg.add_facility(1, 1, "a", 35.1, 126.8)
        posting = reg.add_posting(2, 1, "b", 1)
        with self.assertRaises(nearjob.RangeError) as cm:
            posting.slots = -1
        self.assertEqual(cm.exception.message, "posting 2: slots -1 outside [0, 1000000]")

    def test_ineligible_and_closed(self):
        reg = self.keep(support.two_jobs())
        reg.add_participant(3, 19630515, False, 35.18, 126.82, 20230101)
        self.assert_fails(nearjob.IneligibleError,
                          "entry 2: participant 3 is not selected for posting 10",
                          reg.record_work, 2, 3, 10, 20230302, 60)
        self.assert_fails(nearjob.ClosedError, "posting 10: selection is done (on 20230225)",
                          reg.submit_application, 3, 10, 20230221)

    def test_cap(self):
        reg = self.keep(support.two_jobs())
        reg.set_option(Option.ROUNDING, nearjob.Rounding.HALF_UP)
        reg.set_option(Option.BUDGET_KRW, 100000)
        reg.record_work(1, 1, 20, 20230401, 7)
        reg.record_work(2, 1, 20, 20230402, 3)
        self.assert_fails(nearjob.CapError, "entry 3: the period's stipend total 100300 KRW "
                          "would exceed the budget 100000 KRW",
                          reg.record_work, 3, 1, 20, 20230403, 590)

    def test_io(self):
        with tempfile.TemporaryDirectory() as folder:
            missing = os.path.join(folder, "missing.njs")
            with self.assertRaises(nearjob.NearjobIOError) as cm:
                nearjob.Registry.load_snapshot(missing)
            self.assertIn(missing, cm.exception.message)
            self.assertIn("No such file or directory", cm.exception.message)
            self.assertIsInstance(cm.exception, OSError)

    def test_corrupt_and_version(self):
        reg = self.keep(support.real_figures())
        stats = self.keep(reg.compute_stats(20240101, 20241231))
        data = bytearray(stats.to_bytes())
        self.assertEqual(bytes(data[:8]), b"NJST\x01\0\0\0")
        data[4] = 2
        self.assert_fails(nearjob.VersionError,
                          "statistics at byte 8: format version 2 is newer than this library's 1",
                          nearjob.Stats.from_bytes, bytes(data))
        data[4] = 1
        data[-1] ^= 0x80
        with self.assertRaises(nearjob.CorruptError) as cm:
            nearjob.Stats.from_bytes(bytes(data))
        self.assertIn("checksum mismatch", cm.exception.message)

    def test_encoding(self):
        reg = self.keep(nearjob.Registry())
        with self.assertRaises(nearjob.EncodingError) as cm:
            reg.add_facility(2, 1, b"\xB5\xB5\xBC\xAD\xB0\xFC", 35.1, 126.8)  # CP949 bytes
        self.assertEqual(cm.exception.function, "nj_facility_add")
        self.assertEqual(len(reg.facilities), 0)
        # Caught before the call: text C cannot hold.
        with self.assertRaises(nearjob.EncodingError):
            reg.add_facility(2, 1, "a\0b", 35.1, 126.8)
        with self.assertRaises(nearjob.EncodingError):
            reg.add_facility(2, 1, "\udc80", 35.1, 126.8)

    def test_unsupported(self):
        reg = self.keep(support.two_jobs())
        with self.assertRaises(nearjob.UnsupportedError):
            reg.set_option(99, 1)
        with self.assertRaises(nearjob.UnsupportedError) as cm:
            reg.match_for_posting(10, 20230221, flags=2)
        self.assertEqual(cm.exception.message, "nj_match_for_posting: posting 10")
        with self.assertRaises(nearjob.UnsupportedError):
            nearjob.option_bounds(99)

    def test_in_use(self):
        reg = self.keep(nearjob.Registry())
        reg.add_region(support.GWANGJU, RegionLevel.PROVINCE, "광주광역시")
        reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구", support.GWANGJU)
        self.assert_fails(nearjob.InUseError, "region 29 still has child regions (1)",
                          reg.regions.remove, support.GWANGJU)

    def test_buffer_too_small_is_retried_inside(self):
        sizes = iter([10, 20, 30, 40, 50])

        def growing(buf, capacity, size):
            size._obj.value = next(sizes)
            return Status.BUFFER_TOO_SMALL
        growing.__name__ = "nj_growing"
        status, data = read_buffer(growing)
        self.assertEqual(status, Status.BUFFER_TOO_SMALL)
        with self.assertRaises(nearjob.BufferTooSmallError) as cm:
            check_read_only(status, growing, "test")
        self.assertEqual(cm.exception.message, "nj_growing: test")
        # The real buffer APIs: the size is asked for, then filled.
        reg = self.keep(nearjob.Registry())
        header = (b"\xEF\xBB\xBFentry_id,participant_id,posting_id,date,minutes,void,"
                  b"paid_minutes,amount_krw\r\n")
        self.assertEqual(reg.export_csv(nearjob.CsvObject.WORK_ENTRIES), header)
        needed = ctypes.c_size_t()
        small = ctypes.create_string_buffer(8)
        with reg._shared as handle:
            self.assertEqual(nearjob._library.lib.nj_csv_export(
                handle, nearjob.CsvObject.WORK_ENTRIES, small, 8, ctypes.byref(needed)),
                Status.BUFFER_TOO_SMALL)
        self.assertEqual(needed.value, len(header))
