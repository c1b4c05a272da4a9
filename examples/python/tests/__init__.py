"""Tests of the Python binding: python3 -m unittest discover -s tests -t .

(run from examples/python; meson registers them as the test `python`).

Every C function the binding declares is instrumented here, before any
test runs (tests/instrument.py): each call is counted and checked against
docs/threading.md's locking rule. When the whole suite is discovered,
load_tests() appends two last tests: one fails if some function was never
called, the other if some call broke the locking rule. So "covered by a
test" and "locked as threading.md says" are measured rather than claimed.
"""
import os
import unittest

from nearjob._prototypes import PROTOTYPES

from . import instrument

instrument.install()


def _final_checks():
    """The last tests of a full run (built here, not at module level, so the
    loader does not also collect them first)."""
    class FinalChecks(unittest.TestCase):
        def test_every_declared_function_was_called(self):
            missing = sorted(set(PROTOTYPES) - instrument.CALLED)
            self.assertEqual(missing, [], "C functions no test reached through the binding")

        def test_every_call_held_the_lock_threading_md_asks_for(self):
            self.assertEqual(instrument.VIOLATIONS, [])
    return [FinalChecks("test_every_declared_function_was_called"),
            FinalChecks("test_every_call_held_the_lock_threading_md_asks_for")]


def load_tests(loader, standard_tests, pattern):
    here = os.path.dirname(os.path.abspath(__file__))
    standard_tests.addTests(loader.discover(start_dir=here, pattern=pattern or "test*.py"))
    standard_tests.addTests(_final_checks())
    return standard_tests
