#!/usr/bin/env python3
"""Each binding covers exactly the exported symbol set (conventions.md §4, gate 5).

Usage: check_bindings.py MAP PYTHON_PROTOTYPES GO_PACKAGE_DIR

- MAP: lib/nearjob.map; its `global:` symbols are the exported functions.
- PYTHON_PROTOTYPES: examples/python/nearjob/_prototypes.py, whose
  `PROTOTYPES` dict literal has one key per declared C function (read
  with ast, so the library need not be loadable).
- GO_PACKAGE_DIR: examples/go/nearjob; every `C.nj_name` referenced in its
  non-test .go files counts as wrapped.

Prints every function missing from a binding and every name a binding
declares that the library does not export. Exit 0 when both sets equal the
map's, 1 otherwise, 2 on a usage error.
"""
import ast
import os
import re
import sys


def map_symbols(path):
    with open(path, encoding="utf-8") as f:
        return set(re.findall(r"^\s+(nj_\w+);", f.read(), re.M))


def python_symbols(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == "PROTOTYPES" for t in targets):
            if not isinstance(node.value, ast.Dict):
                raise SystemExit("%s: PROTOTYPES is not a dict literal" % path)
            return {k.value for k in node.value.keys
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    raise SystemExit("%s: no PROTOTYPES assignment" % path)


def go_symbols(folder):
    found = set()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".go") and not name.endswith("_test.go"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                found |= set(re.findall(r"\bC\.(nj_\w+)\b", f.read()))
    return found


def compare(binding, declared, exported):
    problems = ["%s binding: %s is exported but not wrapped" % (binding, s)
                for s in sorted(exported - declared)]
    problems += ["%s binding: %s is declared but not exported" % (binding, s)
                 for s in sorted(declared - exported)]
    return problems


def main(argv):
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    exported = map_symbols(argv[1])
    problems = compare("Python", python_symbols(argv[2]), exported)
    problems += compare("Go", go_symbols(argv[3]), exported)
    for p in problems:
        print("check_bindings: " + p)
    if problems:
        return 1
    print("check_bindings: the Python and Go bindings each cover the %d exported "
          "functions of %s" % (len(exported), argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
