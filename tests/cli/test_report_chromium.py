#!/usr/bin/env python3
"""The HTML report in a real headless browser (Debian's chromium): it loads
with no console error, its DOM holds the key numbers and Korean labels, and
the screenshot is a real picture. Skipped (exit 77) without chromium.

usage: test_report_chromium.py NEARJOB_EXECUTABLE
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE = sys.argv[1]
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1200, 2000
check = cli_check.check


def chromium(profile, *args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def console_errors(log):
    return [line for line in log.splitlines()
            if "Uncaught" in line or "CONSOLE" in line or "Failed to load" in line]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print("SKIP: no", CHROMIUM)
        return 77
    fonts = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True)
    check(fonts.stdout.strip() != "",
          "a Korean font is installed (fonts-nanum or fonts-noto-cjk), so the "
          "labels render as Hangul, not boxes")
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        r = subprocess.run([EXE, "report", "--html", page], capture_output=True,
                           text=True, timeout=120)
        check(r.returncode == 0, f"report exits 0: {r.stderr}")
        url = "file://" + page

        dom = chromium(os.path.join(tmp, "p1"), "--enable-logging=stderr", "--v=0",
                       "--dump-dom", url)
        check(dom.returncode == 0, f"chromium --dump-dom exits 0 ({dom.returncode})")
        check(not console_errors(dom.stderr),
              f"no console errors: {console_errors(dom.stderr)[:5]}")
        parsed = cli_check.parse(dom.stdout)
        text = "".join(parsed.text)
        check(not cli_check.missing(text, cli_check.KEY_NUMBERS),
              f"DOM key numbers: missing {cli_check.missing(text, cli_check.KEY_NUMBERS)}")
        check(not cli_check.missing(text, cli_check.KOREAN_LABELS),
              f"DOM labels: missing {cli_check.missing(text, cli_check.KOREAN_LABELS)}")
        check(parsed.tags.get("path", 0) > 21 and parsed.tags.get("circle") == 37,
              "the browser built the map's paths and markers")

        shot = os.path.join(tmp, "out.png")
        s = chromium(os.path.join(tmp, "p2"), f"--screenshot={shot}",
                     f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", url)
        check(s.returncode == 0, f"chromium --screenshot exits 0 ({s.returncode})")
        check(os.path.exists(shot), "the screenshot exists")
        if os.path.exists(shot):
            check(png_size(shot) == (WIDTH, HEIGHT), f"a {WIDTH}x{HEIGHT} PNG: {png_size(shot)}")
            # A blank page of this size compresses to a few kilobytes; the
            # map, charts and text make it far larger.
            check(os.path.getsize(shot) > 100_000,
                  f"a non-trivial picture ({os.path.getsize(shot)} bytes)")
            keep = os.environ.get("NEARJOB_KEEP_SCREENSHOT")
            if keep:
                shutil.copy(shot, keep)
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
