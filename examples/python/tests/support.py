"""Fixtures shared by the tests: the bundled data and small registries
whose figures are worked out by hand in the C tests and docs."""
import csv
import os
import unittest

import nearjob
from nearjob import FacilityKind, ProgrammeType, RegionLevel, SelectionMethod

SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA_DIR = os.environ.get("NEARJOB_TEST_DATA", os.path.join(SOURCE_ROOT, "tests", "data"))
GWANGJU_GEOJSON = os.path.join(DATA_DIR, "admdong_gwangju_all.geojson")
GWANGJU_LIBRARIES = os.path.join(DATA_DIR, "facilities_gwangju_libraries.csv")

SEOUL, GWANGJU, GYEONGGI = 11, 29, 41
DONGJAK, GWANGSAN, GWANGMYEONG = 11590, 29200, 41210
SONGJEONG_1_DONG = 2920051500


def gwangju_libraries():
    """(name, lat, lon, adm_cd2) of the 318 bundled Gwangju libraries."""
    with open(GWANGJU_LIBRARIES, encoding="utf-8", newline="") as f:
        return [(row["name"], float(row["lat"]), float(row["lon"]), int(row["adm_cd2"]))
                for row in csv.DictReader(f)]


def gwangju(allocator=None):
    """A registry holding the 96 dongs of Gwangju with their districts."""
    reg = nearjob.Registry(allocator)
    reg.import_geojson_file(GWANGJU_GEOJSON)
    return reg


def two_jobs(allocator=None):
    """tests/test_stipend.c's two_jobs(): residents 1 and 2 selected for a
    library posting (10, 11 930 KRW/h, March 2023) and a welfare-centre
    posting (20, 10 030 KRW/h, April to December 2023)."""
    reg = nearjob.Registry(allocator)
    reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
    reg.add_facility(2, FacilityKind.WELFARE_CENTRE, "복지관", 35.1732666, 126.8218974)
    library = reg.add_posting(10, 1, "도서 정리", 2)
    welfare = reg.add_posting(20, 2, "급식 보조", 2)
    library.hourly_stipend_krw = 11930
    welfare.hourly_stipend_krw = 10030
    library.work_period = (20230301, 20230331)
    welfare.work_period = (20230401, 20231231)
    for who in (1, 2):
        reg.add_participant(who, 19630515, False, 35.18, 126.82, 20230101)
        reg.submit_application(who, 10, 20230220)
        reg.submit_application(who, 20, 20230320)
    reg.postings[10].select(SelectionMethod.FIRST_COME, 0, 20230225)
    reg.postings[20].select(SelectionMethod.FIRST_COME, 0, 20230325)
    return reg


def record_forty_and_seventy_hours(reg):
    """40 h at the library (10 days x 4 h, entries 100..109), then 70 h at
    the welfare centre (14 days x 5 h, entries 110..123)."""
    entry = 100
    for day in range(1, 11):
        reg.record_work(entry, 1, 10, 20230300 + day, 240)
        entry += 1
    for day in range(1, 15):
        reg.record_work(entry, 1, 20, 20230400 + day, 300)
        entry += 1


def add_real_regions(reg):
    """Three provinces and three districts (tests/test_stats.c)."""
    reg.add_region(SEOUL, RegionLevel.PROVINCE, "서울특별시")
    reg.add_region(GWANGJU, RegionLevel.PROVINCE, "광주광역시")
    reg.add_region(GYEONGGI, RegionLevel.PROVINCE, "경기도")
    reg.add_region(DONGJAK, RegionLevel.DISTRICT, "동작구", SEOUL)
    reg.add_region(GWANGSAN, RegionLevel.DISTRICT, "광산구", GWANGJU)
    reg.add_region(GWANGMYEONG, RegionLevel.DISTRICT, "광명시", GYEONGGI)


#: Districts' published target disclosures (tests/test_stats.c):
#: (region, year, programme type, date, target, achieved, attainment in 0.1 %).
FIGURES = [
    (DONGJAK, 2019, ProgrammeType.ALL, 20191231, 14918, 16933, 1135),
    (DONGJAK, 2020, ProgrammeType.ALL, 20201231, 17100, 21028, 1230),
    (DONGJAK, 2021, ProgrammeType.ALL, 20211231, 17310, 22976, 1327),
    (DONGJAK, 2022, ProgrammeType.ALL, 20221231, 17450, 21665, 1242),
    (GWANGSAN, 2023, ProgrammeType.ALL, 20231231, 18032, 19833, 1100),
    (GWANGSAN, 2024, ProgrammeType.ALL, 20241231, 14707, 17400, 1183),
    (GWANGMYEONG, 2024, ProgrammeType.DIRECT_JOBS, 20240930, 6027, 6267, 1040),
    (GWANGMYEONG, 2024, ProgrammeType.VOCATIONAL_TRAINING, 20240930, 2495, 3049, 1222),
    (GWANGMYEONG, 2024, ProgrammeType.EMPLOYMENT_SERVICES, 20240930, 5224, 4464, 855),
    (GWANGMYEONG, 2024, ProgrammeType.OTHER, 20240930, 335, 369, 1101),
    (GWANGMYEONG, 2025, ProgrammeType.ALL, 20250630, 14724, 12199, 829),
]


def real_figures():
    """Targets and recorded actuals of the real disclosures."""
    reg = nearjob.Registry()
    add_real_regions(reg)
    for i, (region, year, kind, date, target, achieved, _) in enumerate(FIGURES):
        reg.set_target(year, region, kind, target)
        reg.record_actual(i + 1, date, region, kind, achieved)
    reg.set_target(2024, GWANGMYEONG, ProgrammeType.ALL, 14081)
    return reg


class FailingAllocator(nearjob.Allocator):
    """Fails every allocation from the `fail_from`-th on (counting from 1)."""

    def __init__(self, fail_from=None):
        super().__init__()
        self.fail_from = fail_from
        self.seen = 0

    def _fails(self):
        self.seen += 1
        return self.fail_from is not None and self.seen >= self.fail_from

    def malloc(self, size):
        return None if self._fails() else super().malloc(size)

    def realloc(self, ptr, size):
        return None if self._fails() else super().realloc(ptr, size)


class RegistryTestCase(unittest.TestCase):
    """Closes the registries a test makes, so a failure leaks nothing."""

    def keep(self, closeable):
        self.addCleanup(closeable.close)
        return closeable
