#!/usr/bin/env python3
"""The progress line of `match --all` and `import`: drawn on stderr when it
is a terminal (a pseudo-terminal here), erased at the end, and silent when
stderr is a pipe; stdout is the same either way.

usage: test_progress.py NEARJOB_EXECUTABLE
"""
import os
import pty
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]
run = cli_check.runner(EXE)
check = cli_check.check
ERASE = "\r\x1b[K"


def on_terminal(*args):
    """Run with stderr on a pseudo-terminal: (exit status, stdout, what
    the terminal received)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([EXE, *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed its end
            break
        if not chunk:
            break
        received += chunk
    out = proc.stdout.read()
    proc.stdout.close()
    os.close(master)
    return proc.wait(timeout=120), out.decode(), received.decode()


def test_match(world):
    args = ["match", "-s", world, "--all", "--date", "20230301", "--csv"]
    quiet = run(*args)
    check(quiet.returncode == 0 and quiet.stderr == "",
          f"stderr a pipe: no progress ({quiet.stderr!r})")
    code, out, tty = on_terminal(*args)
    check(code == 0 and out == quiet.stdout, "stdout is the same with a terminal")
    check(tty.startswith(ERASE + "nearjob: match --all: postings 0/3 (0 %)"),
          f"the first step is drawn: {tty!r}")
    check(ERASE + "nearjob: match --all: postings 3/3 (100 %)" in tty,
          f"so is the last: {tty!r}")
    check(tty.endswith(ERASE) and "\n" not in tty, f"and the line is erased: {tty!r}")


def test_import(tmp, world):
    more = cli_check.write(tmp, "more.csv", "id,kind,name,lat,lon\n9,other,X,35.15,126.8\n")
    args = ["import", "-s", world, "--csv", f"facilities={more}"]
    code, out, tty = on_terminal(*args)
    check(code == 0 and out.startswith("imported"), f"import on a terminal: {out!r}")
    check(ERASE + f"nearjob: import: files done 0/1 (0 %) reading {more}" in tty and
          ERASE + f"nearjob: import: files done 1/1 (100 %) saving {world}" in tty and
          tty.endswith(ERASE), f"each file and the save are shown: {tty!r}")
    # A failure erases the line before its message.
    code, _, tty = on_terminal(*args)
    check(code == 2 and ERASE + "nearjob: " + more in tty and "already exists" in tty,
          f"the error follows an erased line: {tty!r}")
    quiet = run("import", "-s", world, "--csv", f"facilities={more}")
    check(quiet.returncode == 2 and quiet.stderr.startswith("nearjob: " + more),
          f"stderr a pipe: just the message ({quiet.stderr!r})")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        world = cli_check.make_world(run, tmp)
        test_match(world)
        test_import(tmp, world)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
