"""Every public class, function, method and property has a docstring and
type hints; the example runs."""
import enum
import inspect
import os
import subprocess
import sys
import unittest

import nearjob


def public_members(cls):
    for name, member in vars(cls).items():
        if not name.startswith("_"):
            yield name, member


class Documented(unittest.TestCase):
    def check_function(self, where, function):
        self.assertTrue(inspect.getdoc(function), "%s has no docstring" % where)
        signature = inspect.signature(function)
        self.assertIsNot(signature.return_annotation, inspect.Signature.empty,
                         "%s has no return annotation" % where)
        for parameter in signature.parameters.values():
            if parameter.name not in ("self", "cls"):
                self.assertIsNot(parameter.annotation, inspect.Parameter.empty,
                                 "%s: parameter %s has no annotation" % (where, parameter.name))

    def test_public_api(self):
        checked = 0
        for name in nearjob.__all__:
            obj = getattr(nearjob, name)
            if inspect.isfunction(obj):
                self.check_function(name, obj)
                checked += 1
            elif inspect.isclass(obj):
                self.assertTrue(obj.__doc__, "%s has no docstring" % name)
                if issubclass(obj, (enum.Enum, tuple, BaseException)):
                    continue
                for member_name, member in public_members(obj):
                    where = "%s.%s" % (name, member_name)
                    if isinstance(member, property):
                        self.assertTrue(member.fget.__doc__, "%s has no docstring" % where)
                        self.assertIn("return", member.fget.__annotations__, where)
                        checked += 1
                    elif isinstance(member, (classmethod, staticmethod)):
                        self.check_function(where, member.__func__)
                        checked += 1
                    elif inspect.isfunction(member):
                        self.check_function(where, member)
                        checked += 1
        self.assertGreater(checked, 100)


class Example(unittest.TestCase):
    """examples/python/example.py, the Python column of docs/ffi.md's
    side-by-side query, prints the hand-checked haversine distances."""

    def test_example_runs(self):
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        out = subprocess.run([sys.executable, os.path.join(here, "example.py")], cwd=here,
                             check=True, capture_output=True, text=True).stdout
        self.assertEqual(out, "posting 20 at 4546.3 m: 어린이 열람실\n"
                              "posting 10 at 5716.3 m: 도서 정리\n"
                              "refused: posting 10: slots -1 outside [0, 1000000]\n")
