#!/usr/bin/env python3
"""Checks that the 'memcheck' suite, which .ci/run stage 3e runs under
valgrind, holds a test for every tests/test_*.c but test_locale.c (run
through a shell wrapper that builds locales), so that a new C test cannot
miss that stage by being left out of the suite.

usage: suite_complete.py BUILD_DIR TESTS_DIR
"""
import glob
import json
import os
import subprocess
import sys

EXCLUDED = {"locale"}


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    build_dir, tests_dir = argv
    tests = json.loads(subprocess.check_output(
        ["meson", "introspect", "--tests", build_dir]))
    in_suite = {t["name"] for t in tests if "nearjob:memcheck" in t["suite"]}
    sources = {os.path.basename(p)[len("test_"):-len(".c")]
               for p in glob.glob(os.path.join(tests_dir, "test_*.c"))}
    missing = sorted(sources - EXCLUDED - in_suite)
    if missing:
        sys.exit("suite_complete.py: not in the memcheck suite (tests/meson.build): "
                 + ", ".join("test_%s.c" % name for name in missing))
    print("memcheck suite: %d tests, every tests/test_*.c but %s"
          % (len(in_suite), ", ".join(sorted(EXCLUDED))))


if __name__ == "__main__":
    main(sys.argv[1:])
