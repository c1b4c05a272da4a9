"""The declaration table: exactly the exported set, each entry as the header
declares it, each used by the package."""
import ast
import ctypes
import os
import unittest

import nearjob
from nearjob import _library, _prototypes

from . import cdecl

PACKAGE_DIR = os.path.dirname(os.path.abspath(nearjob.__file__))


def functions_used_by_package():
    """Names of `<something>.nj_*` attribute accesses in the package code."""
    used = set()
    for name in os.listdir(PACKAGE_DIR):
        if name.endswith(".py") and name != "_prototypes.py":
            with open(os.path.join(PACKAGE_DIR, name), encoding="utf-8") as f:
                tree = ast.parse(f.read(), name)
            used |= {node.attr for node in ast.walk(tree)
                     if isinstance(node, ast.Attribute) and node.attr.startswith("nj_")}
    return used


class Prototypes(unittest.TestCase):
    def test_keys_are_the_exported_names(self):
        self.assertEqual(sorted(_prototypes.PROTOTYPES), cdecl.exported_names())
        self.assertEqual(len(_prototypes.PROTOTYPES), 178)

    def test_each_entry_matches_its_header_declaration(self):
        declared = cdecl.by_name()
        self.assertEqual(sorted(declared), sorted(_prototypes.PROTOTYPES))
        for name, (restype, argtypes) in _prototypes.PROTOTYPES.items():
            with self.subTest(name=name):
                want_restype, want_argtypes = cdecl.expected_prototype(declared[name])
                self.assertIs(restype, want_restype)
                self.assertEqual(len(argtypes), len(want_argtypes))
                for got, want in zip(argtypes, want_argtypes):
                    self.assertIs(got, want)

    def test_no_pointer_comes_back_as_int(self):
        for name, (restype, _) in _prototypes.PROTOTYPES.items():
            decl = cdecl.by_name()[name]
            if "*" in decl.restype:
                with self.subTest(name=name):
                    self.assertTrue(restype is ctypes.c_char_p
                                    or issubclass(restype, ctypes.c_void_p), restype)

    def test_every_prototype_is_used_by_a_wrapper(self):
        unused = sorted(set(_prototypes.PROTOTYPES) - functions_used_by_package())
        self.assertEqual(unused, [])
        unknown = sorted(functions_used_by_package() - set(_prototypes.PROTOTYPES))
        self.assertEqual(unknown, [])

    def test_the_loaded_functions_carry_the_prototypes(self):
        for name in _prototypes.PROTOTYPES:
            self.assertTrue(callable(getattr(_library.lib, name)), name)


class ArgumentChecks(unittest.TestCase):
    """ctypes would silently truncate; the loaded functions refuse instead."""

    def test_integers_that_do_not_fit_their_c_type(self):
        with self.assertRaises(nearjob.RangeError) as cm:
            nearjob.date_is_valid(2 ** 31)
        self.assertIn("does not fit int32_t", str(cm.exception))
        self.assertEqual(cm.exception.status, nearjob.Status.RANGE)
        with self.assertRaises(nearjob.RangeError):
            nearjob.date_is_valid(-2 ** 31 - 1)
        self.assertFalse(nearjob.date_is_valid(-2 ** 31))
        with self.assertRaises(nearjob.RangeError):
            nearjob.option_bounds(2 ** 32 + 1)  # would be 1 after truncation
        with self.assertRaises(nearjob.RangeError):
            _library.lib.nj_matches_id(None, -1)  # size_t

    def test_wrong_types(self):
        with self.assertRaises(TypeError):
            nearjob.date_is_valid(20240229.0)
        with self.assertRaises(TypeError):
            nearjob.date_is_valid("20240229")
        with self.assertRaises(TypeError):
            nearjob.distance("35", 126, 35, 126)
        with self.assertRaises(nearjob.RangeError):
            nearjob.distance(10 ** 400, 0, 0, 0)

    def test_index_and_float_protocols_are_accepted(self):
        class Date:
            def __index__(self):
                return 20240229

        class Degrees:
            def __float__(self):
                return 1.0

        self.assertTrue(nearjob.date_is_valid(Date()))
        self.assertTrue(nearjob.date_is_valid(True) is False)
        self.assertAlmostEqual(nearjob.distance(0, 0, 0, Degrees()), 111195.0802335329, 6)
