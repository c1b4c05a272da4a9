"""CSV and GeoJSON import and export, and snapshots in memory and on disk."""
import os
import struct
import tempfile

import nearjob
from nearjob import CsvObject, Encoding, FacilityKind, RegionLevel

from . import support
from .support import RegistryTestCase

FACILITIES_CP949 = ("id,유형,시설명,위도,경도\r\n"
                    "7,작은도서관,똠방각하 작은도서관,35.15,126.75\r\n"
                    "8,지역아동센터,\"쌍촌동, 아동센터\",35.16,126.76\r\n")


def crc32c(data):
    """CRC-32C (Castagnoli), reflected, as the snapshot format uses."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


class Csv(RegistryTestCase):
    def test_import_export_round_trip_of_every_type(self):
        reg = self.keep(support.two_jobs())
        support.record_forty_and_seventy_hours(reg)
        reg.add_region(support.GWANGSAN, RegionLevel.DISTRICT, "광산구")
        reg.set_target(2023, support.GWANGSAN, 0, 18032)
        order = (CsvObject.REGIONS, CsvObject.FACILITIES, CsvObject.POSTINGS,
                 CsvObject.PARTICIPANTS, CsvObject.APPLICATIONS, CsvObject.WORK_ENTRIES,
                 CsvObject.TARGETS)
        exports = {obj: reg.export_csv(obj) for obj in order}
        for data in exports.values():
            self.assertTrue(data.startswith(b"\xEF\xBB\xBF"))
            self.assertTrue(data.endswith(b"\r\n"))
        self.assertEqual(exports[CsvObject.FACILITIES],
                         "\ufeffid,kind,name,lat,lon,region_id,resolved_region_id\r\n"
                         "1,library,신가도서관,35.1826649,126.8278526,,\r\n"
                         "2,welfare_centre,복지관,35.1732666,126.8218974,,\r\n".encode())
        with nearjob.Registry() as copy:
            rows = {obj: copy.import_csv(obj, exports[obj]) for obj in order
                    if obj != CsvObject.APPLICATIONS and obj != CsvObject.WORK_ENTRIES}
            self.assertEqual(rows[CsvObject.FACILITIES], 2)
            self.assertEqual(rows[CsvObject.PARTICIPANTS], 2)
            self.assertEqual(copy.postings[20].hourly_stipend_krw, 10030)
            self.assertEqual(copy.target(2023, support.GWANGSAN, 0), 18032)
            for obj in rows:
                self.assertEqual(copy.export_csv(obj), exports[obj])

    def test_failures_name_line_and_column_and_change_nothing(self):
        reg = self.keep(nearjob.Registry())
        reg.import_csv(CsvObject.FACILITIES, "id,kind,name,lat,lon\n1,library,a,35,126\n")
        with self.assertRaises(nearjob.ExistsError) as cm:
            reg.import_csv(CsvObject.FACILITIES,
                           "id,kind,name,lat,lon\n7,library,a,35,126\n1,library,b,35,126\n")
        self.assertEqual(cm.exception.message, "line 3, column 1 (id): facility 1 already "
                         "exists in the registry")
        self.assertEqual(reg.facilities.ids(), [1])
        with self.assertRaises(nearjob.RangeError) as cm:
            reg.import_csv(CsvObject.FACILITIES, b"id,kind,name,lat,lon\n8,library,b,35,180.5\n")
        self.assertTrue(cm.exception.message.startswith("line 2, column 16 (lon)"))
        with self.assertRaises(nearjob.CorruptError):
            reg.import_csv(CsvObject.FACILITIES, "id,kind,name,lon\n7,library,a,126\n")
        with self.assertRaises(nearjob.InvalidError):
            reg.import_csv(99, "id\n")
        with self.assertRaises(nearjob.InvalidError):
            reg.export_csv(99)
        with self.assertRaises(TypeError):
            reg.import_csv(CsvObject.FACILITIES, 42)

    def test_cp949(self):
        data = FACILITIES_CP949.encode("cp949")
        self.assertIn(b"\x8c\x63", data)  # 똠 exists in CP949 only
        reg = self.keep(nearjob.Registry())
        with self.assertRaises(nearjob.EncodingError) as cm:
            reg.import_csv(CsvObject.FACILITIES, data)
        self.assertEqual(cm.exception.message, "line 1, column 4: invalid UTF-8 byte 0xC0 "
                         "(looks CP949/EUC-KR; declare the encoding)")
        try:
            self.assertEqual(reg.import_csv(CsvObject.FACILITIES, data, Encoding.CP949), 2)
        except nearjob.UnsupportedError:
            self.skipTest("the C library's iconv has no CP949")
        self.assertEqual(reg.facilities[7].name, "똠방각하 작은도서관")
        self.assertIs(reg.facilities[8].kind, FacilityKind.CHILDRENS_CENTRE)
        with nearjob.Registry() as auto:
            self.assertEqual(auto.import_csv(CsvObject.FACILITIES, data, Encoding.AUTO), 2)
            self.assertEqual(auto.export_csv(CsvObject.FACILITIES),
                             reg.export_csv(CsvObject.FACILITIES))

    def test_files(self):
        reg = self.keep(support.two_jobs())
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "facilities.csv")
            reg.export_csv_file(CsvObject.FACILITIES, path)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)  # personal data
            with open(path, "rb") as f:
                self.assertEqual(f.read(), reg.export_csv(CsvObject.FACILITIES))
            with nearjob.Registry() as copy:
                self.assertEqual(copy.import_csv_file(CsvObject.FACILITIES, path), 2)
                self.assertEqual(copy.facilities[1].name, "신가도서관")
                with self.assertRaises(nearjob.NearjobIOError) as cm:
                    copy.import_csv_file(CsvObject.FACILITIES, os.path.join(folder, "none"))
                self.assertIn(os.path.join(folder, "none"), cm.exception.message)
            # The export is read-only: its message comes from the caller
            # buffer and the registry's message stays that of the last change.
            with self.assertRaises(nearjob.ExistsError):
                reg.add_facility(1, FacilityKind.LIBRARY, "dup", 35.1, 126.8)
            missing = os.path.join(folder, "no", "x.csv")
            with self.assertRaises(nearjob.NearjobIOError) as cm:
                reg.export_csv_file(CsvObject.FACILITIES, missing)
            self.assertEqual(cm.exception.message, 'CSV export: open("%s.tmp"): No such file or '
                             'directory; the old file is untouched' % missing)
            self.assertEqual(cm.exception.function, "nj_csv_export_file")
            with self.assertRaises(nearjob.InvalidError) as cm:
                reg.export_csv_file(9, path)
            self.assertEqual(cm.exception.message,
                             "CSV export: object 9 is not an nj_csv_object (1..7)")
            self.assertEqual(reg.last_error_message, "facility 1 already exists")


class GeoJson(RegistryTestCase):
    def test_memory_and_file_imports_agree(self):
        with open(support.GWANGJU_GEOJSON, "rb") as f:
            data = f.read()
        reg = self.keep(nearjob.Registry())
        self.assertEqual(reg.import_geojson(data), 102)
        other = self.keep(nearjob.Registry())
        self.assertEqual(other.import_geojson_file(support.GWANGJU_GEOJSON), 102)
        self.assertEqual(reg.export_csv(CsvObject.REGIONS), other.export_csv(CsvObject.REGIONS))
        with self.assertRaises(nearjob.ExistsError):
            reg.import_geojson(data)
        self.assertEqual(len(reg.regions), 102)
        with self.assertRaises(nearjob.CorruptError):
            reg.import_geojson('{"type": "Feature"}')
        with self.assertRaises(nearjob.NearjobIOError):
            reg.import_geojson_file(support.GWANGJU_GEOJSON + ".missing")


class Snapshots(RegistryTestCase):
    def test_bytes_round_trip_is_byte_identical(self):
        reg = self.keep(support.two_jobs())
        support.record_forty_and_seventy_hours(reg)
        reg.void_work(100)
        data = reg.snapshot_bytes()
        self.assertEqual(data[:8], b"\x89NJS\r\n\x1a\n")
        self.assertEqual(reg.snapshot_bytes(), data)
        loaded = self.keep(nearjob.Registry.from_snapshot_bytes(data))
        self.assertEqual(loaded.snapshot_bytes(), data)
        self.assertEqual(loaded.stipend_statement(1, 20230615).amount_krw, 1071400)
        allocator = nearjob.Allocator()
        with nearjob.Registry.from_snapshot_bytes(bytearray(data), allocator) as hooked:
            self.assertEqual(hooked.snapshot_bytes(), data)
            self.assertGreater(allocator.blocks_in_use, 0)
        self.assertEqual(allocator.blocks_in_use, 0)

    def test_files_and_the_leftover_temporary(self):
        reg = self.keep(support.two_jobs())
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "programme.njs")
            reg.save_snapshot(path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), reg.snapshot_bytes())
            loaded = self.keep(nearjob.Registry.load_snapshot(path))
            self.assertEqual(loaded.postings[20].title, "급식 보조")
            allocator = nearjob.Allocator()
            with nearjob.Registry.load_snapshot(path, allocator) as hooked:
                self.assertEqual(len(hooked.participants), 2)
            self.assertEqual(allocator.blocks_in_use, 0)
            open(path + ".tmp", "wb").close()
            with self.assertRaises(nearjob.NearjobIOError) as cm:
                reg.save_snapshot(path)
            self.assertIn(path + ".tmp", cm.exception.message)

    def test_damage_and_newer_versions(self):
        reg = self.keep(support.two_jobs())
        data = bytearray(reg.snapshot_bytes())
        damaged = bytearray(data)
        damaged[1] = ord("X")
        with self.assertRaises(nearjob.CorruptError) as cm:
            nearjob.Registry.from_snapshot_bytes(bytes(damaged))
        self.assertEqual(cm.exception.message, "snapshot section 'header' at byte 0: not a "
                         "nearjob snapshot (wrong magic bytes)")
        newer = bytearray(data)
        struct.pack_into("<HH", newer, 8, 2, 3)
        struct.pack_into("<I", newer, 20, crc32c(newer[:20]))
        with self.assertRaises(nearjob.VersionError) as cm:
            nearjob.Registry.from_snapshot_bytes(bytes(newer))
        self.assertEqual(cm.exception.message,
                         "snapshot format version 2.3 is newer than this library's 1.0")
        self.assertEqual(crc32c(data[:20]), struct.unpack_from("<I", data, 20)[0])
        with self.assertRaises(nearjob.CorruptError):
            nearjob.Registry.from_snapshot_bytes(bytes(data[:-1]))
