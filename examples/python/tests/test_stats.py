"""Targets, recorded actuals, follow-on records, statistics and published
tables, on the real districts' disclosures (tests/test_stats.c)."""
import json

import nearjob
from nearjob import CellState, FollowOnKind, Measure, ProgrammeType, Ratio, RegionLevel, TableKind

from . import support
from .support import DONGJAK, FIGURES, GWANGMYEONG, GWANGSAN, SEOUL, RegistryTestCase

ATTAINMENT_2022 = [  # (column, scale, value, state) of Dongjak's row
    ("target", 1, 17450, CellState.PUBLISHED),
    ("achieved", 1, 21665, CellState.PUBLISHED),
    ("attainment_pct", 10, 1242, CellState.PUBLISHED),
    ("surplus", 1, 4215, CellState.PUBLISHED),
    ("placements", 1, 0, CellState.PUBLISHED),
    ("recorded_jobs", 1, 21665, CellState.PUBLISHED),
    ("persons", 1, 0, CellState.PUBLISHED),
    ("applicants", 1, 0, CellState.PUBLISHED),
    ("slots", 1, 0, CellState.PUBLISHED),
    ("competition_ratio", 100, 0, CellState.UNDEFINED),
    ("fill_rate_pct", 10, 0, CellState.UNDEFINED),
    ("paid_minutes", 1, 0, CellState.PUBLISHED),
    ("amount_krw", 1, 0, CellState.PUBLISHED),
    ("follow_on_applied_pct", 10, 0, CellState.UNDEFINED),
]


class Inputs(RegistryTestCase):
    def test_targets_and_actuals(self):
        reg = self.keep(support.real_figures())
        self.assertEqual(len(reg.targets()), 12)
        self.assertEqual(reg.targets()[0], nearjob.Target(2019, DONGJAK, ProgrammeType.ALL, 14918))
        self.assertEqual(reg.target(2024, GWANGMYEONG, ProgrammeType.ALL), 14081)
        self.assertEqual(reg.actuals()[4], nearjob.Actual(5, 20231231, GWANGSAN, 0, 19833))
        with self.assertRaises(nearjob.RangeError) as cm:
            reg.set_target(0, DONGJAK, 0, 1)
        self.assertEqual(cm.exception.message, "target: year 0 outside [1, 9999]")
        with self.assertRaises(nearjob.RangeError):
            reg.set_target(2023, DONGJAK, 0, nearjob.STATS_COUNT_MAX + 1)
        reg.set_target(2023, DONGJAK, 0, nearjob.STATS_COUNT_MAX)
        reg.set_target(2023, DONGJAK, 0, 17000)  # replaced in place
        self.assertEqual(reg.target(2023, DONGJAK, 0), 17000)
        with self.assertRaises(nearjob.ExistsError) as cm:
            reg.record_actual(1, 20230101, DONGJAK, 0, 5)
        self.assertEqual(cm.exception.message, "recorded actual 1 exists")
        with self.assertRaises(nearjob.InUseError):
            reg.regions.remove(GWANGSAN)
        for actual in reg.actuals():
            reg.remove_actual(actual.actual_id)
        self.assertEqual(reg.actuals(), [])
        reg.remove_target(2023, GWANGSAN, 0)
        reg.remove_target(2024, GWANGSAN, 0)
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.target(2023, GWANGSAN, 0)
        self.assertEqual(cm.exception.message, "nj_target_get: target 2023/29200/0")
        with self.assertRaises(nearjob.NotFoundError):
            reg.remove_target(2023, GWANGSAN, 0)
        reg.regions.remove(GWANGSAN)

    def test_follow_on_records(self):
        reg = self.keep(support.two_jobs())
        reg.add_participant(3, 19800101, False, 35.18, 126.82, 20230101)
        placed = reg.participants[1]
        with self.assertRaises(nearjob.IneligibleError):
            reg.participants[3].record_follow_on(FollowOnKind.APPLIED, 20230701)
        with self.assertRaises(nearjob.InvalidError):
            placed.record_follow_on(3, 20230701)
        self.assertIsNone(placed.follow_on(FollowOnKind.HIRED))
        with self.assertRaises(nearjob.NotFoundError):
            placed.clear_follow_on(FollowOnKind.HIRED)
        placed.record_follow_on(FollowOnKind.HIRED, 20230701)
        with self.assertRaises(nearjob.ExistsError):
            placed.record_follow_on(FollowOnKind.HIRED, 20230702)
        self.assertEqual(placed.follow_on(FollowOnKind.HIRED), 20230701)
        with reg.compute_stats(20230101, 20231231) as stats:
            row = stats.find_row(2023, 0, ProgrammeType.ALL)  # facilities outside every region
            self.assertEqual(stats.value(row, Measure.FOLLOW_ON_HIRED), 1)
            self.assertEqual(stats.value(row, Measure.FOLLOW_ON_APPLIED), 1)  # hired implies it
            self.assertEqual(stats.value(row, Measure.PERSONS), 2)
            self.assertEqual(stats.ratio(row, Ratio.FOLLOW_ON_HIRED), (1, 2, 500))
        placed.clear_follow_on(FollowOnKind.HIRED)
        self.assertIsNone(placed.follow_on(FollowOnKind.HIRED))


class Statistics(RegistryTestCase):
    def test_real_programme_figures(self):
        reg = self.keep(support.real_figures())
        stats = self.keep(reg.compute_stats(20190101, 20251231))
        self.assertEqual((stats.from_date, stats.to_date), (20190101, 20251231))
        for region, year, kind, _, target, achieved, tenths in FIGURES:
            with self.subTest(region=region, year=year, kind=kind):
                row = stats.find_row(year, region, kind)
                self.assertEqual(stats.row_key(row), (year, region, kind))
                self.assertEqual(stats.ratio(row, Ratio.ATTAINMENT), (achieved, target, tenths))
                self.assertEqual(stats.value(row, Measure.SURPLUS), achieved - target)
        # Gwangmyeong's 2024 total: 6,267 + 3,049 + 4,464 + 369 = 14,149 of
        # 14,081 -> 100.48 % -> 100.5 %.
        row = stats.find_row(2024, GWANGMYEONG, ProgrammeType.ALL)
        self.assertEqual(stats.value(row, Measure.ACHIEVED), 14149)
        self.assertEqual(stats.ratio(row, Ratio.ATTAINMENT).rounded, 1005)
        # A province rolls its districts up but has no target: no ratio.
        row = stats.find_row(2022, SEOUL, ProgrammeType.ALL)
        self.assertEqual(stats.value(row, Measure.ACHIEVED), 21665)
        self.assertEqual(stats.value(row, Measure.HAS_TARGET), 0)
        self.assertEqual(stats.ratio(row, Ratio.ATTAINMENT), (21665, 0, None))
        self.assertEqual(stats.rows(), sorted(stats.rows()))
        self.assertEqual(len(stats), len(stats.rows()))
        with self.assertRaises(nearjob.UnsupportedError):
            stats.value(0, 99)
        with self.assertRaises(nearjob.NotFoundError):
            stats.row_key(len(stats))
        regions = stats.regions()
        self.assertEqual([r.region_id for r in regions], [SEOUL, 29, 41, DONGJAK, GWANGSAN,
                                                           GWANGMYEONG])
        self.assertEqual(regions[4], nearjob.StatsRegion(GWANGSAN, RegionLevel.DISTRICT, 29,
                                                         "광산구"))
        self.assertEqual(stats.region_name(GWANGSAN), "광산구")
        self.assertIsNone(stats.region_name(12345))
        with reg.compute_stats(20230101, 20231231) as one_year:
            with self.assertRaises(nearjob.NotFoundError) as cm:
                one_year.find_row(2024, GWANGSAN, 0)
            self.assertEqual(cm.exception.message, "nj_stats_row_find: row 2024/29200/0")
        with self.assertRaises(nearjob.InvalidError):
            reg.compute_stats(20231231, 20230101)

    def test_bytes_round_trip_and_merge(self):
        reg = self.keep(support.real_figures())
        stats = self.keep(reg.compute_stats(20220101, 20221231))
        data = stats.to_bytes()
        copy = self.keep(nearjob.Stats.from_bytes(data))
        self.assertEqual(copy.to_bytes(), data)
        allocator = nearjob.Allocator()
        with nearjob.Stats.from_bytes(data, allocator) as loaded:
            self.assertEqual(loaded.rows(), stats.rows())
            self.assertGreater(allocator.blocks_in_use, 0)
        self.assertEqual(allocator.blocks_in_use, 0)
        with self.assertRaises(nearjob.CorruptError):
            nearjob.Stats.from_bytes(data[:-1])
        # Another district's registry, merged: its jobs add to Seoul's total.
        other = self.keep(nearjob.Registry())
        other.add_region(SEOUL, RegionLevel.PROVINCE, "서울특별시")
        other.add_region(DONGJAK, RegionLevel.DISTRICT, "동작구", SEOUL)
        other.record_actual(1, 20220505, DONGJAK, 0, 10)
        addition = self.keep(other.compute_stats(20220101, 20221231))
        stats.merge(addition)
        row = stats.find_row(2022, DONGJAK, 0)
        self.assertEqual(stats.value(row, Measure.ACHIEVED), 21665 + 10)
        with self.assertRaises(nearjob.InvalidError) as cm:
            stats.merge(stats)
        self.assertEqual(cm.exception.message, "merge: NULL or same statistics")
        later = self.keep(reg.compute_stats(20230101, 20231231))
        with self.assertRaises(nearjob.InvalidError) as cm:
            copy.merge(later)
        self.assertEqual(cm.exception.message,
                         "merge: dates 20230101-20231231 differ from 20220101-20221231")
        self.assertEqual(copy.to_bytes(), data)  # a failed merge changes nothing
        self.assertIn("rows", repr(stats))


class Tables(RegistryTestCase):
    def test_attainment_table_of_2022(self):
        reg = self.keep(support.real_figures())
        with reg.compute_stats(20220101, 20221231) as stats:
            table = self.keep(stats.publish(2022, RegionLevel.DISTRICT, TableKind.ATTAINMENT, 3))
        self.assertEqual((len(table), table.column_count), (1, 14))
        self.assertEqual(table.rows(), [nearjob.TableRow(DONGJAK, ProgrammeType.ALL, "동작구")])
        self.assertEqual(table.columns(), [(n, s) for n, s, _, _ in ATTAINMENT_2022])
        for c, (_, _, value, state) in enumerate(ATTAINMENT_2022):
            self.assertEqual(table.cell(0, c), (value, state))
            self.assertIs(table.cell(0, c).state, state)
        with self.assertRaises(nearjob.NotFoundError):
            table.cell(1, 0)
        with self.assertRaises(nearjob.NotFoundError):
            table.column(14)
        with self.assertRaises(nearjob.NotFoundError):
            table.row(1)
        self.assertEqual(repr(table), "<nearjob.StatsTable 1 x 14>")

    def test_csv_and_json(self):
        reg = self.keep(support.real_figures())
        with reg.compute_stats(20240101, 20241231) as stats, \
                stats.publish(2024, RegionLevel.DISTRICT, TableKind.ATTAINMENT) as table:
            csv_text = table.to_csv()
            document = json.loads(table.to_json())
            with self.assertRaises(nearjob.UnsupportedError):
                stats.publish(2024, RegionLevel.DISTRICT, 7)
            with self.assertRaises(nearjob.RangeError):
                stats.publish(2024, RegionLevel.DISTRICT, TableKind.ATTAINMENT, 0)
        self.assertTrue(csv_text.startswith(
            b"\xEF\xBB\xBFregion_id,programme_type,region,target,achieved,attainment_pct,"
            b"surplus,placements,recorded_jobs,persons,applicants,slots,competition_ratio,"
            b"fill_rate_pct,paid_minutes,amount_krw,follow_on_applied_pct\r\n"))
        self.assertIn("\r\n29200,0,광산구,14707,17400,118.3,2693,0,17400,0,0,0,,,0,0,\r\n".encode(),
                      csv_text)
        self.assertIn({"region_id": 29200, "programme_type": 0, "region": "광산구",
                       "cells": [14707, 17400, 118.3, 2693, 0, 17400, 0, 0, 0, None, None, 0, 0,
                                 None]}, document["rows"])
        self.assertEqual(document["columns"][0], "target")
