"""Every enum value of the headers, and nothing else, in the IntEnums."""
import os
import re
import unittest

import nearjob

from . import cdecl

# C enum -> (Python class, prefix of its constants).
ENUMS = {
    "nj_status_code": (nearjob.Status, "NJ_E_"),
    "nj_region_level": (nearjob.RegionLevel, "NJ_REGION_"),
    "nj_facility_kind": (nearjob.FacilityKind, "NJ_FACILITY_"),
    "nj_programme_type": (nearjob.ProgrammeType, "NJ_PROGRAMME_"),
    "nj_stats_programme": (nearjob.ProgrammeType, "NJ_PROGRAMME_"),
    "nj_posting_status": (nearjob.PostingStatus, "NJ_POSTING_"),
    "nj_match_target": (nearjob.MatchTarget, "NJ_MATCH_"),
    "nj_match_order": (nearjob.MatchOrder, "NJ_ORDER_"),
    "nj_match_flag": (nearjob.MatchFlag, "NJ_MATCH_"),
    "nj_application_status": (nearjob.ApplicationStatus, "NJ_APPLICATION_"),
    "nj_selection_method": (nearjob.SelectionMethod, "NJ_SELECT_"),
    "nj_stipend_option": (nearjob.Option, "NJ_OPT_"),
    "nj_io_option": (nearjob.Option, "NJ_OPT_"),
    "nj_rounding": (nearjob.Rounding, "NJ_ROUND_"),
    "nj_follow_on_kind": (nearjob.FollowOnKind, "NJ_FOLLOW_ON_"),
    "nj_measure": (nearjob.Measure, "NJ_MEASURE_"),
    "nj_ratio": (nearjob.Ratio, "NJ_RATIO_"),
    "nj_stats_table_kind": (nearjob.TableKind, "NJ_TABLE_"),
    "nj_cell_state": (nearjob.CellState, "NJ_CELL_"),
    "nj_csv_object": (nearjob.CsvObject, "NJ_CSV_"),
    "nj_encoding": (nearjob.Encoding, "NJ_ENCODING_"),
}


def header_enums():
    """{C enum name: {constant: value}} of every header."""
    found = {}
    for header in sorted(os.listdir(cdecl.INCLUDE_DIR)):
        with open(os.path.join(cdecl.INCLUDE_DIR, header), encoding="utf-8") as f:
            text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
        for name, body in re.findall(r"enum\s+(\w+)\s*\{(.*?)\}", text, flags=re.S):
            found[name] = {k: int(v) for k, v in re.findall(r"(NJ_\w+)\s*=\s*(\d+)", body)}
    return found


def header_macro(name):
    for header in os.listdir(cdecl.INCLUDE_DIR):
        with open(os.path.join(cdecl.INCLUDE_DIR, header), encoding="utf-8") as f:
            m = re.search(r"#define\s+%s\s+(?:INT64_C\()?([0-9.]+)" % name, f.read())
        if m:
            return m.group(1)
    raise LookupError(name)


class Enums(unittest.TestCase):
    def test_every_header_enum_is_mirrored_exactly(self):
        enums = header_enums()
        self.assertEqual(sorted(enums), sorted(ENUMS))
        mirrored = {cls: {} for cls, _ in ENUMS.values()}
        for c_name, constants in enums.items():
            cls, prefix = ENUMS[c_name]
            for constant, value in constants.items():
                if constant == "NJ_OK":
                    member = "OK"
                else:
                    self.assertTrue(constant.startswith(prefix), constant)
                    member = constant[len(prefix):]
                with self.subTest(constant=constant):
                    self.assertEqual(cls[member].value, value)
                mirrored[cls][member] = value
        for cls, members in mirrored.items():
            self.assertEqual({m.name: m.value for m in cls}, members, cls.__name__)

    def test_macros(self):
        self.assertEqual(nearjob.MAX_RADIUS_M, float(header_macro("NJ_MAX_RADIUS_M")))
        self.assertEqual(nearjob.STATS_COUNT_MAX, int(header_macro("NJ_STATS_COUNT_MAX")))
        self.assertEqual(nearjob.Measure.age_decade(3), 103)
        self.assertEqual(nearjob.Measure.facility_kind(nearjob.FacilityKind.LIBRARY), 201)

    def test_version(self):
        major, minor = (int(header_macro("NJ_VERSION_" + p)) for p in ("MAJOR", "MINOR"))
        patch = int(header_macro("NJ_VERSION_PATCH"))
        self.assertEqual(nearjob.version_number(), major * 10000 + minor * 100 + patch)
        self.assertEqual(nearjob.version(), "%d.%d.%d" % (major, minor, patch))
        self.assertEqual(nearjob.BINDING_VERSION, (major, minor))
