#!/usr/bin/env python3
"""`nearjob demo`: the seeded figures, determinism, the snapshot, errors.

usage: test_demo.py NEARJOB_EXECUTABLE

The expected figures are those of the default seed (2023) on the bundled
data; docs/demo.md explains them. A change to the round, the data or the
library's selection rules shows up here first.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]

# The summary of `nearjob demo` (default seed), line by line, minus the
# first line (it names the data folder).
EXPECTED = """\
Regions      102, of which 96 neighbourhoods (21 in 광산구)
Facilities   37: 6 real libraries; 21 children's and 10 welfare centres, synthetic
Postings     110 with 363 slots; 109 closed early at 7 applicants per slot
Residents    2,667 synthetic in 광산구, 600 elsewhere in Gwangju (60 of them within 3 km of a posting, not eligible)
Day one      2,535 applications, 6.98 per slot
Placed       363 by seeded lottery (354 persons), fill rate 100.0 %
Stipend      21,580 h paid = 257,449,400 KRW to 354 residents
Cap 100 h    8 residents reached it; 140 h 1 min over the cap, unpaid
             one more minute for resident 675: paid 0 KRW, 1 min over the cap
Attainment   2023: 19,833 of 18,032 target jobs = 110.0 %
Published    placements by neighbourhood x age band and x residency, k = 3: 49 of 176 cells suppressed
"""

check = cli_check.check


def run(*args):
    return subprocess.run([EXE, *args], capture_output=True, text=True,
                          timeout=120)


def summary(result):
    return "".join(result.stdout.splitlines(keepends=True)[1:])


def test_default_seed():
    r = run("demo")
    check(r.returncode == 0, f"demo exits 0 (got {r.returncode}: {r.stderr})")
    check(r.stdout.startswith("nearjob ") and "seed 2023" in r.stdout,
          "first line names the version and the seed")
    got = summary(r)
    check(got == EXPECTED, "the default seed's summary:\n" + got)
    again = run("demo")
    check(again.stdout == r.stdout, "a second run prints the same")


def test_other_seed():
    r = run("demo", "--seed", "1")
    check(r.returncode == 0, "demo --seed 1 exits 0")
    check("seed 1," in r.stdout, "--seed 1 is reported")
    check("Day one      2,541 applications, 7.00 per slot" in r.stdout,
          "seed 1: 2,541 applications, 7.00 per slot")
    check("Cap 100 h    9 residents reached it; 220 h 1 min over the cap" in r.stdout,
          "seed 1: 9 cap hits")
    check("Placed       363 " in r.stdout, "seed 1: 363 placed")
    eq = run("demo", "--seed=1")
    check(eq.stdout == r.stdout, "--seed=1 is --seed 1")


def test_outputs(tmp):
    snap = os.path.join(tmp, "world.nj")
    page = os.path.join(tmp, "demo.html")
    r = run("demo", "--quiet", "--snapshot", snap, "--report", page)
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
          f"--quiet prints nothing (rc {r.returncode}, {r.stdout!r} {r.stderr!r})")
    check(os.path.getsize(snap) > 100000, "the snapshot is written")
    again = os.path.join(tmp, "again.html")
    r = run("report", "--snapshot", snap, "--html", again)
    check(r.returncode == 0, f"report on the snapshot exits 0: {r.stderr}")
    with open(page, "rb") as a, open(again, "rb") as b:
        check(a.read() == b.read(),
              "report --snapshot gives the page demo --report wrote")
    check(sorted(os.listdir(tmp)) == ["again.html", "demo.html", "world.nj"],
          f"no temporary file left: {os.listdir(tmp)}")


def test_errors(tmp):
    missing = os.path.join(tmp, "no-such-folder")
    r = run("demo", "--data", missing)
    check(r.returncode == 2, f"missing --data folder: exit 2 (got {r.returncode})")
    check(missing in r.stderr, "the message names the folder: " + r.stderr)
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    r = run("demo", "--data", empty)
    check(r.returncode == 2 and os.path.join(empty, "admdong_gwangju_all.geojson")
          in r.stderr, "a folder without the files: exit 2 naming the file")

    page = os.path.join(tmp, "no-such-dir", "r.html")
    r = run("demo", "--quiet", "--report", page)
    check(r.returncode == 3, f"--report into a missing folder: exit 3 (got {r.returncode})")
    check(page in r.stderr, "the message names the page: " + r.stderr)
    check(not os.path.exists(os.path.dirname(page)), "nothing created")

    # A folder where the page should go: the rename fails after the write.
    blocked = os.path.join(tmp, "blocked.html")
    os.mkdir(blocked)
    r = run("demo", "--quiet", "--report", blocked)
    check(r.returncode == 3, f"--report over a folder: exit 3 (got {r.returncode})")
    check(sorted(os.listdir(tmp)) == ["blocked.html", "empty"],
          f"the temporary file is removed: {os.listdir(tmp)}")

    for args, code in ((["demo", "--seed", "x"], 1), (["demo", "--bogus"], 1),
                       (["demo", "--data"], 1), (["report"], 1),
                       (["report", "--html", "a.html", "--year", "0"], 1),
                       (["demo", "--help"], 0), (["report", "--help"], 0)):
        r = run(*args)
        check(r.returncode == code, f"{args}: exit {code} (got {r.returncode})")
    check("usage: nearjob demo" in run("demo", "--help").stdout, "demo --help")


def main():
    test_default_seed()
    test_other_seed()
    with tempfile.TemporaryDirectory() as tmp:
        test_outputs(tmp)
    with tempfile.TemporaryDirectory() as tmp:
        test_errors(tmp)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
