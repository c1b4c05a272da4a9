"""Deterministic destroy, use after close, and handles after removal."""
import gc
import weakref

import nearjob
from nearjob import CsvObject, FacilityKind, MatchTarget, RegionLevel, TableKind

from . import support
from .support import RegistryTestCase


class Close(RegistryTestCase):
    def test_context_manager_destroys_everything_it_allocated(self):
        allocator = nearjob.Allocator()
        with support.two_jobs(allocator) as reg:
            support.record_forty_and_seventy_hours(reg)
            self.assertGreater(allocator.blocks_in_use, 0)
            nearby = reg.query_radius(MatchTarget.PARTICIPANTS, 35.18, 126.82, 100)
            self.assertEqual(len(nearby), 2)
        self.assertTrue(reg.closed)
        self.assertEqual(allocator.blocks_in_use, 0)
        self.assertGreater(allocator.calls, 30)
        reg.close()  # twice: nothing

    def test_stats_and_tables_outlive_the_registry_and_close_on_their_own(self):
        allocator = nearjob.Allocator()
        reg = support.two_jobs(allocator)
        stats = reg.compute_stats(20230101, 20231231)
        table = stats.publish(2023, RegionLevel.DISTRICT, TableKind.ATTAINMENT)
        reg.close()
        self.assertEqual(stats.from_date, 20230101)
        blocks_with_table = allocator.blocks_in_use
        with stats:
            pass
        self.assertTrue(stats.closed)
        self.assertLess(allocator.blocks_in_use, blocks_with_table)
        self.assertEqual(len(table), 0)  # no region has a boundary: no rows
        table.close()
        self.assertEqual(allocator.blocks_in_use, 0)

    def test_garbage_collection_is_the_safety_net(self):
        allocator = nearjob.Allocator()
        reg = support.two_jobs(allocator)
        posting = reg.postings[10]
        ref = weakref.ref(reg)
        del reg
        gc.collect()
        self.assertIsNotNone(ref())  # the posting keeps its registry alive
        self.assertEqual(posting.title, "도서 정리")
        del posting
        gc.collect()
        self.assertIsNone(ref())
        self.assertEqual(allocator.blocks_in_use, 0)

    def test_a_closed_registry_refuses_every_use(self):
        reg = support.two_jobs()
        region = reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구")
        facility, posting, participant = reg.facilities[1], reg.postings[10], reg.participants[1]
        reg.close()
        uses = [
            lambda: len(reg.postings), lambda: list(reg.facilities), lambda: 1 in reg.regions,
            lambda: reg.postings[10], lambda: reg.add_facility(3, 1, "x", 35, 126),
            lambda: reg.locate(35.1, 126.8), lambda: reg.submit_application(1, 10, 20230221),
            lambda: reg.query_radius(MatchTarget.POSTINGS, 35.18, 126.82, 1000),
            lambda: reg.match_batch(20230221), lambda: reg.stipend_statement(1, 20230301),
            lambda: reg.snapshot_bytes(), lambda: reg.export_csv(CsvObject.FACILITIES),
            lambda: reg.compute_stats(20230101, 20231231), lambda: reg.last_error_message,
            lambda: region.name, lambda: facility.kind, lambda: posting.applications(),
            lambda: setattr(posting, "slots", 3), lambda: participant.age_on(20230101),
            lambda: participant.record_follow_on(1, 20230601), lambda: posting.remove(),
        ]
        for use in uses:
            with self.assertRaises(nearjob.HandleClosedError) as cm:
                use()
            self.assertEqual(cm.exception.message, "Registry is closed")
        with self.assertRaises(nearjob.HandleClosedError):
            with reg:
                pass

    def test_closed_stats_and_tables_refuse_every_use(self):
        reg = self.keep(support.real_figures())
        stats = reg.compute_stats(20220101, 20221231)
        other = self.keep(reg.compute_stats(20220101, 20221231))
        table = stats.publish(2022, RegionLevel.DISTRICT, TableKind.ATTAINMENT)
        stats.close()
        table.close()
        for use in (lambda: len(stats), lambda: stats.to_bytes(), lambda: stats.value(0, 1),
                    lambda: other.merge(stats), lambda: stats.merge(other),
                    lambda: stats.publish(2022, 2, 1), lambda: table.cell(0, 0),
                    lambda: table.to_csv(), lambda: table.column(0), lambda: len(table)):
            with self.assertRaises(nearjob.HandleClosedError):
                use()
        self.assertEqual(repr(stats), "<nearjob.Stats closed>")
        self.assertEqual(repr(table), "<nearjob.StatsTable closed>")

    def test_constructors_are_not_for_direct_use(self):
        with self.assertRaises(TypeError):
            nearjob.Stats()
        with self.assertRaises(TypeError):
            nearjob.StatsTable()


class RemovedObjects(RegistryTestCase):
    def test_an_object_whose_c_side_is_gone_raises_not_found(self):
        reg = self.keep(nearjob.Registry())
        facility = reg.add_facility(7, FacilityKind.LIBRARY, "우산도서관", 35.16, 126.80)
        posting = reg.add_posting(70, 7, "책 정리", 1)
        reg.postings.remove(70)
        for use in (lambda: posting.title, lambda: setattr(posting, "slots", 2),
                    lambda: posting.applications(), lambda: posting.selection):
            with self.assertRaises(nearjob.NotFoundError) as cm:
                use()
            self.assertEqual(cm.exception.message, "posting 70 no longer exists")
        self.assertEqual(facility.posting_count, 0)
        facility.remove()
        with self.assertRaises(nearjob.NotFoundError):
            facility.location
        with self.assertRaises(KeyError):  # NotFoundError is a KeyError
            reg.facilities[7]
        with self.assertRaises(nearjob.NotFoundError):
            reg.facilities.remove(7)
        # The id can be used again; the old object then names the new one.
        reg.add_facility(7, FacilityKind.OTHER, "새 시설", 35.0, 126.0)
        self.assertEqual(facility.name, "새 시설")
        self.assertEqual(facility, reg.facilities[7])

    def test_objects_of_one_registry_are_not_accepted_by_another(self):
        a = self.keep(nearjob.Registry())
        b = self.keep(nearjob.Registry())
        for reg in (a, b):
            reg.add_region(support.GWANGJU, RegionLevel.PROVINCE, "광주광역시")
        with self.assertRaises(nearjob.InvalidError):
            a.regions[support.GWANGJU].is_within(b.regions[support.GWANGJU])
        self.assertNotEqual(a.regions[support.GWANGJU], b.regions[support.GWANGJU])
        self.assertTrue(a.regions[support.GWANGJU].is_within(a.regions[support.GWANGJU]))
