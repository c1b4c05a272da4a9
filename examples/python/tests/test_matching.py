"""Distances, radius queries and the matchers, against hand-computed values
and an independent brute-force haversine scan."""
import math
import random
import unittest

import nearjob
from nearjob import MatchFlag, MatchOrder, MatchTarget, SelectionMethod

from .support import RegistryTestCase

EARTH_RADIUS_M = 6371008.8


def haversine(lat1, lon1, lat2, lon2):
    """The library's distance model, written independently."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def library_scene():
    """tests/test_match.c's scene: postings 10 and 11 at 신가도서관,
    20 at 운남어린이도서관; resident 1 at 광산구청, 2 beside 신가도서관."""
    reg = nearjob.Registry()
    reg.add_facility(1, nearjob.FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
    reg.add_facility(2, nearjob.FacilityKind.LIBRARY, "운남어린이도서관", 35.1732666, 126.8218974)
    reg.add_posting(10, 1, "도서 정리", 2)
    reg.add_posting(11, 1, "북스타트 도우미", 1)
    reg.add_posting(20, 2, "어린이 열람실", 3)
    reg.add_participant(1, 19630515, False, 35.1395, 126.7937, 20230301)
    reg.add_participant(2, 19990101, False, 35.1830, 126.8280, 20230301)
    return reg


def residents(reg, n, seed):
    """n seeded residents around Gwangsan-gu; (id, lat, lon) as stored."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        reg.add_participant(i, 19600101 + rng.randrange(40) * 10000, False,
                            round(35.10 + 0.12 * rng.random(), 7),
                            round(126.70 + 0.15 * rng.random(), 7), 20230101)
    return [(p.id, *p.home) for p in reg.participants]


class Distance(unittest.TestCase):
    def test_haversine_on_the_iugg_sphere(self):
        # One degree of the equator: 6 371 008.8 m x pi / 180.
        self.assertAlmostEqual(nearjob.distance(0, 0, 0, 1), 111195.0802335329, 6)
        self.assertAlmostEqual(EARTH_RADIUS_M * math.pi / 180, 111195.0802335329, 6)
        self.assertAlmostEqual(nearjob.distance(0, 179.5, 0, -179.5), 111195.0802335332, 6)
        # Seoul City Hall to Gwangju City Hall.
        self.assertAlmostEqual(nearjob.distance(37.5663, 126.9779, 35.1601, 126.8514),
                               267797.17124472954, 5)
        self.assertAlmostEqual(nearjob.distance(90, 0, -90, 0), nearjob.MAX_RADIUS_M, 2)
        self.assertEqual(nearjob.distance(35, 126, 35, 126), 0.0)
        with self.assertRaises(nearjob.RangeError) as cm:
            nearjob.distance(math.nan, 0, 0, 0)
        self.assertEqual(cm.exception.message, "nj_distance: (nan, 0) to (0, 0)")
        with self.assertRaises(nearjob.RangeError):
            nearjob.distance(0, 0, 0, 180.5)


class RadiusQueries(RegistryTestCase):
    def test_postings_share_their_facility_location(self):
        reg = self.keep(library_scene())
        # 광산구청 -> 신가도서관 is 5 716.3 m (hand-checked haversine).
        rows = reg.query_radius(MatchTarget.POSTINGS, 35.1395, 126.7937, 5716.33)
        self.assertEqual([r.id for r in rows], [20, 10, 11])
        self.assertAlmostEqual(rows[1].distance_m, 5716.3249259520835, 6)
        self.assertEqual(rows[1].distance_m, rows[2].distance_m)
        self.assertAlmostEqual(rows[1].distance_m,
                               haversine(35.1395, 126.7937, 35.1826649, 126.8278526), 6)
        self.assertEqual(len(reg.query_radius(MatchTarget.POSTINGS, 35.1395, 126.7937, 5716.32)),
                         1)
        self.assertIsInstance(rows[0], nearjob.Match)
        self.assertEqual(rows[0], (20, rows[0].distance_m))

    def test_against_brute_force(self):
        reg = self.keep(nearjob.Registry())
        homes = residents(reg, 400, seed=8)
        centre, radius = (35.16, 126.78), 2500.0
        want = sorted((haversine(*centre, lat, lon), i) for i, lat, lon in homes
                      if haversine(*centre, lat, lon) <= radius)
        rows = reg.query_radius(MatchTarget.PARTICIPANTS, *centre, radius)
        self.assertEqual([r.id for r in rows], [i for _, i in want])
        for row, (d, _) in zip(rows, want):
            self.assertAlmostEqual(row.distance_m, d, 6)
        unordered = reg.query_radius(MatchTarget.PARTICIPANTS, *centre, radius, MatchOrder.NONE)
        self.assertEqual(sorted(unordered), sorted(rows))
        nearest = reg.query_radius(MatchTarget.PARTICIPANTS, *centre, radius, MatchOrder.NONE, 5)
        self.assertEqual(nearest, rows[:5])
        ids, distances = reg.query_radius_arrays(MatchTarget.PARTICIPANTS, *centre, radius)
        self.assertEqual(list(zip(ids, distances)), [tuple(r) for r in rows])
        self.assertEqual(ids.typecode, "q")
        ids, distances = reg.query_radius_arrays(MatchTarget.PARTICIPANTS, *centre, 0.5)
        self.assertEqual((len(ids), len(distances)), (0, 0))
        everything = reg.query_radius(MatchTarget.PARTICIPANTS, 0, 0, math.inf, MatchOrder.NONE)
        self.assertEqual(len(everything), 400)

    def test_bad_queries(self):
        reg = self.keep(library_scene())
        for args, error in (((3, 35.1, 126.8, 100), nearjob.InvalidError),
                            ((MatchTarget.POSTINGS, 35.1, 126.8, -1), nearjob.RangeError),
                            ((MatchTarget.POSTINGS, 91, 126.8, 1), nearjob.RangeError),
                            ((MatchTarget.POSTINGS, 35.1, 126.8, 1, 2), nearjob.InvalidError)):
            with self.subTest(args=args):
                with self.assertRaises(error) as cm:
                    reg.query_radius(*args)
                self.assertEqual(cm.exception.function, "nj_query_radius")
                with self.assertRaises(error):
                    reg.query_radius_arrays(*args)
        with self.assertRaises(nearjob.RangeError):
            reg.query_radius(MatchTarget.POSTINGS, 35.1, 126.8, 1, limit=-1)  # size_t


class Matchers(RegistryTestCase):
    def test_for_participant_and_for_posting(self):
        reg = self.keep(library_scene())
        rows = reg.match_for_participant(2, 2000, 20230401)
        self.assertEqual([r.id for r in rows], [10, 11, 20])
        self.assertAlmostEqual(rows[0].distance_m,
                               haversine(35.1830, 126.8280, 35.1826649, 126.8278526), 6)
        self.assertEqual(reg.match_for_participant(2, 2000, 20230401, limit=1), rows[:1])
        reg.postings[11].age_range = (40, 150)  # resident 2 is 24
        self.assertEqual([r.id for r in reg.match_for_participant(2, 2000, 20230401)], [10, 20])
        # Posting 10's radius (2 km) reaches resident 2 only.
        self.assertEqual([r.id for r in reg.match_for_posting(10, 20230401)], [2])
        reg.postings[10].radius_m = 6000
        self.assertEqual([r.id for r in reg.match_for_posting(10, 20230401)], [2, 1])
        reg.postings[10].status = nearjob.PostingStatus.CLOSED
        self.assertEqual(reg.match_for_posting(10, 20230401), [])
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.match_for_participant(99, 2000, 20230401)
        self.assertEqual(cm.exception.message, "nj_match_for_participant: participant 99")
        with self.assertRaises(nearjob.NotFoundError):
            reg.match_for_posting(99, 20230401)
        with self.assertRaises(nearjob.InvalidError):
            reg.match_for_posting(20, 20230230)

    def test_skip_capped(self):
        reg = self.keep(library_scene())
        reg.set_option(nearjob.Option.STIPEND_CAP_MINUTES, 60)
        reg.postings[10].radius_m = 6000
        reg.submit_application(2, 10, 20230301)
        reg.postings[10].select(SelectionMethod.FIRST_COME, 0, 20230302)
        reg.record_work(1, 2, 10, 20230303, 60)  # resident 2 has used the cap
        self.assertEqual([r.id for r in reg.match_for_posting(20, 20230401)], [2])
        self.assertEqual(reg.match_for_posting(20, 20230401, flags=MatchFlag.SKIP_CAPPED), [])

    def test_batch_rows_and_threads(self):
        reg = self.keep(nearjob.Registry())
        residents(reg, 300, seed=3)
        for f in range(1, 6):
            reg.add_facility(f, nearjob.FacilityKind.OTHER, "f%d" % f, 35.12 + 0.02 * f, 126.76)
            reg.add_posting(f, f, "p%d" % f, 1).radius_m = 1200
        batch = reg.match_batch(20230401)
        per_posting = [(r.id, r.distance_m, posting)
                       for posting in reg.postings.ids()
                       for r in reg.match_for_posting(posting, 20230401)]
        self.assertEqual([tuple(r) for r in batch], per_posting)
        self.assertGreater(len(batch), 20)
        self.assertIsInstance(batch[0], nearjob.BatchMatch)
        self.assertEqual(reg.match_batch(20230401, threads=4), batch)
        first = reg.postings.ids()[0]
        self.assertEqual(reg.match_batch(20230401, first_posting=0, posting_count=1),
                         [r for r in batch if r.source_id == first])
        with self.assertRaises(nearjob.RangeError):
            reg.match_batch(20230401, threads=65)
        with self.assertRaises(nearjob.InvalidError):
            reg.match_batch(20230230)

    def test_batch_threads_allocate_through_python_hooks(self):
        allocator = nearjob.Allocator()
        reg = self.keep(nearjob.Registry(allocator))
        residents(reg, 200, seed=5)
        reg.add_facility(1, nearjob.FacilityKind.OTHER, "f", 35.16, 126.78)
        reg.add_posting(1, 1, "p", 1)
        calls = allocator.calls
        self.assertEqual(reg.match_batch(20230401, threads=4), reg.match_batch(20230401))
        self.assertGreater(allocator.calls, calls)
        reg.close()
        self.assertEqual(allocator.blocks_in_use, 0)
