#!/usr/bin/env python3
"""Runs a test under valgrind's memcheck (reliability.md §7): it fails on any
memory error, on a definitely or indirectly lost block, and on a file
descriptor the program opened and left open at exit (valgrind 3.19 only
reports those, so the log is read here).

usage: memcheck.py PROGRAM [ARGS...]   (meson test --wrapper)
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def leaked_fds(log_lines):
    """Descriptors the test's own process left open at exit, not inherited
    from its parent. Forked children are not counted: the crash tests kill
    theirs in the middle of a save, open files and all."""
    pids = [line.split("==")[1] for line in log_lines if line.startswith("==")]
    main_prefix = "==%s==" % pids[0] if pids else "=="
    leaked = []
    for i, line in enumerate(log_lines):
        if not line.startswith(main_prefix) or "Open file descriptor" not in line:
            continue
        following = log_lines[i + 1] if i + 1 < len(log_lines) else ""
        if "<inherited from parent>" not in following:
            leaked.append(line.split("==", 2)[-1].strip())
    return leaked


def main(argv):
    if not argv:
        sys.exit(__doc__)
    with tempfile.NamedTemporaryFile(prefix="memcheck-", suffix=".log", delete=False) as log:
        log_path = log.name
    command = ["valgrind", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite,indirect", "--track-fds=yes",
               "--suppressions=" + os.path.join(HERE, "nearjob.supp"),
               "--log-file=" + log_path] + argv
    env = dict(os.environ, ASAN_OPTIONS="")
    rc = subprocess.call(command, env=env)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    os.unlink(log_path)
    fds = leaked_fds(lines)
    if rc != 0 or fds:
        sys.stderr.write("\n".join(lines) + "\n")
        for fd in fds:
            sys.stderr.write("memcheck.py: left open at exit: %s\n" % fd)
        sys.exit(rc or 1)


if __name__ == "__main__":
    main(sys.argv[1:])
