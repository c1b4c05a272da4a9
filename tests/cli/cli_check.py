"""Shared by the CLI tests: failure collection; the HTML report's expected
numbers, labels and parser (test_demo.py, test_report*.py); running the
tool, the state of a world file, the distance, and a small hand-made world
(the tests of the other commands)."""
import hashlib
import html.parser
import math
import os
import subprocess

failures = []


def check(condition, what):
    """Record (and print) a failed check; the test goes on."""
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def finish():
    """The test's exit status: 0 when every check passed."""
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("ok")
    return 0


# Figures of the demo round (default seed) that the page must show.
KEY_NUMBERS = ["363", "2,535", "6.98", "257,449,400", "110.0%", "118.3%",
               "19,833", "18,032", "17,400", "14,707", "8명", "140시간 1분"]
KOREAN_LABELS = ["광산구", "목표", "실적", "달성률", "경쟁률", "행정동", "선발",
                 "수당 지급액", "상한 도달", "송정1동", "지역아동센터"]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Balance(html.parser.HTMLParser):
    """Counts tags; every non-void start tag must be closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes "
                               f"{self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page):
    p = Balance()
    p.feed(page)
    p.close()
    if p.stack:
        p.errors.append(f"unclosed: {p.stack}")
    return p


def missing(text, needles):
    return [n for n in needles if n not in text]


# ---- the subcommands over a world file (test_import_export.py,
# test_commands.py, test_progress.py, test_installed.py) ----------------


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "examples", "data")
REGIONS = os.path.join(DATA, "admdong_gwangju_all.geojson")


def runner(exe):
    """run(*args) -> CompletedProcess of `exe args`, text, 120 s."""
    def run(*args, **kw):
        if "stdout" not in kw:
            kw["capture_output"] = True
        return subprocess.run([exe, *args], text=True, timeout=120, **kw)
    return run


def state(path):
    """What a failed command must not change: the file's bytes and mtime,
    and the names in its folder (no temporary file left)."""
    folder = os.path.dirname(path) or "."
    try:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        digest = mtime = None
    return digest, mtime, sorted(os.listdir(folder))


def haversine_m(lat1, lon1, lat2, lon2):
    """docs/matching.md's distance, written out independently."""
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2 +
         math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(min(1.0, max(0.0, h))))


# A small hand-made round in 광산구: three facilities, three postings, five
# residents. Coordinates have at most 7 decimals, as the registry stores them.
FACILITIES = """\
id,kind,name,lat,lon
1,library,신가도서관,35.1826649,126.8278526
2,childrens_centre,송정1동 지역아동센터,35.134695,126.804468
3,welfare_centre,=1+1 복지관,35.15,126.79
"""
POSTINGS = """\
id,facility_id,title,slots,hourly_stipend_krw,work_start,work_end,apply_open,apply_close,min_age,max_age,residency_region_id,foreign_allowed,radius_m,early_close_ratio
10,1,도서 정리,2,11930,2023-03-15,2023-06-30,2023-03-01,2023-03-10,19,70,29200,,3000,
20,2,"학습 보조, 오후",1,11930,2023-03-15,2023-06-30,2023-03-01,2023-03-10,,,29200,,3000,2
30,3,급식 지원,3,11930,2023-03-15,2023-06-30,2023-03-01,2023-03-10,,,,0,1000,
"""
PARTICIPANTS = """\
id,birth_date,foreign,lat,lon,verified_date
1,1960-05-01,0,35.18,126.82,2023-02-01
2,1990-01-15,0,35.14,126.8,2023-02-01
3,1985-07-07,1,35.135,126.805,2023-02-01
4,2010-01-01,0,35.18,126.825,2023-02-01
5,1970-03-03,0,35.16,126.92,2023-02-01
"""
TARGETS = """\
year,region_id,programme_type,target
2023,29200,all,4
"""
HOMES = {1: (35.18, 126.82), 2: (35.14, 126.8), 3: (35.135, 126.805),
         4: (35.18, 126.825), 5: (35.16, 126.92)}
SITES = {1: (35.1826649, 126.8278526), 2: (35.134695, 126.804468),
         3: (35.15, 126.79)}
POSTING_SITE = {10: 1, 20: 2, 30: 3}


def write(folder, name, text, encoding="utf-8"):
    path = os.path.join(folder, name)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return path


def make_world(run, folder, name="w.nj"):
    """Import the hand-made round into folder/name; returns its path."""
    world = os.path.join(folder, name)
    files = {k: write(folder, k + ".csv", v) for k, v in
             (("facilities", FACILITIES), ("postings", POSTINGS),
              ("participants", PARTICIPANTS), ("targets", TARGETS))}
    r = run("import", "-s", world, "--new", "--regions", REGIONS,
            *[a for k, p in files.items() for a in ("--csv", f"{k}={p}")])
    if r.returncode != 0:
        raise RuntimeError(f"import of the test world failed: {r.stderr}")
    return world
