"""Tests of the Python binding: python3 -m unittest discover -s tests -t .

(run from examples/python; meson registers them as the test `python`).

Every C function the binding declares is wrapped here, before any test
runs, by a counter; when the whole suite is discovered, load_tests()
appends a last test that fails if some function was never called, so
"covered by a test" is measured rather than claimed.
"""
import os
import unittest

from nearjob import _library
from nearjob._prototypes import PROTOTYPES

CALLED = set()


def _counting(name, function):
    def call(*args):
        CALLED.add(name)
        return function(*args)
    call.__name__ = name
    return call


for _name in PROTOTYPES:
    setattr(_library.lib, _name, _counting(_name, getattr(_library.lib, _name)))


def _every_function_called():
    """The last test of a full run (built here, not at module level, so the
    loader does not also collect it first)."""
    class EveryFunctionCalled(unittest.TestCase):
        def test_every_declared_function_was_called(self):
            missing = sorted(set(PROTOTYPES) - CALLED)
            self.assertEqual(missing, [], "C functions no test reached through the binding")
    return EveryFunctionCalled("test_every_declared_function_was_called")


def load_tests(loader, standard_tests, pattern):
    here = os.path.dirname(os.path.abspath(__file__))
    standard_tests.addTests(loader.discover(start_dir=here, pattern=pattern or "test*.py"))
    standard_tests.addTest(_every_function_called())
    return standard_tests
