#!/usr/bin/env python3
"""Runs a test under valgrind's memcheck (reliability.md §7): it fails on any
memory error, on a definitely or indirectly lost block, and on a file
descriptor the program opened and left open at exit (valgrind 3.19 only
reports those, so the log is read here). A test run through a shell is
checked with the programs the shell starts, but not the system's own
(/bin, /usr/bin): their errors are read from the log, as a pipeline's exit
status is its last command's. A forked copy of the test (the crash tests
fork children that die by SIGKILL in the middle of a save) is checked for
memory errors but not for leaks: such a process ends by design without
freeing what it holds, and valgrind's leak check at its self-sent SIGKILL
sometimes reports a buffer the test still holds as definitely lost
(docs/testing.md).

usage: memcheck.py PROGRAM [ARGS...]   (meson test --wrapper)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def pid_of(log):
    """The process id in valgrind's line prefix ("==1234=="), or "?"."""
    for line in log:
        if line.startswith("=="):
            return line.split("==")[1]
    return "?"


def leaked_fds(log_lines):
    """Descriptors the test's own process left open at exit, not inherited
    from its parent. Forked children are not counted: the crash tests kill
    theirs in the middle of a save, open files and all."""
    main_prefix = "==%s==" % pid_of(log_lines)
    leaked = []
    for i, line in enumerate(log_lines):
        if not line.startswith(main_prefix) or "Open file descriptor" not in line:
            continue
        following = log_lines[i + 1] if i + 1 < len(log_lines) else ""
        if "<inherited from parent>" not in following:
            leaked.append(line.split("==", 2)[-1].strip())
    return leaked


def read_logs(log_dir):
    """The log of each traced process (one file per process: they would
    overwrite one another's in a shared file), the test's own first."""
    parent = "Parent PID: %d" % os.getpid()
    logs = []
    for name in sorted(os.listdir(log_dir)):
        with open(os.path.join(log_dir, name), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        if any(line.endswith(parent) for line in lines[:12]):
            logs.insert(0, lines)
        else:
            logs.append(lines)
    return logs


LEAK_RECORD = re.compile(r"are (definitely|indirectly) lost in loss record")


def command_of(log):
    """The command line valgrind's header names, or None."""
    for line in log[:12]:
        if "Command: " in line:
            return line.split("Command: ", 1)[1]
    return None


def error_count(log, count_leaks):
    """The errors of one traced process: its error summary, less its leak
    records when count_leaks is false."""
    summaries = [line for line in log if "ERROR SUMMARY:" in line]
    if not summaries:
        return 0
    count = int(summaries[-1].split("ERROR SUMMARY:")[1].split()[0])
    if not count_leaks:
        count -= sum(1 for line in log if LEAK_RECORD.search(line))
    return count


def process_errors(logs):
    """One line per traced process with an error that counts."""
    test_command = command_of(logs[0]) if logs else None
    found = []
    for index, log in enumerate(logs):
        forked_copy = index > 0 and command_of(log) == test_command
        count = error_count(log, count_leaks=not forked_copy)
        if count > 0:
            found.append("process %s (%s): %d error(s)%s" % (
                pid_of(log), command_of(log), count,
                ", leaks not counted in a forked copy" if forked_copy else ""))
    return found


def main(argv):
    if not argv:
        sys.exit(__doc__)
    log_dir = tempfile.mkdtemp(prefix="memcheck-")
    command = ["valgrind", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite,indirect", "--track-fds=yes",
               "--trace-children=yes", "--trace-children-skip=/bin/*,/usr/bin/*",
               "--suppressions=" + os.path.join(HERE, "nearjob.supp"),
               "--log-file=" + os.path.join(log_dir, "%p.log")] + argv
    env = dict(os.environ, ASAN_OPTIONS="")
    rc = subprocess.call(command, env=env)
    logs = read_logs(log_dir)
    shutil.rmtree(log_dir)
    lines = [line for log in logs for line in log]
    fds = leaked_fds(logs[0]) if logs else []
    errors = process_errors(logs)
    if rc != 0 or fds or errors or not logs:
        sys.stderr.write("\n".join(lines) + "\n")
        for fd in fds:
            sys.stderr.write("memcheck.py: left open at exit: %s\n" % fd)
        for line in errors:
            sys.stderr.write("memcheck.py: %s\n" % line)
        if not logs:
            sys.stderr.write("memcheck.py: valgrind wrote no log\n")
        sys.exit(rc or 1)


if __name__ == "__main__":
    main(sys.argv[1:])
