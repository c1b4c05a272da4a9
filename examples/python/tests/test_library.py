"""Finding the library and refusing an incompatible one."""
import ctypes
import os
import subprocess
import sys
import unittest
from unittest import mock

import nearjob
from nearjob import _library

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(nearjob.__file__)))


def import_in_subprocess(env):
    return subprocess.run([sys.executable, "-c", "import nearjob; print(nearjob.library_path())"],
                          cwd=PACKAGE_PARENT, env=env, capture_output=True, text=True)


class Lookup(unittest.TestCase):
    def test_the_environment_variable_comes_first_and_alone(self):
        with mock.patch.dict(os.environ, {"NEARJOB_LIBRARY": "/x/libnearjob.so.0"}):
            self.assertEqual(_library._candidates(), [("NEARJOB_LIBRARY", "/x/libnearjob.so.0")])

    def test_then_find_library_then_build_trees_upwards(self):
        env = {k: v for k, v in os.environ.items() if k != "NEARJOB_LIBRARY"}
        with mock.patch.dict(os.environ, env, clear=True), \
                mock.patch("ctypes.util.find_library", return_value="libnearjob.so.0"):
            candidates = _library._candidates()
        self.assertEqual(candidates[0], ("find_library", "libnearjob.so.0"))
        folders = []
        for what, path in candidates[1:]:
            self.assertEqual(what, "build tree")
            self.assertTrue(os.path.isfile(path), path)
            self.assertRegex(path, r"/build[^/]*/lib/libnearjob\.so[.0-9]*$")
            folders.append(os.path.dirname(os.path.dirname(os.path.dirname(path))))
        # Nearest folder first: each is the package's folder or an ancestor.
        depths = [len(f) for f in folders]
        self.assertEqual(depths, sorted(depths, reverse=True))
        for folder in folders:
            self.assertTrue(os.path.abspath(nearjob.__file__).startswith(folder + os.sep))

    def test_a_bad_explicit_path_is_a_clear_import_error(self):
        r = import_in_subprocess(dict(os.environ, NEARJOB_LIBRARY="/nonexistent/libnearjob.so"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError: nearjob: cannot load libnearjob (set NEARJOB_LIBRARY to its "
                      "path); tried: NEARJOB_LIBRARY /nonexistent/libnearjob.so", r.stderr)

    def test_the_explicit_path_is_used(self):
        r = import_in_subprocess(dict(os.environ))
        self.assertEqual(r.returncode, 0, r.stderr)
        if "NEARJOB_LIBRARY" in os.environ:
            self.assertEqual(r.stdout.strip(), os.environ["NEARJOB_LIBRARY"])
        self.assertEqual(r.stdout.strip(), nearjob.library_path())


class FakeLibrary:
    path = "/fake/libnearjob.so"

    def __init__(self, number):
        self.number = number

    def nj_version_number(self):
        return self.number

    def nj_version_string(self):
        n = self.number
        return b"%d.%d.%d" % (n // 10000, n // 100 % 100, n % 100)


class VersionCheck(unittest.TestCase):
    def test_same_major_and_at_least_the_minor_is_accepted(self):
        for number in (100, 101, 199, 9900):
            _library._check_version(FakeLibrary(number))

    def test_another_major_or_an_older_minor_is_refused(self):
        for number, text in ((10000, "1.0.0"), (1, "0.0.1"), (20100, "2.1.0")):
            with self.assertRaises(ImportError) as cm:
                _library._check_version(FakeLibrary(number))
            self.assertEqual(str(cm.exception), "nearjob: /fake/libnearjob.so is version %s; "
                             "this binding needs 0.x with x >= 1" % text)

    def test_a_missing_function_is_refused(self):
        real = ctypes.CDLL(nearjob.library_path())

        class Old:
            def __getattr__(self, name):
                if name == "nj_stats_table_json":
                    raise AttributeError(name)
                return getattr(real, name)

        with self.assertRaises(ImportError) as cm:
            _library.Functions(Old(), "/old/libnearjob.so")
        self.assertEqual(str(cm.exception), "nearjob: /old/libnearjob.so does not export "
                         "nj_stats_table_json (the binding needs libnearjob 0.1 or later)")
