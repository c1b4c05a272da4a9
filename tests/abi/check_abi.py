#!/usr/bin/env python3
"""The ABI gate: the built library's ABI equals the committed baseline.

Usage:
    check_abi.py check  SOURCE_ROOT LIBRARY [ABIDIFF]
    check_abi.py update SOURCE_ROOT LIBRARY [ABIDW]

`check` fails (exit 1, naming every difference) unless all of these hold:

1. `abidiff` finds no difference at all, additions included, between
   tests/abi/nearjob.abi (written by abidw) and LIBRARY;
2. the pinned constants of the public headers (every enumerator and NJ_
   macro, with its value) equal tests/abi/nearjob.constants; abidiff
   cannot see them, because the API passes enums as int32_t;
3. the project version in meson.build equals NJ_VERSION_STRING and the
   NJ_VERSION_MAJOR/MINOR/PATCH macros, and CHANGELOG.md has a section
   "## <version>";
4. in the git history (when SOURCE_ROOT is a git checkout), every commit
   that changed the baseline, except the one that created it, also changed
   the version in meson.build and CHANGELOG.md: an ABI change lands only
   together with a new version and a changelog entry.

`update` rewrites both baseline files from LIBRARY and the headers; commit
them with the version bump and the CHANGELOG.md entry (docs/abi.md).

Exit status: 0 all hold, 1 a difference, 2 a usage or tool error.
"""
import os
import re
import subprocess
import sys

BASELINE = "tests/abi/nearjob.abi"
CONSTANTS = "tests/abi/nearjob.constants"
TRACKED = (BASELINE, CONSTANTS)

ENUMERATOR = re.compile(r"\b(NJ_[A-Z0-9_]+)\s*=\s*([^,}]+)")
DEFINE = re.compile(r"^#\s*define\s+(NJ_[A-Z0-9_]+)\s+(.+)$")
MESON_VERSION = re.compile(r"^\s*version:\s*'([^']+)'", re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_constants(source_root):
    """Every enumerator and object-like NJ_ macro of include/, as 'NAME VALUE'."""
    found = {}
    include = os.path.join(source_root, "include")
    for folder, _, files in os.walk(include):
        for name in sorted(files):
            if not name.endswith(".h"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = strip_comments(f.read()).replace("\\\n", " ")
            for block in re.findall(r"\benum\b[^{;]*\{([^}]*)\}", text):
                for key, value in ENUMERATOR.findall(block + ","):
                    found[key] = " ".join(value.split())
            for line in text.splitlines():
                m = DEFINE.match(line.strip())
                if m and not m.group(2).startswith("__"):
                    found[m.group(1)] = " ".join(m.group(2).split())
    found.pop("NJ_API", None)
    return ["%s %s" % (k, found[k]) for k in sorted(found)]


def meson_version(text):
    m = MESON_VERSION.search(text)
    return m.group(1) if m else None


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_versions(source_root, constants):
    errors = []
    version = meson_version(read(os.path.join(source_root, "meson.build")))
    values = dict(line.split(" ", 1) for line in constants)
    if values.get("NJ_VERSION_STRING") != '"%s"' % version:
        errors.append("meson.build says version %s but NJ_VERSION_STRING is %s"
                      % (version, values.get("NJ_VERSION_STRING")))
    parts = (version or "").split(".")
    for macro, part in zip(("NJ_VERSION_MAJOR", "NJ_VERSION_MINOR", "NJ_VERSION_PATCH"), parts):
        if values.get(macro) != part:
            errors.append("%s is %s, meson.build's version %s says %s"
                          % (macro, values.get(macro), version, part))
    changelog = os.path.join(source_root, "CHANGELOG.md")
    if not os.path.exists(changelog):
        errors.append("CHANGELOG.md is missing")
    elif not re.search(r"^## %s\b" % re.escape(version or "?"), read(changelog), re.M):
        errors.append("CHANGELOG.md has no section '## %s'" % version)
    return errors


def git(source_root, *args):
    return subprocess.run(["git", "-C", source_root] + list(args), check=True,
                          capture_output=True, text=True).stdout


def check_history(source_root):
    """Every baseline change after the first came with a version bump."""
    try:
        if git(source_root, "rev-parse", "--show-toplevel").strip() != os.path.realpath(source_root):
            return [], "not the top of a git checkout"
        if git(source_root, "rev-parse", "--is-shallow-repository").strip() == "true":
            return [], "shallow clone"
        commits = git(source_root, "log", "--first-parent", "--format=%H", "--", *TRACKED).split()
    except (OSError, subprocess.CalledProcessError):
        return [], "no git history"
    errors = []
    for commit in commits[:-1]:  # the oldest one created the baseline
        changed = git(source_root, "diff", "--name-only", commit + "^", commit).split()
        old = meson_version(git(source_root, "show", commit + "^:meson.build"))
        new = meson_version(git(source_root, "show", commit + ":meson.build"))
        if old == new or "CHANGELOG.md" not in changed:
            errors.append("commit %s changes the ABI baseline without a new version "
                          "(%s -> %s) and a CHANGELOG.md entry in the same commit"
                          % (commit[:12], old, new))
    return errors, "%d baseline commits checked" % len(commits)


def check(source_root, library, abidiff):
    constants = header_constants(source_root)
    errors = check_versions(source_root, constants)

    baseline = read(os.path.join(source_root, CONSTANTS)).splitlines()
    for line in sorted(set(baseline) - set(constants)):
        errors.append("constant changed or removed: %s (baseline)" % line)
    for line in sorted(set(constants) - set(baseline)):
        errors.append("constant added or changed: %s (headers)" % line)

    diff = subprocess.run([abidiff, "--headers-dir2", os.path.join(source_root, "include"),
                           os.path.join(source_root, BASELINE), library],
                          capture_output=True, text=True)
    if diff.returncode & 3:
        print(diff.stdout + diff.stderr, file=sys.stderr)
        print("check_abi: abidiff failed to run (status %d)" % diff.returncode, file=sys.stderr)
        return 2
    if diff.returncode:
        print(diff.stdout)
        errors.append("abidiff: the library's ABI differs from %s (status %d: %s)"
                      % (BASELINE, diff.returncode,
                         "incompatible" if diff.returncode & 8 else "changed"))

    history_errors, history = check_history(source_root)
    errors += history_errors
    for e in errors:
        print("check_abi: " + e)
    if errors:
        print("check_abi: an intended ABI change needs `check_abi.py update`, a new "
              "version in meson.build and include/nearjob/common.h, and a CHANGELOG.md "
              "entry, all in one commit (docs/abi.md)")
        return 1
    print("check_abi: ABI equals %s; %d constants equal %s; version and CHANGELOG.md "
          "agree; history: %s" % (BASELINE, len(constants), CONSTANTS, history))
    return 0


def update(source_root, library, abidw):
    subprocess.run([abidw, "--exported-interfaces-only", "--no-corpus-path",
                    "--out-file", os.path.join(source_root, BASELINE), library], check=True)
    with open(os.path.join(source_root, CONSTANTS), "w", encoding="utf-8") as f:
        f.write("\n".join(header_constants(source_root)) + "\n")
    print("check_abi: wrote %s and %s" % TRACKED)
    return 0


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ("check", "update"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source_root, library = argv[2], argv[3]
    if argv[1] == "check":
        return check(source_root, library, argv[4] if len(argv) == 5 else "abidiff")
    return update(source_root, library, argv[4] if len(argv) == 5 else "abidw")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
