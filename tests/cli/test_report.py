#!/usr/bin/env python3
"""`nearjob report --html`: a balanced, self-contained page with the demo's
key numbers and Korean labels; every registry string escaped.

usage: test_report.py NEARJOB_EXECUTABLE
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "examples", "data")
check = cli_check.check


def report(path, *args):
    r = subprocess.run([EXE, "report", "--html", path, *args],
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"report {args} exits 0 (got {r.returncode}: {r.stderr})")
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_demo_page(tmp):
    page = report(os.path.join(tmp, "r.html"))
    p = cli_check.parse(page)
    check(not p.errors, f"balanced tags: {p.errors[:5]}")
    check(page.startswith("<!DOCTYPE html>\n<html lang=\"ko\">"), "doctype, lang=ko")
    check('<meta charset="utf-8">' in page, "charset utf-8")
    check("Noto Sans CJK KR" in page and "NanumGothic" in page and "sans-serif" in page,
          "a font stack with CJK fonts")
    text = "".join(p.text)
    check(not cli_check.missing(text, cli_check.KEY_NUMBERS),
          f"key numbers: missing {cli_check.missing(text, cli_check.KEY_NUMBERS)}")
    check(not cli_check.missing(text, cli_check.KOREAN_LABELS),
          f"Korean labels: missing {cli_check.missing(text, cli_check.KOREAN_LABELS)}")
    # Self-contained: no script, no external reference of any kind.
    for bad in ("<script", "<link", "<img", " src=", "http-equiv", "@import",
                "url(http", "href="):
        check(bad not in page, f"no {bad!r}")
    check(p.tags.get("svg") == 2, f"two inline SVGs (chart, map): {p.tags.get('svg')}")
    # The map: the 21 Gwangsan neighbourhoods shaded and labelled, the
    # neighbouring ones for context, a marker per facility.
    check(page.count('stroke="#334e68"') == 21, "21 shaded neighbourhoods")
    check(p.tags.get("circle") == 37, f"37 facility markers: {p.tags.get('circle')}")
    check('id="nj-suppressed"' in page, "the hatching of hidden counts is defined")


def test_year(tmp):
    page = report(os.path.join(tmp, "y.html"), "--year", "2024")
    p = cli_check.parse(page)
    check(not p.errors, "2024 page balanced")
    text = "".join(p.text)
    check("광산구 2024년" in text and "118.3%" in text, "--year 2024 headline")


def test_escaping(tmp):
    """A facility named with markup and quotes shows as text."""
    data = os.path.join(tmp, "data")
    shutil.copytree(DATA, data)
    path = os.path.join(data, "facilities_gwangsan_synthetic.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = f.read().split("\r\n")
    fields = rows[1].split(",")
    fields[2] = '"<b>Kim & Lee\'s ""센터""</b>"'
    rows[1] = ",".join(fields)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(rows))
    page = report(os.path.join(tmp, "e.html"), "--data", data)
    p = cli_check.parse(page)
    check(not p.errors, f"escaped page balanced: {p.errors[:3]}")
    check("<b>" not in page, "no raw markup from a name")
    check("&lt;b&gt;Kim &amp; Lee&#39;s &quot;센터&quot;&lt;/b&gt;" in page,
          "the name is escaped")
    check("<b>Kim & Lee's \"센터\"</b>" in "".join(p.text), "and reads as text")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_demo_page(tmp)
        test_year(tmp)
        test_escaping(tmp)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
