#!/usr/bin/env python3
"""The installed nearjob works identically to the build tree's: the same
commands give the same output, the same world files and reports byte for
byte; the installed one reads the data and library installed with it (not
the source or build tree), and its man page is the generated one.

usage: test_installed.py ROOT BUILD_TREE_NEARJOB
       test_installed.py --install MESON BUILD_DIR

ROOT is the installed prefix as it lies on disk: $DESTDIR$prefix after
`meson install --destdir`, or the prefix itself. With --install, the test
runs `MESON install -C BUILD_DIR --destdir` into a temporary folder first
and compares with BUILD_DIR/examples/nearjob.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

check = cli_check.check
SOURCE = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                      "..", ".."))


def find(root, name):
    for folder, _, files in os.walk(root):
        if name in files:
            return os.path.join(folder, name)
    return None


class Tool:
    """One nearjob: run it from `cwd` with a clean environment."""

    def __init__(self, exe, libdir=None):
        self.exe = exe
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("NEARJOB_DATA", "LD_LIBRARY_PATH")}
        if libdir:
            self.env["LD_LIBRARY_PATH"] = libdir

    def run(self, cwd, *args):
        r = subprocess.run([self.exe, *args], capture_output=True, text=True,
                           timeout=120, cwd=cwd, env=self.env)
        return r.returncode, r.stdout, r.stderr


def read(path):
    """The file's bytes, or None when it is missing."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, TypeError):
        return None


def same(installed, built, tmp, args, what):
    """Both give the same exit status, stdout and stderr; the paths in
    `args` are written below tmp/installed and tmp/built respectively."""
    outputs = []
    for tool, side in ((installed, "installed"), (built, "built")):
        folder = os.path.join(tmp, side)
        os.makedirs(folder, exist_ok=True)
        outputs.append(tool.run(folder, *args))
    check(outputs[0] == outputs[1],
          f"{what}: the same from the prefix and the build tree:\n{outputs[0]}\n{outputs[1]}")
    check(outputs[1][0] == 0 or what.startswith("error"),
          f"{what}: exit 0 ({outputs[1][2]})")
    return outputs[0]


def compare(root, build_exe):
    exe = os.path.join(root, "bin", "nearjob")
    lib = find(root, "libnearjob.so.0")
    check(os.access(exe, os.X_OK), f"{exe} is installed")
    check(lib is not None, "libnearjob.so.0 is installed")
    if not os.access(exe, os.X_OK) or lib is None:
        return
    installed, built = Tool(exe, os.path.dirname(lib)), Tool(os.path.abspath(build_exe))
    ldd = subprocess.run(["ldd", exe], capture_output=True, text=True,
                         env=installed.env).stdout
    check(f"libnearjob.so.0 => {lib}" in ldd or f"libnearjob.so.0 => {os.path.realpath(lib)}"
          in ldd, f"the installed nearjob loads the installed library:\n{ldd}")
    data = os.path.join(root, "share", "nearjob")
    for name in ("admdong_gwangju_all.geojson", "facilities_gwangju_libraries.csv",
                 "facilities_gwangsan_synthetic.csv", "targets_known.csv", "README.md"):
        installed_copy = read(os.path.join(data, name))
        check(installed_copy is not None and
              installed_copy == read(os.path.join(SOURCE, "examples", "data", name)),
              f"share/nearjob/{name} is the bundled file")
    page = find(root, "nearjob.1")
    built_page = os.path.join(os.path.dirname(os.path.abspath(build_exe)), "nearjob.1")
    check(page is not None and page.endswith(os.path.join("man1", "nearjob.1")) and
          read(page) is not None and read(page) == read(built_page), f"man1/nearjob.1 is the generated page ({page})")

    with tempfile.TemporaryDirectory() as tmp:
        a = installed.run(tmp, "demo")
        b = built.run(tmp, "demo")
        check(a[1].splitlines()[0].endswith(f"data from {data}"),
              f"the installed demo reads the installed data: {a[1].splitlines()[:1]}")
        check(a[0] == b[0] == 0 and a[1].splitlines()[1:] == b[1].splitlines()[1:],
              "the demo prints the same figures")
        for args in (["--help"], ["--version"], ["locate", "35.134695", "126.804468"],
                     ["report", "--help"], ["demo", "--quiet", "--snapshot", "world.nj",
                                            "--report", "report.html"]):
            same(installed, built, tmp, args, " ".join(args))
        for name in ("world.nj", "report.html"):
            check(read(os.path.join(tmp, "installed", name)) ==
                  read(os.path.join(tmp, "built", name)), f"{name}: byte-identical")
        for command in ("import", "locate", "match", "apply", "withdraw", "select",
                        "stipend", "stats", "export"):
            same(installed, built, tmp, [command, "--help"], f"{command} --help")
        fixtures = os.path.join(tmp, "fixtures")
        os.makedirs(fixtures)
        files = [cli_check.write(fixtures, k + ".csv", v) for k, v in
                 (("facilities", cli_check.FACILITIES), ("postings", cli_check.POSTINGS),
                  ("participants", cli_check.PARTICIPANTS))]
        regions = os.path.join(data, "admdong_gwangju_all.geojson")
        same(installed, built, tmp,
             ["import", "-s", "w.nj", "--new", "--regions", regions,
              "--csv", "facilities=" + files[0], "--csv", "postings=" + files[1],
              "--csv", "participants=" + files[2]], "import")
        check(read(os.path.join(tmp, "installed", "w.nj")) ==
              read(os.path.join(tmp, "built", "w.nj")), "the imported worlds are identical")
        for args in (["match", "-s", "w.nj", "--all", "--date", "20230301", "--csv"],
                     ["match", "-s", "w.nj", "--participant", "1", "--radius", "10000",
                      "--date", "20230301"],
                     ["apply", "-s", "w.nj", "--participant", "2", "--posting", "20",
                      "--date", "20230302"],
                     ["select", "-s", "w.nj", "--posting", "20", "--date", "20230311",
                      "--seed", "42"],
                     ["stats", "-s", "world.nj", "--year", "2023", "--json"],
                     ["stipend", "-s", "world.nj", "--csv"],
                     ["export", "-s", "w.nj", "--csv", "applications=a.csv"]):
            same(installed, built, tmp, args, " ".join(args))
        same(installed, built, tmp, ["apply", "-s", "w.nj", "--participant", "4",
                                     "--posting", "10", "--date", "20230302"],
             "error: a refused application")
        same(installed, built, tmp, ["match", "--bogus"], "error: an unknown option")


def install(meson, build_dir, destdir):
    r = subprocess.run([meson, "install", "-C", build_dir, "--no-rebuild", "--quiet",
                        "--destdir", destdir], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"meson install failed:\n{r.stdout}\n{r.stderr}")
    options = json.loads(subprocess.run(
        [meson, "introspect", build_dir, "--buildoptions"], capture_output=True,
        text=True, check=True).stdout)
    prefix = next(o["value"] for o in options if o["name"] == "prefix")
    return destdir + prefix


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--install":
        with tempfile.TemporaryDirectory() as destdir:
            compare(install(sys.argv[2], sys.argv[3], destdir),
                    os.path.join(sys.argv[3], "examples", "nearjob"))
    elif len(sys.argv) == 3:
        compare(os.path.abspath(sys.argv[1]), sys.argv[2])
    else:
        sys.exit(__doc__.split("\n\n")[1])
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
