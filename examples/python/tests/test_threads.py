"""Read-only queries from several threads at once, changes serialised per
registry, and the error message belonging to the call that failed."""
import ctypes
import random
import threading
import unittest

import nearjob
from nearjob import MatchTarget, _library
from nearjob._core import RWLock

from . import instrument, support
from .support import RegistryTestCase

THREADS = 4
ROUNDS = 300


def run_threads(target, n=THREADS):
    """Run target(i) on n threads; re-raise the first exception."""
    errors = []

    def body(i):
        try:
            target(i)
        except BaseException as e:  # noqa: B902 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
        if t.is_alive():
            raise AssertionError("a thread did not finish: deadlock?")
    if errors:
        raise errors[0]


class ConcurrentReads(RegistryTestCase):
    def setUp(self):
        self.reg = self.keep(support.gwangju())
        rng = random.Random(11)
        for i in range(1, 2001):
            self.reg.add_participant(i, 19500101 + rng.randrange(50) * 10000, False,
                                     35.10 + 0.12 * rng.random(), 126.70 + 0.15 * rng.random(),
                                     20230101)
        self.centres = [(35.10 + 0.12 * rng.random(), 126.70 + 0.15 * rng.random())
                        for _ in range(20)]
        self.expected = [self.reg.query_radius(MatchTarget.PARTICIPANTS, lat, lon, 1500)
                         for lat, lon in self.centres]
        self.libraries = support.gwangju_libraries()

    def test_four_threads_of_radius_queries_agree_with_the_precomputed_answers(self):
        done = [0] * THREADS

        def reader(i):
            for k in range(ROUNDS):
                j = (i * 7 + k) % len(self.centres)
                got = self.reg.query_radius(MatchTarget.PARTICIPANTS, *self.centres[j], 1500)
                if got != self.expected[j]:
                    raise AssertionError("thread %d, round %d: a different answer" % (i, k))
                done[i] += 1

        run_threads(reader)
        self.assertEqual(done, [ROUNDS] * THREADS)
        self.assertTrue(all(self.expected))

    def test_locate_and_getters_from_several_threads(self):
        def reader(i):
            for name, lat, lon, dong in self.libraries[i::THREADS]:
                region = self.reg.locate(lat, lon)
                if region.id != dong or not region.is_within(self.reg.regions[29]):
                    raise AssertionError("%s: located in %s" % (name, region.id))
                region.name  # noqa: B018 (a read-only getter under the shared lock)

        run_threads(reader)

    def test_readers_with_a_writer_on_the_same_registry(self):
        far = 10000  # participants added and removed on Jeju, far from every centre
        stop = threading.Event()

        def writer():
            for k in range(200):
                self.reg.add_participant(far + k, 19800101, False, 33.4, 126.5, 20230101)
                self.reg.participants[far + k].set_home(33.41, 126.51, 20230102)
                self.reg.participants.remove(far + k)
            stop.set()

        def reader(i):
            if i == 0:
                writer()
                return
            k = 0
            while not stop.is_set() or k < 50:
                j = (i + k) % len(self.centres)
                got = self.reg.query_radius(MatchTarget.PARTICIPANTS, *self.centres[j], 1500)
                if got != self.expected[j]:
                    raise AssertionError("a query saw a half-made change")
                k += 1

        run_threads(reader)
        self.assertEqual(len(self.reg.participants), 2000)

    def test_an_object_removed_under_readers_raises_cleanly(self):
        posting_ids = list(range(1, 101))
        self.reg.add_facility(1, nearjob.FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
        for p in posting_ids:
            self.reg.add_posting(p, 1, "job %d" % p, 1)
        postings = [self.reg.postings[p] for p in posting_ids]

        def body(i):
            if i == 0:
                for p in posting_ids:
                    self.reg.postings.remove(p)
                return
            for _ in range(5):
                for posting in postings:
                    try:
                        title = posting.title
                    except nearjob.NotFoundError:
                        continue
                    if title != "job %d" % posting.id:
                        raise AssertionError(title)

        run_threads(body)
        self.assertEqual(len(self.reg.postings), 0)


class Rendezvous(nearjob.Allocator):
    """Holds each thread's first allocation, once armed, until two threads
    are inside an allocation: that is, inside C calls at the same time."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.barrier = threading.Barrier(2, timeout=30)
        self.met = set()

    def _meet(self) -> None:
        me = threading.get_ident()
        if self.armed and me not in self.met:
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:
                return  # the other thread never got in: met stays short
            self.met.add(me)

    def malloc(self, size):
        self._meet()
        return super().malloc(size)

    def realloc(self, ptr, size):
        self._meet()
        return super().realloc(ptr, size)


class ReadsOverlap(RegistryTestCase):
    def test_two_queries_are_inside_the_library_at_once(self):
        # Neither the GIL nor the registry's lock serialises read-only calls.
        allocator = Rendezvous()
        reg = self.keep(nearjob.Registry(allocator))
        reg.add_participant(1, 19800101, False, 35.1395, 126.7937, 20230101)
        allocator.armed = True
        rows = [None, None]

        def query(i):
            rows[i] = reg.query_radius(MatchTarget.PARTICIPANTS, 35.1395, 126.7937, 10)

        run_threads(query, n=2)
        self.assertEqual(len(allocator.met), 2)
        self.assertEqual(rows, [[nearjob.Match(1, 0.0)]] * 2)


class SerialisedChanges(RegistryTestCase):
    def test_each_failure_carries_its_own_message(self):
        reg = self.keep(nearjob.Registry())
        for i in range(THREADS):
            reg.add_facility(i + 1, nearjob.FacilityKind.OTHER, "f", 35.1, 126.8)

        def body(i):
            for k in range(ROUNDS):
                try:
                    reg.add_facility(i + 1, nearjob.FacilityKind.OTHER, "dup", 35.1, 126.8)
                except nearjob.ExistsError as e:
                    if e.message != "facility %d already exists" % (i + 1):
                        raise AssertionError("thread %d got %r" % (i, e.message))
                else:
                    raise AssertionError("no error")
                reg.add_participant(1000 * (i + 1) + k, 19800101, False, 35.1, 126.8, 20230101)

        run_threads(body)
        self.assertEqual(len(reg.participants), THREADS * ROUNDS)

    def test_merging_both_ways_at_once_does_not_deadlock(self):
        reg = self.keep(support.real_figures())
        a = self.keep(reg.compute_stats(20220101, 20221231))
        b = self.keep(reg.compute_stats(20220101, 20221231))
        run_threads(lambda i: [(a.merge(b) if i % 2 else b.merge(a)) for _ in range(5)], n=2)
        row = a.find_row(2022, support.DONGJAK, 0)
        self.assertGreater(a.value(row, nearjob.Measure.ACHIEVED), 21665)


class LockRuleCheck(RegistryTestCase):
    """tests/instrument.py's check, which every call of the suite passes
    (the last test), does catch a call under the wrong lock."""

    def test_calls_under_the_wrong_lock_are_recorded(self):
        reg = self.keep(nearjob.Registry())
        reg.add_facility(1, nearjob.FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
        lib, before = _library.lib, len(instrument.VIOLATIONS)
        with reg._shared as handle:
            lib.nj_target_set(handle, 2023, 29200, 0, 18032)  # a change beside readers
            facility = lib.nj_facility_get(handle, 1)
        lib.nj_facility_name(facility)  # a getter with no lock at all
        lib.nj_registry_errmsg(reg._handle)  # a message outside the change's section
        with reg._exclusive as handle:
            lib.nj_target_get(handle, 2023, 29200, 0, ctypes.byref(ctypes.c_int64()))
            lib.nj_facility_name(lib.nj_facility_get(handle, 1))
            lib.nj_registry_errmsg(handle)
        caught = instrument.VIOLATIONS[before:]
        del instrument.VIOLATIONS[before:]
        self.assertEqual([v.split(" (thread")[0] for v in caught], [
            "nj_target_set without the exclusive lock of <nearjob.Registry>",
            "nj_facility_name without any registry's lock",
            "nj_registry_errmsg without the exclusive lock of <nearjob.Registry>",
        ])


class Lock(unittest.TestCase):
    """The readers-writer lock itself: readers share, a writer excludes."""

    def test_two_readers_hold_it_together(self):
        lock = RWLock()
        lock.acquire_shared()
        entered = threading.Event()

        def second_reader():
            lock.acquire_shared()
            entered.set()
            lock.release_shared()

        t = threading.Thread(target=second_reader)
        t.start()
        self.assertTrue(entered.wait(30))
        t.join()
        lock.release_shared()

    def test_a_writer_waits_for_readers_and_new_readers_wait_for_it(self):
        lock = RWLock()
        lock.acquire_shared()
        wrote, read = threading.Event(), threading.Event()

        def writer():
            lock.acquire_exclusive()
            wrote.set()
            lock.release_exclusive()

        def late_reader():
            lock.acquire_shared()
            read.set()
            lock.release_shared()

        w = threading.Thread(target=writer)
        w.start()
        while not lock._writers_waiting:
            threading.Event().wait(0.001)
        r = threading.Thread(target=late_reader)
        r.start()
        w.join(0.2)
        self.assertFalse(wrote.is_set())   # held off by the first reader
        self.assertFalse(read.is_set())    # writers first
        lock.release_shared()
        w.join(30)
        r.join(30)
        self.assertTrue(wrote.is_set() and read.is_set())

    def test_the_writer_may_enter_again(self):
        lock = RWLock()
        lock.acquire_exclusive()
        lock.acquire_shared()
        lock.acquire_exclusive()
        lock.release_exclusive()
        lock.release_shared()
        lock.release_exclusive()
        self.assertIsNone(lock._writer)
        lock.acquire_shared()
        lock.release_shared()
