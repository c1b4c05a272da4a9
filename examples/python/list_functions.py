#!/usr/bin/env python3
"""Print the C functions the Python binding declares, one per line, sorted.

Reads nearjob/_prototypes.py alone, so it needs no built library:

    python3 examples/python/list_functions.py | diff - <(exported names)
"""
import importlib.util
import os

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nearjob", "_prototypes.py")
spec = importlib.util.spec_from_file_location("nearjob_prototypes", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print("\n".join(sorted(module.PROTOTYPES)))
