#!/usr/bin/env python3
"""`nearjob import` and `nearjob export`: all or nothing across files,
dependency order, encodings, messages with line and column, the world file
untouched by every failure, an export -> import -> export round trip byte
for byte, and where every output goes when its path is a symbolic link or
not a regular file.

usage: test_import_export.py NEARJOB_EXECUTABLE
"""
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]
run = cli_check.runner(EXE)
check = cli_check.check
OBJECTS = ["regions", "facilities", "postings", "participants", "applications",
           "work-entries", "targets"]


def refused(world, args, code, needles, what):
    before = cli_check.state(world)
    r = run(*args)
    check(r.returncode == code, f"{what}: exit {code} (got {r.returncode}: {r.stderr})")
    for needle in needles:
        check(needle in r.stderr, f"{what}: the message says {needle!r}: {r.stderr!r}")
    check(cli_check.state(world) == before, f"{what}: the world file is untouched")
    return r


def test_import(tmp):
    w = cli_check.write
    # Postings before facilities on the command line: imported in dependency order.
    world = os.path.join(tmp, "w.nj")
    files = {k: w(tmp, k + ".csv", v) for k, v in
             (("postings", cli_check.POSTINGS), ("facilities", cli_check.FACILITIES),
              ("participants", cli_check.PARTICIPANTS))}
    r = run("import", "-s", world, "--new",
            *[a for k, p in files.items() for a in ("--csv", f"{k}={p}")],
            "--regions", cli_check.REGIONS)
    check(r.returncode == 0, f"import in any order: exit 0 ({r.stderr})")
    lines = r.stdout.splitlines()
    check([line.split()[:3] for line in lines[1:5]] ==
          [["regions", "(GeoJSON)", "102"], ["facilities", "3", files["facilities"]],
           ["postings", "3", files["postings"]], ["participants", "5", files["participants"]]],
          f"one line per file, in the order imported:\n{r.stdout}")
    check(lines[-1] == f"saved {world}: 102 regions, 3 facilities, 3 postings, "
          "5 participants, 0 applications, 0 work-entries, 0 targets", lines[-1])
    check(r.stderr == "", f"nothing on stderr when it is not a terminal: {r.stderr!r}")
    check(stat.S_IMODE(os.stat(world).st_mode) == 0o600, "the world file is private")

    # All or nothing across files: a good file and a bad one save neither.
    more = w(tmp, "more.csv", "id,kind,name,lat,lon\n4,library,운남어린이도서관,35.1732666,126.8218974\n")
    bad = w(tmp, "bad.csv", "id,facility_id,title,slots\n40,4,정리,2\n41,4,정리,2,9\n")
    refused(world, ["import", "-s", world, "--csv", f"facilities={more}",
                    "--csv", f"postings={bad}"], 2,
            [bad, "line 3", "nothing imported", "unchanged"], "a bad second file")
    r = run("import", "-s", world, "--csv", f"facilities={more}")
    check(r.returncode == 0, f"the good file alone imports: it was not saved before ({r.stderr})")

    latitude = w(tmp, "lat.csv", "id,kind,name,lat,lon\n5,library,A,35.1,126.8\n6,library,B,91.5,126.8\n")
    refused(world, ["import", "-s", world, "--csv", f"facilities={latitude}"], 2,
            [f"{latitude}: line 3, column 13 (lat): 91.5 outside [-90, 90]"], "a bad latitude")
    missing = os.path.join(tmp, "no-such.csv")
    refused(world, ["import", "-s", world, "--csv", f"participants={missing}"], 2,
            [missing, "No such file"], "a missing file")
    refused(world, ["import", "-s", world, "--regions", missing], 2, [missing],
            "a missing GeoJSON file")

    # CP949, as Excel saves Korean files.
    korean = "id,kind,name,lat,lon\n7,도서관,광산구립 첨단도서관,35.2160,126.8430\n"
    cp949 = w(tmp, "cp949.csv", korean, encoding="cp949")
    refused(world, ["import", "-s", world, "--csv", f"facilities={cp949}"], 2,
            ["line 2, column 3 (kind)", "invalid UTF-8", "--encoding cp949"],
            "CP949 read as UTF-8")
    bom = w(tmp, "bom.csv", "\ufeff" + korean)
    refused(world, ["import", "-s", world, "--csv", f"facilities={bom}",
                    "--encoding", "cp949"], 2, [bom], "a UTF-8 file declared CP949")
    refused(world, ["import", "-s", world, "--csv", f"facilities={cp949}",
                    "--encoding", "latin1"], 1, ["--encoding needs one of"], "latin1")
    r = run("import", "-s", world, "--csv", f"facilities={cp949}", "--encoding", "cp949")
    check(r.returncode == 0, f"--encoding cp949 imports it ({r.stderr})")
    out = os.path.join(tmp, "f.csv")
    run("export", "-s", world, "--csv", f"facilities={out}")
    with open(out, encoding="utf-8-sig") as f:
        check("7,library,광산구립 첨단도서관," in f.read(), "the name is read correctly")
    auto = w(tmp, "auto.csv", korean.replace("7,", "8,").replace("첨단", "하남"),
             encoding="cp949")
    check(run("import", "-s", world, "--csv", f"facilities={auto}", "--encoding",
              "auto").returncode == 0, "--encoding auto reads CP949")

    for args, code, needle in (
            (["--csv", "facility=x.csv"], 1, "unknown object type"),
            (["--csv", "facilities"], 1, "OBJECT=FILE"),
            (["--bogus"], 1, "unknown option"),
            ([], 1, "nothing to import"),
            (["--new"], 3, "exists")):
        refused(world, ["import", "-s", world, *args], code, [needle], f"import {args}")
    refused(world, ["import", "--csv", f"facilities={more}"], 1,
            ["missing --snapshot W.nj"], "import without -s")
    nowhere = os.path.join(tmp, "nowhere.nj")
    r = run("import", "-s", nowhere, "--csv", f"facilities={more}")
    check(r.returncode == 2 and "--new" in r.stderr and not os.path.exists(nowhere),
          f"no world and no --new: exit 2 with the hint ({r.stderr})")
    return world


def test_damaged_and_locked(tmp, world):
    damaged = os.path.join(tmp, "damaged.nj")
    with open(world, "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0x40
    with open(damaged, "wb") as f:
        f.write(data)
    for args in (["match", "--all", "--date", "20230301"], ["stipend"],
                 ["stats", "--year", "2023"], ["export", "--csv", "facilities=x.csv"],
                 ["import", "--csv", "facilities=x.csv"]):
        refused(damaged, [args[0], "-s", damaged, *args[1:]], 2, ["snapshot"],
                f"{args[0]} on a damaged world")
    # A leftover W.nj.tmp (a crashed save) makes the save fail, not overwrite.
    leftover = world + ".tmp"
    with open(leftover, "w") as f:
        f.write("someone else's save")
    refused(world, ["apply", "-s", world, "--participant", "2", "--posting", "10",
                    "--date", "20230302"], 3, [leftover], "a leftover .tmp")
    with open(leftover) as f:
        check(f.read() == "someone else's save", "the leftover is not overwritten")
    os.unlink(leftover)


def export_all(world, folder):
    os.makedirs(folder, exist_ok=True)
    paths = {o: os.path.join(folder, o + ".csv") for o in OBJECTS}
    r = run("export", "-s", world, *[a for o, p in paths.items()
                                     for a in ("--csv", f"{o}={p}")])
    check(r.returncode == 0, f"export of every type: exit 0 ({r.stderr})")
    contents = {}
    for o, p in paths.items():
        with open(p, "rb") as f:
            contents[o] = f.read()
    return paths, contents, r.stdout


def test_round_trip(tmp, world):
    check(run("apply", "-s", world, "--participant", "2", "--posting", "10", "--date",
              "20230302").returncode == 0, "an application to round-trip")
    paths, first, listing = export_all(world, os.path.join(tmp, "one"))
    check(listing.splitlines()[4].split() == ["applications", "1", paths["applications"]],
          f"a line per file with its rows:\n{listing}")
    check(all(c.startswith(b"\xef\xbb\xbf") and b"\r\n" in c for c in first.values()),
          "UTF-8 with a byte-order mark, CRLF")
    check(b",'=1+1 \xeb\xb3\xb5\xec\xa7\x80\xea\xb4\x80," in first["facilities"],
          "a name that starts like a formula gets a leading '")
    check(all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in paths.values()),
          "exports are private (0600)")
    again = os.path.join(tmp, "again.nj")
    r = run("import", "-s", again, "--new",
            *[a for o, p in paths.items() for a in ("--csv", f"{o}={p}")])
    check(r.returncode == 0, f"the export imports back ({r.stderr})")
    _, second, _ = export_all(again, os.path.join(tmp, "two"))
    for o in OBJECTS:
        check(first[o] == second[o], f"{o}: export -> import -> export is byte-identical")
    a = run("match", "-s", world, "--all", "--date", "20230301", "--csv").stdout
    b = run("match", "-s", again, "--all", "--date", "20230301", "--csv").stdout
    check(a == b and a.count("\n") == 4, f"the re-imported world matches the same:\n{b}")

    before = sorted(os.listdir(tmp))
    missing_dir = os.path.join(tmp, "no-such-dir", "f.csv")
    refused(world, ["export", "-s", world, "--csv", f"facilities={missing_dir}"], 3,
            [missing_dir], "export into a missing folder")
    kept = os.path.join(tmp, "kept.csv")
    with open(kept, "w") as f:
        f.write("old\n")
    refused(world, ["export", "-s", world, "--csv", f"facilities={kept}",
                    "--csv", f"postings={missing_dir}"], 3,
            [missing_dir, "nothing replaced: the 1 file written first was removed"],
            "an export whose second file fails")
    with open(kept) as f:
        check(f.read() == "old\n", "all or nothing: the first target keeps its old bytes")
    check(sorted(os.listdir(tmp)) == sorted(before + ["kept.csv"]),
          f"no staged file is left: {sorted(os.listdir(tmp))}")
    os.remove(kept)
    refused(world, ["export", "-s", world, "--csv", f"facilities={kept}",
                    "--csv", f"postings={kept}"], 1, ["the same file is named twice"],
            "one file for two types")
    early = os.path.join(tmp, "early.csv")
    refused(world, ["export", "-s", world, "--csv", f"facilities={early}",
                    "--csv", "nothing=x.csv"], 1, ["unknown object type"],
            "a bad OBJECT=FILE")
    check(sorted(os.listdir(tmp)) == before, "nothing written before the check")
    refused(world, ["export", "-s", world], 1, ["nothing to export"], "no --csv")


def test_output_paths(tmp):
    """Outputs are renamed over their path: a link is followed (and stays a
    link), a FIFO is refused before anything is written (the rename would
    replace it; as root, the same would replace /dev/stdout)."""
    world = cli_check.make_world(run, tmp, "real.nj")
    link = os.path.join(tmp, "link.nj")
    os.symlink("real.nj", link)
    before = cli_check.state(world)
    r = run("apply", "-s", link, "--participant", "2", "--posting", "10",
            "--date", "20230302")
    check(r.returncode == 0, f"apply through a link: exit 0 ({r.stderr})")
    check(os.path.islink(link) and os.readlink(link) == "real.nj",
          "the world's link is still the same link")
    after = cli_check.state(world)
    check(after[0] != before[0] and after[2] == before[2],
          f"the file it names took the application, no temporary left: {after[2]}")

    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    first = os.path.join(tmp, "first.csv")
    for args, what in (
            (["export", "-s", world, "--csv", f"facilities={first}",
              "--csv", f"postings={fifo}"], "export into a FIFO"),
            (["report", "--html", fifo, "-s", world], "a report into a FIFO"),
            (["demo", "--quiet", "--snapshot", fifo], "the demo's world into a FIFO")):
        names = sorted(os.listdir(tmp))
        r = run(*args)
        check(r.returncode == 3 and f"{fifo} is not a regular file; nothing written"
              in r.stderr, f"{what}: exit 3 naming it ({r.returncode}: {r.stderr!r})")
        check(stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(os.listdir(tmp)) == names,
              f"{what}: the FIFO is still there and nothing else was written")

    target = os.path.join(tmp, "target.csv")
    with open(target, "w") as f:
        f.write("old\n")
    os.symlink("target.csv", os.path.join(tmp, "out.csv"))
    r = run("export", "-s", world, "--csv", f"facilities={os.path.join(tmp, 'out.csv')}")
    with open(target, "rb") as f:
        exported = f.read()
    check(r.returncode == 0 and os.path.islink(os.path.join(tmp, "out.csv")) and
          exported.startswith(b"\xef\xbb\xbfid,kind,name"),
          f"an export through a link replaces the file it names ({r.stderr})")

    dangling = os.path.join(tmp, "dangling.nj")
    os.symlink("nowhere.nj", dangling)
    r = run("import", "-s", dangling, "--new", "--regions", cli_check.REGIONS)
    check(r.returncode == 3 and "cannot follow the symbolic link" in r.stderr and
          os.path.islink(dangling) and not os.path.exists(os.path.join(tmp, "nowhere.nj")),
          f"a link to nothing is refused, not replaced ({r.returncode}: {r.stderr!r})")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        world = test_import(tmp)
        test_damaged_and_locked(tmp, world)
    with tempfile.TemporaryDirectory() as tmp:
        test_round_trip(tmp, cli_check.make_world(run, tmp))
    with tempfile.TemporaryDirectory() as tmp:
        test_output_paths(tmp)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
