"""Regions, facilities, postings and participants: every getter and setter,
the collections, and locating points in the real Gwangju dongs."""
import math

import nearjob
from nearjob import (FacilityKind, PostingStatus, ProgrammeType, RegionLevel)

from . import support
from .support import RegistryTestCase

# concepts.md: a square with a square hole.
SQUARE_WITH_HOLE = [[
    [(35.10, 126.80), (35.10, 126.90), (35.20, 126.90), (35.20, 126.80)],
    [(35.14, 126.84), (35.14, 126.86), (35.16, 126.86), (35.16, 126.84)],
]]


class Regions(RegistryTestCase):
    def test_tree_fields_and_rename(self):
        reg = self.keep(nearjob.Registry())
        gwangju = reg.add_region(support.GWANGJU, RegionLevel.PROVINCE, "광주광역시")
        gwangsan = reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구", support.GWANGJU)
        self.assertIs(gwangsan.level, RegionLevel.DISTRICT)
        self.assertEqual(gwangsan.parent_id, support.GWANGJU)
        self.assertEqual(gwangju.parent_id, 0)
        self.assertEqual(gwangsan.name, "광산구")
        self.assertTrue(gwangsan.is_within(gwangju))
        self.assertFalse(gwangju.is_within(gwangsan))
        gwangsan.name = "광산구 (光山區)"
        self.assertEqual(reg.regions[support.GWANGSAN].name, "광산구 (光山區)")
        with self.assertRaises(nearjob.RangeError) as cm:
            gwangsan.name = "a" * 1025
        self.assertEqual(cm.exception.message, "region 29200: name longer than 1024 bytes")
        self.assertEqual(gwangsan.name, "광산구 (光山區)")
        with self.assertRaises(nearjob.InvalidError) as cm:
            reg.add_region(5, RegionLevel.NEIGHBOURHOOD, "")
        self.assertEqual(cm.exception.message, "region 5: name is empty")
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.add_region(5, RegionLevel.NEIGHBOURHOOD, "x", 77)
        self.assertEqual(cm.exception.message, "region 5: parent 77 not found")

    def test_boundary_round_trip_contains_and_bbox(self):
        reg = self.keep(nearjob.Registry())
        region = reg.add_region(1, RegionLevel.NEIGHBOURHOOD, "hole")
        self.assertEqual(region.boundary, [])
        self.assertIsNone(region.bbox)
        self.assertFalse(region.contains(35.12, 126.82))
        region.boundary = SQUARE_WITH_HOLE
        self.assertEqual(region.boundary, SQUARE_WITH_HOLE)
        self.assertEqual(region.bbox, (35.10, 126.80, 35.20, 126.90))
        self.assertTrue(region.contains(35.12, 126.82))
        self.assertFalse(region.contains(35.15, 126.85))  # in the hole
        self.assertFalse(region.contains(35.25, 126.85))
        with self.assertRaises(nearjob.RangeError):
            region.contains(math.nan, 126.85)
        self.assertEqual(reg.locate(35.12, 126.82), region)
        self.assertIsNone(reg.locate(35.15, 126.85))
        # A failed replacement keeps the old boundary.
        with self.assertRaises(nearjob.InvalidError) as cm:
            region.boundary = [[[(35.0, 126.0), (35.1, 126.1)]]]
        self.assertEqual(cm.exception.message,
                         "region 1: boundary: ring 0 has 2 vertices, fewer than 3")
        with self.assertRaises(nearjob.RangeError):
            region.boundary = [[[(35.0, 126.0), (35.1, 126.1), (95.0, 126.0)]]]
        self.assertEqual(region.boundary, SQUARE_WITH_HOLE)
        region.boundary = []
        self.assertEqual(region.boundary, [])

    def test_every_library_locates_its_dong(self):
        reg = self.keep(support.gwangju())
        self.assertEqual(len(reg.regions), 1 + 5 + 96)
        levels = [r.level for r in reg.regions]
        self.assertEqual([levels.count(level) for level in RegionLevel], [1, 5, 96])
        self.assertEqual(reg.regions[support.SONGJEONG_1_DONG].name, "송정1동")
        self.assertEqual(reg.regions[support.GWANGSAN].name, "광산구")
        libraries = support.gwangju_libraries()
        self.assertEqual(len(libraries), 318)
        for name, lat, lon, dong in libraries:
            with self.subTest(library=name):
                found = reg.locate(lat, lon)
                self.assertEqual(found.id, dong)
                self.assertIs(found.level, RegionLevel.NEIGHBOURHOOD)
                self.assertTrue(found.is_within(reg.regions[support.GWANGJU]))
        self.assertIsNone(reg.locate(37.5663, 126.9779))  # Seoul City Hall
        dong = reg.regions[support.SONGJEONG_1_DONG]
        polygons = dong.boundary
        self.assertTrue(all(len(ring) >= 3 for polygon in polygons for ring in polygon))
        box = dong.bbox
        self.assertTrue(all(box.min_lat <= lat <= box.max_lat and box.min_lon <= lon <= box.max_lon
                            for polygon in polygons for ring in polygon for lat, lon in ring))


class Facilities(RegistryTestCase):
    def test_fields_derived_region_and_setters(self):
        reg = self.keep(nearjob.Registry())
        region = reg.add_region(2920000001, RegionLevel.NEIGHBOURHOOD, "Example-dong")
        region.boundary = [[[(35.13, 126.78), (35.13, 126.80), (35.15, 126.80), (35.15, 126.78)]]]
        f = reg.add_facility(1, FacilityKind.LIBRARY, "Example Library", 35.14, 126.79)
        self.assertIs(f.kind, FacilityKind.LIBRARY)
        self.assertEqual(f.name, "Example Library")
        self.assertEqual(f.location, (35.14, 126.79))
        self.assertEqual(f.region_id, 2920000001)
        self.assertEqual(f.posting_count, 0)
        # Locations are stored to 1e-7 degree.
        f.location = (35.123456789, 126.987654321)
        self.assertEqual(f.location, (35.1234568, 126.9876543))
        self.assertEqual(f.region_id, 0)  # derived again: outside the dong
        f.location = (35.14, 126.79)
        self.assertEqual(f.region_id, 2920000001)
        f.kind = FacilityKind.YOUTH_CENTRE
        self.assertIs(f.kind, FacilityKind.YOUTH_CENTRE)
        f.name = "청소년수련관"
        self.assertEqual(f.name, "청소년수련관")
        with self.assertRaises(nearjob.NotFoundError) as cm:
            f.region_id = 77
        self.assertEqual(cm.exception.message, "facility 1: region 77 not found")
        with self.assertRaises(nearjob.InvalidError):
            f.kind = 8
        with self.assertRaises(nearjob.InUseError):
            reg.regions.remove(2920000001)
        reg.add_posting(10, 1, "책 정리", 2)
        self.assertEqual(f.posting_count, 1)
        with self.assertRaises(nearjob.InUseError):
            f.remove()


class Postings(RegistryTestCase):
    def test_defaults_and_every_setter(self):
        reg = self.keep(nearjob.Registry())
        reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
        reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구")
        p = reg.add_posting(10, 1, "도서 정리", 2)
        defaults = dict(facility_id=1, title="도서 정리", programme_type=ProgrammeType.DIRECT_JOBS,
                        slots=2, minutes_per_person=6000, hourly_stipend_krw=0,
                        work_period=(0, 0), work_start=0, work_end=0, application_window=(0, 0),
                        age_range=(0, 150), residency_region_id=0, foreign_allowed=True,
                        radius_m=2000.0, early_close_ratio=0.0, status=PostingStatus.OPEN)
        for field, value in defaults.items():
            self.assertEqual(getattr(p, field), value, field)
        changes = dict(title="열람실 안내", programme_type=1000, slots=3, minutes_per_person=3000,
                       hourly_stipend_krw=11930, work_period=(20230301, 20230731),
                       application_window=(20230220, 20230224), age_range=(19, 34),
                       residency_region_id=support.GWANGSAN, foreign_allowed=False,
                       radius_m=1500.5, early_close_ratio=7.0, status=PostingStatus.CLOSED)
        for field, value in changes.items():
            setattr(p, field, value)
        for field, value in changes.items():
            self.assertEqual(getattr(p, field), value, field)
        self.assertEqual((p.work_start, p.work_end), (20230301, 20230731))
        self.assertIs(p.status, PostingStatus.CLOSED)
        p.work_period = (0, 0)
        self.assertEqual(p.work_period, (0, 0))

    def test_rejected_values_keep_the_field(self):
        reg = self.keep(nearjob.Registry())
        reg.add_facility(1, FacilityKind.LIBRARY, "a", 35.1, 126.8)
        p = reg.add_posting(1, 1, "b", 1)
        with self.assertRaises(nearjob.RangeError) as cm:
            p.radius_m = math.nan
        self.assertEqual(cm.exception.message, "posting 1: radius (m) nan outside [0, 20015115]")
        for field, value, error in (("work_period", (20230731, 20230301), nearjob.InvalidError),
                                    ("age_range", (40, 30), nearjob.RangeError),
                                    ("foreign_allowed", 2, nearjob.InvalidError),
                                    ("status", 3, nearjob.InvalidError),
                                    ("programme_type", 9, nearjob.InvalidError),
                                    ("early_close_ratio", 0.5, nearjob.RangeError),
                                    ("hourly_stipend_krw", 1000001, nearjob.RangeError),
                                    ("minutes_per_person", -1, nearjob.RangeError),
                                    ("residency_region_id", 5, nearjob.NotFoundError)):
            before = getattr(p, field)
            with self.subTest(field=field), self.assertRaises(error):
                setattr(p, field, value)
            self.assertEqual(getattr(p, field), before)
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.add_posting(2, 8, "c", 1)
        self.assertEqual(cm.exception.message, "posting 2: facility 8 not found")


class Participants(RegistryTestCase):
    def test_fields_age_and_setters(self):
        reg = self.keep(nearjob.Registry())
        p = reg.add_participant(1, 19630515, False, 35.1395, 126.7937, 20230301)
        self.assertEqual(p.birth_date, 19630515)
        self.assertIs(p.is_foreign, False)
        self.assertEqual(p.home, (35.1395, 126.7937))
        self.assertEqual(p.verified_date, 20230301)
        self.assertEqual(p.region_id, 0)
        self.assertEqual(p.age_on(20230514), 59)
        self.assertEqual(p.age_on(20230515), 60)
        self.assertEqual(p.age_on(19630515), 0)
        with self.assertRaises(nearjob.RangeError):
            p.age_on(19630514)
        with self.assertRaises(nearjob.InvalidError) as cm:
            p.age_on(20230230)
        self.assertEqual(cm.exception.message, "nj_participant_age_on: <nearjob.Participant 1>")
        leap = reg.add_participant(2, 20000229, True, 35.18, 126.82, 20230101)
        self.assertEqual(leap.age_on(20230228), 22)
        self.assertEqual(leap.age_on(20230301), 23)
        p.birth_date = 19700101
        p.is_foreign = True
        p.set_home(35.18, 126.82, 20240101)
        self.assertEqual((p.birth_date, p.is_foreign, p.home, p.verified_date),
                         (19700101, True, (35.18, 126.82), 20240101))
        with self.assertRaises(nearjob.InvalidError) as cm:
            reg.add_participant(3, 19800101, False, 35.15, 126.8, 19791231)
        self.assertEqual(cm.exception.message,
                         "participant 3: verification date 19791231 is before birth date 19800101")
        reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구")
        p.region_id = support.GWANGSAN
        self.assertEqual(p.region_id, support.GWANGSAN)
        p.region_id = 0
        self.assertEqual(p.region_id, 0)

    def test_dates(self):
        self.assertTrue(nearjob.date_is_valid(20240229))
        self.assertFalse(nearjob.date_is_valid(20230229))
        self.assertFalse(nearjob.date_is_valid(20240230))
        self.assertFalse(nearjob.date_is_valid(18991231))
        self.assertTrue(nearjob.date_is_valid(29991231))


class Collections(RegistryTestCase):
    def test_len_iteration_membership_and_removal(self):
        reg = self.keep(support.two_jobs())
        self.assertEqual(len(reg.facilities), 2)
        self.assertEqual(sorted(reg.postings.ids()), [10, 20])
        self.assertEqual(sorted(p.id for p in reg.participants), [1, 2])
        self.assertIn(10, reg.postings)
        self.assertNotIn(11, reg.postings)
        self.assertNotIn("10", reg.postings)
        self.assertIsNone(reg.postings.get(11))
        self.assertEqual(reg.postings.get(10), reg.postings[10])
        self.assertEqual({reg.postings[10], reg.postings[10]}, {reg.postings[10]})
        self.assertEqual(repr(reg.postings[10]), "<nearjob.Posting 10>")
        self.assertEqual(repr(reg.facilities), "<nearjob.Objects of Facility: 2>")
        self.assertIs(reg.postings[10].registry, reg)
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.participants[3]
        self.assertEqual(cm.exception.message, "no participant 3")
        with self.assertRaises(nearjob.InUseError) as cm:
            del reg.postings[10]
        self.assertEqual(cm.exception.message, "posting 10 still has applications (2)")
        reg.add_participant(3, 19900101, False, 35.18, 126.82, 20230101)
        del reg.participants[3]
        self.assertEqual(len(reg.participants), 2)
