#!/usr/bin/env python3
"""`nearjob locate`, `match`, `apply`, `withdraw`, `select`, `stipend` and `stats`: the
hand-checkable values of a small hand-made round (cli_check.py) and the
demo's world, and every refusal leaving the world file untouched.

usage: test_commands.py NEARJOB_EXECUTABLE
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]
run = cli_check.runner(EXE)
check = cli_check.check


def ok(r, what):
    check(r.returncode == 0, f"{what}: exit 0 (got {r.returncode}: {r.stderr})")
    return r.stdout


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


def refused(world, args, code, needle, what):
    """A failing command: its exit status, its message, the world as it was."""
    before = cli_check.state(world)
    r = run(*args)
    check(r.returncode == code, f"{what}: exit {code} (got {r.returncode}: {r.stderr})")
    check(needle in r.stderr, f"{what}: the message says {needle!r}: {r.stderr!r}")
    check(r.stdout == "", f"{what}: nothing on stdout: {r.stdout!r}")
    check(cli_check.state(world) == before, f"{what}: the world file is untouched")


# ---- locate --------------------------------------------------------------

def test_locate(world):
    # A Gwangsan-gu point: the synthetic centre's site at 송정1동's centroid.
    out = ok(run("locate", "35.134695", "126.804468"), "locate (bundled)")
    lines = out.splitlines()
    check(len(lines) == 4 and lines[1].split() == ["neighbourhood", "2920051500", "송정1동"]
          and lines[2].split() == ["district", "29200", "광산구"]
          and lines[3].split() == ["province", "29", "광주광역시"],
          f"송정1동 < 광산구 < 광주광역시:\n{out}")
    rows = csv_rows(ok(run("locate", "35.1826649", "126.8278526", "--csv"), "locate --csv"))
    check(rows == [["level", "region_id", "name"],
                   ["neighbourhood", "2920063000", "신가동"],
                   ["district", "29200", "광산구"], ["province", "29", "광주광역시"]],
          f"신가도서관 lies in 신가동: {rows}")
    same = run("locate", "-s", world, "35.1826649", "126.8278526", "--csv")
    check(csv_rows(same.stdout) == rows, "a world's regions locate as the bundled ones")
    out = ok(run("locate", "-33.8688", "151.2093"), "locate Sydney")
    check(out == "no region contains -33.8688000, 151.2093000\n",
          f"a point outside every region is a sentence and exit 0: {out!r}")
    check(ok(run("locate", "37.5665", "126.978", "--csv"), "Seoul --csv")
          == "level,region_id,name\n", "outside, CSV: the header alone")
    for args, code in ((["locate", "35.1"], 1), (["locate", "35.1", "abc"], 1),
                       (["locate", "91", "126"], 1), (["locate", "35", "126", "7"], 1),
                       (["locate", "35", "126", "-s", "x.nj", "--data", "d"], 1),
                       (["locate", "35", "126", "-s", "/nonexistent/w.nj"], 2),
                       (["locate", "35", "126", "--data", "/nonexistent"], 2)):
        r = run(*args)
        check(r.returncode == code, f"{args}: exit {code} (got {r.returncode})")


# ---- match ---------------------------------------------------------------

def distance(participant, posting):
    home = cli_check.HOMES[participant]
    site = cli_check.SITES[cli_check.POSTING_SITE[posting]]
    return cli_check.haversine_m(*home, *site)


def close(printed, expected):
    return abs(float(printed.replace(",", "")) - expected) <= 0.006


def test_match(world):
    out = ok(run("match", "-s", world, "--participant", "1", "--radius", "10000",
                 "--date", "20230301"), "match --participant 1")
    rows = [line.split() for line in out.splitlines()[1:4]]
    check([r[0] for r in rows] == ["10", "30", "20"],
          f"participant 1's postings, nearest first: {rows}")
    check(rows and rows[0][1] == "772.74" and close(rows[0][1], distance(1, 10)),
          f"신가도서관 is 772.74 m from participant 1's home: {rows[:1]}")
    check(all(close(r[1], distance(1, int(r[0]))) for r in rows),
          "every distance is the haversine one")
    check(out.splitlines()[-1] == "3 open postings within 10000 m of participant 1's "
          "home, open to them on 2023-03-01", "the summary line")
    rows = csv_rows(ok(run("match", "-s", world, "--participant", "1", "--date",
                           "2023-03-01", "--csv"), "match --csv (2 km)"))
    check(rows == [["posting_id", "distance_m", "facility_id", "facility", "title"],
                   ["10", "772.74", "1", "신가도서관", "도서 정리"]],
          f"within the default 2000 m only 신가도서관: {rows}")
    rows = csv_rows(ok(run("match", "-s", world, "--participant", "1", "--radius",
                           "10000", "--date", "20230301", "--limit", "2", "--csv"),
                       "--limit 2"))
    check([r[0] for r in rows[1:]] == ["10", "30"] and rows[2][3] == "'=1+1 복지관",
          f"--limit 2 keeps the nearest two; a formula-like name is quoted: {rows}")
    # Residents to notify about posting 20 (3 km, 광산구 only, foreigners allowed).
    rows = csv_rows(ok(run("match", "-s", world, "--posting", "20", "--date",
                           "20230301", "--csv"), "match --posting 20"))
    check([r[0] for r in rows[1:]] == ["3", "2"] and rows[1][2] == "2920051500",
          f"participants 3 then 2, both in 송정1동: {rows}")
    check(close(rows[1][1], distance(3, 20)) and close(rows[2][1], distance(2, 20)),
          f"their distances: {rows}")
    out = ok(run("match", "-s", world, "--posting", "20", "--date", "20230311"),
             "after the window")
    check(out == "0 eligible residents within 3000 m of posting 20 on 2023-03-11\n",
          f"outside the application window nobody matches: {out!r}")
    # The batch: participant 4 is 13 (posting 10 is for 19-70), 5 lives in 동구.
    want = "posting_id,participant_id,distance_m\n10,1,772.74\n20,3,59.08\n20,2,716.27\n"
    for threads in ("1", "2", "7"):
        got = ok(run("match", "-s", world, "--all", "--date", "20230301", "--csv",
                     "--threads", threads), f"--all --threads {threads}")
        check(got == want, f"--all --threads {threads}:\n{got}")
    out = ok(run("match", "-s", world, "--all", "--date", "20230301"), "--all table")
    check(out.splitlines()[1] == "        10             1        772.74" and
          out.endswith("3 matches for 3 open postings of 3 on 2023-03-01\n"),
          f"--all as a table:\n{out}")
    for args, code, needle in (
            (["--participant", "99"], 2,
             "nearjob: participant 99 (NJ_E_NOT_FOUND: not found)\n"),
            (["--posting", "99"], 2, "nearjob: posting 99 (NJ_E_NOT_FOUND: not found)\n"),
            (["--participant", "1", "--posting", "10"], 1, "one of"),
            ([], 1, "one of"),
            (["--all", "--limit", "3"], 1, "--limit"),
            (["--posting", "10", "--radius", "5"], 1, "--radius"),
            (["--participant", "1", "--limit", "x"], 1, "--limit needs"),
            (["--participant", "1", "--radius", "-5"], 1,
             "--radius needs a decimal number from 0 to 20015114.442: -5"),
            (["--participant", "1", "--date", "20230230"], 1, "--date needs"),
            (["--all", "--threads", "65"], 1, "--threads needs"),
            (["--all", "--bogus"], 1, "unknown option")):
        refused(world, ["match", "-s", world, *args], code, needle, f"match {args}")
    refused(world, ["match", "--all"], 1, "missing --snapshot W.nj", "match without -s")


# ---- apply, select, stipend, stats on the hand-made round ----------------

WORK_HEADER = "entry_id,participant_id,posting_id,date,minutes,void\n"


def work_entries(winner):
    """Participant 1: 25 days of 4 h and one of 1 h on posting 10 (101 h,
    one over the cap); the winner of posting 20: 10 days of 2 h; a void
    half hour of participant 2's."""
    rows = [f"{k},1,10,2023-03-{15 + k:02d},240,0" if k <= 16 else
            f"{k},1,10,2023-04-{k - 16:02d},240,0" for k in range(1, 26)]
    rows.append("26,1,10,2023-04-10,60,0")
    rows += [f"{30 + k},{winner},20,2023-04-{k:02d},120,0" for k in range(1, 11)]
    rows.append("50,2,10,2023-04-20,30,1")
    return WORK_HEADER + "\n".join(rows) + "\n"


def test_round(tmp, world):
    def apply(who, posting, date):
        return run("apply", "-s", world, "--participant", str(who), "--posting",
                   str(posting), "--date", date)

    out = ok(apply(2, 20, "2023-03-02"), "apply 2 -> 20")
    check(out == f"participant 2 applied to posting 20 on 2023-03-02: application 1, "
          f"1 slot\nsaved {world}\n", f"apply's report: {out!r}")
    out = ok(apply(3, 20, "20230302"), "apply 3 -> 20")
    check("posting 20 is now closed (early close at 2 applicants per slot)" in out,
          f"the second applicant closes posting 20: {out!r}")
    ok(apply(1, 10, "2023-03-03"), "apply 1 -> 10")
    ok(apply(2, 10, "2023-03-05"), "apply 2 -> 10")
    for args, code, needle in (
            ((1, 20, "2023-03-02"), 4, "closed"),
            ((4, 10, "2023-03-02"), 4, "NJ_E_INELIGIBLE"),
            ((5, 10, "2023-03-02"), 4, "NJ_E_INELIGIBLE"),
            ((1, 10, "2023-03-04"), 4, "NJ_E_EXISTS"),
            ((3, 10, "2023-03-11"), 4, "NJ_E_CLOSED"),
            ((9, 10, "2023-03-02"), 2, "NJ_E_NOT_FOUND")):
        refused(world, ["apply", "-s", world, "--participant", str(args[0]),
                        "--posting", str(args[1]), "--date", args[2]],
                code, needle, f"apply {args}")
    refused(world, ["apply", "-s", world, "--participant", "1", "--posting", "10"],
            1, "missing --date D", "apply without --date")

    before = os.path.join(tmp, "before.nj")
    shutil.copyfile(world, before)
    out = ok(run("select", "-s", world, "--posting", "20", "--date", "2023-03-11",
                 "--seed", "42"), "select 20")
    lines = out.splitlines()
    check(lines[0] == "posting 20, 학습 보조, 오후 at 송정1동 지역아동센터: 1 slot, "
          "2 applications" and lines[1] == "selected on 2023-03-11 by lottery, seed 42",
          f"the heading names the posting, method and seed:\n{out}")
    ranks = [line.split() for line in lines[3:5]]
    winner = int(ranks[0][1]) if ranks and ranks[0][2:] == ["selected"] else 0
    check(sorted(r[1] for r in ranks) == ["2", "3"] and ranks[1][2] == "waitlisted"
          and winner in (2, 3), f"one of the two selected, the other waitlisted:\n{out}")
    untouched = cli_check.state(before)
    audit = run("select", "-s", before, "--posting", "20", "--date", "20230311",
                "--seed", "42", "--dry-run")
    check(audit.returncode == 0 and audit.stdout.splitlines()[:-1] == lines[:-1],
          f"re-running the draw on the world before it gives the same ranks:\n{audit.stdout}")
    check(audit.stdout.endswith(f"dry run: {before} is unchanged\n"), "--dry-run says so")
    check(cli_check.state(before) == untouched, "--dry-run saved nothing")
    rows = csv_rows(ok(run("select", "-s", world, "--posting", "10", "--date",
                           "2023-03-11", "--method", "first-come", "--csv"), "select 10"))
    check(rows == [["posting_id", "method", "seed", "rank", "participant_id", "status"],
                   ["10", "first-come", "0", "1", "1", "selected"],
                   ["10", "first-come", "0", "2", "2", "selected"]],
          f"first come: 1 then 2, both in the 2 slots: {rows}")
    refused(world, ["select", "-s", world, "--posting", "20", "--date", "20230312",
                    "--seed", "1"], 4, "already", "a second selection")
    refused(world, ["select", "-s", world, "--posting", "30", "--date", "20230312",
                    "--method", "first-come", "--seed", "1"], 1, "--seed goes with",
            "--seed with first-come")
    refused(world, ["select", "-s", world, "--posting", "30", "--date", "20230312",
                    "--method", "random"], 1, "--method needs one of", "bad method")
    drawn = ok(run("select", "-s", before, "--posting", "30", "--date", "20230312",
                   "--dry-run"), "a drawn seed")
    check(drawn.splitlines()[1].startswith("selected on 2023-03-12 by lottery, seed "),
          f"without --seed one is drawn and printed: {drawn!r}")

    test_withdraw(tmp, world, before, winner)
    entries = cli_check.write(tmp, "work.csv", work_entries(winner))
    ok(run("import", "-s", world, "--csv", f"work-entries={entries}"), "import work")
    test_stipend(world, winner)
    test_stats_round(world, winner)


def test_withdraw(tmp, world, before, winner):
    """On copies: posting 20 (1 slot) was drawn between 2 and 3; the winner
    withdraws and the waitlisted one takes the slot. Before any draw a
    withdrawal only withdraws."""
    drawn = os.path.join(tmp, "withdraw-drawn.nj")
    shutil.copyfile(world, drawn)
    other = 5 - winner  # 2 and 3 applied

    def withdraw(path, who, posting):
        return run("withdraw", "-s", path, "--participant", str(who), "--posting", str(posting))

    out = ok(withdraw(drawn, winner, 20), "withdraw the winner")
    check(out == f"participant {winner} withdrew from posting 20 (was selected)\n"
          f"participant {other} moves up from the waitlist to the slot\nsaved {drawn}\n",
          f"withdraw names who moved up: {out!r}")
    rows = csv_rows(ok(run("select", "-s", drawn, "--posting", "30", "--date", "20230312",
                           "--seed", "1", "--dry-run", "--csv"), "the drawn copy still loads"))
    check(rows[0][0] == "posting_id", f"the saved copy is a world: {rows[:1]}")
    out = ok(withdraw(drawn, other, 20), "withdraw the one who moved up")
    check(out == f"participant {other} withdrew from posting 20 (was selected)\nsaved {drawn}\n",
          f"nobody is left to move up: {out!r}")
    for who, posting, code, needle in ((winner, 20, 4, "NJ_E_CLOSED"),
                                       (9, 20, 2, "NJ_E_NOT_FOUND"),
                                       (1, 20, 2, "NJ_E_NOT_FOUND")):
        refused(drawn, ["withdraw", "-s", drawn, "--participant", str(who),
                        "--posting", str(posting)], code, needle, f"withdraw {who} {posting}")
    refused(drawn, ["withdraw", "-s", drawn, "--participant", "1"], 1,
            "missing --posting ID", "withdraw without --posting")
    refused(drawn, ["withdraw", "-s", drawn, "--participant", "1", "--posting", "10",
                    "--date", "20230301"], 1, "unknown option", "withdraw takes no --date")

    undrawn = os.path.join(tmp, "withdraw-undrawn.nj")
    shutil.copyfile(before, undrawn)
    out = ok(withdraw(undrawn, 1, 10), "withdraw before the draw")
    check(out == f"participant 1 withdrew from posting 10 (was not yet selected)\n"
          f"saved {undrawn}\n", f"before the draw: {out!r}")
    refused(undrawn, ["apply", "-s", undrawn, "--participant", "1", "--posting", "10",
                      "--date", "2023-03-06"], 4, "NJ_E_EXISTS", "no second application")


def test_stipend(world, winner):
    out = ok(run("stipend", "-s", world), "stipend")
    lines = out.splitlines()
    check(lines[0] == "stipend period from 2023-01-01 (containing 2023-04-20), "
          "cap 100:00 per person", f"the period and the cap: {lines[:1]}")
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:-1]}
    check(rows.get("1") == ["101:00", "100:00", "1:00", "0:00", "1,193,000"],
          f"participant 1: 101 h worked, 100 h paid = 6000 x 11930 / 60 won: {rows}")
    check(rows.get(str(winner)) == ["20:00", "20:00", "0:00", "80:00", "238,600"],
          f"posting 20's winner: 20 h = 238,600 won: {rows}")
    check(rows.get("total") == ["121:00", "120:00", "1:00", "1,431,600"],
          f"the programme's totals: {rows.get('total')}")
    check("2" not in rows or winner == 2, "a void entry alone is no work")
    check(lines[-1] == "2 residents worked in the period; budget: none set", lines[-1])
    rows = csv_rows(ok(run("stipend", "-s", world, "--csv"), "stipend --csv"))
    check(rows[0] == ["participant_id", "worked_minutes", "paid_minutes",
                      "over_cap_minutes", "remaining_minutes", "amount_krw"]
          and rows[1] == ["1", "6060", "6000", "60", "0", "1193000"]
          and rows[-1] == ["total", "7260", "7200", "60", "", "1431600"],
          f"CSV in minutes: {rows}")
    rows = csv_rows(ok(run("stipend", "-s", world, "--participant", "2", "--csv"),
                       "--participant 2"))
    want = ["2", "1200", "1200", "0", "4800", "238600"] if winner == 2 else \
        ["2", "0", "0", "0", "6000", "0"]
    check(rows[1:] == [want], f"participant 2's statement: {rows}")
    rows = csv_rows(ok(run("stipend", "-s", world, "--date", "2024-05-01", "--csv"),
                       "another period"))
    check(rows[1:] == [["total", "0", "0", "0", "", "0"]], f"2024 is empty: {rows}")
    refused(world, ["stipend", "-s", world, "--participant", "77"], 2,
            "participant 77", "an unknown resident")


def test_stats_round(world, winner):
    # 3 placements (posting 10: 1 and 2, posting 20: the winner) against a
    # target of 4.
    doc = json.loads(ok(run("stats", "-s", world, "--year", "2023", "--k", "1",
                            "--json"), "stats --json"))
    cols = doc["columns"]
    row = next(r for r in doc["rows"] if r["programme_type"] == "all")
    cell = dict(zip(cols, row["cells"]))
    check(row["region_id"] == 29200 and row["region"] == "광산구" and
          cell["target"] == 4 and cell["achieved"] == 3 and
          cell["attainment_pct"] == 75.0 and cell["surplus"] == -1 and
          cell["persons"] == (2 if winner == 2 else 3) and cell["applicants"] == 4 and cell["slots"] == 6,
          f"광산구 2023: 3 of 4 = 75.0 %: {cell}")
    check(doc["k"] == 1 and doc["table"] == "attainment" and doc["level"] == "district",
          "the JSON names what it is")
    rows = csv_rows(ok(run("stats", "-s", world, "--year", "2023", "--k", "4",
                           "--csv"), "--k 4"))
    head = rows[0]
    allrow = dict(zip(head, next(r for r in rows if r[2] == "all")))
    check(allrow["target"] == "4" and allrow["placements"] == "x" and
          allrow["achieved"] == "x" and allrow["attainment_pct"] == "x",
          f"with k = 4, 3 placements are hidden, and what they imply: {allrow}")
    rows = csv_rows(ok(run("stats", "-s", world, "--year", "2023", "--k", "1",
                           "--table", "facility-kind", "--level", "neighbourhood",
                           "--region", "29200", "--csv"), "facility-kind"))
    got = {r[1]: r[3:] for r in rows[1:]}
    check(set(got) == {"신가동", "송정1동"} and "total" not in got,
          f"placements at 신가동's library and 송정1동's centre, no total row: {rows}")


# ---- the demo's world ----------------------------------------------------

def test_demo_world(tmp):
    world = os.path.join(tmp, "demo.nj")
    ok(run("demo", "--quiet", "--snapshot", world), "demo --snapshot")
    out = ok(run("stats", "-s", world, "--year", "2023"), "stats 2023")
    row = next(line.split() for line in out.splitlines() if " all " in line)
    check(row[:6] == ["29200", "광산구", "all", "18,032", "19,833", "110.0"],
          f"2023: 19,833 of 18,032 = 110.0 %: {row}")
    cells = hidden = 0
    for table in ("age-band", "residency"):
        rows = csv_rows(ok(run("stats", "-s", world, "--year", "2023", "--table", table,
                               "--level", "neighbourhood", "--csv"), table))
        values = [c for r in rows[1:] for c in r[3:]]
        cells += len(values)
        hidden += values.count("x")
    check((hidden, cells) == (49, 176),
          f"the demo's '49 of 176 cells suppressed' (got {hidden} of {cells})")
    rows = csv_rows(ok(run("stipend", "-s", world, "--csv"), "demo stipend"))
    check(rows[-1] == ["total", str(21720 * 60 + 1), str(21580 * 60), str(140 * 60 + 1),
                       "", "257449400"],
          f"21,580 h paid = 257,449,400 KRW; 140 h 1 min over the cap: {rows[-1]}")
    capped = [r for r in rows[1:-1] if r[4] == "0"]
    check(len(capped) == 8, f"8 residents reached the cap: {len(capped)}")
    rows = csv_rows(ok(run("stipend", "-s", world, "--participant", "675", "--csv"),
                       "resident 675"))
    check(rows[1][2] == "6000" and rows[1][4] == "0" and int(rows[1][3]) >= 1,
          f"resident 675 is paid 100 h and has a minute over: {rows}")
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            r = run("stats", "-s", world, "--year", "2023", stdout=full, stderr=subprocess.PIPE)
        check(r.returncode == 3 and "standard output" in r.stderr,
              f"output to a full disk is exit 3: {r.returncode} {r.stderr!r}")
    out = ok(run("match", "-s", world, "--all", "--date", "20230311"), "demo --all")
    check(out.splitlines()[-1] == "0 matches for 0 open postings of 110 on 2023-03-11",
          "after selection every demo posting is closed")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        world = cli_check.make_world(run, tmp)
        test_locate(world)
        test_match(world)
        test_round(tmp, world)
    with tempfile.TemporaryDirectory() as tmp:
        test_demo_world(tmp)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
